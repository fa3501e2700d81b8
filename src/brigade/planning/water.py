"""Water supply from the records or from files: hydrant gaps, spacing, condition; Q3 findings."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass

import numpy as np
from django.conf import settings

from brigade.analysis.errors import AnalysisError
from brigade.analysis.intervals import EdgeIntervals
from brigade.analysis.network import RoadNetwork, Sources, check_points_in_extent
from brigade.analysis.pointfile import read_points_csv
from brigade.analysis.roadfile import load_network
from brigade.analysis.water import (
    gaps_by_road,
    hydrant_condition,
    intake_points_by_area,
    place_hydrants,
    protection_gaps,
    roads_without_hydrant,
    spacing_violations,
)
from brigade.core.findings import Finding, finding_provider, in_scope_brigades, partial
from brigade.planning.network_store import (
    PlanningError,
    analysed_brigade,
    analysis_brigade,
    edge_areas,
    located,
    of_brigade,
    road_speeds_kph,
    stored_areas,
    stored_network,
)

# Road classes outside built-up areas (no municipal hydrants expected; our default).
OPEN_ROAD_CLASSES = ("expressway", "rural")
# Named roads shorter than this are not listed as "no hydrant" (lanes and stubs; our default).
DEFAULT_MIN_ROAD_M = 200.0
IN_SERVICE = "in_service"
# Hydrant status as people write it in a CSV (the records' labels), to the stored codes.
STATUS_ALIASES = {"完好": IN_SERVICE, "正常": IN_SERVICE, "损坏": "damaged", "停用": "out_of_service"}


@dataclass
class WaterParams:
    """GB 50974-2014 7.2.5 figures and our thresholds, all changeable."""

    # None: the settings BRIGADE_HYDRANT_RADIUS_M, _SPACING_M, _MAX_SNAP_M, _CHECK_DAYS
    radius_m: float | None = None
    spacing_m: float | None = None
    max_snap_m: float | None = None
    check_days: int | None = None
    min_road_m: float = DEFAULT_MIN_ROAD_M
    split_crossings: bool = False  # join GeoJSON lines crossing without a shared vertex

    def __post_init__(self):
        for name in ("radius_m", "spacing_m", "max_snap_m", "check_days"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(settings, f"BRIGADE_HYDRANT_{name.upper()}"))
        if self.radius_m <= 0 or self.spacing_m <= 0:
            raise PlanningError("保护半径和间距必须为正数。")


def analyse_hydrants(network: RoadNetwork, names: list[str], lon, lat, status: list[str], params: WaterParams,
                     *, road_names: list[str] = ()) -> tuple[dict, EdgeIntervals]:
    """Gaps, spacing and roads without hydrant for hydrants given as arrays; also the gap intervals."""
    check_points_in_extent(network, lon, lat, names=names, what="消火栓", max_snap_m=params.max_snap_m)
    placed = place_hydrants(network, lon, lat, max_snap_m=params.max_snap_m)
    working = np.asarray([status[i] == IN_SERVICE for i in placed.index], dtype=bool)
    gaps = protection_gaps(network, Sources(placed.snapped.take(working), np.zeros(int(working.sum()))),
                           radius_m=params.radius_m)
    gap_m = float((gaps.fraction_per_edge(network.edge_count) * network.edge_length_m).sum())
    total_m = float(network.edge_length_m.sum())
    spacing = spacing_violations(network, placed.snapped.take(working), spacing_m=params.spacing_m)
    in_service_names = [names[i] for i in placed.index[working]]
    for row in spacing:
        row["a"], row["b"] = in_service_names[row["a"]], in_service_names[row["b"]]
    no_hydrant = roads_without_hydrant(network, placed.snapped, hydrant_road_names=road_names,
                                       min_length_m=params.min_road_m)
    return {
        "summary": {
            "hydrants": len(names), "hydrants_on_network": len(placed.index),
            "hydrants_in_service_on_network": int(working.sum()),
            "road_length_m": round(total_m, 1), "gap_length_m": round(gap_m, 1),
            "gap_share": round(gap_m / total_m, 4) if total_m else None,
            "spacing_violations": len(spacing), "roads_without_hydrant": len(no_hydrant),
            "radius_m": params.radius_m, "spacing_m": params.spacing_m,
        },
        "gaps_by_road": gaps_by_road(network, gaps, min_gap_m=0.5),
        "spacing_violations": spacing,
        "roads_without_hydrant": no_hydrant,
        "off_network": [names[i] for i in placed.off_network],
    }, gaps


def water_from_files(network_path: str, hydrants_csv: str, params: WaterParams) -> dict:
    """Water analysis of a network file and a hydrants CSV (``code,lon,lat[,status]``)."""
    network = load_network(network_path, speeds_kph=road_speeds_kph(), split_crossings=params.split_crossings)
    table = read_points_csv(hydrants_csv, what="消火栓")
    raw = table.extra.get("status") or table.extra.get("状态") or [""] * len(table)
    status = [STATUS_ALIASES.get(s.strip(), s.strip()) or IN_SERVICE for s in raw]
    return analyse_hydrants(network, table.names, table.lon, table.lat, status, params)[0]


def water_from_records(params: WaterParams, *, today: dt.date | None = None, brigade=None) -> dict:
    """Water analysis of the stored roads, hydrants and water sources (of one brigade, or all)."""
    from brigade.resources.models import Hydrant, WaterSource, WaterSourceKind

    today = today or dt.date.today()
    network = stored_network(brigade=brigade)
    hydrants = located(of_brigade(Hydrant.objects.all(), brigade), "code", "status", "road_name")
    result, gaps = analyse_hydrants(network, hydrants.names, hydrants.lon, hydrants.lat, hydrants.extra["status"],
                              params, road_names=hydrants.extra["road_name"])
    # Condition is about every hydrant, located or not.
    rows = list(of_brigade(Hydrant.objects.all(), brigade).values_list("code", "status", "last_checked_on"))
    result["condition"] = hydrant_condition(
        [r[0] for r in rows], [r[1] for r in rows],
        [None if r[2] is None else (today - r[2]).days for r in rows], max_days=params.check_days,
    )
    areas = stored_areas(brigade)
    usable = of_brigade(WaterSource.objects.filter(kind=WaterSourceKind.INTAKE_POINT, is_usable=True), brigade)
    intake = located(usable, "name")
    area_of = areas.locate(intake.lon, intake.lat, intake.street_id) if len(intake) else np.zeros(0, dtype=np.int64)
    unlocated = usable.filter(lon__isnull=True)
    extra_area = areas.index_of_ids(np.asarray([s for s in unlocated.values_list("street_id", flat=True)
                                                if s is not None], dtype=np.int64))
    result["intake_points"] = intake_points_by_area(areas.names, areas.area_km2, np.r_[area_of, extra_area])
    # Gap length per street, by the boundary holding each edge's midpoint.
    edge_area = edge_areas(network, areas)
    gap_m = gaps.fraction_per_edge(network.edge_count) * network.edge_length_m
    ok = edge_area >= 0
    per = np.bincount(edge_area[ok], weights=gap_m[ok], minlength=len(areas.names))
    tot = np.bincount(edge_area[ok], weights=network.edge_length_m[ok], minlength=len(areas.names))
    result["streets"] = [{"name": n, "road_length_m": round(float(tot[i]), 1), "gap_length_m": round(float(per[i]), 1)}
                         for i, n in enumerate(areas.names)]
    return result


def _condition(hydrants, params: WaterParams, today: dt.date | None) -> dict:
    """Damaged, stopped and long-unchecked hydrants of ``hydrants`` (a brigade's), located or not."""
    today = today or dt.date.today()
    rows = list(hydrants.values_list("code", "status", "last_checked_on"))
    return hydrant_condition([r[0] for r in rows], [r[1] for r in rows],
                             [None if r[2] is None else (today - r[2]).days for r in rows], max_days=params.check_days)


def water_run(*, params: WaterParams | None = None, name: str = "", save: bool = True, brigade=None):
    """Run the water analysis on one brigade's records and store it as an AnalysisRun of that brigade
    (service). ``brigade``: a Brigade or its name (None: the only brigade)."""
    from brigade.planning.models import AnalysisKind, AnalysisRun

    brigade = analysis_brigade(brigade)
    params = params or WaterParams()
    started = time.perf_counter()
    try:
        result = water_from_records(params, brigade=brigade)
    except AnalysisError as exc:
        raise PlanningError(str(exc)) from exc
    run = AnalysisRun(kind=AnalysisKind.WATER, name=name, params=asdict(params), summary=result["summary"],
                      result=result, seconds=time.perf_counter() - started, brigade=brigade)
    if save:
        run.save()
    return run


# ---------------------------------------------------------------------------------------------
# Findings (report Part 2, Q3)


@finding_provider("water.supply")
def water_findings(period, scope) -> list[Finding]:
    """Named roads without hydrants, protection gaps, spacing, hydrant condition, intake points."""
    from brigade.resources.models import Hydrant, Road

    if not Road.objects.exists() and not Hydrant.objects.exists():
        return []
    if partial(scope) and not in_scope_brigades(Road.objects.all(), scope).exists():
        return []  # the brigades keep no road network of their own: no analysis along it
    params = WaterParams()
    # One brigade of many is analysed on its own records, as its saved analyses are; a set of
    # brigades is read off the whole network, keeping to their hydrants and streets.
    own = analysed_brigade(scope)
    try:
        result = water_from_records(params, today=getattr(period, "end", None), brigade=own)
    except (PlanningError, AnalysisError):
        return []
    whole = scope is None or scope.everything or own is not None  # a whole road network: the analysis's
    if partial(scope) and own is None:  # some brigades of many: their hydrants and streets only
        result["condition"] = _condition(in_scope_brigades(Hydrant.objects.all(), scope), params,
                                         getattr(period, "end", None))
    found: list[Finding] = []
    # Municipal hydrants line the streets of built-up areas; country roads and expressways rely on
    # natural sources and tankers, so they are counted apart instead of heading the list.
    classes = dict(Road.objects.values_list("name", "road_class"))
    open_road = lambda name: classes.get(name) in OPEN_ROAD_CLASSES  # noqa: E731
    all_roads = result["roads_without_hydrant"]
    roads = [r for r in all_roads if not open_road(r["road"])]
    if roads and whole:
        listed = "、".join(f"{r['road']}（{r['length_m'] / 1000:.1f}公里）" for r in roads[:5])
        rest = len(all_roads) - len(roads)
        found.append(Finding(
            code="water.roads_without_hydrant", severity="high", part="Q3",
            statement=(f"城区和镇区有{len(roads)}条道路没有市政消火栓：{listed}{'等' if len(roads) > 5 else ''}。"
                       + (f"另有{rest}条乡村道路和快速路没有市政消火栓。" if rest else "")),
            metrics={"roads_without_hydrant": len(roads), "open_roads_without_hydrant": rest},
            evidence=[{"道路": r["road"], "长度（米）": r["length_m"]} for r in all_roads],
        ))
    summ = result["summary"]
    if summ["gap_length_m"] > 0 and whole:
        gap_of = {r["road"]: r["gap_m"] for r in result["gaps_by_road"]}
        built_gap = sum(m for name, m in gap_of.items() if not open_road(name))
        built_len = float(sum(length for name, length in Road.objects.values_list("name", "length_m")
                              if not open_road(name)))
        built_share = built_gap / built_len if built_len else 0.0
        statement = (f"按消火栓保护半径{params.radius_m:g}米（GB 50974-2014 第7.2.5条）沿道路计算，"
                     f"城区和镇区道路中有{built_gap / 1000:.1f}公里（{100 * built_share:.1f}%）"
                     "不在任何完好消火栓的保护范围内")
        statement += (f"；全辖区（含乡村道路和快速路）为{summ['gap_length_m'] / 1000:.1f}公里"
                      f"（{100 * (summ['gap_share'] or 0):.1f}%）。" if built_len and classes else "。")
        found.append(Finding(
            code="water.protection_gaps", severity="medium" if built_share < 0.3 else "high",
            part="Q3", statement=statement,
            metrics={"gap_length_m": summ["gap_length_m"], "gap_share": summ["gap_share"] or 0.0,
                     "built_up_gap_length_m": round(built_gap, 1), "built_up_gap_share": round(built_share, 4),
                     "gap_km": round(summ["gap_length_m"] / 1000, 1), "built_up_gap_km": round(built_gap / 1000, 1)},
            evidence=[{"道路": r["road"], "未覆盖长度（米）": r["gap_m"]} for r in result["gaps_by_road"][:30]],
        ))
    if summ["spacing_violations"] and whole:
        found.append(Finding(
            code="water.spacing", severity="medium", part="Q3",
            statement=f"有{summ['spacing_violations']}处相邻消火栓沿道路间距超过{params.spacing_m:g}米。",
            metrics={"spacing_violations": summ["spacing_violations"]},
            evidence=[{"道路": r["road"], "消火栓": f"{r['a']}—{r['b']}", "间距（米）": round(r["distance_m"], 1)}
                      for r in result["spacing_violations"][:30]],
        ))
    cond = result["condition"]
    if cond["not_in_service"] or cond["unchecked"]:
        found.append(Finding(
            code="water.hydrant_condition", severity="medium", part="Q3",
            statement=(f"有{len(cond['not_in_service'])}个消火栓损坏或停用，"
                       f"{len(cond['unchecked'])}个超过{params.check_days}天未检查。"),
            metrics={"not_in_service": len(cond["not_in_service"]), "unchecked": len(cond["unchecked"])},
            evidence=[{"编号": r["code"], "状态": r["status"]} for r in cond["not_in_service"]]
            + [{"编号": r["code"], "距上次检查（天）": r["days_since_check"]} for r in cond["unchecked"]],
        ))
    intake = result["intake_points"]
    if scope is not None and getattr(scope, "kind", "") == "street":
        intake = [r for r in intake if r["area"] == scope.name]
    if partial(scope):
        from brigade.org.models import Street

        names = set(in_scope_brigades(Street.objects.all(), scope).values_list("name", flat=True))
        intake = [r for r in intake if r["area"] in names]
    none = [r["area"] for r in intake if r["intake_points"] == 0]
    if none:
        found.append(Finding(
            code="water.no_intake_point", severity="medium", part="Q3",
            statement=f"{'、'.join(none)}没有可用的天然水源取水点。",
            metrics={"streets_without_intake": len(none)},
            evidence=[{"镇街": n} for n in none],
        ))
    return found
