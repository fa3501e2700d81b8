"""Map layers are GeoJSON of the district's own records, each feature linking to its record."""

import pytest

from brigade.core import maplayers as maps


@pytest.fixture
def coverage_run(world):
    """A stored coverage analysis with one isochrone and one first-due zone (as planning writes them)."""
    from brigade.planning.models import AnalysisRun

    ring = [[118.3, 35.0], [118.35, 35.0], [118.35, 35.05], [118.3, 35.0]]
    polygon = {"type": "Polygon", "coordinates": [ring]}
    return AnalysisRun.objects.create(kind="coverage", name="测试覆盖分析", result={
        "isochrones": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": polygon, "properties": {"minutes": 5, "label": "5 分钟可达"}}]},
        "first_due_zones": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": polygon, "properties": {"station": "九曲站"}}]},
    })


def test_planning_layers_come_from_the_latest_run(login, world, coverage_run):
    iso = login("leader").get("/map/layers/isochrones.geojson").json()["features"]
    assert iso[0]["properties"]["title"] == "5 分钟可达"
    assert iso[0]["properties"]["url"] == f"/records/analysis-runs/{coverage_run.pk}/"
    assert login("liaison").get("/map/layers/first-due-zones.geojson").json()["features"] == []


def test_every_layer_is_geojson_with_record_links(login, world, coverage_run):
    client = login("leader")
    for slug in maps.LAYERS:
        data = client.get(f"/map/layers/{slug}.geojson?period=2025").json()
        assert data["type"] == "FeatureCollection", slug
        assert data["features"], slug
        for feature in data["features"]:
            assert feature["properties"]["url"].startswith("/records/"), slug
            assert feature["geometry"]["type"] in ("Point", "LineString", "Polygon", "MultiPolygon")


def test_key_units_are_marked(login, world):
    units = login("leader").get("/map/layers/units.geojson").json()["features"]
    assert {f["properties"]["title"]: f["properties"]["key"] for f in units} == {
        world[0]["unit"].name: True, world[1]["unit"].name: False}


def test_incident_layer_follows_the_period(login, world):
    client = login("leader")
    assert len(client.get("/map/layers/incidents.geojson?period=2025-04").json()["features"]) == 2
    assert client.get("/map/layers/incidents.geojson?period=2024").json()["features"] == []
    bad = client.get("/map/layers/incidents.geojson?period=20xx")
    assert bad.status_code == 400 and "无法识别统计期间" in bad.json()["error"]


def test_unknown_layer_is_404(login, world):
    assert login("leader").get("/map/layers/nope.geojson").status_code == 404


def test_map_page_lists_layers_without_tiles(login, world):
    html = login("leader").get("/map/").content.decode()
    assert "镇街边界" in html and "市政消火栓" in html and "不使用在线底图" in html
    assert "tile" not in html.lower()


def test_a_planning_layer_plugs_in(login, world):
    layer = maps.MapLayer("test-gaps", "消火栓空白路段", lambda access, period: [
        maps.feature({"type": "LineString", "coordinates": [[118.3, 35.0], [118.4, 35.0]]}, title="空白", url=None)],
        "line", "#000")
    maps.register_layer(layer)
    try:
        client = login("leader")
        assert "消火栓空白路段" in client.get("/map/").content.decode()
        assert client.get("/map/layers/test-gaps.geojson").json()["features"][0]["properties"]["title"] == "空白"
    finally:
        del maps.LAYERS["test-gaps"]
