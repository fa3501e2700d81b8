"""Findings computed from records alone, on the hand-built brigade."""

import pytest

from brigade.core.findings import collect_findings
from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE
from brigade.ledger.findings import awareness
from brigade.units.findings import top_site_categories

pytestmark = pytest.mark.django_db
YEAR = parse_period("2025")


def test_careless_fires_against_publicity(town):
    q6, n5 = awareness(YEAR, BRIGADE)
    assert q6.part == "Q6" and q6.metrics == {"careless_fires": 1, "fires": 2, "careless_share_pct": 50.0}
    assert "火灾1起，占火灾总数的50.0%" in q6.statement
    # 甲街道 had the careless fire and no publicity; 乙镇 had all 300 people trained.
    assert "甲街道此类火灾多而宣传培训覆盖相对不足" in q6.statement
    assert n5.part == "N5" and "甲街道" in n5.statement


def test_top_site_categories(town):
    (finding,) = top_site_categories(YEAR, BRIGADE)
    assert finding.metrics == {"hazards_total": 5, "focus_hazards": 3, "focus_share_pct": 60.0}
    assert finding.evidence[0] == {"场所类别": "物流仓储", "隐患数": 3}


def test_all_providers_run_and_sort_by_severity(town):
    found = collect_findings(YEAR, BRIGADE)
    assert {f.part for f in found} >= {"Q5", "Q6"}
    order = ["high", "medium", "low"]
    assert [order.index(f.severity) for f in found] == sorted(order.index(f.severity) for f in found)
