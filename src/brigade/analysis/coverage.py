"""Station coverage: nearest-station travel times, shares reached in time, first-due zones, isochrones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from brigade.analysis.errors import AnalysisError
from brigade.analysis.intervals import EdgeIntervals, reach_intervals
from brigade.analysis.network import (
    DEFAULT_OFFROAD_SPEED_KPH,
    DEFAULT_TURNOUT_S,
    NearestSource,
    RoadNetwork,
    Snapped,
    Sources,
    nearest_source,
    point_costs,
    station_sources,
)

# Fallback for a caller that passes no figure; Brigade passes BRIGADE_COVERAGE_MINUTES
# (brigade/standards.yaml, 建标152-2017); tests/core/test_standards.py keeps the two equal.
DEFAULT_MINUTES = 5.0
DEFAULT_ISOCHRONE_MINUTES = (4.0, 5.0, 8.0)
# Half-width of the band drawn around reached roads when outlining an isochrone, metres.
DEFAULT_ISOCHRONE_BUFFER_M = 60.0


@dataclass(frozen=True)
class Coverage:
    """Nearest-station travel time (turnout included) for every node, and the stations used."""

    network: RoadNetwork
    stations: Sources
    station_names: list[str]
    nodes: NearestSource

    @property
    def travel_time_s(self) -> np.ndarray:
        return self.nodes.cost

    @property
    def nearest_station(self) -> np.ndarray:
        return self.nodes.source

    def reached(self, limit_s: float) -> EdgeIntervals:
        """Parts of edges reached within ``limit_s`` seconds."""
        return reach_intervals(self.network, self.nodes, self.stations, limit_s)

    def edge_reached_fraction(self, limit_s: float) -> np.ndarray:
        """Share (0…1) of each edge reached within ``limit_s`` seconds."""
        return self.reached(limit_s).fraction_per_edge(self.network.edge_count)

    def points(self, snapped: Snapped, *, offroad_speed_kph: float = DEFAULT_OFFROAD_SPEED_KPH) -> NearestSource:
        """Travel time and nearest station for snapped points (units, incidents…)."""
        return point_costs(self.network, self.nodes, self.stations, snapped, offroad_speed_kph=offroad_speed_kph)

    def edge_worst_time_s(self) -> np.ndarray:
        """Latest arrival on each edge: where the runs from its two ends meet (stations on it ignored)."""
        cu = self.nodes.cost[self.network.edge_u]
        cv = self.nodes.cost[self.network.edge_v]
        w = self.network.edge_travel_time_s
        # Shortest-path costs differ by at most the edge's own time, so the runs meet inside it.
        return (cu + cv + w) / 2.0


def station_coverage(
    network: RoadNetwork,
    lon,
    lat,
    names: Sequence[str],
    *,
    turnout_s=DEFAULT_TURNOUT_S,
    offroad_speed_kph: float = DEFAULT_OFFROAD_SPEED_KPH,
    max_snap_m: float = 500.0,
) -> Coverage:
    """Snap stations and run one multi-source Dijkstra over travel time.

    Parameters
    ----------
    network : RoadNetwork
    lon, lat : station coordinates, degrees
    names : station names, used in messages and results
    turnout_s : turnout time, one value or one per station
    offroad_speed_kph : speed on the leg from the station to its road
    max_snap_m : stations farther than this from any road are refused
    """
    names = list(names)
    if not names:
        raise AnalysisError("没有消防站，无法计算覆盖范围。")
    sources = station_sources(network, lon, lat, names=names, turnout_s=turnout_s,
                              offroad_speed_kph=offroad_speed_kph, max_snap_m=max_snap_m)
    return Coverage(network, sources, names, nearest_source(network, sources))


@dataclass
class GroupShare:
    """What one area (street) has and how much of it is reached in time."""

    name: str
    road_length_m: float = 0.0
    reached_length_m: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    reached: dict[str, int] = field(default_factory=dict)
    stations: int = 0

    @property
    def road_share(self) -> float | None:
        return self.reached_length_m / self.road_length_m if self.road_length_m > 0 else None

    def share(self, kind: str) -> float | None:
        total = self.counts.get(kind, 0)
        return self.reached.get(kind, 0) / total if total else None

    def as_dict(self) -> dict:
        out = {
            "name": self.name,
            "stations": self.stations,
            "road_length_m": round(self.road_length_m, 1),
            "reached_length_m": round(self.reached_length_m, 1),
            "road_share": None if self.road_share is None else round(self.road_share, 4),
        }
        for kind in self.counts:
            out[f"{kind}_total"] = self.counts[kind]
            out[f"{kind}_reached"] = self.reached.get(kind, 0)
            share = self.share(kind)
            out[f"{kind}_share"] = None if share is None else round(share, 4)
        return out


def shares_by_group(
    group_names: Sequence[str],
    edge_group: np.ndarray,
    edge_length_m: np.ndarray,
    edge_reached_fraction: np.ndarray,
    *,
    points: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None,
    limit_s: float,
    station_group: np.ndarray | None = None,
) -> list[GroupShare]:
    """Per area: road length and share reached, and for each point kind the count reached.

    Parameters
    ----------
    group_names : area names; index i is group i
    edge_group : (m,) area index of each edge, -1 outside every area
    edge_length_m, edge_reached_fraction : (m,)
    points : kind → (group index per point, travel time per point in s)
    limit_s : the time limit
    station_group : area index of each station, to count stations inside
    """
    k = len(group_names)
    inside = edge_group >= 0
    total = np.bincount(edge_group[inside], weights=edge_length_m[inside], minlength=k)
    reached = np.bincount(edge_group[inside], weights=(edge_length_m * edge_reached_fraction)[inside], minlength=k)
    rows = [GroupShare(str(name), float(total[i]), float(reached[i])) for i, name in enumerate(group_names)]
    for kind, (group, time_s) in (points or {}).items():
        group = np.asarray(group, dtype=np.int64)
        ok = group >= 0
        n_all = np.bincount(group[ok], minlength=k)
        n_in = np.bincount(group[ok & (np.asarray(time_s) <= limit_s)], minlength=k)
        for i, row in enumerate(rows):
            row.counts[kind] = int(n_all[i])
            row.reached[kind] = int(n_in[i])
    if station_group is not None:
        sg = np.asarray(station_group, dtype=np.int64)
        n_st = np.bincount(sg[sg >= 0], minlength=k)
        for i, row in enumerate(rows):
            row.stations = int(n_st[i])
    return rows


def assign_to_areas(lon, lat, areas: Sequence[dict | None]) -> np.ndarray:
    """Index of the area (GeoJSON Polygon/MultiPolygon geometry) holding each point, -1 for none."""
    import shapely
    from shapely.geometry import shape

    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    out = np.full(len(lon), -1, dtype=np.int64)
    for i, geom in enumerate(areas):
        if not geom:
            continue
        try:
            poly = shape(geom.get("geometry", geom) if geom.get("type") == "Feature" else geom)
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
            raise AnalysisError(f"第 {i + 1} 个区域边界不是有效的 GeoJSON 面：{exc}") from exc
        hit = shapely.contains_xy(poly, lon, lat) & (out < 0)
        out[hit] = i
    return out


def worst_edges(coverage: Coverage, *, count: int = 10, limit_s: float | None = None) -> list[dict]:
    """The roads reached last: the worst point of each of the ``count`` worst edges."""
    net = coverage.network
    worst = coverage.edge_worst_time_s()
    finite = np.isfinite(worst)
    order = np.argsort(-np.where(finite, worst, -1.0))
    rows, seen = [], set()
    for e in order:
        if not finite[e] or (limit_s is not None and worst[e] <= limit_s):
            break
        name = str(net.road_name[net.edge_road[e]]) or "（无名道路）"
        if name in seen:
            continue
        seen.add(name)
        u, v = net.edge_u[e], net.edge_v[e]
        rows.append({
            "road": name,
            "lon": round(float((net.node_lon[u] + net.node_lon[v]) / 2), 6),
            "lat": round(float((net.node_lat[u] + net.node_lat[v]) / 2), 6),
            "travel_time_s": round(float(worst[e]), 1),
            "nearest_station": _station_name(coverage, coverage.nodes.source[u]),
        })
        if len(rows) == count:
            break
    return rows


def _station_name(coverage: Coverage, index) -> str | None:
    return coverage.station_names[int(index)] if index >= 0 else None


def summary(coverage: Coverage, limit_s: float) -> dict:
    """Headline figures: nodes and road length reached within the limit, per station counts."""
    net = coverage.network
    t = coverage.travel_time_s
    frac = coverage.edge_reached_fraction(limit_s)
    total = float(net.edge_length_m.sum())
    reached_len = float((net.edge_length_m * frac).sum())
    per_station = np.bincount(coverage.nearest_station[coverage.nearest_station >= 0],
                              minlength=len(coverage.station_names))
    finite = t[np.isfinite(t)]
    return {
        "minutes": limit_s / 60.0,
        "nodes": net.node_count,
        "nodes_reached": int((t <= limit_s).sum()),
        "nodes_unreachable": int((~np.isfinite(t)).sum()),
        "road_length_m": round(total, 1),
        "reached_length_m": round(reached_len, 1),
        "road_share": round(reached_len / total, 4) if total else None,
        "travel_time_s_p50": round(float(np.percentile(finite, 50)), 1) if len(finite) else None,
        "travel_time_s_p90": round(float(np.percentile(finite, 90)), 1) if len(finite) else None,
        "travel_time_s_max": round(float(finite.max()), 1) if len(finite) else None,
        "stations": [
            {"name": name, "nodes_first_due": int(per_station[i]),
             "snap_distance_m": round(float(coverage.stations.snapped.offroad_m[i]), 1)}
            for i, name in enumerate(coverage.station_names)
        ],
    }


def _edge_pieces_xy(net: RoadNetwork, intervals: EdgeIntervals) -> np.ndarray:
    """(k, 2, 2) segment coordinates in metres for the given edge intervals."""
    x, y = net.node_xy_m
    e = intervals.edge
    ux, uy, vx, vy = x[net.edge_u[e]], y[net.edge_u[e]], x[net.edge_v[e]], y[net.edge_v[e]]
    a = np.stack([ux + (vx - ux) * intervals.lo, uy + (vy - uy) * intervals.lo], 1)
    b = np.stack([ux + (vx - ux) * intervals.hi, uy + (vy - uy) * intervals.hi], 1)
    return np.stack([a, b], 1)


def _outline(net: RoadNetwork, pieces: np.ndarray, buffer_m: float):
    """Buffer road pieces, dissolve them, return the geometry in lon/lat."""
    import shapely

    if not len(pieces):
        return shapely.Polygon()
    lines = shapely.linestrings(pieces)
    merged = shapely.union_all(shapely.buffer(lines, buffer_m, quad_segs=2))
    merged = shapely.simplify(merged, buffer_m / 4)
    proj = net.projection
    return shapely.transform(merged, lambda xy: np.stack(proj.to_lonlat(xy[:, 0], xy[:, 1]), 1))


def isochrones_geojson(
    coverage: Coverage,
    minutes: Sequence[float] = DEFAULT_ISOCHRONE_MINUTES,
    *,
    buffer_m: float = DEFAULT_ISOCHRONE_BUFFER_M,
) -> dict:
    """Outlines of the area reached within each time (a band of ``buffer_m`` around reached roads).

    Returns
    -------
    GeoJSON FeatureCollection, one (Multi)Polygon per time, largest first so smaller ones draw on top.
    """
    import shapely

    feats = []
    for minute in sorted(minutes, reverse=True):
        pieces = _edge_pieces_xy(coverage.network, coverage.reached(minute * 60.0))
        geom = _outline(coverage.network, pieces, buffer_m)
        feats.append({
            "type": "Feature",
            "properties": {"minutes": minute, "label": f"{minute:g} 分钟可达"},
            "geometry": shapely.geometry.mapping(geom) if not geom.is_empty else None,
        })
    return {"type": "FeatureCollection", "features": feats}


def first_due_zones_geojson(coverage: Coverage, *, buffer_m: float = DEFAULT_ISOCHRONE_BUFFER_M) -> dict:
    """First-due zone (责任区) of each station: the roads it reaches first, outlined."""
    import shapely

    net = coverage.network
    # Split every edge where the runs from its two ends meet; each half belongs to that end's station.
    cu = coverage.nodes.cost[net.edge_u]
    cv = coverage.nodes.cost[net.edge_v]
    w = net.edge_travel_time_s
    with np.errstate(divide="ignore", invalid="ignore"):
        meet = np.clip(np.where(w > 0, (cv - cu + w) / (2 * w), 0.5), 0.0, 1.0)
    meet = np.where(np.isfinite(meet), meet, np.where(np.isfinite(cu), 1.0, 0.0))
    su, sv = coverage.nodes.source[net.edge_u], coverage.nodes.source[net.edge_v]
    e = np.arange(net.edge_count)
    half = EdgeIntervals(np.concatenate([e, e]), np.concatenate([np.zeros_like(meet), meet]),
                         np.concatenate([meet, np.ones_like(meet)]))
    owner = np.concatenate([su, sv])
    pieces = _edge_pieces_xy(net, half)
    feats = []
    for i, name in enumerate(coverage.station_names):
        mine = (owner == i) & (half.hi > half.lo)
        geom = _outline(net, pieces[mine], buffer_m)
        feats.append({
            "type": "Feature",
            "properties": {"station": name, "road_length_m": round(float(
                ((half.hi - half.lo) * net.edge_length_m[half.edge])[mine].sum()), 1)},
            "geometry": shapely.geometry.mapping(geom) if not geom.is_empty else None,
        })
    return {"type": "FeatureCollection", "features": feats}
