import json

from brigade.analysis.coverage import isochrones_geojson
from brigade.analysis.errors import AnalysisError
from brigade.core.commands import BrigadeCommand
from brigade.core.files import atomic_output
from brigade.planning.coverage import (
    CoverageParams,
    coverage_from_files,
    coverage_run,
    default_minutes,
    node_rows,
)
from brigade.planning.network_store import PlanningError


class Command(BrigadeCommand):
    help = "计算各消防站的行车时间覆盖：每个道路节点的最近消防站和到达时间，各镇街达标比例"
    user_errors = (*BrigadeCommand.user_errors, AnalysisError)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--network", help="道路网络文件（.osm.pbf、.osm、.osm.bz2 或 .geojson）；不填则用系统中的道路数据")
        parser.add_argument("--stations", help="消防站 CSV 文件，表头 name,lon,lat（与 --network 一起使用）")
        parser.add_argument("--minutes", type=float, default=None, help="到达时间标准（分钟），默认 5")
        parser.add_argument("--turnout", type=float, default=None, help="出动准备时间（秒），默认 60")
        parser.add_argument("--split-crossings", action="store_true",
                            help="GeoJSON 道路在交叉处没有公共节点时，在交叉点打断连通（OSM 数据不需要）")
        parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
        parser.add_argument("--out", help="输出文件（不填则输出到屏幕）")
        parser.add_argument("--isochrones", help="另存 4/5/8 分钟等时圈为 GeoJSON 文件")
        parser.add_argument("--no-save", action="store_true", help="不保存分析记录（仅使用系统数据时有效）")
        parser.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")

    def handle(self, *args, network, stations, minutes, turnout, split_crossings, format, out, isochrones, no_save,
               brigade=None, **options):
        params = CoverageParams(minutes=default_minutes() if minutes is None else minutes, turnout_s=turnout,
                                split_crossings=split_crossings)
        if network:
            if not stations:
                raise PlanningError("使用 --network 时请用 --stations 指定消防站 CSV 文件（表头 name,lon,lat）。")
            cov, result = coverage_from_files(network, stations, params)
        else:
            if stations:
                raise PlanningError("--stations 需要与 --network 一起使用；不填 --network 时使用系统中的消防站。")
            run, cov = coverage_run(params=params, save=not no_save, brigade=brigade)
            result = dict(run.result)
            result.pop("isochrones", None)
            result.pop("first_due_zones", None)
        # Everything is computed before anything is written.
        if format == "json":
            text = json.dumps({**result, "params": {"minutes": params.minutes, "turnout_s": params.turnout_s},
                               "nodes": node_rows(cov)}, ensure_ascii=False)
        else:
            text = _table(result, params)
        iso_text = json.dumps(isochrones_geojson(cov), ensure_ascii=False) if isochrones else None
        if out:
            with atomic_output(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out}（{cov.network.node_count} 个道路节点）。")
        else:
            self.stdout.write(text)
        if iso_text is not None:
            with atomic_output(isochrones) as tmp:
                tmp.write_text(iso_text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入等时圈 {isochrones}。")


def _pct(x) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _table(result: dict, params: CoverageParams) -> str:
    s = result["summary"]
    lines = [
        f"消防站覆盖分析（{params.minutes:g} 分钟，含出动准备 {params.turnout_s:g} 秒）",
        f"道路节点 {s['nodes']} 个，{params.minutes:g} 分钟内可达 {s['nodes_reached']} 个，不连通 {s['nodes_unreachable']} 个；",
        f"道路总长 {s['road_length_m'] / 1000:.1f} 公里，可达 {s['reached_length_m'] / 1000:.1f} 公里（{_pct(s['road_share'])}）；",
        f"行车时间中位数 {s['travel_time_s_p50']} 秒，90% 分位 {s['travel_time_s_p90']} 秒，最长 {s['travel_time_s_max']} 秒。",
        "",
        f"{'消防站':<16}{'首出动节点数':>10}{'距道路（米）':>12}",
    ]
    lines += [f"{st['name']:<16}{st['nodes_first_due']:>12}{st['snap_distance_m']:>14}" for st in s["stations"]]
    if result.get("streets"):
        lines += ["", f"{'镇街':<12}{'消防站':>6}{'道路可达':>10}{'单位可达':>10}{'重点单位可达':>12}{'警情可达':>10}"]
        for r in result["streets"]:
            lines.append(f"{r['name']:<12}{r['stations']:>8}{_pct(r['road_share']):>12}{_pct(r.get('units_share')):>12}"
                         f"{_pct(r.get('key_units_share')):>14}{_pct(r.get('incidents_share')):>12}")
        if result.get("streets_without_station"):
            lines.append("辖区内没有消防站的镇街：" + "、".join(result["streets_without_station"]))
    if result.get("worst"):
        lines += ["", "到达最慢的道路："]
        lines += [f"  {w['road']}：约 {w['travel_time_s'] / 60:.1f} 分钟（{w['nearest_station']}）" for w in result["worst"]]
    return "\n".join(lines)
