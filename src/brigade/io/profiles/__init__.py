"""Dispatch-system (119/CAD) exports imported through a mapping profile (a YAML file in this folder).

A profile says which foreign column holds which Incident / Dispatch field, how its timestamps are
written and in which time zone, how its call types map to our categories, and where stations and
vehicles come from. The format is documented in ``docs/import-profiles.md``.

Rules that keep counts complete:
- every row of the file is one dispatch; rows sharing the group key are one incident;
- a timestamp earlier than the one before it in the timeline (received → dispatched → departed →
  arrived → returned) is impossible; the row is kept, only that timestamp is left empty, and the
  report lists it as a data-quality flag with the row number and column;
- a row that cannot be read at all (no call number, unreadable received time, unreadable
  timestamp or location) is an error, and as with ledgers nothing is imported until it is fixed;
- incidents whose number is already in the database are skipped, so re-importing adds nothing.
"""

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation

from brigade.io.cells import CellError, check_cell, clean_text
from brigade.io.importer import ImportReport, RowError, _bulk_create
from brigade.io.workbook import ImportFileError, SpreadsheetFile

PROFILE_DIR = Path(__file__).resolve().parent
TIMELINE = ("dispatched_at", "departed_at", "arrived_at", "returned_at")
TIMELINE_LABELS = {"received_at": "接警时间", "dispatched_at": "出动指令时间", "departed_at": "出车时间",
                   "arrived_at": "到场时间", "returned_at": "归队时间"}
FALLBACK_STATION = "未划分责任区站"


def available_profiles() -> dict[str, str]:
    """Profile name → its Chinese title, for every YAML file shipped here."""
    out = {}
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            out[path.stem] = (yaml.safe_load(fh) or {}).get("title", path.stem)
    return out


def load_profile(name: str) -> dict:
    """A shipped profile by name, or any profile file by path."""
    path = Path(name)
    if not path.suffix:
        path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        known = "、".join(available_profiles()) or "无"
        raise ImportFileError(f"没有名为“{name}”的映射配置（可用：{known}）。")
    try:
        with path.open(encoding="utf-8") as fh:
            profile = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise ImportFileError(f"映射配置“{name}”不是有效的 YAML：{exc}") from None
    for section in ("incident", "station", "vehicle", "dispatch"):
        if not isinstance(profile.get(section), dict):
            raise ImportFileError(f"映射配置“{name}”缺少“{section}”部分。")
    profile.setdefault("name", path.stem)
    return profile


class _Profile:
    """A loaded profile with its parsers: time stamps, location, category, station names."""

    def __init__(self, data: dict):
        self.data = data
        self.inc, self.st, self.veh, self.disp = (data[k] for k in ("incident", "station", "vehicle", "dispatch"))
        try:
            self.tz = ZoneInfo(data.get("time_zone") or settings.TIME_ZONE)
        except ZoneInfoNotFoundError:
            raise ImportFileError(f"映射配置中的时区“{data.get('time_zone')}”不存在。") from None
        self.formats = data.get("datetime_formats") or ["%Y-%m-%d %H:%M:%S"]

    def columns(self) -> list[str]:
        cols = [self.inc["group_by"], self.inc["received_at"], self.st["column"], self.veh["column"]]
        cols += [self.disp[k] for k in TIMELINE if self.disp.get(k)]
        for key in ("address", "location", "street"):
            if self.inc.get(key):
                cols.append(self.inc[key])
        cat = self.inc.get("category") or {}
        cols += [c for c in (cat.get("column"), cat.get("fallback_column"), self.veh.get("kind_column")) if c]
        return list(dict.fromkeys(cols))

    def when(self, text: str) -> dt.datetime | None:
        text = text.strip()
        if not text:
            return None
        for fmt in self.formats:
            try:
                return dt.datetime.strptime(text, fmt).replace(tzinfo=self.tz)
            except ValueError:
                continue
        raise ValueError(f"无法识别的时间“{text}”（映射配置要求的格式：{'、'.join(self.formats)}）。")

    @staticmethod
    def location(text: str) -> tuple[float, float] | None:
        text = text.strip()
        if not text:
            return None
        m = re.fullmatch(r"\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?", text)
        if not m:
            raise ValueError(f"无法识别的位置“{text}”（应为“(纬度, 经度)”）。")
        lat, lon = float(m[1]), float(m[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"位置“{text}”的经纬度超出范围。")
        if lat == 0 and lon == 0:
            return None  # (0, 0): the export's way of saying "unknown"
        return lat, lon

    def category(self, row: dict) -> str:
        cat = self.inc.get("category") or {}
        value = row.get(cat.get("column", ""), "").strip()
        found = (cat.get("map") or {}).get(value)
        if found is None and cat.get("fallback_column"):
            found = (cat.get("fallback_map") or {}).get(row.get(cat["fallback_column"], "").strip())
        return str(found or cat.get("default", "assistance"))

    def station_name(self, area: str) -> str:
        area = area.strip()
        if not area:
            return ""
        value = area.lstrip("0") or "0" if area.isdigit() else area
        return str(self.st.get("name", "{value}")).format(value=value)

    def home_station_from_unit(self, unit_id: str, unit_type: str) -> str:
        if unit_type not in (self.veh.get("station_from_number") or []):
            return ""
        m = re.fullmatch(r"[A-Za-z]+0*(\d+)", unit_id)
        return self.station_name(m[1]) if m else ""


def import_with_profile(source, *, profile: str, dry_run: bool = False, filename: str | None = None,
                        max_bytes: int | None = None) -> ImportReport:
    """Import a dispatch-system export through ``profile``; all or nothing, like a ledger import."""
    with translation.override(settings.LANGUAGE_CODE):
        prof = _Profile(load_profile(profile))
        book = SpreadsheetFile(source, filename=filename, max_bytes=max_bytes)
        try:
            rows = list(book.sheets()[0].rows)
        finally:
            book.close()
        report = ImportReport(f"profile:{prof.data['name']}", f"接处警（映射配置 {prof.data['name']}）",
                              book.filename, dry_run)
        if not rows:
            raise ImportFileError(f"文件“{book.filename}”中没有任何内容。")
        header = [clean_text(h) for h in rows[0][1]]
        missing = [c for c in prof.columns() if c not in header]
        if missing:
            raise ImportFileError(
                f"文件“{book.filename}”不是映射配置“{prof.data['name']}”所描述的格式：缺少列 {'、'.join(missing)}。"
            )
        records = []
        for n, cells in rows[1:]:
            if not any(str(v or "").strip() for v in cells):
                continue
            report.rows += 1
            errors = len(report.errors)
            # A short row (trailing empty cells left out) reads as empty cells, never as a missing column.
            row = {h: _cell(cells[i] if i < len(cells) else None, n, h, report) for i, h in enumerate(header)}
            if len(report.errors) == errors:  # a row with a formula or over-long cell is not read further
                records.append((n, row))
        if not report.rows:
            raise ImportFileError(f"文件“{book.filename}”的表头下面没有数据行，没有可导入的内容。")
        calls = _parse(prof, records, report)
        if report.errors:
            return report
        if dry_run:
            _write(prof, calls, report, write=False)
            return report
        with transaction.atomic():
            _write(prof, calls, report, write=True)
            if report.errors:
                transaction.set_rollback(True)
                report.created = 0
        return report


def _cell(value, row: int, column: str, report: ImportReport) -> str:
    """One cell as text; a formula or an over-long cell is a row error (refused, never cut or evaluated)."""
    try:
        check_cell(value)
    except CellError as exc:
        report.errors.append(RowError(row, column, str(exc)))
        return ""
    return "" if value is None else str(value)


# Parsed fields → (the model field's length limit, the profile section and key naming the column).
FIELD_LIMITS = {"number": (40, "incident", "group_by"), "address": (200, "incident", "address"),
                "street": (50, "incident", "street"), "area": (80, "station", "column"),
                "unit_id": (20, "vehicle", "column"), "unit_type": (80, "vehicle", "kind_column")}


def _too_long(prof: _Profile, item: dict, report: ImportReport) -> bool:
    """Report every parsed value longer than its field (it would otherwise be cut short silently)."""
    bad = False
    for key, (limit, section, column_key) in FIELD_LIMITS.items():
        value = item.get(key) or ""
        if len(value) > limit:
            column = prof.data[section].get(column_key) or key
            report.errors.append(RowError(item["row"], column, f"内容长达 {len(value)} 个字符，超过了 {limit} 个字符的上限，"
                                                               "未导入（不会截断保存）。"))
            bad = True
    return bad


def _parse(prof: _Profile, records, report: ImportReport) -> dict[str, list[dict]]:
    """Rows → calls (group key → parsed unit rows), with errors and timestamp flags in ``report``."""
    inc, disp = prof.inc, prof.disp
    cat_col = (inc.get("category") or {}).get("column", "")
    calls = defaultdict(list)
    for number, row in records:
        item = {"row": number}
        key = row[inc["group_by"]].strip()
        if not key:
            report.errors.append(RowError(number, inc["group_by"], "警情编号为空。"))
            continue
        try:
            item["received_at"] = prof.when(row[inc["received_at"]])
            if item["received_at"] is None:
                report.errors.append(RowError(number, inc["received_at"], "接警时间为空。"))
                continue
        except ValueError as exc:
            report.errors.append(RowError(number, inc["received_at"], str(exc)))
            continue
        bad = False
        for f in TIMELINE:
            col = disp.get(f)
            try:
                item[f] = prof.when(row[col]) if col else None
            except ValueError as exc:
                report.errors.append(RowError(number, col, str(exc)))
                bad = True
        try:
            item["location"] = prof.location(row[inc["location"]]) if inc.get("location") else None
        except ValueError as exc:
            report.errors.append(RowError(number, inc["location"], str(exc)))
            bad = True
        unit_id = row[prof.veh["column"]].strip()
        if not unit_id:
            report.errors.append(RowError(number, prof.veh["column"], "车辆编号为空。"))
            bad = True
        if bad:
            continue
        item.update(
            number=str(inc.get("number") or "{" + inc["group_by"] + "}").format_map(row).strip(),
            category=prof.category(row),
            address=row.get(inc.get("address", ""), "").strip(),
            street=row.get(inc.get("street", ""), "").strip(),
            area=prof.station_name(row[prof.st["column"]]),
            unit_id=unit_id,
            unit_type=row.get(prof.veh.get("kind_column", ""), "").strip(),
            call_type=row.get(cat_col, ""),
        )
        if _too_long(prof, item, report):
            continue
        calls[key].append(item)
    # The call's received time is its earliest; then each unit row's timeline is made monotonic.
    for items in calls.values():
        received = min(i["received_at"] for i in items)
        for item in items:
            item["received_at"] = received
            last, last_name = received, "received_at"
            for f in TIMELINE:
                value = item[f]
                if value is None:
                    continue
                if value < last:
                    report.flags.append(RowError(
                        item["row"], disp[f],
                        f"{TIMELINE_LABELS[f]} {value:%Y-%m-%d %H:%M:%S} 早于{TIMELINE_LABELS[last_name]} "
                        f"{last:%Y-%m-%d %H:%M:%S}，不可能发生：该时间已置空，记录保留。",
                    ))
                    item[f] = None
                    continue
                last, last_name = value, f
    return calls


def _write(prof: _Profile, calls: dict[str, list[dict]], report: ImportReport, *, write: bool) -> None:
    from brigade.org.models import Brigade, Station, StationKind, Street
    from brigade.resources.models import Vehicle, VehicleKind
    from brigade.response.models import Dispatch, Incident, IncidentCategory

    brigade_conf = prof.data.get("brigade") or {}
    brigade_name = brigade_conf.get("name") or "导入大队"
    brigade = Brigade.objects.filter(name=brigade_name).first()
    new_brigade = brigade is None
    if brigade is None:
        brigade = Brigade(name=brigade_name, district=brigade_conf.get("district", ""),
                          detachment=brigade_conf.get("detachment", ""))
        if write:
            brigade.save()

    existing_numbers = set(Incident.objects.filter(number__in=[i[0]["number"] for i in calls.values()])
                           .values_list("number", flat=True))
    new_calls = {k: v for k, v in calls.items() if v[0]["number"] not in existing_numbers}
    report.existing = len(calls) - len(new_calls)

    # Stations: by name within the brigade; created for every station area met in new calls.
    stations = {s.name: s for s in Station.objects.filter(brigade=brigade)} if brigade.pk else {}
    station_kind = prof.st.get("kind", StationKind.LEVEL1)
    created_stations = []

    def station(name: str):
        name = name or prof.data.get("fallback_station", FALLBACK_STATION)
        if name not in stations:
            stations[name] = Station(brigade=brigade, name=name, kind=station_kind)
            created_stations.append(stations[name])
        return stations[name]

    streets = {s.name: s for s in Street.objects.filter(brigade=brigade)} if brigade.pk else {}
    created_streets = []

    def street(name: str):
        if not name:
            return None
        if name not in streets:
            streets[name] = Street(brigade=brigade, name=name)
            created_streets.append(streets[name])
        return streets[name]

    # Vehicles: by plate; home station from the unit number, else the first station area it served.
    items_sorted = sorted((i for items in new_calls.values() for i in items),
                          key=lambda i: (i["dispatched_at"] or i["received_at"], i["row"]))
    vehicles = {v.plate: v for v in Vehicle.objects.filter(plate__in={i["unit_id"] for i in items_sorted})
                .select_related("station")}
    kinds = prof.veh.get("kinds") or {}
    created_vehicles = []
    for item in items_sorted:
        plate = item["unit_id"]
        if plate in vehicles:
            continue
        home = prof.home_station_from_unit(plate, item["unit_type"]) or item["area"]
        if not home:  # no station area on its first row: the first later row that has one
            home = next((i["area"] for i in items_sorted if i["unit_id"] == plate and i["area"]), "")
        kind = kinds.get(item["unit_type"], prof.veh.get("default_kind", VehicleKind.OTHER))
        first_seen = (item["dispatched_at"] or item["received_at"]).date()
        vehicles[plate] = Vehicle(plate=plate, kind=kind, station=station(home), commissioned_on=first_seen,
                                  model_name=item["unit_type"])
        created_vehicles.append(vehicles[plate])
    for items in new_calls.values():  # every station area becomes a station, even with no vehicle
        for item in items:
            if item["area"]:
                station(item["area"])

    valid_categories = set(IncidentCategory.values)
    incidents, dispatches = [], []
    for items in new_calls.values():
        first = min(items, key=lambda i: i["row"])
        dispatched = [i["dispatched_at"] for i in items if i["dispatched_at"] is not None]
        loc = first["location"]
        category = first["category"] if first["category"] in valid_categories else "assistance"
        incident = Incident(
            number=first["number"], category=category, received_at=first["received_at"],
            dispatched_at=min(dispatched) if dispatched else None, address=first["address"],
            street=street(first["street"]), lat=loc[0] if loc else None, lon=loc[1] if loc else None,
        )
        _check(incident, first["row"], report, exclude=["street", "unit"])
        incidents.append(incident)
        for item in items:
            vehicle = vehicles[item["unit_id"]]
            d = Dispatch(incident=incident, station=vehicle.station, vehicle=vehicle,
                         crew_count=int(prof.disp.get("crew_count") or 0),
                         **{f: item[f] for f in TIMELINE})
            _check(d, item["row"], report, exclude=["incident", "station", "vehicle"])
            dispatches.append(d)

    report.created = len(incidents)
    report.details = {
        "新增警情": len(incidents), "已存在的警情（跳过）": report.existing, "新增出动车辆记录": len(dispatches),
        "新建消防站": len(created_stations), "新建车辆": len(created_vehicles), "新建镇街": len(created_streets),
        "新建大队": int(new_brigade), "时间顺序不合理而置空的时间": len(report.flags),
    }
    if not write or report.errors:
        return
    for obj in created_streets + created_stations:
        obj.brigade = brigade
    Street.objects.bulk_create(created_streets, batch_size=500)
    Station.objects.bulk_create(created_stations, batch_size=500)
    for v in created_vehicles:
        v.station = v.station  # refresh station_id now that stations have primary keys
    Vehicle.objects.bulk_create(created_vehicles, batch_size=500)
    for inc in incidents:
        inc.street = inc.street
    _bulk_create(Incident, incidents, has_history=True)
    for d in dispatches:
        d.incident, d.station, d.vehicle = d.incident, d.station, d.vehicle
    _bulk_create(Dispatch, dispatches, has_history=False)


def _check(obj: models.Model, row: int, report: ImportReport, *, exclude: list[str]) -> None:
    try:
        obj.clean_fields(exclude=exclude)
        obj.clean()
    except ValidationError as exc:
        for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            column = "" if name in ("", "__all__") else str(obj._meta.get_field(name).verbose_name)
            report.errors.extend(RowError(row, column, m) for m in messages)
