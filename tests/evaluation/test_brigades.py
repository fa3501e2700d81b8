"""Two brigades in one database: each brigade's monthly evaluation is its own run, scoring and ranking
its own streets; evaluating one brigade never touches the other's results."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from brigade.core.errors import UserError
from brigade.evaluation import services as E
from brigade.evaluation.models import EvaluationRun, EvaluationScore

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def two(brigade):
    """测试大队: 九曲街道, 凤凰街道; 西山县大队: 九曲街道 (the same name) and 西山街道."""
    from brigade.org.models import Brigade, Street

    other = Brigade.objects.create(name="西山县大队")
    streets = {"A九曲": Street.objects.create(brigade=brigade, name="九曲街道", code="371312001"),
               "A凤凰": Street.objects.create(brigade=brigade, name="凤凰街道", code="371312002"),
               "B九曲": Street.objects.create(brigade=other, name="九曲街道", code="371322001"),
               "B西山": Street.objects.create(brigade=other, name="西山街道", code="371322002")}
    rubric = E.rubric_create(name="镇街考评（人工）", target="street", total_points=10,
                             items=[{"title": "消防安全委员会会议", "points": 10, "method": "manual"}])
    return {"A": brigade, "B": other, "rubric": rubric, **streets}


def _scores(run) -> dict:
    return {(s.street.name, s.street.brigade.name): (s.score, s.rank)
            for s in run.scores.select_related("street__brigade")}


def test_a_run_scores_and_ranks_one_brigades_streets(two):
    item = two["rubric"].items.get()
    E.manual_score_enter(item=item, month="2025-03", deducted=4, evidence="未开会", street=two["A凤凰"])
    E.manual_score_enter(item=item, month="2025-03", deducted=2, evidence="会议记录不全", street=two["B九曲"])
    a = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["A"])
    assert a.brigade == two["A"]
    assert _scores(a) == {("九曲街道", "测试大队"): (Decimal(10), 1), ("凤凰街道", "测试大队"): (Decimal(6), 2)}
    b = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade="西山县大队")
    # B's deduction on its own 九曲街道 is not A's, though the names are the same.
    assert _scores(b) == {("西山街道", "西山县大队"): (Decimal(10), 1), ("九曲街道", "西山县大队"): (Decimal(8), 2)}
    # Re-running A replaces A's run only: B's run and scores are as they were.
    kept = set(EvaluationScore.objects.filter(run=b).values_list("pk", "score", "rank"))
    again = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["A"])
    assert not EvaluationRun.objects.filter(pk=a.pk).exists()
    assert set(EvaluationRun.objects.values_list("pk", flat=True)) >= {again.pk, b.pk}
    assert set(EvaluationScore.objects.filter(run=b).values_list("pk", "score", "rank")) == kept


def test_the_trend_is_the_brigades_own_month_before(two):
    E.evaluation_run(rubric=two["rubric"], month="2025-02", brigade=two["B"])
    a = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["A"])
    assert {r.trend for r in E.evaluation_trend(run=a)} == {"上月无考评"}  # B's February is not A's
    b = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["B"])
    assert {r.trend for r in E.evaluation_trend(run=b)} == {"名次与上月持平"}


def test_a_run_needs_the_brigade_when_there_are_several(two):
    with pytest.raises(UserError, match="系统中有多个大队（测试大队、西山县大队），请用 --brigade 大队名称 指定为哪个大队考评"):
        E.evaluation_run(rubric=two["rubric"], month="2025-03")
    with pytest.raises(UserError, match="没有名为“东山大队”的大队"):
        E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade="东山大队")
    assert not EvaluationRun.objects.exists()


def test_the_command_evaluates_the_named_brigade(two, tmp_path):
    import docx

    with pytest.raises(UserError, match="请用 --brigade 大队名称"):
        call_command("evaluate", "--month", "2025-03")
    out = io.StringIO()
    call_command("evaluate", "--month", "2025-03", "--brigade", "西山县大队", "--rubric", "镇街考评（人工）",
                 "--docx", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "西山县大队2025年3月 镇街考评（人工）" in text and "西山街道" in text and "凤凰街道" not in text
    assert EvaluationRun.objects.get().brigade == two["B"]
    [path] = tmp_path.glob("*.docx")
    assert path.name == "考评通报_西山县大队_2025-03_镇街考评（人工）.docx"
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "西山县大队" in paragraphs and not any("凤凰街道" in p for p in paragraphs)


def test_the_evaluation_metrics_of_a_brigade_read_its_runs(two):
    from brigade.core.period import parse_period
    from brigade.core.scope import parse_scope
    from brigade.metrics.registry import compute

    E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["A"])
    E.evaluation_run(rubric=two["rubric"], month="2025-04", brigade=two["B"])
    E.evaluation_run(rubric=two["rubric"], month="2025-05", brigade=two["B"])
    year = parse_period("2025")
    months = {name: compute(year, parse_scope(f"brigade:{name}"), ["responsibility.evaluation_months"],
                            with_previous=False).value("responsibility.evaluation_months")
              for name in ("测试大队", "西山县大队")}
    assert months == {"测试大队": 1, "西山县大队": 2}


def test_the_report_page_lists_the_bulletins_of_the_brigades_in_scope(two):
    from django.contrib.auth.models import User
    from django.test import Client

    a = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["A"])
    b = E.evaluation_run(rubric=two["rubric"], month="2025-03", brigade=two["B"])
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password=None))
    page = client.get("/reports/?period=2025&scope=brigade:西山县大队").content.decode()
    assert f"/reports/evaluation/{b.pk}/" in page and f"/reports/evaluation/{a.pk}/" not in page
    assert "西山县大队 2025年03月 镇街考评（人工）" in page
    both = client.get("/reports/?period=2025&scope=detachment").content.decode()
    assert f"/reports/evaluation/{a.pk}/" in both and f"/reports/evaluation/{b.pk}/" in both
