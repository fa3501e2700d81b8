"""Export to .xlsx / .csv: same headers as the import, formula injection escaped, period filter."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from brigade.io.exporter import escape_formula, export_queryset
from brigade.io.importer import import_file
from brigade.io.ledgers import get_ledger
from brigade.supervision.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_formula_like_text_is_escaped(text):
    assert escape_formula(text) == "'" + text
    assert escape_formula("正常文字") == "正常文字" and escape_formula(-5) == -5


def test_export_xlsx_and_csv_escape_and_reimport(tmp_path, unit):
    Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 1), kind="random", note="=1+2")
    Inspection.objects.create(unit=unit, inspected_on=dt.date(2024, 3, 1), kind="special", note="@cmd")
    ledger = get_ledger("inspection")
    xlsx = tmp_path / "out.xlsx"
    assert export_queryset(ledger, ledger.queryset(), xlsx) == 2
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]][:4] == ["单位名称", "统一社会信用代码", "检查日期", "检查类型"]
    notes = sorted(row[-1].value for row in ws.iter_rows(min_row=2))
    assert notes == ["'=1+2", "'@cmd"] and all(row[-1].data_type == "s" for row in ws.iter_rows(min_row=2))
    assert {row[3].value for row in ws.iter_rows(min_row=2)} == {"双随机抽查", "专项检查"}

    out = tmp_path / "out.csv"
    call_command("export", ledger="inspection", period="2025-Q1", out=str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Chinese correctly
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 2 and rows[1][2] == "2025-03-01" and rows[1][-1] == "'=1+2"

    again = import_file(xlsx, ledger="inspection")  # an export imports back: everything already there
    assert again.ok and (again.created, again.existing) == (0, 2)
    assert Inspection.objects.get(inspected_on=dt.date(2025, 3, 1)).note == "=1+2"


def test_template_command_writes_every_ledger(tmp_path):
    from brigade.io.ledgers import all_ledgers
    from brigade.io.templates import build_template

    for ledger in all_ledgers().values():
        ws = build_template(ledger)["数据"]
        assert ws.max_column == len(ledger.columns)
    call_command("template", ledger="监督检查", out=str(tmp_path / "t.xlsx"))
    assert load_workbook(tmp_path / "t.xlsx")["数据"]["A1"].value == "单位名称*"


def test_every_ledger_exports_and_imports_back_as_already_present(tmp_path, town):
    """Export → import is a round trip for every ledger: nothing new, nothing wrong."""
    from brigade.io.ledgers import all_ledgers

    for ledger in all_ledgers().values():
        qs = ledger.queryset()
        if not qs.exists():
            continue
        out = tmp_path / f"{ledger.name}.xlsx"
        count = export_queryset(ledger, qs, out)
        report = import_file(out, ledger=ledger.name, dry_run=True)
        assert report.ok, (ledger.name, [str(e) for e in report.errors[:3]])
        assert (report.created, report.existing) == (0, count), ledger.name
