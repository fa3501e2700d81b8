"""Findings about the hazard loop for the report's Part 2 Q5: recurring and overdue hazards."""

from brigade.core.findings import Finding, finding_provider, in_scope_brigades
from brigade.supervision.choices import HazardCategory
from brigade.supervision.recurrence import recurrence_months, recurring_counts, recurring_hazards
from brigade.supervision.selectors import effective_deadline, overdue_hazards
from brigade.units.models import SiteCategory

# At least this many recurring (or overdue) hazards make the finding 'high'.
HIGH_RECURRING = 5
HIGH_OVERDUE = 10
EVIDENCE_ROWS = 20


def _street_id(scope):
    return scope.pk if getattr(scope, "kind", "brigade") == "street" else None


@finding_provider("hazards.recurring")
def recurring(period, scope) -> list[Finding]:
    street_id = _street_id(scope)
    rows = list(recurring_hazards(start=period.start, end=period.end, street_id=street_id, scope=scope))
    if not rows:
        return []
    counts = recurring_counts(start=period.start, end=period.end, street_id=street_id, scope=scope)
    months = recurrence_months()
    top = counts["site_category"].most_common(3)
    names = "、".join(f"{SiteCategory(c).label}{n}处" for c, n in top)
    streets = "、".join(f"{s}{n}处" for s, n in counts["street"].most_common(3))
    statement = (
        f"{period.label}有{len(rows)}处火灾隐患在同一单位销案后{months}个月内再次出现，"
        f"主要为{names}；集中在{streets}。"
    )
    metrics = {"recurring": len(rows), "window_months": months}
    metrics.update({f"site_category.{c}": n for c, n in counts["site_category"].items()})
    evidence = [
        {
            "单位": h.unit.name, "镇街": h.unit.street.name, "场所类别": SiteCategory(h.unit.site_category).label,
            "隐患类别": HazardCategory(h.category).label, "本次发现": h.found_on.isoformat(),
            "上次销案": h.recurrence_of.closed_on.isoformat(), "隐患编号": h.pk, "上次隐患编号": h.recurrence_of_id,
        }
        for h in rows[:EVIDENCE_ROWS]
    ]
    return [Finding(code="hazards.recurring", severity="high" if len(rows) >= HIGH_RECURRING else "medium",
                    statement=statement, part="Q5", metrics=metrics, evidence=evidence)]


@finding_provider("hazards.overdue")
def overdue(period, scope) -> list[Finding]:
    rows = in_scope_brigades(overdue_hazards(period.end).filter(found_on__lte=period.end), scope)
    street_id = _street_id(scope)
    if street_id is not None:
        rows = rows.filter(unit__street_id=street_id)
    rows = list(rows.select_related("unit", "unit__street").order_by("deadline", "ordered_on", "pk"))
    if not rows:
        return []
    majors = sum(1 for h in rows if h.is_major)
    statement = f"截至{period.end.year}年{period.end.month}月{period.end.day}日，有{len(rows)}处火灾隐患逾期未整改"
    statement += f"，其中重大火灾隐患{majors}处。" if majors else "。"
    evidence = [
        {"单位": h.unit.name, "镇街": h.unit.street.name, "隐患类别": HazardCategory(h.category).label,
         "整改期限": effective_deadline(h).isoformat(), "逾期天数": (period.end - effective_deadline(h)).days,
         "隐患编号": h.pk}
        for h in rows[:EVIDENCE_ROWS]
    ]
    return [Finding(code="hazards.overdue", severity="high" if len(rows) >= HIGH_OVERDUE or majors else "medium",
                    statement=statement, part="Q5", metrics={"overdue": len(rows), "overdue_major": majors},
                    evidence=evidence)]
