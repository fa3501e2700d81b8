"""Open an uploaded spreadsheet (.xlsx or .csv), refuse what cannot be read, and find the header row.

File-level problems (empty, too large, encrypted, not a spreadsheet, a zip bomb, a damaged sheet,
wrong headers) raise :class:`ImportFileError` with one Chinese sentence; nothing below a file is
ever guessed silently.

An .xlsx is a zip archive. Before openpyxl parses anything, the sizes the archive declares are
checked (total uncompressed size, compression ratio of each member, number of members), so a zip
bomb is refused without inflating it; a member that inflates to more than it declares fails its
CRC check while being read and is refused as damaged. Formulas are never evaluated: a cell holding
one reaches the importer as :class:`~brigade.io.cells.FormulaValue` and is refused there.
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from brigade.core.errors import UserError
from brigade.io.cells import FormulaValue, clean_text, is_blank

# Zip-bomb guards: what an .xlsx may inflate to in all, and how much any one member may be compressed.
# A real sheet compresses 5-40 times; a bomb of repeated bytes about 1,000 times.
RATIO_FLOOR_BYTES = 1024 * 1024  # members smaller than this are never refused for their ratio
MAX_ZIP_MEMBERS = 10_000
EXCEL_MAX_ROWS = 1_048_576
# A formula element (<f>, or <x:f> with a namespace prefix) in a part's XML; cell text is escaped, never matches.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref=\"([A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7})\"")
# How many rows above the data may hold titles, notes and merged banners before the header.
HEADER_SEARCH_ROWS = 30
HEADER_MAX_CHARS = 200  # no column header is longer

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class ImportFileError(UserError):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def max_import_bytes() -> int:
    """The upload size limit: settings.BRIGADE_IMPORT_MAX_BYTES ."""
    return settings.BRIGADE_IMPORT_MAX_BYTES


def check_size(size: int, filename: str, limit: int | None = None) -> None:
    """Refuse a file over the upload limit (the web checks this before saving the upload)."""
    limit = max_import_bytes() if limit is None else limit
    if size > limit:
        raise ImportFileError(
            f"文件“{filename}”大小为 {_mb(size)}，超过了导入大小上限 {_mb(limit)}；"
            "请拆分成几个文件后分别导入（上限可由管理员在设置 BRIGADE_IMPORT_MAX_BYTES 中调整）。"
        )


def max_uncompressed_bytes() -> int:
    """What an .xlsx may inflate to: settings.BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES ."""
    return settings.BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES


def max_zip_ratio() -> float:
    """The largest compression ratio of one member: settings.BRIGADE_IMPORT_MAX_ZIP_RATIO ."""
    return settings.BRIGADE_IMPORT_MAX_ZIP_RATIO


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _damaged(filename: str, exc: BaseException) -> ImportFileError:
    return ImportFileError(
        f"文件“{filename}”不是有效的 Excel（.xlsx）文件，可能已损坏（{type(exc).__name__}）。"
    )


@dataclass
class Sheet:
    """One table of a file: its name and an iterator over (Excel row number, cell values)."""

    name: str
    rows: Iterator[tuple[int, tuple]]
    first_rows: list[tuple[int, tuple]] = field(default_factory=list)

    def all_rows(self) -> Iterator[tuple[int, tuple]]:
        yield from self.first_rows
        yield from self.rows


class SpreadsheetFile:
    """A readable .xlsx or .csv file, checked for size, emptiness, encryption and format.

    ``source`` is a path; ``filename`` (optional) is the name the user uploaded it under, used for
    messages and to tell CSV from Excel.
    """

    def __init__(self, source: str | Path, *, filename: str | None = None, max_bytes: int | None = None):
        self.path = Path(source)
        self.filename = filename or self.path.name
        limit = max_import_bytes() if max_bytes is None else max_bytes
        try:
            size = self.path.stat().st_size
        except OSError:
            raise ImportFileError(f"找不到文件“{self.filename}”。") from None
        if size == 0:
            raise ImportFileError(f"文件“{self.filename}”是空的（0 字节），没有可导入的内容。")
        check_size(size, self.filename, limit)
        with self.path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(OLE_SIGNATURE):
            raise ImportFileError(
                f"文件“{self.filename}”是加密（设置了打开密码）的 Excel 工作簿或旧版 .xls 文件，无法读取；"
                "请在 Excel 中取消密码并“另存为”.xlsx 格式后再导入。"
            )
        if head.startswith(ZIP_SIGNATURE):
            self.kind = "xlsx"
        elif self._looks_like_text():
            self.kind = "csv"
        else:
            raise ImportFileError(f"文件“{self.filename}”不是 Excel（.xlsx）或 CSV 文件，无法导入。")

    def _looks_like_text(self) -> bool:
        with self.path.open("rb") as fh:
            sample = fh.read(64 * 1024)
        if b"\x00" in sample:
            return False
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                sample.decode(encoding)
            except UnicodeDecodeError as exc:
                if exc.start >= len(sample) - 4:  # a character cut at the sample's end
                    return True
                continue
            self.encoding = encoding
            return True
        return False

    def sheets(self) -> list[Sheet]:
        if self.kind == "csv":
            return [Sheet(self.filename, self._csv_rows())]
        return self._xlsx_sheets()

    def _csv_rows(self) -> Iterator[tuple[int, tuple]]:
        encoding = getattr(self, "encoding", "utf-8-sig")
        # A cell may be as long as the file (the importer refuses an over-long cell by row and column);
        # the csv module's own limit (128 KB) would stop the whole file with no row or column named.
        csv.field_size_limit(max(csv.field_size_limit(), max_import_bytes()))
        with self.path.open("r", encoding=encoding, newline="", errors="replace") as fh:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
            except csv.Error:
                delimiter = ","
            # Only the delimiter is guessed. The quote is always '"' (Excel's and our export's): a guessed
            # one would take apostrophes in the text (and our export's '= escaping) for quotes.
            reader = csv.reader(fh, csv.excel, delimiter=delimiter)
            try:
                for number, row in enumerate(reader, start=1):
                    yield number, tuple(row)
            except csv.Error as exc:
                raise ImportFileError(
                    f"CSV 文件“{self.filename}”第{reader.line_num}行无法读取（{exc}），请检查该行的引号和分隔符。"
                ) from None

    def _inspect_archive(self) -> bool:
        """Refuse a zip bomb from the sizes the archive declares; say whether any part holds a formula.

        Nothing is inflated before the sizes are checked; afterwards the XML parts are read once (in
        1 MB pieces) to look for formula elements, which a member inflating past its declared size
        cannot survive (its CRC check fails: the file is refused as damaged).
        """
        try:
            with zipfile.ZipFile(self.path) as zf:
                members = zf.infolist()
                self._check_sizes(members)
                self.merges = {}
                found = [_holds_formula(zf, m, self.merges) for m in members if m.filename.lower().endswith(".xml")]
                return any(found)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as exc:  # RuntimeError: an encrypted member
            raise _damaged(self.filename, exc) from None

    def _check_sizes(self, members: list[zipfile.ZipInfo]) -> None:
        bomb = "可能是“压缩炸弹”或已损坏的文件，已拒绝读取"
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError(
                f"文件“{self.filename}”内含 {len(members)} 个部件，远多于正常的 Excel 文件（上限 {MAX_ZIP_MEMBERS} 个），"
                f"{bomb}。"
            )
        total, limit = sum(m.file_size for m in members), max_uncompressed_bytes()
        if total > limit:
            raise ImportFileError(
                f"文件“{self.filename}”解压后有 {_mb(total)}，超过了导入上限 {_mb(limit)}（{bomb}）；"
                "如确是正常的大文件，请拆分成几个文件后分别导入"
                "（上限可由管理员在设置 BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES 中调整）。"
            )
        ratio_limit = max_zip_ratio()
        for m in members:
            ratio = m.file_size / max(m.compress_size, 1)
            if m.file_size > RATIO_FLOOR_BYTES and ratio > ratio_limit:
                raise ImportFileError(
                    f"文件“{self.filename}”中的“{m.filename}”从 {_mb(m.compress_size)} 解压后达 {_mb(m.file_size)}"
                    f"（压缩比 {ratio:.0f} 倍，正常的 Excel 文件不超过 {ratio_limit:.0f} 倍），{bomb}。"
                )

    def _xlsx_sheets(self) -> list[Sheet]:
        from openpyxl import load_workbook

        formulas = self._inspect_archive()
        # A file object, not the path: openpyxl would refuse a saved upload whose name has no .xlsx suffix.
        self._fh = self.path.open("rb")
        if not formulas:
            return self._fast_sheets()
        # data_only=False: a formula cell is seen as a formula (and refused), never as the value some
        # program cached for it.
        book = self._open(lambda: load_workbook(self._fh, read_only=True, data_only=False))
        sheets = []
        for ws in book.worksheets:
            # Read every row the sheet holds, whatever range its <dimension> claims (a wrong one
            # would hide rows or pad each row to thousands of empty cells).
            ws.reset_dimensions()
            # Cell objects, to tell formulas from text (a workbook without formulas takes _fast_sheets).
            rows = _guarded(_marked(ws.iter_rows()), self.filename, ws.title)
            sheets.append(self._sheet(ws.title, ws._worksheet_path, rows))
        return sheets

    def _fast_sheets(self) -> list[Sheet]:
        from brigade.io.sheetxml import open_book

        book = self._open(lambda: open_book(self._fh))
        return [self._sheet(title, part, _guarded(book.rows(part), self.filename, title))
                for title, part in book.sheets]

    def _open(self, reader):
        """The workbook ``reader()`` opens (kept for close()); an unreadable one is refused in Chinese."""
        try:
            self._book = reader()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
            self.close()
            raise _damaged(self.filename, exc) from None
        except Exception as exc:  # openpyxl raises assorted errors on foreign zip files
            self.close()
            raise ImportFileError(f"无法读取 Excel 文件“{self.filename}”：{exc}。") from None
        return self._book

    def _sheet(self, title: str, part: str, rows) -> Sheet:
        refs = self.merges.get(part.lstrip("/"))
        return Sheet(title, fill_merged(rows, refs) if refs else rows)

    def close(self):
        book = getattr(self, "_book", None)
        if book is not None:
            book.close()
        fh = getattr(self, "_fh", None)
        if fh is not None:
            fh.close()


def _holds_formula(zf: zipfile.ZipFile, member: zipfile.ZipInfo, merges: dict | None = None) -> bool:
    """Whether the part holds a formula; its merged ranges go to ``merges[member name]`` on the way."""
    tail, found, ranges = b"", False, set()
    with zf.open(member) as fh:
        while chunk := fh.read(1024 * 1024):
            window = tail + chunk
            found = found or bool(_FORMULA_TAG.search(window))
            if merges is not None and b"mergeCell" in window:
                ranges.update(m.decode() for m in _MERGE_TAG.findall(window))
            tail = chunk[-64:]
    if ranges:
        merges[member.filename] = sorted(ranges)
    return found


def _merge_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """"B3:B7" → (first row, last row, first column, last column), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    try:
        c1, r1, c2, r2 = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    return (r1, r2, c1, c2) if None not in (c1, r1, c2, r2) else None


def fill_merged(rows: Iterator[tuple[int, tuple]], refs: list[str]) -> Iterator[tuple[int, tuple]]:
    """Give every cell of a merged block spanning rows the block's value (Excel keeps it in the first
    cell only): a 镇街 typed once for ten rows belongs to all ten. Merges within one row (titles,
    banners) are left as they are."""
    blocks = [b for b in map(_merge_bounds, refs) if b and b[1] > b[0]]
    if not blocks:
        yield from rows
        return
    starts: dict[int, list] = {}
    for b in blocks:
        starts.setdefault(b[0], []).append(b)
    active: list[tuple[tuple, object]] = []  # (block, its value)
    for number, cells in rows:
        active = [(b, v) for b, v in active if b[1] >= number]
        if active:
            cells = list(cells) + [None] * max(0, max(b[3] for b, _ in active) - len(cells))
            for (_, _, c1, c2), value in active:
                for c in range(c1 - 1, c2):
                    cells[c] = value
            cells = tuple(cells)
        for b in starts.pop(number, ()):
            value = cells[b[2] - 1] if b[2] - 1 < len(cells) else None
            active.append((b, value))
        yield number, cells


def _marked(rows) -> Iterator[tuple]:
    """Cell values, with each formula cell's text wrapped in FormulaValue (array formulas included)."""
    for row in rows:
        yield tuple(FormulaValue(getattr(c.value, "text", c.value)) if c.data_type == "f" else c.value
                    for c in row)


def _guarded(rows, filename: str, sheet: str) -> Iterator[tuple[int, tuple]]:
    """Number the rows from 1; a sheet that breaks while it is read (damaged XML or zip data, a row
    past Excel's last one) ends the import with a Chinese message instead of a traceback."""
    rows = iter(rows)
    number = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # whatever openpyxl, zipfile or the XML parser raise on broken content
            raise ImportFileError(
                f"文件“{filename}”的工作表“{sheet}”在第{number + 1}行附近已损坏，无法读取"
                f"（{type(exc).__name__}）；请在 Excel 中打开并另存为 .xlsx 后再导入。"
            ) from None
        number += 1
        if number > EXCEL_MAX_ROWS:
            raise ImportFileError(
                f"文件“{filename}”的工作表“{sheet}”超过了 Excel 的最大行数 {EXCEL_MAX_ROWS} 行，不是正常的 Excel 文件，已拒绝读取。"
            )
        yield number, cells


def header_key(text) -> str:
    """Normalise a header for matching: half-width, no spaces, no required-marks, no line breaks."""
    key = clean_text(text)
    key = re.sub(r"[\s*＊:：]", "", key)
    return key.lower()


def header_key_bare(text) -> str:
    """The header without a bracketed unit or note: 罚款金额（元） → 罚款金额."""
    return re.sub(r"[（(\[【].*?[）)\]】]", "", header_key(text))


@dataclass
class HeaderMatch:
    row_number: int
    positions: dict[str, int]  # column key → 0-based position in the row
    unknown: list[str]  # headers in the file that match no column
    score: int


def match_header(cells: tuple, lookup: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Which column key each header cell names (``lookup``: header key → column key)."""
    positions, unknown = {}, []
    for i, cell in enumerate(cells):
        if is_blank(cell):
            continue
        if isinstance(cell, str) and len(cell) > HEADER_MAX_CHARS:  # data, not a header: not worth normalising
            unknown.append(cell[:20] + "…")
            continue
        key = lookup.get(header_key(cell)) or lookup.get(header_key_bare(cell))
        if key and key not in positions:
            positions[key] = i
        else:
            unknown.append(clean_text(cell))
    return positions, unknown


def find_header(sheet: Sheet, lookup: dict[str, str]) -> HeaderMatch | None:
    """The row among the first ones that names the most known columns (titles above are skipped)."""
    best = None
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            number, cells = next(sheet.rows)
        except StopIteration:
            break
        sheet.first_rows.append((number, cells))
        positions, unknown = match_header(cells, lookup)
        if positions and (best is None or len(positions) > best.score):
            best = HeaderMatch(number, positions, unknown, len(positions))
    return best


def read_text_table(data: bytes) -> list[list[str]]:
    """Rows of an in-memory CSV (UTF-8 with or without BOM, else GB18030); used by tests and profiles."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return list(csv.reader(io.StringIO(text)))
