import sys

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.io.importer import import_file
from brigade.io.management.commands._common import ledger_listing
from brigade.io.profiles import available_profiles, import_with_profile

MAX_LINES = 200  # error lines printed; the count says how many more there are


class Command(BrigadeCommand):
    help = "从 Excel/CSV 导入台账（--ledger），或按映射配置导入接处警系统导出的数据（--profile）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--ledger", help="台账代码或中文名称，如 inspection、监督检查")
        parser.add_argument("--profile", help="映射配置名称，如 sf_fire_calls")
        parser.add_argument("--dry-run", action="store_true", help="只检查、预览结果，不写入数据库")
        parser.add_argument("--list", action="store_true", help="列出全部台账和映射配置")

    def handle(self, *args, file, ledger, profile, dry_run, list, **options):
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
        for name, count in (report.details.items() if report.ok else ()):  # counts of a refused file mislead
            self.stdout.write(f"  {name}：{count}")
        preview = getattr(report, "preview", None)
        if preview:
            self.stdout.write("预览（前几起警情及其出动单位、时段，时间为本地时间）：")
            for line in preview:
                self.stdout.write(f"  {line}")
        if report.flags:
            self.stdout.write(f"数据质量提示 {len(report.flags)} 处（记录已保留，仅去掉了不合理的字段）：")
            for flag in report.flags[:MAX_LINES]:
                self.stdout.write(f"  {flag}")
            if len(report.flags) > MAX_LINES:
                self.stdout.write(f"  ……另有 {len(report.flags) - MAX_LINES} 处未列出")
        if not report.ok:
            for error in report.errors[:MAX_LINES]:
                self.stderr.write(f"  {error}")
            if len(report.errors) > MAX_LINES:
                self.stderr.write(f"  ……另有 {len(report.errors) - MAX_LINES} 处错误未列出")
            self.stderr.write(report.summary())
            sys.exit(2)
        self.stdout.write(report.summary())
