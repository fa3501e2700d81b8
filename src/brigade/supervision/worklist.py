"""Worklists: what an officer or a street must do soon, by statutory deadline, in working days.

Items: rectification notices to serve, deadlines falling within the horizon (3 working days by
default), overdue hazards, re-inspections due, major-hazard notices and reports due, and
seal-ups expiring. Used by ``brigade due`` and (later) the web worklist page.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from brigade.core import tenancy
from brigade.core.workdays import PROVISIONAL_NOTE, add_workdays, is_provisional, workdays_between
from brigade.org.models import Person
from brigade.supervision import deadlines
from brigade.supervision.choices import EnforcementKind, HazardCategory, HazardStatus
from brigade.supervision.models import EnforcementAction, Hazard, MajorHazardCase
from brigade.supervision.selectors import (
    effective_deadline,
    notice_due_on,
    overdue_hazards,
    reinspection_due_on,
)

DEFAULT_HORIZON_WORKDAYS = 3

KIND_LABELS = {
    "overdue": "逾期未改",
    "notice_due": "待送达责令限期改正通知书",
    "rectification_due": "整改期限将至",
    "reinspection_due": "待复查",
    "major_notice_due": "待送达重大火灾隐患整改通知书",
    "major_report_due": "重大火灾隐患待报告政府",
    "seal_up_expiring": "临时查封到期",
    "random_check": "双随机抽查待检查",
}
KIND_ORDER = tuple(KIND_LABELS)
# Other apps' items (the risk app's monthly draw): f(on=, officer=, street=, horizon_end=, brigade=) -> [WorkItem].
ITEM_SOURCES: list = []


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a key of KIND_LABELS
    due_on: dt.date
    workdays_left: int  # working days from the worklist day to the due day; negative when late
    unit: str
    street: str
    subject: str  # Chinese: what the item is about
    officers: tuple[str, ...] = ()
    hazard_id: int | None = None
    action_id: int | None = None
    source: str = ""  # the rule the due day comes from

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_late(self) -> bool:
        return self.workdays_left < 0


@dataclass
class Worklist:
    on: dt.date
    horizon_end: dt.date
    items: list[WorkItem] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[WorkItem]:
        return [i for i in self.items if i.kind == kind]

    @property
    def calendar_notes(self) -> list[str]:
        """One sentence per year whose deadlines are counted before its holiday notice is known."""
        days = [self.horizon_end, *(i.due_on for i in self.items)]
        return [PROVISIONAL_NOTE.format(year=y) for y in sorted({d.year for d in days if is_provisional(d)})]


def _officers(hazard: Hazard) -> tuple[str, ...]:
    return tuple(p.name for p in hazard.inspection.inspectors.all())


def _subject(hazard: Hazard) -> str:
    major = "（重大）" if hazard.is_major else ""
    text = f"{HazardCategory(hazard.category).label}{major}"
    return f"{text}：{hazard.description}" if hazard.description else text


def worklist(*, on: dt.date, officer: str | None = None, street: str | None = None,
             horizon_workdays: int = DEFAULT_HORIZON_WORKDAYS, brigade: int | None = None) -> Worklist:
    """The worklist for ``on``, optionally for one officer (inspector name), one street (name) and
    one brigade (id; None: every brigade)."""
    horizon_end = add_workdays(on, horizon_workdays)
    result = Worklist(on=on, horizon_end=horizon_end)

    def add(kind, due, hazard=None, action=None, rule=""):
        base = hazard if hazard is not None else action
        result.items.append(WorkItem(
            kind=kind, due_on=due, workdays_left=workdays_between(on, due),
            unit=base.unit.name if base.unit else base.person_name, street=base.unit.street.name if base.unit else "",
            subject=_subject(hazard) if hazard is not None else _action_subject(action),
            officers=_officers(hazard) if hazard is not None else _action_officers(action),
            hazard_id=hazard.pk if hazard is not None else None, action_id=action.pk if action else None,
            source=deadlines.rule(rule).source if rule else "",
        ))

    hazards = Hazard.objects.filter(found_on__lte=on).exclude(status__in=(HazardStatus.CLOSED,))
    hazards = _filter(hazards, officer=officer, street=street, inspection="inspection", brigade=brigade)
    hazards = hazards.select_related("inspection", "unit", "unit__street").prefetch_related(
        Prefetch("inspection__inspectors", queryset=Person.objects.only("name"))
    )
    cases = {c.hazard_id: c for c in MajorHazardCase.objects.filter(hazard__in=hazards)}
    overdue = set(overdue_hazards(on, hazards).values_list("pk", flat=True))
    for h in hazards:
        if h.status == HazardStatus.FOUND:
            due = notice_due_on(h)
            if due <= horizon_end:
                add("notice_due", due, h, rule=deadlines.RECTIFICATION_NOTICE)
        deadline = effective_deadline(h)
        if h.pk in overdue:
            add("overdue", deadline, h)
        elif h.status == HazardStatus.ORDERED and h.rectified_on is None and deadline and deadline <= horizon_end:
            add("rectification_due", deadline, h)
        if h.status in (HazardStatus.ORDERED, HazardStatus.RECTIFIED):
            due = reinspection_due_on(h)
            if due is not None and due <= horizon_end:
                add("reinspection_due", due, h, rule=deadlines.REINSPECTION)
        case = cases.get(h.pk)
        if case is not None and case.notice_on is None:
            due = deadlines.due_date(deadlines.MAJOR_HAZARD_NOTICE, case.determined_on)
            if case.experts_consulted:
                due = deadlines.due_date(deadlines.MAJOR_HAZARD_NOTICE_EXPERTS, due)
            if due <= horizon_end:
                add("major_notice_due", due, h, rule=deadlines.MAJOR_HAZARD_NOTICE)
        if case is not None and case.reported_on is None:
            due = deadlines.due_date(deadlines.MAJOR_HAZARD_REPORT, h.inspection.inspected_on)
            if due <= horizon_end:
                add("major_report_due", due, h, rule=deadlines.MAJOR_HAZARD_REPORT)

    seal_ups = EnforcementAction.objects.filter(
        kind=EnforcementKind.SEAL_UP, lifted_on__isnull=True, ends_on__isnull=False, ends_on__lte=horizon_end,
        decided_on__lte=on,
    )
    seal_ups = _filter(seal_ups, officer=officer, street=street, inspection="hazards__inspection",
                       brigade=brigade).distinct()
    for action in seal_ups.select_related("unit", "unit__street").prefetch_related("hazards__inspection__inspectors"):
        add("seal_up_expiring", action.ends_on, action=action, rule=deadlines.SEAL_UP_MAX)

    for source in ITEM_SOURCES:
        result.items.extend(source(on=on, officer=officer, street=street, horizon_end=horizon_end, brigade=brigade))
    result.items.sort(key=lambda i: (i.due_on, KIND_ORDER.index(i.kind), i.street, i.unit))
    return result


def _filter(rows, *, officer, street, inspection, brigade=None):
    if brigade is not None:
        rows = rows.filter(tenancy.owned_by(rows.model, brigade))
    if officer:
        rows = rows.filter(**{f"{inspection}__inspectors__name": officer})
    if street:
        rows = rows.filter(Q(unit__street__name=street))
    return rows.distinct() if officer else rows


def _action_subject(action: EnforcementAction) -> str:
    return f"{EnforcementKind(action.kind).label} {action.decision_number}".strip()


def _action_officers(action: EnforcementAction) -> tuple[str, ...]:
    names = {p.name for h in action.hazards.all() for p in h.inspection.inspectors.all()}
    return tuple(sorted(names))
