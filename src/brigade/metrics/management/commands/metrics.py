import json

from django.core.management.base import CommandError

from brigade.core.commands import BrigadeCommand
from brigade.core.files import atomic_output
from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.metrics.registry import compute
from brigade.metrics.rows import metric_rows
from brigade.reports.workbook import write_metrics_xlsx


class Command(BrigadeCommand):
    help = "计算指定期间、范围的全部指标及去年同期值（表格、JSON 或 Excel）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--period", required=True, help="统计期间：2025、2025-H1、2025-Q3、2025-03 或 2025-01-01..2025-06-30")
        parser.add_argument("--scope", default="brigade", help="统计范围：brigade、detachment（全支队）、brigade:大队名称（逗号分隔可多个）、street:镇街名称 或 station:消防站名称")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table", help="输出格式")
        parser.add_argument("--out", help="输出文件（xlsx 格式必填；其他格式不填则输出到屏幕）")
        parser.add_argument("--only", help="只计算这些指标代码（逗号分隔）")

    def handle(self, *args, period, scope, format, out, only, **options):
        period, scope = parse_period(period), parse_scope(scope)
        codes = [c.strip() for c in only.split(",") if c.strip()] if only else None
        table = compute(period, scope, codes)
        rows = metric_rows(table)
        title = f"{scope.label} {period.label} 指标"
        if format == "xlsx":
            if not out:
                raise CommandError("输出 Excel 时请用 --out 指定文件路径。")
            write_metrics_xlsx(rows, out, title=title)
            self.stdout.write(f"已写入 {out}（{len(rows)} 项指标）。")
            return
        text = json.dumps({"period": period.key, "scope": scope.key, "metrics": rows}, ensure_ascii=False, indent=1) \
            if format == "json" else _table(rows, title)
        if out:
            with atomic_output(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out}（{len(rows)} 项指标）。")
        else:
            self.stdout.write(text)


def _fmt(value) -> str:
    if value is None:
        return "无数据"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _table(rows: list[dict], title: str) -> str:
    lines = [title, f"{'代码':<40}{'名称':<24}{'本期':>10}{'去年同期':>10}  单位"]
    for r in rows:
        lines.append(f"{r['code']:<42}{r['label']:<24}{_fmt(r['value']):>12}{_fmt(r['previous']):>12}  {r['unit']}")
    return "\n".join(lines)
