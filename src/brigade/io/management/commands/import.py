import sys

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.io.importer import import_file
from brigade.io.management.commands._common import ledger_listing
from brigade.io.profiles.run import import_with_profile
from brigade.io.profiles.spec import available_profiles

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
        parser.add_argument("--suggest-mapping", metavar="MAP.yaml",
                            help="预检，并把系统不认识的可选值、镇街、社区、站、单位等连同建议写入这个值对照文件（不写入数据库）")
        parser.add_argument("--mapping", metavar="MAP.yaml", help="按值对照文件中“接受: 是”的各项转换后导入；成功后记住这些对照")
        parser.add_argument("--source", help="文件来源（填报单位），记住的值对照按来源区分，如 九曲街道办")
        parser.add_argument("--create", metavar="KINDS",
                            help="新建文件中写到但系统没有的：streets 镇街、communities 社区、stations 消防站、departments 部门（逗号分隔）")
        parser.add_argument("--details", action="store_true", help="逐行列出每一处错误（默认按原因归并）")
        parser.add_argument("--bad-rows", metavar="OUT.xlsx",
                            help="有错误时，把全部出错的行连同“错误原因”列写入这个 .xlsx，改正后可直接再导入")

    def handle(self, *args, file, ledger, profile, dry_run, list, details, bad_rows, suggest_mapping, mapping,
               source, create, **options):
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
        if profile and (suggest_mapping or mapping or create or source):
            raise UserError("--suggest-mapping、--mapping、--source、--create 只用于 --ledger 导入。")
        if profile:
            report = import_with_profile(file, profile=profile, dry_run=dry_run)
        else:
            report = self._ledger_import(file, ledger, dry_run or bool(suggest_mapping), suggest_mapping, mapping,
                                         source, create)
            if suggest_mapping:
                return
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
            self._errors(report, details)
            if bad_rows and ledger:
                from brigade.io.badrows import write_bad_rows
                from brigade.io.ledgers import get_ledger

                n = write_bad_rows(file, get_ledger(ledger), report, bad_rows)
                self.stderr.write(f"已把出错的 {n:,} 行（含“错误原因”列）写入“{bad_rows}”，改正后可再导入。")
            self.stderr.write(report.summary())
            sys.exit(2)
        self.stdout.write(report.summary())

    def _errors(self, report, details: bool, out=None) -> None:
        out = out or self.stderr
        if details:
            for error in report.errors:
                out.write(f"  {error}")
            return
        problems = report.problems
        out.write(f"错误按原因归并为 {len(problems):,} 类（--details 逐行列出，--bad-rows 导出出错的行）：")
        for problem in problems[:MAX_PROBLEMS]:
            out.write(f"  {problem.text()}")
        if len(problems) > MAX_PROBLEMS:
            out.write(f"  ……另有 {len(problems) - MAX_PROBLEMS:,} 类问题未列出（--details 查看全部）")
        if report.unmatched and not getattr(self, "_suggesting", False):
            out.write(f"其中 {len(report.unmatched):,} 个值可用值对照解决：--suggest-mapping map.yaml 生成建议，"
                      "核对后用 --mapping map.yaml 导入。")

    def _ledger_import(self, file, ledger_name, dry_run, suggest_path, mapping_path, source, create):
        from brigade.io.create import parse_create
        from brigade.io.ledgers import get_ledger
        from brigade.io.mapping import read_mapping_file, write_suggestions

        try:
            ledger = get_ledger(ledger_name)
        except LookupError as exc:
            raise UserError(str(exc)) from None
        vmap = read_mapping_file(mapping_path, ledger=ledger) if mapping_path else None
        report = import_file(file, ledger=ledger, dry_run=dry_run, mapping=vmap, origin=source,
                             create=parse_create(create) if create else None)
        for m in report.mapped:
            how = "记住的对照" if m.remembered else "值对照"
            self.stdout.write(f"按{how}转换：【{m.column}】“{m.value}”→“{m.target}” {m.count:,} 处")
        if report.to_create:
            verb = "将新建" if dry_run or not report.ok else "已新建"
            self.stdout.write(f"{verb}：" + "、".join(f"{kind}“{name}”" for kind, name in report.to_create))
        if suggest_path:
            from brigade.io.mapping import MappingFileError

            self._suggesting = True
            try:
                n = write_suggestions(suggest_path, report, ledger=ledger, source=report.source)
            except OSError as exc:
                raise MappingFileError(f"无法写入值对照文件“{suggest_path}”：{exc.strerror or exc}。") from None
            if not report.ok:
                self._errors(report, False, out=self.stdout)
            self.stdout.write(f"已把 {n:,} 个系统不认识的值连同建议写入“{suggest_path}”。请逐项核对“改为”，"
                              f"同意的把“接受”改为“是”，再用 --mapping {suggest_path} 导入。")
        return report
