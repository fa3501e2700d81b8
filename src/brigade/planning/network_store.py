"""Records → arrays for the analysis library: the stored road network, stations, located points."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

import numpy as np
from django.conf import settings

from brigade.analysis.coverage import assign_to_areas
from brigade.analysis.network import (
    NetworkError,
    RoadLine,
    RoadNetwork,
    network_from_lines,
)
from brigade.analysis.siting.traveltimes import NodeTimes, many_to_many
from brigade.core.errors import UserError
from brigade.core.tenancy import owned_by

# Siting travel times stay in the cache this long (seconds); the key changes whenever the network does.
SITING_TIMES_CACHE_S = 7 * 24 * 3600

NO_ROADS = "系统中还没有道路数据：请先导入道路（资源 › 道路），或用 --network 指定道路网络文件。"
NO_STATIONS = "系统中没有填写了经纬度的消防站，无法计算覆盖范围。"


class PlanningError(UserError, ValueError):
    """The stored records are not enough for an analysis."""


def road_speeds_kph() -> dict[str, float] | None:
    """The brigade's speed table (settings ``BRIGADE_ROAD_SPEEDS_KPH``, by road class and "other")."""
    return settings.BRIGADE_ROAD_SPEEDS_KPH


def turnout_s() -> float:
    return settings.BRIGADE_TURNOUT_S


def offroad_speed_kph() -> float:
    return settings.BRIGADE_OFFROAD_SPEED_KPH


def of_brigade(queryset, brigade):
    """The rows of one brigade (a Brigade or its id; None: every row in the database).

    A saved analysis is one brigade's: its roads, stations, streets, units, incidents and hydrants."""
    if brigade is None:
        return queryset
    return queryset.filter(owned_by(queryset.model, getattr(brigade, "pk", brigade)))


def analysis_brigade(brigade):
    """The brigade a saved analysis belongs to: a Brigade, or one named (None: the only brigade;
    with several brigades the name is needed, refused in Chinese listing them)."""
    from brigade.org.chosen import chosen_brigade
    from brigade.org.models import Brigade

    return brigade if isinstance(brigade, Brigade) else chosen_brigade(brigade, what="分析")


def analysed_brigade(scope) -> int | None:
    """The brigade whose saved analyses answer for the scope: the brigade of a one-brigade scope, or
    the only brigade for the whole database; None for a scope of several brigades or of a street
    (each saved analysis covers one brigade's whole territory)."""
    from brigade.core.tenancy import only_brigade_id

    kind = getattr(scope, "kind", "brigade")
    if kind == "brigades" and len(scope.brigade_ids) == 1:
        return scope.brigade_ids[0]
    return only_brigade_id() if kind in ("brigade", "detachment", "brigades") else None


def stored_network(*, speeds_kph: dict[str, float] | None = None, brigade=None) -> RoadNetwork:
    """The road network of the Road records (lines sharing a vertex are joined), of one brigade or all."""
    from brigade.resources.models import Road

    lines = [RoadLine(name, road_class, coords) for name, road_class, coords
             in of_brigade(Road.objects.all(), brigade).values_list("name", "road_class", "coordinates")]
    if not lines:
        raise PlanningError(NO_ROADS)
    try:
        return network_from_lines(lines, speeds_kph=speeds_kph or road_speeds_kph())
    except NetworkError as exc:
        raise PlanningError(f"系统中的道路数据无法构成道路网络：{exc}") from exc


def network_fingerprint(network: RoadNetwork) -> str:
    """A hash of the routable network (edges and their times): cached results follow the network."""
    h = hashlib.sha256()
    for a in (network.edge_u, network.edge_v, network.edge_travel_time_s):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:20]


def siting_times_key(network: RoadNetwork, source_nodes, cutoff_s: float) -> str:
    src = np.asarray(source_nodes, dtype=np.int64)
    digest = hashlib.sha256(network_fingerprint(network).encode() + src.tobytes() + repr(float(cutoff_s)).encode())
    return "siting-times:" + digest.hexdigest()[:32]


def siting_node_times(network: RoadNetwork, source_nodes, cutoff_s: float) -> NodeTimes:
    """Travel seconds from each source node to every node within ``cutoff_s``, computed once per network.

    Kept in the Django cache (settings ``CACHES``, a file cache shared by all processes) under the
    network's fingerprint, the source nodes and the cut-off, so the scenarios a planner tries in an
    afternoon on the same roads reuse one many-to-many search.
    """
    from django.core.cache import cache

    src = np.asarray(source_nodes, dtype=np.int64)
    key = siting_times_key(network, src, cutoff_s)
    hit = cache.get(key)
    if hit is not None:
        return NodeTimes(**hit)
    times = many_to_many(network.csr("time"), src, cutoff_s)
    cache.set(key, asdict(times), timeout=SITING_TIMES_CACHE_S)
    return times


@dataclass
class Located:
    """Rows of one model with coordinates, as arrays; ``ids`` are primary keys."""

    ids: np.ndarray
    names: list[str]
    lon: np.ndarray
    lat: np.ndarray
    street_id: np.ndarray  # -1 when unknown
    extra: dict[str, list] = field(default_factory=dict)
    unlocated: int = 0  # rows without coordinates, left out

    def __len__(self) -> int:
        return len(self.names)


def located(queryset, name_field: str, *extra_fields: str) -> Located:
    """Rows with lon/lat as arrays, rows without coordinates counted apart."""
    fields = ["pk", name_field, "lon", "lat", "street_id", *extra_fields]
    rows = list(queryset.values_list(*fields))
    with_xy = [r for r in rows if r[2] is not None and r[3] is not None]
    return Located(
        ids=np.asarray([r[0] for r in with_xy], dtype=np.int64),
        names=[str(r[1]) for r in with_xy],
        lon=np.asarray([r[2] for r in with_xy], dtype=np.float64),
        lat=np.asarray([r[3] for r in with_xy], dtype=np.float64),
        street_id=np.asarray([-1 if r[4] is None else r[4] for r in with_xy], dtype=np.int64),
        extra={f: [r[5 + i] for r in with_xy] for i, f in enumerate(extra_fields)},
        unlocated=len(rows) - len(with_xy),
    )


@dataclass
class Areas:
    """The streets (镇街) with their boundaries, in one order for the analysis."""

    ids: list[int]
    names: list[str]
    boundaries: list[dict | None]
    area_km2: list[float | None]

    def index_of_ids(self, street_ids: np.ndarray) -> np.ndarray:
        """Street primary keys → indices here (-1 for unknown)."""
        lookup = {pk: i for i, pk in enumerate(self.ids)}
        return np.asarray([lookup.get(int(s), -1) for s in street_ids], dtype=np.int64)

    def locate(self, lon, lat, street_ids: np.ndarray | None = None) -> np.ndarray:
        """Area index per point: the recorded street first, else the boundary holding the point."""
        by_id = self.index_of_ids(street_ids) if street_ids is not None else np.full(len(lon), -1, dtype=np.int64)
        missing = by_id < 0
        if missing.any() and any(self.boundaries):
            by_id[missing] = assign_to_areas(np.asarray(lon)[missing], np.asarray(lat)[missing], self.boundaries)
        return by_id


def stored_areas(brigade=None) -> Areas:
    from brigade.org.models import Street

    rows = list(of_brigade(Street.objects.all(), brigade).order_by("code", "name").values_list("pk", "name", "boundary", "area_km2"))
    return Areas([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])


def edge_areas(network: RoadNetwork, areas: Areas) -> np.ndarray:
    """Area index of each edge, by the street boundary holding its midpoint (-1 outside all)."""
    if not any(areas.boundaries):
        return np.full(network.edge_count, -1, dtype=np.int64)
    lon = (network.node_lon[network.edge_u] + network.node_lon[network.edge_v]) / 2
    lat = (network.node_lat[network.edge_u] + network.node_lat[network.edge_v]) / 2
    return assign_to_areas(lon, lat, areas.boundaries)
