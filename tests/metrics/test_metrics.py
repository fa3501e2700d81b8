"""Each metric against a small hand-built brigade whose answers are counted by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brigade.metrics.period import parse_period
from brigade.metrics.registry import Context, all_metrics, compute
from brigade.metrics.scope import Scope
from brigade.metrics.supervision import campaign_results, hazards_by_category
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db
D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, hh=10, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.fixture
def town(brigade):
    """Two streets, two stations, three units and a year (2025) of records, plus one 2024 row each."""
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Community, Department, Person, Station, Street
    from brigade.resources.models import ChargingShed, ElevatorBlocker, Equipment, Vehicle
    from brigade.response.models import Dispatch, Incident
    from brigade.supervision.models import (
        Campaign,
        EnforcementAction,
        Hazard,
        Inspection,
        Interview,
        Notice,
        SupervisionLetter,
    )
    from brigade.units.models import SocialUnit

    a = Street.objects.create(brigade=brigade, name="甲街道")
    b = Street.objects.create(brigade=brigade, name="乙镇", kind="town")
    sa = Station.objects.create(brigade=brigade, name="甲站", street=a)
    sb = Station.objects.create(brigade=brigade, name="乙站", street=b)
    u1, u2, u3 = (
        SocialUnit.objects.create(name=f"单位{i}", credit_code=make_credit_code(i), site_category=cat, street=st)
        for i, (cat, st) in enumerate([("logistics", a), ("high_rise", a), ("mixed_use", b)], start=1)
    )
    dept = Department.objects.create(brigade=brigade, name="教育局")
    c = Campaign.objects.create(name="春季攻坚", starts_on=D(2025, 4, 1), ends_on=D(2025, 4, 30))

    i1 = Inspection.objects.create(unit=u1, inspected_on=D(2025, 3, 1), kind="random")
    i2 = Inspection.objects.create(unit=u2, inspected_on=D(2025, 4, 2), kind="special", campaign=c)
    i3 = Inspection.objects.create(unit=u3, inspected_on=D(2025, 5, 5), kind="random", is_joint=True, department=dept)
    i4 = Inspection.objects.create(unit=u1, inspected_on=D(2025, 6, 1), kind="self_day")
    i0 = Inspection.objects.create(unit=u1, inspected_on=D(2024, 3, 1), kind="random")

    def hazard(insp, category, **kw):
        return Hazard.objects.create(inspection=insp, unit=insp.unit, category=category,
                                     found_on=insp.inspected_on, **kw)

    hazard(i1, "fire_lane", deadline=D(2025, 3, 5), rectified_on=D(2025, 3, 4), status="rectified")
    hazard(i1, "electrical", deadline=D(2025, 3, 20), status="ordered")  # overdue at every later period end
    hazard(i2, "flying_wire", deadline=D(2025, 4, 9), rectified_on=D(2025, 4, 10), status="rectified")
    hazard(i3, "living", is_major=True, status="escalated")
    hazard(i4, "extinguisher", rectified_on=D(2025, 6, 1), status="closed", closed_on=D(2025, 6, 1),
           reinspected_on=D(2025, 6, 1))
    hazard(i0, "fire_lane", deadline=D(2024, 3, 9), rectified_on=D(2024, 3, 8), status="closed",
           reinspected_on=D(2024, 3, 9), closed_on=D(2024, 3, 9))

    def act(kind, day, **kw):
        kw.setdefault("legal_basis", "art60")
        return EnforcementAction.objects.create(kind=kind, decided_on=day, **kw)

    act("penalty", D(2025, 4, 15), unit=u2, fine_amount=Decimal("5000"), campaign=c)
    act("penalty", D(2025, 6, 1), unit=u2, fine_amount=Decimal("3000"))
    act("penalty", D(2024, 6, 1), unit=u1, fine_amount=Decimal("10000"))
    act("seal_up", D(2025, 5, 6), unit=u3, legal_basis="art54", ends_on=D(2025, 6, 5))
    act("warning", D(2025, 4, 20), person_name="张某", legal_basis="art63")
    act("detention", D(2025, 7, 1), person_name="李某", legal_basis="art64")

    Interview.objects.create(held_on=D(2025, 2, 1), site_category="logistics", street=a, people_count=12)
    Notice.objects.create(issued_on=D(2025, 1, 3), kind="notice", title="关于开展检查的通知")
    Notice.objects.create(issued_on=D(2025, 9, 3), kind="bulletin", title="考评通报")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 3), street=a, subject="督促整改")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 4), department=dept, subject="督促排查")

    v1 = Vehicle.objects.create(plate="鲁Q0001应急", kind="water_tanker", station=sa, commissioned_on=D(2010, 1, 1))
    Vehicle.objects.create(plate="鲁Q0002应急", kind="rescue", station=sb, commissioned_on=D(2020, 1, 1))
    Vehicle.objects.create(plate="鲁Q0003应急", kind="foam", station=sb, commissioned_on=D(2005, 1, 1),
                           status="retired")
    Equipment.objects.create(kind="scba", station=sa, in_service_qty=10, spare_qty=2)
    Equipment.objects.create(kind="scba", station=sb, in_service_qty=6, spare_qty=1, purchased_on=D(2026, 1, 1))
    for i in range(3):
        Person.objects.create(brigade=brigade, name=f"队员{i}", station=sa)
    Person.objects.create(brigade=brigade, name="文员", station=sa, is_on_duty=False)

    f1 = Incident.objects.create(number="F1", category="fire", received_at=at(2025, 1, 1, 0, 5), street=a,
                                 deaths=1, injuries=2, direct_loss=Decimal("12000"), cause="careless")
    Incident.objects.create(number="F2", category="fire", received_at=at(2025, 12, 31, 23, 59), street=b,
                            has_impact=True, direct_loss=Decimal("500"))
    r1 = Incident.objects.create(number="R1", category="rescue", received_at=at(2025, 6, 1), street=b)
    Incident.objects.create(number="F0", category="fire", received_at=at(2024, 12, 31, 23, 59), street=a)
    Incident.objects.create(number="F9", category="fire", received_at=at(2026, 1, 1, 0, 1), street=a)
    Dispatch.objects.create(incident=f1, station=sa, vehicle=v1, crew_count=5)
    Dispatch.objects.create(incident=f1, station=sa, crew_count=4)
    Dispatch.objects.create(incident=r1, station=sa, crew_count=3)
    Dispatch.objects.create(incident=r1, station=sb, crew_count=6)

    alcohol = ActivityKind.objects.get(code="alcohol_check")
    school = ActivityKind.objects.get(code="outreach_school")
    Activity.objects.create(occurred_on=D(2025, 2, 1), kind=alcohol, values={"count": 2, "people": 30}, station=sa)
    Activity.objects.create(occurred_on=D(2025, 5, 1), kind=alcohol, values={"count": 1, "people": 12}, street=a)
    Activity.objects.create(occurred_on=D(2024, 5, 1), kind=alcohol, values={"count": 5, "people": 50})
    Activity.objects.create(occurred_on=D(2025, 9, 1), kind=school, street=b,
                            values={"count": 1, "materials": 500, "people": 300})

    comm = Community.objects.create(street=a, name="幸福小区")
    ChargingShed.objects.create(community=comm, ports=20, built_on=D(2024, 5, 1))
    ChargingShed.objects.create(community=comm, ports=10, built_on=D(2025, 5, 1))
    ElevatorBlocker.objects.create(community=comm, elevators=4, installed_on=D(2025, 2, 1))
    return {"a": a, "b": b, "sa": sa, "sb": sb, "campaign": c}


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
    with CaptureQueriesContext(connection) as small:
        compute(period)
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="patrol")
    Activity.objects.bulk_create(Activity(occurred_on=D(2025, 1, 1 + i % 28), kind=kind, values={"count": 1})
                                 for i in range(300))
    with CaptureQueriesContext(connection) as big:
        table = compute(period)
    assert table.value("training.patrols") == 300
    assert len(big) == len(small)
    assert len(big) < 400
