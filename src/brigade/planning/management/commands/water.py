import json

from django.conf import settings

from brigade.analysis.errors import AnalysisError
from brigade.core.commands import BrigadeCommand
from brigade.core.files import atomic_output
from brigade.planning.network_store import PlanningError
from brigade.planning.water import WaterParams, water_from_files, water_run


class Command(BrigadeCommand):
    help = "消防水源分析：消火栓保护半径（150 米）以外的道路、间距超过 120 米、无消火栓的道路"
    user_errors = (*BrigadeCommand.user_errors, AnalysisError)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--network", help="道路网络文件（.osm.pbf、.osm、.osm.bz2 或 .geojson）；不填则用系统中的数据")
        parser.add_argument("--hydrants", help="消火栓 CSV 文件，表头 code,lon,lat[,status]（与 --network 一起使用）")
        parser.add_argument("--radius", type=float,
                            help=f"保护半径（米，沿道路），默认 {settings.BRIGADE_HYDRANT_RADIUS_M:g}")
        parser.add_argument("--spacing", type=float,
                            help=f"最大间距（米，沿道路），默认 {settings.BRIGADE_HYDRANT_SPACING_M:g}")
        parser.add_argument("--split-crossings", action="store_true",
                            help="GeoJSON 道路在交叉处没有公共节点时，在交叉点打断连通（OSM 数据不需要）")
        parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
        parser.add_argument("--out", help="输出文件（不填则输出到屏幕）")
        parser.add_argument("--no-save", action="store_true", help="不保存分析记录（仅使用系统数据时有效）")
        parser.add_argument("--brigade", help="大队名称（系统中有多个大队时必填；只有一个大队时可省略）")

    def handle(self, *args, network, hydrants, radius, spacing, split_crossings, format, out, no_save, brigade=None,
               **options):
        params = WaterParams(radius_m=radius, spacing_m=spacing, split_crossings=split_crossings)
        if network:
            if not hydrants:
                raise PlanningError("使用 --network 时请用 --hydrants 指定消火栓 CSV 文件（表头 code,lon,lat）。")
            result = water_from_files(network, hydrants, params)
        else:
            if hydrants:
                raise PlanningError("--hydrants 需要与 --network 一起使用；不填 --network 时使用系统中的消火栓。")
            result = water_run(params=params, save=not no_save, brigade=brigade).result
        text = json.dumps(result, ensure_ascii=False) if format == "json" else _table(result, params)
        if out:
            with atomic_output(out) as tmp:
                tmp.write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"已写入 {out}。")
        else:
            self.stdout.write(text)


def _table(result: dict, params: WaterParams) -> str:
    s = result["summary"]
    share = "—" if s["gap_share"] is None else f"{100 * s['gap_share']:.1f}%"
    lines = [
        f"消防水源分析（保护半径 {params.radius_m:g} 米、间距 {params.spacing_m:g} 米，沿道路计算）",
        f"消火栓 {s['hydrants']} 个，在道路上 {s['hydrants_on_network']} 个（完好 {s['hydrants_in_service_on_network']} 个）；",
        f"道路总长 {s['road_length_m'] / 1000:.1f} 公里，保护范围以外 {s['gap_length_m'] / 1000:.1f} 公里（{share}）；",
        f"间距超标 {s['spacing_violations']} 处，无消火栓道路 {s['roads_without_hydrant']} 条。",
    ]
    if result["gaps_by_road"]:
        lines += ["", "保护范围以外的道路（按长度）："]
        lines += [f"  {r['road']}：{r['gap_m']:.0f} / {r['length_m']:.0f} 米" for r in result["gaps_by_road"][:20]]
    if result["spacing_violations"]:
        lines += ["", "间距超标的相邻消火栓："]
        lines += [f"  {r['road']}：{r['a']}—{r['b']} 相距 {r['distance_m']:.0f} 米" for r in result["spacing_violations"][:20]]
    if result["roads_without_hydrant"]:
        lines += ["", "没有消火栓的道路：" + "、".join(r["road"] for r in result["roads_without_hydrant"][:30])]
    if result["off_network"]:
        lines += ["", "距道路过远、未计入的消火栓：" + "、".join(result["off_network"][:30])]
    cond = result.get("condition")
    if cond:
        lines += ["", f"损坏或停用 {len(cond['not_in_service'])} 个，长期未检查 {len(cond['unchecked'])} 个。"]
    if result.get("intake_points"):
        none = [r["area"] for r in result["intake_points"] if r["intake_points"] == 0]
        if none:
            lines.append("没有可用取水点的镇街：" + "、".join(none))
    return "\n".join(lines)
