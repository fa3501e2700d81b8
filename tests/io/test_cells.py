"""Tolerant cell parsing: dates, numbers, yes/no, choice labels as people type them."""

import datetime as dt
from decimal import Decimal

import pytest

from brigade.io.cells import (
    CellError,
    ChoiceMap,
    clean_text,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
)
from brigade.supervision.choices import InspectionKind

D = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (44625, D(2022, 3, 5)),  # Excel serial
        (44625.6, D(2022, 3, 5)),
        ("2022年3月5日", D(2022, 3, 5)),
        ("2022.3.5", D(2022, 3, 5)),
        ("2022/03/05", D(2022, 3, 5)),
        ("2022-3-5 14:20", D(2022, 3, 5)),
        ("２０２２－０３－０５", D(2022, 3, 5)),  # full-width
        (" 2022年03月05号 ", D(2022, 3, 5)),
        (20220305, D(2022, 3, 5)),
        (dt.datetime(2022, 3, 5, 8), D(2022, 3, 5)),
    ],
)
def test_dates_in_every_usual_form(raw, expected):
    assert parse_date(raw) == expected


def test_datetime_keeps_the_time():
    assert parse_datetime("2022-3-5 14:20") == dt.datetime(2022, 3, 5, 14, 20)
    assert parse_datetime("2022年3月5日 14时20分05秒") == dt.datetime(2022, 3, 5, 14, 20, 5)
    assert parse_datetime(44625.5) == dt.datetime(2022, 3, 5, 12, 0)


@pytest.mark.parametrize("raw", ["2022-13-01", "明天", "2022-02-30", True])
def test_bad_dates_say_why_in_chinese(raw):
    with pytest.raises(CellError) as exc:
        parse_date(raw)
    assert "日期" in str(exc.value)


def test_full_width_text_numbers_and_booleans():
    assert clean_text("ＡＢＣ　１２３ ") == "ABC 123"
    assert parse_int("１２") == 12 and parse_int("1,200人") == 1200
    with pytest.raises(CellError, match="整数"):
        parse_int("1.5")
    assert parse_bool("是") is True and parse_bool("否") is False and parse_bool("Ｙ") is True
    with pytest.raises(CellError, match="是.*否"):
        parse_bool("也许")


def test_choice_labels_become_codes():
    choices = ChoiceMap(InspectionKind.choices)
    assert choices.parse("双随机抽查") == "random"
    assert choices.parse(" 专项检查 ") == "special"
    assert choices.parse("random") == "random"
    with pytest.raises(CellError, match="可选：双随机抽查"):
        choices.parse("随便查查")
    assert clean_text("'=1+1") == "=1+1"  # our own formula escaping is undone on import
    assert Decimal("0") == 0
