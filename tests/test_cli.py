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
         "错误：参数 --first-due 的取值“road”无效，可选：nearest、network、stored、street"),
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


def test_a_never_migrated_database_is_migrated_by_the_first_command(tmp_path):
    result = brigade("due", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "正在建立内置 SQLite 数据库" in result.stderr
    assert "no such table" not in result.stderr and "Traceback" not in result.stderr
    assert "待办" in result.stdout
    assert brigade("migrate", "--check", tmp_path=tmp_path).returncode == 0  # nothing left unapplied


def test_pending_upgrades_are_named_with_the_command_to_run(tmp_path):
    assert brigade("migrate", "-v", "0", tmp_path=tmp_path).returncode == 0
    assert brigade("migrate", "reports", "0001", "-v", "0", tmp_path=tmp_path).returncode == 0
    result = brigade("due", tmp_path=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("有 1 项升级尚未执行，请先运行 brigade migrate"), lines
    # An argument error is still reported first, without touching the database.
    assert "缺少必填参数：--period" in brigade("metrics", tmp_path=tmp_path).stderr


HELP_CHECK = """
import json, os, re
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
import django; django.setup()
from django.core.management import get_commands, load_command_class
from brigade import cli
from brigade.core.cli_help import DJANGO_COMMANDS
cli._chinese_help()
han = re.compile(r"[\\u4e00-\\u9fff]")
offenders, seen = [], 0
for name, app in sorted(get_commands().items()):
    if not (app.startswith("brigade.") or name in DJANGO_COMMANDS):
        continue
    parsers = [(name, load_command_class(app, name).create_parser("brigade", name))]
    while parsers:
        label, parser = parsers.pop()
        if not han.search(parser.description or "") and " " not in label:
            offenders.append(f"{label}: description")
        for action in parser._actions:
            seen += 1
            if action.help != "==SUPPRESS==" and not han.search(action.help or ""):
                offenders.append(f"{label} {'/'.join(action.option_strings) or action.dest}: {action.help}")
            if isinstance(action.choices, dict):  # a subcommand's parsers
                parsers += [(f"{label} {sub}", p) for sub, p in action.choices.items()]
print(json.dumps({"offenders": offenders, "seen": seen}))
"""


def test_every_option_of_every_command_a_user_runs_is_explained_in_chinese():
    import json

    result = subprocess.run([sys.executable, "-c", HELP_CHECK], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["seen"] > 200  # every brigade command plus migrate, createsuperuser, check …
    assert report["offenders"] == []


def test_django_commands_help_reads_in_chinese():
    out = brigade("migrate", "--help").stdout
    assert out.startswith("用法：brigade migrate")
    assert "建立或升级数据库结构" in out and "显示本帮助并退出" in out and "输出详细程度" in out
    for english in ("show this help message", "Verbosity level", "Display a full stack trace", "options:"):
        assert english not in out
