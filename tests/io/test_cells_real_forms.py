"""Value forms seen in brigades' own registers: 12-hour Chinese times, units, coordinates, merged cells."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from brigade.io.cells import (
    CellError,
    parse_bool,
    parse_coordinate,
    parse_datetime,
    parse_decimal,
    parse_point,
)
from brigade.io.workbook import SpreadsheetFile


@pytest.mark.parametrize("text, expected", [
    ("2024/10/10 上午 08:55:04", dt.datetime(2024, 10, 10, 8, 55, 4)),
    ("2024/10/10 下午 02:05:00", dt.datetime(2024, 10, 10, 14, 5)),
    ("2024/10/10 下午 14:05", dt.datetime(2024, 10, 10, 14, 5)),
    ("2024/10/10 上午 12:30:00", dt.datetime(2024, 10, 10, 0, 30)),
    ("2024/10/10 中午 12:10", dt.datetime(2024, 10, 10, 12, 10)),
    ("2024/10/10 中午 1:10", dt.datetime(2024, 10, 10, 13, 10)),
    ("2024/10/10 晚上 9:00", dt.datetime(2024, 10, 10, 21, 0)),
    ("2024年10月10日 8时55分", dt.datetime(2024, 10, 10, 8, 55)),
    ("2024年10月10日下午3点", dt.datetime(2024, 10, 10, 15, 0)),
    ("2024年10月10日 8时55分30秒", dt.datetime(2024, 10, 10, 8, 55, 30)),
    ("10/10/2024".replace("10/10/2024", "2024-10-10 8:55 PM"), dt.datetime(2024, 10, 10, 20, 55)),
    ("２０２４／１０／１０　上午　０８：５５ ", dt.datetime(2024, 10, 10, 8, 55)),
    (45575.5, dt.datetime(2024, 10, 10, 12, 0)),  # an Excel serial date and time
    ("45575.25", dt.datetime(2024, 10, 10, 6, 0)),
])
def test_datetime_forms(text, expected):
    assert parse_datetime(text) == expected


def test_half_day_without_time_is_refused():
    with pytest.raises(CellError, match="无法识别"):
        parse_datetime("2024/10/10 下午")


@pytest.mark.parametrize("text, expected", [
    ("1300升/分", Decimal(1300)), ("65mm", Decimal(65)), ("65 MM", Decimal(65)), ("0.6MPa", Decimal("0.6")),
    ("1.5万元", Decimal(15000)), ("40.5平方公里", Decimal("40.5")), ("１２米", Decimal(12)), ("3层 ", Decimal(3)),
])
def test_numbers_with_units(text, expected):
    assert parse_decimal(text) == expected


def test_unknown_unit_is_still_an_error():
    with pytest.raises(CellError, match="不是数字"):
        parse_decimal("12个半")


@pytest.mark.parametrize("text, axis, expected", [
    ("118°21′36″", "lon", 118.36), ("35°3'36\"", "lat", 35.06), ("东经118.36", "lon", 118.36),
    ("北纬35.06", "lat", 35.06), ("118.36E", "lon", 118.36), ("118度21分36秒", "lon", 118.36),
    ("W 73.5", "lon", -73.5),
])
def test_coordinate_forms(text, axis, expected):
    assert parse_coordinate(text, axis=axis) == pytest.approx(expected)


def test_coordinate_in_the_wrong_column_is_named():
    with pytest.raises(CellError, match="是纬度，填在了经度列"):
        parse_coordinate("北纬35.06", axis="lon")


@pytest.mark.parametrize("text, expected", [
    ("120.69,24.10", (120.69, 24.10)), ("120.69，24.10", (120.69, 24.10)), ("24.10, 120.69", (120.69, 24.10)),
    ("120.69 24.10", (120.69, 24.10)), ("N24°6′ E120°41′24″", (120.69, 24.1)),
])
def test_point_in_one_cell(text, expected):
    assert parse_point(text) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [("是", True), ("否", False), ("True", True), ("FALSE", False),
                                            ("√", True), ("×", False), ("ｙｅｓ", True), ("✘", False)])
def test_yes_no_words(text, expected):
    assert parse_bool(text) is expected


def test_merged_cells_down_a_column_fill_every_row(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(["2024年消火栓台账"])
    ws.merge_cells("A1:C1")  # a title: merged across, left as it is
    ws.append(["编号", "镇街", "状态"])
    for i in range(5):
        ws.append([f"XHS-{i}", "九曲街道" if i in (0, 3) else None, "完好"])
    ws.merge_cells("B3:B5")
    ws.merge_cells("B6:B7")
    book.save(tmp_path / "m.xlsx")
    f = SpreadsheetFile(tmp_path / "m.xlsx")
    rows = list(f.sheets()[0].all_rows())
    f.close()
    assert all(c is None for c in rows[0][1][1:])  # the title's merge is not spread
    assert [r[1] for _, r in rows[2:]] == ["九曲街道"] * 5
