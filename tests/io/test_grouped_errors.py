"""The dry run reports each distinct problem once with its count and sample rows (CLI, web, Python API)."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from brigade.io.badrows import REASON_HEADER, write_bad_rows
from brigade.io.importer import import_file
from brigade.io.ledgers import get_ledger
from brigade.resources.models import Hydrant
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["编号", "类型", "镇街", "状态", "最近检查日期"]


def messy_hydrants(path, n=60):
    """Every third hydrant typed "地下", every fifth street "九曲", rows 10 and 11 with impossible dates."""
    rows = []
    for i in range(n):
        kind = "地下" if i % 3 == 0 else "地上式消火栓"
        street = "九曲" if i % 5 == 0 else "九曲街道"
        checked = "2024-02-30" if i == 8 else ("2024-13-01" if i == 9 else "2024-10-10")
        rows.append([f"XHS-{i:04d}", kind, street, "完好", checked])
    return write_xlsx(path, HEADER, rows)


def test_errors_grouped_by_cause_with_counts_and_rows(tmp_path, street):
    path = messy_hydrants(tmp_path / "消火栓.xlsx")
    report = import_file(path, ledger="hydrant", dry_run=True)
    assert not report.ok
    # Independent count: the rule that made the file.
    below = sum(1 for i in range(60) if i % 3 == 0)
    jiuqu = sum(1 for i in range(60) if i % 5 == 0)
    assert len(report.errors) == below + jiuqu + 2
    problems = {(p.column, p.value): p for p in report.problems}
    assert problems[("类型", "地下")].count == below
    assert problems[("类型", "地下")].rows == [2, 5, 8, 11, 14]  # data starts on row 2
    assert problems[("镇街", "九曲")].count == jiuqu
    dates = problems[("最近检查日期", None)]
    assert dates.count == 2 and dates.forms == 2 and set(dates.samples) == {"2024-02-30", "2024-13-01"}
    assert len(report.problems) == 3
    text = problems[("类型", "地下")].text()
    assert text.startswith(f"【类型】“地下” {below} 行（第 2、5、8、11、14… 行）不是可选的值")
    assert "同类写法共 2 种" in dates.text()
    as_dict = report.as_dict()
    assert [p["count"] for p in as_dict["problems"]] == [below, jiuqu, 2]


def test_thousands_are_written_with_separators(tmp_path, street):
    path = write_xlsx(tmp_path / "big.xlsx", HEADER, [[f"XHS-{i:05d}", "地下", "九曲街道", "完好", ""]
                                                      for i in range(1200)])
    report = import_file(path, ledger="hydrant", dry_run=True)
    assert [p.text()[:24] for p in report.problems] == ["【类型】“地下” 1,200 行（第 2、3、4"]


def test_bad_rows_workbook_holds_every_bad_row_with_its_reason(tmp_path, street):
    path = messy_hydrants(tmp_path / "消火栓.xlsx")
    ledger = get_ledger("hydrant")
    report = import_file(path, ledger=ledger, dry_run=True)
    out = tmp_path / "待改正.xlsx"
    assert write_bad_rows(path, ledger, report, out) == len(report.error_rows)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADER, REASON_HEADER]
    assert [r[0] for r in rows[1:]] == [f"XHS-{n - 2:04d}" for n in report.error_rows]
    by_code = {r[0]: r for r in rows[1:]}
    assert "“地下”不是可选的值" in by_code["XHS-0000"][-1] and "“九曲”" in by_code["XHS-0000"][-1]
    # Fixed in the file and imported again: the bad rows alone import.
    book = load_workbook(out)
    for r in book.active.iter_rows(min_row=2):
        r[1].value, r[2].value, r[4].value = "地下式消火栓", "九曲街道", "2024-10-10"
    book.active.delete_cols(6)
    book.save(out)
    fixed = import_file(out, ledger="hydrant")
    assert fixed.ok and fixed.created == len(report.error_rows)
    assert Hydrant.objects.count() == len(report.error_rows)


def test_cli_prints_groups_and_details_on_request(tmp_path, street):
    path = messy_hydrants(tmp_path / "消火栓.xlsx")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path), ledger="hydrant", dry_run=True, stderr=err,
                     bad_rows=str(tmp_path / "bad.xlsx"))
    assert exit_.value.code == 2
    text = err.getvalue()
    assert "错误按原因归并为 3 类" in text and "【类型】“地下” 20 行" in text
    assert "第2行【类型】" not in text  # no row-by-row lines without --details
    assert (tmp_path / "bad.xlsx").exists() and "已把出错的 " in text
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", str(path), ledger="hydrant", dry_run=True, details=True, stderr=err)
    assert err.getvalue().count("【类型】：“地下”") == 20
