"""Durations as dispatch systems write them."""

import datetime as dt

import pytest

from brigade.io.cells import CellError
from brigade.io.durations import looks_like_duration, parse_duration


@pytest.mark.parametrize(("value", "seconds"), [
    ("8 分 10 秒", 490), ("5分4秒", 304), ("00:08:10", 490), ("8:10", 490), ("1小时2分", 3720), ("11分", 660),
    ("90秒", 90), ("２分３秒", 123), ("1:00:00", 3600), (490, 490), (490.5, 490.5), ("490", 490),
    (dt.timedelta(minutes=3), 180), (dt.time(0, 8, 10), 490), ("3分钟", 180), ("8'10\"", 490),
])
def test_readable_durations(value, seconds):
    assert parse_duration(value) == seconds


def test_bare_numbers_take_the_unit_the_profile_names():
    assert parse_duration("8", unit="minutes") == 480 and parse_duration(2, unit="hours") == 7200


@pytest.mark.parametrize("value", ["约8分", "八分十秒", "8分10", "", "-5", True, "10:99:99:1"])
def test_unreadable_durations_say_so_in_chinese(value):
    with pytest.raises(CellError, match="时长"):
        parse_duration(value)


def test_only_duration_text_looks_like_a_duration():
    assert looks_like_duration("8 分 10 秒") and looks_like_duration("00:08:10")
    assert not looks_like_duration("490") and not looks_like_duration("居民") and not looks_like_duration(None)
