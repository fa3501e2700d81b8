"""Numbers written the way official Chinese documents write them (pure functions, Chinese output).

Conventions (one place, so every report, page and notice agrees):

- Counts below 10,000 are written in full: ``3562份``. From 10,000 on they are written in 万 (from
  100,000,000 in 亿) with at most one decimal, **truncated, never rounded**, and ``余`` is added when the
  truncation dropped something: ``12000 → 1.2万份``, ``12345 → 1.2万余份``, ``10000 → 1万份``. A count
  never reads larger than it is.
- ``approx=True`` also rounds small counts *down* to two significant figures with ``余``
  (``3562 → 3500余份``), as people write in a summary's prose. It is off by default: exact is the default.
- Percentages are rounded half up to one decimal and a trailing ``.0`` is dropped: ``12.5%``, ``12%``.
- Year-on-year (同比) compares with the same period a year earlier. Without a unit it gives the relative
  change (``同比上升12.5%``); with a unit, the absolute one (``同比下降3起``). When last year's value is
  missing (None) or 0 a percentage cannot be computed and the phrase is ``去年同期无数据``; 0 against 0,
  or a change that rounds to 0.0%, is ``与去年同期持平``. Nothing ever divides by zero.
- Money is in yuan: ``350元``, ``1.2万元`` (from 10,000 rounded half up to two decimals, trailing zeros
  dropped: money is not a count, ``余`` is not used).
- Durations: ``4分32秒``, ``45秒``, ``4分钟``, ``1小时5分钟``.
- A missing value (None) is written ``无数据``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

NO_DATA = "无数据"
NO_PREVIOUS = "去年同期无数据"
UNCHANGED = "与去年同期持平"

WAN = Decimal(10_000)
YI = Decimal(100_000_000)

Number = int | float | Decimal


def _dec(value: Number) -> Decimal:
    """A Decimal from an int, float or Decimal (floats through repr, so 0.1 stays 0.1)."""
    if isinstance(value, bool):
        raise TypeError("数值不能是布尔值。")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"数值无效：{value}。")
        return Decimal(repr(value))
    raise TypeError(f"不是数值：{value!r}。")


def _plain(d: Decimal, places: int = 2) -> str:
    """Fixed-point text without exponent and without trailing zeros (``12.50 → 12.5``, ``3.0 → 3``)."""
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_count(value: Number | None, unit: str = "", *, approx: bool = False) -> str:
    """A count with its unit: ``3562份``, ``1.2万余份``, ``3.4亿人次``; None gives ``无数据``.

    Parameters
    ----------
    value : the count (negative values keep their sign).
    unit : the measure word written after the number (``份``, ``起``, ``人次`` …).
    approx : below 10,000, round down to two significant figures and add ``余`` when that dropped
        something (``3562 → 3500余``); from 10,000 on truncation and ``余`` always apply.
    """
    if value is None:
        return NO_DATA
    d = _dec(value)
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d >= YI:
        scaled, suffix = d / YI, "亿"
    elif d >= WAN:
        scaled, suffix = d / WAN, "万"
    else:
        scaled, suffix = None, ""
    if scaled is not None:
        # One decimal, truncated: the written figure never exceeds the true one.
        shown = scaled.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        more = "余" if shown != scaled else ""
        return f"{sign}{_plain(shown, 1)}{suffix}{more}{unit}"
    if approx and d >= 100 and d == d.to_integral_value():
        # Keep two significant figures (3562 → 3500, 487 → 480), always rounding down.
        step = Decimal(10) ** (len(str(int(d))) - 2)
        shown = (d / step).to_integral_value(rounding=ROUND_DOWN) * step
        more = "余" if shown != d else ""
        return f"{sign}{int(shown)}{more}{unit}"
    return f"{sign}{_plain(d, 2)}{unit}"


def fmt_percent(value: Number | None, *, digits: int = 1) -> str:
    """A percentage given in percent (``12.46 → 12.5%``, ``12.0 → 12%``); None gives ``无数据``."""
    if value is None:
        return NO_DATA
    return f"{_plain(_dec(value), digits)}%"


def fmt_share(part: Number | None, whole: Number | None, *, digits: int = 1) -> str:
    """``part`` as a percentage of ``whole`` (``fmt_share(1, 8) → 12.5%``); whole 0 or None gives ``无数据``."""
    if part is None or whole is None or _dec(whole) == 0:
        return NO_DATA
    return fmt_percent(_dec(part) * 100 / _dec(whole), digits=digits)


def change_percent(current: Number | None, previous: Number | None) -> Decimal | None:
    """Relative change in percent, or None when it cannot be computed (a value missing, previous 0)."""
    if current is None or previous is None:
        return None
    prev = _dec(previous)
    if prev == 0:
        return None
    return (_dec(current) - prev) * 100 / abs(prev)


def fmt_yoy(
    current: Number | None,
    previous: Number | None,
    unit: str | None = None,
    *,
    digits: int = 1,
    up: str = "上升",
    down: str = "下降",
    prefix: str = "同比",
) -> str:
    """The year-on-year phrase: ``同比上升12.5%``, ``同比下降3起``, ``与去年同期持平``, ``去年同期无数据``.

    Parameters
    ----------
    current, previous : this period's value and the same period's a year earlier.
    unit : None for the relative change in percent; a unit (``起``, ``家``) for the absolute change
        written like a count (``同比增加1.2万余份`` with ``up="增加"``).
    digits : decimals of the percentage.
    up, down : the verbs (``上升/下降``, or ``增加/减少``, ``增长/减少``).
    prefix : written before the verb.
    """
    if current is None:
        return NO_DATA
    if previous is None:
        return NO_PREVIOUS
    cur, prev = _dec(current), _dec(previous)
    if cur == prev:
        return UNCHANGED
    if unit is not None:
        diff = cur - prev
        verb = up if diff > 0 else down
        return f"{prefix}{verb}{fmt_count(abs(diff), unit)}"
    pct = change_percent(cur, prev)
    if pct is None:
        return NO_PREVIOUS
    text = _plain(abs(pct), digits)
    if text == "0":
        return UNCHANGED
    verb = up if pct > 0 else down
    return f"{prefix}{verb}{text}%"


def fmt_money(yuan: Number | None, *, digits: int = 2) -> str:
    """An amount in yuan: ``350元``, ``1.2万元``, ``1.23万元``, ``2亿元``; None gives ``无数据``."""
    if yuan is None:
        return NO_DATA
    d = _dec(yuan)
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d >= YI:
        return f"{sign}{_plain(d / YI, digits)}亿元"
    if d >= WAN:
        return f"{sign}{_plain(d / WAN, digits)}万元"
    return f"{sign}{_plain(d, 2)}元"


def fmt_duration(seconds: Number | None) -> str:
    """A duration from seconds (rounded to the second): ``4分32秒``, ``45秒``, ``4分钟``, ``1小时5分钟``."""
    if seconds is None:
        return NO_DATA
    d = _dec(seconds)
    if d < 0:
        raise ValueError(f"时长不能为负数：{seconds}。")
    total = int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}小时")
    if secs:
        if minutes or hours:
            parts.append(f"{minutes}分")
        parts.append(f"{secs}秒")
    elif minutes:
        parts.append(f"{minutes}分钟")
    return "".join(parts) or "0秒"


def count_phrase(value: Number | None, unit: str = "") -> str:
    """A count for a sentence (same as :func:`fmt_count`, exact below 10,000)."""
    return fmt_count(value, unit)


def yoy_phrase(current: Number | None, previous: Number | None, unit: str = "") -> str:
    """The 同比 clause a sentence appends, or ``""`` when there is nothing to compare with.

    The relative change in percent when last year's value is positive (``同比上升12.5%``,
    ``与去年同期持平``); when last year's value was 0 and ``unit`` is given, the absolute change
    (``同比上升5起``), since a percentage of 0 means nothing; ``""`` when either value is missing, so a
    template can drop the clause instead of writing ``去年同期无数据`` into the prose.
    """
    if current is None or previous is None:
        return ""
    if _dec(previous) == 0:
        if _dec(current) == 0:
            return UNCHANGED
        return fmt_yoy(current, previous, unit) if unit else ""
    return fmt_yoy(current, previous)
