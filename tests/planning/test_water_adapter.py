"""Water supply from the records: stored run, condition, intake points, Q3 findings, the water command."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE
from brigade.planning.water import WaterParams, water_findings, water_run

pytestmark = pytest.mark.django_db

STEP = 0.0009  # ≈ 100 m of latitude


@pytest.fixture
def roads(street):
    from brigade.resources.models import Hydrant, Road, WaterSource

    street.boundary = {"type": "Polygon", "coordinates": [[[118.3, 34.9], [118.5, 34.9], [118.5, 35.1],
                                                           [118.3, 35.1], [118.3, 34.9]]]}
    street.save()
    # 沂蒙路: 1 km due north; 九曲街: 300 m east from its start; 滨河路: 400 m elsewhere, no hydrant.
    Road.objects.create(name="沂蒙路", road_class="arterial",
                        coordinates=[[118.4, round(35.0 + STEP * k, 6)] for k in range(11)])
    Road.objects.create(name="九曲街", road_class="local", coordinates=[[118.4, 35.0], [118.4033, 35.0]])
    Road.objects.create(name="滨河路", road_class="local", coordinates=[[118.45, 35.05], [118.45, 35.0536]])
    day = dt.date(2025, 6, 30)
    for code, k, status, checked in (("H1", 0, "in_service", day), ("H2", 1, "in_service", day),
                                     ("H3", 4, "in_service", None), ("H4", 6, "damaged", day)):
        Hydrant.objects.create(code=code, lon=118.4, lat=round(35.0 + STEP * k, 6), status=status,
                               last_checked_on=checked, street=street, road_name="沂蒙路")
    Hydrant.objects.create(code="H9", lon=118.49, lat=35.09, street=street)  # far from every road
    WaterSource.objects.create(name="沂河取水点", kind="intake", lon=118.41, lat=35.01, street=street)
    return street


def test_run_finds_gaps_spacing_and_roads_without_hydrant(roads):
    run = water_run(params=WaterParams(), save=True)
    r = run.result
    assert r["summary"]["hydrants_on_network"] == 4 and r["off_network"] == ["H9"]
    assert [x["road"] for x in r["roads_without_hydrant"]] == ["滨河路"]
    gaps = {g["road"]: g for g in r["gaps_by_road"]}
    # 沂蒙路 covered from 0 to 400 + 150 m (H4 is damaged): ~450 m of 1000 m uncovered.
    assert gaps["沂蒙路"]["gap_m"] == pytest.approx(450, rel=0.01)
    assert gaps["滨河路"]["gap_m"] == pytest.approx(gaps["滨河路"]["length_m"])
    assert [(v["a"], v["b"]) for v in r["spacing_violations"]] == [("H2", "H3")]
    assert r["spacing_violations"][0]["distance_m"] == pytest.approx(300, rel=0.01)
    assert [c["code"] for c in r["condition"]["not_in_service"]] == ["H4"]
    assert {c["code"] for c in r["condition"]["unchecked"]} >= {"H3"}
    assert r["intake_points"] == [{"area": "九曲街道", "intake_points": 1, "area_km2": 40.0, "per_10km2": 0.25}]


def test_q3_findings(roads):
    found = {f.code: f for f in water_findings(parse_period("2025"), BRIGADE)}
    assert "滨河路" in found["water.roads_without_hydrant"].statement
    assert found["water.protection_gaps"].part == "Q3"
    assert found["water.spacing"].metrics["spacing_violations"] == 1
    assert found["water.hydrant_condition"].metrics["not_in_service"] == 1


def test_water_command_json(roads, tmp_path):
    out = tmp_path / "water.json"
    call_command("water", "--format", "json", "--out", str(out), "--spacing", "400", "--no-save")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["spacing_violations"] == [] and data["summary"]["spacing_m"] == 400
