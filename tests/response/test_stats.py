"""Incident statistics on a small hand-built brigade whose every figure is worked out by hand."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brigade.core.errors import UserError
from brigade.core.period import parse_period
from brigade.core.scope import Scope, parse_scope
from brigade.metrics.registry import compute
from brigade.response.stats import incident_stats

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hh: int, mm: int, ss: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hh, mm, ss, tzinfo=TZ)


@pytest.fixture
def town(brigade, street, station):
    """Two stations 9 km apart; three calls in March 2025 and one in 2024.

    Call 1 (fire, in 九曲站's area): 城东站's vehicle arrives first (travel 4:00, 4:30 after the
    dispatch order) — the first-due station did NOT arrive first.
    Call 2 (rescue, 九曲站's area): 九曲站 alone, 8:00 after the order — outside the standard.
    Call 3 (false alarm): no vehicle, no coordinates.
    """
    from brigade.org.models import Station, Street
    from brigade.resources.models import Vehicle
    from brigade.response.models import Dispatch, Incident

    east_street = Street.objects.create(brigade=brigade, name="城东街道", code="371312002")
    east = Station.objects.create(brigade=brigade, name="城东站", kind="level2", street=east_street,
                                  lon=118.5, lat=35.0)
    a1 = Vehicle.objects.create(plate="鲁Q1119", kind="water_tanker", station=station,
                                commissioned_on=dt.date(2020, 1, 1))
    b1 = Vehicle.objects.create(plate="鲁Q2119", kind="foam", station=east, commissioned_on=dt.date(2020, 1, 1))
    fire = Incident.objects.create(number="J001", category="fire", received_at=at(3, 10, 0),
                                   dispatched_at=at(3, 10, 1), cleared_at=at(3, 10, 50), street=street,
                                   lon=118.41, lat=35.0, direct_loss=500)
    Dispatch.objects.create(incident=fire, station=station, vehicle=a1, crew_count=5, dispatched_at=at(3, 10, 1),
                            departed_at=at(3, 10, 2), arrived_at=at(3, 10, 6), returned_at=at(3, 11, 0))
    Dispatch.objects.create(incident=fire, station=east, vehicle=b1, crew_count=4, dispatched_at=at(3, 10, 1),
                            departed_at=at(3, 10, 1, 30), arrived_at=at(3, 10, 5, 30), returned_at=at(3, 11, 30))
    rescue = Incident.objects.create(number="J002", category="rescue", received_at=at(4, 8, 0),
                                     dispatched_at=at(4, 8, 2), street=street, lon=118.401, lat=35.0)
    Dispatch.objects.create(incident=rescue, station=station, vehicle=a1, crew_count=6, dispatched_at=at(4, 8, 2),
                            departed_at=at(4, 8, 3), arrived_at=at(4, 8, 10), returned_at=at(4, 9, 0))
    Incident.objects.create(number="J003", category="false", received_at=at(5, 9, 0), street=east_street)
    Incident.objects.create(number="J000", category="fire", received_at=dt.datetime(2024, 3, 3, tzinfo=TZ))
    return {"east": east, "fire": fire, "rescue": rescue, "a1": a1}


def test_call_level_intervals_use_the_first_arriving_vehicle(town):
    d = incident_stats(parse_period("2025-03"), Scope("brigade"))
    s = d["summary"]
    assert (s["calls"], s["vehicles"], s["personnel"], s["calls_with_arrival"]) == (3, 3, 15, 2)
    # Call 1: alarm 60, turnout 30, travel 240, total 330, on scene 2670; call 2: 120, 60, 420, 600, —.
    assert s["p50"] == {"alarm_handling": 90.0, "turnout": 45.0, "travel": 330.0, "total_response": 465.0,
                        "on_scene": 2670.0}
    assert s["p90"]["total_response"] == 573.0  # 330 + 0.9 × 270, linear interpolation
    assert s["n"]["on_scene"] == 1
    # From the dispatch order: call 1 in 4:30 (within 5 min), call 2 in 8:00.
    assert s["within_standard_share"] == 0.5 and s["within_standard"] == {"within": 1, "known": 2}
    assert s["travel_within_share"] == 0.5


def test_stations_carry_their_area_calls_and_their_own_vehicles(town):
    d = incident_stats("2025-03", "brigade")
    rows = {r["station"]: r for r in d["stations"]}
    jiuqu, east = rows["九曲站"], rows["城东站"]
    assert jiuqu["calls"] == 2 and east["calls"] == 0  # both located calls are nearer 九曲站
    assert jiuqu["p90"]["travel"] == 402.0 and east["p90"]["travel"] is None  # None: 无数据, never 0
    assert jiuqu["within_standard_share"] == 0.5
    assert (jiuqu["vehicles"], jiuqu["personnel"], jiuqu["first_arrivals"]) == (2, 11, 1)
    assert (east["vehicles"], east["personnel"], east["first_arrivals"], east["attended"]) == (1, 4, 1, 1)
    assert jiuqu["first_due_arrived_first_share"] == 0.5
    # No call has a recorded first-due area: the default method falls back to the nearest station, and says so.
    first_due = {k: v for k, v in d["first_due"].items() if k != "comparison"}
    assert first_due == {"method": "stored", "method_label": "接处警系统记录的辖区站（无记录时：直线距离最近的消防站）",
                         "calls_with_first_due": 2, "judged": 2, "arrived_first": 1, "share": 0.5,
                         "by_method": {"stored": 0, "nearest": 2}}
    assert d["first_due"]["comparison"]["compared"] == 0
    # The false alarm has no coordinates: it is counted, under an undetermined area.
    assert rows["（未确定辖区站）"]["calls"] == 1


def test_breakdowns_by_street_category_month_hour_weekday_and_vehicle(town):
    d = incident_stats("2025-03", "brigade")
    assert {r["street"]: r["calls"] for r in d["streets"]} == {"九曲街道": 2, "城东街道": 1}
    cats = {r["category"]: r["calls"] for r in d["categories"]}
    assert cats == {"fire": 1, "rescue": 1, "assistance": 0, "duty": 0, "false": 1}
    assert d["months"] == [{"month": "2025-03", "calls": 3, "vehicles": 3}]
    hours = {r["hour"]: r["calls"] for r in d["hours"] if r["calls"]}
    assert hours == {8: 1, 9: 1, 10: 1}  # local (Beijing) hours
    assert [r["calls"] for r in d["weekdays"]] == [1, 1, 1, 0, 0, 0, 0]  # Mon 3rd, Tue 4th, Wed 5th
    busy = {r["vehicle"]: r["busy_hours"] for r in d["vehicles"]}
    assert busy == {"鲁Q1119": round((59 + 58) / 60, 2), "鲁Q2119": round(89 / 60, 2)}
    assert d["simultaneous"]["simultaneous_calls"] == 0 and d["simultaneous"]["peak"] == 1
    # ¥500 and no casualties, but in March 2025 the 2007 rule (no 轻微火灾 class) is in force.
    assert d["fire_grades"]["counts"]["ordinary"] == 1 and d["fire_grades"]["counts"]["minor"] == 0


def test_a_minor_fire_after_may_2025(town):
    from brigade.response.models import Incident

    Incident.objects.create(number="J010", category="fire", received_at=dt.datetime(2025, 6, 1, 8, tzinfo=TZ),
                            direct_loss=999)
    assert incident_stats("2025-06", "brigade")["fire_grades"]["counts"]["minor"] == 1


def test_empty_period_gives_no_data_not_zero(town):
    d = incident_stats("2023", "brigade")
    assert d["summary"]["calls"] == 0
    assert all(v is None for v in d["summary"]["p90"].values())
    assert d["summary"]["within_standard_share"] is None
    table = compute(parse_period("2023"), codes=["response.p90_travel_s", "response.within_standard_pct"],
                    with_previous=False)
    assert table.value("response.p90_travel_s") is None and table.value("response.within_standard_pct") is None


def test_scopes_street_and_station(town):
    by_street = incident_stats("2025-03", "street:城东街道")
    assert by_street["summary"]["calls"] == 1 and by_street["summary"]["vehicles"] == 0
    east = incident_stats("2025-03", parse_scope("station:城东站"))
    # Calls the station attended, with ALL their vehicles (the first arrival is call-level).
    assert east["summary"]["calls"] == 1 and east["summary"]["vehicles"] == 2
    assert east["summary"]["p50"]["travel"] == 240.0


def test_quality_checks_list_counts_and_records(town):
    from brigade.response.models import Dispatch, Incident

    # Imported data the form would refuse: arrival before the call's dispatch order (the database
    # checks a vehicle only against itself), and a travel of three hours.
    odd = Incident.objects.create(number="J004", category="rescue", received_at=at(6, 12, 0),
                                  dispatched_at=at(6, 12, 5), lon=118.4, lat=35.0)
    Dispatch.objects.create(incident=odd, station=town["a1"].station, departed_at=at(6, 12, 1),
                            arrived_at=at(6, 12, 3))
    slow = Incident.objects.create(number="J005", category="rescue", received_at=at(7, 12, 0),
                                   dispatched_at=at(7, 12, 1), lon=118.4, lat=35.0)
    Dispatch.objects.create(incident=slow, station=town["a1"].station, dispatched_at=at(7, 12, 1),
                            departed_at=at(7, 12, 2), arrived_at=at(7, 15, 2))
    Dispatch.objects.create(incident=Incident.objects.create(number="J006", category="duty", lon=118.4, lat=35.0,
                                                             received_at=at(8, 12, 0)),
                            station=town["a1"].station, dispatched_at=at(8, 12, 1))
    d = incident_stats("2025-03", "brigade")
    q = {row["code"]: row for row in d["quality"]}
    assert q["no_dispatch"]["count"] == 1 and q["no_dispatch"]["records"][0]["number"] == "J003"
    assert q["no_arrival"]["count"] == 1 and q["no_arrival"]["records"][0]["number"] == "J006"
    assert [r["number"] for r in q["arrival_before_dispatch"]["records"]] == ["J004"]
    assert q["missing_coordinates"]["count"] == 1
    assert q["implausible_intervals"]["count"] == 2  # J004's negative turnout, J005's 3-hour travel
    assert q["implausible_intervals"]["by_interval"]["travel"] == 1
    # Flagged calls still count; their flagged intervals stay out of the percentiles.
    assert d["summary"]["calls"] == 6
    assert d["summary"]["n"]["travel"] == 3 and d["summary"]["p90"]["travel"] < 3600
    # The limit is configurable.
    loose = incident_stats("2025-03", "brigade", rules={"implausible": {"travel": {"max_s": 20000}}})
    assert loose["summary"]["n"]["travel"] == 4


def test_first_due_is_pluggable(town):
    from brigade.response.stats import first_due_by_street

    d = incident_stats("2025-03", "brigade", first_due=first_due_by_street)
    rows = {r["station"]: r["calls"] for r in d["stations"]}
    assert rows["九曲站"] == 2 and rows["城东站"] == 1  # each street has one station


def test_query_count_does_not_grow_with_rows(town):
    from brigade.response.columns import forget_all
    from brigade.response.models import Dispatch, Incident

    incident_stats("2025-03", "brigade", record_limit=0)  # the month's cache row now exists
    forget_all()
    with CaptureQueriesContext(connection) as small:
        incident_stats("2025-03", "brigade", record_limit=0)
    for i in range(40):
        inc = Incident.objects.create(number=f"K{i}", category="rescue", received_at=at(10, 8, i),
                                      dispatched_at=at(10, 8, i, 30))
        Dispatch.objects.create(incident=inc, station=town["east"], dispatched_at=at(10, 8, i, 30))
    forget_all()  # the writes forgot March only; the local month reaches into February (UTC)
    with CaptureQueriesContext(connection) as big:
        d = incident_stats("2025-03", "brigade", record_limit=0)
    assert d["summary"]["calls"] == 43
    assert len(big) == len(small) <= 12  # each month stored costs a savepoint around its UPDATE
    with CaptureQueriesContext(connection) as warm:  # from the cache: the records are not read
        assert incident_stats("2025-03", "brigade", record_limit=0) == d
    assert len(warm) < len(big)
    assert not any('FROM "response_dispatch"' in q["sql"] or 'FROM "response_incident"' in q["sql"]
                   for q in warm.captured_queries)


def test_metrics_read_the_same_figures(town):
    table = compute(parse_period("2025-03"), codes=[
        "response.p90_total_response_s", "response.p50_travel_s", "response.within_standard_pct",
        "response.first_due_first_pct", "response.quality_no_dispatch", "response.fires_ordinary",
        "response.peak_concurrent", "response.vehicle_busy_hours"])
    assert table.value("response.p90_total_response_s") == 573.0
    assert table.value("response.p50_travel_s") == 330.0
    assert table.value("response.within_standard_pct") == 50.0
    assert table.value("response.first_due_first_pct") == 50.0
    assert table.value("response.quality_no_dispatch") == 1
    assert table.value("response.fires_ordinary") == 1
    assert table.value("response.peak_concurrent") == 1
    assert table.value("response.vehicle_busy_hours") == round((59 + 58 + 89) / 60, 1)


def test_cli_json_table_and_xlsx(town, tmp_path):
    from openpyxl import load_workbook

    out = io.StringIO()
    call_command("incidents", "stats", "--period", "2025-03", "--format", "json", stdout=out)
    d = json.loads(out.getvalue())
    station = next(r for r in d["stations"] if r["station"] == "九曲站")
    assert station["calls"] == 2 and set(station["p50"]) == set(station["p90"]) >= {"travel", "total_response"}
    assert "within_standard_share" in station

    out = io.StringIO()
    call_command("incidents", "stats", "--period", "2025-03", "--scope", "station:城东站", stdout=out)
    text = out.getvalue()
    assert "城东站 2025年3月 接处警统计" in text and "5分钟到场率" in text and "无数据" in text

    path = tmp_path / "s.xlsx"
    call_command("incidents", "stats", "--period", "2025-03", "--format", "xlsx", "--out", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["概况", "消防站", "镇街"]
    assert wb["概况"]["B3"].value == 3


def test_api_gives_the_cli_json_and_refuses_bad_input_in_chinese(town, street):
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    from brigade.core.roles import LIAISON, assign_role

    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("chief", password="x-very-long-password-1"))
    out = io.StringIO()
    call_command("incidents", "stats", "--period", "2025-03", "--scope", "station:城东站", "--format", "json",
                 "--limit", "1", stdout=out)
    body = api.get("/api/incidents/stats/?period=2025-03&scope=station:城东站&limit=1")
    assert body.status_code == 200
    assert body.json() == json.loads(out.getvalue())
    assert body.json()["stations"][0]["within_standard_share"] is not None
    for query, message in (("period=2025-13", "月份 13 不存在"), ("period=2025&limit=-1", "参数 limit 应为不小于 0 的整数"),
                           ("period=2025&first_due=road", "未知的辖区站判定方法“road”"),
                           ("period=2025&scope=station:无此站", "没有名为“无此站”的消防站")):
        bad = api.get(f"/api/incidents/stats/?{query}")
        assert bad.status_code == 400 and message in bad.json()["detail"][0], query
    liaison = User.objects.create_user("jiuqu", password=None)
    assign_role(liaison, LIAISON, street=street)
    api.force_authenticate(liaison)
    assert api.get(f"/api/incidents/stats/?period=2025-03&scope=street:{street.name}").status_code == 200
    refused = api.get("/api/incidents/stats/?period=2025-03")
    assert refused.status_code == 403 and "您只能查看" in refused.json()["detail"]


def test_cli_bad_input_is_a_user_error(town):
    with pytest.raises(UserError, match="月份 13 不存在"):
        call_command("incidents", "stats", "--period", "2025-13", stdout=io.StringIO())
    with pytest.raises(UserError, match="--out"):
        call_command("incidents", "stats", "--period", "2025", "--format", "xlsx", stdout=io.StringIO())
    with pytest.raises(UserError, match="没有名为“无此站”的消防站"):
        call_command("incidents", "stats", "--period", "2025", "--scope", "station:无此站", stdout=io.StringIO())
    with pytest.raises(UserError, match="请用 --period 指定统计期间"):
        call_command("incidents", "stats", stdout=io.StringIO())
    with pytest.raises(CommandError, match="参数 --first-due 的取值“road”无效，可选：nearest、network、stored、street"):
        call_command("incidents", "stats", "--period", "2025", "--first-due", "road", stdout=io.StringIO())


def test_out_of_order_timelines_are_refused_at_entry_with_the_field_named(town):
    from django.core.exceptions import ValidationError

    from brigade.response.models import Dispatch

    d = Dispatch(incident=town["rescue"], station=town["east"], dispatched_at=at(4, 8, 2), departed_at=at(4, 8, 5),
                 arrived_at=at(4, 8, 4))
    with pytest.raises(ValidationError) as err:
        d.full_clean()
    assert err.value.message_dict["arrived_at"] == ["到场时间不能早于出车时间。"]


def test_cli_xlsx_writes_a_formula_looking_street_as_text(town, tmp_path):
    from openpyxl import load_workbook

    from brigade.org.models import Street

    Street.objects.filter(name="九曲街道").update(name="=cmd|' /c calc'!A1")
    path = tmp_path / "s.xlsx"
    call_command("incidents", "stats", "--period", "2025-03", "--format", "xlsx", "--out", str(path), stdout=io.StringIO())
    cells = [c for row in load_workbook(path)["镇街"].iter_rows() for c in row]
    assert any(c.value == "=cmd|' /c calc'!A1" and c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_any_configured_percentiles_work_everywhere(town, tmp_path, settings):
    """Percentiles [50, 80] instead of the shipped [50, 90]: the statistics, the metrics, the CLI
    (table and workbook), the dashboard chart and the report all speak of P80, none asks for P90."""
    from openpyxl import load_workbook

    from brigade.metrics.registry import all_metrics
    from brigade.reports.service import report_document
    from brigade.web.dashboard import CHARTS_BY_SLUG

    settings.BRIGADE_RESPONSE_RULES = {"percentiles": [50, 80]}
    d = incident_stats("2025-03")
    assert d["summary"]["p80"]["total_response"] == 546.0  # 330 + 0.8 × (600 − 330)
    assert "p90" not in d["summary"] and d["method"]["percentiles"] == [50, 80]
    assert set(d["unit_kinds"][0]["arrival"]) == {"p50", "p80", "n"}

    table = compute(parse_period("2025-03"), codes=["response.p80_total_response_s", "response.p50_travel_s"])
    assert table.value("response.p80_total_response_s") == 546.0
    assert table.value("response.p50_travel_s") == 330.0  # travel 4:00 and 7:00 of the first-arriving vehicles
    assert "response.p90_total_response_s" not in all_metrics()

    out = io.StringIO()
    call_command("incidents", "stats", "--period", "2025-03", stdout=out)
    assert "P80 9:06" in out.getvalue() and "P90" not in out.getvalue()
    call_command("incidents", "stats", "--period", "2025-03", "--format", "xlsx", "--out", str(tmp_path / "s.xlsx"),
                 stdout=io.StringIO())
    header = [c.value for c in load_workbook(tmp_path / "s.xlsx")["概况"][2]]
    assert "总响应P80（秒）" in header and not any("P90" in str(h) for h in header)

    chart = CHARTS_BY_SLUG["response-times"]
    assert chart.codes == ("response.p50_total_response_s", "response.p80_total_response_s",
                           "response.p50_travel_s", "response.p80_travel_s")
    assert chart.title == "各站响应时间（秒，第50/80百分位）"

    document, _ = report_document(period=parse_period("2025"), scope=Scope("brigade"))
    text = "".join(block.text for block in document.blocks)
    assert "一半警情用时在" in text and "八成在" in text and "九成" not in text

    settings.BRIGADE_RESPONSE_RULES = {}
    assert "response.p90_total_response_s" in all_metrics()  # back to the shipped percentiles at once
