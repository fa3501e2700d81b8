"""Known answers for the risk figures: the monthly draws (done and overdue), the current grades, and
the uniform random arm of the backtest.

Each fixture holds rows that must not count: a superseded draw, a draw outside the period, an
inspection before the month began or on a self-inspection day, a hazard found after the month,
and (for a street) rows of another street. Expected values are worked out from the plain rows in
the test, not read back through the code under test.
"""

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, Scope
from brigade.metrics.registry import compute
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db
D = dt.date
DRAW_CODES = ["risk.draw_checks", "risk.draw_overdue"]
GRADE_CODES = ["risk.units_high", "risk.units_medium", "risk.units_low"]


def _unit(n, street, **extra):
    from brigade.units.models import SocialUnit

    extra.setdefault("site_category", "residential")
    return SocialUnit.objects.create(name=f"风险单位{n}", credit_code=make_credit_code(700 + n), street=street, **extra)


def _scope(street):
    return Scope("street", street.name, street.pk)


def _draw(brigade, month, due_on, units, status="active"):
    from brigade.risk.models import Draw, DrawItem

    draw = Draw.objects.create(brigade=brigade, month=month, seed=month.toordinal(), status=status,
                               checks=len(units), officers=2, due_on=due_on, rubric_name="测试细则", digest="0" * 64)
    for order, unit in enumerate(units, start=1):
        DrawItem.objects.create(draw=draw, order=order, unit=unit, street=unit.street, level="low", reason="random")
    return draw


@pytest.fixture
def draws(brigade, street):
    from brigade.org.models import Street
    from brigade.supervision.models import Inspection

    east = Street.objects.create(brigade=brigade, name="城东街道")
    u = {n: _unit(n, street) for n in range(1, 6)}
    e = {n: _unit(10 + n, east) for n in range(1, 3)}
    plan = [  # (month, due on, units, status)
        (D(2025, 1, 1), D(2025, 1, 27), [u[1], u[2], e[1]], "active"),
        (D(2025, 1, 1), D(2025, 1, 27), [u[3], u[4], e[2]], "superseded"),  # redrawn: its list does not count
        (D(2025, 3, 1), D(2025, 3, 31), [u[3], e[2]], "active"),
        (D(2026, 1, 1), D(2026, 1, 30), [u[5]], "active"),  # after the period
        (D(2024, 6, 1), D(2024, 6, 28), [u[1], u[4], e[1]], "active"),  # the year before
    ]
    for month, due_on, units, status in plan:
        _draw(brigade, month, due_on, units, status)
    inspections = [  # (unit, day, kind)
        (u[1], D(2025, 1, 10), "special"),  # answers January 2025, and (late) June 2024
        (u[2], D(2024, 12, 20), "special"),  # before its month began: does not answer
        (u[2], D(2025, 1, 15), "self_day"),  # the unit's own check: does not answer
        (e[1], D(2025, 2, 20), "random"),  # after the due day: late, not missing
        (e[2], D(2025, 3, 5), "random"),
        (u[4], D(2024, 5, 30), "random"),  # before June 2024 began
    ]
    for unit, day, kind in inspections:
        Inspection.objects.create(unit=unit, inspected_on=day, kind=kind)
    return {"street": street, "east": east, "plan": plan, "inspections": inspections}


def _expected(fx, year, street=None):
    """(checks, overdue) of the active draws of ``year``, worked out from the plain rows."""
    today = timezone.localdate()
    checks = overdue = 0
    for month, due_on, units, status in fx["plan"]:
        if status != "active" or month.year != year:
            continue
        for unit in units:
            if street is not None and unit.street_id != street.pk:
                continue
            checks += 1
            done = any(i == unit and day >= month and kind != "self_day" for i, day, kind in fx["inspections"])
            overdue += due_on < today and not done
    return checks, overdue


def _pairs(table, codes):
    return {c: (table[c].value, table[c].previous) for c in codes}


def test_draw_checks_and_overdue_for_the_brigade_and_each_street(draws):
    table = compute(parse_period("2025"), BRIGADE, codes=DRAW_CODES)
    (checks, overdue), (checks_before, overdue_before) = _expected(draws, 2025), _expected(draws, 2024)
    assert _pairs(table, DRAW_CODES) == {
        "risk.draw_checks": (checks, checks_before), "risk.draw_overdue": (overdue, overdue_before),
    }
    # By hand: 2025 draws u1 u2 e1 (January) + u3 e2 (March); u2 and u3 never answered.
    # 2024: u1 u4 e1 in June; u4's only inspection came before June.
    assert _pairs(table, DRAW_CODES) == {"risk.draw_checks": (5, 3), "risk.draw_overdue": (2, 1)}

    table = compute(parse_period("2025"), _scope(draws["street"]), codes=DRAW_CODES)
    assert _pairs(table, DRAW_CODES) == {"risk.draw_checks": (3, 2), "risk.draw_overdue": (2, 1)}
    assert _expected(draws, 2025, draws["street"]) == (3, 2)

    table = compute(parse_period("2025"), _scope(draws["east"]), codes=DRAW_CODES)
    assert _pairs(table, DRAW_CODES) == {"risk.draw_checks": (2, 1), "risk.draw_overdue": (0, 0)}
    assert _expected(draws, 2025, draws["east"]) == (2, 0)


def test_a_month_counts_only_its_own_draw(draws):
    table = compute(parse_period("2025-01"), BRIGADE, codes=DRAW_CODES, with_previous=False)
    assert {c: table.value(c) for c in DRAW_CODES} == {"risk.draw_checks": 3, "risk.draw_overdue": 1}
    table = compute(parse_period("2025-02"), BRIGADE, codes=DRAW_CODES, with_previous=False)
    assert {c: table.value(c) for c in DRAW_CODES} == {"risk.draw_checks": 0, "risk.draw_overdue": 0}


def test_a_check_not_yet_due_is_not_overdue(brigade, street):
    """This month's draw: due today is still open; due yesterday with no inspection is overdue."""
    from brigade.risk.models import Draw

    today = timezone.localdate()
    unit = _unit(1, street)
    draw = _draw(brigade, today.replace(day=1), today, [unit])
    period = parse_period(f"{today.year}-{today.month:02d}")
    table = compute(period, BRIGADE, codes=DRAW_CODES, with_previous=False)
    assert {c: table.value(c) for c in DRAW_CODES} == {"risk.draw_checks": 1, "risk.draw_overdue": 0}

    Draw.objects.filter(pk=draw.pk).update(due_on=today - dt.timedelta(days=1))
    table = compute(period, BRIGADE, codes=DRAW_CODES, with_previous=False)
    assert table.value("risk.draw_overdue") == 1


def test_units_by_current_grade_whatever_the_period(brigade, street):
    from brigade.org.models import Street
    from brigade.risk.models import UnitRisk

    east = Street.objects.create(brigade=brigade, name="城东街道")
    rows = [  # (street, level, graded on): the day graded does not matter, only the grade now
        (street, "high", D(2025, 6, 1)), (street, "high", D(2026, 1, 5)), (street, "medium", D(2024, 3, 1)),
        (street, "low", D(2025, 6, 1)), (street, "low", D(2025, 6, 1)), (street, "low", D(2023, 1, 1)),
        (east, "high", D(2025, 6, 1)), (east, "low", D(2025, 6, 1)),
    ]
    score = {"high": 50.0, "medium": 40.0, "low": 10.0}
    for n, (st, level, day) in enumerate(rows, start=1):
        UnitRisk.objects.create(unit=_unit(n, st), street=st, level=level, score=score[level], graded_on=day,
                                rubric_name="测试细则")
    _unit(99, street)  # never graded: no level, not counted

    def expected(level, st=None):
        return sum(1 for s, lv, _ in rows if lv == level and (st is None or s == st))

    for period in ("2025", "2020"):
        table = compute(parse_period(period), BRIGADE, codes=GRADE_CODES)
        assert _pairs(table, GRADE_CODES) == {
            "risk.units_high": (expected("high"),) * 2, "risk.units_medium": (expected("medium"),) * 2,
            "risk.units_low": (expected("low"),) * 2,
        }
        assert _pairs(table, GRADE_CODES) == {
            "risk.units_high": (3, 3), "risk.units_medium": (1, 1), "risk.units_low": (4, 4),
        }
    table = compute(parse_period("2025"), _scope(street), codes=GRADE_CODES)
    assert {c: table.value(c) for c in GRADE_CODES} == {
        "risk.units_high": 2, "risk.units_medium": 1, "risk.units_low": 3}
    table = compute(parse_period("2025"), _scope(east), codes=GRADE_CODES)
    assert {c: table.value(c) for c in GRADE_CODES} == {
        "risk.units_high": 1, "risk.units_medium": 0, "risk.units_low": 1}
    assert (expected("high", east), expected("low", east)) == (1, 1)


# The backtest's uniform random arm: in each month with inspections, as many inspections as the
# high-risk group drawn uniformly without replacement (numpy, seed 2022, one generator for the
# whole period, inspections in the order they were recorded), hazards per drawn inspection.
RANDOM = "risk.random_hazards_per_inspection"
SEED = 2022


def _random_rate(months):
    """The random arm from plain rows: ``months`` lists, per month in order, (is high, hazards)."""
    rng = np.random.default_rng(SEED)
    drawn = found = 0
    for rows in months:
        if not rows:
            continue  # a month without inspections draws nothing
        high = sum(1 for is_high, _ in rows if is_high)
        if high:
            pick = rng.choice(len(rows), size=high, replace=False)
            drawn += high
            found += sum(rows[i][1] for i in pick)
    return round(found / drawn, 2) if drawn else None


@pytest.fixture
def inspected(brigade, street):
    """Four key hazmat units (high on grade alone) and five homes (low), one of them in another street."""
    from brigade.org.models import Street
    from brigade.supervision.models import Hazard, Inspection

    east = Street.objects.create(brigade=brigade, name="城东街道")
    h = [_unit(20 + i, street, site_category="hazmat", is_key_unit=True) for i in range(4)]
    lo = [_unit(30 + i, street) for i in range(4)]
    e0 = _unit(40, east)
    months = {  # month -> (day, [(unit, hazards found that day)] in the order recorded)
        "2025-01": (D(2025, 1, 8), [(h[0], 2), (lo[0], 0), (h[1], 0), (lo[1], 1), (e0, 3), (h[2], 1), (lo[2], 0),
                                    (h[3], 4), (lo[3], 0)]),
        "2025-02": (None, []),
        "2025-03": (D(2025, 3, 10), [(lo[0], 1), (h[0], 3), (e0, 4), (h[1], 1), (lo[1], 0), (h[2], 2), (lo[3], 2),
                                     (h[3], 0)]),
        "2024-01": (None, []),
        "2024-02": (None, []),
        "2024-03": (D(2024, 3, 5), [(h[0], 1), (lo[0], 3)]),
    }
    for day, rows in months.values():
        for unit, n in rows:
            insp = Inspection.objects.create(unit=unit, inspected_on=day, kind="random")
            for _ in range(n):
                Hazard.objects.create(inspection=insp, unit=unit, category="other", found_on=day)
    # Rows that must not count:
    own = Inspection.objects.create(unit=lo[1], inspected_on=D(2025, 3, 12), kind="self_day")
    for _ in range(5):
        Hazard.objects.create(inspection=own, unit=lo[1], category="other", found_on=D(2025, 3, 12))
    march_h1 = Inspection.objects.get(unit=h[1], inspected_on=D(2025, 3, 10))
    Hazard.objects.create(inspection=march_h1, unit=h[1], category="other", found_on=D(2025, 4, 2))  # after March
    april = Inspection.objects.create(unit=lo[0], inspected_on=D(2025, 4, 3), kind="random")
    for _ in range(3):
        Hazard.objects.create(inspection=april, unit=lo[0], category="other", found_on=D(2025, 4, 3))
    return {"street": street, "east": east, "high": {u.pk for u in h}, "months": months}


def _plain(fx, labels, street=None):
    out = []
    for label in labels:
        _, rows = fx["months"][label]
        out.append([(u.pk in fx["high"], n) for u, n in rows if street is None or u.street_id == street.pk])
    return out


def test_grades_the_random_arm_rests_on(inspected):
    """The fixture's premise: key hazmat units are high, homes low, on every month's eve."""
    from brigade.risk.selectors import active_rubric
    from brigade.risk.services.grading import level_names, score

    units = {u.pk for _, rows in inspected["months"].values() for u, _ in rows}
    for eve in (D(2024, 2, 29), D(2024, 12, 31), D(2025, 2, 28)):
        graded, scores = score(on=eve, rubric=active_rubric(), unit_ids=sorted(units))
        levels = dict(zip(graded.unit_ids.tolist(), level_names(scores.level), strict=True))
        assert {u for u, lv in levels.items() if lv == "high"} == inspected["high"]
        assert {lv for u, lv in levels.items() if u not in inspected["high"]} == {"low"}


def test_random_hazards_per_inspection_for_the_brigade_and_a_street(inspected):
    table = compute(parse_period("2025-Q1"), BRIGADE, codes=[RANDOM])
    now = _random_rate(_plain(inspected, ["2025-01", "2025-02", "2025-03"]))
    before = _random_rate(_plain(inspected, ["2024-01", "2024-02", "2024-03"]))
    assert (table[RANDOM].value, table[RANDOM].previous) == (now, before)
    # By hand: 8 inspections drawn (4 high in January, 4 in March) out of 9 + 8 holding 11 + 13
    # hazards, so between (0+0+0+0 + 0+0+1+1)/8 and (4+3+2+1 + 4+3+2+2)/8; March 2024 draws one of
    # two inspections, holding 1 or 3 hazards.
    assert 0.25 <= now <= 2.62 and before in (1.0, 3.0)

    street = inspected["street"]
    table = compute(parse_period("2025-Q1"), _scope(street), codes=[RANDOM])
    assert (table[RANDOM].value, table[RANDOM].previous) == (
        _random_rate(_plain(inspected, ["2025-01", "2025-02", "2025-03"], street)),
        _random_rate(_plain(inspected, ["2024-01", "2024-02", "2024-03"], street)),
    )
    table = compute(parse_period("2025-Q1"), _scope(inspected["east"]), codes=[RANDOM])
    assert (table[RANDOM].value, table[RANDOM].previous) == (None, None)  # no high-risk unit: nothing drawn


def test_when_every_inspection_is_high_risk_the_random_arm_is_all_of_them(inspected):
    """Drawing as many as there are takes them all: the rate is the month's plain total, seed aside."""
    from brigade.supervision.models import Hazard, Inspection

    others = Inspection.objects.filter(inspected_on__year=2025).exclude(unit_id__in=inspected["high"])
    Hazard.objects.filter(inspection__in=others).delete()
    others.delete()
    table = compute(parse_period("2025-03"), BRIGADE, codes=[RANDOM], with_previous=False)
    assert table.value(RANDOM) == round((3 + 1 + 2 + 0) / 4, 2)
