from brigade.core.commands import BrigadeCommand
from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.reports.service import explain_lines, report_generate


class Command(BrigadeCommand):
    help = "根据数据生成工作总结（Word 公文格式、Markdown、HTML 或指标附表 Excel），可生成脱敏版"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--period", required=True, help="统计期间：2025、2025-H1、2025-Q3、2025-03 或 2025-01-01..2025-06-30")
        parser.add_argument("--out", required=True, help="输出文件，按扩展名决定格式：.docx .md .html .xlsx")
        parser.add_argument("--scope", default="brigade",
                            help="统计范围：brigade（大队）、detachment（支队工作总结）、brigade:大队名称 或 street:镇街名称")
        parser.add_argument("--redact", action="store_true", help="生成脱敏版（数字改为*，名称改为**）")
        parser.add_argument("--explain", action="store_true", help="逐段列出所用指标代码和数值")

    def handle(self, *args, period, out, scope, redact, explain: bool, **options):
        result = report_generate(period=parse_period(period), scope=parse_scope(scope), out=out, redact=redact)
        if explain:
            self.stdout.write("\n".join(explain_lines(result.document)))
        self.stdout.write(f"已生成 {result.path}。")

