"""Migration 0004: a run made for the whole detachment (brigade empty), or a brigade's run holding
other brigades' scores, becomes one run per brigade, each brigade's streets ranked again among
themselves; planning 0003: an analysis of no one brigade is removed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("evaluation", "0003_record_brigade"), ("planning", "0002_record_brigade")]
AFTER = [("evaluation", "0004_run_per_brigade"), ("planning", "0003_run_per_brigade")]


@pytest.fixture
def back_to_the_leaves():
    """Whatever happens, the schema ends at the latest migrations, as the other tests expect it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Transactional (the migrations run outside a test transaction); the flush that ends it empties the
# rows the migrations seeded, which tests.conftest.ensure_reference_data puts back for later tests.
@pytest.mark.django_db(transaction=True)
def test_detachment_runs_are_split_per_brigade_and_mixed_analyses_removed(back_to_the_leaves):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Brigade, Street = apps.get_model("org", "Brigade"), apps.get_model("org", "Street")
    Rubric = apps.get_model("evaluation", "Rubric")
    Run, Score = apps.get_model("evaluation", "EvaluationRun"), apps.get_model("evaluation", "EvaluationScore")
    AnalysisRun = apps.get_model("planning", "AnalysisRun")
    a, b = Brigade.objects.create(name="甲大队"), Brigade.objects.create(name="乙大队")
    streets = [Street.objects.create(brigade=owner, name=name) for owner, name in
               ((a, "甲一街道"), (a, "甲二街道"), (b, "乙一街道"))]
    rubric = Rubric.objects.create(name="迁移测试细则", target="street", total_points=100)
    mixed = Run.objects.create(rubric=rubric, month=dt.date(2025, 3, 1))
    for street, score, rank in zip(streets, (70, 60, 90), (2, 3, 1), strict=True):
        Score.objects.create(run=mixed, street=street, score=Decimal(score), deducted=Decimal(100 - score), rank=rank)
    # April: 甲's run holding 乙's score (as the demo detachment once built them); 乙 has its own run
    # already for May, where the detachment's score of the same street gives way to 乙's own.
    april = Run.objects.create(rubric=rubric, month=dt.date(2025, 4, 1), brigade=a)
    for street, score, rank in zip(streets, (50, 80, 95), (3, 2, 1), strict=True):
        Score.objects.create(run=april, street=street, score=Decimal(score), deducted=Decimal(100 - score), rank=rank)
    may_b = Run.objects.create(rubric=rubric, month=dt.date(2025, 5, 1), brigade=b)
    Score.objects.create(run=may_b, street=streets[2], score=Decimal(66), deducted=Decimal(34), rank=1)
    may = Run.objects.create(rubric=rubric, month=dt.date(2025, 5, 1))
    Score.objects.create(run=may, street=streets[2], score=Decimal(11), deducted=Decimal(89), rank=2)
    Score.objects.create(run=may, street=streets[0], score=Decimal(77), deducted=Decimal(23), rank=1)
    AnalysisRun.objects.create(kind="coverage", name="全库覆盖")
    AnalysisRun.objects.create(kind="coverage", name="甲覆盖", brigade=a)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Run, Score = apps.get_model("evaluation", "EvaluationRun"), apps.get_model("evaluation", "EvaluationScore")
    assert sorted((r.brigade_id, r.month.month) for r in Run.objects.all()) == [
        (a.pk, 3), (a.pk, 4), (a.pk, 5), (b.pk, 3), (b.pk, 4), (b.pk, 5)]
    ranked = {(s.run.month.month, s.run.brigade_id, s.street.name): (int(s.score), s.rank)
              for s in Score.objects.select_related("run", "street")}
    assert ranked == {(3, a.pk, "甲一街道"): (70, 1), (3, a.pk, "甲二街道"): (60, 2), (3, b.pk, "乙一街道"): (90, 1),
                      (4, a.pk, "甲一街道"): (50, 2), (4, a.pk, "甲二街道"): (80, 1), (4, b.pk, "乙一街道"): (95, 1),
                      (5, a.pk, "甲一街道"): (77, 1), (5, b.pk, "乙一街道"): (66, 1)}
    assert list(apps.get_model("planning", "AnalysisRun").objects.values_list("name", flat=True)) == ["甲覆盖"]
