"""The detachment's comparison as an .xlsx workbook: figures, ranks, the detachment's quartiles and
the outliers, written atomically."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from brigade.core.files import atomic_output
from brigade.io.xlsx import append_row
from brigade.metrics.compare import MEASURES, NO_DATA, Comparison

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BAD_FILL = PatternFill("solid", fgColor="F8CBAD")


def _header(ws, values) -> None:
    append_row(ws, values)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def write_comparison_xlsx(c: Comparison, path: str | Path, *, title: str) -> Path:
    """Sheet 对比: one row per brigade (value, then rank, per measure) and the quartile rows;
    sheet 异常: the outliers; sheet 口径: what each figure means. No partial file on failure."""
    wb = Workbook()
    ws = wb.active
    ws.title = "对比"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    _header(ws, ["大队"] + [f"{m.label}（{m.unit}）" for m in MEASURES] + [f"{m.label}排名" for m in MEASURES])
    bad = {(o["brigade"], o["measure"]) for o in c.outliers if o["bad"]}
    for r in c.rows:
        append_row(ws, [r.brigade] + [NO_DATA if r.values[m.code] is None else r.values[m.code] for m in MEASURES]
                   + [r.ranks[m.code] for m in MEASURES])
        for i, m in enumerate(MEASURES, start=2):
            if (r.brigade, m.code) in bad:
                ws.cell(ws.max_row, i).fill = BAD_FILL
    for key, label in (("q1", "下四分位数"), ("median", "中位数"), ("q3", "上四分位数")):
        append_row(ws, [f"全支队{label}"] + [NO_DATA if c.stats[m.code][key] is None else c.stats[m.code][key]
                                          for m in MEASURES])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 30
    for i in range(2, 2 * len(MEASURES) + 2):
        ws.column_dimensions[get_column_letter(i)].width = 14
    ws.freeze_panes = "B3"

    out = wb.create_sheet("异常")
    _header(out, ["大队", "指标", "数值", "中位数", "方向"])
    labels = {m.code: m.label for m in MEASURES}
    for o in c.outliers:
        append_row(out, [o["brigade"], labels[o["measure"]], o["value"], c.stats[o["measure"]]["median"],
                         ("落后" if o["bad"] else "领先")])
    notes = wb.create_sheet("口径")
    _header(notes, ["指标", "单位", "排名方向", "定义"])
    for m in MEASURES:
        append_row(notes, [m.label, m.unit, "越高越好" if m.better == "high" else "越低越好", m.definition])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["D"].width = 80
    with atomic_output(path) as tmp:
        wb.save(tmp)
    return path
