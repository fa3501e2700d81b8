"""Risk grades of social units, the rubric that weighs the evidence, and the monthly random draws."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from brigade.core.models import TimeStampedModel
from brigade.core.tenancy import SHARED
from brigade.org.models import Brigade, Person, Street
from brigade.risk.choices import LEVEL_COLOR_NAMES, DrawReason, DrawStatus, RiskLevel
from brigade.risk.rubric import RubricError, parse_rubric
from brigade.units.models import SocialUnit


class RiskRubric(TimeStampedModel):
    """The weights and thresholds of the risk grade as YAML text (the shipped file is the default)."""

    name = models.CharField("细则名称", max_length=120, unique=True)
    text = models.TextField("细则内容（YAML）", help_text="格式见 src/brigade/risk/data/rubric.yaml，每项权重须注明依据")
    is_active = models.BooleanField("启用", default=True, help_text="启用多个时使用最近修改的一个")

    brigade_path = SHARED

    class Meta:
        verbose_name = verbose_name_plural = "风险分级细则"
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        try:
            parse_rubric(self.text)
        except RubricError as exc:
            raise ValidationError({"text": str(exc)}) from exc


class UnitRisk(models.Model):
    """A unit's current grade, with the evidence it rests on (one row per unit, rewritten on regrade)."""

    unit = models.OneToOneField(SocialUnit, models.CASCADE, related_name="risk", verbose_name="单位")
    street = models.ForeignKey(Street, models.CASCADE, related_name="+", verbose_name="镇街")
    level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    score = models.FloatField("风险得分")
    evidence = models.CharField("依据", max_length=400, blank=True)
    open_hazards = models.PositiveIntegerField("未整改隐患", default=0)
    overdue_hazards = models.PositiveIntegerField("逾期隐患", default=0)
    major_hazards = models.PositiveIntegerField("重大火灾隐患", default=0)
    recurrences = models.PositiveIntegerField("复发次数", default=0)
    enforcement_actions = models.PositiveIntegerField("执法处理次数", default=0)
    self_inspections = models.PositiveIntegerField("自查次数", default=0)
    incidents = models.PositiveIntegerField("警情起数", default=0)
    station_minutes = models.FloatField("距最近消防站（分钟）", null=True, blank=True)
    last_inspected_on = models.DateField("最近检查日期", null=True, blank=True)
    graded_on = models.DateField("评定日期")
    rubric_name = models.CharField("所用细则", max_length=120)

    brigade_path = "street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "单位风险等级"
        ordering = ["-score", "unit_id"]
        indexes = [models.Index(fields=["level", "street"]), models.Index(fields=["street", "level"])]
        constraints = [models.CheckConstraint(condition=Q(score__gte=0), name="unitrisk_score_nonneg")]

    def __str__(self):
        return f"{self.unit} {self.get_level_display()}风险（{self.score:g}分）"

    @property
    def color_name(self) -> str:
        return LEVEL_COLOR_NAMES[RiskLevel(self.level)]


class RiskGradeHistory(models.Model):
    """A unit's grade on each day it changed: the trend of its risk."""

    unit = models.ForeignKey(SocialUnit, models.CASCADE, related_name="risk_history", verbose_name="单位")
    graded_on = models.DateField("评定日期")
    level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    score = models.FloatField("风险得分")
    evidence = models.CharField("依据", max_length=400, blank=True)

    brigade_path = "unit__street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "风险等级变化记录"
        ordering = ["unit", "-graded_on"]
        constraints = [models.UniqueConstraint(fields=["unit", "graded_on"], name="riskhistory_unit_day")]

    def __str__(self):
        return f"{self.graded_on} {self.unit} {self.get_level_display()}"


class ConflictOfInterest(TimeStampedModel):
    """A street or unit an officer may not inspect (where they live, a relative's business …)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="conflicts", verbose_name="监督员")
    street = models.ForeignKey(Street, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="回避镇街")
    unit = models.ForeignKey(SocialUnit, models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name="回避单位")
    reason = models.CharField("回避理由", max_length=200)

    brigade_path = "person__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "检查回避"
        ordering = ["person", "pk"]
        constraints = [models.CheckConstraint(condition=Q(street__isnull=False) | Q(unit__isnull=False),
                                              name="conflict_has_target")]

    def __str__(self):
        return f"{self.person} 回避 {self.street or self.unit}"

    def clean(self):
        super().clean()
        if not self.street_id and not self.unit_id:
            raise ValidationError({"street": "请选择回避的镇街或单位（至少一项）。"})


class Draw(TimeStampedModel):
    """One month's random inspection list, drawn from a published seed; a redraw keeps this one."""

    brigade = models.ForeignKey(Brigade, models.PROTECT, related_name="draws", verbose_name="大队")
    month = models.DateField("月份", help_text="该月第一天")
    seed = models.BigIntegerField("随机种子")
    status = models.CharField("状态", max_length=12, choices=DrawStatus.choices, default=DrawStatus.ACTIVE)
    reason = models.CharField("重新抽取理由", max_length=300, blank=True)
    superseded_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+",
                                      verbose_name="取代它的抽取")
    checks = models.PositiveIntegerField("抽查户数")
    officers = models.PositiveIntegerField("参与监督员")
    due_on = models.DateField("完成期限", help_text="当月最后一个工作日")
    rubric_name = models.CharField("所用细则", max_length=120)
    # The inputs the draw used, in order (units with their weights, officers, conflicts, figures):
    # with the seed, anyone can re-draw the same list (brigade draw --verify).
    inputs = models.JSONField("抽取输入", default=dict)
    digest = models.CharField("输入摘要（SHA-256）", max_length=64)
    warnings = models.JSONField("提示", default=list, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="抽取人")

    brigade_path = "brigade"

    class Meta:
        verbose_name = verbose_name_plural = "双随机抽查"
        ordering = ["-month", "-pk"]
        constraints = [models.UniqueConstraint(fields=["brigade", "month"], condition=Q(status="active"),
                                               name="draw_one_active_per_month")]  # per brigade

    def __str__(self):
        return f"{self.month:%Y年%m月}双随机抽查（种子{self.seed}）"


class DrawItem(models.Model):
    """One drawn check: a unit and its two inspectors."""

    draw = models.ForeignKey(Draw, models.CASCADE, related_name="items", verbose_name="双随机抽查")
    order = models.PositiveIntegerField("序号")
    unit = models.ForeignKey(SocialUnit, models.PROTECT, related_name="draw_items", verbose_name="被检查单位")
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name="镇街")
    level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    reason = models.CharField("抽取方式", max_length=8, choices=DrawReason.choices)
    inspector_a = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="检查人员一")
    inspector_b = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="检查人员二")

    brigade_path = "draw__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "抽查对象"
        ordering = ["draw", "order"]
        constraints = [models.UniqueConstraint(fields=["draw", "unit"], name="drawitem_unit_once")]

    def __str__(self):
        return f"{self.draw.month:%Y-%m} {self.unit}"
