"""The first-due station: the dispatching system's recorded area by default, the computed methods on
request, their comparison as a finding, and responding units by kind (stations, full-time teams,
micro fire stations)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from brigade.core.findings import collect_findings
from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.response.stats import incident_stats

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def areas(brigade, street):
    """West station at 118.40, east at 118.50. 30 calls recorded in WEST's area, 24 of them located
    next to EAST (the areas look badly drawn); 6 calls also get a micro fire station, first there."""
    from brigade.org.models import Station
    from brigade.response.models import Dispatch, Incident

    west = Station.objects.create(brigade=brigade, name="西站", lon=118.40, lat=35.0)
    east = Station.objects.create(brigade=brigade, name="东站", lon=118.50, lat=35.0)
    team = Station.objects.create(brigade=brigade, name="某镇专职队", kind="fulltime", lon=118.45, lat=35.0)
    micro = Station.objects.create(brigade=brigade, name="九曲社区微型消防站", kind="micro", street=street,
                                   lon=118.501, lat=35.0)  # nearest to every call: never a first-due station
    for i in range(30):
        t = dt.datetime(2025, 5, 1, 8, tzinfo=TZ) + dt.timedelta(hours=i)
        inc = Incident.objects.create(number=f"F{i:03d}", category="fire", received_at=t, street=street,
                                      lon=118.499 if i < 24 else 118.401, lat=35.0, first_due_station=west,
                                      dispatched_at=t + dt.timedelta(seconds=60))
        Dispatch.objects.create(incident=inc, station=west if i % 2 else team, dispatched_at=t + dt.timedelta(seconds=60),
                                arrived_at=t + dt.timedelta(seconds=60 + 300 + i))
        if i < 6:
            Dispatch.objects.create(incident=inc, station=micro, dispatched_at=t + dt.timedelta(seconds=60),
                                    arrived_at=t + dt.timedelta(seconds=60 + 100 + 20 * i))
    return {"west": west, "east": east, "micro": micro}


def test_recorded_area_is_the_default_and_the_method_is_named(areas):
    d = incident_stats("2025-05", "brigade")
    assert d["first_due"]["method"] == "stored" and d["first_due"]["by_method"] == {"stored": 30}
    rows = {r["station"]: r for r in d["stations"]}
    assert rows["西站"]["calls"] == 30 and rows.get("东站", {"calls": 0})["calls"] == 0
    assert rows["九曲社区微型消防站"]["kind"] == "micro" and rows["九曲社区微型消防站"]["calls"] == 0
    nearest = incident_stats("2025-05", "brigade", first_due="nearest")
    rows = {r["station"]: r for r in nearest["stations"]}
    assert nearest["first_due"]["method"] == "nearest" and "comparison" not in nearest["first_due"]
    assert rows["东站"]["calls"] == 24 and rows["西站"]["calls"] == 6  # the micro station is never first due
    out = io.StringIO()
    call_command("incidents", "stats", "--period", "2025-05", "--first-due", "nearest", stdout=out)
    assert "直线距离最近的消防站" in out.getvalue()


def test_units_by_kind_with_their_own_standard(areas):
    d = incident_stats("2025-05", "brigade")
    kinds = {r["kind"]: r for r in d["unit_kinds"]}
    micro, station, team = kinds["micro"], kinds["station"], kinds["fulltime"]
    assert (micro["dispatches"], micro["first_arrivals"], micro["first_arrival_share"]) == (6, 6, 0.2)
    assert micro["arrival"]["p50"] == 150.0 and micro["arrival"]["p90"] == 190.0  # 100…200 s every 20 s
    assert micro["standard"]["limit_s"] == 180 and micro["within_standard"] == {"within": 5, "known": 6}
    assert (station["dispatches"], team["dispatches"]) == (15, 15)
    assert station["first_arrivals"] + team["first_arrivals"] == 24
    assert station["standard"]["limit_s"] == 300 and station["within_standard_share"] == 0.0  # 301…329 s
    # The standard is configurable with its source.
    d = incident_stats("2025-05", "brigade", rules={"standards": {"micro_arrival": {"limit_s": 200}}})
    assert {r["kind"]: r for r in d["unit_kinds"]}["micro"]["within_standard"]["within"] == 6


def test_frequent_disagreement_with_the_nearest_station_is_a_finding(areas):
    d = incident_stats("2025-05", "brigade")
    comparison = d["first_due"]["comparison"]
    assert (comparison["compared"], comparison["agree"]) == (30, 6)
    found = [f for f in collect_findings(parse_period("2025-05"), parse_scope("brigade"))
             if f.code == "response.first_due_disagreement"]
    assert len(found) == 1 and "西站（24/30 起不一致）" in found[0].statement and found[0].part == "Q2"


def test_agreeing_areas_are_no_finding(areas):
    from brigade.response.models import Incident

    Incident.objects.filter(lon=118.499).update(lon=118.401)
    from brigade.response.columns import forget_all

    forget_all()
    found = [f for f in collect_findings(parse_period("2025-05"), parse_scope("brigade"))
             if f.code == "response.first_due_disagreement"]
    assert found == []


def test_road_network_method(areas):
    from brigade.resources.models import Road

    Road.objects.create(name="东西大道", road_class="arterial", coordinates=[[118.39, 35.0], [118.51, 35.0]])
    d = incident_stats("2025-05", "brigade", first_due="network")
    assert d["first_due"]["method_label"] == "道路网络行车时间最短的消防站"
    rows = {r["station"]: r["calls"] for r in d["stations"]}
    assert (rows["东站"], rows["西站"], rows["某镇专职队"]) == (24, 6, 0) and "（未确定辖区站）" not in rows


def test_micro_fire_stations_are_no_coverage_station(areas):
    from brigade.planning.coverage import CoverageParams, coverage_from_records
    from brigade.resources.models import Road

    Road.objects.create(name="东西大道", road_class="arterial", coordinates=[[118.39, 35.0], [118.51, 35.0]])
    _, result = coverage_from_records(CoverageParams(), with_geometry=False)
    names = {s["name"] for s in result["summary"]["stations"]}
    assert names == {"西站", "东站", "某镇专职队"}
