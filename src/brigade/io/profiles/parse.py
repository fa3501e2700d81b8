"""File rows → calls with their responding units, through a profile; nothing is written here.

A row holds one or more unit groups (one vehicle per row, or a station and a micro fire station
side by side); rows sharing the call's key are one call. Unreadable rows are errors (nothing will
be imported); doubtful values on readable rows are data-quality flags and the record is kept:
a timestamp earlier than the one before it in the timeline is emptied, an unreadable duration is
left unused, a duration that disagrees with its timestamps by more than the tolerance is named.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from brigade.io.cells import CellError, check_cell
from brigade.io.durations import parse_duration
from brigade.io.importer import ImportReport, RowError
from brigade.io.profiles.spec import TIME_FIELDS, TIME_LABELS, Column, Profile, UnitGroup, station_name

# Parsed values → the model field's length limit.
LIMITS = {"number": 40, "address": 200, "street": 50, "area": 80, "station": 80, "vehicle": 20, "vehicle_type": 80,
          "alarm_type": 80, "brigade": 100}


def text(value) -> str:
    """A cell as text: '' for empty, 39 for 39.0, a datetime as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


@dataclass
class UnitRow:
    row: int
    group: UnitGroup
    station: str  # the unit's station name ('' when it comes from the call's area or the vehicle)
    vehicle: str
    vehicle_type: str
    times: dict[str, dt.datetime | None]
    derived: list[str] = field(default_factory=list)  # fields computed from a duration


@dataclass
class CallRow:
    row: int
    number: str
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    address: str
    street: str
    location: tuple[float, float] | None
    category: str
    alarm_type: str
    brigade: str
    area: str  # first-due station name ('' = unknown)
    units: list[UnitRow]


class _RowText(dict):
    """``{header}`` lookups for the number template, read from one row on demand."""

    def __init__(self, header: list[str], cells: tuple):
        super().__init__()
        self.header, self.cells = header, cells

    def __missing__(self, key):
        try:
            i = self.header.index(key)
        except ValueError:
            raise KeyError(key) from None
        return text(self.cells[i]) if i < len(self.cells) else ""


def _fmt_s(seconds: float) -> str:
    seconds = int(round(seconds))
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    return f"{sign}{seconds // 60}分{seconds % 60:02d}秒"


class RowParser:
    def __init__(self, prof: Profile, header: list[str], report: ImportReport):
        self.prof, self.header, self.report = prof, header, report
        self.used = sorted({c.index for c in prof.columns() if c.index is not None})
        self.derived = 0

    def raw(self, cells: tuple, col: Column | None):
        if col is None or col.index is None or col.index >= len(cells):
            return None
        return cells[col.index]

    def get(self, cells: tuple, col: Column | None) -> str:
        return text(self.raw(cells, col))

    def parse(self, n: int, cells: tuple) -> CallRow | None:
        prof, errors = self.prof, self.report.errors
        before = len(errors)
        for i in self.used:  # a formula or over-long cell: the row is refused, never cut or evaluated
            if i < len(cells):
                try:
                    check_cell(cells[i])
                except CellError as exc:
                    errors.append(RowError(n, self.header[i], str(exc)))
        if len(errors) > before:
            return None
        try:
            received = prof.when(self.raw(cells, prof.received))
            if received is None:
                errors.append(RowError(n, prof.received.label, "接警时间为空。"))
                return None
        except ValueError as exc:
            errors.append(RowError(n, prof.received.label, str(exc)))
            return None
        number = self._number(n, cells, received)
        dispatched = self._time(n, cells, prof.dispatched)
        location = None
        if prof.location is not None:
            try:
                location = prof.location_of(self.get(cells, prof.location))
            except ValueError as exc:
                errors.append(RowError(n, prof.location.label, str(exc)))
        get = lambda col: self.get(cells, col)  # noqa: E731
        brigade = get(prof.brigade_column) or prof.brigade_name
        if not brigade:
            errors.append(RowError(n, prof.brigade_column.label, "所属大队为空（映射配置也没有给出默认大队 brigade.name）。"))
        # A call no unit went to (cancelled on the way, a false alarm cleared by phone) is still a call:
        # it counts, and the quality checks list it among the calls without dispatch.
        units = [u for g in prof.units if (u := self._unit(n, cells, g, received)) is not None]
        call = CallRow(n, number or "", received, dispatched, get(prof.address), get(prof.street), location,
                       prof.category_of(get), get(prof.alarm_type), brigade,
                       station_name(prof.area_name, get(prof.area)), units)
        if len(errors) > before or not self._fits(call):
            return None
        return call

    def _number(self, n: int, cells: tuple, received: dt.datetime) -> str | None:
        prof = self.prof
        if prof.group_by is not None:
            key = self.get(cells, prof.group_by)
            if not key:
                self.report.errors.append(RowError(n, prof.group_by.label, "警情编号为空。"))
                return None
            try:
                return str(prof.number or "{" + prof.group_by.label + "}").format_map(
                    _RowText(self.header, cells)).strip()
            except (KeyError, ValueError, IndexError) as exc:
                self.report.errors.append(RowError(n, prof.group_by.label, f"警情编号模板无法使用（{exc}）。"))
                return None
        # No call number: a key made of the received time and the profile's key columns, stable on re-import.
        parts = [received.isoformat() if col is prof.received or col.names == prof.received.names
                 else self.get(cells, col) for col in prof.key]
        digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]
        return f"{prof.key_prefix}{received:%Y%m%d%H%M%S}-{digest}"

    def _time(self, n: int, cells: tuple, col: Column | None) -> dt.datetime | None:
        try:
            return self.prof.when(self.raw(cells, col)) if col is not None else None
        except ValueError as exc:
            self.report.errors.append(RowError(n, col.label, str(exc)))
            return None

    def _unit(self, n: int, cells: tuple, g: UnitGroup, received: dt.datetime) -> UnitRow | None:
        cols = g.columns()
        if all(self.get(cells, c) == "" for c in cols):
            return None  # this unit did not respond to the call
        errors = self.report.errors
        before = len(errors)
        vehicle, station = self.get(cells, g.vehicle), self.get(cells, g.station)
        if g.vehicle is not None and not vehicle:
            errors.append(RowError(n, g.vehicle.label, "车辆编号为空。"))
        if g.station_from == "column" and not station and g.default_name:
            try:
                station = g.default_name.format_map(_RowText(self.header, cells)).strip()
            except (KeyError, ValueError, IndexError) as exc:
                errors.append(RowError(n, g.name_label, f"单位名称模板无法使用（{exc}）。"))
        if g.station_from == "column" and not station and len(errors) == before:
            errors.append(RowError(n, g.name_label, f"{g.label}有出动信息，但名称为空。"))
        times = {f: self._time(n, cells, col) for f, col in g.times.items()}
        if len(errors) > before:
            return None
        unit = UnitRow(n, g, station if g.station is None else station_name(g.station_name, station), vehicle, self.get(cells, g.vehicle_kind),
                       {f: times.get(f) for f in TIME_FIELDS})
        self._durations(n, cells, unit, received)
        return unit

    def _durations(self, n: int, cells: tuple, unit: UnitRow, received: dt.datetime) -> None:
        g, flags = unit.group, self.report.flags
        for f, d in g.durations.items():
            raw = self.raw(cells, d.column)
            if text(raw) == "":
                continue
            try:
                seconds = parse_duration(raw, unit=d.unit, what=d.column.label)
            except CellError as exc:
                flags.append(RowError(n, d.column.label, f"{exc}该时长未使用，记录保留。"))
                continue
            start = received if d.start == "received_at" else unit.times[d.start]
            end = unit.times[f]
            if end is None and start is not None:
                unit.times[f] = start + dt.timedelta(seconds=seconds)
                unit.derived.append(f)
                self.derived += 1
            elif start is None and end is not None and d.start != "received_at":
                unit.times[d.start] = end - dt.timedelta(seconds=seconds)
                unit.derived.append(d.start)
                self.derived += 1
            elif start is not None and end is not None:
                between = (end - start).total_seconds()
                if abs(between - seconds) > self.prof.tolerance_s:
                    flags.append(RowError(n, d.column.label, (
                        f"{g.label}{TIME_LABELS[d.start]}到{TIME_LABELS[f]}为 {_fmt_s(between)}，而“{d.column.label}”"
                        f"记为 {_fmt_s(seconds)}（“{text(raw)}”），相差超过 {self.prof.tolerance_s:.0f} 秒："
                        "统计以时间为准，记录保留。")))

    def _fits(self, call: CallRow) -> bool:
        """Every value within its field's length (it would otherwise be cut short silently)."""
        prof, ok = self.prof, True
        checks = [("number", call.number, prof.group_by), ("address", call.address, prof.address),
                  ("street", call.street, prof.street), ("area", call.area, prof.area),
                  ("alarm_type", call.alarm_type, prof.alarm_type), ("brigade", call.brigade, prof.brigade_column)]
        for u in call.units:
            checks += [("station", u.station, u.group.station), ("vehicle", u.vehicle, u.group.vehicle),
                       ("vehicle_type", u.vehicle_type, u.group.vehicle_kind)]
        for key, value, col in checks:
            if len(value) > LIMITS[key]:
                self.report.errors.append(RowError(
                    call.row, col.label if col else key,
                    f"内容长达 {len(value)} 个字符，超过了 {LIMITS[key]} 个字符的上限，未导入（不会截断保存）。"))
                ok = False
        return ok


def parse_rows(prof: Profile, header: list[str], rows, report: ImportReport) -> tuple[dict[str, list[CallRow]], int]:
    """Rows → calls (key → its rows, in file order) and how many times were derived from durations."""
    parser = RowParser(prof, header, report)
    calls: dict[str, list[CallRow]] = defaultdict(list)
    for n, cells in rows:
        call = parser.parse(n, cells)
        if call is not None:
            calls[call.number].append(call)
    for items in calls.values():
        _order_timeline(items, report)
    return calls, parser.derived


def _order_timeline(items: list[CallRow], report: ImportReport) -> None:
    """The call's received time is its earliest; each unit's timeline is then made monotonic:
    an impossible timestamp is emptied and flagged, the record kept."""
    received = min(i.received_at for i in items)
    for item in items:
        item.received_at = received
        if item.dispatched_at is not None and item.dispatched_at < received:
            report.flags.append(RowError(item.row, "", f"出动指令时间 {item.dispatched_at:%Y-%m-%d %H:%M:%S} 早于接警时间 "
                                                       f"{received:%Y-%m-%d %H:%M:%S}，不可能发生：该时间已置空，记录保留。"))
            item.dispatched_at = None
        for unit in item.units:
            last, last_name = received, "received_at"
            for f in TIME_FIELDS:
                value = unit.times[f]
                if value is None:
                    continue
                if value < last:
                    col = unit.group.times.get(f) or (unit.group.durations[f].column if f in unit.group.durations
                                                      else None)
                    report.flags.append(RowError(
                        unit.row, col.label if col else "",
                        f"{TIME_LABELS[f]} {value:%Y-%m-%d %H:%M:%S} 早于{TIME_LABELS[last_name]} "
                        f"{last:%Y-%m-%d %H:%M:%S}，不可能发生：该时间已置空，记录保留。",
                    ))
                    unit.times[f] = None
                    continue
                last, last_name = value, f
