"""Parsed calls → brigades, stations, micro fire stations, vehicles, incidents and dispatches.

Everything is built unsaved first (a dry run stops there); a brigade or station the database does
not know is created only when the profile says ``create: true``, otherwise it is a row error naming
the column. Calls whose number is already stored for their brigade are skipped, so re-importing adds nothing.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

from brigade.core.tenancy import brigades_settled
from brigade.io.importer import ImportReport, RowError, _bulk_create
from brigade.io.profiles.parse import CallRow, UnitRow
from brigade.io.profiles.spec import TIME_FIELDS, Profile, station_name

FALLBACK_STATION = "未划分责任区站"
UNKNOWN_HINT = "请先在管理后台添加，或在映射配置中对该项设置 create: true 以便导入时新建。"


class _Registry:
    """Brigades, streets and stations by name: those stored, and those this import creates."""

    def __init__(self, prof: Profile, report: ImportReport, brigade_names: set[str]):
        from brigade.org.models import Brigade, Station, Street

        self.prof, self.report = prof, report
        self.brigades = {b.name: b for b in Brigade.objects.filter(name__in=brigade_names)}
        self.stations = {(s.brigade.name, s.name): s for s in
                         Station.objects.filter(brigade__name__in=brigade_names).select_related("brigade")}
        self.streets = {(s.brigade.name, s.name): s for s in
                        Street.objects.filter(brigade__name__in=brigade_names).select_related("brigade")}
        self.new_brigades, self.new_stations, self.new_streets = [], [], []
        self.refused: dict[tuple, RowError] = {}

    def _refuse(self, key: tuple, row: int, column: str, message: str) -> None:
        if key in self.refused:
            return
        self.refused[key] = RowError(row, column, message)
        self.report.errors.append(self.refused[key])

    def brigade(self, name: str, row: int):
        from brigade.org.models import Brigade

        if name in self.brigades:
            return self.brigades[name]
        if not self.prof.brigade_create:
            column = self.prof.brigade_column.label if self.prof.brigade_column else "大队"
            self._refuse(("brigade", name), row, column, f"大队“{name}”不在系统中。{UNKNOWN_HINT}")
            return None
        self.brigades[name] = Brigade(name=name, **self.prof.brigade_fields)
        self.new_brigades.append(self.brigades[name])
        return self.brigades[name]

    def street(self, brigade, name: str):
        from brigade.org.models import Street

        if not name or brigade is None:
            return None
        key = (brigade.name, name)
        if key not in self.streets:  # streets come with the data: always created
            self.streets[key] = Street(brigade=brigade, name=name)
            self.new_streets.append(self.streets[key])
        return self.streets[key]

    def station(self, brigade, name: str, *, kind: str, create: bool, row: int, column: str, street=None):
        from brigade.org.models import Station

        if brigade is None:
            return None
        key = (brigade.name, name)
        if key in self.stations:
            return self.stations[key]
        if not create:
            self._refuse(("station", *key), row, column, f"“{name}”不在系统中（{brigade.name}）。{UNKNOWN_HINT}")
            return None
        self.stations[key] = Station(brigade=brigade, name=name, kind=kind, street=street)
        self.new_stations.append(self.stations[key])
        return self.stations[key]


@brigades_settled()  # one look at the brigades for the rows' checks, not one per row
def write_calls(prof: Profile, calls: dict[str, list[CallRow]], report: ImportReport, *, write: bool,
                derived: int = 0) -> list[tuple]:
    """Build (and unless a dry run, save) the records; returns the new (incident, dispatches) pairs."""
    from brigade.resources.models import Vehicle, VehicleKind
    from brigade.response.models import Dispatch, Incident, IncidentCategory

    existing = set()  # (brigade name, number): a number is unique within its brigade only
    numbers = list(calls)
    for i in range(0, len(numbers), 500):  # stay under SQLite's bound-parameter limit
        existing.update(Incident.objects.filter(number__in=numbers[i:i + 500]).values_list("brigade__name", "number"))
    new_calls = {k: v for k, v in calls.items() if (v[0].brigade, k) not in existing}
    report.existing = len(calls) - len(new_calls)
    reg = _Registry(prof, report, {r.brigade for rows in new_calls.values() for r in rows})

    # The call's brigade, street and first-due station (from its first row).
    heads = {}
    for number, rows in new_calls.items():
        first = rows[0]
        brigade = reg.brigade(first.brigade, first.row)
        street = reg.street(brigade, first.street)
        area = None
        if first.area:
            area = reg.station(brigade, first.area, kind=prof.area_kind, create=prof.area_create, row=first.row,
                               column=prof.area.label if prof.area else "辖区站")
        heads[number] = (brigade, street, area)

    # Vehicles: by plate; home station from the unit number, else the call's area, else a later one.
    units = sorted(((u, number) for number, rows in new_calls.items() for r in rows for u in r.units if u.vehicle),
                   key=lambda p: (p[0].times["dispatched_at"] or calls[p[1]][0].received_at, p[0].row))
    vehicles = {}
    plates = sorted({u.vehicle for u, _ in units})
    for i in range(0, len(plates), 500):
        vehicles.update({v.plate: v for v in Vehicle.objects.filter(plate__in=plates[i:i + 500])
                         .select_related("station")})
    areas_of = {}
    for u, number in units:
        if heads[number][2] is not None:
            areas_of.setdefault(u.vehicle, heads[number][2])
    new_vehicles = []
    for u, number in units:
        if u.vehicle in vehicles:
            continue
        brigade = heads[number][0]
        g = u.group
        home = None
        m = re.fullmatch(r"[A-Za-z]+0*(\d+)", u.vehicle) if u.vehicle_type in g.station_from_number else None
        if m:  # E39 → station 39
            home = reg.station(brigade, station_name(prof.area_name, m[1]), kind=prof.area_kind,
                               create=prof.area_create, row=u.row, column=g.vehicle.label)
        if home is None:
            home = areas_of.get(u.vehicle)
        if home is None and g.station_from == "column" and u.station:
            home = reg.station(brigade, u.station, kind=g.kind, create=g.create, row=u.row, column=g.name_label)
        if home is None:
            home = reg.station(brigade, FALLBACK_STATION, kind=prof.area_kind, create=prof.area_create, row=u.row,
                               column=g.vehicle.label)
        if home is None:
            continue
        first_seen = (u.times["dispatched_at"] or calls[number][0].received_at).date()
        vehicles[u.vehicle] = Vehicle(plate=u.vehicle, kind=g.kinds.get(u.vehicle_type, g.default_kind or VehicleKind.OTHER),
                                      station=home, commissioned_on=first_seen, model_name=u.vehicle_type)
        new_vehicles.append(vehicles[u.vehicle])

    valid = set(IncidentCategory.values)
    built = []
    for number, rows in new_calls.items():
        first = rows[0]
        brigade, street, area = heads[number]
        if brigade is None or (first.area and area is None):
            continue  # its brigade or station is unknown: reported once above, nothing more to say
        known = [t for t in [*(r.dispatched_at for r in rows),
                             *(u.times["dispatched_at"] for r in rows for u in r.units)] if t is not None]
        loc = first.location
        incident = Incident(
            number=number, category=first.category if first.category in valid else "assistance",
            received_at=first.received_at, dispatched_at=min(known) if known else None, address=first.address,
            street=street, lat=loc[0] if loc else None, lon=loc[1] if loc else None, first_due_station=area,
            alarm_type=first.alarm_type, brigade=brigade,  # the row's 所属大队, even with no street
        )
        _check(incident, first.row, report, exclude=["street", "unit", "first_due_station", "brigade"])
        dispatches = []
        for r in rows:
            for u in r.units:
                station = _unit_station(prof, reg, u, brigade, street, area, vehicles)
                if station is None:
                    continue
                d = Dispatch(incident=incident, station=station, vehicle=vehicles.get(u.vehicle) if u.vehicle else None,
                             crew_count=u.group.crew_count, **{f: u.times[f] for f in TIME_FIELDS})
                _check(d, u.row, report, exclude=["incident", "station", "vehicle"])
                dispatches.append(d)
        built.append((incident, dispatches))

    report.created = len(built)
    micro = sum(1 for s in reg.new_stations if s.kind == "micro")
    report.details = {
        "新增警情": len(built), "已存在的警情（跳过）": report.existing,
        "新增出动记录": sum(len(d) for _, d in built),
        "新建消防站": len(reg.new_stations) - micro, "新建微型消防站": micro, "新建车辆": len(new_vehicles),
        "新建镇街": len(reg.new_streets), "新建大队": len(reg.new_brigades),
        "由时长推算的时间": derived, "数据质量提示": len(report.flags),
    }
    if not write or report.errors:
        return built
    for b in reg.new_brigades:
        b.save()
    for obj in reg.new_streets:
        obj.brigade = obj.brigade  # refresh brigade_id now that new brigades have primary keys
    from brigade.org.models import Station, Street

    Street.objects.bulk_create(reg.new_streets, batch_size=500)
    for obj in reg.new_stations:
        obj.brigade, obj.street = obj.brigade, obj.street
    Station.objects.bulk_create(reg.new_stations, batch_size=500)
    for v in new_vehicles:
        v.station = v.station
    Vehicle.objects.bulk_create(new_vehicles, batch_size=500)
    incidents = [inc for inc, _ in built]
    for inc in incidents:
        inc.street, inc.first_due_station = inc.street, inc.first_due_station
    _bulk_create(Incident, incidents, has_history=True)
    dispatches = [d for _, ds in built for d in ds]
    for d in dispatches:
        d.incident, d.station, d.vehicle = d.incident, d.station, d.vehicle
    _bulk_create(Dispatch, dispatches, has_history=False)
    return built


def _unit_station(prof: Profile, reg: _Registry, u: UnitRow, brigade, street, area, vehicles):
    """The station a unit row answered from: its vehicle's home, the call's area, or its own column."""
    g = u.group
    if g.station_from == "vehicle":
        v = vehicles.get(u.vehicle)
        return v.station if v is not None else None
    if g.station_from == "first_due":
        if area is None:
            column = prof.area.label if prof.area else g.label
            reg.report.errors.append(RowError(u.row, column, f"{g.label}的出动站取自辖区站，但辖区站为空。"))
        return area
    return reg.station(brigade, u.station, kind=g.kind, create=g.create, row=u.row, column=g.name_label,
                       street=street if g.kind == "micro" else None)


def _check(obj: models.Model, row: int, report: ImportReport, *, exclude: list[str]) -> None:
    try:
        obj.clean_fields(exclude=exclude)
        obj.clean()
    except ValidationError as exc:
        for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            column = "" if name in ("", "__all__") else str(obj._meta.get_field(name).verbose_name)
            report.errors.extend(RowError(row, column, m) for m in messages)
