"""Hostile files against every importer: each is refused with a clear Chinese message, nothing is written.

Every registered ledger (the model ledgers and one per activity kind) gets a truncated or damaged
.xlsx, a zip bomb, wrong types in its cells, a huge cell and formula cells. Hypothesis writes random
rows for a few ledgers and checks the import's promise: either every row is stored exactly as it was
validated, or the import names each bad row and column and the database is unchanged. The same
files go once through ``brigade import`` (a real subprocess) and once through the web import page.
"""

import csv
import datetime as dt
import itertools
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from brigade.io.cells import MAX_CELL_CHARS, clean_text
from brigade.io.exporter import export_queryset
from brigade.io.importer import import_file
from brigade.io.ledgers import all_ledgers, get_ledger, static_ledgers
from brigade.io.workbook import ImportFileError
from brigade.ledger.catalogue import CATALOGUE_FILE

pytestmark = pytest.mark.django_db

# The registry, read without a database: the model ledgers and the shipped activity kinds (a test
# below checks this is exactly what ``all_ledgers()`` serves).
LEDGERS = [*static_ledgers(), *(e["code"] for e in json.loads(CATALOGUE_FILE.read_text(encoding="utf-8")))]

CJK = re.compile(r"[\u4e00-\u9fff]")
BOMB_MB = 300  # what the zip bomb's sheet inflates to
HUGE = "HUGE-CELL-PLACEHOLDER"
# 1 MB of text (3 MB in UTF-8), random characters: pasted junk, not a compressible run (that is a zip bomb).
MEGA = "".join(map(chr, random.Random(10).choices(range(0x4E00, 0x9FA5), k=1024 * 1024)))
FORMULAS = ("=1+1", '=HYPERLINK("http://evil.example/","点我")', "=cmd|'/c calc'!A1")


class Formula(str):
    """A cell the test writes as a real formula (every other string is written as text)."""


# ---- files -------------------------------------------------------------------------------------

def write_book(path: Path, header: list, rows: list[list], *, extra_sheet: bool = False) -> Path:
    """An .xlsx with the header and rows; strings are text cells, Formula values formula cells."""
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # text, even when it starts with "="
    if extra_sheet:
        book.create_sheet("附表")
    book.save(path)
    return path


def write_csv(path: Path, header: list, rows: list[list]) -> Path:
    def text(v):
        return "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *[[text(v) for v in row] for row in rows]])
    return path


def rewrite_member(src: Path, out: Path, name: str | None, change) -> Path:
    """A copy of the archive with one member's bytes (every member's: None) changed; the archive stays valid."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if name in (None, info.filename) else data)
    return out


def with_huge_text(path: Path, text: str) -> Path:
    """Put ``text`` where the workbook holds HUGE: openpyxl itself would cut a string to 32,767 characters."""
    tmp = path.with_suffix(".tmp.xlsx")
    path.rename(tmp)
    rewrite_member(tmp, path, None, lambda b: b.replace(HUGE.encode(), text.encode()))
    tmp.unlink()
    return path


def corrupt_compressed(src: Path, out: Path, name: str) -> Path:
    """Flip bytes in the middle of one member's compressed data (its CRC or inflate must fail)."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + info.compress_size // 3, start + info.compress_size // 3 + 16):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def snapshot() -> dict[str, int]:
    """Rows in every table of Brigade's apps (ledgers, their history, everything else)."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()
            if m._meta.app_config.name.startswith("brigade.")}


def chinese(message: str) -> bool:
    return bool(CJK.search(message)) and "Traceback" not in message


# ---- the ledger's cells ------------------------------------------------------------------------

REF_NAMES = {"Brigade": "测试大队", "Street": "九曲街道", "Station": "九曲站", "Community": "九曲街道/幸福小区",
             "Department": "教育局"}
WRONG = {"int": "很多", "metric": "若干", "decimal": "十块钱", "float": "东经一百度", "date": "上周三",
         "inspection_date": "上周三", "datetime": "昨天下午", "bool": "也许", "choice": "不存在的选项",
         "ref": "不存在的名称", "unit_name": "不存在的单位"}
DATES = {"date": "2025-13-45", "inspection_date": "2025-13-45", "datetime": "2025-13-45 25:61"}


def plausible(col):
    """A value a person might type in this column (valid or nearly: the test is about the other cells)."""
    if col.kind == "ref":
        return REF_NAMES.get(col.model.__name__, "")
    if col.kind == "float":
        return {"lon": 118.41, "lat": 35.01}.get(col.key, 1.5)
    if col.kind == "choice":
        return col.choices.labels[0]
    return {"text": "测试内容", "unit_name": "测试物流有限公司", "unit_code": "", "date": "2025-04-01",
            "inspection_date": "2025-04-01", "datetime": "2025-04-01 09:30", "int": 2, "metric": 2,
            "decimal": 100, "bool": "否"}[col.kind]


def name_column(ledger):
    """The ledger's name column: its first text column, else the first reference (a name too)."""
    return next((c for c in ledger.columns if c.kind in ("text", "unit_name")), None) or \
        next(c for c in ledger.columns if c.kind == "ref")


def hostile_book(path: Path, ledger, rows: list[dict], **kw) -> Path:
    """Header, a filler row (never the template's example row), then ``rows`` (column key → value)."""
    header = [c.header for c in ledger.columns]
    filler = ["x"] * len(header)
    body = [[row.get(c.key, plausible(c)) for c in ledger.columns] for row in rows]
    return write_book(path, header, [filler, *body], **kw)


def refused(path, ledger: str, **kw) -> str:
    """The file is refused as a whole: the message, checked to be one Chinese sentence."""
    before = snapshot()
    with pytest.raises(ImportFileError) as exc:
        import_file(path, ledger=ledger, **kw)
    message = str(exc.value)
    assert chinese(message) and "\n" not in message, message
    assert snapshot() == before
    return message


def row_errors(path, ledger: str) -> list:
    """The file is read but its rows are refused: the errors; nothing is written."""
    before = snapshot()
    report = import_file(path, ledger=ledger)
    assert not report.ok and report.created == 0
    assert snapshot() == before
    for e in report.errors:
        assert str(e).startswith(f"第{e.row}行") and chinese(e.message), e
    return report.errors


def assert_named(errors, expected: set[tuple[int, str]], fragment: str = ""):
    found = {(e.row, e.column) for e in errors if fragment in e.message}
    missing = expected - found
    assert not missing, f"no error for {sorted(missing)}; got {[str(e) for e in errors]}"


@pytest.fixture
def refs(brigade, street, station, unit):
    """What the plausible values refer to: a brigade, street, station, unit, community, department."""
    from brigade.org.models import Community, Department

    Community.objects.create(street=street, name="幸福小区")
    Department.objects.create(brigade=brigade, name="教育局")
    return {"brigade": brigade, "street": street, "station": station, "unit": unit}


@pytest.fixture(scope="session")
def bomb_base(tmp_path_factory) -> Path:
    """A zip holding one sheet XML that inflates to 300 MB of blanks (about 300 KB compressed)."""
    path = tmp_path_factory.mktemp("bomb") / "base.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            chunk = b" " * (1024 * 1024)
            for _ in range(BOMB_MB):
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return path


def zip_bomb(path: Path, ledger, base: Path) -> Path:
    """The ledger's own workbook whose second sheet is the bomb (appended to a copy of the base)."""
    book = hostile_book(path.with_suffix(".plain.xlsx"), ledger, [{}], extra_sheet=True)
    shutil.copyfile(base, path)
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(info, src.read(info))
    return path


# ---- every ledger ------------------------------------------------------------------------------

def test_every_registered_ledger_is_covered():
    assert sorted(LEDGERS) == sorted(all_ledgers())


@pytest.mark.parametrize("name", LEDGERS)
def test_truncated_or_damaged_xlsx(name, tmp_path, refs):
    ledger = get_ledger(name)
    good = hostile_book(tmp_path / "good.xlsx", ledger, [{}] * 50)
    data = good.read_bytes()
    half = tmp_path / "half.xlsx"
    half.write_bytes(data[: len(data) // 2])  # a download or copy cut off in the middle
    assert "不是有效的 Excel" in refused(half, name)
    # The archive is intact but the sheet's XML stops in the middle of a row.
    cut = rewrite_member(good, tmp_path / "cut.xlsx", "xl/worksheets/sheet1.xml", lambda b: b[: len(b) * 2 // 3])
    assert "已损坏" in refused(cut, name)
    # The sheet's compressed bytes are damaged: inflating it fails, or its CRC does not match.
    bad = corrupt_compressed(good, tmp_path / "crc.xlsx", "xl/worksheets/sheet1.xml")
    assert "已损坏" in refused(bad, name)


@pytest.mark.parametrize("name", LEDGERS)
def test_zip_bomb_is_refused_before_inflating(name, tmp_path, refs, bomb_base):
    path = zip_bomb(tmp_path / "bomb.xlsx", get_ledger(name), bomb_base)
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        message = refused(path, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "压缩炸弹" in message and f"{BOMB_MB} MB" in message
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated while refusing the bomb"


@pytest.mark.parametrize("name", LEDGERS)
def test_wrong_types_name_each_row_and_column(name, tmp_path, refs):
    ledger = get_ledger(name)
    wrong = {c.key: WRONG[c.kind] for c in ledger.columns if c.kind in WRONG}
    negative = {c.key: -3 for c in ledger.columns if c.kind in ("int", "metric")}
    dates = {c.key: DATES[c.kind] for c in ledger.columns if c.kind in DATES}
    assert wrong, "every ledger has a typed or reference column"
    path = hostile_book(tmp_path / "types.xlsx", ledger, [wrong, negative or {}, dates or {}])
    errors = row_errors(path, name)
    headers = {c.key: c.header for c in ledger.columns}
    assert_named(errors, {(3, headers[k]) for k in wrong})
    assert_named(errors, {(4, headers[k]) for k in negative}, "负数")
    assert_named(errors, {(5, headers[k]) for k in dates}, "不存在")


@pytest.mark.parametrize("name", LEDGERS)
def test_huge_cell_is_refused_not_truncated(name, tmp_path, refs):
    ledger = get_ledger(name)
    col = name_column(ledger)
    rows = [{col.key: HUGE}]  # becomes 1 MB of text in the name column
    limit = ledger.model._meta.get_field(col.key).max_length if col.kind == "text" else None
    if limit:
        rows.append({col.key: "火" * (limit + 1)})  # one character too many for the field
    path = with_huge_text(hostile_book(tmp_path / "huge.xlsx", ledger, rows), MEGA)
    errors = row_errors(path, name)
    assert_named(errors, {(3, col.header)}, f"超过了单元格上限 {MAX_CELL_CHARS} 个字符")
    assert all(len(str(e)) < 500 for e in errors)  # the message names the cell, it does not repeat it
    if limit:
        assert_named(errors, {(4, col.header)}, f"{limit}")


@pytest.mark.parametrize("name", LEDGERS)
def test_formula_cells_are_refused_never_evaluated(name, tmp_path, refs):
    ledger = get_ledger(name)
    col = name_column(ledger)
    typed = next(c for c in ledger.columns if c.kind in ("date", "int", "metric", "choice", "ref") and c is not col)
    rows = [{col.key: Formula(f)} for f in FORMULAS] + [{typed.key: Formula("=DATE(2025,3,5)")}]
    errors = row_errors(hostile_book(tmp_path / "formula.xlsx", ledger, rows), name)
    assert_named(errors, {(3, col.header), (4, col.header), (5, col.header), (6, typed.header)}, "公式")


# ---- one ledger, more ways ---------------------------------------------------------------------

def test_archive_over_the_uncompressed_limit(tmp_path, settings):
    """A file of ordinary compressibility that inflates past the configured limit."""
    settings.BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    rows = [[dt.date(2025, 1, 1) + dt.timedelta(days=i % 300), "通知", f"文号{i}", f"关于第{i}项工作的通知"]
            for i in range(20000)]
    path = write_book(tmp_path / "big.xlsx", ["印发日期", "类型", "文号", "标题"], rows)
    message = refused(path, "notice")
    assert "解压后有" in message and "上限 1 MB" in message and "BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES" in message


def test_member_inflating_past_its_declared_size(tmp_path, refs):
    """The sizes the archive declares are a lie: reading stops at the declared size and fails its CRC."""
    ledger = get_ledger("notice")
    good = hostile_book(tmp_path / "good.xlsx", ledger, [{}], extra_sheet=True)
    blanks = b" " * (20 * 1024 * 1024)
    padded = rewrite_member(good, tmp_path / "padded.xlsx", "xl/worksheets/sheet2.xml",
                            lambda b: b.replace(b"<sheetData", blanks + b"<sheetData", 1) if b"<sheetData" in b
                            else b.replace(b"</worksheet>", blanks + b"</worksheet>"))
    data = bytearray(padded.read_bytes())
    with zipfile.ZipFile(padded) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    # Declare 1,000 bytes in the local header and in the central directory.
    data[info.header_offset + 22: info.header_offset + 26] = (1000).to_bytes(4, "little")
    entry = pos = -1
    while (pos := data.find(b"PK\x01\x02", pos + 1)) != -1:
        name_len = int.from_bytes(data[pos + 28: pos + 30], "little")
        if data[pos + 46: pos + 46 + name_len] == b"xl/worksheets/sheet2.xml":
            entry = pos
    data[entry + 24: entry + 28] = (1000).to_bytes(4, "little")
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        assert "已损坏" in refused(liar, "notice")
        assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_csv_huge_cell_and_formula_like_text(tmp_path, refs):
    """In a CSV nothing is a formula: formula-like text is text; a 1 MB cell is refused by row and column."""
    header = ["印发日期", "类型", "文号", "标题"]
    path = write_csv(tmp_path / "huge.csv", header, [["2025-04-01", "通知", "", MEGA]])
    assert_named(row_errors(path, "notice"), {(2, "标题")}, "超过了单元格上限")


def test_csv_quotes_and_apostrophes_read_as_written(tmp_path, refs):
    """Only the delimiter of a CSV is guessed; a guessed quoting style misread these titles (found by
    hypothesis: a doubled quote, as Excel writes it, was kept doubled)."""
    from brigade.supervision.models import Notice

    titles = ['关于"安全月"的通知', '"', "O'Brien's 通知", "'#1", "a;b|c\td"]
    path = write_csv(tmp_path / "quotes.csv", ["印发日期", "类型", "文号", "标题"],
                     [[f"2025-04-0{i + 1}", "通知", "", t] for i, t in enumerate(titles)])
    assert '"关于""安全月""的通知"' in path.read_text(encoding="utf-8-sig")
    assert import_file(path, ledger="notice").created == len(titles)
    assert sorted(Notice.objects.values_list("title", flat=True)) == sorted(titles)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_formula_like_text_is_stored_as_typed_and_exported_escaped(fmt, tmp_path, refs):
    """Text that looks like a formula is kept as text (never evaluated); the export escapes it again."""
    from brigade.supervision.models import Notice

    titles = [*FORMULAS, "@SUM(A1:A9)", "+86 0539 1234567", "-1", "'=2+2"]
    header = ["印发日期", "类型", "文号", "标题"]
    rows = [[f"2025-04-0{i + 1}", "通知", "", t] for i, t in enumerate(titles)]
    path = (write_book if fmt == "xlsx" else write_csv)(tmp_path / f"text.{fmt}", header, rows)
    report = import_file(path, ledger="notice")
    assert report.ok and report.created == len(titles)
    stored = sorted(Notice.objects.values_list("title", flat=True))
    # As typed; our own escaping apostrophe ('=2+2, as the export writes it) is taken off.
    assert stored == sorted([*titles[:-1], "=2+2"])
    out = tmp_path / "export.xlsx"
    export_queryset(get_ledger("notice"), Notice.objects.order_by("issued_on"), out)
    cells = [row[3] for row in load_workbook(out).active.iter_rows(min_row=2)]
    for cell in cells:
        assert cell.data_type == "s"
        assert not cell.value.startswith(("=", "+", "-", "@")), cell.value  # escaped with an apostrophe
    again = import_file(out, ledger="notice")  # the export reads back as the same records
    assert again.ok and again.created == 0 and again.existing == len(titles)


# ---- the dispatch-system importer (mapping profiles) -----------------------------------------------

SF_HEADER = ["Call Number", "Unit ID", "Call Type", "Received DtTm", "Dispatch DtTm", "Response DtTm",
             "On Scene DtTm", "Available DtTm", "Address", "Station Area", "Call Type Group", "Unit Type",
             "Neighborhood  District", "Location"]


def sf_row(n: int, **changes) -> list:
    row = {"Call Number": f"16{n:07d}", "Unit ID": "E39", "Call Type": "Structure Fire",
           "Received DtTm": "12/01/2016 10:00:00 AM", "Dispatch DtTm": "12/01/2016 10:01:00 AM",
           "Response DtTm": "12/01/2016 10:02:00 AM", "On Scene DtTm": "12/01/2016 10:06:00 AM",
           "Available DtTm": "12/01/2016 11:00:00 AM", "Address": "100 Block of MAIN ST", "Station Area": "39",
           "Call Type Group": "Fire", "Unit Type": "ENGINE", "Neighborhood  District": "Mission",
           "Location": "(37.76, -122.42)", **changes}
    return [row[h] for h in SF_HEADER]


def profile_refused(path) -> str:
    from brigade.io.profiles.run import import_with_profile

    before = snapshot()
    with pytest.raises(ImportFileError) as exc:
        import_with_profile(path, profile="sf_fire_calls")
    assert chinese(str(exc.value)) and snapshot() == before
    return str(exc.value)


def profile_errors(path) -> list:
    from brigade.io.profiles.run import import_with_profile

    before = snapshot()
    report = import_with_profile(path, profile="sf_fire_calls")
    assert not report.ok and report.created == 0 and snapshot() == before
    assert all(str(e).startswith(f"第{e.row}行") and chinese(e.message) for e in report.errors)
    return report.errors


def test_profile_import_refuses_hostile_files(tmp_path, bomb_base):
    from brigade.io.profiles.run import import_with_profile
    from brigade.response.models import Incident

    good = write_book(tmp_path / "sf.xlsx", SF_HEADER, [sf_row(i) for i in range(30)])
    half = tmp_path / "half.xlsx"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "不是有效的 Excel" in profile_refused(half)
    assert "已损坏" in profile_refused(corrupt_compressed(good, tmp_path / "crc.xlsx", "xl/worksheets/sheet1.xml"))
    bomb = tmp_path / "bomb.xlsx"
    shutil.copyfile(bomb_base, bomb)
    with zipfile.ZipFile(write_book(tmp_path / "two.xlsx", SF_HEADER, [sf_row(1)], extra_sheet=True)) as src, \
            zipfile.ZipFile(bomb, "a") as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(info, src.read(info))
    assert "压缩炸弹" in profile_refused(bomb)

    # Wrong types, a formula, a huge cell, a value longer than its field: named by row and column.
    rows = [sf_row(1, **{"Received DtTm": "2016-13-45"}), sf_row(2, Location="(north, south)"),
            sf_row(3, Address=Formula(FORMULAS[2])), sf_row(4, Address=HUGE),
            sf_row(5, **{"Unit ID": "E" * 21}), sf_row(6, Address="街" * 201)]
    path = with_huge_text(write_book(tmp_path / "bad.xlsx", SF_HEADER, rows), MEGA)
    errors = profile_errors(path)
    assert_named(errors, {(2, "Received DtTm"), (3, "Location")})
    assert_named(errors, {(4, "Address")}, "公式")
    assert_named(errors, {(5, "Address")}, "超过了单元格上限")
    assert all(len(str(e)) < 500 for e in errors)
    # The rest read; over-long values are refused too (they used to be cut to the field's length).
    errors = profile_errors(write_book(tmp_path / "long.xlsx", SF_HEADER, [sf_row(1), *rows[4:]]))
    assert_named(errors, {(3, "Unit ID"), (4, "Address")}, "超过了")

    # A short row (trailing cells left out, as some programs write them) reads as empty cells.
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(",".join(SF_HEADER) + "\n" + ",".join(sf_row(1)[:9]) + "\n", encoding="utf-8")
    report = import_with_profile(ragged, profile="sf_fire_calls")
    assert report.ok and Incident.objects.filter(number="160000001", address="100 Block of MAIN ST").exists()


# ---- hypothesis: random rows, all or nothing -----------------------------------------------------

_serial = itertools.count(1)
TEXT = st.text(st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs")), max_size=30)


class Cell:
    """A generated cell: what is written to the file and what the import must make of it.

    ``bad`` is "cell" when the cell itself cannot be read (wrong type, formula, unknown name): the
    import always names it; "field" when the value is read but breaks the model's rules (too long):
    named when the rest of its row could be read (a row with unreadable cells is not validated further).
    """

    def __init__(self, raw, value=None, bad: str = ""):
        self.raw, self.value, self.bad = raw, value, bad

    def __repr__(self):
        raw = self.raw if not isinstance(self.raw, str) or len(self.raw) < 60 else self.raw[:60] + "…"
        return f"Cell({type(self.raw).__name__} {raw!r} → {self.value!r}{', bad ' + self.bad if self.bad else ''})"


def mixed(good, bad, clean: bool):
    """Only good cells for a clean file; otherwise good ones twice as often as bad ones."""
    return good if clean else st.one_of(good, good, bad)


def date_cells(clean: bool):
    def shown(d, form):
        return {"obj": d, "iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}",
                "cn": f"{d.year}年{d.month}月{d.day}日", "dot": f"{d.year}.{d.month}.{d.day}",
                "compact": d.strftime("%Y%m%d")}[form]

    good = st.builds(lambda d, f: Cell(shown(d, f), d), st.dates(dt.date(2000, 1, 1), dt.date(2024, 12, 31)),
                     st.sampled_from(["obj", "iso", "slash", "cn", "dot", "compact"]))
    bad = st.sampled_from(["2025-13-45", "2025-02-30", "2024-00-10", "明天", "上周三下午", Formula("=TODAY()")])
    return mixed(good, bad.map(lambda t: Cell(t, bad="cell")), clean)


def count_cells(clean: bool, *, whole: bool = True):
    """A count: whole numbers typed in the usual ways; a statistic (``whole=False``) may have a fraction."""
    good = st.builds(lambda n, f: Cell(f(n), n), st.integers(0, 100000),
                     st.sampled_from([int, str, lambda n: f"{n}人", lambda n: str(n).translate(
                         {c: c + 0xFEE0 for c in range(0x30, 0x3A)})]))
    if not whole:
        good = st.one_of(good, st.just(Cell("3.5", 3.5)))
    bad = st.one_of(st.integers(-1000, -1), st.sampled_from(["很多", "十来个", "N/A", Formula("=1+1")]),
                    st.just("3.5") if whole else st.nothing())
    return mixed(good, bad.map(lambda t: Cell(t, bad="cell")), clean)


def choice_cells(clean: bool, labels):
    bad = st.sampled_from(["不存在的类型", "其它类", "？"]).map(lambda t: Cell(t, bad="cell"))
    return mixed(st.sampled_from(labels).map(lambda t: Cell(t, t)), bad, clean)


def text_cells(clean: bool, limit: int):
    """Text (formula-like text included) with a unique tail so rows never collide; too long is bad.

    A formula is a bad cell in a workbook; written to a CSV it is just text that starts with "=".
    """
    def make(text, as_formula=False):
        raw = f"{text}#{next(_serial)}"
        if as_formula:
            return Cell(Formula("=" + raw.lstrip("=")), clean_text("=" + raw.lstrip("=")), bad="formula")
        value = clean_text(raw)
        return Cell(raw, value, bad="field" if len(value) > limit else "")

    good = st.builds(make, st.one_of(TEXT, TEXT, st.sampled_from(["=1+1", "=cmd|'/c calc'!A1", "'=2+2", "@A1",
                                                                 "<script>alert(1)</script>"])))
    bad = st.one_of(st.builds(make, st.just("长" * limit)), st.builds(make, TEXT, st.just(True)))
    return mixed(good, bad, clean)


def ref_cells(clean: bool, good: str):
    bad = st.just(Cell("不存在的名称", bad="cell"))
    return mixed(st.sampled_from([Cell(good, good), Cell("", None)]), bad, clean)


def _labels(model, field):
    return [str(label) for _, label in model._meta.get_field(field).choices]


def notice_rows(clean: bool):
    from brigade.supervision.models import Notice

    return st.fixed_dictionaries({"印发日期": date_cells(clean), "类型": choice_cells(clean, _labels(Notice, "kind")),
                                  "文号": text_cells(clean, 60), "标题": text_cells(clean, 200)})


def interview_rows(clean: bool):
    from brigade.supervision.models import Interview

    return st.fixed_dictionaries({
        "约谈日期": date_cells(clean), "场所类别": choice_cells(clean, _labels(Interview, "site_category")),
        "镇街": ref_cells(clean, "九曲街道"), "约谈人数": count_cells(clean), "主题": text_cells(clean, 200)})


def activity_rows(clean: bool):
    return st.fixed_dictionaries({
        "日期": date_cells(clean), "抽查次数（次）": count_cells(clean, whole=False),
        "抽查人次（人次）": count_cells(clean, whole=False), "消防站": ref_cells(clean, "九曲站"),
        "说明": text_cells(clean, 300)})


def check_stored(name: str, row: dict):
    """The record the row became holds exactly the validated values."""
    from brigade.ledger.models import Activity
    from brigade.supervision.models import Interview, Notice

    if name == "notice":
        obj = Notice.objects.get(title=row["标题"].value)
        assert (obj.issued_on, obj.get_kind_display(), obj.number) == (
            row["印发日期"].value, row["类型"].value, row["文号"].value)
    elif name == "interview":
        obj = Interview.objects.select_related("street").get(subject=row["主题"].value)
        assert (obj.held_on, obj.get_site_category_display(), obj.people_count) == (
            row["约谈日期"].value, row["场所类别"].value, row["约谈人数"].value)
        assert (obj.street.name if obj.street else None) == row["镇街"].value
    else:
        obj = Activity.objects.select_related("station").get(note=row["说明"].value)
        assert obj.occurred_on == row["日期"].value
        assert obj.values == {"count": row["抽查次数（次）"].value, "people": row["抽查人次（人次）"].value}
        assert (obj.station.name if obj.station else None) == row["消防站"].value


def run_random_import(name: str, rows: list[dict], fmt: str, tmp: Path):
    header = list(rows[0])
    path = (write_book if fmt == "xlsx" else write_csv)(tmp / f"random.{fmt}", header,
                                                         [[row[h].raw for h in header] for row in rows])
    def bad(cell):  # what the import must refuse in this cell, in this format
        return "cell" if cell.bad == "formula" and fmt == "xlsx" else "" if cell.bad == "formula" else cell.bad

    unreadable = {(n, h) for n, row in enumerate(rows, start=2) for h, cell in row.items() if bad(cell) == "cell"}
    invalid = {(n, h) for n, row in enumerate(rows, start=2) for h, cell in row.items()
               if bad(cell) == "field" and not any((n, k) in unreadable for k in row)}
    with transaction.atomic():  # each example starts from the same database
        before = snapshot()
        report = import_file(path, ledger=name)
        event("refused" if unreadable or invalid else "imported")
        if unreadable or invalid:
            assert not report.ok and report.created == 0 and snapshot() == before
            assert_named(report.errors, unreadable | invalid)
            for e in report.errors:
                assert 2 <= e.row <= len(rows) + 1 and str(e).startswith(f"第{e.row}行") and chinese(e.message)
        else:
            assert report.ok, [str(e) for e in report.errors]
            assert report.created == len(rows)
            after = snapshot()
            model = get_ledger(name).model._meta.label
            assert after[model] == before[model] + len(rows)
            for row in rows:
                check_stored(name, row)
        transaction.set_rollback(True)


RANDOM = hsettings(max_examples=25, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                          HealthCheck.data_too_large])


@pytest.mark.parametrize(("name", "rows"), [("notice", notice_rows), ("interview", interview_rows),
                                            ("alcohol_check", activity_rows)])
def test_random_rows_all_or_nothing(name, rows, refs, tmp_path):
    @RANDOM
    @given(st.booleans().flatmap(lambda clean: st.lists(rows(clean), min_size=1, max_size=4)),
           st.sampled_from(["xlsx", "csv"]))
    def check(generated, fmt):
        run_random_import(name, generated, fmt, tmp_path)

    check()


# ---- through the command line and the web page ---------------------------------------------------

def _hostile_notice_files(tmp_path: Path, bomb_base: Path) -> dict[str, tuple[Path, str, tuple | None]]:
    """One file of each kind for the notice ledger: the fragment its refusal must contain, and the
    (row, column) it names when the rows, not the file, are refused."""
    ledger = get_ledger("notice")
    good = hostile_book(tmp_path / "good.xlsx", ledger, [{}] * 20)
    half = tmp_path / "截断.xlsx"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return {
        "truncated": (half, "不是有效的 Excel", None),
        "bomb": (zip_bomb(tmp_path / "炸弹.xlsx", ledger, bomb_base), "压缩炸弹", None),
        "types": (hostile_book(tmp_path / "类型.xlsx", ledger, [{"issued_on": "2025-13-45", "kind": "也许"}]),
                  "不存在", (3, "印发日期")),
        "huge": (with_huge_text(hostile_book(tmp_path / "超长.xlsx", ledger, [{"title": HUGE}]), MEGA), "超过了单元格上限",
                 (3, "标题")),
        "formula": (hostile_book(tmp_path / "公式.xlsx", ledger, [{"title": Formula(FORMULAS[2])}]), "单元格是公式",
                    (3, "标题")),
    }


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory, django_db_setup, django_db_blocker):
    """Environment for a ``brigade`` subprocess: PostgreSQL's test database, or a migrated SQLite file."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BRIGADE_VAR_DIR")}
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}"
                               f"@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")
        return env, None
    var = tmp_path_factory.mktemp("cli-var")
    env["BRIGADE_VAR_DIR"] = str(var)
    done = subprocess.run([sys.executable, "-m", "brigade.cli", "migrate", "-v", "0"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return env, var / "brigade.sqlite3"


def _cli_counts(db_file) -> dict[str, int]:
    if db_file is None:
        return snapshot()
    with sqlite3.connect(db_file) as db:
        return {m._meta.label: db.execute(f'SELECT COUNT(*) FROM "{m._meta.db_table}"').fetchone()[0]
                for m in apps.get_models() if m._meta.app_config.name.startswith("brigade.")}


@pytest.mark.parametrize("kind", ["truncated", "bomb", "types", "huge", "formula"])
def test_cli_refuses_with_chinese_lines_and_exit_2(kind, tmp_path, bomb_base, cli_database):
    env, db_file = cli_database
    path, fragment, cell = _hostile_notice_files(tmp_path, bomb_base)[kind]
    before = _cli_counts(db_file)
    result = subprocess.run([sys.executable, "-m", "brigade.cli", "import", str(path), "--ledger", "notice"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert fragment in result.stderr and len(result.stderr) < 5000
    assert all(chinese(line) for line in lines), lines
    if cell is None:  # the whole file refused: one line
        assert len(lines) == 1 and lines[0].startswith("错误："), lines
    else:  # its rows refused: each cause by column with its rows (grouped), then the summary
        grouped = [line for line in lines if f"【{cell[1]}】" in line]
        assert any(f"第 {cell[0]} 行" in line or f"第 {cell[0]}、" in line or f"、{cell[0]} 行" in line
                   for line in grouped), lines
        assert "未导入任何数据" in lines[-1]
    assert _cli_counts(db_file) == before


@pytest.mark.parametrize("kind", ["truncated", "bomb", "types", "huge", "formula"])
def test_web_import_page_shows_the_message(kind, tmp_path, bomb_base, refs, client, settings):
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    from brigade.core.roles import assign_role

    settings.VAR_DIR = tmp_path / "var"
    user = User.objects.create(username="jiandu")
    assign_role(user, "supervision")  # the supervision officer imports notices
    client.force_login(user)
    path, fragment, cell = _hostile_notice_files(tmp_path, bomb_base)[kind]
    before = snapshot()
    response = client.post("/import/", {"ledger": "notice",
                                        "file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert escape(fragment) in page, page[-3000:]
    if cell is not None:  # the preview's error table: row, column, message
        assert f"<td>{cell[0]}</td><td>{cell[1]}</td>" in page
    assert 'name="confirm"' not in page and "Traceback" not in page
    assert snapshot() == before
    # A refused file is not kept; one with bad rows stays for this session only (its bad rows as a
    # download, its values mapped without uploading again) until swept or replaced.
    assert len(list((tmp_path / "var" / "uploads").iterdir())) == (0 if cell is None else 1)
