"""Water supply along the road network: hydrant protection gaps, spacing, roads without hydrants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from brigade.analysis.intervals import EdgeIntervals, complement, reach_intervals
from brigade.analysis.network import NearestSource, RoadNetwork, Snapped, Sources, nearest_source

# Fallbacks for a caller that passes no figures. Brigade itself passes its settings, whose values
# and sources are in brigade/standards.yaml ("water"); tests/core/test_standards.py keeps these equal
# to that file. GB 50974-2014 7.2.5: a municipal hydrant's protection radius and the largest spacing.
DEFAULT_RADIUS_M = 150.0
DEFAULT_SPACING_M = 120.0
# A hydrant farther than this from every road is not counted on the network.
DEFAULT_HYDRANT_MAX_SNAP_M = 50.0
# A hydrant not checked for this many days is "long unchecked".
DEFAULT_CHECK_DAYS = 365


@dataclass(frozen=True)
class HydrantsOnNetwork:
    """Hydrants placed on the network; ``index`` maps back to the caller's hydrant list."""

    snapped: Snapped
    index: np.ndarray
    off_network: np.ndarray  # caller's indices of hydrants too far from every road

    def sources(self) -> Sources:
        return Sources(self.snapped, np.zeros(len(self.snapped)))


def place_hydrants(network: RoadNetwork, lon, lat, *, max_snap_m: float = DEFAULT_HYDRANT_MAX_SNAP_M
                   ) -> HydrantsOnNetwork:
    """Snap hydrants to the network; those farther than ``max_snap_m`` are set aside."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    if not len(lon):
        empty = np.zeros(0, dtype=np.int64)
        return HydrantsOnNetwork(Snapped(empty, np.zeros(0), np.zeros(0)), empty, empty)
    snapped = network.snap(lon, lat)
    near = snapped.offroad_m <= max_snap_m
    return HydrantsOnNetwork(snapped.take(near), np.nonzero(near)[0], np.nonzero(~near)[0])


def protection_gaps(network: RoadNetwork, hydrants: Sources, *, radius_m: float = DEFAULT_RADIUS_M) -> EdgeIntervals:
    """Parts of every edge farther than ``radius_m`` along the network from every hydrant (exact).

    Parameters
    ----------
    network : RoadNetwork
    hydrants : in-service hydrants as Sources (start cost 0)
    radius_m : protection radius along the network

    Returns
    -------
    EdgeIntervals of the uncovered parts (fractions of each edge from u to v)
    """
    if len(hydrants) == 0:
        e = np.arange(network.edge_count)
        return EdgeIntervals(e, np.zeros(len(e)), np.ones(len(e)))
    nearest = nearest_source(network, hydrants, weight="length", with_source=False)
    covered = reach_intervals(network, nearest, hydrants, radius_m, weight="length")
    return complement(covered, network.edge_count)


def gaps_by_road(network: RoadNetwork, gaps: EdgeIntervals, *, min_gap_m: float = 0.0) -> list[dict]:
    """Road length outside hydrant protection, per road name, longest gap first."""
    gap_m = gaps.fraction_per_edge(network.edge_count) * network.edge_length_m
    names = network.road_name[network.edge_road]
    keys, inv = np.unique(names.astype(str), return_inverse=True)
    total = np.bincount(inv, weights=network.edge_length_m, minlength=len(keys))
    gap = np.bincount(inv, weights=gap_m, minlength=len(keys))
    rows = [
        {"road": str(k) or "（无名道路）", "length_m": round(float(total[i]), 1), "gap_m": round(float(gap[i]), 1),
         "gap_share": round(float(gap[i] / total[i]), 4) if total[i] > 0 else None}
        for i, k in enumerate(keys) if gap[i] > min_gap_m
    ]
    return sorted(rows, key=lambda r: -r["gap_m"])


def roads_without_hydrant(
    network: RoadNetwork, hydrants: Snapped, *, hydrant_road_names: Sequence[str] = (), min_length_m: float = 0.0,
    junction_m: float = 10.0,
) -> list[dict]:
    """Named roads with no hydrant on them (snapped onto one of their edges or recorded by name).

    A hydrant within ``junction_m`` of a junction stands on every road meeting there.
    """
    names = network.road_name[network.edge_road].astype(str)
    keys, inv = np.unique(names, return_inverse=True)
    total = np.bincount(inv, weights=network.edge_length_m, minlength=len(keys))
    has = np.zeros(len(keys), dtype=bool)
    has[inv[hydrants.edge]] = True
    along = hydrants.fraction * network.edge_length_m[hydrants.edge]
    near_u = along <= junction_m
    near_v = network.edge_length_m[hydrants.edge] - along <= junction_m
    nodes = np.concatenate([network.edge_u[hydrants.edge[near_u]], network.edge_v[hydrants.edge[near_v]]])
    touching = np.isin(network.edge_u, nodes) | np.isin(network.edge_v, nodes)
    has[inv[touching]] = True
    labelled = {str(n).strip() for n in hydrant_road_names if n}
    rows = [
        {"road": str(k), "length_m": round(float(total[i]), 1)}
        for i, k in enumerate(keys)
        if k and not has[i] and k not in labelled and total[i] >= min_length_m
    ]
    return sorted(rows, key=lambda r: -r["length_m"])


def spacing_violations(
    network: RoadNetwork, hydrants: Snapped, *, spacing_m: float = DEFAULT_SPACING_M
) -> list[dict]:
    """Consecutive hydrants farther apart than ``spacing_m`` along the same named road.

    Each named road is taken on its own (its edges only). Hydrants are consecutive when their
    stretches of road meet: where the runs from two hydrants meet on an edge (or two hydrants stand
    on one edge with none between). The distance is along the road; on a road without branches it
    is exactly the chainage difference.

    Returns
    -------
    list of dicts: ``a``, ``b`` (indices into ``hydrants``), ``road``, ``distance_m``; longest first
    """
    pairs = road_hydrant_pairs(network, hydrants)
    return [p for p in pairs if p["distance_m"] > spacing_m]


def road_hydrant_pairs(network: RoadNetwork, hydrants: Snapped) -> list[dict]:
    """Every pair of consecutive hydrants along each named road with their distance (m)."""
    names = network.road_name[network.edge_road].astype(str)
    name_keys, name_of_edge = np.unique(names, return_inverse=True)
    named = names != ""
    if not len(hydrants) or not named.any():
        return []
    # A copy of each node per road name keeps roads apart where they cross.
    edges = np.nonzero(named)[0]
    n = network.node_count
    ku = name_of_edge[edges].astype(np.int64) * n + network.edge_u[edges]
    kv = name_of_edge[edges].astype(np.int64) * n + network.edge_v[edges]
    keys, inv = np.unique(np.concatenate([ku, kv]), return_inverse=True)
    orig = keys % n
    sub = RoadNetwork(
        node_lon=network.node_lon[orig], node_lat=network.node_lat[orig],
        edge_u=inv[: len(edges)].astype(np.int32), edge_v=inv[len(edges):].astype(np.int32),
        edge_length_m=network.edge_length_m[edges], edge_speed_kph=network.edge_speed_kph[edges],
        edge_road=network.edge_road[edges], road_name=network.road_name, road_class=network.road_class,
        projection=network.projection,
    )
    sub_of_edge = np.full(network.edge_count, -1, dtype=np.int64)
    sub_of_edge[edges] = np.arange(len(edges))
    on_named = sub_of_edge[hydrants.edge] >= 0
    h_index = np.nonzero(on_named)[0]
    if not len(h_index):
        return []
    h = Sources(Snapped(sub_of_edge[hydrants.edge[on_named]], hydrants.fraction[on_named],
                        hydrants.offroad_m[on_named]), np.zeros(len(h_index)))
    near: NearestSource = nearest_source(sub, h, weight="length")
    best: dict[tuple[int, int], float] = {}

    def add(a: int, b: int, dist: float) -> None:
        if a < 0 or b < 0 or a == b or not np.isfinite(dist):
            return
        key = (min(a, b), max(a, b))
        if dist < best.get(key, np.inf):
            best[key] = dist

    length = sub.edge_length_m
    cu, cv = near.cost[sub.edge_u], near.cost[sub.edge_v]
    su, sv = near.source[sub.edge_u], near.source[sub.edge_v]
    # Edges with no hydrant on them: the runs of two hydrants meet inside.
    has = np.zeros(sub.edge_count, dtype=bool)
    has[h.snapped.edge] = True
    meet = np.nonzero(~has & (su != sv) & (su >= 0) & (sv >= 0))[0]
    for e in meet:
        add(int(su[e]), int(sv[e]), float(cu[e] + length[e] + cv[e]))
    # Edges with hydrants: neighbours on the edge, and the end ones towards each end node.
    order = np.lexsort((h.snapped.fraction, h.snapped.edge))
    se, st = h.snapped.edge[order], h.snapped.fraction[order]
    starts = np.nonzero(np.r_[True, se[1:] != se[:-1]])[0]
    ends = np.r_[starts[1:], len(se)]
    for a, b in zip(starts, ends, strict=True):
        e = int(se[a])
        for i in range(a, b - 1):
            add(int(order[i]), int(order[i + 1]), float((st[i + 1] - st[i]) * length[e]))
        add(int(su[e]), int(order[a]), float(cu[e] + st[a] * length[e]))
        add(int(sv[e]), int(order[b - 1]), float(cv[e] + (1 - st[b - 1]) * length[e]))
    rows = [
        {"a": int(h_index[a]), "b": int(h_index[b]), "distance_m": round(d, 3),
         "road": str(name_keys[name_of_edge[hydrants.edge[h_index[a]]]])}
        for (a, b), d in best.items()
    ]
    return sorted(rows, key=lambda r: -r["distance_m"])


def hydrant_condition(
    codes: Sequence[str], status: Sequence[str], days_since_check: Sequence[float | None], *,
    max_days: int = DEFAULT_CHECK_DAYS, in_service: str = "in_service",
) -> dict[str, list[dict]]:
    """Hydrants not in service, and those unchecked for longer than ``max_days`` (or never checked)."""
    broken, stale = [], []
    for code, st, days in zip(codes, status, days_since_check, strict=True):
        if st != in_service:
            broken.append({"code": code, "status": st})
        elif days is None or days > max_days:
            stale.append({"code": code, "days_since_check": None if days is None else int(days)})
    return {"not_in_service": broken, "unchecked": stale}


def intake_points_by_area(area_names: Sequence[str], area_km2: Sequence[float | None], point_area: np.ndarray
                          ) -> list[dict]:
    """Usable intake points (取水点) per area and per 10 km², areas with none first."""
    k = len(area_names)
    pa = np.asarray(point_area, dtype=np.int64)
    counts = np.bincount(pa[pa >= 0], minlength=k) if k else np.zeros(0, dtype=np.int64)
    rows = []
    for i, name in enumerate(area_names):
        km2 = area_km2[i]
        rows.append({
            "area": str(name), "intake_points": int(counts[i]), "area_km2": km2,
            "per_10km2": round(10.0 * counts[i] / km2, 3) if km2 else None,
        })
    return sorted(rows, key=lambda r: (r["intake_points"], r["area"]))
