"""Read-only questions about grades and draws: open and overdue checks, distributions by street."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from brigade.core.workdays import CalendarOutOfRange, workdays_between
from brigade.risk.choices import DrawStatus, RiskLevel
from brigade.risk.models import DrawItem, RiskRubric, UnitRisk
from brigade.risk.rubric import Rubric, default_text, parse_rubric
from brigade.supervision.choices import InspectionKind

WORK_KIND = "random_check"


def active_rubric() -> Rubric:
    """The most recently changed active rubric in the admin, else the shipped default."""
    row = RiskRubric.objects.filter(is_active=True).order_by("-updated_at", "-pk").first()
    return parse_rubric(row.text if row else default_text())


def checked_in_month() -> Exists:
    """Whether the drawn unit had a brigade inspection (not its own check) since its month began.

    An inspection after the due day still answers the check (late, not missing)."""
    from brigade.supervision.models import Inspection

    return Exists(Inspection.objects.filter(
        unit_id=OuterRef("unit_id"), inspected_on__gte=OuterRef("draw__month"),
    ).exclude(kind=InspectionKind.SELF_INSPECTION_DAY))


def open_draw_items(on: dt.date, *, officer: str | None = None, street: str | None = None) -> QuerySet:
    """Checks of the active draws published for months up to ``on`` that no inspection has answered yet."""
    rows = DrawItem.objects.filter(draw__status=DrawStatus.ACTIVE, draw__month__lte=on)
    rows = rows.annotate(done=checked_in_month()).filter(done=False)
    if officer:
        rows = rows.filter(Q(inspector_a__name=officer) | Q(inspector_b__name=officer))
    if street:
        rows = rows.filter(street__name=street)
    return rows


def overdue_draw_items(on: dt.date, **filters) -> QuerySet:
    """Drawn checks whose due day (the month's last working day) passed with no inspection."""
    return open_draw_items(on, **filters).filter(draw__due_on__lt=on)


def worklist_items(*, on: dt.date, officer: str | None, street: str | None, horizon_end: dt.date,
                   brigade: int | None = None) -> list:
    """The month's drawn checks as worklist items (brigade.supervision.worklist)."""
    from brigade.supervision.worklist import WorkItem

    items = []
    rows = open_draw_items(on, officer=officer, street=street).select_related(
        "draw", "unit", "street", "inspector_a", "inspector_b")
    if brigade is not None:
        rows = rows.filter(draw__brigade_id=brigade)
    for item in rows:
        try:
            left = workdays_between(on, item.draw.due_on)
        except CalendarOutOfRange:
            left = (item.draw.due_on - on).days
        month = f"{item.draw.month.year}年{item.draw.month.month}月"
        items.append(WorkItem(
            kind=WORK_KIND, due_on=item.draw.due_on, workdays_left=left, unit=item.unit.name,
            street=item.street.name, subject=f"{month}双随机抽查（{item.get_level_display()}风险，{item.get_reason_display()}）",
            officers=tuple(p.name for p in (item.inspector_a, item.inspector_b) if p),
            source=f"{month}双随机抽查名单（随机种子 {item.draw.seed}）",
        ))
    return items


def grades_by_street(*, street_id: int | None = None, rows=None) -> list[dict]:
    """Units of each grade per street, highest share of high-risk first (of ``rows``: all grades if None)."""
    rows = UnitRisk.objects.all() if rows is None else rows
    if street_id is not None:
        rows = rows.filter(street_id=street_id)
    counts = rows.values("street__name").annotate(
        high=Count("pk", filter=Q(level=RiskLevel.HIGH)), medium=Count("pk", filter=Q(level=RiskLevel.MEDIUM)),
        low=Count("pk", filter=Q(level=RiskLevel.LOW)), total=Count("pk")).order_by("street__name")
    out = [{"street": r["street__name"], "high": r["high"], "medium": r["medium"], "low": r["low"],
            "total": r["total"]} for r in counts]
    return sorted(out, key=lambda r: (-r["high"] / r["total"] if r["total"] else 0, r["street"]))
