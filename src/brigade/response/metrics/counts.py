"""Incident figures (E6): alarms by category, vehicles and personnel dispatched, losses."""

from django.db.models import Count, Sum

from brigade.metrics.registry import Context, register
from brigade.response.models import Dispatch, Incident, IncidentCategory

ALL_SCOPES = ("brigade", "street", "station")


def incidents(ctx: Context):
    """Incidents received in the period; for a station, those it sent a vehicle to."""
    rows = ctx.between(Incident.objects.all(), "received_at")
    return ctx.scoped(rows, street="street", station="dispatches__station", distinct=True)


def dispatches(ctx: Context):
    rows = ctx.between(Dispatch.objects.all(), "incident__received_at")
    return ctx.scoped(rows, street="incident__street", station="station", via="incident")


def category_counts(ctx: Context) -> dict[str, int]:
    def build():
        rows = incidents(ctx).order_by().values("category").annotate(n=Count("pk", distinct=True))
        return {r["category"]: r["n"] for r in rows}

    return ctx.memo("incident_categories", build)


@register("response.alarms", "接处警", "起", "期间内接警出动的警情总数。", seed_ref="E6", scopes=ALL_SCOPES)
def alarms(ctx):
    return sum(category_counts(ctx).values())


def _category_metric(category: IncidentCategory, code: str):
    register(f"response.{code}", str(category.label), "起", f"期间内“{category.label}”类警情数。", seed_ref="E6",
             scopes=ALL_SCOPES)(lambda ctx: category_counts(ctx).get(category.value, 0))


for _category in IncidentCategory:
    _category_metric(_category, _category.value)


@register("response.vehicles_dispatched", "出动车辆", "辆次", "期间内警情出动的车辆辆次。", seed_ref="E6", scopes=ALL_SCOPES)
def vehicles_dispatched(ctx):
    return dispatches(ctx).count()


@register("response.personnel_dispatched", "出动人员", "人次", "期间内警情出动的人员人次。", seed_ref="E6", scopes=ALL_SCOPES)
def personnel_dispatched(ctx):
    return dispatches(ctx).aggregate(n=Sum("crew_count"))["n"] or 0


def _fires(ctx):
    return incidents(ctx).filter(category=IncidentCategory.FIRE)


@register("response.fires_with_impact", "有影响的火灾", "起", "期间内被认定为有影响的火灾起数。", seed_ref="E6")
def fires_with_impact(ctx):
    return _fires(ctx).filter(has_impact=True).count()


@register("response.deaths", "火灾死亡", "人", "期间内火灾造成的死亡人数。", seed_ref="E6")
def deaths(ctx):
    return _fires(ctx).aggregate(n=Sum("deaths"))["n"] or 0


@register("response.injuries", "火灾受伤", "人", "期间内火灾造成的受伤人数。", seed_ref="E6")
def injuries(ctx):
    return _fires(ctx).aggregate(n=Sum("injuries"))["n"] or 0


@register("response.direct_loss", "火灾直接财产损失", "元", "期间内火灾直接财产损失合计。", seed_ref="E6")
def direct_loss(ctx):
    return float(_fires(ctx).aggregate(n=Sum("direct_loss"))["n"] or 0)


@register("response.careless_fires", "生活用火不慎引发火灾", "起", "期间内起火原因为生活用火不慎、吸烟或玩火的火灾起数。",
          seed_ref="Q6")
def careless_fires(ctx):
    return _fires(ctx).filter(cause__in=("careless", "smoking", "playing")).count()
