"""Monthly evaluation: a rubric scored by hand on a small fixture and compared with the program."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from brigade.evaluation import services as E
from brigade.evaluation.models import EvaluationRun, ManualScore, Rubric, RubricItem
from brigade.evaluation.notice import evaluation_notice, evaluation_write_notice
from brigade.evaluation.services import EvaluationError
from brigade.supervision import services as S
from tests.conftest import make_credit_code

D = dt.date

ITEMS = [
    {"title": "检查指导单位不少于2家次", "points": 30, "method": "metric",
     "metric_code": "supervision.units_inspected", "comparison": "gte", "threshold": 2, "per_unit": 10},
    {"title": "逾期未改隐患不多于0处", "points": 40, "method": "metric",
     "metric_code": "supervision.hazards_overdue", "comparison": "lte", "threshold": 0, "per_unit": 15},
    {"title": "消防安全委员会会议", "points": 30, "method": "manual"},
]


SEEDED_ITEMS = 9  # the example rubrics of migration 0002


def test_seeded_example_rubrics_are_valid(db):
    from brigade.metrics.registry import all_metrics

    for rubric in Rubric.objects.all():
        items = list(rubric.items.all())
        assert sum(i.points for i in items) == rubric.total_points
        for item in items:
            if item.method == "metric":
                assert rubric.target in all_metrics()[item.metric_code].scopes


@pytest.fixture
def streets(street, brigade):
    from brigade.org.models import Street

    return {"九曲街道": street,
            "凤凰街道": Street.objects.create(brigade=brigade, name="凤凰街道", code="371312002"),
            "东城街道": Street.objects.create(brigade=brigade, name="东城街道", code="371312003")}


@pytest.fixture
def march(streets, unit):
    """九曲: 3 inspections, 1 overdue hazard. 凤凰: 1 inspection, 3 overdue hazards. 东城: nothing."""
    from brigade.supervision.models import Inspection
    from brigade.units.models import SocialUnit

    for day in (D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 17)):
        Inspection.objects.create(unit=unit, inspected_on=day, kind="random")
    h = S.hazard_record(inspection=unit.inspections.get(inspected_on=D(2025, 3, 3)), category="fire_lane")
    S.hazard_order(hazard=h, ordered_on=D(2025, 3, 3), deadline=D(2025, 3, 10))
    mall = SocialUnit.objects.create(name="凤凰商场", credit_code=make_credit_code(2), site_category="retail",
                                     street=streets["凤凰街道"])
    inspection = Inspection.objects.create(unit=mall, inspected_on=D(2025, 3, 5), kind="random")
    for category in ("evacuation", "facility", "extinguisher"):
        h = S.hazard_record(inspection=inspection, category=category)
        S.hazard_order(hazard=h, ordered_on=D(2025, 3, 5), deadline=D(2025, 3, 10))
    return streets


@pytest.fixture
def rubric(db):
    return E.rubric_create(name="镇街消防工作考评细则", target="street", total_points=100, items=ITEMS)


def test_rubric_points_must_add_up_to_the_total(db):
    items = [dict(i) for i in ITEMS]
    items[2]["points"] = 20
    with pytest.raises(EvaluationError) as info:
        E.rubric_create(name="错误细则", target="street", total_points=100, items=items)
    assert str(info.value) == E.RUBRIC_POINTS_MISMATCH.format(sum="90", total="100")
    assert info.value.field == "total_points"
    assert not Rubric.objects.filter(name="错误细则").exists()
    assert RubricItem.objects.count() == SEEDED_ITEMS


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"points": 0}, "points", E.ITEM_POINTS_NOT_POSITIVE.format(title="检查指导单位不少于2家次")),
        ({"metric_code": "no.such"}, "metric_code",
         E.ITEM_UNKNOWN_METRIC.format(title="检查指导单位不少于2家次", code="no.such")),
        ({"threshold": None}, "metric_code", E.ITEM_METRIC_INCOMPLETE.format(title="检查指导单位不少于2家次")),
        ({"method": "guess"}, "method", E.ITEM_BAD_METHOD.format(title="检查指导单位不少于2家次", value="guess")),
    ],
)
def test_bad_rubric_items_are_refused(db, change, field, message):
    items = [dict(i) for i in ITEMS]
    items[0].update(change)
    with pytest.raises(EvaluationError) as info:
        E.rubric_create(name="错误细则", target="street", total_points=100, items=items)
    assert (str(info.value), info.value.field) == (message, field)
    assert not Rubric.objects.filter(name="错误细则").exists()


def test_department_rubric_cannot_use_a_street_metric(db):
    with pytest.raises(EvaluationError) as info:
        E.rubric_create(name="部门细则", target="department", total_points=100, items=ITEMS)
    assert info.value.field == "metric_code" and "行业部门" in str(info.value)


def test_manual_entry_is_checked(rubric, streets, brigade):
    from brigade.org.models import Department

    manual, metric = rubric.items.get(method="manual"), rubric.items.get(metric_code="supervision.units_inspected")
    jiuqu = streets["九曲街道"]
    cases = [
        (lambda: E.manual_score_enter(item=manual, month="2025-03", deducted=31, evidence="x", street=jiuqu),
         "deducted", E.MANUAL_OVER_POINTS.format(deducted="31", points="30")),
        (lambda: E.manual_score_enter(item=manual, month="2025-03", deducted=5, evidence=" ", street=jiuqu),
         "evidence", E.MANUAL_NO_EVIDENCE),
        (lambda: E.manual_score_enter(item=metric, month="2025-03", deducted=5, evidence="x", street=jiuqu),
         "item", E.MANUAL_NOT_MANUAL.format(title=metric.title)),
        (lambda: E.manual_score_enter(item=manual, month="2025-03", deducted=5, evidence="x",
                                      department=Department.objects.create(brigade=brigade, name="教育局")),
         "street", E.MANUAL_WRONG_TARGET.format(target="镇街")),
        (lambda: E.manual_score_enter(item=manual, month="2025-Q1", deducted=5, evidence="x", street=jiuqu),
         "month", E.MONTH_ONLY.format(value="2025-Q1")),
    ]
    for call, field, message in cases:
        with pytest.raises(EvaluationError) as info:
            call()
        assert (str(info.value), info.value.field) == (message, field)
    assert not ManualScore.objects.exists()


def test_scored_by_hand_and_compared(rubric, march, user):
    manual = rubric.items.get(method="manual")
    E.manual_score_enter(item=manual, month="2025-03", deducted=5, evidence="未按时召开消委会会议",
                         street=march["九曲街道"], by=user)
    E.manual_score_enter(item=manual, month="2025-03", deducted=0, evidence="", street=march["凤凰街道"])
    E.evaluation_run(rubric=rubric, month="2025-02")
    run = E.evaluation_run(rubric=rubric, month="2025-03", by=user)
    # By hand, March 2025:
    # 九曲: 3 inspections ≥ 2 → 0; 1 overdue → 15; manual 5            → 100 − 20 = 80
    # 凤凰: 1 inspection → short 1 × 10 = 10; 3 overdue → 45, capped 40 → 100 − 50 = 50
    # 东城: 0 inspections → short 2 × 10 = 20; 0 overdue; manual not entered → 80
    # Ranks: 80, 80, 50 → 1, 1, 3.  February: nobody inspected → 80 each, all first.
    rows = {r.name: r for r in E.evaluation_trend(run=run)}
    assert {n: (r.score, r.rank) for n, r in rows.items()} == {
        "九曲街道": (Decimal(80), 1), "东城街道": (Decimal(80), 1), "凤凰街道": (Decimal(50), 3)}
    assert {n: sorted(float(d.points) for d in r.deductions) for n, r in rows.items()} == {
        "九曲街道": [5.0, 15.0], "东城街道": [20.0], "凤凰街道": [10.0, 40.0]}
    overdue = next(d for d in rows["凤凰街道"].deductions if d.item.metric_code == "supervision.hazards_overdue")
    assert overdue.evidence == {"指标代码": "supervision.hazards_overdue", "实际值": 3.0, "要求": "不多于0处",
                                "差额": 3.0, "扣分": 40.0, "每单位扣分": 15.0}
    manual_deduction = next(d for d in rows["九曲街道"].deductions if d.item == manual)
    assert manual_deduction.evidence["扣分依据"] == "未按时召开消委会会议"
    assert manual_deduction.evidence["录入人"] == "wang"
    assert rows["凤凰街道"].change == Decimal(-30) and rows["凤凰街道"].trend == "较上月下降2位"
    assert rows["九曲街道"].trend == "名次与上月持平"
    assert run.warnings == [E.MANUAL_MISSING.format(title="消防安全委员会会议", names="东城街道")]
    # Re-running replaces the month.
    E.evaluation_run(rubric=rubric, month="2025-03")
    assert EvaluationRun.objects.filter(rubric=rubric).count() == 2


def test_metric_value_can_be_injected(rubric, streets):
    figures = {"supervision.units_inspected": 5, "supervision.hazards_overdue": 1}
    run = E.evaluation_run(rubric=rubric, month="2025-03", metric_value=lambda code, period, scope: figures[code])
    assert {s.score for s in run.scores.all()} == {Decimal(85)}
    with pytest.raises(EvaluationError):
        E.evaluation_run(rubric=rubric, month="2025-03", metric_value=lambda code, period, scope: None)


def test_competition_ranks():
    assert E.competition_ranks([Decimal(90), Decimal(90), Decimal(80), Decimal(70), Decimal(70)]) == [1, 1, 3, 4, 4]


def test_department_rubric_with_manual_items(brigade):
    from brigade.org.models import Department

    edu, civil = (Department.objects.create(brigade=brigade, name=n) for n in ("教育局", "民政局"))
    rubric = E.rubric_create(name="部门考评细则", target="department", total_points=10,
                             items=[{"title": "落实行业监管责任", "points": 10, "method": "manual"}])
    E.manual_score_enter(item=rubric.items.get(), month="2025-03", deducted=2, evidence="未开展检查", department=civil)
    E.manual_score_enter(item=rubric.items.get(), month="2025-03", deducted=0, evidence="", department=edu)
    run = E.evaluation_run(rubric=rubric, month="2025-03")
    assert [(s.department.name, s.score, s.rank) for s in run.scores.all()] == [
        ("教育局", Decimal(10), 1), ("民政局", Decimal(8), 2)]


def test_notice_document_and_docx(rubric, march, tmp_path):
    run = E.evaluation_run(rubric=rubric, month="2025-03")
    doc = evaluation_notice(run=run, issued_on=D(2025, 4, 3))
    assert doc.title == "关于2025年3月镇街消防工作考评情况的通报"
    text = "\n".join(b.text for b in doc.blocks)
    assert "第3名：凤凰街道，50分，上月无考评。" in text
    assert ("凤凰街道共扣50分。检查指导单位不少于2家次：要求不少于2家次，实际1家次，扣10分；"
            "逾期未改隐患不多于0处：要求不多于0处，实际3处，扣40分。") in text
    assert doc.signature == ["测试大队", "2025年4月3日"] and "凤凰街道" in doc.sensitive_names
    path = evaluation_write_notice(run=run, path=tmp_path / "通报.docx", issued_on=D(2025, 4, 3))
    import docx

    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert doc.title in paragraphs
    redacted = evaluation_write_notice(run=run, path=tmp_path / "脱敏.docx", redact=True)
    assert "凤凰街道" not in "\n".join(p.text for p in docx.Document(str(redacted)).paragraphs)


def test_evaluate_command(rubric, march, tmp_path):
    out = io.StringIO()
    call_command("evaluate", "--month", "2025-03", "--docx", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "没有可考评的行业部门，跳过" in text  # the seeded department rubric
    assert "2025年3月 镇街消防工作考评细则" in text and " 3. 凤凰街道  50分" in text
    assert "扣40分：逾期未改隐患不多于0处：要求不多于0处，实际3处" in text
    assert len(list(tmp_path.glob("*.docx"))) == 2  # ours and the seeded street rubric
