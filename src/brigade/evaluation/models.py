"""Monthly evaluation (考评) of streets and departments against a rubric stored as data."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from brigade.core.models import TimeStampedModel
from brigade.core.tenancy import SHARED, BrigadeOwnedQuerySet
from brigade.org.models import Department, Street


class RubricTarget(models.TextChoices):
    STREET = "street", "镇街"
    DEPARTMENT = "department", "行业部门"


class ItemMethod(models.TextChoices):
    METRIC = "metric", "按指标自动评分"
    MANUAL = "manual", "人工评分"


class Comparison(models.TextChoices):
    """What the metric must satisfy to keep the item's points."""

    GTE = "gte", "不少于"
    LTE = "lte", "不多于"


class Rubric(TimeStampedModel):
    """A scoring rubric (考评细则): items whose points add up to the total."""

    name = models.CharField("细则名称", max_length=120, unique=True)
    target = models.CharField("考评对象", max_length=12, choices=RubricTarget.choices)
    total_points = models.DecimalField("总分", max_digits=6, decimal_places=2)
    is_active = models.BooleanField("启用", default=True)
    note = models.TextField("说明", blank=True)

    brigade_path = SHARED

    class Meta:
        verbose_name = verbose_name_plural = "考评细则"
        ordering = ["target", "name"]
        constraints = [models.CheckConstraint(condition=Q(total_points__gt=0), name="rubric_total_positive")]

    def __str__(self):
        return self.name


class RubricItem(TimeStampedModel):
    """One item: its points are kept when the metric meets the threshold, or deducted by hand."""

    rubric = models.ForeignKey(Rubric, models.CASCADE, related_name="items", verbose_name="考评细则")
    order = models.PositiveIntegerField("序号", default=0)
    title = models.CharField("考评内容", max_length=200)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    method = models.CharField("评分方式", max_length=8, choices=ItemMethod.choices)
    metric_code = models.CharField("指标代码", max_length=80, blank=True)
    comparison = models.CharField("要求", max_length=4, choices=Comparison.choices, blank=True)
    threshold = models.DecimalField("标准值", max_digits=12, decimal_places=2, null=True, blank=True)
    per_unit = models.DecimalField(
        "每差一个单位扣分", max_digits=6, decimal_places=2, null=True, blank=True,
        help_text="留空表示未达标即扣除本项全部分值；填写则按差额扣分，以本项分值为限",
    )
    guidance = models.TextField("评分标准", blank=True)

    brigade_path = SHARED

    class Meta:
        verbose_name = verbose_name_plural = "考评项目"
        ordering = ["rubric", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="rubric_item_points_positive"),
            models.CheckConstraint(
                condition=Q(method="manual") | (~Q(metric_code="") & ~Q(comparison="") & Q(threshold__isnull=False)),
                name="rubric_item_metric_rule_complete",
            ),
        ]

    def __str__(self):
        return f"{self.rubric} · {self.title}"

    @property
    def rule_text(self) -> str:
        if self.method == ItemMethod.MANUAL:
            return "人工评分"
        return f"{self.metric_code} {Comparison(self.comparison).label} {self.threshold:g}"


class ManualScore(TimeStampedModel):
    """A deduction entered by hand for a manual item, one street or department, one month."""

    item = models.ForeignKey(RubricItem, models.CASCADE, related_name="manual_scores", verbose_name="考评项目")
    month = models.DateField("月份", help_text="该月第一天")
    street = models.ForeignKey(Street, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="镇街")
    department = models.ForeignKey(
        Department, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="行业部门"
    )
    deducted = models.DecimalField("扣分", max_digits=6, decimal_places=2)
    evidence = models.TextField("扣分依据")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="录入人"
    )

    brigade_path = ("street__brigade", "department__brigade")

    class Meta:
        verbose_name = verbose_name_plural = "人工评分"
        constraints = [
            models.UniqueConstraint(fields=["item", "month", "street"], condition=Q(street__isnull=False),
                                    name="manual_score_unique_street"),
            models.UniqueConstraint(fields=["item", "month", "department"], condition=Q(department__isnull=False),
                                    name="manual_score_unique_department"),
            models.CheckConstraint(condition=Q(deducted__gte=0), name="manual_score_nonneg"),
            models.CheckConstraint(
                condition=Q(street__isnull=False, department__isnull=True)
                | Q(street__isnull=True, department__isnull=False),
                name="manual_score_one_target",
            ),
        ]


class EvaluationRun(TimeStampedModel):
    """One brigade's scoring by one rubric for one month; re-running the brigade's month replaces it."""

    rubric = models.ForeignKey(Rubric, models.PROTECT, related_name="runs", verbose_name="考评细则")
    month = models.DateField("月份", help_text="该月第一天")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="执行人"
    )
    warnings = models.JSONField("提示", default=list, blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    # A run scores and ranks one brigade's streets (or departments) among themselves.
    brigade = models.ForeignKey("org.Brigade", models.PROTECT, related_name="+", verbose_name="大队")

    class Meta:
        verbose_name = verbose_name_plural = "月度考评"
        ordering = ["-month", "rubric"]
        constraints = [
            models.UniqueConstraint(fields=["brigade", "rubric", "month"], name="evaluation_run_unique_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y年%m月} {self.rubric}"


class EvaluationScore(models.Model):
    """One street's or department's score in a run, with its rank (1 = best)."""

    run = models.ForeignKey(EvaluationRun, models.CASCADE, related_name="scores", verbose_name="月度考评")
    street = models.ForeignKey(Street, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="镇街")
    department = models.ForeignKey(
        Department, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="行业部门"
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    deducted = models.DecimalField("扣分", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    brigade_path = ("street__brigade", "department__brigade")

    class Meta:
        verbose_name = verbose_name_plural = "考评得分"
        ordering = ["run", "rank", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=False, department__isnull=True)
                | Q(street__isnull=True, department__isnull=False),
                name="evaluation_score_one_target",
            ),
        ]

    @property
    def target_name(self) -> str:
        return (self.street or self.department).name

    def __str__(self):
        return f"{self.target_name} {self.score}"


class Deduction(models.Model):
    """Points lost on one item, with the evidence behind it."""

    score = models.ForeignKey(EvaluationScore, models.CASCADE, related_name="deductions", verbose_name="考评得分")
    item = models.ForeignKey(RubricItem, models.PROTECT, related_name="deductions", verbose_name="考评项目")
    points = models.DecimalField("扣分", max_digits=6, decimal_places=2)
    reason = models.CharField("扣分理由", max_length=300)
    evidence = models.JSONField("证据", default=dict)

    brigade_path = ("score__street__brigade", "score__department__brigade")

    class Meta:
        verbose_name = verbose_name_plural = "扣分明细"
        ordering = ["score", "item__order"]

    def __str__(self):
        return f"{self.item.title} -{self.points}"
