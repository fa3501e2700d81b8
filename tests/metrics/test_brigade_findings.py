"""Findings of one brigade of many: what it would find alone, naming nothing of the other brigade; the
detachment's summary and a brigade's summary both carry problems and a plan drawn from findings."""

import datetime as dt
from decimal import Decimal

import pytest

from brigade.core.findings import collect_findings, providers
from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, DETACHMENT, parse_scope
from tests.metrics.test_brigade_scopes import _other_brigade

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = parse_period("2025")


def _first_brigade_extras(town):
    """A street score, an overdue hazard that recurs and a case review, so the providers have work."""
    from brigade.evaluation.models import EvaluationRun, EvaluationScore, Rubric
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.supervision.models import Hazard

    run = EvaluationRun.objects.create(rubric=Rubric.objects.filter(target="street").first(), month=D(2025, 3, 1))
    for street, score in ((town["a"], "90"), (town["b"], "70")):
        EvaluationScore.objects.create(run=run, street=street, score=Decimal(score), deducted=100 - Decimal(score),
                                       rank=1)
    closed = Hazard.objects.filter(status="closed").first() or Hazard.objects.first()
    Hazard.objects.create(inspection=closed.inspection, unit=closed.unit, category=closed.category,
                          found_on=D(2025, 9, 1), description="再次出现", deadline=D(2025, 9, 10), status="ordered",
                          recurrence_of=closed)
    kind, _ = ActivityKind.objects.get_or_create(code="case_review", defaults={"name": "执法质量自查和案卷讲评"})
    Activity.objects.create(occurred_on=D(2025, 6, 1), kind=kind, values={"count": 2}, street=town["a"])


def _other_brigades_names(other) -> set[str]:
    from brigade.org.models import Department, Station, Street
    from brigade.units.models import SocialUnit

    names = {other.name}
    for model, path in ((Street, "brigade"), (Station, "brigade"), (Department, "brigade"),
                        (SocialUnit, "street__brigade")):
        names |= set(model.objects.filter(**{path: other}).values_list("name", flat=True))
    return {n for n in names if len(n) >= 3}


def _text(findings) -> str:
    return "\n".join(f"{f.statement} {f.evidence} {f.metrics}" for f in findings)


def test_one_brigades_findings_are_its_own(town, brigade):
    _first_brigade_extras(town)
    alone = collect_findings(YEAR, BRIGADE)
    assert {f.part[0] for f in alone} == {"Q", "N"} and len(providers()) >= 13
    other = _other_brigade()
    mine = collect_findings(YEAR, parse_scope(f"brigade:{brigade.name}"))
    assert mine == alone
    text = _text(mine)
    assert not [n for n in _other_brigades_names(other) if n in text]
    # The other brigade's own findings are there for it, and name nothing of the first.
    theirs = _text(collect_findings(YEAR, parse_scope(f"brigade:{other.name}")))
    assert not [n for n in ("甲街道", "乙镇", "测试物流有限公司") if n in theirs]


def test_both_summaries_carry_problems_and_plan_from_findings(town, brigade):
    from brigade.reports.service import report_document

    _first_brigade_extras(town)
    other = _other_brigade()
    for scope in (DETACHMENT, parse_scope(f"brigade:{brigade.name}")):
        document, _ = report_document(period=YEAR, scope=scope)
        blocks = [b.text for b in document.blocks]
        problems = blocks.index(next(t for t in blocks if t.startswith("二、存在的问题")))
        plan = blocks.index(next(t for t in blocks if t.startswith("三、")))
        found = collect_findings(YEAR, scope)
        for part, (start, end) in (("Q", (problems, plan)), ("N", (plan, len(blocks)))):
            section = "\n".join(blocks[start:end])
            statements = [f.statement for f in found if f.part.startswith(part)]
            assert statements, (scope.key, part)
            assert all(s in section for s in statements), (scope.key, part)
        if scope.kind == "brigades":
            assert not [n for n in _other_brigades_names(other) if n in "\n".join(blocks)]
