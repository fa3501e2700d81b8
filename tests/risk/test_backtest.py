"""The backtest: hazards per inspection by the grade each unit had when its month began."""

import pytest

from brigade.core.period import parse_period
from brigade.metrics.registry import compute
from brigade.risk.backtest import backtest
from tests.conftest import D, make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(street):
    """Ten key hazmat units with overdue hazards since January (high by March), ten plain homes (low).
    In March every unit is inspected: each high one yields 2 hazards, one low one yields 1."""
    from brigade.supervision.models import Hazard, Inspection
    from brigade.units.models import SocialUnit

    high, low = [], []
    for i in range(20):
        is_high = i < 10
        u = SocialUnit.objects.create(name=f"回测单位{i}", credit_code=make_credit_code(500 + i), street=street,
                                      site_category="hazmat" if is_high else "residential", is_key_unit=is_high)
        (high if is_high else low).append(u)
        if is_high:
            jan = Inspection.objects.create(unit=u, inspected_on=D(2025, 1, 6), kind="random")
            for _ in range(2):
                Hazard.objects.create(inspection=jan, unit=u, category="other", found_on=D(2025, 1, 6),
                                      deadline=D(2025, 1, 20), status="ordered")
        else:
            Inspection.objects.create(unit=u, inspected_on=D(2025, 1, 6), kind="random")
        march = Inspection.objects.create(unit=u, inspected_on=D(2025, 3, 10), kind="random")
        for _ in range(2 if is_high else (1 if i == 10 else 0)):
            Hazard.objects.create(inspection=march, unit=u, category="fire_lane", found_on=D(2025, 3, 10))
    return high, low


def test_backtest_counts_by_the_grade_at_the_start_of_the_month(history):
    result = backtest(period=parse_period("2025-03"))
    assert len(result.months) == 1
    m = result.months[0]
    assert (m.inspections["high"], m.hazards["high"]) == (10, 20)
    assert (m.inspections["low"], m.hazards["low"]) == (10, 1)
    assert (m.inspections["all"], m.hazards["all"]) == (20, 21)
    assert m.inspections["random"] == 10 and 1 <= m.hazards["random"] <= 20
    assert result.rate("high") == 2.0 and result.rate("low") == 0.1
    assert result.lift == round(2.0 / result.rate("random"), 2)


def test_a_months_findings_do_not_leak_into_its_grade(history):
    """January is graded on 2024-12-31's evidence (none of January's hazards); March on February's."""
    from brigade.risk.selectors import active_rubric
    from brigade.risk.services.grading import score

    high, _ = history
    january, _ = score(on=D(2024, 12, 31), rubric=active_rubric(), unit_ids=[high[0].pk])
    march, _ = score(on=D(2025, 2, 28), rubric=active_rubric(), unit_ids=[high[0].pk])
    assert january.evidence.counts["open"].tolist() == [0] and january.last_inspected == [None]
    assert march.evidence.counts["overdue"].tolist() == [2] and march.last_inspected == [D(2025, 1, 6)]


def test_backtest_metric_and_finding_in_n2(history):
    from brigade.core.findings import collect_findings
    from brigade.core.scope import BRIGADE

    table = compute(parse_period("2025-03"), BRIGADE, ["risk.high_hazards_per_inspection",
                                                       "risk.low_hazards_per_inspection", "risk.backtest_lift"],
                    with_previous=False)
    assert table.value("risk.high_hazards_per_inspection") == 2.0
    assert table.value("risk.low_hazards_per_inspection") == 0.1
    found = [f for f in collect_findings(parse_period("2025-03"), BRIGADE, only={"risk.backtest"})]
    assert len(found) == 1 and found[0].part == "N2"
    assert "高风险单位每次检查发现隐患2.0处" in found[0].statement and "低风险单位0.1处" in found[0].statement


def test_backtest_command_prints_the_table(history, capsys):
    from django.core.management import call_command

    call_command("risk", "backtest", "--period", "2025-03")
    out = capsys.readouterr().out
    assert "高风险 20/10" in out and "低风险 1/10" in out


def test_the_summary_prints_the_backtest_in_n2(history):
    from brigade.core.scope import BRIGADE
    from brigade.reports.service import report_document

    document, _ = report_document(period=parse_period("2025-03"), scope=BRIGADE)
    text = "\n".join(b.text for b in document.blocks)
    assert "高风险单位每次检查发现隐患2.0处" in text
