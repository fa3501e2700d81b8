"""'Overdue as of a date' has one definition: the metric, the finding, the worklist and a hazard's status agree."""

import datetime as dt

import pytest

from brigade.core.findings import collect_findings
from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE
from brigade.metrics.registry import compute
from brigade.supervision import services as S
from brigade.supervision.models import Hazard
from brigade.supervision.selectors import display_status, is_overdue, overdue_hazards
from brigade.supervision.worklist import worklist

D = dt.date
Q1_END = D(2025, 3, 31)


def _ordered(inspect, category="fire_lane"):
    hazard = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category=category)
    return S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3), deadline=D(2025, 3, 10))


@pytest.fixture
def home_page(client, django_user_model, monkeypatch):
    """How many hazards the home page lists as overdue, on a given day (the page reads today's date)."""
    from django.utils import timezone

    client.force_login(django_user_model.objects.create_superuser("overdue-admin", password="x-long-password-1"))

    def count(on: dt.date) -> int:
        with monkeypatch.context() as m:
            m.setattr(timezone, "localdate", lambda *args, **kwargs: on)
            html = client.get("/").content.decode()
        section = html.split("逾期未整改的火灾隐患")[1].split("</section>")[0] if "逾期未整改的火灾隐患" in html else ""
        return section.count('href="/records/hazards/')

    return count


def _all_answers(on: dt.date, period: str, home_page=None) -> dict:
    finding = collect_findings(parse_period(period), BRIGADE, only={"hazards.overdue"})
    return {
        "metric": compute(parse_period(period), codes=["supervision.hazards_overdue"]).value("supervision.hazards_overdue"),
        "finding": finding[0].metrics["overdue"] if finding else 0,
        "worklist": len(worklist(on=on).of_kind("overdue")),
        "selector": overdue_hazards(on).count(),
        "status": sum(display_status(h, on) == "逾期未改" for h in Hazard.objects.all()),
        **({"home page": home_page(on)} if home_page else {}),
    }


def test_rectified_late_and_failed_reinspection_count_the_same_everywhere(inspect, home_page):
    late = _ordered(inspect, "fire_lane")
    S.hazard_rectify(hazard=late, rectified_on=D(2025, 4, 10))  # after the quarter ended
    S.hazard_reinspect(hazard=late, reinspected_on=D(2025, 4, 12), passed=True)
    failed = _ordered(inspect, "evacuation")
    S.hazard_rectify(hazard=failed, rectified_on=D(2025, 3, 7))
    S.hazard_reinspect(hazard=failed, reinspected_on=D(2025, 3, 11), passed=False)
    on_time = _ordered(inspect, "extinguisher")
    S.hazard_rectify(hazard=on_time, rectified_on=D(2025, 3, 9))

    assert _all_answers(Q1_END, "2025-Q1", home_page) == {
        "metric": 2, "finding": 2, "worklist": 2, "selector": 2, "status": 2, "home page": 2}
    assert is_overdue(late, Q1_END) and is_overdue(failed, Q1_END) and not is_overdue(on_time, Q1_END)
    # After the late rectification only the refuted one is still overdue, in every answer.
    assert _all_answers(D(2025, 4, 30), "2025-04", home_page) == {
        "metric": 1, "finding": 1, "worklist": 1, "selector": 1, "status": 1, "home page": 1}
    assert not is_overdue(late, D(2025, 4, 30)) and is_overdue(failed, D(2025, 4, 30))


@pytest.mark.parametrize(("step", "day", "overdue_on_day"), [
    ("close", D(2025, 3, 12), False),
    ("escalate", D(2025, 3, 20), False),
])
def test_closing_or_escalating_ends_overdue_from_that_day(inspect, step, day, overdue_on_day):
    hazard = _ordered(inspect)
    if step == "close":
        S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 3, 9))
        S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 11))
        S.hazard_close(hazard=hazard, closed_on=day)
        assert not is_overdue(hazard, D(2025, 3, 11))  # rectified in time: never overdue
    else:
        S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="art60", decided_on=day)
        assert is_overdue(hazard, D(2025, 3, 15))  # overdue until it went to enforcement
    assert is_overdue(hazard, day) is overdue_on_day
    assert _all_answers(day, "2025-03")["metric"] == _all_answers(day, "2025-03")["worklist"]


def test_an_imported_escalated_hazard_without_events_takes_its_stored_status(inspect):
    hazard = _ordered(inspect)
    Hazard.objects.filter(pk=hazard.pk).update(status="escalated")
    hazard.events.all().delete()
    assert not is_overdue(hazard, Q1_END)
    assert overdue_hazards(Q1_END).count() == 0
