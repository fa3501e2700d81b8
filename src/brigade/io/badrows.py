"""Every bad row of an import, as an .xlsx to fix and import again.

The file is read a second time rather than kept in memory: the report holds only row numbers and
reasons, so a 100,000-row file with every row wrong costs no more memory than a good one. The rows
keep the file's own header and cells, with one more column saying what is wrong; the good rows are
left out, so the fixed file imports on its own (re-importing the first file later adds nothing twice).
"""

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from brigade.core.files import atomic_output
from brigade.io.cells import FormulaValue, is_blank
from brigade.io.exporter import escape_formula
from brigade.io.workbook import SpreadsheetFile

REASON_HEADER = "错误原因"


def write_bad_rows(source: str | Path, ledger, report, out: str | Path, *, filename: str | None = None) -> int:
    """Write the rows of ``source`` that ``report`` found bad to ``out``; return how many were written."""
    from brigade.io.importer import _pick_sheet

    reasons: dict[int, list[str]] = defaultdict(list)
    for e in report.errors:
        if e.row:
            reasons[e.row].append(f"【{e.column}】{e.message}" if e.column else e.message)
    book = SpreadsheetFile(source, filename=filename, max_bytes=1 << 40)
    written = 0
    try:
        sheet, header = _pick_sheet(book, ledger)
        out_book = Workbook(write_only=True)
        ws = out_book.create_sheet(f"{ledger.title}-待改正"[:31])
        head_cells = None
        for number, cells in sheet.all_rows():
            if number == header.row_number:
                head_cells = [_cell(ws, c) for c in cells]
                head_cells.append(WriteOnlyCell(ws, value=REASON_HEADER))
                for c in head_cells:
                    c.font = Font(bold=True)
                ws.append(head_cells)
            elif number in reasons:
                ws.append([_cell(ws, c) for c in _pad(cells, len(head_cells or ()) - 1)]
                          + ["；".join(reasons[number])])
                written += 1
    finally:
        book.close()
    with atomic_output(out) as tmp:
        out_book.save(tmp)
    return written


def _pad(cells: tuple, width: int) -> tuple:
    return cells + (None,) * (width - len(cells)) if len(cells) < width else cells


def _cell(ws, value):
    if isinstance(value, FormulaValue):  # shown as the text it is, never as a live formula
        value = "'" + str(value)
    elif is_blank(value):
        value = None
    return WriteOnlyCell(ws, value=escape_formula(value))
