"""``brigade risk grade [--on 2025-12-31]``: grade every unit (nightly); ``brigade risk check 细则.yaml``."""

import datetime as dt
from pathlib import Path

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.risk.choices import RiskLevel
from brigade.risk.rubric import parse_rubric

BAD_DAY = "日期“{value}”无法识别，请按 2025-12-31 的格式填写。"
NO_FILE = "找不到细则文件：{path}"


class Command(BrigadeCommand):
    help = "社会单位火灾风险分级：grade 重新评定全部单位（可每晚定时运行），check 检查细则文件，backtest 回测"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        grade = sub.add_parser("grade", help="按当前启用的细则重新评定全部单位的风险等级")
        grade.add_argument("--on", help="按哪一天的数据评定（默认今天），例如 2025-12-31")
        check = sub.add_parser("check", help="检查一份风险分级细则（YAML）是否有效")
        check.add_argument("path", help="细则文件路径")
        backtest = sub.add_parser("backtest", help="回测：按月比较高、低风险单位每次检查发现的隐患数")
        backtest.add_argument("--period", required=True, help="回测期间，例如 2025")
        for p in (grade, check, backtest):
            p.error = parser.error

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _grade(self, on=None, **options):
        from brigade.risk.services.grading import risk_grade

        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            raise UserError(BAD_DAY.format(value=on)) from None
        summary = risk_grade(on=day)
        levels = "，".join(f"{RiskLevel(k).label}风险 {n} 家" for k, n in summary.by_level.items())
        self.stdout.write(f"{summary.on} 按《{summary.rubric}》评定 {summary.units} 家单位：{levels}；"
                          f"等级或依据变化 {summary.changed} 家。")

    def _check(self, path, **options):
        file = Path(path)
        if not file.is_file():
            raise UserError(NO_FILE.format(path=path))
        rubric = parse_rubric(file.read_text(encoding="utf-8"))
        self.stdout.write(f"细则《{rubric.name}》有效：高风险 ≥ {rubric.weights.high_at:g} 分，"
                          f"中风险 ≥ {rubric.weights.medium_at:g} 分。")

    def _backtest(self, period, **options):
        from brigade.core.period import parse_period
        from brigade.risk.backtest import backtest

        result = backtest(period=parse_period(period))
        for line in result.lines():
            self.stdout.write(line)
