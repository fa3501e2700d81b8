from pathlib import Path

from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.core.period import parse_period
from brigade.io.exporter import export_queryset
from brigade.io.ledgers import get_ledger
from brigade.io.management.commands._common import ledger_listing


class Command(BrigadeCommand):
    help = "把某个台账（可按期间筛选）导出为 Excel（.xlsx）或 CSV 文件"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--ledger", help="台账代码或中文名称，如 inspection、监督检查")
        parser.add_argument("--period", help="期间：2025、2025-H1、2025-Q3、2025-03、2025-01-01..2025-06-30")
        parser.add_argument("--out", help="输出文件路径，扩展名 .xlsx 或 .csv")
        parser.add_argument("--format", choices=["xlsx", "csv"], help="输出格式（默认按扩展名）")
        parser.add_argument("--list", action="store_true", help="列出全部台账的代码和中文名称")

    def handle(self, *args, ledger, period, out, format, list, **options):
        if list:
            self.stdout.write(ledger_listing())
            return
        if not ledger or not out:
            raise UserError("请用 --ledger 指定台账、--out 指定输出文件（--list 查看全部台账）。")
        try:
            target = get_ledger(ledger)
        except LookupError as exc:
            raise UserError(str(exc)) from None
        qs = target.queryset()
        label = "全部"
        if period:
            p = parse_period(period)
            if not target.date_field:
                raise UserError(f"“{target.title}”台账没有日期列，不能按期间筛选。")
            qs = target.filter_period(qs, p.start, p.end)
            label = p.label
        count = export_queryset(target, qs.order_by("pk"), Path(out), fmt=format)
        self.stdout.write(f"已导出“{target.title}”（{label}）{count} 条记录到 {out}")
