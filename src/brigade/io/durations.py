"""Durations as dispatch systems write them: "8 分 10 秒", "5分4秒", "00:08:10", "1小时2分", or seconds.

``parse_duration`` returns seconds (float) or raises :class:`~brigade.io.cells.CellError` with a
Chinese sentence naming the value. A bare number is read in the unit the caller names (a profile
says whether its column holds seconds or minutes).
"""

import datetime as dt
import re
from decimal import Decimal

from brigade.io.cells import CellError, clean_text

_UNITS = {"天": 86400, "日": 86400, "小时": 3600, "时": 3600, "h": 3600, "分钟": 60, "分": 60, "min": 60,
          "m": 60, "'": 60, "秒钟": 1, "秒": 1, "s": 1, "sec": 1, '"': 1, "''": 1}
# One number and its unit; longer unit words first so "分钟" is not read as "分" + "钟".
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + ")")
_CLOCK = re.compile(r"(?:(\d+)\s*:\s*)?(\d{1,2})\s*:\s*(\d{1,2}(?:\.\d+)?)")
NUMBER_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}


def parse_duration(value, *, unit: str = "seconds", what: str = "时长") -> float:
    """Seconds from a duration cell. ``unit`` is how to read a bare number (seconds/minutes/hours)."""
    if isinstance(value, bool):
        raise CellError(f"无法识别的{what}“{value}”。")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dt.time):  # a duration typed as a time of day in Excel (00:08:10)
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    scale = NUMBER_UNITS.get(unit)
    if scale is None:
        raise ValueError(f"unknown duration unit {unit!r}")
    if isinstance(value, int | float | Decimal):
        seconds = float(value) * scale
        if seconds < 0 or seconds != seconds:
            raise CellError(f"{what}“{value}”不能为负数。")
        return seconds
    text = clean_text(value).lower().replace("：", ":")
    if not text:
        raise CellError(f"{what}为空。")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) * scale
    m = _CLOCK.fullmatch(text)
    if m:
        hours, minutes, seconds = m.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    compact = re.sub(r"\s+", "", text)
    parts = _PART.findall(compact)
    if parts and "".join(n + u for n, u in parts) == compact:
        return sum(float(n) * _UNITS[u] for n, u in parts)
    raise CellError(f"无法识别的{what}“{clean_text(value)}”（可写作 8分10秒、00:08:10 或秒数 490）。")


def looks_like_duration(value) -> bool:
    """Text that only a duration would be (used to draft profiles): "8分10秒", "00:08:10"."""
    if not isinstance(value, str):
        return isinstance(value, dt.timedelta)
    text = clean_text(value)
    if not text or re.fullmatch(r"\d+(?:\.\d+)?", text):
        return False
    try:
        parse_duration(text)
    except CellError:
        return False
    return True
