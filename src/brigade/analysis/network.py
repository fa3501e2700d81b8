"""Road networks as arrays: build from lines, snap points to edges, nearest-source travel times.

A network is a set of straight edges between nodes (every vertex of a road line is a node, lines
that share a vertex are joined there). Edges are two-way: fire engines on an emergency run are not
bound by one-way rules, so the analysis treats every drivable road as passable both ways.
Distances are metres, times seconds, speeds km/h.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from brigade.analysis.errors import AnalysisError

EARTH_RADIUS_M = 6_371_008.8

# Fallbacks for a caller that passes no figures. Brigade itself passes its settings, whose values
# and sources are in brigade/standards.yaml ("coverage"); tests/core/test_standards.py keeps these
# equal to that file. Planning speeds of a fire engine by road class, km/h (``speeds_kph``; the key
# "other" stands for a class not in the table).
DEFAULT_SPEEDS_KPH: dict[str, float] = {
    "expressway": 50.0,
    "arterial": 40.0,
    "secondary": 35.0,
    "local": 30.0,
    "rural": 30.0,
}
DEFAULT_SPEED_KPH = 30.0  # any class not in the table
# Turnout (出动) time from the dispatch order to the engine leaving the station.
DEFAULT_TURNOUT_S = 60.0
# The leg between a point and its snapped road position: crew on foot with equipment or an engine
# crawling through a yard.
DEFAULT_OFFROAD_SPEED_KPH = 10.0
# Coordinates closer than this (degrees, about 1 cm) are one node.
NODE_PRECISION_DEG = 1e-7


class NetworkError(AnalysisError):
    """The road network cannot be built or used."""


class SnapError(AnalysisError):
    """Points cannot be placed on the road network."""


def kph_to_mps(speed_kph):
    """Convert km/h to m/s."""
    return np.asarray(speed_kph, dtype=np.float64) / 3.6


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection around a centre, in metres; accurate to ~0.5 % across a county."""

    lon0: float
    lat0: float

    @property
    def _kx(self) -> float:
        return np.deg2rad(1.0) * EARTH_RADIUS_M * np.cos(np.deg2rad(self.lat0))

    @property
    def _ky(self) -> float:
        return np.deg2rad(1.0) * EARTH_RADIUS_M

    def to_xy(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Longitude/latitude in degrees to x/y in metres."""
        lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        return (lon - self.lon0) * self._kx, (lat - self.lat0) * self._ky

    def to_lonlat(self, x_m, y_m) -> tuple[np.ndarray, np.ndarray]:
        """x/y in metres back to longitude/latitude in degrees."""
        x_m, y_m = np.asarray(x_m, dtype=np.float64), np.asarray(y_m, dtype=np.float64)
        return self.lon0 + x_m / self._kx, self.lat0 + y_m / self._ky


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres between arrays of points."""
    lon1, lat1, lon2, lat2 = (np.deg2rad(np.asarray(a, dtype=np.float64)) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


@dataclass(frozen=True)
class RoadLine:
    """One road line as read from a file or the records: name, class, [(lon, lat), …]."""

    name: str
    road_class: str
    coordinates: Sequence[Sequence[float]]


@dataclass(eq=False)
class RoadNetwork:
    """An undirected road graph of straight edges.

    Attributes
    ----------
    node_lon, node_lat : (n,) float64, degrees
    edge_u, edge_v : (m,) int32 node indices
    edge_length_m : (m,) float64
    edge_speed_kph : (m,) float64
    edge_road : (m,) int32, index into ``road_name`` / ``road_class`` (the line the edge came from)
    road_name, road_class : (k,) object arrays
    """

    node_lon: np.ndarray
    node_lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_speed_kph: np.ndarray
    edge_road: np.ndarray
    road_name: np.ndarray
    road_class: np.ndarray
    projection: LocalProjection = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        if self.projection is None and len(self.node_lon):
            self.projection = LocalProjection(float(np.mean(self.node_lon)), float(np.mean(self.node_lat)))

    @property
    def node_count(self) -> int:
        return int(len(self.node_lon))

    @property
    def edge_count(self) -> int:
        return int(len(self.edge_u))

    @cached_property
    def edge_travel_time_s(self) -> np.ndarray:
        """Driving time along each edge at its class speed."""
        return self.edge_length_m / kph_to_mps(self.edge_speed_kph)

    @cached_property
    def node_xy_m(self) -> tuple[np.ndarray, np.ndarray]:
        """Node positions in the local projection (metres)."""
        return self.projection.to_xy(self.node_lon, self.node_lat)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat)."""
        return (float(self.node_lon.min()), float(self.node_lat.min()),
                float(self.node_lon.max()), float(self.node_lat.max()))

    @property
    def edge_road_name(self) -> np.ndarray:
        return self.road_name[self.edge_road]

    def csr(self, weight: str = "time") -> csr_array:
        """Adjacency matrix with one entry per edge (u → v), weighted by ``"time"`` (s) or ``"length"`` (m).

        Searches run with ``directed=False``, so each entry serves both ways.
        """
        key = "_csr_" + weight
        if key not in self.__dict__:
            w = self.edge_travel_time_s if weight == "time" else self.edge_length_m
            self.__dict__[key] = edge_csr(self.edge_u, self.edge_v, w, self.node_count)
        return self.__dict__[key]

    @cached_property
    def _segment_tree(self):
        import shapely

        x, y = self.node_xy_m
        coords = np.stack(
            [np.stack([x[self.edge_u], y[self.edge_u]], 1), np.stack([x[self.edge_v], y[self.edge_v]], 1)], 1
        )
        return shapely.STRtree(shapely.linestrings(coords))

    def snap(self, lon, lat) -> Snapped:
        """Place points on their nearest edge (exact perpendicular projection)."""
        lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        if self.edge_count == 0:
            raise SnapError("道路网络中没有道路，无法定位。")
        if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
            raise SnapError("坐标含有空值或非数字。")
        import shapely

        px, py = self.projection.to_xy(lon, lat)
        pts = shapely.points(px, py)
        (qi, edge), dist = self._segment_tree.query_nearest(pts, return_distance=True, all_matches=False)
        order = np.argsort(qi, kind="stable")
        edge = edge[order].astype(np.int64)
        dist = dist[order]
        # Fraction along the edge from u to v of the foot of the perpendicular.
        x, y = self.node_xy_m
        ux, uy, vx, vy = x[self.edge_u[edge]], y[self.edge_u[edge]], x[self.edge_v[edge]], y[self.edge_v[edge]]
        dx, dy = vx - ux, vy - uy
        seg2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(seg2 > 0, ((px - ux) * dx + (py - uy) * dy) / seg2, 0.0)
        return Snapped(edge=edge, fraction=np.clip(t, 0.0, 1.0), offroad_m=dist)


@dataclass(frozen=True)
class Snapped:
    """Points placed on edges: edge index, fraction from u to v, straight distance to the road (m)."""

    edge: np.ndarray
    fraction: np.ndarray
    offroad_m: np.ndarray

    def __len__(self) -> int:
        return int(len(self.edge))

    def take(self, index) -> Snapped:
        return Snapped(self.edge[index], self.fraction[index], self.offroad_m[index])


def edge_csr(u: np.ndarray, v: np.ndarray, weight: np.ndarray, n: int) -> csr_array:
    """Edge list to a CSR matrix with one entry per edge, built by scipy's compiled COO → CSR.

    That conversion adds up duplicate (u, v) entries; parallel edges must keep the cheaper one, so
    when any were merged the list is first reduced to the minimum per node pair.
    """
    u = np.asarray(u, dtype=np.int32)
    v = np.asarray(v, dtype=np.int32)
    weight = np.asarray(weight, dtype=np.float64)
    graph = csr_array((weight, (u, v)), shape=(n, n))
    if graph.nnz == len(u):
        return graph
    # Rare: parallel edges. Keep the minimum weight per (u, v).
    order = np.lexsort((weight, v, u))
    u, v, weight = u[order], v[order], weight[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return csr_array((weight[first], (u[first], v[first])), shape=(n, n))


def build_network(
    node_lon,
    node_lat,
    edge_u,
    edge_v,
    *,
    edge_length_m=None,
    edge_class=None,
    edge_name=None,
    edge_speed_kph=None,
    speeds_kph: Mapping[str, float] | None = None,
) -> RoadNetwork:
    """Build a network from node and edge arrays (the fast path for generated or stored graphs).

    Parameters
    ----------
    node_lon, node_lat : (n,) degrees
    edge_u, edge_v : (m,) node indices
    edge_length_m : (m,) optional; great-circle length of the straight edge when omitted
    edge_class, edge_name : (m,) optional road class and name per edge
    edge_speed_kph : (m,) optional speed per edge, overriding the class table
    speeds_kph : road class → km/h; missing classes use ``DEFAULT_SPEEDS_KPH`` then 30 km/h
    """
    node_lon = np.asarray(node_lon, dtype=np.float64)
    node_lat = np.asarray(node_lat, dtype=np.float64)
    edge_u = np.asarray(edge_u, dtype=np.int32)
    edge_v = np.asarray(edge_v, dtype=np.int32)
    m = len(edge_u)
    if m == 0:
        raise NetworkError("道路网络中没有可通行的道路。")
    if edge_length_m is None:
        edge_length_m = haversine_m(node_lon[edge_u], node_lat[edge_u], node_lon[edge_v], node_lat[edge_v])
    edge_length_m = np.asarray(edge_length_m, dtype=np.float64)
    if edge_class is None and edge_name is None:
        # One anonymous local road (generated graphs): skip the per-edge string work.
        road_name = np.asarray([""], dtype=object)
        road_class = np.asarray(["local"], dtype=object)
        edge_road = np.zeros(m, dtype=np.int32)
    else:
        edge_class = ["local"] * m if edge_class is None else edge_class
        edge_name = [""] * m if edge_name is None else edge_name
        pairs = np.asarray([f"{c}\x00{nm}" for c, nm in zip(edge_class, edge_name, strict=True)], dtype=object)
        keys, edge_road = np.unique(pairs, return_inverse=True)
        road_class = np.asarray([k.split("\x00", 1)[0] for k in keys], dtype=object)
        road_name = np.asarray([k.split("\x00", 1)[1] for k in keys], dtype=object)
        edge_road = edge_road.astype(np.int32)
    if edge_speed_kph is None:
        edge_speed_kph = road_speeds_kph(road_class, speeds_kph)[edge_road]
    else:
        edge_speed_kph = np.asarray(edge_speed_kph, dtype=np.float64)
        if (edge_speed_kph <= 0).any():
            raise NetworkError("车速必须为正数。")
    return RoadNetwork(
        node_lon=node_lon,
        node_lat=node_lat,
        edge_u=edge_u,
        edge_v=edge_v,
        edge_length_m=edge_length_m,
        edge_speed_kph=edge_speed_kph,
        edge_road=edge_road,
        road_name=road_name,
        road_class=road_class,
    )


def road_speeds_kph(road_class: Iterable[str], speeds_kph: Mapping[str, float] | None = None) -> np.ndarray:
    """Speed for each road class from the table (defaults filled in; "other" for classes not in it)."""
    table = {**DEFAULT_SPEEDS_KPH, **(speeds_kph or {})}
    other = table.get("other", DEFAULT_SPEED_KPH)
    speeds = np.asarray([float(table.get(c, other)) for c in road_class], dtype=np.float64)
    if (speeds <= 0).any() or not np.isfinite(speeds).all():
        raise NetworkError("车速表中的车速必须为正数。")
    return speeds


def split_at_crossings(lines: Iterable[RoadLine]) -> list[RoadLine]:
    """Cut lines wherever they cross or touch, so crossings become shared vertices.

    For GIS layers drawn without a vertex at each junction. Bridges and tunnels get joined too,
    which is why OSM data (junctions are shared nodes there) is never split.
    """
    import shapely

    lines = [ln for ln in lines if len(ln.coordinates) >= 2]
    if not lines:
        return []
    geoms = shapely.linestrings([np.asarray(ln.coordinates, dtype=np.float64)[:, :2] for ln in lines])
    pieces = shapely.get_parts(shapely.union_all(geoms))
    pieces = pieces[shapely.get_type_id(pieces) == 1]  # LineStrings only
    mid = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    piece_idx, line_idx = shapely.STRtree(geoms).query(mid, predicate="dwithin", distance=1e-9)
    owner = np.full(len(pieces), -1, dtype=np.int64)
    owner[piece_idx[::-1]] = line_idx[::-1]  # the first matching line wins
    return [
        RoadLine(lines[o].name, lines[o].road_class, shapely.get_coordinates(piece).tolist())
        for piece, o in zip(pieces, owner, strict=True) if o >= 0
    ]


def network_from_lines(lines: Iterable[RoadLine], *, speeds_kph: Mapping[str, float] | None = None,
                       split_crossings: bool = False) -> RoadNetwork:
    """Build a network from road lines; lines sharing a vertex (to ~1 cm) are joined there.

    Parameters
    ----------
    lines : RoadLine items (name, road class, [(lon, lat), …])
    speeds_kph : road class → km/h, see ``DEFAULT_SPEEDS_KPH``
    split_crossings : also join lines where they cross without a shared vertex
    """
    if split_crossings:
        lines = split_at_crossings(lines)
    coords, line_of_vertex, names, classes = [], [], [], []
    for line in lines:
        arr = np.asarray(line.coordinates, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2:
            continue
        arr = arr[:, :2]
        if not np.isfinite(arr).all():
            continue
        coords.append(arr)
        line_of_vertex.append(np.full(len(arr), len(names), dtype=np.int64))
        names.append(line.name or "")
        classes.append(line.road_class or "local")
    if not coords:
        raise NetworkError("道路网络中没有可通行的道路。")
    xy = np.concatenate(coords)
    line_id = np.concatenate(line_of_vertex)
    check_lonlat(xy[:, 0], xy[:, 1], what="道路坐标")
    # One node per distinct rounded coordinate.
    q = np.round(xy / NODE_PRECISION_DEG).astype(np.int64)
    key = (q[:, 0] + (1 << 31)) << 32 | (q[:, 1] + (1 << 31))
    uniq, first, node_of_vertex = np.unique(key, return_index=True, return_inverse=True)
    node_lon, node_lat = xy[first, 0], xy[first, 1]
    # Edges join consecutive vertices of the same line.
    same_line = line_id[1:] == line_id[:-1]
    u = node_of_vertex[:-1][same_line]
    v = node_of_vertex[1:][same_line]
    road = line_id[:-1][same_line]
    keep = u != v
    u, v, road = u[keep], v[keep], road[keep]
    if len(u) == 0:
        raise NetworkError("道路网络中没有可通行的道路（所有道路长度为零）。")
    road_name = np.asarray(names, dtype=object)
    road_class = np.asarray(classes, dtype=object)
    # Merge lines with the same name and class into one road entry.
    keys = np.asarray([f"{c}\x00{n}" for c, n in zip(road_class, road_name, strict=True)], dtype=object)
    ukeys, road_of_line = np.unique(keys, return_inverse=True)
    r_class = np.asarray([k.split("\x00", 1)[0] for k in ukeys], dtype=object)
    r_name = np.asarray([k.split("\x00", 1)[1] for k in ukeys], dtype=object)
    edge_road = road_of_line[road].astype(np.int32)
    speeds = road_speeds_kph(r_class, speeds_kph)
    length = haversine_m(node_lon[u], node_lat[u], node_lon[v], node_lat[v])
    return RoadNetwork(
        node_lon=node_lon,
        node_lat=node_lat,
        edge_u=u.astype(np.int32),
        edge_v=v.astype(np.int32),
        edge_length_m=length,
        edge_speed_kph=speeds[edge_road],
        edge_road=edge_road,
        road_name=r_name,
        road_class=r_class,
    )


def check_lonlat(lon, lat, *, what: str = "坐标") -> None:
    """Refuse values outside longitude/latitude ranges (a common sign of projected coordinates)."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise NetworkError(f"{what}超出经纬度范围：应为 WGS 84 经度、纬度（度），而不是投影坐标（米）。")


@dataclass(frozen=True)
class Sources:
    """Points from which travel starts (stations, hydrants) placed on the network.

    ``start_cost`` is added before the first metre: turnout plus the off-road leg for stations.
    """

    snapped: Snapped
    start_cost: np.ndarray

    def __len__(self) -> int:
        return len(self.snapped)


@dataclass(frozen=True)
class NearestSource:
    """Result of a multi-source search: per node the cost and the nearest source (-1: unreachable)."""

    cost: np.ndarray
    source: np.ndarray


def sources_at_nodes(network: RoadNetwork, nodes, start_cost=0.0) -> Sources:
    """Sources standing exactly on nodes (no snapping): handy for generated graphs and tests."""
    nodes = np.asarray(nodes, dtype=np.int64)
    # Any edge touching the node will do: the source sits at that end of it. Only edges touching
    # a requested node are looked at (a table lookup, linear in the edge count).
    edge = np.full(len(nodes), -1, dtype=np.int64)
    frac = np.zeros(len(nodes))
    for ends, at in ((network.edge_v, 1.0), (network.edge_u, 0.0)):
        hit = np.nonzero(np.isin(ends, nodes))[0]
        found, first = np.unique(ends[hit], return_index=True)
        pos = np.searchsorted(found, nodes)
        ok = (pos < len(found)) & (found[np.minimum(pos, len(found) - 1)] == nodes) if len(found) else pos < 0
        edge[ok] = hit[first[pos[ok]]]
        frac[ok] = at
    if (edge < 0).any():
        raise SnapError("有出发点位于孤立节点上，不与任何道路相连。")
    cost = np.broadcast_to(np.asarray(start_cost, dtype=np.float64), nodes.shape).copy()
    return Sources(Snapped(edge, frac, np.zeros(len(nodes))), cost)


def nearest_source(network: RoadNetwork, sources: Sources, *, weight: str = "time", with_source: bool = True
                   ) -> NearestSource:
    """Cost from the nearest source to every node (multi-source Dijkstra).

    Each source becomes an extra node joined to the ends of its snapped edge (weighted by its
    start cost plus the partial edge), so one min-only Dijkstra run (scipy's csgraph) answers all
    nodes and tells which source won.

    Parameters
    ----------
    network : RoadNetwork
    sources : Sources; ``start_cost`` in the unit of ``weight``
    weight : ``"time"`` (seconds) or ``"length"`` (metres)
    with_source : also tell which source is nearest (costs the search a little more)

    Returns
    -------
    NearestSource with ``cost`` (n,) float64, ``inf`` where unreachable, and ``source`` (n,) int64
    (all -1 when ``with_source`` is false)
    """
    n, s = network.node_count, len(sources)
    if weight not in ("time", "length"):
        raise ValueError(f"weight must be 'time' or 'length', not {weight!r}")
    if s == 0:
        raise AnalysisError("没有出发点（消防站或消火栓），无法计算。")
    edge_w = network.edge_travel_time_s if weight == "time" else network.edge_length_m
    base = network.csr(weight)
    e, t = sources.snapped.edge, sources.snapped.fraction
    w = edge_w[e]
    # Two entries per source, in rows appended below the road graph: source → u and source → v.
    # The search is undirected, but passing through a source node (u → source → v) costs twice its
    # start cost plus the whole edge, never less than the edge itself, so it changes nothing.
    cols = np.stack([network.edge_u[e], network.edge_v[e]], 1).ravel().astype(np.int32)
    data = np.stack([sources.start_cost + t * w, sources.start_cost + (1 - t) * w], 1).ravel()
    nnz = base.indptr[n]
    indptr = np.concatenate([base.indptr[: n + 1], nnz + 2 * np.arange(1, s + 1, dtype=base.indptr.dtype)])
    graph = csr_array(
        (np.concatenate([base.data, data]), np.concatenate([base.indices, cols.astype(base.indices.dtype)]), indptr),
        shape=(n + s, n + s),
    )
    if not with_source:
        cost = dijkstra(graph, directed=False, indices=np.arange(n, n + s), min_only=True)
        return NearestSource(cost=cost[:n], source=np.full(n, -1, dtype=np.int64))
    cost, _, src = dijkstra(graph, directed=False, indices=np.arange(n, n + s), min_only=True,
                            return_predecessors=True)
    source = src[:n].astype(np.int64) - n
    source[source < 0] = -1
    return NearestSource(cost=cost[:n], source=source)


def point_costs(
    network: RoadNetwork, nearest: NearestSource, sources: Sources, points: Snapped, *, weight: str = "time",
    offroad_speed_kph: float | None = DEFAULT_OFFROAD_SPEED_KPH,
) -> NearestSource:
    """Cost and nearest source for points snapped on edges (exact along the edge).

    A point at fraction ``t`` of edge (u, v) is reached through u, through v, or directly from a
    source on the same edge; the off-road leg is added at ``offroad_speed_kph`` when weighting by
    time (or as metres when weighting by length; ``None`` leaves it out).
    """
    edge_w = network.edge_travel_time_s if weight == "time" else network.edge_length_m
    e, t = points.edge, points.fraction
    w = edge_w[e]
    u, v = network.edge_u[e], network.edge_v[e]
    via_u = nearest.cost[u] + t * w
    via_v = nearest.cost[v] + (1 - t) * w
    cost = np.minimum(via_u, via_v)
    source = np.where(via_u <= via_v, nearest.source[u], nearest.source[v])
    # Sources on the same edge reach the point without going through an end.
    if len(sources):
        order = np.argsort(sources.snapped.edge, kind="stable")
        s_edge = sources.snapped.edge[order]
        lo = np.searchsorted(s_edge, e, "left")
        hi = np.searchsorted(s_edge, e, "right")
        for k in np.nonzero(hi > lo)[0]:
            idx = order[lo[k] : hi[k]]
            direct = sources.start_cost[idx] + np.abs(sources.snapped.fraction[idx] - t[k]) * w[k]
            j = int(np.argmin(direct))
            if direct[j] < cost[k]:
                cost[k], source[k] = direct[j], idx[j]
    if offroad_speed_kph is not None:
        leg = points.offroad_m / kph_to_mps(offroad_speed_kph) if weight == "time" else points.offroad_m
        cost = cost + leg
    source = np.where(np.isfinite(cost), source, -1)
    return NearestSource(cost=cost, source=source)


def station_sources(
    network: RoadNetwork,
    lon,
    lat,
    *,
    names: Sequence[str],
    turnout_s=DEFAULT_TURNOUT_S,
    offroad_speed_kph: float = DEFAULT_OFFROAD_SPEED_KPH,
    max_snap_m: float = 500.0,
) -> Sources:
    """Snap stations onto the network with their turnout time and off-road leg.

    Raises
    ------
    SnapError
        when coordinates look swapped (lat, lon) or a station lies farther than ``max_snap_m``
        from every road; the message names the stations and their distances.
    """
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    check_points_in_extent(network, lon, lat, names=names, what="消防站", max_snap_m=max_snap_m)
    snapped = network.snap(lon, lat)
    far = snapped.offroad_m > max_snap_m
    if far.any():
        listed = "；".join(f"{names[i]}（距最近道路 {snapped.offroad_m[i]:.0f} 米）" for i in np.nonzero(far)[0])
        raise SnapError(f"以下消防站不在道路网络范围内（超过 {max_snap_m:.0f} 米）：{listed}")
    turnout = np.broadcast_to(np.asarray(turnout_s, dtype=np.float64), lon.shape)
    cost = turnout + snapped.offroad_m / kph_to_mps(offroad_speed_kph)
    return Sources(snapped, cost)


def check_points_in_extent(network: RoadNetwork, lon, lat, *, names: Sequence[str], what: str,
                           max_snap_m: float) -> None:
    """Refuse points given as (lat, lon): they fall outside the network, swapped back they fit."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if not len(lon):
        return
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise SnapError(f"{what}坐标含有空值或非数字。")
    if (np.abs(lat) > 90).any() and (np.abs(lon) <= 90).all():
        raise SnapError(f"{what}坐标的纬度超过 90 度：经度、纬度可能填反了，请按“经度,纬度”（lon,lat）顺序填写。")
    min_lon, min_lat, max_lon, max_lat = network.extent
    pad_lon = max_snap_m / (111_320.0 * max(np.cos(np.deg2rad((min_lat + max_lat) / 2)), 0.01))
    pad_lat = max_snap_m / 111_320.0

    def inside(x, y):
        return (x >= min_lon - pad_lon) & (x <= max_lon + pad_lon) & (y >= min_lat - pad_lat) & (y <= max_lat + pad_lat)

    straight, swapped = inside(lon, lat), inside(lat, lon)
    if (~straight).any() and swapped[~straight].all():
        bad = [names[i] for i in np.nonzero(~straight)[0]]
        raise SnapError(
            f"{what}坐标疑似经纬度填反（{'、'.join(bad[:10])}）：按（经度, 纬度）不在道路网络范围内，"
            "交换后正好落在范围内。请按“经度,纬度”（lon,lat）顺序填写。"
        )
