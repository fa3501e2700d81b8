"""Station coverage from the records or from files: runs, stored results and Q2 findings."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np
from django.conf import settings

from brigade.analysis.coverage import (
    DEFAULT_ISOCHRONE_MINUTES,
    Coverage,
    first_due_zones_geojson,
    isochrones_geojson,
    shares_by_group,
    station_coverage,
    summary,
    worst_edges,
)
from brigade.analysis.errors import AnalysisError
from brigade.analysis.pointfile import read_points_csv
from brigade.analysis.roadfile import load_network
from brigade.core.findings import Finding, finding_provider, in_scope_brigades, partial
from brigade.planning.network_store import (
    NO_STATIONS,
    PlanningError,
    analysed_brigade,
    analysis_brigade,
    edge_areas,
    located,
    of_brigade,
    offroad_speed_kph,
    road_speeds_kph,
    stored_areas,
    stored_network,
    turnout_s,
)

# A street whose road length reached within the time is below this share is listed (our default).
LOW_SHARE = 0.8


@dataclass
class CoverageParams:
    """What a coverage run was asked: time limit, turnout, speeds."""

    minutes: float | None = None  # None: settings.BRIGADE_COVERAGE_MINUTES
    turnout_s: float | None = None  # None: settings.BRIGADE_TURNOUT_S
    offroad_speed_kph: float | None = None
    speeds_kph: dict[str, float] | None = None
    isochrone_minutes: tuple[float, ...] = DEFAULT_ISOCHRONE_MINUTES
    max_snap_m: float = 500.0
    split_crossings: bool = False  # join GeoJSON lines crossing without a shared vertex

    def __post_init__(self):
        self.minutes = default_minutes() if self.minutes is None else self.minutes
        if not self.minutes or self.minutes <= 0:
            raise PlanningError("时间标准（分钟）必须为正数。")
        self.turnout_s = turnout_s() if self.turnout_s is None else float(self.turnout_s)
        if self.turnout_s < 0:
            raise PlanningError("出动准备时间不能为负数。")
        self.offroad_speed_kph = offroad_speed_kph() if self.offroad_speed_kph is None else self.offroad_speed_kph
        self.speeds_kph = self.speeds_kph or road_speeds_kph()

    @property
    def limit_s(self) -> float:
        return self.minutes * 60.0


def default_minutes() -> float:
    return settings.BRIGADE_COVERAGE_MINUTES


def node_rows(cov: Coverage) -> list[dict]:
    """Per node: node_id, lon, lat, nearest_station, travel_time_s (None when unreachable)."""
    net = cov.network
    t = cov.travel_time_s
    names = cov.station_names
    return [
        {"node_id": i, "lon": round(float(net.node_lon[i]), 7), "lat": round(float(net.node_lat[i]), 7),
         "nearest_station": names[s] if s >= 0 else None,
         "travel_time_s": round(float(t[i]), 3) if np.isfinite(t[i]) else None}
        for i, s in enumerate(cov.nearest_station.tolist())
    ]


def coverage_from_files(network_path: str, stations_csv: str, params: CoverageParams) -> tuple[Coverage, dict]:
    """Coverage of a network file from a stations CSV (``name,lon,lat``); no records involved."""
    network = load_network(network_path, speeds_kph=params.speeds_kph, split_crossings=params.split_crossings)
    stations = read_points_csv(stations_csv, what="消防站")
    cov = station_coverage(network, stations.lon, stations.lat, stations.names, turnout_s=params.turnout_s,
                           offroad_speed_kph=params.offroad_speed_kph, max_snap_m=params.max_snap_m)
    return cov, {"summary": summary(cov, params.limit_s), "worst": worst_edges(cov, limit_s=params.limit_s)}


def coverage_from_records(params: CoverageParams, *, with_geometry: bool = True, period=None, brigade=None
                          ) -> tuple[Coverage, dict]:
    """Coverage of the stored road network and stations, per street, with units and incidents.

    ``period`` (anything with ``start`` and ``end`` dates) limits the incidents to those received in it;
    ``brigade`` (a Brigade or its id) keeps to that brigade's roads, stations, streets and records.
    """
    from brigade.metrics.registry import local_day_bounds
    from brigade.org.models import NON_AREA_KINDS, Station
    from brigade.response.models import Incident
    from brigade.units.models import SocialUnit

    network = stored_network(speeds_kph=params.speeds_kph, brigade=brigade)
    # Micro fire stations answer calls but carry no engine: coverage is the stations' own.
    stations = located(of_brigade(Station.objects.exclude(kind__in=NON_AREA_KINDS), brigade), "name", "kind")
    if not len(stations):
        raise PlanningError(NO_STATIONS)
    cov = station_coverage(network, stations.lon, stations.lat, stations.names, turnout_s=params.turnout_s,
                           offroad_speed_kph=params.offroad_speed_kph, max_snap_m=params.max_snap_m)
    areas = stored_areas(brigade)
    limit = params.limit_s
    points, detail = {}, {}
    for kind, qs, label in (
        ("units", SocialUnit.objects.all(), "name"),
        ("key_units", SocialUnit.objects.filter(is_key_unit=True), "name"),
        ("incidents", _incidents(Incident.objects.all(), period, local_day_bounds), "number"),
    ):
        rows = located(of_brigade(qs, brigade), label)
        if len(rows):
            reach = cov.points(network.snap(rows.lon, rows.lat), offroad_speed_kph=params.offroad_speed_kph)
            time_s = reach.cost
            area = areas.locate(rows.lon, rows.lat, rows.street_id)
        else:
            time_s, area = np.zeros(0), np.zeros(0, dtype=np.int64)
        points[kind] = (area, time_s)
        late = np.argsort(-np.nan_to_num(time_s, posinf=1e12))
        detail[kind] = {
            "located": len(rows), "unlocated": rows.unlocated,
            "reached": int((time_s <= limit).sum()),
            "late_count": int((~(time_s <= limit)).sum()),
            "late": [
                {"id": int(rows.ids[i]), "name": rows.names[i],
                 "street": areas.names[area[i]] if area[i] >= 0 else None,
                 "travel_time_s": round(float(time_s[i]), 1) if np.isfinite(time_s[i]) else None}
                for i in late[:50] if not time_s[i] <= limit
            ],
        }
    station_area = areas.locate(stations.lon, stations.lat, stations.street_id)
    frac = cov.edge_reached_fraction(limit)
    streets = shares_by_group(areas.names, edge_areas(network, areas), network.edge_length_m, frac,
                              points=points, limit_s=limit, station_group=station_area)
    result = {
        "summary": summary(cov, limit),
        "streets": [s.as_dict() for s in streets],
        "streets_without_station": [s.name for s in streets if s.stations == 0],
        "worst": worst_edges(cov, limit_s=limit),
        "points": detail,
    }
    if with_geometry:
        result["isochrones"] = isochrones_geojson(cov, params.isochrone_minutes)
        result["first_due_zones"] = first_due_zones_geojson(cov)
    return cov, result


def _incidents(qs, period, bounds):
    if period is None or getattr(period, "start", None) is None or getattr(period, "end", None) is None:
        return qs
    start, end = bounds(period.start, period.end)
    return qs.filter(received_at__gte=start, received_at__lt=end)


def coverage_run(*, params: CoverageParams | None = None, name: str = "", save: bool = True, brigade=None):
    """Run coverage on one brigade's records and store it as an AnalysisRun of that brigade (service;
    CLI, views and API call it). ``brigade``: a Brigade or its name (None: the only brigade).

    Returns the run (saved unless ``save`` is false) and the Coverage behind it.
    """
    from brigade.planning.models import AnalysisKind, AnalysisRun

    brigade = analysis_brigade(brigade)
    params = params or CoverageParams(minutes=default_minutes())
    started = time.perf_counter()
    try:
        cov, result = coverage_from_records(params, brigade=brigade)
    except AnalysisError as exc:
        raise PlanningError(str(exc)) from exc
    run = AnalysisRun(kind=AnalysisKind.COVERAGE, name=name, params=_jsonable(asdict(params)), brigade=brigade,
                      summary=result["summary"], result=result, seconds=time.perf_counter() - started)
    if save:
        run.save()
    return run, cov


def _jsonable(d: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


# ---------------------------------------------------------------------------------------------
# Findings (report Part 2, Q2)


def _scoped_streets(result: dict, scope) -> list[dict]:
    rows = result["streets"]
    if scope is not None and getattr(scope, "kind", "brigade") == "street":
        rows = [r for r in rows if r["name"] == scope.name]
    if partial(scope):
        rows = [r for r in rows if r["name"] in _street_names(scope)]
    return rows


def _street_names(scope) -> set[str]:
    from brigade.org.models import Street

    return set(in_scope_brigades(Street.objects.all(), scope).values_list("name", flat=True))


def _in_scope(points: list[dict], model, scope) -> list[dict]:
    """The late units or calls of a street (by name), or of a set of brigades (by id)."""
    if scope is not None and getattr(scope, "kind", "brigade") == "street":
        return [p for p in points if p["street"] == scope.name]
    if partial(scope):
        ids = set(in_scope_brigades(model.objects.filter(pk__in=[p["id"] for p in points]), scope)
                  .values_list("pk", flat=True))
        return [p for p in points if p["id"] in ids]
    return points


@finding_provider("coverage.streets")
def coverage_findings(period, scope) -> list[Finding]:
    """Streets without a station, streets and key units not reached in time."""
    from brigade.resources.models import Road
    from brigade.response.models import Incident
    from brigade.units.models import SocialUnit

    if not in_scope_brigades(Road.objects.all(), scope).exists():
        return []  # no road network (of the scope's brigades): nothing to measure travel on
    # One brigade of many is measured on its own network, as its saved analyses are; a set of
    # brigades is read off the whole network, keeping to their streets, units and calls.
    own = analysed_brigade(scope)
    try:
        params = CoverageParams(minutes=default_minutes())
        _, result = coverage_from_records(params, with_geometry=False, period=period, brigade=own)
    except (PlanningError, AnalysisError):
        return []
    minutes = f"{params.minutes:g}"
    streets = _scoped_streets(result, scope)
    found: list[Finding] = []
    empty = [r["name"] for r in streets if r["stations"] == 0]
    if empty:
        found.append(Finding(
            code="coverage.streets_without_station", severity="high", part="Q2",
            statement=f"{'、'.join(empty)}等{len(empty)}个镇街辖区内没有消防站。",
            metrics={"streets_without_station": len(empty)},
            evidence=[{"镇街": n} for n in empty],
        ))
    low = sorted((r for r in streets if r["road_share"] is not None and r["road_share"] < LOW_SHARE),
                 key=lambda r: r["road_share"])
    if low:
        listed = "、".join(f"{r['name']}（{100 * r['road_share']:.1f}%）" for r in low[:5])
        found.append(Finding(
            code="coverage.streets_not_reached", severity="high" if low[0]["road_share"] < 0.5 else "medium",
            part="Q2",
            statement=f"有{len(low)}个镇街{minutes}分钟内可到达的道路不足{100 * LOW_SHARE:.0f}%：{listed}。",
            metrics={"streets_low_share": len(low), "minutes": params.minutes},
            evidence=[{"镇街": r["name"], "道路长度（米）": r["road_length_m"],
                       f"{minutes}分钟可达比例": r["road_share"]} for r in low],
        ))
    key = result["points"]["key_units"]
    late_keys = _in_scope(key["late"], SocialUnit, scope)
    if late_keys:
        found.append(Finding(
            code="coverage.key_units_not_reached", severity="high", part="Q2",
            statement=f"有{len(late_keys)}家消防安全重点单位距最近消防站超过{minutes}分钟车程。",
            metrics={"key_units_late": len(late_keys), "key_units_located": key["located"]},
            evidence=[{"单位": p["name"], "镇街": p["street"], "行车时间（秒）": p["travel_time_s"]}
                      for p in late_keys],
        ))
    whole = scope is None or scope.everything or own is not None  # a whole road network: the analysis's
    inc = result["points"]["incidents"]
    late_inc = _in_scope(inc["late"], Incident, scope)
    late_n = inc["late_count"] if whole else len(late_inc)
    if inc["located"] and late_n:
        found.append(Finding(
            code="coverage.incidents_not_reached", severity="medium", part="Q2",
            statement=(f"期间有位置信息的{inc['located']}起警情中，有{late_n}起发生在距最近消防站"
                       f"{minutes}分钟车程以外的地点。"),
            metrics={"incidents_located": inc["located"], "incidents_late": late_n},
            evidence=[{"警情编号": p["name"], "镇街": p["street"], "行车时间（秒）": p["travel_time_s"]}
                      for p in late_inc],
        ))
    summ = result["summary"]
    if summ["road_share"] is not None and summ["road_share"] < 1.0 and summ["travel_time_s_max"] and whole:
        found.append(Finding(
            code="coverage.road_share", severity="low" if summ["road_share"] >= LOW_SHARE else "medium", part="Q2",
            statement=(f"全辖区道路中{100 * summ['road_share']:.1f}%可在接警出动后{minutes}分钟内到达，"
                       f"最远处约需{summ['travel_time_s_max'] / 60:.1f}分钟。"),
            metrics={"road_share": summ["road_share"], "travel_time_s_p90": summ["travel_time_s_p90"] or 0.0},
            evidence=result["worst"],
        ))
    return found
