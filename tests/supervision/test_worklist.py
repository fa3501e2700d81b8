"""Worklists per officer and street, and the ``brigade due`` and ``brigade calendar`` commands."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from brigade.supervision import services as S
from brigade.supervision.worklist import worklist

D = dt.date
ON = D(2025, 9, 26)  # a Friday; 3 working days later is Tuesday 9/30 (Sunday 9/28 is a make-up day)


@pytest.fixture
def scene(inspect, other_unit, brigade):
    from brigade.org.models import Person

    found = S.hazard_record(inspection=inspect(D(2025, 9, 24)), category="fire_lane")  # notice due 9/28
    due_soon = S.hazard_record(inspection=inspect(D(2025, 9, 22)), category="evacuation")
    S.hazard_order(hazard=due_soon, ordered_on=D(2025, 9, 22), deadline=D(2025, 9, 30))
    late = S.hazard_record(inspection=inspect(D(2025, 9, 10)), category="electrical")
    S.hazard_order(hazard=late, ordered_on=D(2025, 9, 10), deadline=D(2025, 9, 20))
    later = S.hazard_record(inspection=inspect(D(2025, 9, 22)), category="facility")
    S.hazard_order(hazard=later, ordered_on=D(2025, 9, 22), deadline=D(2025, 10, 20))
    elsewhere = S.hazard_record(inspection=inspect(D(2025, 9, 10), of=other_unit), category="ebike")
    S.hazard_order(hazard=elsewhere, ordered_on=D(2025, 9, 10), deadline=D(2025, 9, 15))
    other_officer = Person.objects.create(brigade=brigade, name="李监督", post="supervisor")
    elsewhere.inspection.inspectors.set([other_officer])
    seal = S.hazard_record(inspection=inspect(D(2025, 9, 1)), category="living")
    seal_up = S.hazard_escalate(hazard=seal, kind="seal_up", legal_basis="art54", decided_on=D(2025, 9, 1),
                                decision_number="封字1号")  # ends 10/1
    major = S.hazard_record(inspection=inspect(D(2025, 9, 19)), category="use_change")
    S.major_hazard_determine(hazard=major, determined_on=D(2025, 9, 23))  # notice due 9/26, report due 9/30
    return {"found": found, "due_soon": due_soon, "late": late, "later": later, "elsewhere": elsewhere,
            "seal_up": seal_up, "major": major}


def kinds(work):
    return {(i.kind, i.hazard_id or i.action_id) for i in work.items}


def test_worklist_for_the_brigade(scene):
    work = worklist(on=ON)
    assert work.horizon_end == D(2025, 9, 30)
    s = {k: v.pk for k, v in scene.items()}
    assert kinds(work) == {
        ("notice_due", s["found"]), ("notice_due", s["major"]),
        ("rectification_due", s["due_soon"]),
        ("overdue", s["late"]), ("reinspection_due", s["late"]),
        ("overdue", s["elsewhere"]), ("reinspection_due", s["elsewhere"]),
        ("major_notice_due", s["major"]), ("major_report_due", s["major"]),
    }
    # The seal-up ends 10/1, after the horizon; a day later it shows.
    assert ("seal_up_expiring", s["seal_up"]) in kinds(worklist(on=D(2025, 9, 28)))
    notice = next(i for i in work.items if i.kind == "notice_due" and i.hazard_id == s["found"])
    assert (notice.due_on, notice.workdays_left, notice.officers) == (D(2025, 9, 28), 1, ("王监督",))
    assert "第十九条" in notice.source
    late = next(i for i in work.items if i.kind == "overdue" and i.hazard_id == s["late"])
    assert late.is_late and late.due_on == D(2025, 9, 20)


def test_worklist_per_officer_and_street(scene, other_unit):
    s = {k: v.pk for k, v in scene.items()}
    assert {h for _, h in kinds(worklist(on=ON, officer="李监督"))} == {s["elsewhere"]}
    assert {h for _, h in kinds(worklist(on=ON, street="凤凰街道"))} == {s["elsewhere"]}
    assert s["elsewhere"] not in {h for _, h in kinds(worklist(on=ON, officer="王监督"))}
    assert worklist(on=ON, officer="无此人").items == []


def test_due_command(scene):
    out = io.StringIO()
    call_command("due", "--date", "2025-09-26", "--officer", "王监督", stdout=out)
    text = out.getvalue()
    assert "王监督待办清单（2025-09-26" in text
    assert "【逾期未改】1项" in text and "【待复查】1项" in text
    assert "测试物流有限公司" in text and "凤凰商场" not in text


def test_calendar_command():
    out = io.StringIO()
    call_command("calendar", "add-workdays", "2025-01-24", "3", stdout=out)
    assert out.getvalue().strip() == "2025-02-05"
    out = io.StringIO()
    call_command("calendar", "is-workday", "2025-10-11", stdout=out)
    assert out.getvalue().strip() == "工作日"


def test_calendar_command_refuses_years_before_the_data_and_flags_provisional_ones():
    from brigade.core.workdays import CalendarOutOfRange, supported_years

    first, last = supported_years()
    with pytest.raises(CalendarOutOfRange):
        call_command("calendar", "add-workdays", f"{first - 1}-01-05", "1", stdout=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command("calendar", "add-workdays", f"{last}-12-30", "2", stdout=out, stderr=err)
    assert out.getvalue().strip().startswith(f"{last + 1}-01-")
    assert f"{last + 1}年的放假安排尚未收录" in err.getvalue()


def test_hazard_command_runs_the_same_services(inspect, user):
    from brigade.core.errors import UserError
    from brigade.supervision.models import Hazard

    hazard = S.hazard_record(inspection=inspect(D(2025, 1, 24)), category="flying_wire")
    out = io.StringIO()
    call_command("hazard", "--user", "wang", "order", str(hazard.pk), "--on", "2025-01-24",
                 "--deadline", "2025-01-27", stdout=out)
    assert "责令整改" in out.getvalue() or "逾期未改" in out.getvalue()
    assert "应于2025-02-07前复查" in out.getvalue()
    hazard.refresh_from_db()
    assert hazard.status == "ordered" and hazard.events.get(kind="ordered").by == user
    with pytest.raises(UserError) as info:
        call_command("hazard", "close", str(hazard.pk), "--on", "2025-02-07", stdout=io.StringIO())
    assert str(info.value) == S.CLOSE_NOT_REINSPECTED.format(status="责令整改")
    with pytest.raises(UserError) as info:
        call_command("hazard", "escalate", str(hazard.pk), "--kind", "penalty", "--on", "2025-02-07",
                     stdout=io.StringIO())
    assert str(info.value) == S.NO_LEGAL_BASIS
    assert Hazard.objects.get(pk=hazard.pk).status == "ordered"


def test_deadlines_past_the_published_holidays_show_and_are_said_to_be_provisional(inspect, client, admin_user):
    """In December, a hazard found on the last days of the year has its notice due in a year whose
    holiday notice is not installed yet: the worklist still answers, and says how it counted."""
    from brigade.core.workdays import is_provisional, supported_years

    last = supported_years()[1]
    found = S.hazard_record(inspection=inspect(D(last, 12, 30)), category="fire_lane")
    work = worklist(on=D(last, 12, 30))
    notice = next(i for i in work.items if i.hazard_id == found.pk)
    assert is_provisional(notice.due_on) and notice.workdays_left == 3
    assert len(work.calendar_notes) == 1 and work.calendar_notes[0].startswith(f"{last + 1}年的放假安排尚未收录")
    client.force_login(admin_user)
    page = client.get("/worklist/", {"on": f"{last}-12-30"})
    assert page.status_code == 200
    assert f"{last + 1}年的放假安排尚未收录" in page.content.decode()
