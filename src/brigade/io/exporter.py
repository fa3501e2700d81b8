"""Export any (filtered) queryset of a ledger to .xlsx or .csv, under the same headers the import reads.

An export can be edited and imported back. Text that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is escaped with a leading apostrophe.
"""

import csv
import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from brigade.core.errors import UserError
from brigade.core.files import atomic_output
from brigade.io.cells import FORMULA_PREFIXES
from brigade.io.ledgers import Ledger

FORMATS = ("xlsx", "csv")


def escape_formula(value):
    """Text that starts like a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_rows(ledger: Ledger, queryset):
    """Header row, then one row of display values per record (choices as labels, units by name)."""
    columns = ledger.columns
    yield [c.header for c in columns]
    for obj in queryset.iterator(chunk_size=2000):
        yield [escape_formula(ledger.export_value(c, obj)) for c in columns]


def export_queryset(ledger: Ledger, queryset, out: str | Path, *, fmt: str | None = None) -> int:
    """Write ``queryset`` (records of ``ledger``) to ``out``; return the number of records written."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".") or "xlsx").lower()
    if fmt not in FORMATS:
        raise UserError(f"不支持的导出格式“{fmt}”（可选：xlsx、csv）。")
    count = -1
    with atomic_output(out) as tmp:
        if fmt == "csv":
            # UTF-8 with BOM: Excel then opens the Chinese text correctly.
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                for row in export_rows(ledger, queryset):
                    writer.writerow(["" if v is None else _csv_value(v) for v in row])
                    count += 1
        else:
            book = Workbook(write_only=True)
            ws = book.create_sheet(re.sub(r"[\\/*?:\[\]]", "·", ledger.title)[:31])
            bold = Font(bold=True)
            for row in export_rows(ledger, queryset):
                if count == -1:
                    header = []
                    for text in row:
                        cell = WriteOnlyCell(ws, value=text)
                        cell.font = bold
                        header.append(cell)
                    ws.append(header)
                else:
                    ws.append([_xlsx_cell(ws, v) for v in row])
                count += 1
            book.save(tmp)
    return count


def _csv_value(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _xlsx_cell(ws, value):
    if isinstance(value, dt.datetime | dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss" if isinstance(value, dt.datetime) else "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # never a formula, even if escaping is bypassed
        return cell
    return value
