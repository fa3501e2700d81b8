"""Chinese working days: public holidays and the official make-up working days (调休).

Statutory deadlines in fire supervision are counted in working days. A working day here is what
the State Council's yearly holiday notice says it is — a Saturday or Sunday can be a working day
(调休上班) and a weekday can be a holiday. The calendar data comes from the ``chinesecalendar``
package (import name ``chinese_calendar``), which covers the years for which a notice has been
published. Days after its last year (a deadline in January, before next year's notice is out or
installed) are counted *provisionally*: Monday to Friday less the fixed-date statutory holidays
(settings.BRIGADE_FIXED_HOLIDAYS); ``is_provisional`` tells the pages to say so. Days before its
first year are refused.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _calendar_data
from django.conf import settings

from brigade.core.errors import UserError

CALENDAR_OUT_OF_RANGE = "日期 {day} 早于节假日数据的覆盖范围（{first}年至{last}年），无法按工作日计算期限。"
PROVISIONAL_NOTE = (
    "{year}年的放假安排尚未收录，该年的期限暂按周一至周五（除元旦、劳动节、国庆节等固定日期的法定节日）推算，"
    "以国务院公布的放假通知为准；升级 chinesecalendar 软件包后自动按正式安排计算。"
)
NEGATIVE_WORKDAYS = "工作日数不能为负数（收到 {n}）。"


class CalendarOutOfRange(UserError, ValueError):
    """A date whose year the holiday data does not cover."""


@lru_cache(maxsize=1)
def supported_years() -> tuple[int, int]:
    """First and last year the installed holiday data covers."""
    years = {d.year for d in _calendar_data.holidays} | {d.year for d in _calendar_data.workdays}
    return min(years), max(years)


def _check(day: dt.date) -> None:
    first, last = supported_years()
    if day.year < first:
        raise CalendarOutOfRange(CALENDAR_OUT_OF_RANGE.format(day=day.isoformat(), first=first, last=last))


def is_provisional(day: dt.date) -> bool:
    """Whether ``day`` lies after the published holiday data (its working days are provisional)."""
    return day.year > supported_years()[1]


@lru_cache(maxsize=1)
def _fixed_holidays() -> frozenset[tuple[int, int]]:
    return frozenset(tuple(int(x) for x in md.split("-")) for md in settings.BRIGADE_FIXED_HOLIDAYS)


@lru_cache(maxsize=16384)
def _calendar_workday(day: dt.date) -> bool:
    # chinese_calendar checks its data's range on every call (≈0.1 ms); a worklist asks for the same
    # few hundred days tens of thousands of times.
    if is_provisional(day):
        return day.weekday() < 5 and (day.month, day.day) not in _fixed_holidays()
    return chinese_calendar.is_workday(day)


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day (make-up working days on weekends included)."""
    _check(day)
    return _calendar_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted).

    "Within 3 working days of the inspection" means on or before ``add_workdays(inspected_on, 3)``:
    an inspection on Friday 2025-01-24 gives Sunday 2025-01-26 (make-up day), Monday 01-27, and —
    after the Spring Festival holiday 01-28…02-04 — Wednesday 2025-02-05.
    ``n == 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError(NEGATIVE_WORKDAYS.format(n=n))
    _check(start)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` < ``start``)."""
    if end < start:
        return -workdays_between(end, start)
    _check(start), _check(end)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if _calendar_workday(start + dt.timedelta(offset))
    )


def next_workday(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day
