"""Value mappings: what a brigade's own ledger writes in a column → the value Brigade has.

A mapping comes from three places: remembered ones (``ValueMapping`` rows, per ledger and source),
a mapping file the user edited (``--mapping map.yaml``), or the rows the user accepted on the web
page. Only accepted entries are ever used; a suggestion the user did not accept stays a suggestion.

The mapping file, as ``--suggest-mapping`` writes it::

    台账: hydrant
    来源: 九曲街道办          # optional: remembered for files from this source only
    对照:
    - 列: 类型
      原值: 地下
      改为: 地下式消火栓
      接受: 否               # 是 = use it
      建议: 名称包含，置信度 0.87；3,105 行
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from brigade.core.errors import UserError
from brigade.io.cells import CellError, clean_text, parse_bool

FILE_KEYS = {"台账", "来源", "对照"}
ENTRY_KEYS = {"列", "原值", "改为", "接受", "建议", "行数"}


class MappingFileError(UserError):
    """A mapping file that cannot be used; the message names the file and line."""


@dataclass
class Entry:
    column: str  # the ledger's column header
    value: str  # as the file writes it (clean_text)
    target: str
    line: int = 0  # in the mapping file (0 = not from a file)
    remembered: bool = False


@dataclass
class ValueMap:
    """Accepted entries by column header and value; ``used`` counts the cells each entry changed."""

    source: str = ""
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    used: dict[tuple[str, str], int] = field(default_factory=dict)
    origin: str = ""  # the mapping file's name, for messages

    def add(self, entry: Entry) -> None:
        if entry.value == entry.target:  # "新城街道" → itself (to be created): nothing to translate or remember
            self.entries.pop((entry.column, entry.value), None)
            return
        self.entries[(entry.column, entry.value)] = entry

    def by_column(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for (column, value), e in self.entries.items():
            out.setdefault(column, {})[value] = e.target
        return out

    def __bool__(self):
        return bool(self.entries)


# ---------------------------------------------------------------------------------------------
# Remembered mappings


def remembered(ledger_name: str, source: str = "") -> ValueMap:
    """The accepted mappings of this ledger: those for any source, then those of ``source`` (they win)."""
    from brigade.io.models import ValueMapping

    vmap = ValueMap(source=source)
    rows = ValueMapping.objects.filter(ledger=ledger_name, source__in={"", source})
    for m in rows.order_by("source"):  # "" first, so a source's own mapping replaces the general one
        vmap.add(Entry(m.column, clean_text(m.value), m.target, remembered=True))
    return vmap


def remember(ledger_name: str, vmap: ValueMap) -> int:
    """Store the entries used in a successful import (new or changed ones; counts for the others)."""
    from django.db.models import F

    from brigade.io.models import ValueMapping

    stored = 0
    for key, e in vmap.entries.items():
        uses = vmap.used.get(key, 0)
        if e.remembered:
            if uses:
                ValueMapping.objects.filter(ledger=ledger_name, source__in={"", vmap.source}, column=e.column,
                                            value=e.value).update(uses=F("uses") + 1)
            continue
        ValueMapping.objects.update_or_create(ledger=ledger_name, source=vmap.source, column=e.column,
                                              value=e.value, defaults={"target": e.target, "uses": 1 if uses else 0})
        stored += 1
    return stored


# ---------------------------------------------------------------------------------------------
# The mapping file


def read_mapping_file(path: str | Path, *, ledger) -> ValueMap:
    """The accepted entries of a mapping file; a malformed one is refused with its line named."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        raise MappingFileError(f"找不到值对照文件“{path}”。") from None
    except UnicodeDecodeError:
        raise MappingFileError(f"值对照文件“{name}”不是 UTF-8 编码的文本文件。") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise MappingFileError(f"值对照文件“{name}”{where}格式有误（不是有效的 YAML）。") from None

    def fail(node, message):
        raise MappingFileError(f"值对照文件“{name}”第{node.start_mark.line + 1}行：{message}")

    if not isinstance(root, yaml.MappingNode):
        raise MappingFileError(f"值对照文件“{name}”应以“台账:”“对照:”开头（可用 --suggest-mapping 生成）。")
    vmap = ValueMap(origin=name)
    entries = None
    for key_node, value_node in root.value:
        key = str(key_node.value)
        if key not in FILE_KEYS:
            fail(key_node, f"不认识的项“{key}”（可用：{'、'.join(sorted(FILE_KEYS))}）。")
        if key == "台账":
            named = clean_text(value_node.value)
            if named not in (ledger.name, ledger.title):
                fail(value_node, f"这份对照表是“{named}”台账的，不是“{ledger.title}”（{ledger.name}）的。")
        elif key == "来源":
            vmap.source = clean_text(value_node.value if value_node.tag != "tag:yaml.org,2002:null" else "")
        else:
            entries = value_node
    if entries is None or not isinstance(entries, yaml.SequenceNode):
        raise MappingFileError(f"值对照文件“{name}”中没有“对照:”列表。")
    headers = {c.header for c in ledger.import_columns}
    for item in entries.value:
        if not isinstance(item, yaml.MappingNode):
            fail(item, "每一项应包含“列”“原值”“改为”“接受”。")
        fields = {}
        for k, v in item.value:
            if str(k.value) not in ENTRY_KEYS:
                fail(k, f"不认识的项“{k.value}”（可用：列、原值、改为、接受）。")
            fields[str(k.value)] = v
        for required in ("列", "原值", "改为"):
            if required not in fields:
                fail(item, f"缺少“{required}”。")
        column = clean_text(fields["列"].value)
        if column not in headers:
            fail(fields["列"], f"“{ledger.title}”台账没有“{column}”列。")
        accepted = False
        if "接受" in fields:
            try:
                accepted = parse_bool(fields["接受"].value)
            except CellError:
                fail(fields["接受"], f"“接受”应填“是”或“否”，写的是“{fields['接受'].value}”。")
        target = clean_text(fields["改为"].value) if fields["改为"].tag != "tag:yaml.org,2002:null" else ""
        if accepted and not target:
            fail(fields["改为"], f"“{fields['原值'].value}”已接受，但“改为”是空的。")
        if accepted:
            vmap.add(Entry(column, clean_text(fields["原值"].value), target, line=fields["改为"].start_mark.line + 1))
    return vmap


def write_suggestions(path: str | Path, report, *, ledger, source: str = "") -> int:
    """The mapping file for the values the dry run did not know, each with its best suggestion, not accepted."""
    q = lambda v: json.dumps(str(v), ensure_ascii=False)  # noqa: E731 - a JSON string is a YAML string
    lines = [
        f"# 值对照表：“{ledger.title}”台账，文件“{report.filename}”。",
        "# 每一项是文件里的一个值：“改为”是系统中的值（已填上最可能的建议，可改写）。",
        "# 把“接受”改为“是”才会使用；不同意的项保持“否”或删去。导入时：",
        f"#   brigade import 文件 --ledger {ledger.name} --mapping 本文件",
        "# 导入成功后，接受的对照会被记住，下次同一来源的文件自动使用（可在管理后台“导入值对照”中修改）。",
        f"台账: {ledger.name}",
        f"来源: {q(source)}",
        "对照:",
    ]
    for u in report.unmatched:
        best = u.suggestions[0] if u.suggestions else None
        lines += [f"- 列: {q(u.column)}", f"  原值: {q(u.value)}",
                  f"  改为: {q(best.target) if best else 'null'}", "  接受: 否"]
        note = "；".join(s.text() for s in u.suggestions) or "没有相近的值，请填写“改为”"
        lines.append(f"  建议: {q(f'{note}；{u.count:,} 行')}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(report.unmatched)
