from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.io.ledgers import get_ledger
from brigade.io.management.commands._common import ledger_listing
from brigade.io.templates import write_template


class Command(BrigadeCommand):
    help = "生成某个台账的 Excel 导入模板（中文表头、必填列标红、下拉选项、示例行）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--ledger", help="台账代码或中文名称，如 inspection、监督检查")
        parser.add_argument("--out", help="输出文件路径（.xlsx）")
        parser.add_argument("--list", action="store_true", help="列出全部台账的代码和中文名称")

    def handle(self, *args, ledger, out, list, **options):
        if list:
            self.stdout.write(ledger_listing())
            return
        if not ledger or not out:
            raise UserError("请用 --ledger 指定台账、--out 指定输出文件（--list 查看全部台账）。")
        try:
            target = get_ledger(ledger)
        except LookupError as exc:
            raise UserError(str(exc)) from None
        path = write_template(target, out)
        self.stdout.write(f"已生成“{target.title}”导入模板：{path}")
