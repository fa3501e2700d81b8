"""Each metric against a small hand-built brigade whose answers are counted by hand."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brigade.core.period import parse_period
from brigade.core.scope import Scope
from brigade.metrics.registry import Context, all_metrics, compute
from brigade.supervision.metrics import campaign_results, hazards_by_category

pytestmark = pytest.mark.django_db
D = dt.date


EXPECTED_2025 = {
    "supervision.units_inspected": (3, 1),
    "supervision.hazards_found": (5, 1),
    "supervision.hazards_rectified": (3, 1),
    "supervision.hazards_overdue": (1, 0),
    "supervision.major_hazards": (1, 0),
    "responsibility.self_inspection_hazards": (1, 0),
    "supervision.lane_and_wire_rectified": (2, 1),
    "supervision.people_warned": (1, 0),
    "supervision.joint_inspections": (1, 0),
    "supervision.penalty_cases": (1, 1),
    "supervision.fines": (8000.0, 10000.0),
    "supervision.seal_ups": (1, 0),
    "supervision.detentions": (1, 0),
    "supervision.letters": (2, 0),
    "supervision.campaigns": (1, 0),
    "responsibility.notices": (2, 0),
    "responsibility.interviews": (1, 0),
    "responsibility.interviewed_people": (12, 0),
    "response.alarms": (3, 1),
    "response.fire": (2, 1),
    "response.rescue": (1, 0),
    "response.vehicles_dispatched": (4, 0),
    "response.personnel_dispatched": (18, 0),
    "response.fires_with_impact": (1, 0),
    "response.deaths": (1, 0),
    "response.direct_loss": (12500.0, 0.0),
    "response.careless_fires": (1, 0),
    "team.alcohol_checks": (3, 5),
    "team.alcohol_checked_people": (42, 50),
    "publicity.outreach_events": (1, 0),
    "publicity.materials": (500, 0),
    "publicity.people_trained": (300, 0),
    "ledger.alcohol_check.people": (42, 50),
    "fleet.vehicles": (2, 2),
    "people.on_duty": (3, 3),
    "equipment.scba_in_service": (10, 10),
    "ebike.charging_sheds": (2, 1),
    "ebike.charging_ports": (30, 20),
    "ebike.blocker_elevators": (4, 0),
    "ebike.blocker_communities": (1, 0),
}


def test_every_metric_for_the_year_and_a_year_earlier(town):
    table = compute(parse_period("2025"))
    got = {code: (table[code].value, table[code].previous) for code in EXPECTED_2025}
    assert got == EXPECTED_2025


def test_street_scope(town):
    a = Scope("street", "甲街道", town["a"].pk)
    table = compute(parse_period("2025"), a, codes=[
        "supervision.units_inspected", "supervision.hazards_found", "response.alarms", "team.alcohol_checks",
        "supervision.letters", "responsibility.notices", "fleet.vehicles",
    ])
    assert {c: v.value for c, v in table.values.items()} == {
        "supervision.units_inspected": 2, "supervision.hazards_found": 4, "response.alarms": 1,
        "team.alcohol_checks": 1, "supervision.letters": 1, "responsibility.notices": None, "fleet.vehicles": 1,
    }


def test_station_scope_counts_incidents_it_attended_once(town):
    sa = Scope("station", "甲站", town["sa"].pk)
    table = compute(parse_period("2025"), sa, codes=[
        "response.alarms", "response.vehicles_dispatched", "response.personnel_dispatched", "team.alcohol_checks",
        "supervision.units_inspected",
    ])
    assert {c: v.value for c, v in table.values.items()} == {
        "response.alarms": 2, "response.vehicles_dispatched": 3, "response.personnel_dispatched": 12,
        "team.alcohol_checks": 2, "supervision.units_inspected": None,
    }


def test_quarter_and_month_periods(town):
    q2 = compute(parse_period("2025-Q2"), codes=["supervision.hazards_found", "supervision.hazards_overdue"])
    assert q2.value("supervision.hazards_found") == 3
    assert q2.value("supervision.hazards_overdue") == 1
    march = compute(parse_period("2025-03"), codes=["supervision.hazards_overdue", "supervision.hazards_rectified"])
    assert march.value("supervision.hazards_overdue") == 1
    assert march.value("supervision.hazards_rectified") == 1
    jan1 = compute(parse_period("2025-01-01..2025-01-01"), codes=["response.alarms"])
    assert jan1.value("response.alarms") == 1  # 00:05 Beijing time on 1 January counts in January


def test_year_on_year_change(town):
    mv = compute(parse_period("2025"), codes=["response.alarms"])["response.alarms"]
    assert (mv.change, mv.change_pct) == (2, 200.0)
    mv = compute(parse_period("2025"), codes=["supervision.seal_ups"])["supervision.seal_ups"]
    assert mv.change_pct is None  # nothing a year earlier: no percentage, never a division by zero


def test_campaign_and_category_breakdowns(town):
    ctx = Context(parse_period("2025"), Scope("brigade"))
    assert campaign_results(ctx) == [{
        "name": "春季攻坚", "slogan": "", "starts_on": D(2025, 4, 1), "ends_on": D(2025, 4, 30),
        "units_inspected": 1, "hazards_rectified": 1, "units_penalised": 1,
    }]
    assert hazards_by_category(ctx)[0] == {"site_category": "logistics", "hazards": 3}


def test_a_kind_added_in_the_admin_becomes_a_metric(town):
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.create(code="fire_drill_night", name="夜间拉动", group="training",
                                       metrics=[{"code": "count", "label": "次数", "unit": "次"}])
    Activity.objects.create(occurred_on=D(2025, 3, 3), kind=kind, values={"count": 4})
    assert "ledger.fire_drill_night.count" in all_metrics()
    assert compute(parse_period("2025"), codes=["ledger.fire_drill_night.count"]).value(
        "ledger.fire_drill_night.count") == 4


def test_query_count_does_not_grow_with_rows(town):
    """All metrics take a fixed number of queries: no N+1 over records."""
    period = parse_period("2025")
    from brigade.response.columns import forget_all

    all_metrics()  # the data-defined metrics are read once per process, not per compute
    compute(period)  # the incident column cache's rows now exist; each run below rebuilds them
    forget_all()
    with CaptureQueriesContext(connection) as small:
        compute(period)
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="patrol")
    Activity.objects.bulk_create(Activity(occurred_on=D(2025, 1, 1 + i % 28), kind=kind, values={"count": 1})
                                 for i in range(300))
    forget_all()
    with CaptureQueriesContext(connection) as big:
        table = compute(period)
    assert table.value("training.patrols") == 300
    assert len(big) == len(small)
    assert len(big) < 400


def test_cached_figures_match_and_expire_by_setting(town, settings):
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.metrics.cache import compute_cached

    period = parse_period("2025")
    first = compute_cached(period, codes=["team.alcohol_checks"])
    assert first.value("team.alcohol_checks") == 3
    Activity.objects.create(occurred_on=D(2025, 7, 1), kind=ActivityKind.objects.get(code="alcohol_check"),
                            values={"count": 4, "people": 9})
    assert compute_cached(period, codes=["team.alcohol_checks"]).value("team.alcohol_checks") == 3  # cached
    settings.BRIGADE_METRICS_CACHE_SECONDS = 0
    assert compute_cached(period, codes=["team.alcohol_checks"]).value("team.alcohol_checks") == 7
