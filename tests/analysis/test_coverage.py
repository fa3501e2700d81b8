"""Station coverage: exact partial edges, shares per street, worst places, isochrones, first-due zones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from brigade.analysis.coverage import (
    Coverage,
    assign_to_areas,
    first_due_zones_geojson,
    isochrones_geojson,
    shares_by_group,
    station_coverage,
    summary,
    worst_edges,
)
from brigade.analysis.errors import AnalysisError
from brigade.analysis.network import Snapped, Sources, build_network, nearest_source, sources_at_nodes
from tests.analysis.conftest import grid_arrays

# 0.0045° of latitude ≈ 500 m; 500 m at 30 km/h is 60 s.
STEP = 0.0045


def line_network(k=3):
    """k nodes due north, edges of exactly 500 m, local roads (30 km/h → 60 s per edge)."""
    lon = np.full(k, 118.4)
    lat = 35.0 + STEP * np.arange(k)
    u, v = np.arange(k - 1), np.arange(1, k)
    return build_network(lon, lat, u, v, edge_length_m=np.full(k - 1, 500.0),
                         edge_class=["local"] * (k - 1), edge_name=[f"路{i}" for i in range(k - 1)])


def coverage_at_nodes(net, nodes, turnout_s=60.0):
    src = sources_at_nodes(net, nodes, start_cost=turnout_s)
    return Coverage(net, src, [f"站{i}" for i in range(len(nodes))], nearest_source(net, src))


def test_partial_edges_are_exact():
    net = line_network(3)
    cov = coverage_at_nodes(net, [0])
    assert np.allclose(cov.travel_time_s, [60, 120, 180])
    frac = cov.edge_reached_fraction(150.0)
    assert frac == pytest.approx([1.0, 0.5])
    assert summary(cov, 150.0)["reached_length_m"] == pytest.approx(750.0)
    assert cov.edge_reached_fraction(30.0) == pytest.approx([0.0, 0.0])


def test_station_in_the_middle_of_an_edge_covers_both_ways():
    net = line_network(2)
    cov = station_coverage(net, [118.4], [35.0 + STEP / 2], ["中站"], turnout_s=60.0)
    assert cov.stations.snapped.fraction[0] == pytest.approx(0.5, abs=1e-6)
    # 60 s turnout leaves 30 s = 250 m each way at 30 km/h: the whole 500 m edge within 90 s.
    assert cov.edge_reached_fraction(90.0)[0] == pytest.approx(1.0, abs=1e-6)
    assert cov.edge_reached_fraction(75.0)[0] == pytest.approx(0.5, abs=1e-6)


def test_per_station_turnout_times():
    net = line_network(3)
    cov = station_coverage(net, [118.4, 118.4], [35.0, 35.0 + 2 * STEP], ["甲", "乙"], turnout_s=[60.0, 180.0])
    assert cov.travel_time_s == pytest.approx([60, 120, 180], abs=1e-3)
    assert list(cov.nearest_station) == [0, 0, 0] or cov.nearest_station[2] == 1


def test_shares_by_street_and_stations_inside():
    net = line_network(3)
    cov = coverage_at_nodes(net, [0])
    frac = cov.edge_reached_fraction(150.0)
    rows = shares_by_group(
        ["北街道", "南街道", "空街道"], np.array([0, 1]), net.edge_length_m, frac, limit_s=150.0,
        points={"units": (np.array([0, 1, 1, -1]), np.array([100.0, 140.0, 200.0, 10.0]))},
        station_group=np.array([0]),
    )
    north, south, empty = rows
    assert north.road_share == pytest.approx(1.0) and south.road_share == pytest.approx(0.5)
    assert (north.counts["units"], north.reached["units"]) == (1, 1)
    assert (south.counts["units"], south.reached["units"]) == (2, 1)
    assert (north.stations, south.stations, empty.stations) == (1, 0, 0)
    assert empty.road_share is None and empty.share("units") is None
    assert south.as_dict()["units_share"] == 0.5


def test_worst_edges_names_the_far_road():
    net = line_network(4)
    cov = coverage_at_nodes(net, [0])
    rows = worst_edges(cov, count=2)
    assert [r["road"] for r in rows] == ["路2", "路1"]
    assert rows[0]["travel_time_s"] == pytest.approx(240.0)  # far end of the last edge
    assert worst_edges(cov, limit_s=300.0) == []


def test_isochrones_nest_and_contain_the_station():
    net = line_network(6)
    cov = coverage_at_nodes(net, [0])
    fc = isochrones_geojson(cov, [2.0, 4.0], buffer_m=50.0)
    by_min = {f["properties"]["minutes"]: shape(f["geometry"]) for f in fc["features"]}
    station = Point(118.4, 35.0)
    assert by_min[2.0].contains(station) and by_min[4.0].contains(station)
    assert by_min[4.0].area > by_min[2.0].area
    # 2 min = 60 s turnout + 60 s driving = 500 m north; a point 800 m north is outside.
    assert not by_min[2.0].contains(Point(118.4, 35.0 + STEP * 1.6))
    assert by_min[4.0].contains(Point(118.4, 35.0 + STEP * 1.6))


def test_first_due_zones_split_between_stations():
    net = line_network(5)
    cov = coverage_at_nodes(net, [0, 4])
    fc = first_due_zones_geojson(cov, buffer_m=30.0)
    lengths = [f["properties"]["road_length_m"] for f in fc["features"]]
    assert lengths == pytest.approx([1000.0, 1000.0])
    assert shape(fc["features"][0]["geometry"]).contains(Point(118.4, 35.0))


def test_assign_to_areas_by_boundary():
    square = {"type": "Polygon", "coordinates": [[[118, 35], [119, 35], [119, 36], [118, 36], [118, 35]]]}
    feature = {"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[119, 35], [120, 35], [120, 36], [119, 36], [119, 35]]]}}
    got = assign_to_areas([118.5, 119.5, 121.0], [35.5, 35.5, 35.5], [square, feature, None])
    assert list(got) == [0, 1, -1]
    with pytest.raises(AnalysisError, match="GeoJSON"):
        assign_to_areas([118.5], [35.5], [{"type": "Polygon", "coordinates": "x"}])


def test_no_station_is_refused():
    with pytest.raises(AnalysisError, match="没有消防站"):
        station_coverage(line_network(2), [], [], [])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(3, 7), stations=st.integers(1, 4),
       limit_s=st.floats(30.0, 400.0))
def test_reached_intervals_agree_with_point_times(seed, k, stations, limit_s):
    """A point is inside the reached intervals exactly when its own travel time is within the limit."""
    rng = np.random.default_rng(seed)
    lon, lat, u, v = grid_arrays(k, seed=seed)
    net = build_network(lon, lat, u, v, edge_length_m=rng.uniform(50, 600, len(u)))
    src = Sources(Snapped(rng.integers(0, net.edge_count, stations), rng.random(stations), np.zeros(stations)),
                  rng.uniform(0, 90, stations))
    cov = Coverage(net, src, [f"站{i}" for i in range(stations)], nearest_source(net, src))
    iv = cov.reached(limit_s)
    edge = rng.integers(0, net.edge_count, 400)
    t = rng.random(400)
    time_s = cov.points(Snapped(edge, t, np.zeros(400)), offroad_speed_kph=10.0).cost
    inside = np.zeros(400, dtype=bool)
    for i in range(400):
        on = iv.edge == edge[i]
        inside[i] = bool(((iv.lo[on] <= t[i]) & (t[i] <= iv.hi[on])).any())
    clear = np.abs(time_s - limit_s) > 1e-6  # points right on the boundary may go either way
    assert np.array_equal(inside[clear], (time_s <= limit_s)[clear])
    # The covered length equals the summed interval lengths, never more than the network.
    assert 0 <= cov.edge_reached_fraction(limit_s).max() <= 1 + 1e-12
