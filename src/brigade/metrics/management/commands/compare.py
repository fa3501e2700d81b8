"""``brigade compare``: the detachment's brigades side by side for a period."""

import json

from django.core.management.base import CommandError

from brigade.core.commands import BrigadeCommand
from brigade.core.files import atomic_output
from brigade.core.period import parse_period
from brigade.metrics.compare import MEASURES, NO_DATA, compare_brigades, comparison_dict, value_text


class Command(BrigadeCommand):
    help = "支队各大队对比：每个大队一行，附全支队中位数、四分位数、排名和异常（表格、JSON 或 Excel）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--period", required=True, help="统计期间：2025、2025-H1、2025-Q3、2025-03 或 2025-01-01..2025-06-30")
        parser.add_argument("--brigades", help="只对比这些大队（名称，逗号分隔；默认全部）")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table", help="输出格式")
        parser.add_argument("--out", help="输出文件（xlsx 格式必填；其他格式不填则输出到屏幕）")

    def handle(self, *args, period, brigades, format, out, **options):
        period = parse_period(period)
        names = [n.strip() for n in (brigades or "").replace("，", ",").split(",") if n.strip()] or None
        if format == "xlsx" and not out:
            raise CommandError("输出 Excel 时请用 --out 指定文件路径。")
        c = compare_brigades(period, names)
        if not c.rows:
            raise CommandError("数据库中还没有大队，无法对比。")
        title = f"{period.label}各大队对比"
        if format == "xlsx":
            from brigade.reports.compare_workbook import write_comparison_xlsx

            write_comparison_xlsx(c, out, title=title)
            self.stdout.write(f"已写入 {out}（{len(c.rows)} 个大队）。")
            return
        text = json.dumps(comparison_dict(c), ensure_ascii=False, indent=1) if format == "json" else _table(c, title)
        if out:
            with atomic_output(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out}（{len(c.rows)} 个大队）。")
        else:
            self.stdout.write(text)


def _table(c, title: str) -> str:
    """One block per measure: each brigade's value and rank, then the quartiles; outliers marked."""
    marks = {(o["brigade"], o["measure"]): ("↓落后" if o["bad"] else "↑领先") for o in c.outliers}
    width = max(len(r.brigade) for r in c.rows) + 2
    lines = [title]
    for m in MEASURES:
        s = c.stats[m.code]
        lines.append("")
        lines.append(f"{m.label}（{m.unit}，{'越高越好' if m.better == 'high' else '越低越好'}）  "
                     f"中位数 {value_text(s['median'])}，四分位数 {value_text(s['q1'])}～{value_text(s['q3'])}")
        for r in sorted(c.rows, key=lambda r: (r.ranks[m.code] is None, r.ranks[m.code] or 0, r.brigade)):
            v = r.values[m.code]
            rank = "—" if r.ranks[m.code] is None else f"第{r.ranks[m.code]}名"
            shown = NO_DATA if v is None else value_text(v)
            lines.append(f"  {r.brigade:<{width}}{shown:>12}  {rank:<6}{marks.get((r.brigade, m.code), '')}")
    findings = c.findings()
    if findings:
        lines += ["", "发现："] + [f"  - {f.statement}" for f in findings]
    return "\n".join(lines)
