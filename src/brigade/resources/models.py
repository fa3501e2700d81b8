"""What the brigade keeps and relies on: vehicles, equipment, hydrants, water sources, roads."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from brigade.core.models import LocatedModel, TimeStampedModel, located_constraints
from brigade.core.tenancy import BrigadeOwnedQuerySet, own_brigade
from brigade.org.models import Community, Station, Street


class VehicleKind(models.TextChoices):
    WATER_TANKER = "water_tanker", "水罐消防车"
    FOAM = "foam", "泡沫消防车"
    AERIAL = "aerial", "举高消防车"
    RESCUE = "rescue", "抢险救援消防车"
    WATER_SUPPLY = "water_supply", "供水消防车"
    COMMAND = "command", "通信指挥消防车"
    SUPPORT = "support", "战勤保障消防车"
    OTHER = "other", "其他"


class VehicleStatus(models.TextChoices):
    IN_SERVICE = "in_service", "执勤"
    STANDBY = "standby", "备用"
    REPAIR = "repair", "维修"
    RETIRED = "retired", "报废"


class Vehicle(TimeStampedModel):
    plate = models.CharField("车牌号", max_length=20, unique=True)
    kind = models.CharField("车辆类型", max_length=16, choices=VehicleKind.choices)
    station = models.ForeignKey(Station, models.PROTECT, related_name="vehicles", verbose_name="所属站")
    model_name = models.CharField("品牌型号", max_length=80, blank=True)
    commissioned_on = models.DateField("入列日期")
    status = models.CharField("状态", max_length=12, choices=VehicleStatus.choices, default=VehicleStatus.IN_SERVICE)

    brigade_path = "station__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "消防车辆"
        ordering = ["station", "plate"]

    def __str__(self):
        return self.plate


class EquipmentKind(models.TextChoices):
    SCBA = "scba", "正压式消防空气呼吸器"
    PROTECTIVE_SUIT = "suit", "灭火防护服"
    HELMET = "helmet", "消防头盔"
    DISTRESS_UNIT = "distress", "呼救器"
    RESCUE_TOOL = "rescue_tool", "破拆救援器材"
    HOSE = "hose", "消防水带"
    OTHER = "other", "其他器材"


class Equipment(TimeStampedModel):
    kind = models.CharField("器材类型", max_length=16, choices=EquipmentKind.choices)
    station = models.ForeignKey(Station, models.PROTECT, related_name="equipment", verbose_name="所属站")
    in_service_qty = models.PositiveIntegerField("在用数量")
    spare_qty = models.PositiveIntegerField("备用数量", default=0)
    purchased_on = models.DateField("购置日期", null=True, blank=True)

    brigade_path = "station__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "器材装备"
        ordering = ["station", "kind"]

    def __str__(self):
        return f"{self.station} · {self.get_kind_display()}"


class HydrantKind(models.TextChoices):
    ABOVE_GROUND = "above", "地上式消火栓"
    BELOW_GROUND = "below", "地下式消火栓"
    WATER_CRANE = "crane", "消防水鹤"


class HydrantStatus(models.TextChoices):
    IN_SERVICE = "in_service", "完好"
    DAMAGED = "damaged", "损坏"
    OUT_OF_SERVICE = "out_of_service", "停用"


class Hydrant(TimeStampedModel, LocatedModel):
    code = models.CharField("编号", max_length=30)  # unique within its brigade (Meta)
    kind = models.CharField("类型", max_length=8, choices=HydrantKind.choices, default=HydrantKind.ABOVE_GROUND)
    road_name = models.CharField("所在道路", max_length=80, blank=True)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="hydrants", verbose_name="镇街"
    )
    status = models.CharField("状态", max_length=16, choices=HydrantStatus.choices, default=HydrantStatus.IN_SERVICE)
    installed_on = models.DateField("建成日期", null=True, blank=True)
    last_checked_on = models.DateField("最近检查日期", null=True, blank=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "市政消火栓"
        ordering = ["code"]
        indexes = [models.Index(fields=["road_name"])]
        constraints = [models.UniqueConstraint(fields=["brigade", "code"], name="hydrant_unique_code"),
                       *located_constraints("hydrant")]

    def __str__(self):
        return self.code


class WaterSourceKind(models.TextChoices):
    NATURAL = "natural", "天然水源"
    INTAKE_POINT = "intake", "取水码头/取水点"
    POOL = "pool", "消防水池"
    OTHER = "other", "其他"


class WaterSource(TimeStampedModel, LocatedModel):
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类型", max_length=8, choices=WaterSourceKind.choices)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="water_sources", verbose_name="镇街"
    )
    is_usable = models.BooleanField("可用", default=True)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "消防水源"
        ordering = ["name"]
        constraints = [*located_constraints("watersource")]

    def __str__(self):
        return self.name


class ChargingShed(TimeStampedModel):
    """An e-bike charging shed (充电车棚) with its charging ports."""

    community = models.ForeignKey(Community, models.PROTECT, related_name="charging_sheds", verbose_name="小区")
    name = models.CharField("名称", max_length=80, blank=True)
    ports = models.PositiveIntegerField("充电端口数")
    built_on = models.DateField("建成日期")

    brigade_path = "community__street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "充电车棚"
        ordering = ["-built_on"]

    def __str__(self):
        return self.name or f"{self.community} 充电车棚"


class ElevatorBlocker(TimeStampedModel):
    """Elevator e-bike blocking/alarm devices (电梯阻车装置) fitted in one community."""

    community = models.ForeignKey(Community, models.PROTECT, related_name="elevator_blockers", verbose_name="小区")
    elevators = models.PositiveIntegerField("加装电梯数")
    installed_on = models.DateField("加装日期")

    brigade_path = "community__street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "电梯阻车装置"
        ordering = ["-installed_on"]

    def __str__(self):
        return f"{self.community} {self.elevators}部"


class RoadClass(models.TextChoices):
    EXPRESSWAY = "expressway", "快速路"
    ARTERIAL = "arterial", "主干路"
    SECONDARY = "secondary", "次干路"
    LOCAL = "local", "支路"
    RURAL = "rural", "乡村道路"


class Road(TimeStampedModel):
    """One named road line of the district's road network (GeoJSON LineString coordinates)."""

    name = models.CharField("道路名称", max_length=80)
    road_class = models.CharField("道路等级", max_length=12, choices=RoadClass.choices)
    coordinates = models.JSONField("坐标（经度, 纬度 列表）")
    length_m = models.FloatField("长度（米）", default=0)

    brigade_path = "brigade"
    objects = BrigadeOwnedQuerySet.as_manager()
    brigade = own_brigade()

    class Meta:
        verbose_name = verbose_name_plural = "道路"
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(length_m__gte=0), name="road_length_nonneg")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        coords = self.coordinates
        ok = isinstance(coords, list) and len(coords) >= 2 and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(v, int | float) for v in p) for p in coords
        )
        if not ok:
            raise ValidationError({"coordinates": "道路坐标应为至少两个 [经度, 纬度] 点的列表。"})
