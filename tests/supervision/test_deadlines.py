"""Statutory deadlines from the rule table, counted over Spring Festival and National Day."""

import datetime as dt

import pytest

from brigade.supervision import deadlines
from brigade.supervision import services as S
from brigade.supervision.selectors import notice_due_on, reinspection_due_on

D = dt.date


def test_every_rule_has_a_name_amount_and_source():
    rules = deadlines.rules()
    assert {"rectification_notice", "reinspection", "major_hazard_report", "major_hazard_notice",
            "seal_up_max"} <= set(rules)
    for rule in rules.values():
        assert rule.name and rule.amount > 0 and rule.unit in deadlines.UNITS
        assert "《" in rule.source or "STANDARDS" in rule.source
    assert rules["rectification_notice"].label == "责令限期改正通知书送达：检查之日起3个工作日内"


def test_unknown_rule_is_refused_in_chinese():
    with pytest.raises(deadlines.DeadlineRuleError) as info:
        deadlines.rule("nope")
    assert str(info.value).strip("'\"") == deadlines.UNKNOWN_RULE.format(code="nope")


@pytest.mark.parametrize(
    ("code", "start", "due"),
    [
        # Spring Festival 2025: 1/28–2/4 off; Sunday 1/26 and Saturday 2/8 are working days.
        ("rectification_notice", D(2025, 1, 24), D(2025, 2, 5)),
        ("reinspection", D(2025, 2, 4), D(2025, 2, 7)),
        ("major_hazard_report", D(2025, 1, 24), D(2025, 2, 10)),  # 1/26, 1/27, 2/5, 2/6, 2/7, Sat 2/8, 2/10
        # National Day + Mid-Autumn 2025: 10/1–10/8 off; Sunday 9/28 and Saturday 10/11 are working days.
        ("rectification_notice", D(2025, 9, 26), D(2025, 9, 30)),
        ("reinspection", D(2025, 9, 30), D(2025, 10, 11)),
        ("major_hazard_report", D(2025, 9, 26), D(2025, 10, 13)),
        ("major_hazard_notice", D(2025, 9, 30), D(2025, 10, 11)),
        ("seal_up_max", D(2025, 1, 31), D(2025, 2, 28)),
        ("seal_up_max", D(2025, 9, 15), D(2025, 10, 15)),
        ("seal_up_max", D(2024, 12, 20), D(2025, 1, 20)),
    ],
)
def test_due_dates(code, start, due):
    assert deadlines.due_date(code, start) == due


def test_hazard_due_dates_over_spring_festival(inspect):
    hazard = S.hazard_record(inspection=inspect(D(2025, 1, 24)), category="flying_wire")
    assert notice_due_on(hazard) == D(2025, 2, 5)
    S.hazard_order(hazard=hazard, ordered_on=D(2025, 1, 24), deadline=D(2025, 1, 27))
    # Re-inspection within 3 working days after the deadline: 2/5, 2/6, 2/7.
    assert reinspection_due_on(hazard) == D(2025, 2, 7)
    # The party's application starts the clock if it comes first.
    S.hazard_request_reinspection(hazard=hazard, requested_on=D(2025, 1, 26))
    assert reinspection_due_on(hazard) == D(2025, 2, 6)


def test_rule_table_can_be_replaced_by_settings(settings, tmp_path):
    custom = tmp_path / "rules.json"
    custom.write_text('{"rules": [{"code": "reinspection", "name": "复查", "amount": 5, "unit": "workdays", '
                      '"anchor": "期限届满", "source": "《某省规定》"}]}', encoding="utf-8")
    settings.BRIGADE_DEADLINE_RULES = str(custom)
    assert deadlines.due_date("reinspection", D(2025, 9, 26)) == D(2025, 10, 10)  # 9/28 9/29 9/30 10/9 10/10


def test_add_months_keeps_month_ends():
    assert deadlines.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert deadlines.add_months(D(2025, 3, 15), -12) == D(2024, 3, 15)
    assert deadlines.add_months(D(2025, 1, 31), -2) == D(2024, 11, 30)
