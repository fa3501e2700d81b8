"""Risk grades: evidence counted as of a day, scores from the rubric, evidence in Chinese, history."""

import datetime as dt

import pandas as pd
import pytest

from brigade.risk.models import RiskGradeHistory, UnitRisk
from brigade.risk.rubric import default_text, parse_rubric
from brigade.risk.selectors import active_rubric
from brigade.risk.services.grading import risk_grade
from brigade.supervision.selectors import overdue_hazards
from tests.conftest import D

pytestmark = pytest.mark.django_db


def test_town_grades_follow_the_rubric_by_hand(town):
    """Unit 1 (logistics): the electrical hazard ordered with deadline 2025-03-20 is open and overdue on
    2025-07-01, a self-inspection on 2025-06-01, last brigade inspection 2025-03-01."""
    from brigade.units.models import SocialUnit

    summary = risk_grade(on=D(2025, 7, 1))
    assert summary.units == 3
    u1 = SocialUnit.objects.get(name="测试单位1号")
    r = UnitRisk.objects.get(unit=u1)
    w = active_rubric().weights
    # Hand count: category 20, open 1×2, overdue 1×5, self-inspection 1×(−2), no point → no travel,
    # inspected 4 months ago (under the 12 free months), one penalty on 2024-06-01 (within 24 months).
    expected = (w.category_points["logistics"] + 2 + 5 - 2 + w.counts["enforcement"].per)
    assert r.score == pytest.approx(expected)
    assert (r.open_hazards, r.overdue_hazards, r.self_inspections, r.enforcement_actions) == (1, 1, 1, 1)
    assert r.evidence.startswith("物流仓储，1 处未整改隐患，1 处逾期隐患")
    assert "近 12 个月自查 1 次" in r.evidence
    level = "high" if expected >= w.high_at else "medium" if expected >= w.medium_at else "low"
    assert r.level == level
    assert r.last_inspected_on == D(2025, 3, 1)


def test_overdue_today_agrees_with_the_supervision_selector(town):
    on = D(2025, 12, 31)
    risk_grade(on=on)
    expected = overdue_hazards(on).values("unit_id").distinct().count()
    assert UnitRisk.objects.filter(overdue_hazards__gt=0).count() == expected == 1


def test_history_keeps_only_changes_and_shows_the_trend(town):
    from brigade.units.models import SocialUnit

    u1 = SocialUnit.objects.get(name="测试单位1号")
    risk_grade(on=D(2025, 3, 2))
    risk_grade(on=D(2025, 3, 3))  # nothing changed in a day
    first = RiskGradeHistory.objects.filter(unit=u1).count()
    assert first == 1
    risk_grade(on=D(2025, 3, 25))  # the electrical hazard is now overdue
    history = list(RiskGradeHistory.objects.filter(unit=u1).order_by("graded_on").values_list("graded_on", "score"))
    assert [d for d, _ in history] == [D(2025, 3, 2), D(2025, 3, 25)]
    assert history[1][1] > history[0][1]
    assert UnitRisk.objects.get(unit=u1).graded_on == D(2025, 3, 25)


def test_key_unit_with_major_hazard_is_high_and_named(town):
    from brigade.units.models import SocialUnit

    u3 = SocialUnit.objects.get(name="测试单位3号")
    u3.is_key_unit = True
    u3.save()
    risk_grade(on=D(2025, 7, 1))
    r = UnitRisk.objects.get(unit=u3)
    # mixed_use 25 + key 15 + seal-up 4 ; the major hazard is escalated (open: 2 + major 15)
    assert r.major_hazards == 1 and r.level == "high"
    assert r.evidence.startswith("消防安全重点单位，合用场所")
    assert "1 处重大火灾隐患" in r.evidence


def test_minutes_from_the_nearest_station_straight_line(town, settings):
    from brigade.analysis.network import haversine_m
    from brigade.units.models import SocialUnit

    settings.BRIGADE_RISK_TRAVEL_SPEED_KPH = 30
    settings.BRIGADE_RISK_DETOUR_FACTOR = 1.0
    town["sa"].lon, town["sa"].lat = 118.40, 35.00
    town["sa"].save()
    u2 = SocialUnit.objects.get(name="测试单位2号")
    u2.lon, u2.lat = 118.40, 35.05
    u2.save()
    risk_grade(on=D(2025, 7, 1))
    r = UnitRisk.objects.get(unit=u2)
    expected = float(haversine_m(118.4, 35.0, 118.4, 35.05)) / 500.0  # 30 km/h = 500 m per minute
    assert r.station_minutes == pytest.approx(expected, abs=0.05)
    assert f"距最近消防站 {expected:.1f} 分钟" in r.evidence
    assert r.score >= active_rubric().weights.travel_cap  # ~11 minutes: 6 over the 5 free, capped at 10


def test_grades_match_an_independent_pandas_count(town):
    """Counts per unit from plain rows with pandas, not through the grouped queries."""
    from brigade.supervision.models import Hazard

    on = D(2025, 7, 1)
    risk_grade(on=on)
    df = pd.DataFrame(list(Hazard.objects.values("unit_id", "found_on", "rectified_on", "closed_on", "is_major")))
    df = df[df.found_on <= on]
    still_open = (df.rectified_on.isna() | (df.rectified_on > on)) & (df.closed_on.isna() | (df.closed_on > on))
    expected = df[still_open].groupby("unit_id").size().to_dict()
    got = {u: n for u, n in UnitRisk.objects.values_list("unit_id", "open_hazards") if n}
    assert got == expected


@pytest.mark.django_db(transaction=True)
def test_write_regrades_the_unit_after_commit(unit):
    from django.db import transaction

    from brigade.supervision.models import Hazard, Inspection

    assert UnitRisk.objects.get(unit=unit).major_hazards == 0  # graded when it was created
    with transaction.atomic():
        insp = Inspection.objects.create(unit=unit, inspected_on=dt.date.today(), kind="random")
        Hazard.objects.create(inspection=insp, unit=unit, category="other", found_on=dt.date.today(), is_major=True)
        assert UnitRisk.objects.get(unit=unit).major_hazards == 0  # not before the commit
    r = UnitRisk.objects.get(unit=unit)
    assert (r.major_hazards, r.open_hazards, r.last_inspected_on) == (1, 1, dt.date.today())
    assert "1 处重大火灾隐患" in r.evidence


def test_default_rubric_parses_and_every_factor_has_a_source():
    rubric = parse_rubric(default_text())
    assert set(rubric.weights.counts) == {"open", "overdue", "major", "recurring", "enforcement",
                                          "self_inspections", "incidents"}
    assert all(rubric.sources.values())
    assert rubric.weights.high_at > rubric.weights.medium_at
