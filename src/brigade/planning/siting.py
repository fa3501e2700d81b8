"""Station and hydrant siting on the stored district: records → arrays → analysis → a stored run and findings.

The analysis itself lives in :mod:`brigade.analysis.siting` (pure arrays). Here we gather demand
(incident history, key units, units, road length by street), candidates (network nodes on main
roads or a user list, away from hazardous sites), travel times over the road network, run the
model and save an :class:`~brigade.planning.models.AnalysisRun` so scenarios can be compared.
"""

import csv
import hashlib
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings as config
from scipy.sparse.csgraph import dijkstra

from brigade.analysis import network as net
from brigade.analysis.siting import SitingError, lscp, mclp, pmedian, status_label
from brigade.analysis.siting.hydrants import SNAP_M, plan_hydrants
from brigade.analysis.siting.problem import check_time_limit
from brigade.planning.network_store import (
    PlanningError,
    analysis_brigade,
    of_brigade,
    siting_node_times,
    stored_network,
)


@dataclass
class SitingSettings:
    """Defaults a brigade may change; the standards' figures come from the settings (brigade/standards.yaml)."""

    # Reach the district edge within this of the dispatch order, turnout included (BRIGADE_COVERAGE_MINUTES).
    response_minutes: float = field(default_factory=lambda: config.BRIGADE_COVERAGE_MINUTES)
    turnout_s: float = field(default_factory=lambda: config.BRIGADE_TURNOUT_S)
    # Site rule: a station stays this far from hazardous-material sites (BRIGADE_SITING_HAZARD_BUFFER_M).
    hazard_buffer_m: float = field(default_factory=lambda: config.BRIGADE_SITING_HAZARD_BUFFER_M)
    # Demand weights: per incident category, per unit, per km of road. Local settings (本地设定).
    incident_weights: dict = field(default_factory=lambda: {
        "fire": 3.0, "rescue": 2.0, "assistance": 1.0, "duty": 0.5, "false": 0.0})
    key_unit_weight: float = 5.0
    unit_weight: float = 1.0
    road_weight_per_km: float = 1.0
    # Candidate sites: network nodes on these road classes, one per grid cell of this size.
    candidate_road_classes: tuple = ("expressway", "arterial", "secondary")
    candidate_spacing_m: float = 200.0
    time_limit_s: float = 60.0


DEFAULTS = SitingSettings()
MODEL_LABELS = {"mclp": "最大覆盖（MCLP）", "lscp": "最少站点全覆盖（LSCP）", "pmedian": "平均出警时间最短（p-中位）"}


@dataclass
class Demand:
    lon: np.ndarray
    lat: np.ndarray
    weight: np.ndarray
    kind: list  # "incident" | "key_unit" | "unit" | "road"
    street: list  # street name or "未划定镇街"


@dataclass
class Candidates:
    name: list
    lon: np.ndarray
    lat: np.ndarray


NO_STREET = "未划定镇街"
# The optimal 1..p curve is solved for p up to this many new stations.
MAX_CURVE_P = 10


# ----------------------------------------------------------------------------------------- inputs


def _street_of_points(lon, lat, brigade=None) -> list:
    """Street name for each point by the streets' stored boundaries (GeoJSON), else 未划定镇街."""
    import shapely
    from shapely.geometry import shape

    from brigade.org.models import Street

    names = [NO_STREET] * len(lon)
    pts = shapely.points(np.asarray(lon), np.asarray(lat))
    for street in of_brigade(Street.objects.exclude(boundary=None), brigade):
        try:
            geom = shape(street.boundary.get("geometry", street.boundary))
        except (AttributeError, ValueError, TypeError, KeyError):
            continue
        inside = shapely.contains(geom, pts)
        for i in np.flatnonzero(inside):
            if names[i] == NO_STREET:
                names[i] = street.name
    return names


def gather_demand(settings: SitingSettings = DEFAULTS, *, period=None, network: net.RoadNetwork | None = None,
                  include=("incident", "key_unit", "unit", "road"), brigade=None) -> Demand:
    """Demand points with weights: incidents (by category), key units, other units, road length
    (of one brigade, or of the whole database)."""
    from brigade.response.models import Incident
    from brigade.units.models import SocialUnit

    lon, lat, weight, kind, street = [], [], [], [], []
    if "incident" in include:
        qs = of_brigade(Incident.objects.exclude(lon=None), brigade).select_related("street")
        if period is not None:
            qs = qs.filter(received_at__date__gte=period.start, received_at__date__lte=period.end)
        for inc in qs:
            wgt = float(settings.incident_weights.get(inc.category, 1.0))
            if wgt > 0:
                lon.append(inc.lon), lat.append(inc.lat), weight.append(wgt), kind.append("incident")
                street.append(inc.street.name if inc.street else NO_STREET)
    if "key_unit" in include or "unit" in include:
        for u in of_brigade(SocialUnit.objects.exclude(lon=None), brigade).select_related("street"):
            k = "key_unit" if u.is_key_unit else "unit"
            wgt = settings.key_unit_weight if u.is_key_unit else settings.unit_weight
            if k in include and wgt > 0:
                lon.append(u.lon), lat.append(u.lat), weight.append(wgt), kind.append(k), street.append(u.street.name)
    if "road" in include and network is not None and settings.road_weight_per_km > 0:
        # each edge's midpoint stands for its length of road
        mid_lon = (network.node_lon[network.edge_u] + network.node_lon[network.edge_v]) / 2
        mid_lat = (network.node_lat[network.edge_u] + network.node_lat[network.edge_v]) / 2
        names = _street_of_points(mid_lon, mid_lat, brigade)
        for i in range(network.edge_count):
            lon.append(mid_lon[i]), lat.append(mid_lat[i]), kind.append("road"), street.append(names[i])
            weight.append(network.edge_length_m[i] / 1000.0 * settings.road_weight_per_km)
    if not lon:
        raise PlanningError("没有带坐标的需求点（警情、社会单位或道路），无法进行选址分析。")
    return Demand(np.asarray(lon, float), np.asarray(lat, float), np.asarray(weight, float), kind, street)


def read_candidates_csv(path) -> Candidates:
    """A user's candidate list: a CSV with columns name,lon,lat (header required)."""
    p = Path(path)
    if not p.exists():
        raise PlanningError(f"候选站点文件 {path} 不存在。")
    names, lon, lat = [], [], []
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"name", "lon", "lat"} <= {f.strip() for f in reader.fieldnames}:
            raise PlanningError(f"候选站点文件 {path} 应有表头 name,lon,lat。")
        for line, row in enumerate(reader, start=2):
            try:
                x, y = float(row["lon"]), float(row["lat"])
            except (TypeError, ValueError):
                raise PlanningError(f"候选站点文件第 {line} 行的经纬度不是数字。") from None
            if not (math.isfinite(x) and math.isfinite(y)) or abs(x) > 180 or abs(y) > 90:
                raise PlanningError(f"候选站点文件第 {line} 行的经纬度超出范围。")
            names.append((row.get("name") or f"候选{line - 1}").strip()), lon.append(x), lat.append(y)
    if not names:
        raise PlanningError(f"候选站点文件 {path} 中没有候选站点。")
    return Candidates(names, np.asarray(lon), np.asarray(lat))


def network_candidates(network: net.RoadNetwork, settings: SitingSettings = DEFAULTS) -> Candidates:
    """Nodes on main roads, thinned to one per grid cell of ``candidate_spacing_m``."""
    main = np.isin(network.road_class[network.edge_road], list(settings.candidate_road_classes))
    nodes = np.unique(np.concatenate([network.edge_u[main], network.edge_v[main]]))
    if not len(nodes):
        raise PlanningError("路网中没有主要道路（快速路、主干路、次干路）上的节点可作候选站点：请用 --candidates 提供候选站点。")
    x, y = network.node_xy_m
    cell = np.floor(np.stack([x[nodes], y[nodes]], 1) / settings.candidate_spacing_m).astype(np.int64)
    _, first = np.unique(cell, axis=0, return_index=True)
    nodes = nodes[np.sort(first)]
    return Candidates([f"节点{int(n)}" for n in nodes], network.node_lon[nodes], network.node_lat[nodes])


def exclude_near_hazards(cands: Candidates, settings: SitingSettings = DEFAULTS) -> tuple[Candidates, list]:
    """Drop candidates within ``hazard_buffer_m`` of a hazardous-material site (易燃易爆危险品场所).

    Every brigade's sites count: a site across the brigade's boundary is as near as one inside it."""
    from brigade.units.models import SiteCategory, SocialUnit

    hz = list(SocialUnit.objects.filter(site_category=SiteCategory.HAZMAT).exclude(lon=None).values_list("lon", "lat"))
    if not hz or settings.hazard_buffer_m <= 0:
        return cands, []
    hz = np.asarray(hz, float)
    d = net.haversine_m(cands.lon[:, None], cands.lat[:, None], hz[None, :, 0], hz[None, :, 1]).min(axis=1)
    ok = d >= settings.hazard_buffer_m
    dropped = [cands.name[i] for i in np.flatnonzero(~ok)]
    kept = Candidates([cands.name[i] for i in np.flatnonzero(ok)], cands.lon[ok], cands.lat[ok])
    if not kept.name:
        raise PlanningError(f"全部候选站点都在危险品场所 {settings.hazard_buffer_m:.0f} 米范围内，没有可用的候选站点。")
    return kept, dropped


def travel_times(network: net.RoadNetwork, src_lon, src_lat, dst_lon, dst_lat, *, start_s: float,
                 limit_s: float = np.inf) -> np.ndarray:
    """(n_dst, n_src) travel seconds over the network: start time, off-road legs at both ends, exact on edges.

    Each source is snapped on an edge and searched from both edge ends, so the time is exact along
    the edge. With a finite ``limit_s`` the node-to-node times come from the many-to-many search
    cached with the network (:func:`siting_node_times`); entries beyond the limit are ``inf``.
    """
    off = net.kph_to_mps(config.BRIGADE_OFFROAD_SPEED_KPH)
    src = network.snap(src_lon, src_lat)
    dst = network.snap(dst_lon, dst_lat)
    w = network.edge_travel_time_s
    su, sv = network.edge_u[src.edge], network.edge_v[src.edge]
    ends = np.unique(np.concatenate([su, sv]))
    if np.isfinite(limit_s):
        times = siting_node_times(network, ends, limit_s)
        node_row = times.row
    else:
        dist = dijkstra(network.csr("time"), directed=False, indices=ends)
        node_row = dist.__getitem__
    pos = {int(n): k for k, n in enumerate(ends)}
    ws = w[src.edge]
    du, dv = network.edge_u[dst.edge], network.edge_v[dst.edge]
    wd = w[dst.edge]
    out = np.empty((len(dst), len(src)))
    for j in range(len(src)):
        a = node_row(pos[int(su[j])]) + src.fraction[j] * ws[j]  # via the source edge's u end
        b = node_row(pos[int(sv[j])]) + (1 - src.fraction[j]) * ws[j]
        node = np.minimum(a, b)
        cost = np.minimum(node[du] + dst.fraction * wd, node[dv] + (1 - dst.fraction) * wd)
        same = dst.edge == src.edge[j]  # on the same edge: straight along it
        cost[same] = np.minimum(cost[same], np.abs(dst.fraction[same] - src.fraction[j]) * wd[same])
        out[:, j] = cost
    return out + start_s + src.offroad_m[None, :] / off + dst.offroad_m[:, None] / off


# ------------------------------------------------------------------------------------------ run


def _by_street(demand: Demand, covered: np.ndarray) -> list[dict]:
    rows: dict[str, list[float]] = {}
    for s, wgt, c in zip(demand.street, demand.weight, covered, strict=True):
        r = rows.setdefault(s, [0.0, 0.0])
        r[0] += wgt
        r[1] += wgt if c else 0.0
    return [{"street": s, "weight": round(t, 3), "covered": round(c, 3), "share_pct": round(100 * c / t, 1) if t else 0.0}
            for s, (t, c) in sorted(rows.items())]


def _previous_run(run_id, brigade=None):
    """The saved station siting run (of the brigade) to continue from, or a PlanningError naming the id."""
    from brigade.planning.models import AnalysisKind, AnalysisRun

    run = AnalysisRun.objects.filter(pk=run_id).first()
    if run is not None and brigade is not None and run.brigade_id != brigade.pk:
        raise PlanningError(f"分析记录 #{run_id} 属于其他大队，不能为{brigade.name}续算。")
    if run is None:
        raise PlanningError(f"分析记录 #{run_id} 不存在，无法续算。")
    if run.kind != AnalysisKind.STATION_SITING:
        raise PlanningError(f"分析记录 #{run_id} 不是消防站选址方案，无法续算。")
    return run


def _fingerprint(*arrays) -> str:
    """A short hash of the instance: a saved bound is reused only when the data are the same."""
    h = hashlib.sha256()
    for a in arrays:
        if a is not None:
            h.update(np.ascontiguousarray(np.round(np.asarray(a, float), 6)).tobytes())
    return h.hexdigest()[:16]


def station_siting_run(*, model: str = "mclp", p: int | None = None, minutes: float | None = None,
                       candidates_csv=None, settings: SitingSettings = DEFAULTS, period=None, name: str = "",
                       save: bool = True, exact="auto", continue_from=None, brigade=None):
    """Run a station siting scenario on one brigade's stored district and save it as an AnalysisRun of
    that brigade (``brigade``: a Brigade or its name; None: the only brigade).

    ``continue_from`` (a run id) repeats a saved scenario (its model, p, minutes and candidate
    file) starting from its incumbent; when the data are unchanged its proven bound is kept too.
    Returns the saved run (or an unsaved instance when ``save`` is False).
    """
    from brigade.org.models import NON_AREA_KINDS, Station
    from brigade.planning.models import AnalysisKind, AnalysisRun

    t0 = time.perf_counter()
    try:  # refuse a bad time limit before any routing work
        check_time_limit(settings.time_limit_s)
    except SitingError as exc:
        raise PlanningError(str(exc)) from exc
    if continue_from is not None and brigade is None:
        brigade = _previous_run(continue_from).brigade  # continuing a scenario: its own brigade's
    brigade = analysis_brigade(brigade)
    previous = None
    if continue_from is not None:
        previous = _previous_run(continue_from, brigade)
        prm = previous.params
        model, p, minutes = prm.get("model", model), prm.get("p", p), prm.get("minutes", minutes)
        candidates_csv = prm.get("candidates_csv") or None
    if model not in MODEL_LABELS:
        raise PlanningError(f"未知的选址模型“{model}”：可用 mclp、lscp、pmedian。")
    if model in ("mclp", "pmedian") and p is None:
        raise PlanningError("最大覆盖和 p-中位模型需要用 --p 指定新建站数。")
    minutes = settings.response_minutes if minutes is None else float(minutes)
    if not minutes > 0:
        raise PlanningError(f"响应时间 {minutes} 分钟无效：应为正数。")
    radius_s = minutes * 60.0
    network = stored_network(brigade=brigade)
    demand = gather_demand(settings, period=period, network=network, brigade=brigade)
    cands = read_candidates_csv(candidates_csv) if candidates_csv else network_candidates(network, settings)
    cands, dropped = exclude_near_hazards(cands, settings)
    stations = list(of_brigade(Station.objects.exclude(lon=None).exclude(kind__in=NON_AREA_KINDS), brigade)
                    .order_by("name"))
    limit = np.inf if model == "pmedian" else radius_s + 1.0
    start = None
    if previous is not None:
        index = {nm: j for j, nm in enumerate(cands.name)}
        start = [index[c["name"]] for c in previous.summary.get("selected", []) if c["name"] in index]
    try:
        costs = travel_times(network, cands.lon, cands.lat, demand.lon, demand.lat, start_s=settings.turnout_s,
                             limit_s=limit)
        existing = None
        if stations:
            existing = travel_times(network, [s.lon for s in stations], [s.lat for s in stations], demand.lon,
                                    demand.lat, start_s=settings.turnout_s, limit_s=limit)
        if model == "mclp":
            res = mclp((costs <= radius_s), demand.weight, p, existing=None if existing is None else existing <= radius_s,
                       time_limit_s=settings.time_limit_s, exact=exact, start=start)
        elif model == "lscp":
            res = lscp((costs <= radius_s), existing=None if existing is None else existing <= radius_s,
                       weights=demand.weight, time_limit_s=settings.time_limit_s, exact=exact)
        else:
            res = pmedian(costs, demand.weight, p, existing_costs=existing, time_limit_s=settings.time_limit_s,
                          exact=exact, start=start)
    except (SitingError, net.NetworkError, net.SnapError) as exc:
        raise PlanningError(str(exc)) from exc

    fingerprint = _fingerprint(costs <= radius_s if model != "pmedian" else costs, demand.weight, existing)
    status, gap, bound = res.status, res.gap, res.bound
    if previous is not None and previous.summary.get("fingerprint") == fingerprint and status != "optimal":
        # same data: the earlier run's proven bound still holds; keep the tighter one
        old = previous.summary.get("bound")
        if old is not None:
            maximise = model == "mclp"
            bound = old if bound is None else (min(bound, old) if maximise else max(bound, old))
            diff = (bound - res.objective) if maximise else (res.objective - bound)
            gap = max(0.0, diff) / max(abs(res.objective), 1e-9)
            if gap < 1e-9:
                status, gap = "optimal", 0.0

    # the 1..p curve: the optimal objective with 1, 2, … p new stations (small p only)
    curve_values = []
    if model in ("mclp", "pmedian") and p <= MAX_CURVE_P:
        for k in range(1, p):
            if model == "mclp":
                r = mclp((costs <= radius_s), demand.weight, k,
                         existing=None if existing is None else existing <= radius_s,
                         time_limit_s=settings.time_limit_s, exact=exact)
            else:
                r = pmedian(costs, demand.weight, k, existing_costs=existing, time_limit_s=settings.time_limit_s,
                            exact=exact)
            curve_values.append(round(r.objective, 3))
        curve_values.append(round(res.objective, 3))

    # coverage before/after within the response time, whatever the model
    before = (existing <= radius_s).any(axis=1) if existing is not None else np.zeros(len(demand.weight), bool)
    after = before | (costs[:, res.selected] <= radius_s).any(axis=1)
    total = float(demand.weight.sum())
    chosen = [{"name": cands.name[j], "lon": round(float(cands.lon[j]), 6), "lat": round(float(cands.lat[j]), 6),
               "gain": round(float(g), 3)} for j, g in zip(res.selected, res.gains, strict=True)]
    summary = {
        "model": model, "model_label": MODEL_LABELS[model], "p": p, "minutes": minutes,
        "objective": res.as_dict()["objective"], "gap": gap, "status": status,
        "status_label": status_label(status, gap), "bound": None if bound is None else round(float(bound), 6),
        "fingerprint": fingerprint, "continued_from": previous.pk if previous is not None else None,
        "selected": chosen, "stations": len(stations), "candidates": len(cands.name),
        "candidates_excluded_near_hazards": len(dropped), "demand_points": len(demand.weight),
        "covered_before_pct": round(100 * float(demand.weight[before].sum()) / total, 1) if total else 0.0,
        "covered_after_pct": round(100 * float(demand.weight[after].sum()) / total, 1) if total else 0.0,
        "uncoverable": len(res.uncoverable),
    }
    result = {
        "by_street": [{**b, "covered_after": a["covered"], "share_after_pct": a["share_pct"]}
                      for b, a in zip(_by_street(demand, before), _by_street(demand, after), strict=True)],
        "solver": res.as_dict(),
        "curve": curve_values,
        "excluded_candidates": dropped[:200],
        "settings": {k: v for k, v in asdict(settings).items()},
    }
    params = {"model": model, "p": p, "minutes": minutes, "candidates_csv": str(candidates_csv or ""),
              "period": getattr(period, "key", None), "time_limit_s": settings.time_limit_s}
    default_name = f"{MODEL_LABELS[model]} p={p or '-'} {minutes:g}分钟"
    if previous is not None:
        default_name = f"{previous.name}（续算自 #{previous.pk}）"
    run = AnalysisRun(kind=AnalysisKind.STATION_SITING, name=name or default_name, brigade=brigade,
                      params=params, summary=summary, result=result, seconds=time.perf_counter() - t0)
    if save:
        run.save()
    return run


def hydrant_siting_run(*, radius_m: float | None = None, spacing_m: float | None = None, snap_m: float = SNAP_M,
                       name: str = "", save: bool = True, brigade=None):
    """Fewest new hydrants along one brigade's stored roads (GB 50974-2014 7.2.5), saved as an
    AnalysisRun of that brigade (``brigade``: a Brigade or its name; None: the only brigade).

    ``radius_m`` and ``spacing_m`` default to the settings BRIGADE_HYDRANT_RADIUS_M and _SPACING_M."""
    radius_m = config.BRIGADE_HYDRANT_RADIUS_M if radius_m is None else radius_m
    spacing_m = config.BRIGADE_HYDRANT_SPACING_M if spacing_m is None else spacing_m
    from brigade.planning.models import AnalysisKind, AnalysisRun
    from brigade.resources.models import Hydrant, HydrantStatus, Road

    t0 = time.perf_counter()
    brigade = analysis_brigade(brigade)
    roads = list(of_brigade(Road.objects.all(), brigade))
    if not roads:
        raise PlanningError("数据库中没有道路数据，无法布置消火栓：请先导入道路。")
    lon0 = float(np.mean([c[0] for r in roads for c in r.coordinates]))
    lat0 = float(np.mean([c[1] for r in roads for c in r.coordinates]))
    proj = net.LocalProjection(lon0, lat0)
    lines = []
    for r in roads:
        arr = np.asarray(r.coordinates, float)
        x, y = proj.to_xy(arr[:, 0], arr[:, 1])
        lines.append(np.stack([x, y], 1))
    # Hydrants across the boundary serve its roads too, but each brigade plans (and builds) its own.
    hyd = list(of_brigade(Hydrant.objects.filter(status=HydrantStatus.IN_SERVICE).exclude(lon=None), brigade)
               .values_list("lon", "lat"))
    pts = None
    if hyd:
        h = np.asarray(hyd, float)
        hx, hy = proj.to_xy(h[:, 0], h[:, 1])
        pts = np.stack([hx, hy], 1)
    try:
        plan = plan_hydrants(lines, pts, names=[r.name for r in roads], radius_m=radius_m, spacing_m=spacing_m,
                             snap_m=snap_m)
    except SitingError as exc:
        raise PlanningError(str(exc)) from exc
    data = plan.as_dict()
    for road in data["roads"]:
        if road["new_positions"]:
            xs, ys = np.asarray(road["new_positions"], float).T
            lo, la = proj.to_lonlat(xs, ys)
            road["new_positions"] = [[round(float(a), 7), round(float(b), 7)] for a, b in zip(lo, la, strict=True)]
    gaps = [r for r in data["roads"] if r["new"]]
    summary = {"new_hydrants": plan.new_count, "roads": len(roads), "roads_with_gaps": len(gaps),
               "existing_in_service": len(hyd), "radius_m": radius_m, "spacing_m": spacing_m,
               "worst_roads": [{"name": r["name"], "length_m": r["length_m"], "new": r["new"]}
                               for r in sorted(gaps, key=lambda r: -r["new"])[:10]]}
    run = AnalysisRun(kind=AnalysisKind.HYDRANT_SITING, name=name or f"消火栓补建 {radius_m:g}米/{spacing_m:g}米",
                      brigade=brigade,
                      params={"radius_m": radius_m, "spacing_m": spacing_m, "snap_m": snap_m},
                      summary=summary, result=data, seconds=time.perf_counter() - t0)
    if save:
        run.save()
    return run
