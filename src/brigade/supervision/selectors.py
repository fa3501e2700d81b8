"""Read-only questions about hazards: effective deadlines, overdue state, statutory due dates.

'Overdue' is never stored: it follows from the deadline and the day asked about.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from brigade.supervision import deadlines
from brigade.supervision.choices import HazardEventKind, HazardStatus
from brigade.supervision.models import Hazard, HazardEvent

OVERDUE_LABEL = "逾期未改"
# States in which the party still owes a rectification.
OPEN_ORDER_STATUSES = (HazardStatus.ORDERED,)
# States in which a re-inspection is still owed.
REINSPECTION_STATUSES = (HazardStatus.ORDERED, HazardStatus.RECTIFIED)


def effective_deadline(hazard: Hazard) -> dt.date | None:
    """The rectification deadline; an on-the-spot order (no deadline) is due the day it was given."""
    return hazard.deadline or hazard.ordered_on


def overdue_q(on: dt.date) -> Q:
    """Overdue as of ``on``: the one definition behind the metric, the finding, the worklist and pages.

    Found and ordered with a deadline before ``on`` (an on-the-spot order: due the day it was given),
    and by ``on`` neither rectified, closed nor escalated to enforcement. A rectification that a failed
    re-inspection refuted by ``on`` does not count. Escalation is dated by its event; a record
    imported without events takes its stored status.
    """
    escalated_event = HazardEvent.objects.filter(hazard=OuterRef("pk"), kind=HazardEventKind.ESCALATED)
    deadline_passed = Q(deadline__lt=on) | Q(deadline__isnull=True, ordered_on__lt=on)
    rectified = Q(rectified_on__lte=on) & ~Q(reinspection_passed=False, reinspected_on__lte=on)
    closed = Q(closed_on__lte=on) | Q(status=HazardStatus.CLOSED, closed_on__isnull=True)
    escalated = Exists(escalated_event.filter(on__lte=on)) | (
        Q(status=HazardStatus.ESCALATED) & ~Exists(escalated_event))
    return Q(found_on__lte=on) & deadline_passed & ~rectified & ~closed & ~escalated


def overdue_hazards(on: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """Hazards overdue as of ``on`` (``overdue_q``), from ``queryset`` or all hazards."""
    rows = Hazard.objects.all() if queryset is None else queryset
    return rows.filter(overdue_q(on))


def is_overdue(hazard: Hazard, on: dt.date) -> bool:
    """Whether one stored hazard is overdue as of ``on``, by the same query as every list."""
    return overdue_hazards(on, Hazard.objects.filter(pk=hazard.pk)).exists()


def display_status(hazard: Hazard, on: dt.date) -> str:
    """The Chinese status a person should see on ``on`` ("逾期未改" is derived, not stored)."""
    return OVERDUE_LABEL if is_overdue(hazard, on) else HazardStatus(hazard.status).label


def notice_due_on(hazard: Hazard) -> dt.date:
    """Last day to serve the rectification notice: 3 working days after the inspection."""
    return deadlines.due_date(deadlines.RECTIFICATION_NOTICE, hazard.inspection.inspected_on)


def reinspection_anchor(hazard: Hazard) -> dt.date | None:
    """The day re-inspection counting starts: the party's application or the deadline, whichever is first."""
    days = [d for d in (hazard.reinspection_requested_on, effective_deadline(hazard)) if d is not None]
    return min(days) if days else None


def reinspection_due_on(hazard: Hazard) -> dt.date | None:
    """Last day for the re-inspection: 3 working days after the deadline or the application."""
    anchor = reinspection_anchor(hazard)
    return deadlines.due_date(deadlines.REINSPECTION, anchor) if anchor else None
