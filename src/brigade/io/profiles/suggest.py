"""A draft profile from a file's headers and first rows (``brigade profile suggest FILE --out draft.yaml``).

Known Chinese and English column names are recognised; repeated sets of time columns ("中队出动时间"
and "微站出动时间", or a two-row header "中队/出动时间") become unit groups; date formats and duration
texts are read off the first rows. Whatever could not be decided is written with a Chinese
"待确认" comment, so the user edits the draft and previews it with ``brigade import --dry-run``.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from brigade.io.durations import looks_like_duration
from brigade.io.profiles.parse import text
from brigade.io.workbook import HEADER_SEARCH_ROWS, ImportFileError

SAMPLE_ROWS = 50
# Field → header names (matched after removing spaces and case), most specific first.
CALL_FIELDS = {
    "group_by": ["警情编号", "案件编号", "警情号", "接警编号", "事件编号", "callnumber", "incidentnumber"],
    "received_at": ["立案时间", "接警时间", "报警时间", "受理时间", "receiveddttm", "receivedtime"],
    "brigade": ["所属大队", "大队", "责任大队"],
    "first_due": ["所属队站", "辖区队站", "所属中队", "辖区中队", "责任区", "辖区站", "stationarea", "firstdue"],
    "street": ["所属街道", "所属镇街", "街道", "镇街", "乡镇", "neighborhooddistrict",
               "neighborhooods-analysisboundaries", "analysisneighborhoods"],
    "address": ["火警地址", "警情地址", "案发地址", "地址", "address"],
    "location": ["经纬度", "坐标", "location", "case_location"],
    "category": ["火警类型", "警情类型", "案件类型", "警情类别", "calltype"],
    "category_group": ["calltypegroup"],
    "real_alarm": ["警情性质", "实警/虚警", "真假警", "真实性", "是否虚警"],
}
TIME_NAMES = {
    "dispatched_at": ["调派时间", "出动指令时间", "下达时间", "派车时间", "dispatchdttm"],
    "departed_at": ["出动时间", "出车时间", "出发时间", "responsedttm", "enroutedttm"],
    "arrived_at": ["到场时间", "到达时间", "onscenedttm"],
    "returned_at": ["归队时间", "返队时间", "availabledttm"],
}
DURATION_NAMES = {"到场用时": "arrived_at", "出动用时": "departed_at", "行车用时": "arrived_at",
                  "到场时长": "arrived_at", "出动时长": "departed_at"}
UNIT_NAMES = {"vehicle": ["车牌号", "车辆编号", "出动车辆", "车号", "unitid"],
              "vehicle_kind": ["车辆类型", "车型", "unittype"],
              "station": ["微站名称", "名称", "站名", "出动单位", "出动队站"]}
FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
           "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
           "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M"]
FIRE_WORDS = ("火", "居民", "杂物", "车辆", "单位", "电线", "垃圾", "秸秆", "fire", "explosion")
RESCUE_WORDS = ("救援", "抢险", "事故", "泄漏", "rescue", "collision", "hazmat", "leak")
ASSIST_WORDS = ("救助", "求助", "medical", "assist")
FALSE_WORDS = ("虚", "误报", "假警", "alarm")
TODO = "待确认"


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


@dataclass
class Unit:
    prefix: str
    times: dict[str, str] = field(default_factory=dict)
    durations: dict[str, str] = field(default_factory=dict)  # header → field it gives
    names: dict[str, str] = field(default_factory=dict)  # vehicle / vehicle_kind / station → header


def _split(header: str) -> tuple[str, str]:
    """("中队", "出动时间") from "中队/出动时间", "中队出动时间" or "出动时间#2" (the second set)."""
    if "/" in header and not header.startswith("实警"):
        group, _, name = header.rpartition("/")
        return group, name
    base, _, nth = header.partition("#")
    if nth.isdigit():
        return f"第{nth}组", base
    known = [n for names in (*TIME_NAMES.values(), *UNIT_NAMES.values()) for n in names] + list(DURATION_NAMES)
    for name in sorted(known, key=len, reverse=True):
        if _key(base).endswith(_key(name)) and len(_key(base)) > len(_key(name)):
            return base[: len(base) - len(name)], base[len(base) - len(name):]
    return "", base


def _match(header: str, names: list[str]) -> bool:
    return _key(header) in {_key(n) for n in names}


def _score(header: list[str]) -> int:
    found = sum(any(_match(h, names) for names in CALL_FIELDS.values()) for h in header if h)
    return found + sum(1 for h in header if h and _split(h)[1] and any(
        _match(_split(h)[1], names) for names in TIME_NAMES.values()))


def _header(rows: list) -> tuple[int, int, list[str]]:
    """The header row(s) naming the most known columns; then the one repeating fewer names (a field row
    under merged group cells repeats 出动时间 per unit, its two-row reading does not); a one-row header
    wins a remaining tie."""
    from brigade.io.profiles.table import header_names

    candidates = []
    for height in (1, 2):
        for i in range(height - 1, min(HEADER_SEARCH_ROWS, len(rows))):
            header = header_names([cells for _, cells in rows[i + 1 - height:i + 1]], height)
            repeats = sum("#" in name for name in header)
            candidates.append((_score(header), -repeats, -height, -i, header))
    score, _, height, i, header = max(candidates, key=lambda c: c[:4])
    if score <= 0:
        raise ImportFileError("无法在文件的前几行中找到可识别的表头（如 立案时间、到场时间、Received DtTm），无法起草映射配置。")
    return -i, -height, header


def _formats(values: list) -> tuple[list[str], bool]:
    """strptime formats that read the sampled text times, and whether any were Excel date cells."""
    cells = any(isinstance(v, dt.datetime | dt.date) for v in values)
    texts = [text(v) for v in values if isinstance(v, str) and text(v)]
    found = []
    for fmt in FORMATS:
        for t in texts:
            try:
                dt.datetime.strptime(t, fmt)
            except ValueError:
                continue
            found.append(fmt)
            break
    return found, cells


def _category(value: str) -> str | None:
    low = value.lower()
    for code, words in (("false", FALSE_WORDS), ("rescue", RESCUE_WORDS), ("assistance", ASSIST_WORDS),
                        ("fire", FIRE_WORDS)):
        if any(w in low for w in words):
            return code
    return None


def _q(value) -> str:
    """A YAML scalar: JSON strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def suggest_profile(rows: list, filename: str) -> str:
    """The draft profile (YAML text with Chinese comments) for a file's first rows."""
    at, height, header = _header(rows)
    data = [cells for _, cells in rows[at + 1:at + 1 + SAMPLE_ROWS] if any(text(v) for v in cells)]

    def sample(h: str) -> list:
        i = header.index(h)
        return [c[i] for c in data if i < len(c) and text(c[i])]

    call = {}
    units: dict[str, Unit] = {}
    for h in header:
        if not h:
            continue
        field_name = next((f for f, names in CALL_FIELDS.items() if _match(h, names)), None)
        if field_name:
            rank = [_key(n) for n in CALL_FIELDS[field_name]].index(_key(h))
            if field_name not in call or rank < call[field_name][0]:  # the most specific name wins
                call[field_name] = (rank, h)
            continue
        prefix, name = _split(h)
        tf = next((f for f, names in TIME_NAMES.items() if _match(name, names)), None)
        df = next((f for n, f in DURATION_NAMES.items() if _match(name, [n])), None)
        uf = next((f for f, names in UNIT_NAMES.items() if _match(name, names)), None)
        if df is None and not tf and not uf and ("用时" in name or "时长" in name):
            df = "arrived_at"
        if tf or df or uf:
            unit = units.setdefault(prefix, Unit(prefix))
            if tf and tf not in unit.times:
                unit.times[tf] = h
            elif df:
                unit.durations[h] = df
            elif uf:
                unit.names.setdefault(uf, h)
    call = {f: h for f, (_, h) in call.items()}
    if "received_at" not in call:
        raise ImportFileError(f"文件“{filename}”中没有可识别的接警时间列（如 立案时间、接警时间、Received DtTm），"
                              "无法起草映射配置。")
    chinese = any(re.search(r"[\u4e00-\u9fff]", h) for h in header)
    time_cols = [call["received_at"], *(h for u in units.values() for h in u.times.values())]
    formats, excel_cells = _formats([v for h in time_cols for v in sample(h)])

    out = [f"# 由 brigade profile suggest 根据“{filename}”的表头和前 {len(data)} 行起草。",
           f"# 标有“{TODO}”的地方请核对后修改，再用 brigade import 文件 --profile 本文件 --dry-run 预览。",
           f"title: {_q(f'{filename} 的映射配置（草稿）')}",
           f"time_zone: {'Asia/Shanghai' if chinese else 'Asia/Shanghai  # ' + TODO + '：文件中的时间按哪个时区理解'}",
           f"header_rows: {height}" + ("  # 表头占两行：列名读作“上一行/下一行”" if height == 2 else "")]
    if formats:
        out.append("datetime_formats:" + ("  # 另有 Excel 日期单元格，直接读取" if excel_cells else ""))
        out += [f"  - {_q(f)}" for f in formats]
    elif excel_cells:
        out.append("# 时间是 Excel 日期单元格，直接读取；文字时间按常见中文写法识别。")
    else:
        out.append(f"# {TODO}：没有从前几行识别出时间格式，按常见写法（2024-10-10 08:55:00、2024年10月10日 8:55 等）识别。")
    out += ["", "brigade:"]
    if "brigade" in call:
        out += [f"  column: {_q(call['brigade'])}", f"  create: false  # {TODO}：系统中没有的大队是否新建（true 新建）"]
    else:
        out += [f"  name: {_q('请填写大队名称')}  # {TODO}：文件中没有大队列，填写本大队名称",
                f"  create: false  # {TODO}：系统中没有该大队时是否新建"]
    out += ["", "incident:"]
    if "group_by" in call:
        out.append(f"  group_by: {_q(call['group_by'])}  # 同一编号的多行合并为一起警情")
    else:
        key = [call["received_at"]] + ([call["address"]] if "address" in call else [])
        out += [f"  # {TODO}：文件中没有警情编号列，以下列生成编号（重复导入不会重复新增）。",
                f"  key: {_q(key)}", "  key_prefix: \"HJ\""]
    out.append(f"  received_at: {_q(call['received_at'])}")
    for f in ("address", "street", "location"):
        if f in call:
            out.append(f"  {f}: {{column: {_q(call[f])}, optional: true}}")
    if "category" in call:
        values = sorted({text(v) for v in sample(call["category"])})
        guesses = {v: _category(v) for v in values}
        default = "fire" if "火" in call["category"] else "assistance"
        out += [f"  alarm_type: {{column: {_q(call['category'])}, optional: true}}", "  category:",
                f"    column: {_q(call['category'])}",
                f"    # {TODO}：前几行出现的类型及猜测的类别（fire 火灾扑救、rescue 抢险救援、assistance 社会救助、"
                "duty 安保勤务、\"false\" 虚假警）。", "    map:"]
        out += [f"      {_q(v)}: {_q(g)}" if g else f"      # {_q(v)}: ？  # {TODO}" for v, g in guesses.items()]
        if "category_group" in call:
            out.append(f"    fallback_column: {_q(call['category_group'])}")
        out.append(f"    default: {default}")
    if "real_alarm" in call:
        values = sorted({text(v) for v in sample(call["real_alarm"])})
        false = [v for v in values if any(w in v for w in ("虚", "假", "误"))]
        out += ["  real_alarm:", f"    column: {_q(call['real_alarm'])}",
                f"    false_values: {_q(false or ['虚警'])}" + ("" if false else f"  # {TODO}")]
    if "first_due" in call:
        values = [text(v) for v in sample(call["first_due"])]
        numeric = values and all(v.isdigit() for v in values)
        out += ["", "# 接处警系统记录的辖区站，作为各站统计的依据。", "first_due:",
                f"  column: {_q(call['first_due'])}",
                f"  name: {_q('{value}号站' if numeric else '{value}')}" + (f"  # {TODO}：站号与站名的对应" if numeric else ""),
                f"  create: false  # {TODO}：系统中没有的站是否导入时新建（true 新建）"]
    else:
        out += ["", f"# {TODO}：没有找到辖区站（所属队站）列；各站统计将按直线距离最近的站判定。"]

    out += ["", "units:"]
    if not units:
        out.append(f"  # {TODO}：没有找到出动单位的时间列（出动时间、到场时间……），请手工填写。")
    for prefix, u in units.items():
        label = prefix.strip("/ ") or ("车辆" if "vehicle" in u.names else "出动单位")
        micro = "微" in prefix
        fulltime = "专职" in prefix
        out.append(f"  - label: {_q(label)}")
        if micro or fulltime:
            out.append(f"    kind: {'micro' if micro else 'fulltime'}")
        if "vehicle" in u.names:
            out += ["    station: vehicle  # 出动站 = 车辆的所属站", "    vehicle:",
                    f"      column: {_q(u.names['vehicle'])}"]
            if "vehicle_kind" in u.names:
                out.append(f"      kind_column: {_q(u.names['vehicle_kind'])}")
            out.append(f"      default_kind: other  # {TODO}：车型与车辆类型代码的对应（kinds）")
        elif "station" in u.names:
            out += ["    station:", f"      column: {_q(u.names['station'])}",
                    f"      create: {'true' if micro else 'false'}  # {TODO}：系统中没有的单位是否新建"]
        elif micro:
            out += ["    station:", f"      # {TODO}：没有微站名称列，按所在街道命名。",
                    f"      default_name: {_q('{' + call['street'] + '}微型消防站' if 'street' in call else '微型消防站')}",
                    "      create: true"]
        else:
            out.append("    station: first_due  # 没有单位名称列：出动单位就是辖区站")
        times = dict(u.times)
        if not micro and "dispatched_at" not in times and "departed_at" in times and "vehicle" not in u.names \
                and "arrived_at" in times and any(f == "arrived_at" for f in u.durations.values()):
            # A station's own "出动时间" with its "到场用时": the order to go (到场用时 counts from it).
            times["dispatched_at"] = times.pop("departed_at")
            out.append(f"    # {TODO}：“{u.times['departed_at']}”按出动指令时间理解（到场用时自它起算）。")
        for f in ("dispatched_at", "departed_at", "arrived_at", "returned_at"):
            if f in times:
                out.append(f"    {f}: {_q(times[f])}")
        if u.durations:
            out.append("    durations:")
            for h, f in u.durations.items():
                start = {"arrived_at": "dispatched_at" if "dispatched_at" in times else "departed_at",
                         "departed_at": "dispatched_at"}[f]
                values = sample(h)
                numbers = values and all(isinstance(v, int | float) or text(v).replace(".", "", 1).isdigit()
                                         for v in values)
                kind = "秒数" if numbers else ("时长文字" if any(looks_like_duration(v) for v in values) else "")
                out.append(f"      {f}: {{column: {_q(h)}, from: {start}" + (", unit: seconds" if numbers else "")
                           + f", optional: true}}  # {kind}；{TODO}：起算时间")
    return "\n".join(out) + "\n"
