"""Recurring hazards are linked to the closed one they repeat; findings for Q5."""

import datetime as dt

from brigade.core.findings import collect_findings
from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, parse_scope
from brigade.supervision import services as S
from brigade.supervision.recurrence import recurrence_scan, recurring_counts

D = dt.date
MARCH_3 = dt.date(2025, 3, 3)


def closed_hazard(inspect, category="flying_wire", day=MARCH_3, of=None):
    h = S.hazard_record(inspection=inspect(day, of=of), category=category)
    S.hazard_order(hazard=h, ordered_on=day)
    S.hazard_reinspect(hazard=h, reinspected_on=day)
    S.hazard_close(hazard=h, closed_on=day)
    return h


def test_same_category_within_window_is_linked_both_ways(inspect):
    first = closed_hazard(inspect)
    again = S.hazard_record(inspection=inspect(D(2025, 9, 1)), category="flying_wire")
    other = S.hazard_record(inspection=inspect(D(2025, 9, 1)), category="fire_lane")
    assert again.recurrence_of == first and list(first.recurrences.all()) == [again]
    assert other.recurrence_of is None
    event = again.events.get(kind="recurrence_linked")
    assert "2025-03-03" in event.note


def test_outside_the_window_is_not_linked_unless_configured(inspect, settings):
    closed_hazard(inspect, day=D(2024, 1, 5))
    late = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="flying_wire")
    assert late.recurrence_of is None
    settings.BRIGADE_RECURRENCE_MONTHS = 24
    assert recurrence_scan() == 1
    late.refresh_from_db()
    assert late.recurrence_of is not None


def test_counts_and_findings(inspect, other_unit, street):
    closed_hazard(inspect)
    closed_hazard(inspect, of=other_unit)
    S.hazard_record(inspection=inspect(D(2025, 3, 20)), category="flying_wire")
    S.hazard_record(inspection=inspect(D(2025, 3, 21), of=other_unit), category="flying_wire")
    counts = recurring_counts(start=D(2025, 3, 1), end=D(2025, 3, 31))
    assert counts["site_category"] == {"logistics": 1, "retail": 1}
    assert counts["street"] == {"九曲街道": 1, "凤凰街道": 1}
    findings = collect_findings(parse_period("2025-03"), BRIGADE, only={"hazards.recurring"})
    assert [f.code for f in findings] == ["hazards.recurring"] and findings[0].part == "Q5"
    assert findings[0].metrics["recurring"] == 2 and len(findings[0].evidence) == 2
    one = collect_findings(parse_period("2025-03"), parse_scope("street:九曲街道"), only={"hazards.recurring"})
    assert one[0].metrics["recurring"] == 1


def test_overdue_finding(inspect):
    h = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="evacuation")
    S.hazard_order(hazard=h, ordered_on=D(2025, 3, 3), deadline=D(2025, 3, 10))
    findings = collect_findings(parse_period("2025-03"), BRIGADE, only={"hazards.overdue"})
    assert findings[0].code == "hazards.overdue" and findings[0].metrics["overdue"] == 1
    assert findings[0].evidence[0]["逾期天数"] == 21
    assert collect_findings(parse_period("2025-02"), BRIGADE, only={"hazards.overdue"}) == []
