"""The detachment's work summary (支队工作总结): the brigade summary's composer and writers, the
detachment's template, a per-brigade table and problems and plan drawn from the comparison.

The figures of the detachment are computed from every brigade's records together (scope
``detachment``); the table and the problems come from ``brigade.metrics.compare``, each brigade's
figures from its own records. The analyses' findings over every brigade's records (overdue and
recurring hazards, coverage, equipment …) add to the problems and the plan, as in a brigade's summary.
"""

from pathlib import Path

from brigade.metrics.compare import MEASURE_BY_CODE, NO_DATA, Comparison, compare_brigades, value_text
from brigade.reports.compose import PLAN_ITEMS, PROBLEM_HEADINGS, _mark, lift_sources, template_context
from brigade.reports.document import Document
from brigade.reports.facts import ReportFacts
from brigade.reports.templating import render_document

TEMPLATE = "detachment.md.j2"
# The per-brigade table of the summary: the measures a page can hold (the .xlsx of
# ``brigade compare`` has them all).
TABLE_MEASURES = ("inspected_per_100_units", "rectified_on_time_pct", "hazards_overdue",
                  "p90_first_arrival_s", "within_standard_pct", "evaluation_avg")
# A brigade in the worse quarter of the detachment on at least this many measures is named.
LAGGING_MIN = 2


def _cell(brigade: str, code: str, value) -> str:
    text = NO_DATA if value is None else value_text(value)
    return _mark(text, (f"compare:{brigade}:{code}", value)) if value is not None else text


def brigade_table(c: Comparison) -> list[list[str]]:
    """Header, one row per brigade, the detachment's median."""
    header = ["大队"] + [f"{MEASURE_BY_CODE[code].label}（{MEASURE_BY_CODE[code].unit}）" for code in TABLE_MEASURES]
    rows = [header]
    for r in c.rows:
        rows.append([r.brigade] + [_cell(r.brigade, code, r.values[code]) for code in TABLE_MEASURES])
    rows.append(["全支队中位数"] + [_cell("中位数", code, c.stats[code]["median"]) for code in TABLE_MEASURES])
    return rows


def lagging(c: Comparison) -> list[tuple[str, list[str]]]:
    """Brigades in the worse quarter (below Q1 or above Q3, by the measure's direction) on several
    measures, with those measures' labels, most first."""
    out = []
    for r in c.rows:
        worse = []
        for code, value in r.values.items():
            s, m = c.stats[code], MEASURE_BY_CODE[code]
            if value is None or s["n"] < 4:
                continue
            if (m.better == "high" and value < s["q1"]) or (m.better == "low" and value > s["q3"]):
                worse.append(m.label)
        if len(worse) >= LAGGING_MIN:
            out.append((r.brigade, worse))
    return sorted(out, key=lambda item: -len(item[1]))


def detachment_context(facts: ReportFacts, c: Comparison) -> dict:
    ctx = template_context(facts)
    bad = [f for f in c.findings() if f.part.startswith("Q")]
    good = [f for f in c.findings() if f.part.startswith("N")]
    found = ctx["findings"]  # the detachment's own findings, by report slot
    own_problems = [f.statement for part in PROBLEM_HEADINGS for f in found(part)]
    own_plan = [f.statement for part, _, _ in PLAN_ITEMS for f in found(part)]
    behind = lagging(c)
    ctx.update({
        "title": facts.notes.get("title") or f"{facts.brigade_name}{facts.period.label}工作总结",
        "detachment": facts.brigade_name,
        "brigade_count": _mark(str(len(c.rows)), ("compare:brigades", len(c.rows))),
        "brigade_table": brigade_table(c),
        "problems": [_mark(f.statement, *((f"{f.code}:{k}", v) for k, v in f.metrics.items())) for f in bad],
        "lagging": [(name, "、".join(labels), _mark(str(len(labels)), (f"compare:{name}:落后项数", len(labels))))
                    for name, labels in behind],
        "good_practice": [_mark(f.statement, *((f"{f.code}:{k}", v) for k, v in f.metrics.items())) for f in good],
        "own_problems": own_problems,
        "own_plan": own_plan,
    })
    return ctx


def compose_detachment(facts: ReportFacts, *, override_dir: Path | None = None,
                       comparison: Comparison | None = None) -> Document:
    c = comparison or compare_brigades(facts.period)
    return render_document(TEMPLATE, detachment_context(facts, c), override_dir=override_dir,
                           sensitive_names=facts.sensitive_names, lift=lift_sources)
