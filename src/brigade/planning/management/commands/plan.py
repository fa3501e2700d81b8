"""``brigade plan stations|hydrants``: where new stations and hydrants do the most good."""

import csv
import json
import math
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import CommandError

from brigade.analysis.errors import AnalysisError
from brigade.core.commands import BrigadeCommand


def _read_numbers(path: str, what: str) -> tuple[list[str] | None, np.ndarray]:
    """A numeric CSV (an optional header row is kept as names); empty cells become NaN and are refused later."""
    p = Path(path)
    if not p.exists():
        raise CommandError(f"{what}文件 {path} 不存在。")
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r and any(c.strip() for c in r)]
    if not rows:
        raise CommandError(f"{what}文件 {path} 是空的。")
    header = None

    def num(cell: str) -> float:
        cell = cell.strip()
        if cell == "":
            return math.nan
        return float(cell)

    try:
        [num(c) for c in rows[0]]
    except ValueError:
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    # every row as wide as the header (its names label the columns), or as the first row without one
    width, first = (len(header), "表头") if header else (len(rows[0]) if rows else 0, "第一行")
    values = []
    for line, row in enumerate(rows, start=2 if header else 1):
        if len(row) != width:
            raise CommandError(f"{what}文件第 {line} 行有 {len(row)} 列，与{first}的 {width} 列不一致。")
        try:
            values.append([num(c) for c in row])
        except ValueError:
            raise CommandError(f"{what}文件第 {line} 行含有非数字内容。") from None
    if not values:
        raise CommandError(f"{what}文件 {path} 没有数据行。")
    return header, np.asarray(values, dtype=float)


class Command(BrigadeCommand):
    help = "选址规划：新建消防站（最大覆盖/最少站点/平均时间最短）与补建消火栓"
    user_errors = (*BrigadeCommand.user_errors, AnalysisError)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="target", required=True, title="规划对象")
        st = sub.add_parser("stations", help="消防站选址", description="消防站选址：在库中辖区或给定成本矩阵上求解")
        st.add_argument("--model", choices=["mclp", "lscp", "pmedian"], default="mclp",
                        help="mclp 最大覆盖；lscp 最少站点全覆盖；pmedian 加权出警时间最短")
        st.add_argument("--p", type=int, help="新建站数（mclp、pmedian 必填）")
        st.add_argument("--minutes", type=float, help="到场时间标准（分钟，默认 5）")
        st.add_argument("--candidates", help="候选站点 CSV（表头 name,lon,lat）；不填则取主要道路上的路网节点")
        st.add_argument("--cost-matrix", help="成本矩阵 CSV（行：需求点，列：候选站点；秒或米），不用库中数据")
        st.add_argument("--weights", help="需求权重 CSV（一列，行数与成本矩阵相同）")
        st.add_argument("--radius", type=float, help="服务半径（与成本矩阵同一单位；mclp、lscp 使用成本矩阵时必填）")
        st.add_argument("--time-limit", type=float, default=60.0, help="求解时限（秒），到时给出最优性差距")
        st.add_argument("--heuristic", action="store_true", help="只用贪心+交换启发式（超大规模时）")
        st.add_argument("--continue", dest="continue_run", type=int, metavar="RUN_ID",
                        help="从已保存方案（分析记录编号）的当前最好解续算，沿用其模型、p、时间标准和候选站点")
        st.add_argument("--name", default="", help="方案名称（保存以便比较）")
        st.add_argument("--no-save", action="store_true", help="不保存为分析记录")
        st.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")
        st.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
        hy = sub.add_parser("hydrants", help="消火栓补建", description="沿道路补建市政消火栓（GB 50974-2014 7.2.5）")
        hy.add_argument("--radius", type=float, help=f"保护半径（米，默认 {settings.BRIGADE_HYDRANT_RADIUS_M:g}）")
        hy.add_argument("--spacing", type=float, help=f"最大间距（米，默认 {settings.BRIGADE_HYDRANT_SPACING_M:g}）")
        hy.add_argument("--name", default="", help="方案名称")
        hy.add_argument("--no-save", action="store_true", help="不保存为分析记录")
        hy.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")
        hy.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")

    def handle(self, *args, target, **opts):
        if target == "hydrants":
            return self._hydrants(opts)
        if opts["continue_run"] is not None and opts["cost_matrix"]:
            raise CommandError("--continue 只能续算库中保存的方案，不能与 --cost-matrix 同用。")
        if opts["cost_matrix"]:
            return self._stations_from_files(opts)
        if opts["radius"] is not None:  # on the stored network the standard is a time, not a radius
            raise CommandError("--radius 只用于成本矩阵（--cost-matrix）；按库中路网选址时用 --minutes 指定到场时间标准（分钟）。")
        return self._stations_stored(opts)

    # ------------------------------------------------------------------ arrays from files
    def _stations_from_files(self, o):
        from brigade.analysis.siting import lscp_from_costs, mclp_from_costs, pmedian

        names, costs = _read_numbers(o["cost_matrix"], "成本矩阵")
        weights = None
        if o["weights"]:
            _, w = _read_numbers(o["weights"], "需求权重")
            if w.shape[1] != 1:
                raise CommandError(f"需求权重文件应只有一列，实际有 {w.shape[1]} 列。")
            weights = w[:, 0]
        model, p = o["model"], o["p"]
        if model in ("mclp", "pmedian") and p is None:
            raise CommandError("mclp 和 pmedian 模型需要用 --p 指定新建站数。")
        if model in ("mclp", "lscp") and o["radius"] is None:
            raise CommandError("使用成本矩阵求解 mclp 或 lscp 时需要用 --radius 指定服务半径。")
        exact = False if o["heuristic"] else "auto"
        kw = {"time_limit_s": o["time_limit"], "exact": exact}
        if model == "mclp":
            res = mclp_from_costs(costs, weights, o["radius"], p, **kw)
        elif model == "lscp":
            res = lscp_from_costs(costs, o["radius"], weights=weights, **kw)
        else:
            res = pmedian(costs, weights, p, **kw)
        out = res.as_dict()
        if names:
            out["selected_names"] = [names[j] for j in res.selected]
        if o["format"] == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(_table(out))

    # ------------------------------------------------------------------ stored district
    def _stations_stored(self, o):
        from brigade.planning.siting import DEFAULTS, SitingSettings, station_siting_run

        settings = SitingSettings(**{**DEFAULTS.__dict__, "time_limit_s": o["time_limit"]})
        run = station_siting_run(model=o["model"], p=o["p"], minutes=o["minutes"], candidates_csv=o["candidates"],
                                 settings=settings, name=o["name"], save=not o["no_save"],
                                 exact=False if o["heuristic"] else "auto", continue_from=o["continue_run"],
                                 brigade=o.get("brigade"))
        s = run.summary
        if o["format"] == "json":
            self.stdout.write(json.dumps({"run": run.pk, **s, "seconds": round(run.seconds, 3),
                                          "by_street": run.result["by_street"]}, ensure_ascii=False))
            return
        lines = [f"{s['model_label']}  新建 {len(s['selected'])} 处  目标值 {s['objective']}  {s['status_label']}  "
                 f"界 {_bound(s['bound'])}  差距 {_gap(s['gap'])}  用时 {run.seconds:.2f} 秒"
                 + (f"  已保存为分析记录 #{run.pk}" if run.pk else "")
                 + (f"（续算自 #{s['continued_from']}）" if s.get("continued_from") else ""),
                 f"{s['minutes']:g} 分钟覆盖率：{s['covered_before_pct']}% → {s['covered_after_pct']}%"
                 f"（需求点 {s['demand_points']}，候选 {s['candidates']}，因邻近危险品场所排除 "
                 f"{s['candidates_excluded_near_hazards']}）"]
        for k, c in enumerate(s["selected"], start=1):
            lines.append(f"  {k}. {c['name']}（{c['lon']}, {c['lat']}）边际增益 {c['gain']}")
        lines.append("按镇街：")
        for b in run.result["by_street"]:
            lines.append(f"  {b['street']}：{b['share_pct']}% → {b['share_after_pct']}%")
        self.stdout.write("\n".join(lines))

    # ------------------------------------------------------------------ hydrants
    def _hydrants(self, o):
        from brigade.planning.siting import hydrant_siting_run

        run = hydrant_siting_run(radius_m=o["radius"], spacing_m=o["spacing"], name=o["name"], save=not o["no_save"],
                                 brigade=o.get("brigade"))
        s = run.summary
        if o["format"] == "json":
            self.stdout.write(json.dumps({"run": run.pk, **s, "seconds": round(run.seconds, 3),
                                          "roads": run.result["roads"]}, ensure_ascii=False))
            return
        lines = [f"需补建消火栓 {s['new_hydrants']} 个，涉及道路 {s['roads_with_gaps']} 条（共 {s['roads']} 条；"
                 f"在用消火栓 {s['existing_in_service']} 个；保护半径 {s['radius_m']:g} 米，间距 {s['spacing_m']:g} 米）"]
        for r in s["worst_roads"]:
            lines.append(f"  {r['name']}（{r['length_m']:.0f} 米）：补建 {r['new']} 个")
        self.stdout.write("\n".join(lines))


def _gap(gap) -> str:
    return "未知（仅启发式）" if gap is None else f"{100 * gap:.4g}%"


def _bound(bound) -> str:
    return "未知" if bound is None else format(round(float(bound), 3), "f").rstrip("0").rstrip(".")


def _table(out: dict) -> str:
    lines = [f"模型 {out['model']}  目标值 {out['objective']}  {out['status_label']}  界 {_bound(out['bound'])}  "
             f"差距 {_gap(out['gap'])}  用时 {out['seconds']} 秒",
             "选中候选（列序号从 0 起）：" + "、".join(str(j) for j in out["selected"])]
    if out.get("uncoverable"):
        lines.append(f"无法覆盖的需求点 {len(out['uncoverable'])} 个（行序号从 0 起）：" +
                     "、".join(str(i) for i in out["uncoverable"][:20]))
    return "\n".join(lines)
