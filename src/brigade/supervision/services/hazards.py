"""The hazard loop: record → order → rectify → request re-inspection → re-inspect → close."""

import datetime as dt

from django.db import transaction

from brigade.supervision.choices import (
    HazardCategory,
    HazardEventKind,
    HazardStatus,
)
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import (
    Hazard,
    Inspection,
    MajorHazardCase,
)
from brigade.supervision.recurrence import link_previous_occurrence
from brigade.supervision.services.common import (
    BAD_CATEGORY,
    CLOSE_BEFORE_REINSPECTION,
    CLOSE_MAJOR_LISTED,
    CLOSE_MAJOR_NOT_REPORTED,
    CLOSE_REINSPECTION_FAILED,
    DEADLINE_BEFORE_INSPECTION,
    DEADLINE_BEFORE_ORDER,
    FOUND_BEFORE_INSPECTION,
    ORDER_BEFORE_FOUND,
    RECTIFIED_BEFORE_ORDER,
    REINSPECTION_BEFORE_ORDER,
    REINSPECTION_BEFORE_RECTIFIED,
    REINSPECTION_TOO_EARLY,
    REQUEST_BEFORE_ORDER,
    REQUEST_TWICE,
    TRANSITION_REFUSED,
    _finish,
    _lock,
    _log,
    _require_from,
    _save,
)


# --- the hazard loop -------------------------------------------------------------------------------
@transaction.atomic
def hazard_record(*, inspection: Inspection, category: str, found_on: dt.date | None = None,
                  description: str = "", is_major: bool = False, by=None, note: str = "",
                  link_recurrence: bool = True, client_id=None) -> Hazard:
    """Record a hazard found in an inspection (state: found); link it to an earlier closed one it repeats."""
    if category not in HazardCategory.values:
        raise WorkflowError(BAD_CATEGORY.format(value=category), field="category")
    found_on = found_on or inspection.inspected_on
    if found_on < inspection.inspected_on:
        raise WorkflowError(
            FOUND_BEFORE_INSPECTION.format(found=found_on, inspected=inspection.inspected_on), field="found_on"
        )
    hazard = Hazard(inspection=inspection, unit=inspection.unit, category=category, description=description,
                    is_major=is_major, status=HazardStatus.FOUND, found_on=found_on, client_id=client_id)
    _save(hazard)
    _log(hazard, HazardEventKind.RECORDED, from_status="", on=found_on, by=by, note=note)
    if link_recurrence:

        link_previous_occurrence(hazard, by=by)
    return hazard


@transaction.atomic
def hazard_order(*, hazard: Hazard, ordered_on: dt.date, deadline: dt.date | None = None, by=None,
                 note: str = "", expected_version: int | None = None) -> Hazard:
    """Order rectification: on the spot (``deadline=None``, 责令立即改正) or by a deadline (责令限期改正).

    Also re-orders a hazard whose re-inspection failed (a new deadline, a new round).
    """
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.ORDERED)
    if h.status == HazardStatus.REINSPECTED and h.reinspection_passed:
        raise WorkflowError(TRANSITION_REFUSED.format(status="复查合格", action="再次责令改正"))
    inspected = h.inspection.inspected_on
    if ordered_on < h.found_on:
        raise WorkflowError(ORDER_BEFORE_FOUND.format(ordered=ordered_on, found=h.found_on), field="ordered_on")
    if deadline is not None and deadline < inspected:
        raise WorkflowError(DEADLINE_BEFORE_INSPECTION.format(deadline=deadline, inspected=inspected), field="deadline")
    if deadline is not None and deadline < ordered_on:
        raise WorkflowError(DEADLINE_BEFORE_ORDER.format(deadline=deadline, ordered=ordered_on), field="deadline")
    before = h.status
    h.status, h.ordered_on, h.deadline = HazardStatus.ORDERED, ordered_on, deadline
    # A new round after a failed re-inspection starts clean; the log keeps the old round.
    h.rectified_on = h.reinspected_on = h.reinspection_requested_on = h.reinspection_passed = None
    _save(h)
    kind_note = f"限期至{deadline}" if deadline else "责令立即改正"
    _log(h, HazardEventKind.ORDERED, from_status=before, on=ordered_on, by=by, note=note or kind_note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_rectify(*, hazard: Hazard, rectified_on: dt.date, by=None, note: str = "",
                   expected_version: int | None = None) -> Hazard:
    """Record that the party finished the rectification (late rectification included)."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.RECTIFIED)
    start = h.ordered_on or h.found_on
    if rectified_on < start:
        raise WorkflowError(RECTIFIED_BEFORE_ORDER.format(rectified=rectified_on, ordered=start), field="rectified_on")
    before = h.status
    h.rectified_on = rectified_on
    if h.status == HazardStatus.ORDERED:
        h.status = HazardStatus.RECTIFIED
    _save(h)
    _log(h, HazardEventKind.RECTIFIED, from_status=before, on=rectified_on, by=by, note=note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_request_reinspection(*, hazard: Hazard, requested_on: dt.date, by=None, note: str = "",
                                expected_version: int | None = None) -> Hazard:
    """Record the party's application for re-inspection; the 3-working-day clock starts from it."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.REINSPECTION_REQUESTED)
    start = h.ordered_on or h.found_on
    if requested_on < start:
        raise WorkflowError(REQUEST_BEFORE_ORDER.format(requested=requested_on, ordered=start), field="requested_on")
    if h.reinspection_requested_on is not None:
        raise WorkflowError(REQUEST_TWICE.format(requested=h.reinspection_requested_on), field="requested_on")
    h.reinspection_requested_on = requested_on
    _save(h)
    _log(h, HazardEventKind.REINSPECTION_REQUESTED, from_status=h.status, on=requested_on, by=by, note=note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_reinspect(*, hazard: Hazard, reinspected_on: dt.date, passed: bool = True, by=None,
                     note: str = "", expected_version: int | None = None) -> Hazard:
    """Record the re-inspection (复查) and its result; a pass found unreported counts as rectified that day."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.REINSPECTED)
    ordered = h.ordered_on or h.found_on
    if reinspected_on < ordered:
        raise WorkflowError(
            REINSPECTION_BEFORE_ORDER.format(reinspected=reinspected_on, ordered=ordered), field="reinspected_on"
        )
    if h.rectified_on and reinspected_on < h.rectified_on:
        raise WorkflowError(
            REINSPECTION_BEFORE_RECTIFIED.format(reinspected=reinspected_on, rectified=h.rectified_on),
            field="reinspected_on",
        )
    waiting = h.status == HazardStatus.ORDERED and h.reinspection_requested_on is None
    if waiting and h.deadline is not None and reinspected_on < h.deadline:
        raise WorkflowError(
            REINSPECTION_TOO_EARLY.format(deadline=h.deadline, reinspected=reinspected_on), field="reinspected_on"
        )
    before = h.status
    h.reinspected_on, h.reinspection_passed = reinspected_on, passed
    if passed and h.rectified_on is None:
        h.rectified_on = reinspected_on
    h.status = HazardStatus.REINSPECTED
    _save(h)
    _log(h, HazardEventKind.REINSPECTED, from_status=before, on=reinspected_on, by=by,
         note=note or ("复查合格" if passed else "复查不合格"))
    return _finish(hazard, h)


@transaction.atomic
def hazard_close(*, hazard: Hazard, closed_on: dt.date, by=None, note: str = "",
                 expected_version: int | None = None) -> Hazard:
    """Close (销案) a hazard whose re-inspection passed; a major hazard must be reported and delisted first."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.CLOSED)
    if not h.reinspection_passed:
        raise WorkflowError(CLOSE_REINSPECTION_FAILED)
    if closed_on < h.reinspected_on:
        raise WorkflowError(
            CLOSE_BEFORE_REINSPECTION.format(closed=closed_on, reinspected=h.reinspected_on), field="closed_on"
        )
    case = MajorHazardCase.objects.filter(hazard=h).first()
    if case is not None and case.reported_on is None:
        raise WorkflowError(CLOSE_MAJOR_NOT_REPORTED)
    if case is not None and case.listed_on and not case.delisted_on:
        raise WorkflowError(CLOSE_MAJOR_LISTED)
    before = h.status
    h.status, h.closed_on = HazardStatus.CLOSED, closed_on
    _save(h)
    _log(h, HazardEventKind.CLOSED, from_status=before, on=closed_on, by=by, note=note)
    return _finish(hazard, h)
