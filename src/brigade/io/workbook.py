"""Open an uploaded spreadsheet (.xlsx or .csv), refuse what cannot be read, and find the header row.

File-level problems (empty, too large, encrypted, not a spreadsheet, wrong headers) raise
:class:`ImportFileError` with one Chinese sentence; nothing below a file is ever guessed silently.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from brigade.core.errors import UserError
from brigade.io.cells import clean_text, is_blank

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# How many rows above the data may hold titles, notes and merged banners before the header.
HEADER_SEARCH_ROWS = 30

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class ImportFileError(UserError):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


def max_import_bytes() -> int:
    """The upload size limit: settings.BRIGADE_IMPORT_MAX_BYTES (default 20 MB)."""
    return int(getattr(settings, "BRIGADE_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


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
        if size > limit:
            raise ImportFileError(
                f"文件“{self.filename}”大小为 {_mb(size)}，超过了导入大小上限 {_mb(limit)}；"
                "请拆分成几个文件后分别导入（上限可由管理员在设置 BRIGADE_IMPORT_MAX_BYTES 中调整）。"
            )
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
        with self.path.open("r", encoding=encoding, newline="", errors="replace") as fh:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
            except csv.Error:
                dialect = csv.excel
            for number, row in enumerate(csv.reader(fh, dialect), start=1):
                yield number, tuple(row)

    def _xlsx_sheets(self) -> list[Sheet]:
        from openpyxl import load_workbook

        # A file object, not the path: openpyxl would refuse a saved upload whose name has no .xlsx suffix.
        self._fh = self.path.open("rb")
        try:
            book = load_workbook(self._fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
            self.close()
            raise ImportFileError(
                f"文件“{self.filename}”不是有效的 Excel（.xlsx）文件，可能已损坏（{type(exc).__name__}）。"
            ) from None
        except Exception as exc:  # openpyxl raises assorted errors on foreign zip files
            self.close()
            raise ImportFileError(f"无法读取 Excel 文件“{self.filename}”：{exc}。") from None
        self._book = book
        return [Sheet(ws.title, _numbered(ws.iter_rows(values_only=True))) for ws in book.worksheets]

    def close(self):
        book = getattr(self, "_book", None)
        if book is not None:
            book.close()
        fh = getattr(self, "_fh", None)
        if fh is not None:
            fh.close()


def _numbered(rows) -> Iterator[tuple[int, tuple]]:
    return enumerate(rows, start=1)


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
