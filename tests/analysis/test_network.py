"""Road graph construction, snapping and multi-source Dijkstra against networkx."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brigade.analysis.network import (
    DEFAULT_SPEEDS_KPH,
    NetworkError,
    RoadLine,
    SnapError,
    Sources,
    build_network,
    nearest_source,
    network_from_lines,
    point_costs,
    sources_at_nodes,
    station_sources,
)
from tests.analysis.conftest import grid_arrays


def nx_graph(net, weight="time"):
    g = nx.MultiGraph()
    w = net.edge_travel_time_s if weight == "time" else net.edge_length_m
    g.add_nodes_from(range(net.node_count))
    for a, b, c in zip(net.edge_u, net.edge_v, w, strict=True):
        g.add_edge(int(a), int(b), weight=float(c))
    return g


def nx_with_sources(net, sources: Sources, weight="time"):
    """networkx graph with each source as a node joined to the ends of its edge."""
    g = nx_graph(net, weight)
    w = net.edge_travel_time_s if weight == "time" else net.edge_length_m
    for i, (e, t, c) in enumerate(zip(sources.snapped.edge, sources.snapped.fraction, sources.start_cost, strict=True)):
        g.add_edge(("s", i), int(net.edge_u[e]), weight=float(c + t * w[e]))
        g.add_edge(("s", i), int(net.edge_v[e]), weight=float(c + (1 - t) * w[e]))
    return g


def test_lines_sharing_a_vertex_are_joined_and_lengths_are_metres():
    lines = [
        RoadLine("东路", "arterial", [(118.40, 35.0), (118.41, 35.0)]),
        RoadLine("东路", "arterial", [(118.41, 35.0), (118.42, 35.0)]),
        RoadLine("北街", "local", [(118.41, 35.0), (118.41, 35.01)]),
    ]
    net = network_from_lines(lines)
    assert net.node_count == 4 and net.edge_count == 3
    # 0.01° of longitude at 35°N ≈ 911 m; 0.01° of latitude ≈ 1112 m.
    assert net.edge_length_m.sum() == pytest.approx(2 * 911.9 + 1111.9, rel=2e-3)
    assert sorted(set(net.road_name)) == ["东路", "北街"]
    arterial = net.road_class[net.edge_road] == "arterial"
    assert np.allclose(net.edge_speed_kph[arterial], DEFAULT_SPEEDS_KPH["arterial"])
    assert np.allclose(net.edge_travel_time_s, net.edge_length_m / (net.edge_speed_kph / 3.6))


def test_speed_table_is_configurable():
    lines = [RoadLine("a", "local", [(118.40, 35.0), (118.41, 35.0)])]
    slow = network_from_lines(lines, speeds_kph={"local": 15})
    fast = network_from_lines(lines)
    assert slow.edge_travel_time_s[0] == pytest.approx(2 * fast.edge_travel_time_s[0])
    with pytest.raises(NetworkError, match="车速"):
        network_from_lines(lines, speeds_kph={"local": 0})


def test_no_drivable_roads_is_refused():
    with pytest.raises(NetworkError, match="没有可通行的道路"):
        network_from_lines([RoadLine("a", "local", [(118.4, 35.0)])])
    with pytest.raises(NetworkError, match="经纬度范围"):
        network_from_lines([RoadLine("a", "local", [(500000.0, 3900000.0), (500100.0, 3900000.0)])])


def test_snap_is_the_exact_perpendicular_foot():
    net = network_from_lines([RoadLine("a", "local", [(118.40, 35.0), (118.42, 35.0)])])
    s = net.snap([118.405], [35.001])
    assert s.edge[0] == 0
    assert s.fraction[0] == pytest.approx(0.25, abs=1e-9)
    assert s.offroad_m[0] == pytest.approx(111.2, rel=2e-3)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(3, 9), stations=st.integers(1, 5))
def test_nearest_source_equals_networkx(seed, k, stations):
    lon, lat, u, v = grid_arrays(k, seed=seed)
    rng = np.random.default_rng(seed)
    keep = rng.random(len(u)) > 0.2  # holes make some nodes unreachable
    net = build_network(lon, lat, u[keep] if keep.any() else u, v[keep] if keep.any() else v,
                        edge_class=rng.choice(["local", "arterial"], keep.sum() if keep.any() else len(u)),
                        edge_name=None)
    e = rng.integers(0, net.edge_count, stations)
    src = Sources(type(net.snap([lon[0]], [lat[0]]))(e, rng.random(stations), np.zeros(stations)),
                  rng.uniform(30, 90, stations))
    res = nearest_source(net, src)
    ref = nx.multi_source_dijkstra_path_length(nx_with_sources(net, src), [("s", i) for i in range(stations)])
    expect = np.array([ref.get(i, np.inf) for i in range(net.node_count)])
    assert np.array_equal(np.isinf(expect), np.isinf(res.cost))
    fin = np.isfinite(expect)
    assert np.allclose(res.cost[fin], expect[fin], atol=1e-6, rtol=0)
    assert (res.source[~fin] == -1).all()
    assert np.array_equal(nearest_source(net, src, with_source=False).cost, res.cost)
    # The reported source really achieves the cost.
    for node in np.nonzero(fin)[0][:20]:
        d = nx.dijkstra_path_length(nx_with_sources(net, src), ("s", int(res.source[node])), int(node))
        assert d == pytest.approx(res.cost[node], abs=1e-6)


def test_point_on_the_station_edge_is_reached_directly():
    net = network_from_lines([RoadLine("a", "local", [(118.40, 35.0), (118.42, 35.0)])])
    src = Sources(net.snap([118.41], [35.0]), np.array([60.0]))
    near = nearest_source(net, src)
    pts = net.snap([118.4105], [35.0])
    got = point_costs(net, near, src, pts, offroad_speed_kph=None)
    expect = 60.0 + abs(pts.fraction[0] - src.snapped.fraction[0]) * net.edge_travel_time_s[0]
    assert got.cost[0] == pytest.approx(expect)
    assert got.source[0] == 0
    # The off-road leg is added at its own speed.
    far = net.snap([118.4105], [35.0009])
    with_leg = point_costs(net, near, src, far, offroad_speed_kph=10.0)
    assert with_leg.cost[0] == pytest.approx(expect + far.offroad_m[0] / (10 / 3.6), rel=1e-6)


def test_sources_at_nodes_cost_is_zero_at_the_node():
    lon, lat, u, v = grid_arrays(5)
    net = build_network(lon, lat, u, v)
    res = nearest_source(net, sources_at_nodes(net, [0, 24], start_cost=60.0))
    assert res.cost[0] == pytest.approx(60.0) and res.cost[24] == pytest.approx(60.0)
    assert res.source[0] == 0 and res.source[24] == 1


def test_station_far_from_roads_is_named_with_distance():
    net = network_from_lines([RoadLine("a", "local", [(118.40, 35.0), (118.42, 35.0)])])
    with pytest.raises(SnapError, match=r"二中队（距最近道路 \d+ 米）"):
        station_sources(net, [118.41, 118.41], [35.0, 35.006], names=["一中队", "二中队"], max_snap_m=500)


def test_swapped_lat_lon_is_detected():
    net = network_from_lines([RoadLine("a", "local", [(118.40, 35.0), (118.42, 35.01)])])
    with pytest.raises(SnapError, match="填反"):
        station_sources(net, [35.005], [118.41], names=["一中队"])


def test_crossing_without_shared_vertex_is_joined_only_when_asked():
    lines = [
        RoadLine("东西路", "arterial", [(118.40, 35.0), (118.42, 35.0)]),
        RoadLine("南北街", "local", [(118.41, 34.99), (118.41, 35.01)]),
    ]
    apart = network_from_lines(lines)
    assert apart.node_count == 4
    joined = network_from_lines(lines, split_crossings=True)
    assert joined.node_count == 5 and joined.edge_count == 4
    assert sorted(joined.road_name[joined.edge_road]) == ["东西路", "东西路", "南北街", "南北街"]
    assert joined.edge_length_m.sum() == pytest.approx(apart.edge_length_m.sum(), rel=1e-9)
    res = nearest_source(joined, sources_at_nodes(joined, [0]))
    assert np.isfinite(res.cost).all()
