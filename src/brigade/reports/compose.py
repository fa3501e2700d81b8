"""Write the work summary: facts → template (Jinja2, overridable) → Document, every figure traced.

Template functions wrap each figure they print in invisible markers; after rendering, the markers
are lifted off each block into ``Block.sources`` so ``--explain`` can show, per sentence, the
metric codes and values it used, and a test can check that every number printed is one of them.
"""

import re
from pathlib import Path

from brigade.metrics.registry import MetricTable, get_metric
from brigade.reports.document import Document
from brigade.reports.facts import ReportFacts
from brigade.reports.numbers import count_phrase, fmt_duration, fmt_money, fmt_percent, yoy_phrase
from brigade.reports.templating import render_document
from brigade.response.metrics.times import percentile_code
from brigade.response.rules import percentiles, share_words

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}")

# How the summary names each incident category (the seed's older 公务执勤 for duty calls).
INCIDENT_CATEGORIES = (("response.fire", "火灾扑救"), ("response.rescue", "抢险救援"),
                       ("response.assistance", "社会救助"), ("response.duty", "公务执勤"),
                       ("response.false", "虚假警"))
# Part 2 headings by finding slot, in the order the summary lists them.
PROBLEM_HEADINGS = {
    "Q1": "消防安全责任落实仍有差距",
    "Q2": "灭火救援力量布局与辖区发展不相适应",
    "Q3": "市政消防水源建设滞后",
    "Q4": "消防车辆装备更新不及时",
    "Q5": "火灾隐患反复出现、整治不彻底",
    "Q6": "群众消防安全意识有待提高",
}
# Part 3: slot, heading and the standing commitment; the slot's findings (e.g. proposed station
# sites) follow the commitment as the analysis that backs it.
PLAN_ITEMS = (
    ("N1", "持续压实消防安全责任", "坚持月度考评、通报和函告制度，对考评靠后的镇街和部门加强督导。"),
    ("N2", "精准开展隐患排查整治", "按场所类别和区域分析隐患分布，分类施策，紧盯反复出现的隐患，防止反弹。"),
    ("N3", "补齐消防基础设施短板", "统筹推进消防救援站、市政消火栓和取水点建设，逐步更新老旧消防车辆和装备。"),
    ("N4", "提升执法规范化水平", "坚持案卷评查和执法质量考评，规范执法行为，优化执法服务。"),
    ("N5", "深化消防宣传教育培训", "面向重点人群和火灾多发区域开展针对性宣传培训，提升全民消防安全素质。"),
)


# Order of the plan items within a part (others follow in the findings' own order).
PLAN_ORDER = {code: i for i, code in enumerate((
    "evaluation.focus.street", "evaluation.focus.department", "plan.recurring_focus",
    "planning.station_siting", "planning.hydrant_siting", "planning.vehicles_due", "planning.siting_missing",
    "plan.case_review", "publicity.focus_streets",
))}


def _mark(text: str, *sources: tuple[str, object]) -> str:
    tags = ";".join(f"{code}={value}" for code, value in sources)
    return f"{text}{MARK_OPEN}{tags}{MARK_CLOSE}"


class Figures:
    """The template's view of the metric table; every printed figure carries its source."""

    def __init__(self, table: MetricTable):
        self.table = table

    def _value(self, code: str):
        if code not in self.table.values:
            get_metric(code)  # raises a clear error for a misspelt code
        return self.table[code]

    def has(self, *codes: str) -> bool:
        return any((self._value(code).value or 0) > 0 for code in codes)

    def n(self, code: str) -> str:
        mv = self._value(code)
        unit = mv.metric.unit
        if unit == "元":
            text = fmt_money(mv.value)
        elif unit == "秒":
            text = fmt_duration(mv.value)
        elif unit == "%":
            text = fmt_percent(mv.value)
        else:
            text = count_phrase(mv.value, unit)
        return _mark(text, (code, mv.value))

    def num(self, code: str) -> str:
        mv = self._value(code)
        return _mark(count_phrase(mv.value, ""), (code, mv.value))

    def yoy(self, code: str) -> str:
        mv = self._value(code)
        if not self.table.has_previous_data:
            return ""  # the system holds no records for a year earlier: no comparison to make
        phrase = yoy_phrase(mv.value, mv.previous, mv.metric.unit)
        return _mark(f"，{phrase}", (f"{code}@去年同期", mv.previous)) if phrase else ""


def template_context(facts: ReportFacts) -> dict:
    figures = Figures(facts.metrics)
    by_part: dict[str, list] = {}
    for finding in facts.findings:
        by_part.setdefault(finding.part, []).append(finding)

    def findings(part: str) -> list:
        rows = by_part.get(part, [])
        if part.startswith("N"):  # a plan reads best from the largest measure down: sites, hydrants, vehicles
            rows = sorted(rows, key=lambda f: PLAN_ORDER.get(f.code, len(PLAN_ORDER)))
        return [MarkedFinding(f) for f in rows]

    period = facts.period
    next_label = f"{int(period.key[:4]) + 1}年" if period.kind == "year" else "下一阶段"
    title = facts.notes.get("title") or f"{facts.brigade_name}{period.label}工作总结"
    if facts.scope.kind not in ("brigade", "detachment") and not (
            facts.scope.kind == "brigades" and len(facts.scope.brigade_ids) == 1):
        title = facts.notes.get("title") or f"{facts.brigade_name}{facts.scope.label}{period.label}工作总结"
    return {
        "title": title,
        "brigade": facts.brigade_name,
        "scope": facts.scope,
        "period": period,
        "next_label": next_label,
        "notes": facts.notes,
        "honours": facts.honours,
        "campaigns": [_marked_campaign(c) for c in facts.campaigns],
        "has": figures.has,
        "n": figures.n,
        "num": figures.num,
        "yoy": figures.yoy,
        "findings": findings,
        "incident_categories": INCIDENT_CATEGORIES,
        # (metric code, words) of total response at each configured percentile: 一半, 九成 as shipped.
        "response_percentiles": [(percentile_code(q, "total_response"), share_words(q)) for q in percentiles()],
        "problem_parts": [(part, heading) for part, heading in PROBLEM_HEADINGS.items() if by_part.get(part)],
        "plan_parts": PLAN_ITEMS,
    }


class MarkedFinding:
    """A finding as the template sees it: its statement carries the figures it rests on."""

    def __init__(self, finding):
        self.finding = finding
        figures = [(f"{finding.code}:{k}", v) for k, v in finding.metrics.items()]
        # The evidence rows (stations, roads, vehicles) are the data behind the statement too.
        figures += [(f"{finding.code}:证据{i + 1}.{k}", v) for i, row in enumerate(finding.evidence)
                    for k, v in row.items() if isinstance(v, int | float) and not isinstance(v, bool)]
        self.statement = _mark(finding.statement, *figures)


def _marked_campaign(c: dict) -> dict:
    marked = dict(c)
    # A name that already holds quotation marks gets the inner ones as single quotes (‘’).
    marked["quoted"] = "“{}”".format(c["name"].replace("“", "‘").replace("”", "’"))
    for key in ("units_inspected", "hazards_rectified", "units_penalised"):
        marked[key] = _mark(str(c[key]), (f"campaign:{c['name']}:{key}", c[key]))
    return marked


def lift_sources(text: str) -> tuple[str, dict[str, object]]:
    """Remove the markers from a rendered line and return them as {source: value}."""
    sources: dict[str, object] = {}
    for tags in _MARK.findall(text):
        for tag in filter(None, tags.split(";")):
            key, _, value = tag.partition("=")
            sources[key] = value
    return _MARK.sub("", text), sources


def compose_summary(facts: ReportFacts, *, template: str = "summary.md.j2",
                    override_dir: Path | None = None) -> Document:
    return render_document(template, template_context(facts), override_dir=override_dir,
                           sensitive_names=facts.sensitive_names, lift=lift_sources)
