"""The risk rubric: YAML text → weights, refused with the line named when anything is wrong.

The shipped default is ``data/rubric.yaml``; a brigade's own version is a ``RiskRubric`` row
edited in the admin. Parsing walks YAML's node tree (not plain dicts) so that every complaint can
say on which line the bad value is.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from brigade.analysis.risk import COUNT_FACTORS, CountWeight, RiskWeights
from brigade.core.errors import UserError
from brigade.units.models import SiteCategory

DEFAULT_PATH = Path(__file__).parent / "data" / "rubric.yaml"

BAD_YAML = "第{line}行：细则不是有效的 YAML（{problem}）。"
NOT_MAPPING = "第{line}行：“{where}”应为“名称: 值”的列表。"
UNKNOWN_KEY = "第{line}行：“{where}”下没有“{key}”这一项，可用：{allowed}。"
MISSING_KEY = "第{line}行：“{where}”缺少“{key}”。"
NOT_NUMBER = "第{line}行：“{where}”应为数字，收到“{value}”。"
NOT_POSITIVE_INT = "第{line}行：“{where}”应为正整数，收到“{value}”。"
NEGATIVE = "第{line}行：“{where}”不能为负数，收到“{value}”。"
UNKNOWN_CATEGORY = "第{line}行：场所类别“{value}”不存在（可用代码或中文名称，如 hazmat 或 易燃易爆危险品场所）。"
NO_SOURCE = "第{line}行：“{where}”须注明依据（source）。"
THRESHOLD_ORDER = "第{line}行：高风险分数线（{high}）应高于中风险分数线（{medium}）。"

FACTOR_LABELS = {
    "open": "未整改隐患", "overdue": "逾期隐患", "major": "重大火灾隐患", "recurring": "复发隐患",
    "enforcement": "执法处理", "self_inspections": "单位自查", "incidents": "警情",
}


class RubricError(UserError):
    pass


@dataclass(frozen=True)
class Rubric:
    name: str
    weights: RiskWeights
    checks_per_officer: int
    repeat_window_months: int
    key_unit_cycle_months: int
    sources: dict[str, str] = field(default_factory=dict)

    def months(self, factor: str) -> int | None:
        w = self.weights.counts.get(factor)
        return w.months if w else None


def _line(node) -> int:
    return node.start_mark.line + 1


def _mapping(node, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise RubricError(NOT_MAPPING.format(line=_line(node), where=where))
    out = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if allowed and key not in allowed:
            raise RubricError(UNKNOWN_KEY.format(line=_line(key_node), where=where, key=key, allowed="、".join(allowed)))
        out[key] = value_node
    for key in required:
        if key not in out:
            raise RubricError(MISSING_KEY.format(line=_line(node), where=where, key=key))
    return out


def _number(node, where: str, *, negative_ok: bool = False) -> float:
    text = node.value if isinstance(node, yaml.ScalarNode) else "…"
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise RubricError(NOT_NUMBER.format(line=_line(node), where=where, value=text)) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RubricError(NOT_NUMBER.format(line=_line(node), where=where, value=text))
    if value < 0 and not negative_ok:
        raise RubricError(NEGATIVE.format(line=_line(node), where=where, value=text))
    return value


def _months(node, where: str) -> int:
    value = _number(node, where)
    if value != int(value) or value <= 0:
        raise RubricError(NOT_POSITIVE_INT.format(line=_line(node), where=where, value=node.value))
    return int(value)


def _source(nodes: dict, node, where: str) -> str:
    src = nodes.get("source")
    text = str(src.value).strip() if isinstance(src, yaml.ScalarNode) else ""
    if not text:
        raise RubricError(NO_SOURCE.format(line=_line(node), where=where))
    return text


def _category_code(text: str) -> str | None:
    by_label = {label: code for code, label in SiteCategory.choices}
    return text if text in SiteCategory.values else by_label.get(text)


@lru_cache(maxsize=8)  # a regrade after every saved inspection or hazard reads the same text
def parse_rubric(text: str) -> Rubric:
    """The rubric in ``text``; :class:`RubricError` names the line of the first problem."""
    try:
        root = yaml.compose(text or "", Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        raise RubricError(BAD_YAML.format(line=line, problem=getattr(exc, "problem", None) or exc)) from None
    if root is None:
        raise RubricError(MISSING_KEY.format(line=1, where="细则", key="thresholds"))
    top = _mapping(root, "细则", ("name", "thresholds", "categories", "key_unit", "factors", "travel",
                                  "since_inspection", "draw"),
                   ("thresholds", "categories", "key_unit", "factors", "travel", "since_inspection", "draw"))
    sources: dict[str, str] = {}

    th = _mapping(top["thresholds"], "thresholds", ("high", "medium", "source"), ("high", "medium"))
    high, medium = _number(th["high"], "thresholds.high"), _number(th["medium"], "thresholds.medium")
    if high <= medium:
        raise RubricError(THRESHOLD_ORDER.format(line=_line(th["high"]), high=f"{high:g}", medium=f"{medium:g}"))
    sources["thresholds"] = _source(th, top["thresholds"], "thresholds")

    cats = _mapping(top["categories"], "categories", ())
    category_points = {}
    for key_node, value_node in top["categories"].value:
        name = str(key_node.value)
        if name == "source":
            continue
        code = _category_code(name)
        if code is None:
            raise RubricError(UNKNOWN_CATEGORY.format(line=_line(key_node), value=name))
        category_points[code] = _number(value_node, f"categories.{name}")
    sources["categories"] = _source(cats, top["categories"], "categories")

    key = _mapping(top["key_unit"], "key_unit", ("points", "source"), ("points",))
    key_points = _number(key["points"], "key_unit.points")
    sources["key_unit"] = _source(key, top["key_unit"], "key_unit")

    factors = _mapping(top["factors"], "factors", COUNT_FACTORS)
    counts = {}
    for name, node in factors.items():
        f = _mapping(node, f"factors.{name}", ("per", "cap", "months", "source"), ("per", "cap"))
        months = _months(f["months"], f"factors.{name}.months") if "months" in f else None
        counts[name] = CountWeight(per=_number(f["per"], f"factors.{name}.per", negative_ok=True),
                                   cap=_number(f["cap"], f"factors.{name}.cap"), months=months)
        sources[f"factors.{name}"] = _source(f, node, f"factors.{name}")

    tr = _mapping(top["travel"], "travel", ("free_minutes", "per_minute", "cap", "source"),
                  ("free_minutes", "per_minute", "cap"))
    sources["travel"] = _source(tr, top["travel"], "travel")
    si = _mapping(top["since_inspection"], "since_inspection", ("free_months", "per_month", "cap", "never", "source"),
                  ("free_months", "per_month", "cap", "never"))
    sources["since_inspection"] = _source(si, top["since_inspection"], "since_inspection")

    dr = _mapping(top["draw"], "draw", ("checks_per_officer", "repeat_window_months", "key_unit_cycle_months",
                                        "weights", "source"),
                  ("checks_per_officer", "repeat_window_months", "key_unit_cycle_months", "weights"))
    w = _mapping(dr["weights"], "draw.weights", ("high", "medium", "low"), ("high", "medium", "low"))
    sources["draw"] = _source(dr, top["draw"], "draw")

    weights = RiskWeights(
        category_points=category_points, key_unit_points=key_points, counts=counts,
        travel_free_minutes=_number(tr["free_minutes"], "travel.free_minutes"),
        travel_per_minute=_number(tr["per_minute"], "travel.per_minute"), travel_cap=_number(tr["cap"], "travel.cap"),
        since_free_months=_number(si["free_months"], "since_inspection.free_months"),
        since_per_month=_number(si["per_month"], "since_inspection.per_month"),
        since_cap=_number(si["cap"], "since_inspection.cap"),
        never_inspected_points=_number(si["never"], "since_inspection.never"),
        high_at=high, medium_at=medium,
        draw_weights={k: _number(v, f"draw.weights.{k}") for k, v in w.items()},
    )
    name = str(top["name"].value).strip() if "name" in top else "风险分级细则"
    return Rubric(
        name=name, weights=weights, sources=sources,
        checks_per_officer=_months(dr["checks_per_officer"], "draw.checks_per_officer"),
        repeat_window_months=int(_number(dr["repeat_window_months"], "draw.repeat_window_months")),
        key_unit_cycle_months=_months(dr["key_unit_cycle_months"], "draw.key_unit_cycle_months"),
    )


@lru_cache(maxsize=1)
def default_text() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")
