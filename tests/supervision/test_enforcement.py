"""Enforcement decisions, lifting seal-ups and stop orders, and the steps of a major hazard."""

import datetime as dt

import pytest

from brigade.supervision import deadlines
from brigade.supervision import models as M
from brigade.supervision import services as S
from brigade.supervision.choices import EnforcementKind, HazardStatus
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import EnforcementAction, Hazard, HazardEvent, MajorHazardCase

D = dt.date


def counts():
    return (EnforcementAction.objects.count(), HazardEvent.objects.count(), MajorHazardCase.objects.count(),
            list(Hazard.objects.order_by("pk").values_list("status", "version", "is_major")))


@pytest.fixture
def hazard(inspect):
    h = S.hazard_record(inspection=inspect(D(2025, 1, 24)), category="living")
    S.hazard_order(hazard=h, ordered_on=D(2025, 1, 24), deadline=D(2025, 2, 10))
    return h


def refuse(call, field, message):
    before = counts()
    with pytest.raises(WorkflowError) as info:
        call()
    assert (str(info.value), info.value.field) == (message, field)
    assert counts() == before


def test_escalation_creates_the_action_and_links_the_hazard(hazard, user):
    action = S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="art60", decided_on=D(2025, 1, 27),
                               fine_amount="5000", decision_number="某消行罚决字〔2025〕1号", by=user)
    assert list(action.hazards.all()) == [hazard]
    assert action.unit == hazard.unit and action.decided_by == user and action.fine_amount == 5000
    assert hazard.status == HazardStatus.ESCALATED
    event = hazard.events.get(kind="escalated")
    assert event.enforcement == action and event.by == user and event.from_status == "ordered"


def test_enforcement_without_legal_basis_is_refused(hazard):
    refuse(lambda: S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="", decided_on=D(2025, 1, 27)),
           "legal_basis", S.NO_LEGAL_BASIS)
    refuse(lambda: S.enforcement_create(kind="warning", legal_basis="", decided_on=D(2025, 1, 27),
                                        person_name="张某"), "legal_basis", S.NO_LEGAL_BASIS)


def test_enforcement_bad_input(hazard, other_unit):
    refuse(lambda: S.enforcement_create(kind="penalty", legal_basis="art99", decided_on=D(2025, 1, 27),
                                        unit=hazard.unit), "legal_basis", S.BAD_LEGAL_BASIS.format(value="art99"))
    refuse(lambda: S.enforcement_create(kind="seal_up", legal_basis="art60", decided_on=D(2025, 1, 27),
                                        unit=hazard.unit), "legal_basis",
           M.BASIS_MISMATCH.format(kind="临时查封", basis="消防法第六十条", allowed="“消防法第五十四条（临时查封）”"))
    refuse(lambda: S.enforcement_create(kind="warning", legal_basis="art63", decided_on=D(2025, 1, 27)),
           "unit", S.NO_PARTY)
    refuse(lambda: S.enforcement_create(kind="stop_order", legal_basis="art58", decided_on=D(2025, 1, 27),
                                        unit=hazard.unit), "stop_kind", S.STOP_ORDER_NO_KIND)
    refuse(lambda: S.enforcement_create(kind="penalty", legal_basis="art60", decided_on=D(2025, 1, 27),
                                        unit=other_unit, hazards=[hazard]), "hazards",
           S.HAZARD_OTHER_UNIT.format(hazard=hazard, unit=other_unit))
    refuse(lambda: S.enforcement_create(kind="penalty", legal_basis="art60", decided_on=D(2025, 1, 27),
                                        unit=hazard.unit, fine_amount=-1), "fine_amount", S.NEGATIVE_FINE)
    refuse(lambda: S.enforcement_create(kind="penalty", legal_basis="art60", decided_on=D(2025, 1, 20),
                                        unit=hazard.unit, hazards=[hazard]), "decided_on",
           S.DECISION_BEFORE_FOUND.format(decided=D(2025, 1, 20), hazard=hazard, found=D(2025, 1, 24)))


def test_seal_up_lasts_at_most_one_calendar_month(hazard):
    rule = deadlines.rule(deadlines.SEAL_UP_MAX)
    refuse(lambda: S.hazard_escalate(hazard=hazard, kind="seal_up", legal_basis="art54", decided_on=D(2025, 1, 31),
                                     ends_on=D(2025, 3, 1)), "ends_on",
           M.SEAL_UP_TOO_LONG.format(ends=D(2025, 3, 1), max=D(2025, 2, 28), source=rule.source))
    action = S.hazard_escalate(hazard=hazard, kind="seal_up", legal_basis="art54", decided_on=D(2025, 1, 31))
    assert action.ends_on == D(2025, 2, 28)  # defaulted to the maximum


def test_stop_order_is_lifted_only_after_an_inspection(hazard, inspect, other_unit, user):
    action = S.hazard_escalate(hazard=hazard, kind="stop_order", legal_basis="art58", stop_kind="business",
                               decided_on=D(2025, 2, 11))
    early = inspect(D(2025, 2, 10))
    elsewhere = inspect(D(2025, 2, 20), of=other_unit)
    check = inspect(D(2025, 2, 20), kind="reinspection")
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 21)), "lift_inspection",
           S.LIFT_NEEDS_INSPECTION.format(kind="责令三停"))
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 21), inspection=early), "lift_inspection",
           S.LIFT_INSPECTION_BEFORE_DECISION.format(inspected=D(2025, 2, 10), decided=D(2025, 2, 11)))
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 21), inspection=elsewhere),
           "lift_inspection", S.LIFT_INSPECTION_OTHER_UNIT.format(inspected_unit=other_unit, unit=hazard.unit))
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 19), inspection=check), "lifted_on",
           S.LIFT_BEFORE_INSPECTION.format(lifted=D(2025, 2, 19), inspected=D(2025, 2, 20)))
    S.enforcement_lift(action=action, lifted_on=D(2025, 2, 21), inspection=check, by=user)
    assert (action.lifted_on, action.lift_inspection, action.lifted_by) == (D(2025, 2, 21), check, user)
    assert action.lifted_at is not None
    lifted = hazard.events.get(kind="enforcement_lifted")
    assert (lifted.on, lifted.by, lifted.enforcement, lifted.note) == (
        D(2025, 2, 21), user, action, "解除责令三停，依据2025-02-20的检查")
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 22), inspection=check), None,
           S.LIFT_ALREADY.format(lifted=D(2025, 2, 21)))


def test_penalty_is_not_lifted(hazard):
    action = S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="art60", decided_on=D(2025, 2, 11))
    refuse(lambda: S.enforcement_lift(action=action, lifted_on=D(2025, 2, 21)), None,
           S.LIFT_NOT_LIFTABLE.format(kind="立案处罚"))


def test_escalated_hazard_is_rectified_reinspected_and_closed(hazard):
    S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="art60", decided_on=D(2025, 2, 11))
    S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 2, 15))
    assert hazard.status == HazardStatus.ESCALATED
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 2, 17))
    S.hazard_close(hazard=hazard, closed_on=D(2025, 2, 17))
    assert hazard.status == HazardStatus.CLOSED


# --- major hazards ---------------------------------------------------------------------------------
def test_major_hazard_steps_in_order(hazard, inspect, user):
    refuse(lambda: S.major_hazard_send_notice(hazard=hazard, notice_on=D(2025, 2, 5)), None,
           S.MAJOR_NOT_DETERMINED.format(action="登记整改通知书送达"))
    refuse(lambda: S.major_hazard_determine(hazard=hazard, determined_on=D(2025, 1, 23)), "determined_on",
           S.MAJOR_DETERMINED_BEFORE_FOUND.format(determined=D(2025, 1, 23), found=D(2025, 1, 24)))
    case = S.major_hazard_determine(hazard=hazard, determined_on=D(2025, 1, 27), study_note="集体研究认定", by=user)
    assert hazard.is_major and case.determined_on == D(2025, 1, 27)
    refuse(lambda: S.major_hazard_determine(hazard=hazard, determined_on=D(2025, 1, 28)), None,
           S.MAJOR_ALREADY.format(determined=D(2025, 1, 27)))
    refuse(lambda: S.major_hazard_report(hazard=hazard, reported_on=D(2025, 1, 26)), "reported_on",
           S.MAJOR_STEP_BEFORE.format(step="报告政府", day=D(2025, 1, 26), earlier="集体研究认定",
                                      earlier_day=D(2025, 1, 27)))
    refuse(lambda: S.major_hazard_list(hazard=hazard, listed_on=D(2025, 2, 10)), None, S.MAJOR_LIST_NOT_REPORTED)
    S.major_hazard_send_notice(hazard=hazard, notice_on=D(2025, 2, 5), by=user)
    refuse(lambda: S.major_hazard_send_notice(hazard=hazard, notice_on=D(2025, 2, 6)), "notice_on",
           S.MAJOR_STEP_DONE.format(step="整改通知书送达", day=D(2025, 2, 5)))
    S.major_hazard_report(hazard=hazard, reported_on=D(2025, 2, 5), by=user)
    case = S.major_hazard_list(hazard=hazard, listed_on=D(2025, 2, 12), authority="区人民政府", by=user)
    listing = EnforcementAction.objects.get(kind=EnforcementKind.GOVERNMENT_LISTING)
    assert list(listing.hazards.all()) == [hazard] and listing.legal_basis == "major"
    assert case.listing_authority == "区人民政府" and hazard.status == HazardStatus.ESCALATED
    refuse(lambda: S.major_hazard_delist(hazard=hazard, delisted_on=D(2025, 3, 1)), None,
           S.MAJOR_DELIST_NOT_VERIFIED)
    S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 2, 25))
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 2, 26))
    refuse(lambda: S.hazard_close(hazard=hazard, closed_on=D(2025, 2, 27)), None, S.CLOSE_MAJOR_LISTED)
    refuse(lambda: S.major_hazard_delist(hazard=hazard, delisted_on=D(2025, 2, 25)), "delisted_on",
           S.MAJOR_STEP_BEFORE.format(step="摘牌销号", day=D(2025, 2, 25), earlier="复查", earlier_day=D(2025, 2, 26)))
    listing_history = listing.history.count()
    S.major_hazard_delist(hazard=hazard, delisted_on=D(2025, 2, 27), by=user)
    listing.refresh_from_db()
    assert listing.lifted_on == D(2025, 2, 27) and listing.lifted_by == user
    # The lift is a state change like any other: a history row for the action, an event for the hazard.
    assert listing.history.count() == listing_history + 1
    assert listing.history.first().lifted_on == D(2025, 2, 27)
    S.hazard_close(hazard=hazard, closed_on=D(2025, 2, 28), by=user)
    kinds = list(hazard.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["recorded", "ordered", "major_determined", "major_notice", "major_reported", "major_listed",
                     "escalated", "rectified", "reinspected", "major_delisted", "enforcement_lifted", "closed"]
    refuse(lambda: S.major_hazard_report(hazard=hazard, reported_on=D(2025, 3, 1)), None,
           S.MAJOR_HAZARD_CLOSED.format(action="登记报告政府"))


def test_major_hazard_not_reported_cannot_be_closed(hazard):
    S.major_hazard_determine(hazard=hazard, determined_on=D(2025, 1, 27))
    S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 2, 5))
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 2, 6))
    refuse(lambda: S.hazard_close(hazard=hazard, closed_on=D(2025, 2, 7)), None, S.CLOSE_MAJOR_NOT_REPORTED)


def test_seal_up_extended_only_while_its_hazard_is_not_cleared(hazard, user):
    action = S.hazard_escalate(hazard=hazard, kind="seal_up", legal_basis="art54", decided_on=D(2025, 1, 27))
    assert action.ends_on == D(2025, 2, 27)
    refuse(lambda: S.enforcement_extend_seal_up(action=action, ends_on=D(2025, 3, 27), reason=""), "reason",
           S.EXTEND_NO_REASON)
    refuse(lambda: S.enforcement_extend_seal_up(action=action, ends_on=D(2025, 2, 20), reason="未整改"), "ends_on",
           S.EXTEND_NOT_LATER.format(ends=D(2025, 2, 20), current=D(2025, 2, 27)))
    S.enforcement_extend_seal_up(action=action, ends_on=D(2025, 3, 27), reason="逾期未消除火灾隐患", by=user)
    assert action.ends_on == D(2025, 3, 27)
    extended = hazard.events.order_by("at", "pk").last()
    assert extended.kind == "seal_up_extended" and "延长至2025-03-27" in extended.note
    S.hazard_rectify(hazard=hazard, rectified_on=D(2025, 3, 10))
    S.hazard_reinspect(hazard=hazard, reinspected_on=D(2025, 3, 11))
    refuse(lambda: S.enforcement_extend_seal_up(action=action, ends_on=D(2025, 4, 27), reason="再延"), None,
           S.EXTEND_HAZARDS_CLEARED)
    penalty = S.hazard_escalate(hazard=hazard, kind="penalty", legal_basis="art60", decided_on=D(2025, 3, 12))
    refuse(lambda: S.enforcement_extend_seal_up(action=penalty, ends_on=D(2025, 4, 27), reason="x"), None,
           S.EXTEND_NOT_SEAL_UP.format(kind="立案处罚"))
