"""Coverage from the records: stored run, per-street shares, Q2 findings, the coverage command."""

import datetime as dt
import json

import numpy as np
import pytest
from django.core.management import call_command

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE
from brigade.planning.coverage import CoverageParams, coverage_findings, coverage_run
from brigade.planning.network_store import PlanningError, stored_network

pytestmark = pytest.mark.django_db

LON0, LAT0, STEP = 118.396, 34.996, 0.002


def box(lon1, lon2, lat1=34.99, lat2=35.01):
    return {"type": "Polygon", "coordinates": [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]]}


@pytest.fixture
def district(street, station):
    """A 9×5 grid of named roads; 九曲街道 (with 九曲站) in the west, 东区街道 (no station) in the east."""
    from brigade.org.models import Street
    from brigade.resources.models import Road
    from brigade.units.models import SocialUnit

    street.boundary = box(118.39, 118.404)
    street.save()
    east = Street.objects.create(brigade=street.brigade, name="东区街道", boundary=box(118.404, 118.42), area_km2=5)
    lons = [round(LON0 + STEP * i, 6) for i in range(9)]
    lats = [round(LAT0 + STEP * j, 6) for j in range(5)]
    for j, lat in enumerate(lats):
        Road.objects.create(name=f"东西{j}路", road_class="arterial", coordinates=[[x, lat] for x in lons])
    for i, lon in enumerate(lons):
        Road.objects.create(name=f"南北{i}街", road_class="local", coordinates=[[lon, y] for y in lats])
    SocialUnit.objects.create(name="近处商场", site_category="logistics", street=street, lon=118.4005, lat=35.0)
    SocialUnit.objects.create(name="远处化工厂", site_category="logistics", street=east, is_key_unit=True,
                              lon=118.412, lat=35.004)
    SocialUnit.objects.create(name="无坐标单位", site_category="logistics", street=east)
    return street, east


def test_stored_network_joins_crossing_roads(district):
    net = stored_network()
    assert net.node_count == 45 and net.edge_count == 8 * 5 + 4 * 9


def test_no_roads_is_a_clear_error(station):
    with pytest.raises(PlanningError, match="还没有道路数据"):
        coverage_run(params=CoverageParams(minutes=5))


def test_run_is_stored_with_street_shares(district):
    west, east = district
    run, cov = coverage_run(params=CoverageParams(minutes=2, turnout_s=60))
    run.refresh_from_db()
    assert run.kind == "coverage" and run.summary["minutes"] == 2
    streets = {r["name"]: r for r in run.result["streets"]}
    assert streets["九曲街道"]["stations"] == 1 and streets["东区街道"]["stations"] == 0
    assert run.result["streets_without_station"] == ["东区街道"]
    # 2 min = 60 s turnout + 60 s driving: ~0.5-0.67 km; the west street is mostly reached, the east one hardly.
    assert streets["九曲街道"]["road_share"] > 0.5 > streets["东区街道"]["road_share"]
    assert streets["九曲街道"]["units_reached"] == 1
    assert (streets["东区街道"]["key_units_total"], streets["东区街道"]["key_units_reached"]) == (1, 0)
    assert run.result["points"]["units"]["unlocated"] == 1
    late = run.result["points"]["key_units"]["late"]
    assert [p["name"] for p in late] == ["远处化工厂"] and late[0]["street"] == "东区街道"
    assert {f["properties"]["minutes"] for f in run.result["isochrones"]["features"]} == {4.0, 5.0, 8.0}
    # Node times agree with the Coverage returned alongside.
    assert np.nanmax(cov.travel_time_s) == pytest.approx(run.summary["travel_time_s_max"], abs=0.1)


def test_q2_findings(district, settings):
    from django.utils import timezone

    from brigade.response.models import Incident

    west, east = district
    for number, year, lon in (("J2025-1", 2025, 118.412), ("J2025-2", 2025, 118.4), ("J2024-1", 2024, 118.412)):
        Incident.objects.create(number=number, category="fire", street=east, lon=lon, lat=35.004,
                                received_at=timezone.make_aware(dt.datetime(year, 5, 1, 10)))
    settings.BRIGADE_COVERAGE_MINUTES = 2
    found = {f.code: f for f in coverage_findings(parse_period("2025"), BRIGADE)}
    late = found["coverage.incidents_not_reached"]
    assert late.metrics == {"incidents_located": 2, "incidents_late": 1}
    assert late.evidence[0]["警情编号"] == "J2025-1"
    assert "东区街道" in found["coverage.streets_without_station"].statement
    assert found["coverage.streets_not_reached"].part == "Q2"
    assert found["coverage.key_units_not_reached"].evidence[0]["单位"] == "远处化工厂"


def test_no_roads_means_no_findings(station):
    assert coverage_findings(parse_period("2025"), None) == []


def test_command_json_from_records(district, tmp_path):
    out = tmp_path / "cov.json"
    call_command("coverage", "--minutes", "3", "--format", "json", "--out", str(out), "--no-save")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 45
    node = data["nodes"][0]
    assert set(node) == {"node_id", "lon", "lat", "nearest_station", "travel_time_s"}
    assert node["nearest_station"] == "九曲站"
    assert data["summary"]["minutes"] == 3
    from brigade.planning.models import AnalysisRun

    assert not AnalysisRun.objects.exists()


def test_command_table_saves_a_run(district, capsys):
    call_command("coverage", "--minutes", "5")
    out = capsys.readouterr().out
    assert "消防站覆盖分析" in out and "东区街道" in out
    from brigade.planning.models import AnalysisRun

    assert AnalysisRun.objects.count() == 1


def test_period_is_accepted_as_any_object_with_an_end(district):
    duck = coverage_findings(type("P", (), {"end": dt.date(2025, 12, 31)})(), None)
    real = coverage_findings(parse_period("2025"), None)
    assert [(f.code, f.metrics) for f in duck] == [(f.code, f.metrics) for f in real]
    assert [(f.code, f.metrics) for f in duck] == [("coverage.streets_without_station", {"streets_without_station": 1})]
