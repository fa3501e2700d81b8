"""Read-only questions about hazards: effective deadlines, overdue state, statutory due dates.

'Overdue' is never stored: it follows from the deadline and the day asked about.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from brigade.supervision import deadlines
from brigade.supervision.choices import HazardStatus
from brigade.supervision.models import Hazard

OVERDUE_LABEL = "逾期未改"
# States in which the party still owes a rectification.
OPEN_ORDER_STATUSES = (HazardStatus.ORDERED,)
# States in which a re-inspection is still owed.
REINSPECTION_STATUSES = (HazardStatus.ORDERED, HazardStatus.RECTIFIED)


def effective_deadline(hazard: Hazard) -> dt.date | None:
    """The rectification deadline; an on-the-spot order (no deadline) is due the day it was given."""
    return hazard.deadline or hazard.ordered_on


def is_overdue(hazard: Hazard, on: dt.date) -> bool:
    """Ordered, not rectified, and the deadline lies before ``on``."""
    deadline = effective_deadline(hazard)
    return (
        hazard.status in OPEN_ORDER_STATUSES and hazard.rectified_on is None and deadline is not None and deadline < on
    )


def display_status(hazard: Hazard, on: dt.date) -> str:
    """The Chinese status a person should see on ``on`` ("逾期未改" is derived, not stored)."""
    return OVERDUE_LABEL if is_overdue(hazard, on) else HazardStatus(hazard.status).label


def overdue_hazards(on: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """Hazards ordered with a deadline before ``on`` and still not rectified."""
    rows = Hazard.objects.all() if queryset is None else queryset
    return rows.filter(status__in=OPEN_ORDER_STATUSES, rectified_on__isnull=True).filter(
        Q(deadline__lt=on) | Q(deadline__isnull=True, ordered_on__lt=on)
    )


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
