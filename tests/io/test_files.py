"""Bad files give one clear Chinese message (and exit code 2 on the CLI), never a traceback."""

import pytest
from django.core.management import load_command_class

from brigade.io.importer import import_file
from brigade.io.workbook import ImportFileError
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db


def _refused(path, ledger="inspection", **kw) -> str:
    with pytest.raises(ImportFileError) as exc:
        import_file(path, ledger=ledger, **kw)
    return str(exc.value)


def test_non_excel_file(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    assert "不是 Excel（.xlsx）或 CSV 文件" in _refused(path)


def test_broken_zip_is_not_a_valid_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    assert "不是有效的 Excel" in _refused(path)


def test_empty_file_and_empty_sheet(tmp_path, unit):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "是空的" in _refused(empty)
    no_rows = write_xlsx(tmp_path / "header_only.xlsx", ["单位名称", "检查日期", "检查类型"], [], trailing_blank=3)
    assert "没有数据行" in _refused(no_rows)


def test_encrypted_workbook(tmp_path):
    path = tmp_path / "secret.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4096))  # what Excel writes when a password is set
    message = _refused(path)
    assert "加密" in message and ".xls" in message


def test_too_large_file_names_the_limit(tmp_path, settings):
    settings.BRIGADE_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, instant to write
    message = _refused(path)
    assert "50 MB" in message and "上限 20 MB" in message


def test_file_for_another_ledger_says_which_it_looks_like(tmp_path, station):
    path = write_xlsx(tmp_path / "vehicles.xlsx", ["车牌号", "车辆类型", "所属站", "入列日期"],
                      [["鲁Q0001应急", "水罐消防车", "九曲站", "2020-01-01"]])
    message = _refused(path, ledger="inspection")
    assert "与“监督检查”台账不符" in message and "必填列为：单位名称*、检查日期*、检查类型*" in message
    assert "看起来是“消防车辆”台账" in message and "--ledger vehicle" in message


def test_cli_bad_file_is_one_line_and_exit_code_2(tmp_path, capsys):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    command = load_command_class("brigade.io", "import")
    with pytest.raises(SystemExit) as exc:
        command.run_from_argv(["brigade", "import", str(path), "--ledger", "inspection"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().startswith("错误：") and "是空的" in err and "Traceback" not in err


def test_cli_row_errors_exit_2_and_list_rows(tmp_path, capsys, unit):
    path = write_xlsx(tmp_path / "bad.xlsx", ["单位名称", "检查日期", "检查类型"],
                      [[unit.name, "2025-13-01", "双随机抽查"], ["不存在的单位", "2025-01-01", "双随机抽查"]])
    command = load_command_class("brigade.io", "import")
    with pytest.raises(SystemExit) as exc:
        command.run_from_argv(["brigade", "import", str(path), "--ledger", "inspection", "--dry-run"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # Grouped by cause, each naming its rows (row by row with --details: tests/io/test_grouped_errors.py).
    assert "【检查日期】1 行（第 2 行）" in err and "【单位名称】“不存在的单位” 1 行（第 3 行）" in err
    assert "未导入任何数据" in err


def test_cli_lists_ledgers_in_chinese(capsys):
    command = load_command_class("brigade.io", "template")
    command.run_from_argv(["brigade", "template", "--list"])
    out = capsys.readouterr().out
    assert "inspection" in out and "监督检查" in out and "alcohol_check" in out and "饮酒管控系统抽查" in out


def test_gbk_csv_ledger_and_missing_required_column(tmp_path, unit):
    from brigade.supervision.models import Inspection

    path = tmp_path / "检查.csv"
    path.write_bytes(f"单位名称,检查日期,检查类型\n{unit.name},2025/3/5,双随机抽查\n".encode("gb18030"))
    report = import_file(path, ledger="监督检查")
    assert report.ok and report.created == 1 and Inspection.objects.count() == 1
    partial = write_xlsx(tmp_path / "partial.xlsx", ["单位名称", "检查日期"], [[unit.name, "2025-03-05"]])
    assert "缺少必填列：检查类型*" in _refused(partial)


def test_saved_upload_without_suffix_and_a_docx_renamed(tmp_path, unit):
    path = write_xlsx(tmp_path / "upload.xlsx", ["单位名称", "检查日期", "检查类型"], [[unit.name, "2025-03-05", "复查"]])
    bare = path.rename(tmp_path / "upload-7f3a")  # how a web upload may be stored
    assert import_file(bare, ledger="inspection", dry_run=True, filename="检查.xlsx").created == 1
    import zipfile

    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "不是有效的 Excel" in _refused(docx)
