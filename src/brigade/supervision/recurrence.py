"""Recurring hazards: the same category re-found at the same unit within N months of closure.

A recurrence links the new hazard to the closed one it repeats (``Hazard.recurrence_of``; the
closed one sees it as ``recurrences``). N is the setting ``BRIGADE_RECURRENCE_MONTHS`` (brigade/standards.yaml).
"""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction

from brigade.core.findings import in_scope_brigades
from brigade.supervision.choices import HazardEventKind, HazardStatus
from brigade.supervision.deadlines import add_months
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import Hazard, HazardEvent

BAD_MONTHS = "复发判定的月数应为正整数（收到 {months}）。"
RECURRENCE_NOTE = "与{closed_on}销案的同类隐患（编号{pk}）在{months}个月内再次出现"


def recurrence_months(months: int | None = None) -> int:
    months = months if months is not None else settings.BRIGADE_RECURRENCE_MONTHS
    if not isinstance(months, int) or months <= 0:
        raise WorkflowError(BAD_MONTHS.format(months=months), field="months")
    return months


def previous_occurrence(hazard: Hazard, *, months: int | None = None) -> Hazard | None:
    """The latest closed hazard of the same unit and category closed within ``months`` before this one."""
    months = recurrence_months(months)
    return (
        Hazard.objects.filter(
            unit_id=hazard.unit_id, category=hazard.category, status=HazardStatus.CLOSED,
            closed_on__gte=add_months(hazard.found_on, -months), closed_on__lte=hazard.found_on,
        )
        .exclude(pk=hazard.pk)
        .order_by("-closed_on", "-pk")
        .first()
    )


def link_previous_occurrence(hazard: Hazard, *, months: int | None = None, by=None) -> Hazard | None:
    """Link ``hazard`` to the closed hazard it repeats, if any, and log it; returns that hazard."""
    months = recurrence_months(months)
    previous = previous_occurrence(hazard, months=months)
    if previous is None or hazard.recurrence_of_id == previous.pk:
        return previous
    hazard.recurrence_of = previous
    hazard.version += 1
    hazard.save(update_fields=["recurrence_of", "version", "updated_at"])
    HazardEvent.objects.create(
        hazard=hazard, kind=HazardEventKind.RECURRENCE_LINKED, from_status=hazard.status, to_status=hazard.status,
        on=hazard.found_on, by=by, note=RECURRENCE_NOTE.format(closed_on=previous.closed_on, pk=previous.pk,
                                                               months=months),
    )
    return previous


@transaction.atomic
def recurrence_scan(*, months: int | None = None, by=None) -> int:
    """Link every not-yet-linked hazard that repeats a closed one (after an import); returns the count."""
    months = recurrence_months(months)
    linked = 0
    for hazard in Hazard.objects.filter(recurrence_of__isnull=True).order_by("found_on", "pk"):
        if link_previous_occurrence(hazard, months=months, by=by) is not None:
            linked += 1
    return linked


def recurring_hazards(*, start: dt.date, end: dt.date, street_id: int | None = None, scope=None):
    """Recurring hazards found between ``start`` and ``end`` (inclusive), optionally in one street
    or of the ``scope``'s brigades (a part of a many-brigade database)."""
    rows = Hazard.objects.filter(recurrence_of__isnull=False, found_on__range=(start, end))
    if street_id is not None:
        rows = rows.filter(unit__street_id=street_id)
    return in_scope_brigades(rows, scope).select_related("unit", "unit__street", "recurrence_of")


def recurring_counts(*, start: dt.date, end: dt.date, street_id: int | None = None,
                     scope=None) -> dict[str, Counter]:
    """Counts of recurring hazards by site category and by street (for the report's Q5)."""
    rows = recurring_hazards(start=start, end=end, street_id=street_id, scope=scope).values_list(
        "unit__site_category", "unit__street__name"
    )
    by_category, by_street = Counter(), Counter()
    for category, street in rows:
        by_category[category] += 1
        by_street[street] += 1
    return {"site_category": by_category, "street": by_street}
