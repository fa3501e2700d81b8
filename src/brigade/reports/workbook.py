"""The metrics appendix as an .xlsx workbook (one row per metric), written atomically."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from brigade.core.files import atomic_output
from brigade.io.xlsx import append_row

COLUMNS = [
    ("code", "指标代码", 34),
    ("seed_ref", "总结条目", 9),
    ("label", "指标名称", 26),
    ("unit", "单位", 7),
    ("definition", "定义", 50),
    ("value", "本期", 12),
    ("previous", "去年同期", 12),
    ("change", "增减", 10),
    ("change_pct", "增减幅度（%）", 13),
]


def write_metrics_xlsx(rows: list[dict], path: str | Path, *, title: str) -> Path:
    """Write the rows under a title line; a failure leaves no partial file."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [header for _, header, _ in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        append_row(ws, ["无数据" if row[key] is None and key == "value" else row[key] for key, _, _ in COLUMNS])
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=3, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return path
