"""Working days follow the published holiday notices, make-up working days (调休) included."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brigade.core.workdays import (
    CALENDAR_OUT_OF_RANGE,
    CalendarOutOfRange,
    add_workdays,
    is_provisional,
    is_workday,
    next_workday,
    supported_years,
    workdays_between,
)

D = dt.date


def test_spring_festival_2025_holidays_and_make_up_days():
    # 国办发明电〔2024〕12号: 1月28日至2月4日放假调休，1月26日（周日）、2月8日（周六）上班。
    assert is_workday(D(2025, 1, 26)) and D(2025, 1, 26).weekday() == 6
    assert is_workday(D(2025, 2, 8)) and D(2025, 2, 8).weekday() == 5
    assert not any(is_workday(D(2025, 1, 28) + dt.timedelta(i)) for i in range(8))  # 1/28 … 2/4
    assert is_workday(D(2025, 2, 5))


def test_national_day_2025_holidays_and_make_up_days():
    # 10月1日至8日放假调休（国庆、中秋），9月28日（周日）、10月11日（周六）上班。
    assert is_workday(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert is_workday(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5
    assert not any(is_workday(D(2025, 10, 1) + dt.timedelta(i)) for i in range(8))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 1, 24), 3, D(2025, 2, 5)),  # Fri → Sun 1/26 (make-up), Mon 1/27, then after the holiday
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # a Sunday can be the first working day
        (D(2025, 2, 4), 4, D(2025, 2, 8)),  # 2/5, 2/6, 2/7, Saturday 2/8 (make-up)
        (D(2025, 9, 26), 3, D(2025, 9, 30)),  # Fri → Sun 9/28 (make-up), 9/29, 9/30
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # over National Day: 10/9, 10/10, Saturday 10/11
        (D(2025, 3, 3), 5, D(2025, 3, 10)),  # an ordinary week
        (D(2025, 3, 3), 0, D(2025, 3, 3)),
    ],
)
def test_add_workdays(start, n, expected):
    assert add_workdays(start, n) == expected


def test_not_monday_to_friday_arithmetic():
    # Naive weekday counting would give 1/29 for 1/24 + 3. The State Council's 2025 calendar makes
    # Sunday 1/26 a working day and 1/28–2/4 the Spring Festival holiday, so the answer is 2/5.
    assert [add_workdays(D(2025, 1, 24), n) for n in (1, 2, 3)] == [D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 5)]
    assert add_workdays(D(2025, 2, 7), 1) == D(2025, 2, 8)  # a Saturday that is a working day


def test_workdays_between_and_next_workday():
    assert workdays_between(D(2025, 1, 24), D(2025, 2, 5)) == 3
    assert workdays_between(D(2025, 2, 5), D(2025, 1, 24)) == -3
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert next_workday(D(2025, 10, 1)) == D(2025, 10, 9)
    assert next_workday(D(2025, 10, 11)) == D(2025, 10, 11)


def test_dates_before_the_data_are_refused_in_chinese():
    first, last = supported_years()
    with pytest.raises(CalendarOutOfRange) as info:
        add_workdays(D(first - 1, 12, 5), 1)
    assert str(info.value) == CALENDAR_OUT_OF_RANGE.format(day=f"{first - 1}-12-05", first=first, last=last)
    with pytest.raises(CalendarOutOfRange):
        is_workday(D(first - 1, 6, 1))


def test_years_after_the_data_are_counted_provisionally():
    """A deadline that runs into next year before its holiday notice is installed: Monday to Friday,
    less the fixed-date statutory holidays, and said to be provisional."""
    last = supported_years()[1]
    assert not is_provisional(D(last, 12, 31)) and is_provisional(D(last + 1, 1, 1))
    # From 12-29 of the last published year: 12-30, 12-31 (published data), then 01-01 is New Year's Day.
    start = D(last, 12, 29)
    due = add_workdays(start, 3)
    assert due > D(last + 1, 1, 1) and is_workday(due) and due.weekday() < 5
    assert not is_workday(D(last + 1, 1, 1)) and not is_workday(D(last + 1, 10, 2))
    saturday = next(D(last + 1, 3, d) for d in range(1, 8) if D(last + 1, 3, d).weekday() == 5)
    assert not is_workday(saturday) and is_workday(saturday + dt.timedelta(days=2))
    assert workdays_between(start, due) == 3


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2025, 3, 3), -1)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 12, 1)), n=st.integers(min_value=0, max_value=40))
def test_add_workdays_agrees_with_workdays_between(start, n):
    end = add_workdays(start, n)
    assert workdays_between(start, end) == n
    if n:
        assert is_workday(end)
        # No working day is skipped: the day before the result is counted n-1 working days away.
        assert workdays_between(start, end - dt.timedelta(days=1)) == n - 1
