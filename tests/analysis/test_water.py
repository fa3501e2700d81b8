"""Hydrant protection gaps (exact, vs a brute force per hydrant), spacing, roads without hydrants."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brigade.analysis.network import Snapped, Sources, build_network
from brigade.analysis.water import (
    gaps_by_road,
    hydrant_condition,
    intake_points_by_area,
    place_hydrants,
    protection_gaps,
    roads_without_hydrant,
    spacing_violations,
)

STEP = 0.0009  # ≈ 100 m of latitude


def brute_force_gap_m(net, edge, frac, radius_m):
    """Uncovered length per edge: one Dijkstra per hydrant, union of its intervals on every edge."""
    g = nx.MultiGraph()
    g.add_nodes_from(range(net.node_count))
    for a, b, w in zip(net.edge_u, net.edge_v, net.edge_length_m, strict=True):
        g.add_edge(int(a), int(b), weight=float(w))
    intervals = [[] for _ in range(net.edge_count)]
    for e, t in zip(edge, frac, strict=True):
        length = net.edge_length_m[e]
        from_a = nx.single_source_dijkstra_path_length(g, int(net.edge_u[e]))
        from_b = nx.single_source_dijkstra_path_length(g, int(net.edge_v[e]))
        for j in range(net.edge_count):
            lj = net.edge_length_m[j]
            d = {}
            for node in (int(net.edge_u[j]), int(net.edge_v[j])):
                d[node] = min(t * length + from_a.get(node, np.inf), (1 - t) * length + from_b.get(node, np.inf))
            intervals[j].append((0.0, (radius_m - d[int(net.edge_u[j])]) / lj))
            intervals[j].append((1.0 - (radius_m - d[int(net.edge_v[j])]) / lj, 1.0))
            if j == e:
                intervals[j].append((t - radius_m / lj, t + radius_m / lj))
    gaps = []
    for j in range(net.edge_count):
        pieces = sorted((max(lo, 0.0), min(hi, 1.0)) for lo, hi in intervals[j] if min(hi, 1.0) > max(lo, 0.0))
        covered, end = 0.0, 0.0
        for lo, hi in pieces:
            if hi > end:
                covered += hi - max(lo, end)
                end = hi
        gaps.append((1.0 - covered) * net.edge_length_m[j])
    return np.array(gaps)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(3, 9),
    seed=st.integers(0, 100_000),
    hydrants=st.integers(0, 5),
    radius_m=st.sampled_from([50.0, 150.0, 400.0]),
)
def test_gap_lengths_equal_brute_force(n, seed, hydrants, radius_m):
    rng = np.random.default_rng(seed)
    lon = 118.4 + rng.uniform(0, 0.005, n)
    lat = 35.0 + rng.uniform(0, 0.005, n)
    # A random tree plus a few extra edges (parallel ones allowed).
    u = [int(rng.integers(0, i)) for i in range(1, n)] + list(rng.integers(0, n, 2))
    v = list(range(1, n)) + list(rng.integers(0, n, 2))
    keep = [a != b for a, b in zip(u, v, strict=True)]
    u = np.array(u)[keep]
    v = np.array(v)[keep]
    net = build_network(lon, lat, u, v, edge_length_m=rng.uniform(20, 300, len(u)))
    edge = rng.integers(0, net.edge_count, hydrants)
    frac = rng.random(hydrants)
    gaps = protection_gaps(net, Sources(Snapped(edge, frac, np.zeros(hydrants)), np.zeros(hydrants)),
                           radius_m=radius_m)
    got = gaps.fraction_per_edge(net.edge_count) * net.edge_length_m
    expect = brute_force_gap_m(net, edge, frac, radius_m) if hydrants else net.edge_length_m
    assert np.allclose(got, expect, atol=1e-6, rtol=0)


def straight_road(km=0.5, name="沂蒙路", lon0=118.4):
    """A straight road north with a vertex every 100 m, plus a crossing road of another name."""
    k = int(km * 10) + 1
    lon = np.r_[np.full(k, lon0), lon0 - 0.002, lon0 + 0.002]
    lat = np.r_[35.0 + STEP * np.arange(k), 35.0 + STEP, 35.0 + STEP]
    u = np.r_[np.arange(k - 1), k, 1]
    v = np.r_[np.arange(1, k), 1, k + 1]
    names = [name] * (k - 1) + ["横街", "横街"]
    return build_network(lon, lat, u, v, edge_class=["local"] * len(u), edge_name=names)


def test_spacing_along_one_road():
    net = straight_road(0.5)
    # Hydrants at ~0, ~100 and ~300 m along 沂蒙路, one on 横街 close to the junction.
    lons = [118.4, 118.4, 118.4, 118.4005]
    lats = [35.0, 35.0 + STEP, 35.0 + 3 * STEP, 35.0 + STEP]
    placed = place_hydrants(net, lons, lats)
    viol = spacing_violations(net, placed.snapped, spacing_m=120.0)
    assert len(viol) == 1
    assert {viol[0]["a"], viol[0]["b"]} == {1, 2} and viol[0]["road"] == "沂蒙路"
    assert viol[0]["distance_m"] == pytest.approx(200.0, rel=3e-3)
    assert spacing_violations(net, placed.snapped, spacing_m=250.0) == []


def test_gaps_by_road_and_roads_without_hydrant():
    net = straight_road(0.5)
    placed = place_hydrants(net, [118.4, 118.41], [35.0, 35.0])
    assert list(placed.off_network) == [1]
    gaps = protection_gaps(net, placed.sources(), radius_m=150.0)
    rows = {r["road"]: r for r in gaps_by_road(net, gaps)}
    assert rows["沂蒙路"]["gap_m"] == pytest.approx(rows["沂蒙路"]["length_m"] - 150.0, rel=1e-6)
    # 横街 meets 沂蒙路 ~100 m from the hydrant: 50 m of it covered each way... along the network.
    assert rows["横街"]["gap_m"] == pytest.approx(rows["横街"]["length_m"] - 100.0, rel=3e-3)
    assert roads_without_hydrant(net, placed.snapped) == [
        {"road": "横街", "length_m": pytest.approx(rows["横街"]["length_m"], abs=0.1)}]
    assert roads_without_hydrant(net, placed.snapped, hydrant_road_names=["横街"]) == []


def test_no_hydrants_means_every_road_is_a_gap():
    net = straight_road(0.3)
    placed = place_hydrants(net, [], [])
    gaps = protection_gaps(net, placed.sources())
    assert gaps.fraction_per_edge(net.edge_count) == pytest.approx(np.ones(net.edge_count))


def test_hydrant_condition_and_intake_points():
    got = hydrant_condition(["H1", "H2", "H3", "H4"], ["in_service", "damaged", "in_service", "in_service"],
                            [10, 5, 400, None], max_days=365)
    assert [r["code"] for r in got["not_in_service"]] == ["H2"]
    assert [r["code"] for r in got["unchecked"]] == ["H3", "H4"]
    rows = intake_points_by_area(["甲镇", "乙镇"], [20.0, None], np.array([0, 0, -1]))
    assert rows[0] == {"area": "乙镇", "intake_points": 0, "area_km2": None, "per_10km2": None}
    assert rows[1]["per_10km2"] == 1.0
