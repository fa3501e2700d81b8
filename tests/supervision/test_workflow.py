"""The hazard loop as services: legal steps, every illegal step refused, nothing changed on refusal."""

import datetime as dt

import pytest

from brigade.supervision import services as S
from brigade.supervision.choices import HazardEventKind, HazardStatus
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import EnforcementAction, Hazard, HazardEvent
from brigade.supervision.selectors import display_status, effective_deadline, is_overdue, overdue_hazards

D = dt.date


def snapshot(hazard):
    """Everything a refused step must leave as it was."""
    return (
        Hazard.objects.values().get(pk=hazard.pk),
        HazardEvent.objects.count(),
        EnforcementAction.objects.count(),
    )


def make_hazard(inspect, state, by=None):
    """A hazard brought through legal steps into ``state`` (found … closed; 'failed' = re-inspection failed)."""
    h = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="fire_lane", by=by)
    if state == "found":
        return h
    S.hazard_order(hazard=h, ordered_on=D(2025, 3, 3), deadline=D(2025, 3, 10), by=by)
    if state == "ordered":
        return h
    if state == "escalated":
        S.hazard_escalate(hazard=h, kind="penalty", legal_basis="art60", decided_on=D(2025, 3, 4), by=by)
        return h
    S.hazard_rectify(hazard=h, rectified_on=D(2025, 3, 7), by=by)
    if state == "rectified":
        return h
    S.hazard_reinspect(hazard=h, reinspected_on=D(2025, 3, 11), passed=state != "failed", by=by)
    if state in ("reinspected", "failed"):
        return h
    S.hazard_close(hazard=h, closed_on=D(2025, 3, 12), by=by)
    return h


STEPS = {
    "order": lambda h: S.hazard_order(hazard=h, ordered_on=D(2025, 3, 20), deadline=D(2025, 3, 30)),
    "rectify": lambda h: S.hazard_rectify(hazard=h, rectified_on=D(2025, 3, 20)),
    "request": lambda h: S.hazard_request_reinspection(hazard=h, requested_on=D(2025, 3, 20)),
    "reinspect": lambda h: S.hazard_reinspect(hazard=h, reinspected_on=D(2025, 3, 20)),
    "close": lambda h: S.hazard_close(hazard=h, closed_on=D(2025, 3, 20)),
    "escalate": lambda h: S.hazard_escalate(hazard=h, kind="penalty", legal_basis="art60", decided_on=D(2025, 3, 20)),
}
STEP_KINDS = {
    "order": HazardEventKind.ORDERED, "rectify": HazardEventKind.RECTIFIED,
    "request": HazardEventKind.REINSPECTION_REQUESTED, "reinspect": HazardEventKind.REINSPECTED,
    "close": HazardEventKind.CLOSED, "escalate": HazardEventKind.ESCALATED,
}
STATES = ("found", "ordered", "rectified", "reinspected", "failed", "closed", "escalated")
LEGAL = {
    ("found", "order"), ("found", "escalate"),
    ("ordered", "rectify"), ("ordered", "request"), ("ordered", "reinspect"), ("ordered", "escalate"),
    ("rectified", "request"), ("rectified", "reinspect"), ("rectified", "escalate"),
    ("reinspected", "close"), ("reinspected", "escalate"),
    ("failed", "order"), ("failed", "escalate"),
    ("escalated", "rectify"), ("escalated", "request"), ("escalated", "reinspect"), ("escalated", "escalate"),
}
ILLEGAL = [(state, step) for state in STATES for step in STEPS if (state, step) not in LEGAL]


def expected_message(state, step, hazard):
    label = HazardStatus(hazard.status).label
    if step == "reinspect" and state == "found":
        return S.REINSPECTION_NOT_ORDERED
    if step == "close" and state == "failed":
        return S.CLOSE_REINSPECTION_FAILED
    if step == "close" and state != "closed":
        return S.CLOSE_NOT_REINSPECTED.format(status=label)
    if step == "order" and state == "reinspected":
        return S.TRANSITION_REFUSED.format(status="复查合格", action="再次责令改正")
    if step == "escalate" and state == "closed":
        return S.ESCALATE_CLOSED.format(hazard=hazard)
    return S.TRANSITION_REFUSED.format(status=label, action=S.ACTION_NAMES[STEP_KINDS[step]])


@pytest.mark.parametrize(("state", "step"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(inspect, state, step):
    hazard = make_hazard(inspect, state)
    before = snapshot(hazard)
    with pytest.raises(WorkflowError) as info:
        STEPS[step](hazard)
    assert str(info.value) == expected_message(state, step, hazard)
    assert snapshot(hazard) == before


@pytest.mark.parametrize(("state", "step"), sorted(LEGAL))
def test_every_legal_transition_is_logged(inspect, state, step):
    hazard = make_hazard(inspect, state)
    events = HazardEvent.objects.count()
    STEPS[step](hazard)
    last = HazardEvent.objects.filter(hazard=hazard).order_by("at", "pk").last()
    assert HazardEvent.objects.count() == events + 1
    assert last.kind == STEP_KINDS[step]


def test_closing_a_hazard_never_reinspected_is_refused(inspect):
    hazard = make_hazard(inspect, "rectified")
    with pytest.raises(WorkflowError) as info:
        S.hazard_close(hazard=hazard, closed_on=D(2025, 3, 20))
    assert str(info.value) == S.CLOSE_NOT_REINSPECTED.format(status="已整改")


def test_full_loop_records_who_and_when(inspect, user):
    hazard = make_hazard(inspect, "closed", by=user)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    assert (hazard.ordered_on, hazard.deadline, hazard.rectified_on, hazard.reinspected_on, hazard.closed_on) == (
        D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 7), D(2025, 3, 11), D(2025, 3, 12))
    events = list(hazard.events.order_by("at", "pk"))
    assert [e.kind for e in events] == ["recorded", "ordered", "rectified", "reinspected", "closed"]
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "found"), ("found", "ordered"), ("ordered", "rectified"), ("rectified", "reinspected"),
        ("reinspected", "closed")]
    assert all(e.by == user and e.at is not None for e in events)
    assert hazard.version == 5


def test_import_path_records_no_user(inspect):
    hazard = make_hazard(inspect, "ordered", by=None)
    assert set(hazard.events.values_list("by", flat=True)) == {None}


def test_caller_instance_sees_the_new_state(inspect):
    hazard = make_hazard(inspect, "found")
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3), deadline=D(2025, 3, 10))
    assert hazard.status == HazardStatus.ORDERED and hazard.deadline == D(2025, 3, 10)


def test_stale_version_is_refused(inspect):
    hazard = make_hazard(inspect, "found")
    before = snapshot(hazard)
    with pytest.raises(WorkflowError) as info:
        S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3), expected_version=hazard.version + 7)
    assert str(info.value) == S.HAZARD_STALE.format(expected=hazard.version + 7, actual=hazard.version)
    assert snapshot(hazard) == before
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3), expected_version=hazard.version)


# --- overdue is derived ------------------------------------------------------------------------------
def test_overdue_is_derived_from_deadline_and_day(inspect):
    hazard = make_hazard(inspect, "ordered")  # deadline 2025-03-10
    assert not is_overdue(hazard, D(2025, 3, 10))
    assert is_overdue(hazard, D(2025, 3, 11))
    assert display_status(hazard, D(2025, 3, 11)) == "逾期未改"
    assert display_status(hazard, D(2025, 3, 10)) == "责令整改"
    assert list(overdue_hazards(D(2025, 3, 11))) == [hazard]
    assert hazard.status == HazardStatus.ORDERED  # nothing stored
    S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 3, 12))  # late, but rectified
    assert not is_overdue(hazard, D(2025, 3, 13))


def test_on_the_spot_order_is_due_the_same_day(inspect):
    hazard = make_hazard(inspect, "found")
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3))
    assert hazard.deadline is None and effective_deadline(hazard) == D(2025, 3, 3)
    assert hazard.events.last().note == "责令立即改正"
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 3))
    assert hazard.rectified_on == D(2025, 3, 3) and hazard.reinspection_passed


def test_failed_reinspection_can_be_ordered_again(inspect):
    hazard = make_hazard(inspect, "failed")
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 12), deadline=D(2025, 3, 20))
    assert hazard.status == HazardStatus.ORDERED and hazard.reinspected_on is None and hazard.rectified_on is None
    assert hazard.events.filter(kind="reinspected").get().note == "复查不合格"


# --- bad input ----------------------------------------------------------------------------------------
def refused(call, field, message, *rows):
    before = [snapshot(r) for r in rows]
    with pytest.raises(WorkflowError) as info:
        call()
    assert str(info.value) == message
    assert info.value.field == field
    assert info.value.as_validation_error().message_dict == {field: [message]}
    assert [snapshot(r) for r in rows] == before


def test_deadline_before_the_inspection_date(inspect):
    hazard = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="evacuation", found_on=D(2025, 3, 4))
    refused(lambda: S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 4), deadline=D(2025, 3, 1)), "deadline",
            S.DEADLINE_BEFORE_INSPECTION.format(deadline=D(2025, 3, 1), inspected=D(2025, 3, 3)), hazard)


def test_deadline_before_the_order(inspect):
    hazard = make_hazard(inspect, "found")
    refused(lambda: S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 6), deadline=D(2025, 3, 5)), "deadline",
            S.DEADLINE_BEFORE_ORDER.format(deadline=D(2025, 3, 5), ordered=D(2025, 3, 6)), hazard)


def test_order_before_found(inspect):
    hazard = S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="evacuation", found_on=D(2025, 3, 4))
    refused(lambda: S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 3)), "ordered_on",
            S.ORDER_BEFORE_FOUND.format(ordered=D(2025, 3, 3), found=D(2025, 3, 4)), hazard)


def test_found_before_inspection(inspect):
    insp = inspect(D(2025, 3, 3))
    with pytest.raises(WorkflowError) as info:
        S.hazard_record(inspection=insp, category="evacuation", found_on=D(2025, 3, 2))
    assert info.value.field == "found_on"
    assert str(info.value) == S.FOUND_BEFORE_INSPECTION.format(found=D(2025, 3, 2), inspected=D(2025, 3, 3))
    assert not Hazard.objects.exists()


def test_unknown_category(inspect):
    with pytest.raises(WorkflowError) as info:
        S.hazard_record(inspection=inspect(D(2025, 3, 3)), category="nonsense")
    assert info.value.field == "category" and not Hazard.objects.exists()


def test_reinspection_before_the_order(inspect):
    hazard = make_hazard(inspect, "found")
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 5))
    refused(lambda: S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 4)), "reinspected_on",
            S.REINSPECTION_BEFORE_ORDER.format(reinspected=D(2025, 3, 4), ordered=D(2025, 3, 5)), hazard)


def test_reinspection_before_rectification(inspect):
    hazard = make_hazard(inspect, "rectified")  # rectified 03-07
    refused(lambda: S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 6)), "reinspected_on",
            S.REINSPECTION_BEFORE_RECTIFIED.format(reinspected=D(2025, 3, 6), rectified=D(2025, 3, 7)), hazard)


def test_rectified_before_the_order(inspect):
    hazard = make_hazard(inspect, "found")
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 3, 5), deadline=D(2025, 3, 12))
    refused(lambda: S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 3, 4)), "rectified_on",
            S.RECTIFIED_BEFORE_ORDER.format(rectified=D(2025, 3, 4), ordered=D(2025, 3, 5)), hazard)


def test_reinspection_before_deadline_needs_an_application(inspect):
    hazard = make_hazard(inspect, "ordered")  # deadline 03-10, not rectified
    refused(lambda: S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 5)), "reinspected_on",
            S.REINSPECTION_TOO_EARLY.format(deadline=D(2025, 3, 10), reinspected=D(2025, 3, 5)), hazard)
    S.hazard_request_reinspection(hazard=hazard, requested_on=D(2025, 3, 5))
    refused(lambda: S.hazard_request_reinspection(hazard=hazard, requested_on=D(2025, 3, 6)), "requested_on",
            S.REQUEST_TWICE.format(requested=D(2025, 3, 5)), hazard)
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 5))
    assert hazard.status == HazardStatus.REINSPECTED


def test_close_before_reinspection_date(inspect):
    hazard = make_hazard(inspect, "reinspected")  # re-inspected 03-11
    refused(lambda: S.hazard_close(hazard=hazard, closed_on=D(2025, 3, 10)), "closed_on",
            S.CLOSE_BEFORE_REINSPECTION.format(closed=D(2025, 3, 10), reinspected=D(2025, 3, 11)), hazard)
