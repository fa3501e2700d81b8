"""Fleet and protective equipment from the records: Q4 findings (vehicle age, counts, SCBA sets)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from brigade.analysis.fleet import (
    VehicleRow,
    over_age_vehicles,
    scba_shortfalls,
    vehicle_age_bands,
    vehicle_shortfalls,
)
from brigade.core.findings import Finding, finding_provider

# Settings a brigade may set: BRIGADE_VEHICLE_SERVICE_LIFE_YEARS ({vehicle kind: years}),
# BRIGADE_VEHICLES_BY_STATION_KIND ({station kind: (min, max)}), BRIGADE_SCBA_SPARE_RATIO.
LOCAL_RULE = "本地设定"


def _stations(scope):
    from brigade.org.models import NON_AREA_KINDS, Station

    qs = Station.objects.exclude(kind__in=NON_AREA_KINDS)  # micro fire stations keep no fleet
    kind = getattr(scope, "kind", "brigade") if scope is not None else "brigade"
    if kind == "station":
        qs = qs.filter(name=scope.name)
    elif kind == "street":
        qs = qs.filter(street__name=scope.name)
    elif kind == "brigades" and not scope.whole:
        qs = qs.filter(brigade_id__in=scope.brigade_ids)
    return qs


def vehicle_rows(stations, on: dt.date) -> list[VehicleRow]:
    """Vehicles of the stations as analysis rows, age at ``on`` (vehicles commissioned later left out)."""
    from brigade.resources.models import Vehicle, VehicleStatus

    rows = []
    for plate, kind, station, commissioned, status in Vehicle.objects.filter(station__in=stations).values_list(
            "plate", "kind", "station__name", "commissioned_on", "status"):
        if commissioned > on:
            continue
        rows.append(VehicleRow(plate, kind, station, (on - commissioned).days / 365.25,
                               in_service=status != VehicleStatus.RETIRED,
                               on_duty=status == VehicleStatus.IN_SERVICE))
    return rows


def station_equipment(stations) -> list[dict]:
    """Per station: kind, on-duty staff, SCBA sets in service and spare."""
    from django.db.models import Count, Q, Sum

    from brigade.resources.models import Equipment, EquipmentKind

    scba = {
        r["station"]: r
        for r in Equipment.objects.filter(station__in=stations, kind=EquipmentKind.SCBA).values("station").annotate(
            in_service=Sum("in_service_qty"), spare=Sum("spare_qty"))
    }
    rows = []
    for s in stations.annotate(on_duty=Count("people", filter=Q(people__is_on_duty=True))):
        e = scba.get(s.pk, {})
        rows.append({"station": s.name, "kind": s.kind, "on_duty": s.on_duty,
                     "scba_in_service": e.get("in_service") or 0, "scba_spare": e.get("spare") or 0})
    return rows


@finding_provider("fleet.equipment")
def fleet_findings(period, scope) -> list[Finding]:
    """Over-age vehicles, stations short of vehicles, stations short of SCBA sets."""
    on = getattr(period, "end", None) or dt.date.today()
    stations = _stations(scope)
    life, default_life = settings.BRIGADE_VEHICLE_SERVICE_LIFE_YEARS, settings.BRIGADE_DEFAULT_SERVICE_LIFE_YEARS
    vehicles = vehicle_rows(stations, on)
    found: list[Finding] = []
    old = over_age_vehicles(vehicles, service_life_years=life, default_years=default_life)
    if old:
        found.append(Finding(
            code="fleet.over_age", severity="high" if len(old) >= 3 else "medium", part="Q4",
            statement=(f"有{len(old)}辆消防车超过使用年限（{LOCAL_RULE}：{default_life:g}年），"
                       f"最长已使用{old[0]['age_years']:.1f}年。"),
            metrics={"over_age": len(old), "vehicles": sum(v.in_service for v in vehicles),
                     "service_life_years": default_life, "oldest_years": round(old[0]["age_years"], 1)},
            evidence=[{"车牌号": r["plate"], "所属站": r["station"], "车龄（年）": r["age_years"],
                       "使用年限（年）": r["service_life_years"]} for r in old]
            + [{"车龄段": b["band"], "车辆数": b["vehicles"]} for b in vehicle_age_bands(vehicles)],
        ))
    in_service: dict[str, int] = {}
    for v in vehicles:
        in_service[v.station] = in_service.get(v.station, 0) + int(v.on_duty)
    short = vehicle_shortfalls(dict(stations.values_list("name", "kind")), in_service,
                               table=settings.BRIGADE_VEHICLES_BY_STATION_KIND)
    if short:
        listed = "、".join(f"{r['station']}（{r['actual']}/{r['required']}辆）" for r in short[:5])
        found.append(Finding(
            code="fleet.station_shortfall", severity="medium", part="Q4",
            statement=f"有{len(short)}个消防站执勤车辆少于建设标准下限：{listed}。",
            metrics={"stations_short": len(short), "vehicles_short": sum(r["short"] for r in short)},
            evidence=[{"消防站": r["station"], "应配（辆）": r["required"], "实有（辆）": r["actual"]} for r in short],
        ))
    ratios = settings.BRIGADE_SCBA_SPARE_RATIO
    scba = scba_shortfalls(station_equipment(stations), per_person=settings.BRIGADE_SCBA_PER_PERSON,
                           spare_ratio=ratios)
    ordinary = ratios.get("level1", ratios["other"])
    if scba:
        total = sum(r["short_in_service"] + r["short_spare"] for r in scba)
        found.append(Finding(
            code="fleet.scba_shortfall", severity="high" if any(r["short_in_service"] for r in scba) else "medium",
            part="Q4",
            statement=(f"有{len(scba)}个消防站正压式消防空气呼吸器配备不足（按执勤人员每人1具、"
                       f"备份比{ordinary:g}:1/特勤站{ratios['special']:g}:1计算），共缺{total}具。"),
            metrics={"stations_short": len(scba), "scba_short": total, "per_person": 1,
                     "spare_ratio": ordinary, "spare_ratio_special": ratios["special"]},
            evidence=[{"消防站": r["station"], "执勤人员": r["on_duty"], "在用（具）": r["scba_in_service"],
                       "应在用（具）": r["required_in_service"], "备用（具）": r["scba_spare"],
                       "应备用（具）": r["required_spare"]} for r in scba],
        ))
    return found
