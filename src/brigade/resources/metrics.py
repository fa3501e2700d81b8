"""Stock figures of the fleet, breathing apparatus and water supply, read at the period's end (Q3, Q4)."""

from django.db.models import Q, Sum

from brigade.metrics.registry import Context, register
from brigade.org.models import Person
from brigade.resources.models import (
    Equipment,
    EquipmentKind,
    Hydrant,
    HydrantStatus,
    Vehicle,
    VehicleStatus,
    WaterSource,
)

STATION_SCOPES = ("brigade", "street", "station")


def vehicles(ctx: Context):
    rows = ctx.until_end(Vehicle.objects.exclude(status=VehicleStatus.RETIRED), "commissioned_on")
    return ctx.scoped(rows, street="station__street", station="station")


@register("fleet.vehicles", "执勤消防车", "辆", "期末在编（未报废）的消防车数。", seed_ref="Q4", scopes=STATION_SCOPES, stock=True)
def fleet_vehicles(ctx):
    return vehicles(ctx).count()


@register("people.on_duty", "执勤人员", "人", "期末在岗的执勤人员数（装备配备基数）。", seed_ref="Q4", scopes=STATION_SCOPES,
          stock=True)
def on_duty(ctx):
    return ctx.scoped(Person.objects.filter(is_on_duty=True), street="station__street", station="station").count()


def _scba(ctx: Context, field: str) -> int:
    bought = Q(purchased_on__isnull=True) | Q(purchased_on__lte=ctx.period.end)
    rows = Equipment.objects.filter(bought, kind=EquipmentKind.SCBA)
    return ctx.scoped(rows, street="station__street", station="station").aggregate(n=Sum(field))["n"] or 0


@register("equipment.scba_in_service", "在用空气呼吸器", "具", "期末在用的正压式消防空气呼吸器数。", seed_ref="Q4",
          scopes=STATION_SCOPES, stock=True)
def scba_in_service(ctx):
    return _scba(ctx, "in_service_qty")


@register("equipment.scba_spare", "备用空气呼吸器", "具", "期末备用的正压式消防空气呼吸器数。", seed_ref="Q4",
          scopes=STATION_SCOPES, stock=True)
def scba_spare(ctx):
    return _scba(ctx, "spare_qty")


def _hydrants(ctx: Context):
    rows = Hydrant.objects.exclude(installed_on__gt=ctx.period.end)
    return ctx.scoped(rows, street="street")


@register("water.hydrants", "市政消火栓", "个", "期末已建成的市政消火栓数。", seed_ref="Q3", stock=True)
def hydrants(ctx):
    return _hydrants(ctx).count()


@register("water.hydrants_damaged", "损坏停用消火栓", "个", "期末状态为损坏或停用的消火栓数。", seed_ref="Q3", stock=True)
def hydrants_damaged(ctx):
    return _hydrants(ctx).exclude(status=HydrantStatus.IN_SERVICE).count()


@register("water.intake_points", "取水码头和取水点", "处", "可用的取水码头、取水点数。", seed_ref="Q3", stock=True)
def intake_points(ctx):
    return ctx.scoped(WaterSource.objects.filter(kind="intake", is_usable=True), street="street").count()
