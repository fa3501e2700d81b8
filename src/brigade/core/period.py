"""Reporting periods: a year, half, quarter, month or date range, and the same period a year earlier."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from brigade.core.errors import UserError


class PeriodError(UserError, ValueError):
    """A period string that cannot be read; the message is Chinese and shows the accepted forms."""


PERIOD_FORMS = "可用格式：2025、2025-H1、2025-Q3、2025-03、2025-01-01..2025-06-30"
_HALF_NAMES = {1: "上半年", 2: "下半年"}
_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    key: str  # the string it was parsed from, normalised
    label: str  # Chinese, e.g. 2025年第三季度
    kind: str  # year | half | quarter | month | range

    def previous_year(self) -> "Period":
        """The same period one year earlier (同比基期)."""
        if self.kind == "range":
            start, end = _shift_year(self.start, -1), _shift_year(self.end, -1)
            return parse_period(f"{start.isoformat()}..{end.isoformat()}")
        year = int(self.key[:4]) - 1
        return parse_period(f"{year}{self.key[4:]}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _year(text: str) -> int:
    year = int(text)
    if not 1990 <= year <= 2100:
        raise PeriodError(f"年份 {year} 超出可统计范围（1990～2100）。")
    return year


def parse_period(text: str) -> Period:
    """Read a period string; raise PeriodError with a Chinese message when it cannot be read."""
    raw = (text or "").strip()
    if not raw:
        raise PeriodError(f"请指定统计期间。{PERIOD_FORMS}")
    up = raw.upper()
    if m := re.fullmatch(r"(\d{4})", up):
        y = _year(m[1])
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y}", f"{y}年", "year")
    if m := re.fullmatch(r"(\d{4})-H([12])", up):
        y, h = _year(m[1]), int(m[2])
        start = dt.date(y, 1 if h == 1 else 7, 1)
        end = dt.date(y, 6, 30) if h == 1 else dt.date(y, 12, 31)
        return Period(start, end, f"{y}-H{h}", f"{y}年{_HALF_NAMES[h]}", "half")
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", up):
        y, q = _year(m[1]), int(m[2])
        first_month = 3 * q - 2
        last = dt.date(y, first_month + 2, calendar.monthrange(y, first_month + 2)[1])
        return Period(dt.date(y, first_month, 1), last, f"{y}-Q{q}", f"{y}年{_QUARTER_NAMES[q]}", "quarter")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", up):
        y, month = _year(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"月份 {month} 不存在。{PERIOD_FORMS}")
        last = dt.date(y, month, calendar.monthrange(y, month)[1])
        return Period(dt.date(y, month, 1), last, f"{y}-{month:02d}", f"{y}年{month}月", "month")
    if m := re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\s*\.\.\s*(\d{4}-\d{1,2}-\d{1,2})", up):
        try:
            start, end = (dt.date(*map(int, part.split("-"))) for part in (m[1], m[2]))
        except ValueError as exc:
            raise PeriodError(f"日期“{raw}”不存在。{PERIOD_FORMS}") from exc
        _year(str(start.year)), _year(str(end.year))
        if end < start:
            raise PeriodError(f"期间“{raw}”的结束日期早于开始日期。")
        label = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", label, "range")
    raise PeriodError(f"无法识别统计期间“{raw}”。{PERIOD_FORMS}")


def month_periods(period: Period) -> list[Period]:
    """The calendar months that a period touches, in order (for monthly series)."""
    months, cursor = [], period.start.replace(day=1)
    while cursor <= period.end:
        months.append(parse_period(f"{cursor.year}-{cursor.month:02d}"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months
