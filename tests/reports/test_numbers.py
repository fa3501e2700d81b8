"""Official number formats: counts in 万/亿 truncated with 余, percentages, 同比, money, durations."""

from decimal import Decimal

import pytest

from brigade.reports.numbers import (
    NO_DATA,
    NO_PREVIOUS,
    UNCHANGED,
    change_percent,
    count_phrase,
    fmt_count,
    fmt_duration,
    fmt_money,
    fmt_percent,
    fmt_share,
    fmt_yoy,
    yoy_phrase,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0份"),
        (1, "1份"),
        (3562, "3562份"),
        (9999, "9999份"),
        (10000, "1万份"),
        (12000, "1.2万份"),
        (12345, "1.2万余份"),
        (19999, "1.9万余份"),  # truncated, never rounded up to 2万
        (99999, "9.9万余份"),
        (100000, "10万份"),
        (12345678, "1234.5万余份"),
        (100_000_000, "1亿份"),
        (1e8, "1亿份"),
        (123_456_789, "1.2亿余份"),
        (-12345, "-1.2万余份"),
        (2.5, "2.5份"),
        (Decimal("10000.5"), "1万余份"),
        (None, NO_DATA),
    ],
)
def test_count(value, expected):
    assert fmt_count(value, "份") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3562, "3500余条"), (3500, "3500条"), (487, "480余条"), (99, "99条"), (9999, "9900余条"), (12345, "1.2万余条")],
)
def test_count_approx_rounds_small_counts_down_with_yu(value, expected):
    assert fmt_count(value, "条", approx=True) == expected


def test_count_without_unit_and_count_phrase():
    assert fmt_count(12345) == "1.2万余"
    assert count_phrase(842, "起") == "842起"


def test_count_rejects_non_numbers():
    with pytest.raises(TypeError):
        fmt_count("12", "份")
    with pytest.raises(TypeError):
        fmt_count(True, "份")
    with pytest.raises(ValueError):
        fmt_count(float("nan"), "份")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12.5, "12.5%"), (12.45, "12.5%"), (12.0, "12%"), (0, "0%"), (0.04, "0%"), (100, "100%"), (-3.25, "-3.3%"),
     (None, NO_DATA)],
)
def test_percent(value, expected):
    assert fmt_percent(value) == expected


def test_share_never_divides_by_zero():
    assert fmt_share(1, 8) == "12.5%"
    assert fmt_share(3, 3) == "100%"
    assert fmt_share(1, 0) == NO_DATA
    assert fmt_share(None, 5) == NO_DATA
    assert fmt_share(1, 3, digits=2) == "33.33%"


@pytest.mark.parametrize(
    ("current", "previous", "unit", "expected"),
    [
        (112.5, 100, None, "同比上升12.5%"),
        (900, 1000, None, "同比下降10%"),
        (97, 100, "起", "同比下降3起"),
        (103, 100, "起", "同比上升3起"),
        (100, 100, None, UNCHANGED),
        (100, 100, "起", UNCHANGED),
        (0, 0, None, UNCHANGED),
        (1_000_001, 1_000_000, None, UNCHANGED),  # rounds to 0.0%
        (5, 0, None, NO_PREVIOUS),  # a percentage of 0 cannot be computed
        (5, 0, "起", "同比上升5起"),  # the absolute change can
        (5, None, None, NO_PREVIOUS),
        (5, None, "起", NO_PREVIOUS),
        (None, 5, None, NO_DATA),
        (32345, 20000, "份", "同比上升1.2万余份"),
    ],
)
def test_yoy(current, previous, unit, expected):
    assert fmt_yoy(current, previous, unit) == expected


def test_yoy_words_and_change_percent():
    assert fmt_yoy(120, 100, up="增长", down="减少") == "同比增长20%"
    assert fmt_yoy(80, 100, "家", up="增加", down="减少") == "同比减少20家"
    assert change_percent(120, 100) == 20
    assert change_percent(1, 0) is None
    assert change_percent(None, 3) is None


def test_yoy_phrase_is_empty_when_nothing_to_compare():
    assert yoy_phrase(120, 100, "起") == "同比上升20%"
    assert yoy_phrase(5, 0, "起") == "同比上升5起"
    assert yoy_phrase(5, 0, "") == ""
    assert yoy_phrase(0, 0, "起") == UNCHANGED
    assert yoy_phrase(5, None, "起") == ""
    assert yoy_phrase(None, 5, "起") == ""


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [(0, "0元"), (350, "350元"), (350.456, "350.46元"), (9999, "9999元"), (10000, "1万元"), (12000, "1.2万元"),
     (12345, "1.23万元"), (30_000_000, "3000万元"), (1e8, "1亿元"), (250_000_000, "2.5亿元"), (None, NO_DATA)],
)
def test_money(yuan, expected):
    assert fmt_money(yuan) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0秒"), (45, "45秒"), (60, "1分钟"), (272, "4分32秒"), (272.6, "4分33秒"), (3600, "1小时"),
     (3900, "1小时5分钟"), (3932, "1小时5分32秒"), (None, NO_DATA)],
)
def test_duration(seconds, expected):
    assert fmt_duration(seconds) == expected


def test_negative_duration_is_an_error():
    with pytest.raises(ValueError, match="不能为负数"):
        fmt_duration(-1)
