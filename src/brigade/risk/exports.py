"""Excel exports of the grades and of a draw's list: export-only ledgers (computed records are never imported)."""

from pathlib import Path

from brigade.core.records import LedgerFacet
from brigade.io.exporter import export_queryset
from brigade.io.ledgers import Ledger, build_ledger
from brigade.risk.models import DrawItem, UnitRisk


def grade_ledger() -> Ledger:
    return build_ledger(UnitRisk, LedgerFacet(
        "risk_grade", ("unit", "street", "level", "score", "evidence", "open_hazards", "overdue_hazards",
                       "major_hazards", "recurrences", "enforcement_actions", "self_inspections", "incidents",
                       "station_minutes", "last_inspected_on", "graded_on", "rubric_name"),
        natural_keys=(("unit_id",),), title="单位风险等级"))


def draw_ledger() -> Ledger:
    return build_ledger(DrawItem, LedgerFacet(
        "draw_item", ("order", "unit", "street", "level", "reason", "inspector_a", "inspector_b"),
        natural_keys=(("draw_id", "unit_id"),), title="双随机抽查名单"))


def export_grades(rows, out: str | Path) -> int:
    return export_queryset(grade_ledger(), rows.select_related("unit", "street").order_by("-score", "unit_id"), out)


def export_draw(draw, out: str | Path) -> int:
    rows = draw.items.select_related("unit", "street", "inspector_a", "inspector_b").order_by("order")
    return export_queryset(draw_ledger(), rows, out)
