"""Tolerant reading of one spreadsheet cell: dates, numbers, yes/no and choice labels as people type them.

Every parser takes the raw cell value (whatever openpyxl or the csv module gave) and returns a
Python value, or raises :class:`CellError` whose message is a Chinese sentence naming the value.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# Full-width ASCII (U+FF01–U+FF5E) to half-width, the ideographic space to a space, and the
# Chinese punctuation people type in numbers and dates.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x3002: ord("."), 0x2014: ord("-"), 0x2212: ord("-")})

# Excel's day 0 (serials count from 1899-12-30 because of the 1900 leap-year bug).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Cells starting with these are formulas to a spreadsheet (see exporter.escape_formula).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The most characters one Excel cell can hold; a longer cell was not typed into a spreadsheet.
MAX_CELL_CHARS = 32767

TRUE_WORDS = {"是", "有", "y", "yes", "true", "t", "1", "√", "✓", "✔", "对", "是的", "已", "○"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "f", "0", "×", "✗", "✘", "✕", "x", "不是", "没有", "未", "不"}


class CellError(ValueError):
    """A cell whose value cannot be read; ``str(error)`` is the Chinese reason."""


class FormulaValue(str):
    """The text of a formula cell (``=1+1``), as the workbook reader hands it over: never evaluated."""


def check_cell(value) -> None:
    """Refuse what no ledger column accepts: a formula, or more text than an Excel cell holds.

    The import never evaluates a formula (nor trusts the result another program cached for it), and
    never cuts a long text down to fit: both are refused with the reason, so the user can fix the cell.
    Text that merely looks like a formula (typed as text, or in a CSV) is kept as text; the export
    escapes it again (``exporter.escape_formula``).
    """
    if isinstance(value, FormulaValue):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise CellError(
            f"单元格是公式“{shown}”，导入时不计算公式；请在 Excel 中选中该列，“复制”后“选择性粘贴→数值”，再导入。"
        )
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise CellError(
            f"内容长达 {len(value)} 个字符，超过了单元格上限 {MAX_CELL_CHARS} 个字符，未导入（不会截断保存）；"
            "请检查这一格是否误粘贴了大量内容。"
        )


def half_width(text: str) -> str:
    """Full-width digits, letters, punctuation and spaces → half-width."""
    return text.translate(_HALF_WIDTH)


def clean_text(value) -> str:
    """A cell as trimmed half-width text ('' for an empty cell); undoes our own formula escaping."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = half_width(str(value)).strip()
    # Exports escape formula-like text with a leading apostrophe; reading it back removes it.
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def is_blank(value) -> bool:
    # str.strip() drops the ideographic and no-break spaces too: the same answer as clean_text, without
    # translating a long cell character by character.
    return value is None or (isinstance(value, str) and not value.strip())


def _from_serial(number: float) -> dt.datetime:
    return EXCEL_EPOCH + dt.timedelta(days=float(number))


_DATE_RE = re.compile(
    r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*(?:日|号)?"
    r"(?:[\sT]*(\d{1,2})\s*(?:[:：]|时|点)\s*(?:(\d{1,2})\s*分?)?(?:\s*[:：]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?"
)
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})(\d{2})(\d{2})?)?")


def parse_datetime(value, *, what: str = "日期时间") -> dt.datetime:
    """A naive datetime from a date/datetime cell, an Excel serial, or text in the usual Chinese forms.

    Accepted text: ``2022年3月5日``, ``2022.3.5``, ``2022/03/05``, ``2022-3-5 14:20``,
    ``2022-03-05 14:20:31``, ``20220305``; full-width digits are fine.
    """
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise CellError(f"无法识别的{what}“{value}”。")
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:  # 20220305 typed as a number
            return _ymd(str(int(number)), what)
        if 1 <= number < 2958466:  # Excel serial: days since 1899-12-30 (fraction = time of day)
            return _from_serial(number)
        raise CellError(f"无法识别的{what}“{value}”。")
    text = clean_text(value)
    if not text:
        raise CellError(f"{what}为空。")
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a serial that arrived as text (CSV saved from Excel)
        return _from_serial(float(text))
    bare, half_day = split_half_day(text)
    m = _DATE_RE.fullmatch(bare) or _COMPACT_RE.fullmatch(bare)
    if not m or (half_day and m.group(4) is None):
        raise CellError(
            f"无法识别的{what}“{text}”（可写作 2022-03-05、2022/3/5、2022.3.5、2022年3月5日，"
            "时间如 14:20、8时55分、下午 2:20）。"
        )
    y, mo, d, hh, mi, ss = m.groups()
    try:
        hour = twelve_to_24(int(hh), half_day) if half_day else int(hh or 0)
        seconds = float(ss or 0)
        return dt.datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(seconds))
    except ValueError:
        raise CellError(f"{what}“{text}”不存在（请检查月份、日期或时间）。") from None


# Chinese (and English) halves of the day written before or after a 12-hour time; "PM" is afternoon.
_HALF_DAY_RE = re.compile(r"上午|下午|中午|晚上|凌晨|早上|早晨|清晨|傍晚|夜里|夜间|午后|(?<![a-z])[ap]\.?m\.?(?![a-z])",
                          re.IGNORECASE)
_AFTERNOON = {"下午", "晚上", "傍晚", "夜里", "夜间", "午后", "pm"}


def split_half_day(text: str) -> tuple[str, str]:
    """``"2024/10/10 上午 08:55:04"`` → (``"2024/10/10 08:55:04"``, ``"上午"``); ('' when there is none)."""
    m = _HALF_DAY_RE.search(text)
    if not m:
        return text, ""
    word = m.group(0).replace(".", "").lower()
    return re.sub(r"\s+", " ", text[: m.start()] + " " + text[m.end():]).strip(), word


def twelve_to_24(hour: int, half_day: str) -> int:
    """The 24-hour hour of a 12-hour time: 下午 2 → 14, 上午 12 → 0, 中午 12 → 12, 中午 1 → 13."""
    if hour > 12:  # "下午 14:20": already 24-hour
        return hour
    if half_day in _AFTERNOON:
        return hour % 12 + 12
    if half_day == "中午":
        return hour if hour >= 11 else hour + 12
    return hour % 12


def _ymd(digits: str, what: str) -> dt.datetime:
    try:
        return dt.datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise CellError(f"{what}“{digits}”不存在（请检查月份和日期）。") from None


def parse_date(value, *, what: str = "日期") -> dt.date:
    """A date; a time of day in the cell is allowed and dropped."""
    return parse_datetime(value, what=what).date()


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"“{clean_text(value)}”应填写“是”或“否”。")


def _number_text(value) -> str:
    text = clean_text(value).replace(",", "").replace("，", "").replace(" ", "")
    for suffix in ("元", "人", "次", "辆", "个", "台", "部", "处", "家", "份", "场", "起", "项"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


# Units people type after a number ("1300升/分", "65mm"). The column's header says which unit it is
# kept in; a unit here is only dropped, never converted.
MEASURE_UNITS = (
    "升/分钟", "升/分", "升每分钟", "升/秒", "升每秒", "l/min", "l/s", "m³/h", "立方米/小时",
    "平方公里", "平方千米", "km²", "km2", "平方米", "㎡", "m²", "m2", "公里", "千米", "km", "毫米", "mm",
    "厘米", "cm", "米", "m", "兆帕", "mpa", "千帕", "kpa", "公斤", "千克", "kg", "吨", "t", "立方米", "m³",
    "小时", "分钟", "秒", "层", "万元",
)
_UNIT_RE = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(万)?\s*(" + "|".join(
    re.escape(u) for u in sorted(MEASURE_UNITS, key=len, reverse=True)) + ")", re.IGNORECASE)


def strip_unit(text: str) -> str:
    """``"1300升/分"`` → ``"1300"``; ``"1.5万元"`` → ``"1.5万"``; other text unchanged."""
    m = _UNIT_RE.fullmatch(text)
    if not m:
        return text
    unit = m.group(3)
    return m.group(1) + (m.group(2) or "") + ("万" if unit == "万元" else "")


def parse_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字。")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = strip_unit(_number_text(value))
    multiplier = Decimal(1)
    if text.endswith("万"):
        text, multiplier = text[:-1], Decimal(10000)
    try:
        number = Decimal(text) * multiplier
    except InvalidOperation:
        raise CellError(f"“{clean_text(value)}”不是数字。") from None
    if not number.is_finite():
        raise CellError(f"“{clean_text(value)}”不是数字。")
    return number


def parse_int(value) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(f"“{clean_text(value)}”应为整数。")
    return int(number)


def parse_float(value) -> float:
    return float(parse_decimal(value))


def _choice_key(text: str) -> str:
    return re.sub(r"[\s（）()·、,，]", "", half_width(text)).lower()


class ChoiceMap:
    """Chinese labels (or the codes themselves) of a choice set → codes."""

    def __init__(self, choices):
        self.choices = [(str(code), str(label)) for code, label in choices]
        self._lookup = {}
        for code, label in self.choices:
            for key in (code, label):
                self._lookup.setdefault(_choice_key(key), code)
        self.labels = [label for _, label in self.choices]

    def parse(self, value) -> str:
        text = clean_text(value)
        code = self._lookup.get(_choice_key(text))
        if code is None:
            raise CellError(f"“{text}”不是可选的值（可选：{'、'.join(self.labels)}）。")
        return code

    def label(self, code) -> str:
        return dict(self.choices).get(code, code or "")


# ---------------------------------------------------------------------------------------------
# Coordinates: decimal degrees, degrees-minutes-seconds, or both axes in one cell.

_DMS_RE = re.compile(
    r"(?P<pre>[东西南北]经?纬?|[EWNS])?\s*(?P<deg>\d+(?:\.\d+)?)\s*(?:°|度)?\s*"
    r"(?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|分|’))?\s*(?:(?P<sec>\d+(?:\.\d+)?)\s*(?:\"|″|秒|''|”)?)?\s*"
    r"(?P<post>[EWNS])?",
    re.IGNORECASE,
)


def _degrees(text: str) -> tuple[float, str]:
    """One coordinate as decimal degrees and its hemisphere letter or word ('' when none is written)."""
    text = text.strip()
    try:
        return float(text), ""
    except ValueError:
        pass
    m = _DMS_RE.fullmatch(text)
    if not m or ("°" not in text and "度" not in text and not (m["pre"] or m["post"])):
        raise CellError(f"无法识别的坐标“{text}”（可写作 118.35、118°21′00″ 或 东经118.35）。")
    value = float(m["deg"]) + float(m["min"] or 0) / 60 + float(m["sec"] or 0) / 3600
    side = (m["pre"] or m["post"] or "")[:1].upper()
    if side in ("W", "S", "西", "南"):
        value = -value
    return value, side


def parse_coordinate(value, *, axis: str) -> float:
    """A longitude (``axis="lon"``) or latitude from a number, 118°21′36″, 东经118.36 or 118.36E."""
    if isinstance(value, bool):
        raise CellError(f"无法识别的坐标“{value}”。")
    if isinstance(value, int | float | Decimal):
        return float(value)
    number, side = _degrees(clean_text(value).replace("＇", "'"))
    if side and (side in "EW东西") != (axis == "lon"):
        raise CellError(f"“{clean_text(value)}”是{'纬度' if axis == 'lon' else '经度'}，填在了{'经度' if axis == 'lon' else '纬度'}列。")
    return number


def parse_point(value) -> tuple[float, float]:
    """(lon, lat) from one cell: "118.35,35.06", "35.06，118.35" (the order told by the numbers), or two
    DMS values with N/E marks. Latitude first is recognised when it is the only reading that fits."""
    text = clean_text(value)
    parts = [p for p in re.split(r"\s*[,，;；/]\s*|\s+(?=[东西南北EWNSewns]?\d)", text) if p]
    if len(parts) != 2:
        raise CellError(f"无法识别的坐标“{text}”（请写作“经度,纬度”，如 118.35,35.06）。")
    (a, side_a), (b, side_b) = _degrees(parts[0]), _degrees(parts[1])
    lat_first = (side_a and side_a in "NS南北") or (side_b and side_b in "EW东西") or (abs(a) <= 90 < abs(b))
    return (b, a) if lat_first else (a, b)
