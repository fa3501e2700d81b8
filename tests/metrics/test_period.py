import datetime as dt

import pytest

from brigade.core.period import PeriodError, month_periods, parse_period

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31), "2025年"),
        ("2025-H1", D(2025, 1, 1), D(2025, 6, 30), "2025年上半年"),
        ("2025-h2", D(2025, 7, 1), D(2025, 12, 31), "2025年下半年"),
        ("2025-Q3", D(2025, 7, 1), D(2025, 9, 30), "2025年第三季度"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024年2月"),
        ("2025-3", D(2025, 3, 1), D(2025, 3, 31), "2025年3月"),
        ("2025-01-01..2025-06-30", D(2025, 1, 1), D(2025, 6, 30), "2025年1月1日至2025年6月30日"),
    ],
)
def test_parse_period(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_previous_year_keeps_the_shape():
    assert parse_period("2025-Q3").previous_year().key == "2024-Q3"
    assert parse_period("2025-H2").previous_year().start == D(2024, 7, 1)
    leap = parse_period("2024-02-01..2024-02-29").previous_year()
    assert (leap.start, leap.end) == (D(2023, 2, 1), D(2023, 2, 28))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "请指定统计期间"), ("2025-13", "月份 13 不存在"), ("2025-Q5", "无法识别"), ("去年", "无法识别"),
     ("2025-02-30..2025-03-01", "不存在"), ("2025-06-30..2025-01-01", "结束日期早于开始日期"), ("1800", "超出")],
)
def test_bad_periods_say_what_is_wrong(text, fragment):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert fragment in str(err.value)


def test_month_periods_cover_a_quarter():
    assert [p.key for p in month_periods(parse_period("2025-Q2"))] == ["2025-04", "2025-05", "2025-06"]
