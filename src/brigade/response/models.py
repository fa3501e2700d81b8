"""Incidents (接处警) with their timeline, and the dispatches of vehicles and crews to them."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from brigade.core.models import LocatedModel, TimeStampedModel, located_constraints, validate_order
from brigade.core.tenancy import SHARED, BrigadeOwnedQuerySet, own_brigade
from brigade.org.models import Station, Street
from brigade.units.models import SocialUnit


class IncidentCategory(models.TextChoices):
    FIRE = "fire", "火灾扑救"
    RESCUE = "rescue", "抢险救援"
    ASSISTANCE = "assistance", "社会救助"
    DUTY = "duty", "安保勤务（公务执勤）"
    FALSE = "false", "虚假警"


class FireCause(models.TextChoices):
    ELECTRICAL = "electrical", "电气"
    CARELESS = "careless", "生活用火不慎"
    SMOKING = "smoking", "吸烟"
    PLAYING = "playing", "玩火"
    PRODUCTION = "production", "生产作业"
    ARSON = "arson", "放火"
    NATURAL = "natural", "自燃及其他"
    UNKNOWN = "unknown", "原因不明"


TIMELINE_LABELS = {
    "received_at": "接警时间",
    "dispatched_at": "出动指令时间",
    "departed_at": "出车时间",
    "arrived_at": "到场时间",
    "controlled_at": "控制时间",
    "cleared_at": "结束时间",
    "returned_at": "归队时间",
}


def _after(later: str, earlier: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True}) | Q(**{f"{earlier}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
    )


class Incident(TimeStampedModel, LocatedModel):
    number = models.CharField("警情编号", max_length=40)  # unique within its brigade (Meta)
    category = models.CharField("警情类别", max_length=12, choices=IncidentCategory.choices)
    received_at = models.DateTimeField("接警时间")
    dispatched_at = models.DateTimeField("出动指令时间", null=True, blank=True)
    controlled_at = models.DateTimeField("控制时间", null=True, blank=True)
    cleared_at = models.DateTimeField("结束时间", null=True, blank=True)
    returned_at = models.DateTimeField("归队时间", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="incidents", verbose_name="镇街"
    )
    unit = models.ForeignKey(
        SocialUnit, models.PROTECT, null=True, blank=True, related_name="incidents", verbose_name="涉及单位"
    )
    # The dispatching system's own first-due area (辖区站) as it recorded it; empty = unknown.
    first_due_station = models.ForeignKey(
        Station, models.PROTECT, null=True, blank=True, related_name="first_due_incidents",
        verbose_name="辖区站（接处警系统记录）",
    )
    alarm_type = models.CharField("警情类型（原始记录）", max_length=80, blank=True)
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    injuries = models.PositiveIntegerField("受伤人数", default=0)
    direct_loss = models.DecimalField(
        "直接财产损失（元）", max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    cause = models.CharField("起火原因", max_length=12, choices=FireCause.choices, blank=True)
    has_impact = models.BooleanField("有影响的火灾", default=False)

    history = HistoricalRecords(verbose_name="变更记录")

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "警情"
        ordering = ["-received_at"]
        # A brigade's calls of a period (its dashboard, summary and column cache) read from the brigade down.
        indexes = [models.Index(fields=["received_at"]), models.Index(fields=["category", "received_at"]),
                   models.Index(fields=["brigade", "received_at"], name="incident_brigade_received_idx")]
        constraints = [
            models.UniqueConstraint(fields=["brigade", "number"], name="incident_unique_number"),
            _after("dispatched_at", "received_at", "incident_dispatched_after_received"),
            _after("controlled_at", "received_at", "incident_controlled_after_received"),
            _after("cleared_at", "received_at", "incident_cleared_after_received"),
            _after("returned_at", "received_at", "incident_returned_after_received"),
            models.CheckConstraint(condition=Q(direct_loss__gte=0), name="incident_loss_nonneg"),
            *located_constraints("incident"),
        ]

    def __str__(self):
        return f"{self.number} {self.get_category_display()}"

    def clean(self):
        super().clean()
        validate_order(
            self,
            [("received_at", "dispatched_at"), ("received_at", "controlled_at"), ("controlled_at", "cleared_at"),
             ("received_at", "cleared_at"), ("cleared_at", "returned_at"), ("received_at", "returned_at")],
            TIMELINE_LABELS,
        )


class Dispatch(TimeStampedModel):
    """One vehicle (and its crew) sent to an incident."""

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="dispatches", verbose_name="警情")
    station = models.ForeignKey(Station, models.PROTECT, related_name="dispatches", verbose_name="出动站")
    vehicle = models.ForeignKey(
        "resources.Vehicle", models.PROTECT, null=True, blank=True, related_name="dispatches", verbose_name="车辆"
    )
    crew_count = models.PositiveIntegerField("出动人数", default=0)
    dispatched_at = models.DateTimeField("出动指令时间", null=True, blank=True)
    departed_at = models.DateTimeField("出车时间", null=True, blank=True)
    arrived_at = models.DateTimeField("到场时间", null=True, blank=True)
    returned_at = models.DateTimeField("归队时间", null=True, blank=True)

    brigade_path = "station__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "出动车辆"
        ordering = ["incident", "arrived_at"]
        indexes = [models.Index(fields=["station", "arrived_at"])]
        constraints = [
            _after("departed_at", "dispatched_at", "dispatch_departed_after_dispatched"),
            _after("arrived_at", "departed_at", "dispatch_arrived_after_departed"),
            _after("arrived_at", "dispatched_at", "dispatch_arrived_after_dispatched"),
            _after("returned_at", "arrived_at", "dispatch_returned_after_arrived"),
        ]

    def __str__(self):
        return f"{self.incident.number} · {self.vehicle or self.station}"

    def clean(self):
        super().clean()
        validate_order(
            self,
            [("dispatched_at", "departed_at"), ("departed_at", "arrived_at"), ("dispatched_at", "arrived_at"),
             ("arrived_at", "returned_at")],
            TIMELINE_LABELS,
        )
        if self.incident_id:
            received = self.incident.received_at
            errors = {
                field: f"{TIMELINE_LABELS[field]}不能早于警情的接警时间。"
                for field in ("dispatched_at", "departed_at", "arrived_at", "returned_at")
                if getattr(self, field) is not None and getattr(self, field) < received
            }
            if errors:
                raise ValidationError(errors)


class IncidentColumns(models.Model):
    """A cache, not a record: one UTC month of incidents and dispatches as numpy columns.

    Built and forgotten by ``brigade.response.columns``; ``data`` is empty while the month is stale.
    """

    month = models.DateField("月份（UTC）", unique=True)
    generation = models.PositiveBigIntegerField("版本", default=0)
    data = models.BinaryField("列数据", null=True, blank=True)
    calls = models.PositiveIntegerField("警情数", default=0)
    dispatches = models.PositiveIntegerField("出动车辆数", default=0)
    built_at = models.DateTimeField("生成时间", null=True, blank=True)

    brigade_path = SHARED  # a cache of every incident, rebuilt from the records

    class Meta:
        verbose_name = verbose_name_plural = "警情统计列缓存"

    def __str__(self):
        return f"{self.month:%Y-%m}"
