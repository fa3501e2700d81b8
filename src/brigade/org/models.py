"""The brigade, its territory (streets, communities), departments, stations and people."""

from django.db import models

from brigade.core.models import LocatedModel, TimeStampedModel, located_constraints


class Brigade(TimeStampedModel):
    name = models.CharField("大队名称", max_length=100, unique=True)
    detachment = models.CharField("上级支队", max_length=100, blank=True)
    district = models.CharField("辖区（县/区）", max_length=100, blank=True)
    # For alarms per 10,000 residents in the detachment's comparison; empty = unknown (无数据).
    population = models.PositiveIntegerField("辖区常住人口", null=True, blank=True)

    brigade_path = "pk"

    class Meta:
        verbose_name = verbose_name_plural = "消防救援大队"

    def __str__(self):
        return self.name


class StreetKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", "街道"
    TOWN = "town", "镇"


class Street(TimeStampedModel):
    """A town or sub-district (镇街): the brigade's unit of territory."""

    brigade = models.ForeignKey(Brigade, models.PROTECT, related_name="streets", verbose_name="大队")
    code = models.CharField("区划代码", max_length=12, blank=True)
    name = models.CharField("名称", max_length=50)
    kind = models.CharField("类型", max_length=12, choices=StreetKind.choices, default=StreetKind.SUBDISTRICT)
    boundary = models.JSONField("边界（GeoJSON）", null=True, blank=True)
    area_km2 = models.FloatField("面积（平方公里）", null=True, blank=True)

    brigade_path = "brigade"

    class Meta:
        verbose_name = verbose_name_plural = "镇街"
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brigade", "name"], name="street_unique_name"),
            models.CheckConstraint(condition=models.Q(area_km2__gte=0), name="street_area_nonneg"),
        ]

    def __str__(self):
        return self.name


class Community(TimeStampedModel):
    street = models.ForeignKey(Street, models.PROTECT, related_name="communities", verbose_name="镇街")
    name = models.CharField("名称", max_length=80)

    brigade_path = "street__brigade"

    class Meta:
        verbose_name = verbose_name_plural = "社区/小区"
        ordering = ["street", "name"]
        constraints = [models.UniqueConstraint(fields=["street", "name"], name="community_unique_name")]

    def __str__(self):
        return f"{self.street.name}·{self.name}"


class Department(TimeStampedModel):
    """A government department with fire-safety duties (行业部门)."""

    brigade = models.ForeignKey(Brigade, models.PROTECT, related_name="departments", verbose_name="大队")
    name = models.CharField("名称", max_length=80)

    brigade_path = "brigade"

    class Meta:
        verbose_name = verbose_name_plural = "行业部门"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["brigade", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name


class StationKind(models.TextChoices):
    LEVEL1 = "level1", "一级站"
    LEVEL2 = "level2", "二级站"
    SMALL = "small", "小型站"
    SPECIAL = "special", "特勤站"
    SUPPORT = "support", "战勤保障站"
    FULLTIME = "fulltime", "专职队"
    MICRO = "micro", "微型消防站"


# Responding units that are not fire and rescue stations: they answer calls (and count in first
# arrival) but have no first-due area of their own.
NON_AREA_KINDS = (StationKind.MICRO,)


class Station(TimeStampedModel, LocatedModel):
    """A fire and rescue station, a full-time team (专职队) or a micro fire station (微型消防站):
    anything that answers calls as a unit."""

    brigade = models.ForeignKey(Brigade, models.PROTECT, related_name="stations", verbose_name="大队")
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类型", max_length=12, choices=StationKind.choices, default=StationKind.LEVEL1)
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="stations", verbose_name="所在镇街"
    )
    opened_on = models.DateField("建成日期", null=True, blank=True)

    brigade_path = "brigade"

    class Meta:
        verbose_name = verbose_name_plural = "消防救援站"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brigade", "name"], name="station_unique_name"),
            *located_constraints("station"),
        ]

    def __str__(self):
        return self.name


class Post(models.TextChoices):
    COMMANDER = "commander", "指挥员"
    FIREFIGHTER = "firefighter", "消防员"
    DRIVER = "driver", "驾驶员"
    FULLTIME = "fulltime", "专职消防员"
    SUPERVISOR = "supervisor", "防火监督员"
    DISPATCHER = "dispatcher", "指挥中心值班员"
    CIVILIAN = "civilian", "文职人员"


class Person(TimeStampedModel):
    brigade = models.ForeignKey(Brigade, models.PROTECT, related_name="people", verbose_name="大队")
    name = models.CharField("姓名", max_length=40)
    station = models.ForeignKey(
        Station, models.PROTECT, null=True, blank=True, related_name="people", verbose_name="所属站"
    )
    post = models.CharField("岗位", max_length=16, choices=Post.choices, default=Post.FIREFIGHTER)
    is_on_duty = models.BooleanField("执勤人员", default=True, help_text="计入空气呼吸器等装备配备基数")
    phone = models.CharField("电话", max_length=20, blank=True)

    brigade_path = "brigade"

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["station", "name"]

    def __str__(self):
        return self.name
