"""The many count-type ledgers as one catalogue of kinds and one table of activity rows.

A brigade adds a new kind of activity (and the figures it carries) in the admin, with no code
change: the kind lists its metrics, and every activity row gives one value per metric.
"""

from numbers import Real

from django.core.exceptions import ValidationError
from django.db import models

from brigade.core.models import TimeStampedModel
from brigade.core.tenancy import SHARED, BrigadeOwnedQuerySet, own_brigade
from brigade.org.models import Department, Station, Street


class ActivityGroup(models.TextChoices):
    HONOUR = "honour", "荣誉与安保任务"
    RESPONSIBILITY = "responsibility", "责任落实"
    SUPERVISION = "supervision", "监督管理"
    TEAM = "team", "队伍管理"
    TRAINING = "training", "岗位练兵与应急救援"
    PUBLICITY = "publicity", "宣传教育"


def validate_metric_list(value) -> None:
    """A kind's metrics: a non-empty list of {code, label, unit} with unique codes."""
    if not isinstance(value, list) or not value:
        raise ValidationError("统计项应为非空列表，每项含 code、label、unit。")
    seen = set()
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in ("code", "label", "unit")):
            raise ValidationError(f"第{i}个统计项应含非空的 code、label、unit。")
        if item["code"] in seen:
            raise ValidationError(f"统计项代码“{item['code']}”重复。")
        seen.add(item["code"])


class ActivityKind(TimeStampedModel):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    group = models.CharField("类别", max_length=16, choices=ActivityGroup.choices)
    metrics = models.JSONField(
        "统计项", validators=[validate_metric_list], help_text='例如 [{"code": "count", "label": "次数", "unit": "次"}]'
    )
    seed_ref = models.CharField("对应总结条目", max_length=8, blank=True, help_text="如 T6，见 SEED_METRICS.md")
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    brigade_path = SHARED  # the catalogue of ledgers, the same for every brigade

    class Meta:
        verbose_name = verbose_name_plural = "台账类型"
        ordering = ["group", "sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def metric_codes(self) -> list[str]:
        return [m["code"] for m in self.metrics]


class Activity(TimeStampedModel):
    occurred_on = models.DateField("日期")
    kind = models.ForeignKey(ActivityKind, models.PROTECT, related_name="activities", verbose_name="台账类型")
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="activities", verbose_name="镇街"
    )
    station = models.ForeignKey(
        Station, models.PROTECT, null=True, blank=True, related_name="activities", verbose_name="消防站"
    )
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="activities", verbose_name="部门"
    )
    values = models.JSONField("统计值", default=dict)
    note = models.CharField("说明", max_length=300, blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "工作台账"
        ordering = ["-occurred_on"]
        indexes = [models.Index(fields=["kind", "occurred_on"]), models.Index(fields=["occurred_on"])]

    def __str__(self):
        return f"{self.occurred_on} {self.kind}"

    def clean(self):
        super().clean()
        if not self.kind_id:
            return
        self.values = clean_values(self.kind, self.values)


def clean_values(kind: ActivityKind, values) -> dict:
    """One non-negative number per metric of the kind; messages name the metric."""
    if not isinstance(values, dict):
        raise ValidationError({"values": "统计值应为“统计项代码: 数值”的字典。"})
    labels = {m["code"]: m["label"] for m in kind.metrics}
    unknown = sorted(set(values) - set(labels))
    if unknown:
        raise ValidationError({"values": f"“{kind.name}”没有统计项“{unknown[0]}”（可用：{'、'.join(labels)}）。"})
    cleaned = {}
    for code, label in labels.items():
        value = values.get(code)
        if value is None or isinstance(value, bool) or not isinstance(value, Real):
            raise ValidationError({"values": f"请填写“{label}”的数值。"})
        if value < 0:
            raise ValidationError({"values": f"“{label}”不能为负数（填写的是 {value}）。"})
        cleaned[code] = int(value) if float(value).is_integer() else float(value)
    return cleaned
