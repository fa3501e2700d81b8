"""Evaluation figures (R4) and the findings that name the lowest-scoring streets (Q1, N1)."""

import datetime as dt
from decimal import Decimal

import pytest

from brigade.core.period import parse_period
from brigade.evaluation.findings import lowest_scored
from brigade.metrics.registry import compute

pytestmark = pytest.mark.django_db


def test_months_scores_and_lowest_streets(town, brigade):
    from brigade.evaluation.models import EvaluationRun, EvaluationScore, Rubric
    from brigade.org.models import Street

    Street.objects.create(brigade=brigade, name="丙街道")
    rubric = Rubric.objects.create(name="镇街考评", target="street", total_points=Decimal("100"))
    scores = {1: {"甲街道": 90, "乙镇": 70, "丙街道": 80}, 2: {"甲街道": 94, "乙镇": 76, "丙街道": 60}}
    for month, by_street in scores.items():
        run = EvaluationRun.objects.create(rubric=rubric, month=dt.date(2025, month, 1))
        ranked = sorted(by_street.items(), key=lambda kv: -kv[1])
        for rank, (name, score) in enumerate(ranked, start=1):
            EvaluationScore.objects.create(run=run, street=Street.objects.get(name=name), score=Decimal(score),
                                           deducted=Decimal(100 - score), rank=rank)
    table = compute(parse_period("2025"), codes=["responsibility.evaluation_months", "responsibility.street_score"])
    assert table.value("responsibility.evaluation_months") == 2
    assert table.value("responsibility.street_score") == 78.3  # (90+70+80+94+76+60) / 6
    findings = lowest_scored(parse_period("2025"), None)
    q1 = next(f for f in findings if f.part == "Q1")
    assert [e["镇街"] for e in q1.evidence] == ["丙街道", "乙镇", "甲街道"]
    assert "丙街道、乙镇、甲街道等镇街平均得分靠后（最低70.0分）" in q1.statement
