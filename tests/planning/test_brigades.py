"""Two brigades in one database: each saved analysis is one brigade's (its roads, stations, streets,
units and hydrants); brigade analyse runs one brigade or each in turn; reports read the analysis of
the brigade in scope."""

import io

import pytest
from django.core.management import call_command

from brigade.core.errors import UserError
from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.planning.kept import analyses_refresh
from brigade.planning.models import AnalysisRun

pytestmark = pytest.mark.django_db
STEP = 0.002


def territory(brigade, tag: str, lon0: float) -> dict:
    """A 5×3 grid of roads ``tag`` + 路/街 west of lon0 + 0.01, one street around it, one station, a key
    unit, an incident-free record set and two hydrants."""
    from brigade.org.models import Station, Street
    from brigade.resources.models import Hydrant, Road
    from brigade.units.models import SocialUnit

    lons = [round(lon0 + STEP * i, 6) for i in range(5)]
    lats = [round(35.0 + STEP * j, 6) for j in range(3)]
    ring = [[lons[0] - 0.001, 34.999], [lons[-1] + 0.001, 34.999], [lons[-1] + 0.001, lats[-1] + 0.001],
            [lons[0] - 0.001, lats[-1] + 0.001], [lons[0] - 0.001, 34.999]]
    street = Street.objects.create(brigade=brigade, name=f"{tag}街道", boundary={"type": "Polygon", "coordinates": [ring]})
    for j, lat in enumerate(lats):
        Road.objects.create(brigade=brigade, name=f"{tag}东西{j}路", road_class="arterial",
                            coordinates=[[x, lat] for x in lons])
    for i, lon in enumerate(lons):
        Road.objects.create(brigade=brigade, name=f"{tag}南北{i}街", road_class="local",
                            coordinates=[[lon, y] for y in lats])
    station = Station.objects.create(brigade=brigade, name=f"{tag}站", kind="level1", street=street,
                                     lon=lons[0], lat=lats[0])
    SocialUnit.objects.create(name=f"{tag}化工厂", site_category="logistics", street=street, is_key_unit=True,
                              lon=lons[-1], lat=lats[-1])
    Hydrant.objects.create(code=f"{tag}H1", lon=lons[0], lat=lats[0], status="in_service", street=street)
    return {"street": street, "station": station, "roads": 8}


@pytest.fixture
def two(brigade):
    from brigade.org.models import Brigade

    other = Brigade.objects.create(name="西山县大队")
    return {"A": brigade, "B": other, "a": territory(brigade, "东", 118.40), "b": territory(other, "西", 118.50)}


def test_each_saved_analysis_is_of_one_brigade(two):
    done = analyses_refresh(brigade=two["B"], new_stations=1, time_limit_s=5)
    runs = list(AnalysisRun.objects.all())
    assert len(runs) == 4 and {r.brigade_id for r in runs} == {two["B"].pk}
    coverage = done.runs["coverage"]
    assert [s["name"] for s in coverage.result["streets"]] == ["西街道"]
    assert [s["name"] for s in coverage.result["summary"]["stations"]] == ["西站"]
    assert {p["name"] for p in coverage.result["points"]["key_units"]["late"]} <= {"西化工厂"}
    assert [s["name"] for s in done.runs["water"].result["streets"]] == ["西街道"]
    assert done.runs["hydrant_siting"].summary["roads"] == 8 and done.runs["hydrant_siting"].summary[
        "existing_in_service"] == 1
    assert {b["street"] for b in done.runs["station_siting"].result["by_street"]} <= {"西街道", "未划定镇街"}


def test_a_run_needs_the_brigade_when_there_are_several(two):
    with pytest.raises(UserError, match="系统中有多个大队（测试大队、西山县大队），请用 --brigade 大队名称 指定为哪个大队分析"):
        analyses_refresh(new_stations=1)
    assert not AnalysisRun.objects.exists()


def test_the_command_analyses_each_brigade_in_turn_and_skips_one_without_roads(two):
    from brigade.org.models import Brigade

    Brigade.objects.create(name="北山大队")
    out = io.StringIO()
    call_command("analyse", "--new-stations", "1", "--time-limit", "5", stdout=out)
    text = out.getvalue()
    assert "跳过：北山大队还没有道路数据" in text
    assert "测试大队：已保存4项分析" in text and "西山县大队：已保存4项分析" in text
    assert set(AnalysisRun.objects.values_list("brigade__name", flat=True)) == {"测试大队", "西山县大队"}
    # One brigade only: the other's runs are left as they were.
    kept = set(AnalysisRun.objects.filter(brigade=two["A"]).values_list("pk", flat=True))
    call_command("analyse", "--brigade", "西山县大队", "--new-stations", "1", "--time-limit", "5", stdout=io.StringIO())
    assert set(AnalysisRun.objects.filter(brigade=two["A"]).values_list("pk", flat=True)) == kept
    assert AnalysisRun.objects.filter(brigade=two["B"]).count() == 8


@pytest.mark.parametrize(("args", "message"), [
    (["--brigade", "东山大队"], "没有名为“东山大队”的大队。系统中的大队：测试大队、西山县大队、北山大队。"),
    (["--brigade", "北山大队"], "北山大队还没有道路数据"),
])
def test_the_command_refuses_a_bad_brigade(two, args, message):
    from brigade.org.models import Brigade

    Brigade.objects.create(name="北山大队")
    with pytest.raises(UserError) as err:
        call_command("analyse", *args)
    assert message in str(err.value)
    assert not AnalysisRun.objects.exists()


def test_plan_items_and_the_comparison_read_the_brigade_in_scope(two):
    from brigade.metrics.compare import BrigadeFigures, _roads_within_pct
    from brigade.planning.plan_items import siting_findings

    analyses_refresh(brigade=two["A"], new_stations=1, time_limit_s=5)
    year = parse_period("2025")
    mine = {f.code for f in siting_findings(year, parse_scope("brigade:测试大队"))}
    theirs = {f.code for f in siting_findings(year, parse_scope("brigade:西山县大队"))}
    assert "planning.siting_missing" not in mine and "planning.siting_missing" in theirs
    assert siting_findings(year, parse_scope("detachment")) == []  # no one analysis covers two brigades
    scope_a, scope_b = parse_scope("brigade:测试大队"), parse_scope("brigade:西山县大队")
    assert _roads_within_pct(BrigadeFigures(two["A"], year, scope_a)) is not None
    assert _roads_within_pct(BrigadeFigures(two["B"], year, scope_b)) is None  # B has no analysis yet


def test_the_map_shows_each_brigades_latest_analysis_to_whom_it_may(two):
    from django.contrib.auth.models import User
    from django.test import Client

    from brigade.core.roles import LEADER, assign_role

    def coverage(brigade, label):
        square = [[118.4, 35.0], [118.41, 35.0], [118.41, 35.01], [118.4, 35.0]]
        return AnalysisRun.objects.create(kind="coverage", name=label, brigade=brigade, result={"isochrones": {
            "type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"label": label},
                                                       "geometry": {"type": "Polygon", "coordinates": [square]}}]}})

    coverage(two["A"], "东旧")
    coverage(two["A"], "东新")
    coverage(two["B"], "西新")

    def titles(user):
        client = Client()
        client.force_login(user)
        return sorted(f["properties"]["title"] for f in client.get("/map/layers/isochrones.geojson").json()["features"])

    assert titles(User.objects.create_superuser("admin", password=None)) == ["东新", "西新"]
    leader = User.objects.create_user("leader-a")
    assign_role(leader, LEADER, brigade=two["A"])
    assert titles(leader) == ["东新"]


def test_a_scenario_is_continued_for_its_own_brigade(two):
    from brigade.planning.network_store import PlanningError
    from brigade.planning.siting import DEFAULTS, SitingSettings, station_siting_run

    quick = SitingSettings(**{**DEFAULTS.__dict__, "time_limit_s": 5})
    first = station_siting_run(model="mclp", p=1, settings=quick, brigade=two["B"])
    again = station_siting_run(settings=quick, continue_from=first.pk)  # no --brigade needed: the run's
    assert again.brigade == two["B"] and again.summary["continued_from"] == first.pk
    with pytest.raises(PlanningError, match=f"分析记录 #{first.pk} 属于其他大队，不能为测试大队续算"):
        station_siting_run(settings=quick, continue_from=first.pk, brigade=two["A"])
