"""Station and hydrant siting on stored records: saved runs, coverage by street, N3 findings, the plan command."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brigade.core.errors import UserError

pytestmark = pytest.mark.django_db

LON0, LAT0, STEP = 118.396, 34.996, 0.004  # ~365 m east-west, ~445 m north-south between roads


def box(lon1, lon2, lat1=34.99, lat2=35.02):
    return {"type": "Polygon", "coordinates": [[[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]]]}


@pytest.fixture
def district(street, station):
    """A 9×5 grid of roads, 九曲站 at the west end; 东区街道 in the east has incidents and no station."""
    from brigade.org.models import Street
    from brigade.resources.models import Hydrant, Road
    from brigade.response.models import Incident
    from brigade.units.models import SocialUnit
    from tests.conftest import make_credit_code

    station.lon, station.lat = LON0, LAT0
    station.save()
    street.boundary = box(118.39, 118.41)
    street.save()
    east = Street.objects.create(brigade=street.brigade, name="东区街道", boundary=box(118.41, 118.44), area_km2=5)
    lons = [round(LON0 + STEP * i, 6) for i in range(9)]
    lats = [round(LAT0 + STEP * j, 6) for j in range(5)]
    for j, lat in enumerate(lats):
        Road.objects.create(name=f"东西{j}路", road_class="arterial", coordinates=[[x, lat] for x in lons])
    for i, lon in enumerate(lons):
        Road.objects.create(name=f"南北{i}街", road_class="local", coordinates=[[lon, y] for y in lats])
    when = dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)
    for k in range(6):
        Incident.objects.create(number=f"JQ{k}", category="fire", received_at=when, street=east,
                                lon=lons[7] + 0.0005 * (k % 2), lat=lats[2 + k % 2])
    SocialUnit.objects.create(name="东区化工仓库", credit_code=make_credit_code(7), site_category="hazmat",
                              street=east, lon=lons[8], lat=lats[4], is_key_unit=True)
    SocialUnit.objects.create(name="东区医院", credit_code=make_credit_code(8), site_category="hospital",
                              street=east, lon=lons[6], lat=lats[1], is_key_unit=True)
    Hydrant.objects.create(code="XHS-1", lon=lons[0], lat=lats[0], road_name="东西0路")
    return east


def test_mclp_run_is_saved_and_covers_the_east(district):
    from brigade.planning.models import AnalysisKind, AnalysisRun
    from brigade.planning.siting import SitingSettings, station_siting_run

    run = station_siting_run(model="mclp", p=1, minutes=3, settings=SitingSettings(road_weight_per_km=0))
    saved = AnalysisRun.objects.get(pk=run.pk)
    assert saved.kind == AnalysisKind.STATION_SITING
    s = saved.summary
    assert s["status"] == "optimal" and s["gap"] == 0 and len(s["selected"]) == 1
    assert s["covered_after_pct"] > s["covered_before_pct"]
    east = next(b for b in saved.result["by_street"] if b["street"] == "东区街道")
    assert east["share_after_pct"] > east["share_pct"]
    # the chosen site keeps its distance from the hazardous site (300 m by default)
    assert s["candidates_excluded_near_hazards"] >= 1


def test_lscp_and_pmedian_runs(district):
    from brigade.planning.siting import SitingSettings, station_siting_run

    settings = SitingSettings(road_weight_per_km=0)
    lscp_run = station_siting_run(model="lscp", minutes=3, settings=settings, save=False)
    assert lscp_run.summary["covered_after_pct"] == 100.0 or lscp_run.summary["uncoverable"] > 0
    pm = station_siting_run(model="pmedian", p=2, settings=settings, save=False)
    assert len(pm.summary["selected"]) == 2 and pm.summary["status"] == "optimal"
    curve = pm.result["curve"]
    assert len(curve) == 2 and curve[1] <= curve[0]  # a second station never lengthens the runs


def test_user_candidates_and_bad_input(district, tmp_path):
    from brigade.planning.siting import PlanningError, station_siting_run

    path = tmp_path / "c.csv"
    path.write_text("name,lon,lat\n东区候选,118.42,35.0\n西区候选,118.397,34.997\n", encoding="utf-8")
    run = station_siting_run(model="mclp", p=1, minutes=3, candidates_csv=path, save=False)
    assert run.summary["selected"][0]["name"] == "东区候选"
    with pytest.raises(PlanningError, match="大于候选站点数 2"):
        station_siting_run(model="mclp", p=3, candidates_csv=path, save=False)
    empty = tmp_path / "e.csv"
    empty.write_text("name,lon,lat\n", encoding="utf-8")
    with pytest.raises(PlanningError, match="没有候选站点"):
        station_siting_run(model="mclp", p=1, candidates_csv=empty, save=False)
    with pytest.raises(PlanningError, match="--p"):
        station_siting_run(model="pmedian", save=False)


def test_findings_for_part_3(district):
    from brigade.planning.plan_items import siting_findings
    from brigade.planning.siting import hydrant_siting_run, station_siting_run

    station_siting_run(model="mclp", p=1, minutes=3)
    hydrant_siting_run()
    found = {f.code: f for f in siting_findings(None, None)}
    assert found["planning.station_siting"].part == "N3"
    assert "新建消防站" in found["planning.station_siting"].statement
    assert "补建市政消火栓" in found["planning.hydrant_siting"].statement


def test_hydrant_run_counts_new_positions(district):
    from brigade.planning.siting import hydrant_siting_run

    run = hydrant_siting_run(save=False)
    s = run.summary
    assert s["roads"] == 14 and s["new_hydrants"] > 0
    # an east-west road is 8 × ~365 m ≈ 2.9 km long: about 2920/120 hydrants, fewer where one exists
    road = next(r for r in run.result["roads"] if r["name"] == "东西0路")
    assert 20 <= road["new"] <= 25 and road["existing"] == 1


def test_plan_command_json(district, capsys):
    call_command("plan", "stations", "--model", "mclp", "--p", "1", "--minutes", "3", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert out["objective"] > 0 and out["gap"] == 0 and out["run"]
    call_command("plan", "hydrants", "--no-save")
    assert "需补建消火栓" in capsys.readouterr().out


def test_plan_command_bad_input_is_a_user_error(district):
    with pytest.raises(UserError):
        call_command("plan", "stations", "--model", "mclp", "--p", "1", "--minutes", "-1")
    # a radius would be silently ignored on the stored network: refused, naming what to use instead
    with pytest.raises(CommandError, match="--minutes"):
        call_command("plan", "stations", "--model", "mclp", "--p", "1", "--radius", "600")


def test_cost_matrix_cli_prints_json_and_exits_2_on_bad_input(tmp_path):
    costs = tmp_path / "c.csv"
    costs.write_text("a,b,c\n1,5,9\n2,3,1\n8,2,2\n", encoding="utf-8")
    weights = tmp_path / "w.csv"
    weights.write_text("1\n2\n3\n", encoding="utf-8")
    env = {**os.environ, "BRIGADE_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "brigade.cli", "plan", "stations", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    ok = run("--model", "mclp", "--p", "1", "--cost-matrix", str(costs), "--weights", str(weights), "--radius", "2",
             "--format", "json")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["objective"] == 5 and out["selected"] == [2] and out["gap"] == 0 and "seconds" in out
    bad = run("--model", "pmedian", "--p", "4", "--cost-matrix", str(costs))
    assert bad.returncode == 2 and "大于候选站点数 3" in bad.stderr and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "args", "fragment"),
    [
        ("1,\n2,3\n", ["--model", "pmedian", "--p", "1"], "NaN"),
        ("1,-2\n2,3\n", ["--model", "pmedian", "--p", "1"], "负值"),
        ("1,2\ninf,inf\n", ["--model", "pmedian", "--p", "1"], "第 2 行"),
        ("1,2\n3\n", ["--model", "pmedian", "--p", "1"], "列"),
        ("a,b,c\n3,4\n", ["--model", "pmedian", "--p", "1"], "第 2 行有 2 列，与表头的 3 列不一致"),
        ("1,2\n3,4\n", ["--model", "mclp", "--p", "1"], "--radius"),
        ("1,2\n3,4\n", ["--model", "mclp", "--p", "1", "--radius", "2", "--weights", "W"], "不一致"),
    ],
)
def test_cost_matrix_bad_input_messages(tmp_path, content, args, fragment):
    from brigade.analysis.errors import AnalysisError

    path = tmp_path / "c.csv"
    path.write_text(content, encoding="utf-8")
    weights = tmp_path / "w.csv"
    weights.write_text("1\n2\n3\n", encoding="utf-8")
    args = [str(weights) if a == "W" else a for a in args]
    with pytest.raises((UserError, AnalysisError, CommandError)) as err:
        call_command("plan", "stations", "--cost-matrix", str(path), *args)
    assert fragment in str(err.value)
