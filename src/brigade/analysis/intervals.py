"""Exact reach along edges: which part of each edge lies within a cost limit of the nearest source."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from brigade.analysis.network import NearestSource, RoadNetwork, Sources


@dataclass(frozen=True)
class EdgeIntervals:
    """Disjoint, sorted intervals on edges, as fractions from u (0) to v (1)."""

    edge: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    def fraction_per_edge(self, edge_count: int) -> np.ndarray:
        """Covered share (0…1) of each edge."""
        return np.bincount(self.edge, weights=self.hi - self.lo, minlength=edge_count)


def merge_intervals(edge, lo, hi) -> EdgeIntervals:
    """Union of intervals per edge (inputs clipped to [0, 1], empty ones dropped)."""
    edge = np.asarray(edge, dtype=np.int64)
    lo = np.clip(np.asarray(lo, dtype=np.float64), 0.0, 1.0)
    hi = np.clip(np.asarray(hi, dtype=np.float64), 0.0, 1.0)
    keep = hi > lo
    edge, lo, hi = edge[keep], lo[keep], hi[keep]
    if not len(edge):
        return EdgeIntervals(edge, lo, hi)
    order = np.lexsort((lo, edge))
    edge, lo, hi = edge[order], lo[order], hi[order]
    # Offsetting by 2 per edge keeps edges apart, so one running maximum serves all groups.
    run_max = np.maximum.accumulate(hi + 2.0 * edge)
    starts = np.ones(len(edge), dtype=bool)
    starts[1:] = (lo[1:] + 2.0 * edge[1:]) > run_max[:-1]
    first = np.nonzero(starts)[0]
    return EdgeIntervals(edge[first], lo[first], np.maximum.reduceat(hi, first))


def reach_intervals(
    network: RoadNetwork, nearest: NearestSource, sources: Sources, limit, *, weight: str = "time"
) -> EdgeIntervals:
    """The parts of every edge within ``limit`` (seconds or metres) of the nearest source.

    Each edge is reached from its u end, its v end, and from any source standing on it; the union
    of those three kinds of interval is exact (no sampling).
    """
    edge_w = network.edge_travel_time_s if weight == "time" else network.edge_length_m
    m = network.edge_count
    cu, cv = nearest.cost[network.edge_u], nearest.cost[network.edge_v]
    with np.errstate(divide="ignore", invalid="ignore"):
        reach_u = np.where(edge_w > 0, (limit - cu) / edge_w, np.where(cu <= limit, 1.0, -1.0))
        reach_v = np.where(edge_w > 0, (limit - cv) / edge_w, np.where(cv <= limit, 1.0, -1.0))
        se = sources.snapped.edge
        sw = edge_w[se]
        radius = np.where(sw > 0, (limit - sources.start_cost) / sw, np.where(sources.start_cost <= limit, 1.0, -1.0))
    st = sources.snapped.fraction
    has = radius >= 0
    edges = np.arange(m)
    return merge_intervals(
        np.concatenate([edges, edges, se[has]]),
        np.concatenate([np.zeros(m), 1.0 - reach_v, st[has] - radius[has]]),
        np.concatenate([reach_u, np.ones(m), st[has] + radius[has]]),
    )


def complement(intervals: EdgeIntervals, edge_count: int) -> EdgeIntervals:
    """The parts of every edge not covered by ``intervals``."""
    e, lo, hi = intervals.edge, intervals.lo, intervals.hi
    # Gaps: before each edge's first interval, between intervals, after the last one.
    first = np.ones(len(e), dtype=bool)
    first[1:] = e[1:] != e[:-1]
    last = np.ones(len(e), dtype=bool)
    last[:-1] = e[1:] != e[:-1]
    covered = np.zeros(edge_count, dtype=bool)
    covered[e] = True
    empty = np.nonzero(~covered)[0]
    mid = ~last
    return merge_intervals(
        np.concatenate([e[first], e[mid], e[last], empty]),
        np.concatenate([np.zeros(first.sum()), hi[mid], hi[last], np.zeros(len(empty))]),
        np.concatenate([lo[first], lo[1:][mid[:-1]] if len(e) else lo[:0], np.ones(last.sum()), np.ones(len(empty))]),
    )
