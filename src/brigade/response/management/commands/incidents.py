import json
import unicodedata

from brigade.analysis.response_stats import percentile_key
from brigade.core.commands import BrigadeCommand
from brigade.core.errors import UserError
from brigade.core.files import atomic_output
from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.io.xlsx import append_row
from brigade.response.columns import forget_all
from brigade.response.stats import FIRST_DUE_METHODS, INTERVAL_LABELS, incident_stats

NO_DATA = "无数据"
SHORT = {name: label.split("（")[0] for name, label in INTERVAL_LABELS.items()}


class Command(BrigadeCommand):
    help = "接处警统计：各站、镇街、类别的响应时间百分位数、5分钟到场率、辖区站首到率、车辆出动与数据质量"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["stats", "rebuild"],
                            help="stats：计算接处警统计；rebuild：作废统计用的按月列缓存（记录在本系统之外被改动后使用）")
        parser.add_argument("--period", help="统计期间（stats 必填）：2025、2025-H1、2025-Q3、2025-03 或 2025-01-01..2025-06-30")
        parser.add_argument("--scope", default="brigade", help="统计范围：brigade、detachment（全支队）、brigade:大队名称（逗号分隔可多个）、street:镇街名称 或 station:消防站名称")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table", help="输出格式")
        parser.add_argument("--out", help="输出文件（xlsx 格式必填；其他格式不填则输出到屏幕）")
        parser.add_argument("--first-due", choices=sorted(FIRST_DUE_METHODS), help="辖区站判定方法：stored 接处警系统记录的辖区站（默认，无记录时按直线最近）、"
                                 "nearest 直线最近、network 道路网络最近、street 所在镇街唯一的站")
        parser.add_argument("--limit", type=int, default=None, help="每项数据质量问题最多列出的记录数")

    def handle(self, *args, action, period, scope, format, out, first_due, limit, **options):
        if action == "rebuild":
            months = forget_all()
            self.stdout.write(f"已作废 {months} 个月份的列缓存，下次统计时由原始记录重建。")
            return
        if not period:
            raise UserError("请用 --period 指定统计期间，如 --period 2025。")
        period, scope = parse_period(period), parse_scope(scope)
        if limit is not None and limit < 0:
            raise UserError("--limit 不能为负数。")
        if format == "xlsx" and not out:
            raise UserError("输出 Excel 时请用 --out 指定文件路径。")
        data = incident_stats(period, scope, first_due=first_due, record_limit=limit)
        if format == "xlsx":
            write_xlsx(data, out)
            self.stdout.write(f"已写入 {out}（{data['summary']['calls']} 起警情）。")
            return
        text = json.dumps(data, ensure_ascii=False, indent=1) if format == "json" else render_table(data)
        if out:
            with atomic_output(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out}（{data['summary']['calls']} 起警情）。")
        else:
            self.stdout.write(text)


def _s(value) -> str:
    """Seconds as m:ss, or 无数据."""
    if value is None:
        return NO_DATA
    sign, value = ("-" if value < 0 else ""), abs(value)
    minutes, seconds = divmod(int(round(value)), 60)
    return f"{sign}{minutes}:{seconds:02d}"


def _pct(share) -> str:
    return NO_DATA if share is None else f"{100 * share:.1f}%"


TABLE_INTERVALS = ("alarm_handling", "turnout", "travel", "total_response")


def _keys(d: dict) -> list[str]:
    """The keys of the configured percentiles (p50, p90 …) in the statistics."""
    return [percentile_key(q) for q in d["method"]["percentiles"]]


def _call_columns(row: dict, keys: list[str]) -> list[str]:
    cols = [str(row["calls"])]
    for name in TABLE_INTERVALS:
        cols += [_s(row[k][name]) for k in keys]
    return [*cols, _pct(row["within_standard_share"])]


def _call_header(keys: list[str]) -> list[str]:
    return ["警情", *[f"{SHORT[n]}{k.upper()}" for n in TABLE_INTERVALS for k in keys], "5分钟到场率"]


def _width(text) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(x) for x in col) + 2 for col in zip(header, *rows, strict=False)] if rows else []
    lines = [f"\n【{title}】"]
    if not rows:
        return [*lines, NO_DATA]
    for r in [header, *rows]:
        lines.append("".join(str(x) + " " * (w - _width(x)) for x, w in zip(r, widths, strict=False)).rstrip())
    return lines


def render_table(d: dict) -> str:
    s, keys = d["summary"], _keys(d)
    call_header = _call_header(keys)
    lines = [f"{d['scope_label']} {d['period_label']} 接处警统计",
             f"警情 {s['calls']} 起，出动车辆 {s['vehicles']} 辆次，出动人员 {s['personnel']} 人次；"
             f"有到场时间 {s['calls_with_arrival']} 起。",
             "时段（首车，分:秒）：" + "；".join(
                 f"{SHORT[n]} " + " / ".join(f"{k.upper()} {_s(s[k][n])}" for k in keys) + f"（{s['n'][n]} 起）"
                 for n in INTERVAL_LABELS),
             f"5分钟到场率 {_pct(s['within_standard_share'])}，行车4分钟到场率 {_pct(s['travel_within_share'])}。",
             f"辖区站首先到场率 {_pct(d['first_due']['share'])}（{d['first_due']['method_label']}，"
             f"可判定 {d['first_due']['judged']} 起）；同时段警情 {d['simultaneous']['simultaneous_calls']} 起，"
             f"最多同时 {d['simultaneous']['peak']} 起。"]
    lines += _table("各消防站（辖区警情 / 本站车辆）", ["消防站", *call_header, "辖区站首到率", "出动辆次", "人次", "首车到场"],
                    [[r["station"], *_call_columns(r, keys), _pct(r.get("first_due_arrived_first_share")),
                      str(r.get("vehicles", "")), str(r.get("personnel", "")), str(r.get("first_arrivals", ""))]
                     for r in d["stations"]])
    comparison = d["first_due"].get("comparison")
    if comparison and comparison["compared"]:
        lines.append(f"接处警系统记录的辖区站与{comparison['against_label']}一致 {_pct(comparison['share_agree'])}"
                     f"（可比较 {comparison['compared']} 起）。")
    lines += _table("各类出动单位（到场时间自出动指令/调派起算）",
                    ["单位类型", "出动次数", "参加警情", "首先到场", "首到占比", *[f"到场{k.upper()}" for k in keys], "标准内到场率",
                     "标准"],
                    [[r["label"], r["dispatches"], r["attended"], r["first_arrivals"], _pct(r["first_arrival_share"]),
                      *[_s(r["arrival"].get(k)) for k in keys], _pct(r["within_standard_share"]),
                      r["standard"]["label"]] for r in d["unit_kinds"] if r["dispatches"]])
    if len(d["brigades"]) > 1:
        lines += _table("各大队", ["大队", *call_header], [[r["brigade"], *_call_columns(r, keys)] for r in d["brigades"]])
    lines += _table("各镇街", ["镇街", *call_header], [[r["street"], *_call_columns(r, keys)] for r in d["streets"]])
    lines += _table("各类别", ["类别", *call_header], [[r["label"], *_call_columns(r, keys)] for r in d["categories"]])
    lines += _table("各月", ["月份", "警情", "出动辆次"], [[r["month"], r["calls"], r["vehicles"]] for r in d["months"]])
    lines += _table("时段分布", ["时", "警情"], [[f"{r['hour']:02d}", r["calls"]] for r in d["hours"]])
    lines += _table("星期分布", ["星期", "警情"], [[r["weekday"], r["calls"]] for r in d["weekdays"]])
    lines += _table("车辆出动（前20）", ["车辆", "所属站", "辆次", "出动时长（小时）"],
                    [[r["vehicle"], r["station"], r["dispatches"], r["busy_hours"]] for r in d["vehicles"][:20]])
    grades = d["fire_grades"]
    lines.append("\n【火灾等级】" + "，".join(f"{grades['labels'][k]} {v} 起" for k, v in grades["counts"].items()))
    lines += _table("数据质量", ["检查项", "起数", "示例警情编号"],
                    [[q["label"], q["count"], "、".join(r["number"] for r in q["records"][:5])] for q in d["quality"]])
    return "\n".join(lines)


def write_xlsx(d: dict, path) -> None:
    """One sheet per breakdown; percentiles in seconds, empty cells read 无数据."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    keys = _keys(d)

    def sec(v):
        return NO_DATA if v is None else v

    def call_cells(r):
        cells = [r["calls"]]
        for name in INTERVAL_LABELS:
            cells += [*(sec(r[k][name]) for k in keys), r["n"][name]]
        return [*cells, NO_DATA if r["within_standard_share"] is None else r["within_standard_share"],
                NO_DATA if r["travel_within_share"] is None else r["travel_within_share"]]

    call_header = ["警情数", *[f"{SHORT[n]}{h}" for n in INTERVAL_LABELS for h in (*(f"{k.upper()}（秒）" for k in keys), "样本数")],
                   "5分钟到场率", "行车4分钟到场率"]
    wb = Workbook()
    sheets = [
        ("概况", ["范围", *call_header, "出动辆次", "出动人次"],
         [[d["scope_label"], *call_cells(d["summary"]), d["summary"]["vehicles"], d["summary"]["personnel"]]]),
        ("消防站", ["消防站", *call_header, "辖区站首到率", "出动辆次", "出动人次", "首车到场", "出动时长（小时）"],
         [[r["station"], *call_cells(r), r.get("first_due_arrived_first_share"), r.get("vehicles"),
           r.get("personnel"), r.get("first_arrivals"), r.get("busy_hours")] for r in d["stations"]]),
        ("镇街", ["镇街", *call_header], [[r["street"], *call_cells(r)] for r in d["streets"]]),
        ("类别", ["类别", *call_header], [[r["label"], *call_cells(r)] for r in d["categories"]]),
        ("月份", ["月份", "警情", "出动辆次"], [[r["month"], r["calls"], r["vehicles"]] for r in d["months"]]),
        ("时段", ["时", "警情"], [[r["hour"], r["calls"]] for r in d["hours"]]),
        ("星期", ["星期", "警情"], [[r["weekday"], r["calls"]] for r in d["weekdays"]]),
        ("车辆", ["车辆", "所属站", "辆次", "出动时长（小时）", "利用率"],
         [[r["vehicle"], r["station"], r["dispatches"], r["busy_hours"], r["utilisation_share"]] for r in d["vehicles"]]),
        ("出动单位类型", ["单位类型", "出动次数", "参加警情", "首先到场", "首到占比",
                     *(f"到场{k.upper()}（秒）" for k in keys), "样本数", "标准内到场率", "标准", "依据"],
         [[r["label"], r["dispatches"], r["attended"], r["first_arrivals"], r["first_arrival_share"],
           *(r["arrival"].get(k) for k in keys), r["arrival"]["n"], r["within_standard_share"],
           r["standard"]["label"], r["standard"]["source"]] for r in d["unit_kinds"]]),
        ("大队", ["大队", *call_header], [[r["brigade"], *call_cells(r)] for r in d["brigades"]]),
        ("数据质量", ["检查项", "起数", "警情编号"],
         [[q["label"], q["count"], "、".join(r["number"] for r in q["records"])] for q in d["quality"]]),
    ]
    for i, (title, header, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        append_row(ws, [f"{d['scope_label']} {d['period_label']} 接处警统计 · {title}"])
        ws["A1"].font = Font(bold=True, size=13)
        append_row(ws, header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(ws, [NO_DATA if v is None else v for v in row])
        ws.freeze_panes = "B3"
    with atomic_output(path) as tmp:
        wb.save(tmp)
