"""A mapping profile read from YAML into plain objects: which file column holds which field.

A column is named by one header, a list of alternative headers (an export whose columns were
renamed over the years), or ``{column: …, optional: true}`` for a field whose absence from the
file is not an error. ``docs/import-profiles.md`` documents every key.
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from django.conf import settings

from brigade.io.cells import CellError, parse_datetime
from brigade.io.workbook import ImportFileError

PROFILE_DIR = Path(__file__).resolve().parent
TIME_FIELDS = ("dispatched_at", "departed_at", "arrived_at", "returned_at")
TIME_LABELS = {"received_at": "接警时间", "dispatched_at": "出动指令时间", "departed_at": "出车时间",
               "arrived_at": "到场时间", "returned_at": "归队时间"}
DEFAULT_TOLERANCE_S = 60  # a duration that disagrees with its timestamps by more is a data-quality flag


def available_profiles() -> dict[str, str]:
    """Profile name → its Chinese title, for every YAML file shipped here."""
    out = {}
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            out[path.stem] = (yaml.safe_load(fh) or {}).get("title", path.stem)
    return out


def load_profile(name: str) -> dict:
    """A shipped profile by name, or any profile file by path, as the YAML's data."""
    path = Path(name)
    if not path.suffix:
        path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        known = "、".join(available_profiles()) or "无"
        raise ImportFileError(f"没有名为“{name}”的映射配置（可用：{known}）。")
    try:
        with path.open(encoding="utf-8") as fh:
            profile = yaml.safe_load(fh)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"映射配置“{name}”不是有效的 YAML：{exc}") from None
    if not isinstance(profile, dict) or not isinstance(profile.get("incident"), dict):
        raise ImportFileError(f"映射配置“{name}”缺少“incident”部分。")
    if not profile.get("units") and not isinstance(profile.get("vehicle"), dict):
        raise ImportFileError(f"映射配置“{name}”缺少“units”部分（出动单位的列）。")
    profile.setdefault("name", path.stem)
    return profile


@dataclass
class Column:
    """One field's column: its alternative headers, and the one found in the file."""

    names: tuple[str, ...]
    optional: bool = False
    found: str | None = None
    index: int | None = None

    @property
    def label(self) -> str:
        """The header to name in a message: the one in the file, else the first alternative."""
        return self.found or self.names[0]

    def wanted(self) -> str:
        """The header(s) asked for, as a message names them: 到场时间（或 到达时间）."""
        return self.names[0] + (f"（或 {'、'.join(self.names[1:])}）" if len(self.names) > 1 else "")


def column(spec, where: str, *, optional: bool = False) -> Column | None:
    """A Column from a profile value: "name", [alternatives…] or {column: …, optional: bool}."""
    if spec in (None, "", []):
        return None
    if isinstance(spec, dict):
        optional = bool(spec.get("optional", optional))
        spec = spec.get("column", spec.get("columns"))
        if spec in (None, "", []):
            raise ImportFileError(f"映射配置中“{where}”缺少 column（列名）。")
    if isinstance(spec, str | int | float):
        return Column((str(spec),), optional)
    if isinstance(spec, list) and all(isinstance(s, str | int | float) for s in spec):
        return Column(tuple(str(s) for s in spec), optional)
    raise ImportFileError(f"映射配置中“{where}”应为列名、列名列表或 {{column: 列名, optional: true}}。")


@dataclass
class Duration:
    """A duration column giving ``field`` as ``start`` + duration (text or a number in ``unit``)."""

    column: Column
    start: str  # received_at or one of TIME_FIELDS
    unit: str = "seconds"


@dataclass
class UnitGroup:
    """One responding unit's columns on a row: a vehicle (SF, one per row), or a station or micro
    fire station as a whole (several groups side by side on one alarm row)."""

    label: str
    kind: str  # station kind of the unit (level1 … fulltime, micro) when a station is created
    station: Column | None  # the unit's station / micro station name
    station_from: str  # "column", "first_due" (the call's area), or "vehicle" (the vehicle's home)
    station_name: str  # name template, {value}
    default_name: str  # template for an empty or absent name column, {列名}: e.g. "{所属街道}微型消防站"
    create: bool
    vehicle: Column | None
    vehicle_kind: Column | None
    kinds: dict
    default_kind: str
    station_from_number: list
    times: dict[str, Column]
    durations: dict[str, Duration]
    crew_count: int = 0

    @property
    def name_label(self) -> str:
        """The column a message about the unit's name points at."""
        return self.station.label if self.station else self.label

    def columns(self) -> list[Column]:
        cols = [self.station, self.vehicle, self.vehicle_kind, *self.times.values()]
        cols += [d.column for d in self.durations.values()]
        return [c for c in cols if c is not None]


def _legacy_units(data: dict) -> list[dict]:
    """The first format (one ``vehicle`` and one ``dispatch`` section) as one unit group."""
    veh, disp = data.get("vehicle") or {}, data.get("dispatch") or {}
    return [{"label": "车辆", "station": "vehicle", "vehicle": veh,
             **{k: disp[k] for k in TIME_FIELDS if disp.get(k)}, "crew_count": disp.get("crew_count", 0)}]


def station_name(template: str, value: str) -> str:
    """A station name from an area code or name: "01" and "1" are the same station."""
    value = value.strip()
    if not value:
        return ""
    if value.isdigit():
        value = value.lstrip("0") or "0"
    return str(template or "{value}").format(value=value)


class Profile:
    """A loaded profile: its columns (resolved against a header) and its value parsers."""

    def __init__(self, data: dict):
        self.data = data
        self.name = str(data.get("name", "profile"))
        try:
            self.tz = ZoneInfo(data.get("time_zone") or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            raise ImportFileError(f"映射配置中的时区“{data.get('time_zone')}”不存在。") from None
        self.formats = [str(f) for f in data.get("datetime_formats") or []]
        self._seen: dict[str, dt.datetime | None] = {}
        rows = data.get("header_rows") or 1
        self.header_rows = [int(r) for r in rows] if isinstance(rows, list) else [int(rows)]
        if not self.header_rows or any(r not in (1, 2) for r in self.header_rows):
            raise ImportFileError("映射配置中 header_rows 只能是 1、2 或 [2, 1]（表头占一行或两行，按顺序尝试）。")
        self.tolerance_s = float(data.get("duration_tolerance_s", DEFAULT_TOLERANCE_S))
        inc = data["incident"]
        self.received = column(inc.get("received_at"), "incident.received_at")
        if self.received is None:
            raise ImportFileError(f"映射配置“{self.name}”缺少 incident.received_at（接警时间列）。")
        self.dispatched = column(inc.get("dispatched_at"), "incident.dispatched_at")
        self.group_by = column(inc.get("group_by"), "incident.group_by")
        self.number = inc.get("number")
        self.key = [column(c, "incident.key") for c in inc.get("key") or []]
        self.key_prefix = str(inc.get("key_prefix") or "")
        if self.group_by is None and not self.key:
            raise ImportFileError(f"映射配置“{self.name}”须有 incident.group_by（警情编号列）"
                                  "或 incident.key（没有警情编号时用来标识警情的列）。")
        self.address = column(inc.get("address"), "incident.address")
        self.location = column(inc.get("location"), "incident.location")
        self.street = column(inc.get("street"), "incident.street")
        cat = inc.get("category") or {}
        self.category = column(cat.get("column"), "incident.category.column")
        self.category_map = {str(k): str(v) for k, v in (cat.get("map") or {}).items()}
        self.category_fallback = column(cat.get("fallback_column"), "incident.category.fallback_column")
        self.category_fallback_map = {str(k): str(v) for k, v in (cat.get("fallback_map") or {}).items()}
        self.category_default = str(cat.get("default", "assistance"))
        real = inc.get("real_alarm") or {}
        self.real_alarm = column(real.get("column"), "incident.real_alarm.column")
        self.false_values = {str(v) for v in real.get("false_values") or []}
        self.true_values = {str(v) for v in real.get("true_values") or []}
        self.alarm_type = column(inc.get("alarm_type"), "incident.alarm_type") or (
            Column(self.category.names, self.category.optional) if self.category else None)
        brig = data.get("brigade") or {}
        self.brigade_name = str(brig.get("name") or "")
        self.brigade_column = column(brig.get("column"), "brigade.column")
        self.brigade_create = bool(brig.get("create", False))
        self.brigade_fields = {"district": str(brig.get("district") or ""),
                               "detachment": str(brig.get("detachment") or "")}
        if not self.brigade_name and self.brigade_column is None:
            raise ImportFileError(f"映射配置“{self.name}”须有 brigade.name（大队名称）或 brigade.column（大队列）。")
        area = data.get("first_due") or data.get("station") or {}
        self.area = column(area.get("column"), "first_due.column")
        self.area_name = str(area.get("name") or "{value}")
        self.area_kind = str(area.get("kind") or "level1")
        self.area_create = bool(area.get("create", False))
        self.units = [self._unit(i, u) for i, u in enumerate(data.get("units") or _legacy_units(data))]

    def _unit(self, i: int, u: dict) -> UnitGroup:
        where = f"units[{i}]"
        if not isinstance(u, dict):
            raise ImportFileError(f"映射配置中“{where}”应为一组列的说明。")
        st = u.get("station")
        station_from, station_col, st_conf = "column", None, {}
        if st in ("first_due", "vehicle"):
            station_from = st
        elif st is not None:
            st_conf = st if isinstance(st, dict) else {}
            if not isinstance(st, dict) or st.get("column") or st.get("columns"):
                station_col = column(st, f"{where}.station")
        veh = u.get("vehicle") or {}
        if station_col is None and station_from == "column" and not st_conf.get("default_name"):
            station_from = "vehicle" if veh else "first_due"
        times = {f: c for f in TIME_FIELDS if (c := column(u.get(f), f"{where}.{f}")) is not None}
        durations = {}
        for f, d in (u.get("durations") or {}).items():
            if f not in TIME_FIELDS or not isinstance(d, dict) or d.get("from") not in ("received_at", *TIME_FIELDS):
                raise ImportFileError(f"映射配置中“{where}.durations.{f}”应写作 {{column: 列名, from: 起算时间}}，"
                                      f"起算时间为 received_at、{'、'.join(TIME_FIELDS)} 之一。")
            durations[f] = Duration(column(d, f"{where}.durations.{f}"), d["from"], str(d.get("unit", "seconds")))
        return UnitGroup(
            label=str(u.get("label") or f"出动单位{i + 1}"), kind=str(u.get("kind") or st_conf.get("kind") or "level1"),
            station=station_col, station_from=station_from, station_name=str(st_conf.get("name") or "{value}"),
            default_name=str(st_conf.get("default_name") or ""),
            create=bool(st_conf.get("create", u.get("create", False))),
            vehicle=column(veh.get("column"), f"{where}.vehicle.column"),
            vehicle_kind=column(veh.get("kind_column"), f"{where}.vehicle.kind_column"),
            kinds={str(k): str(v) for k, v in (veh.get("kinds") or {}).items()},
            default_kind=str(veh.get("default_kind") or "other"),
            station_from_number=[str(s) for s in veh.get("station_from_number") or []],
            times=times, durations=durations, crew_count=int(u.get("crew_count") or 0))

    # -- columns ----------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        cols = [self.received, self.dispatched, self.group_by, *self.key, self.address, self.location, self.street,
                self.category, self.category_fallback, self.real_alarm, self.alarm_type, self.brigade_column,
                self.area]
        for u in self.units:
            cols += u.columns()
        return [c for c in cols if c is not None]

    def resolve(self, header: list[str]) -> list[Column]:
        """Point every column at its position in ``header``; the required ones not found."""
        where = {}
        for i, h in enumerate(header):
            where.setdefault(h, i)
        missing = []
        for col in self.columns():
            col.found = next((n for n in col.names if n in where), None)
            col.index = where.get(col.found) if col.found else None
            if col.found is None and not col.optional and col not in missing:
                missing.append(col)
        return missing

    # -- values -----------------------------------------------------------------------------

    def when(self, value) -> dt.datetime | None:
        """A timestamp cell in the profile's time zone; None when empty."""
        if isinstance(value, str):
            # Rows of one call repeat its times: each distinct text is parsed once (bounded memory).
            found = self._seen.get(value)
            if found is None:
                if len(self._seen) > 100_000:
                    self._seen.clear()
                found = self._seen[value] = self._when(value)
            return found
        return self._when(value)

    def _when(self, value) -> dt.datetime | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            text = value.strip()
            if text[:1].isdigit() and text[4:5] == "-":  # ISO text (2024-10-10 08:55:00): the C parser
                try:
                    moment = dt.datetime.fromisoformat(text)
                except ValueError:
                    pass
                else:
                    return moment if moment.tzinfo else moment.replace(tzinfo=self.tz)
            for fmt in self.formats:
                try:
                    return dt.datetime.strptime(text, fmt).replace(tzinfo=self.tz)
                except ValueError:
                    continue
        try:
            moment = parse_datetime(value, what="时间")
        except CellError as exc:
            shown = f"（映射配置给出的格式：{'、'.join(self.formats)}）" if self.formats else ""
            raise ValueError(f"{exc}{shown}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.tz)

    @staticmethod
    def location_of(text: str) -> tuple[float, float] | None:
        text = text.strip()
        if not text:
            return None
        m = re.fullmatch(r"\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?", text)
        wkt = re.fullmatch(r"POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)", text, re.IGNORECASE)
        if not m and not wkt:
            raise ValueError(f"无法识别的位置“{text}”（应为“(纬度, 经度)”或“POINT (经度 纬度)”）。")
        lat, lon = (float(m[1]), float(m[2])) if m else (float(wkt[2]), float(wkt[1]))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"位置“{text}”的经纬度超出范围。")
        if lat == 0 and lon == 0:
            return None  # (0, 0): the export's way of saying "unknown"
        return lat, lon

    def category_of(self, get) -> str:
        """Our category code for a row (``get(column)`` → the cell's text)."""
        if self.real_alarm is not None:
            flag = get(self.real_alarm)
            if flag in self.false_values:
                return "false"
        found = self.category_map.get(get(self.category)) if self.category else None
        if found is None and self.category_fallback:
            found = self.category_fallback_map.get(get(self.category_fallback))
        return found or self.category_default
