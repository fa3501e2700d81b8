"""The `brigade` console command, run as a user would run it (a real subprocess)."""

import os
import subprocess
import sys

import pytest


def brigade(*args, env=None, tmp_path=None):
    environ = {**os.environ, **(env or {})}
    if tmp_path is not None:
        environ["BRIGADE_VAR_DIR"] = str(tmp_path)
        environ.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "brigade.cli", *args], capture_output=True, text=True,
                          env=environ, timeout=120)


def test_help_lists_our_commands_in_chinese():
    out = brigade("--help").stdout
    assert "用法：brigade <命令>" in out
    assert "metrics" in out and "计算指定期间" in out


def test_unreachable_database_is_one_chinese_line():
    result = brigade("dbcheck", env={"DATABASE_URL": "postgres://nobody:secret@127.0.0.1:1/none"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("无法连接数据库")
    assert "secret" not in lines[0]  # the password is never printed
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["metrics", "--period", "2025-13"], "月份 13 不存在"),
        (["metrics", "--period", "2025", "--scope", "street:不存在街道"], "没有名为“不存在街道”的镇街"),
        (["metrics", "--period", "2025", "--format", "xlsx", "--out", "/nonexistent/dir/m.xlsx"], "不存在"),
        # argparse's own refusals, in Chinese too
        (["incidents", "stats", "--period", "2025", "--first-due", "road"],
         "错误：参数 --first-due 的取值“road”无效，可选：nearest、street"),
        (["demo", "--scale", "abc"], "错误：参数 --scale 应为数字，收到“abc”"),
        (["metrics"], "错误：缺少必填参数：--period"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_line(tmp_path, args, fragment):
    assert brigade("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    result = brigade(*args, tmp_path=tmp_path)
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_metrics_xlsx_is_written_and_reads_back(tmp_path):
    from openpyxl import load_workbook

    assert brigade("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    out = tmp_path / "m.xlsx"
    result = brigade("metrics", "--period", "2025-Q1", "--format", "xlsx", "--out", str(out), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    ws = load_workbook(out).active
    assert ws["A1"].value == "全大队 2025年第一季度 指标"
    codes = [row[0].value for row in ws.iter_rows(min_row=3)]
    assert "supervision.units_inspected" in codes and "response.alarms" in codes


def test_xlsx_without_out_is_a_user_error(tmp_path):
    assert brigade("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    result = brigade("metrics", "--period", "2025", "--format", "xlsx", tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "错误：输出 Excel 时请用 --out 指定文件路径。"
