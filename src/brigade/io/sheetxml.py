"""Read the cell values of an .xlsx workbook's sheets quickly.

openpyxl reads the workbook's own parts here (sheet list, shared strings, styles, date system); the
rows are read with lxml. openpyxl's read-only sheet builds an object per cell and, when a sheet has
no ``<dimension>`` (openpyxl itself writes none, so neither do our templates and bad-row files),
scans the whole sheet once more before the first row: on a 100,000-row register that was most of
an import's time.

The values are those of openpyxl's ``iter_rows(values_only=True)``: numbers as int or float,
numbers in a date format as datetimes (or timedeltas), shared and inline strings, booleans, error
codes as text; a row's tuple ends at its last cell and a row the file skips is an empty tuple.
Only for workbooks without formulas: those take openpyxl's own path, which marks formula cells.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601

# The transitional namespace every spreadsheet program writes, and the strict one.
_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
               "http://purl.oclc.org/ooxml/spreadsheetml/main")
_ROW_TAGS = [f"{{{ns}}}row" for ns in _NAMESPACES]


@dataclass
class Book:
    """What reading a sheet's values needs from the workbook."""

    reader: ExcelReader
    sheets: list[tuple[str, str]]  # (title, part name in the archive), in workbook order
    strings: list
    date_styles: set
    timedelta_styles: set
    epoch: object

    def rows(self, part: str) -> Iterator[tuple]:
        return _rows(self.reader.archive.open(part), self)

    def close(self) -> None:
        self.reader.archive.close()


def open_book(fh: IO[bytes]) -> Book:
    """The workbook's sheets and reading context (openpyxl's parsers, without its sheet objects)."""
    reader = ExcelReader(fh, read_only=True, data_only=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    wb = reader.wb
    apply_stylesheet(reader.archive, wb)
    sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
              if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    return Book(reader, sheets, reader.shared_strings, set(wb._date_formats), set(wb._timedelta_formats), wb.epoch)


def _column(ref: str) -> int:
    """"AB12" → 28."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n


def _rows(source, book: Book) -> Iterator[tuple]:
    expected = 1
    try:
        # resolve_entities=False, no_network (lxml's default): a workbook's XML never pulls anything in.
        for _, row in etree.iterparse(source, events=("end",), tag=_ROW_TAGS, resolve_entities=False):
            ref = row.get("r")
            number = int(float(ref)) if ref else expected
            if number >= expected:
                for _ in range(expected, number):
                    yield ()
                yield _values(row, book)
                expected = number + 1
            # Keep memory flat: drop the row and the rows before it once read.
            row.clear()
            parent = row.getparent()
            while row.getprevious() is not None:
                del parent[0]
    finally:
        source.close()


def _values(row, book: Book) -> tuple:
    ns = row.tag[: row.tag.index("}") + 1]
    v_tag, is_tag, t_tag, r_tag, f_tag = ns + "v", ns + "is", ns + "t", ns + "r", ns + "f"
    found: list[tuple[int, object]] = []
    col = 0
    for cell in row:
        ref = cell.get("r")
        col = _column(ref) if ref else col + 1
        kind = cell.get("t", "n")
        text = None
        formula = None
        for part in cell:
            if part.tag == v_tag:
                text = part.text or None
            elif part.tag == is_tag and kind == "inlineStr":
                text = _inline(part, t_tag, r_tag)
            elif part.tag == f_tag:
                formula = "=" + (part.text or "")
        found.append((col, _convert(kind, text, formula, cell.get("s"), book)))
    if not found:
        return ()
    values = [None] * found[-1][0]
    for col, value in found:
        if 0 < col <= len(values):
            values[col - 1] = value
    return tuple(values)


def _inline(part, t_tag: str, r_tag: str) -> str:
    """An inline string: its text, or its rich-text runs; phonetic guides (rPh) are not the value."""
    if len(part) == 1 and part[0].tag == t_tag:
        return part[0].text or ""
    return "".join(p.text or "" for p in part if p.tag == t_tag) + "".join(
        t.text or "" for run in part if run.tag == r_tag for t in run if t.tag == t_tag)


def _convert(kind: str, text, formula, style, book: Book):
    if formula is not None:
        from brigade.io.cells import FormulaValue

        return FormulaValue(formula)
    if text is None:
        return None
    if kind == "n":
        number = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        if style and int(style) in book.date_styles:
            try:
                return from_excel(number, book.epoch, timedelta=int(style) in book.timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return book.strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_ISO8601(text)
    return text  # str (a formula's cached text), inlineStr, e (an error code such as #N/A)
