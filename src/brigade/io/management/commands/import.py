import sys

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.io.importer import import_file
from brigade.io.management.commands._common import ledger_listing
from brigade.io.profiles import available_profiles, import_with_profile

MAX_LINES = 200  # flag lines printed; the count says how many more there are
MAX_PROBLEMS = 50  # distinct problems printed (each already counts its rows)


class Command(BrigadeCommand):
    help = "从 Excel/CSV 导入台账（--ledger），或按映射配置导入接处警系统导出的数据（--profile）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--ledger", help="台账代码或中文名称，如 inspection、监督检查")
        parser.add_argument("--profile", help="映射配置名称，如 sf_fire_calls")
        parser.add_argument("--dry-run", action="store_true", help="只检查、预览结果，不写入数据库")
        parser.add_argument("--list", action="store_true", help="列出全部台账和映射配置")
        parser.add_argument("--details", action="store_true", help="逐行列出每一处错误（默认按原因归并）")
        parser.add_argument("--bad-rows", metavar="OUT.xlsx",
                            help="有错误时，把全部出错的行连同“错误原因”列写入这个 .xlsx，改正后可直接再导入")

    def handle(self, *args, file, ledger, profile, dry_run, list, details, bad_rows, **options):
        if list:
            self.stdout.write(ledger_listing())
            self.stdout.write("可用的映射配置（--profile）：")
            for name, title in available_profiles().items():
                self.stdout.write(f"  {name:<24}{title}")
            return
        if not file:
            raise UserError("请指定要导入的文件。")
        if bool(ledger) == bool(profile):
            raise UserError("请用 --ledger 指定台账，或用 --profile 指定映射配置（二选一；--list 查看全部）。")
        if profile:
            report = import_with_profile(file, profile=profile, dry_run=dry_run)
        else:
            report = import_file(file, ledger=ledger, dry_run=dry_run)
        for warning in report.warnings:
            self.stdout.write(f"提示：{warning}")
        for name, count in report.details.items():
            self.stdout.write(f"  {name}：{count}")
        if report.flags:
            self.stdout.write(f"数据质量提示 {len(report.flags)} 处（记录已保留，仅去掉了不合理的字段）：")
            for flag in report.flags[:MAX_LINES]:
                self.stdout.write(f"  {flag}")
            if len(report.flags) > MAX_LINES:
                self.stdout.write(f"  ……另有 {len(report.flags) - MAX_LINES} 处未列出")
        if not report.ok:
            self._errors(report, details)
            if bad_rows and ledger:
                from brigade.io.badrows import write_bad_rows
                from brigade.io.ledgers import get_ledger

                n = write_bad_rows(file, get_ledger(ledger), report, bad_rows)
                self.stderr.write(f"已把出错的 {n:,} 行（含“错误原因”列）写入“{bad_rows}”，改正后可再导入。")
            self.stderr.write(report.summary())
            sys.exit(2)
        self.stdout.write(report.summary())

    def _errors(self, report, details: bool) -> None:
        if details:
            for error in report.errors:
                self.stderr.write(f"  {error}")
            return
        problems = report.problems
        self.stderr.write(f"错误按原因归并为 {len(problems):,} 类（--details 逐行列出，--bad-rows 导出出错的行）：")
        for problem in problems[:MAX_PROBLEMS]:
            self.stderr.write(f"  {problem.text()}")
        if len(problems) > MAX_PROBLEMS:
            self.stderr.write(f"  ……另有 {len(problems) - MAX_PROBLEMS:,} 类问题未列出（--details 查看全部）")
