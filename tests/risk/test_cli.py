"""``brigade risk`` and ``brigade draw`` run as a user runs them: one Chinese line and exit code 2 on bad input."""

import pytest

from tests.test_cli import brigade


@pytest.fixture
def migrated(tmp_path):
    assert brigade("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    return tmp_path


@pytest.mark.parametrize(("args", "fragment"), [
    (["draw", "--month", "2026"], "错误：双随机抽查按月进行"),
    (["draw", "--month", "2026-01", "--checks", "x"], "错误：参数 --checks 应为整数，收到“x”"),
    (["draw", "--month", "2026-01"], "错误：尚未建立大队信息"),
    (["draw", "--month", "2026-01", "--verify"], "错误：尚未建立大队信息"),
    (["risk", "grade", "--on", "2025-13-01"], "错误：日期“2025-13-01”无法识别"),
    (["risk", "check", "/nonexistent/r.yaml"], "错误：找不到细则文件"),
])
def test_bad_input_exits_2_with_one_chinese_line(migrated, args, fragment):
    result = brigade(*args, tmp_path=migrated)
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr and "Traceback" not in result.stderr


def test_bad_rubric_file_names_the_line(migrated, tmp_path):
    from brigade.risk.rubric import default_text

    bad = tmp_path / "r.yaml"
    bad.write_text(default_text().replace("  hazmat: 30", "  spaceship: 30"), encoding="utf-8")
    result = brigade("risk", "check", str(bad), tmp_path=migrated)
    assert result.returncode == 2
    line = next(n for n, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "spaceship" in text)
    assert result.stderr.strip() == f"错误：第{line}行：场所类别“spaceship”不存在（可用代码或中文名称，如 hazmat 或 易燃易爆危险品场所）。"


def test_grade_on_an_empty_database(migrated):
    result = brigade("risk", "grade", "--on", "2025-12-31", tmp_path=migrated)
    assert result.returncode == 0, result.stderr
    assert "评定 0 家单位" in result.stdout
