"""Demo resources: roads, vehicles, equipment, hydrants, water sources and e-bike facilities."""

import datetime as dt
import math

import numpy as np
from shapely.geometry import Point
from shapely.ops import nearest_points

from brigade.demo.generator import Build, bulk
from brigade.demo.geography import TOWN_RADIUS_M, URBAN_RADIUS_M
from brigade.resources.models import (
    ChargingShed,
    ElevatorBlocker,
    Equipment,
    EquipmentKind,
    Hydrant,
    HydrantKind,
    HydrantStatus,
    Road,
    Vehicle,
    VehicleStatus,
    WaterSource,
    WaterSourceKind,
)

VEHICLES_BY_STATION = {
    "special": ("water_tanker", "foam", "rescue", "aerial", "water_supply", "command"),
    "level1": ("water_tanker", "foam", "rescue", "aerial", "water_tanker"),
    "level2": ("water_tanker", "rescue", "foam"),
    "small": ("water_tanker", "rescue"),
    "fulltime": ("water_tanker",),
}
MODEL_NAMES = {
    "water_tanker": ("豪沃 8吨水罐消防车", "东风天锦 6吨水罐消防车", "重汽 12吨水罐消防车"),
    "foam": ("豪沃 8吨泡沫消防车", "斯太尔 泡沫消防车"),
    "rescue": ("五十铃 抢险救援消防车", "奔驰 重型抢险救援消防车"),
    "aerial": ("32米登高平台消防车", "25米举高喷射消防车"),
    "water_supply": ("重汽 20吨供水消防车",),
    "command": ("依维柯 通信指挥消防车",),
    "support": ("战勤保障器材运输车",),
}
# Service-age bands of the fleet (years at the end of the demo year): several trucks are over-age.
AGE_BANDS = ((16, 20, 4), (11, 15, 5), (6, 10, 7))
ROADS_WITHOUT_HYDRANTS = 4
# The old city: the first built-up ring around the centre, where hydrants are densest.
OLD_CITY_M = 3_000.0


def build_roads(b: Build) -> None:
    d = b.district
    rows = []
    for e in d.edges:
        coords = [[float(v) for v in d.nodes_ll[e.a]], [float(v) for v in d.nodes_ll[e.b]]]
        rows.append(Road(name=e.name, road_class=e.road_class, coordinates=coords, length_m=round(e.length_m, 1)))
    bulk(Road, rows, batch_size=1000)


def _date_years_before(b: Build, years: int) -> dt.date:
    return dt.date(b.year - years, b.rng.randint(1, 12), b.rng.randint(1, 28))


def build_fleet(b: Build) -> None:
    rng = b.rng
    stations = b.objects["stations"]
    plan = b.objects["station_plan"]
    slots = []
    for s in stations:
        kind, _staff, n = plan[s.pk]
        slots.extend((s, k) for k in VEHICLES_BY_STATION[kind][:n])
    ages = []
    for lo, hi, n in AGE_BANDS:
        ages.extend(rng.randint(lo, hi) for _ in range(n))
    ages.extend(rng.randint(1, 5) for _ in range(len(slots) - len(ages)))
    rng.shuffle(ages)
    plates: set[str] = set()
    vehicles = []
    for (station, kind), age in zip(slots, ages, strict=True):
        plate = None
        while plate is None or plate in plates:
            plate = f"鲁Q{rng.randint(1000, 9999)}应急"
        plates.add(plate)
        status = VehicleStatus.STANDBY if age >= 19 else VehicleStatus.IN_SERVICE
        vehicles.append(Vehicle(plate=plate, kind=kind, station=station, model_name=rng.choice(MODEL_NAMES[kind]),
                                commissioned_on=_date_years_before(b, age), status=status))
    in_service = [v for v in vehicles if v.status == VehicleStatus.IN_SERVICE and v.station_id != stations[0].pk]
    rng.choice(in_service).status = VehicleStatus.REPAIR
    vehicles = bulk(Vehicle, vehicles)
    b.objects["vehicles_by_station"] = {
        s.pk: [v for v in vehicles if v.station_id == s.pk and v.status != VehicleStatus.STANDBY] for s in stations
    }

    # Equipment: SCBA per GA 621 (1 per on-duty person, spare 5:1, 4:1 at special stations), but
    # two stations fall short so the fleet finding has something to say.
    rows = []
    short = {stations[4].pk: (5, 1), stations[-1].pk: (2, 0)}
    for s in stations:
        kind, staff, _n = plan[s.pk]
        ratio = 4 if kind == "special" else 5
        scba_in, scba_spare = staff, math.ceil(staff / ratio)
        if s.pk in short:
            missing, spare = short[s.pk]
            scba_in, scba_spare = staff - missing, spare
        bought = _date_years_before(b, rng.randint(1, 9))
        rows += [
            Equipment(kind=EquipmentKind.SCBA, station=s, in_service_qty=scba_in, spare_qty=scba_spare,
                      purchased_on=bought),
            Equipment(kind=EquipmentKind.PROTECTIVE_SUIT, station=s, in_service_qty=2 * staff - (6 if s.pk in short else 0),
                      spare_qty=rng.randint(0, 6), purchased_on=_date_years_before(b, rng.randint(1, 6))),
            Equipment(kind=EquipmentKind.HELMET, station=s, in_service_qty=staff, spare_qty=math.ceil(staff / 4),
                      purchased_on=_date_years_before(b, rng.randint(1, 8))),
            Equipment(kind=EquipmentKind.DISTRESS_UNIT, station=s, in_service_qty=staff,
                      spare_qty=math.ceil(staff / 4) - (1 if s.pk in short else 0),
                      purchased_on=_date_years_before(b, rng.randint(1, 10))),
            Equipment(kind=EquipmentKind.RESCUE_TOOL, station=s, in_service_qty=rng.randint(3, 10),
                      spare_qty=rng.randint(0, 2), purchased_on=_date_years_before(b, rng.randint(2, 14))),
            Equipment(kind=EquipmentKind.HOSE, station=s, in_service_qty=rng.randint(60, 200),
                      spare_qty=rng.randint(20, 50), purchased_on=_date_years_before(b, rng.randint(1, 5))),
        ]
    bulk(Equipment, rows)


def build_water(b: Build) -> None:
    rng, d = b.rng, b.district
    streets = b.objects["streets"]
    edges = d.edges
    mids = np.array([(d.nodes_xy[e.a] + d.nodes_xy[e.b]) / 2 for e in edges])
    dist = d.distance_to_centre(mids)
    urban_classes = ("arterial", "secondary", "local")

    # Named roads left without any hydrant: newer urban streets at the city's edge.
    urban_names: dict[str, int] = {}
    for e, dd in zip(edges, dist, strict=True):
        if e.road_class in urban_classes and OLD_CITY_M < dd < URBAN_RADIUS_M:
            urban_names[e.name] = urban_names.get(e.name, 0) + 1
    named = sorted(n for n, k in urban_names.items() if k >= 3)
    rng.shuffle(named)
    skip = set(named[:ROADS_WITHOUT_HYDRANTS])
    b.objects["roads_without_hydrants"] = sorted(skip)

    # Density falls with the age of the built-up area: nearly every street of the old city has
    # hydrants about every 120 m; newer city streets about half, every 150-200 m; a street's seat
    # a third of its streets; the open countryside none.
    seats = np.array([s.seat_xy for s in d.streets])
    to_seat = np.min(np.hypot(mids[:, 0, None] - seats[:, 0], mids[:, 1, None] - seats[:, 1]), axis=1)
    points = []  # (edge index, t)
    keep = max(b.scale, 0.25)  # a quick build's coarser grid already has about a quarter of the roads
    for i, e in enumerate(edges):
        if e.road_class not in urban_classes or e.name in skip:
            continue
        if dist[i] < OLD_CITY_M:
            share, gap = 0.95, (80, 120)
        elif dist[i] < URBAN_RADIUS_M:
            share, gap = 0.5, (95, 135)
        elif to_seat[i] < TOWN_RADIUS_M:
            share, gap = 0.35, (100, 150)
        else:
            continue
        if rng.random() >= share:
            continue
        pos = rng.uniform(10, 60)
        while pos < e.length_m - 10:
            if rng.random() < keep:
                points.append((i, pos / e.length_m))
            pos += rng.uniform(*gap)
    order = sorted((i for i, e in enumerate(edges) if e.road_class in urban_classes and e.name not in skip),
                   key=lambda i: dist[i])

    rows = []
    located = d.street_of(np.array([d.point_on_edge(edges[i], t) for i, t in points]).reshape(-1, 2), inner=False)
    for k, ((i, t), si) in enumerate(zip(points, located.tolist(), strict=True), start=1):
        e = edges[i]
        ll = np.round(d.nodes_ll[e.a] + t * (d.nodes_ll[e.b] - d.nodes_ll[e.a]), 6)
        installed = _date_years_before(b, rng.randint(1, 20))
        r = rng.random()
        if r < 0.04:
            checked = _date_years_before(b, rng.randint(2, 4))  # long unchecked
        elif r < 0.05:
            checked = None
        elif r < 0.12:
            checked = _date_years_before(b, 1)
        else:
            checked = b.day()
        if checked is not None and checked < installed:
            checked = installed
        # Old hydrants break more often: about 2 % of the newest, 8 % of the twenty-year-old ones.
        age = b.year - installed.year
        status = (HydrantStatus.DAMAGED if rng.random() < 0.02 + 0.003 * age
                  else HydrantStatus.OUT_OF_SERVICE if rng.random() < 0.01 else HydrantStatus.IN_SERVICE)
        kind = b.weighted((HydrantKind.ABOVE_GROUND, HydrantKind.BELOW_GROUND, HydrantKind.WATER_CRANE), (68, 29, 3))
        rows.append(Hydrant(
            code=f"HD-XHS-{k:04d}", kind=kind, road_name=e.name, street=streets[si] if si >= 0 else None,
            status=status, installed_on=installed, last_checked_on=checked, lon=float(ll[0]), lat=float(ll[1]),
        ))
    bulk(Hydrant, rows)

    # Water sources: the rivers on the west and east borders, a creek, two pools, one intake point.
    outline = d.outline_xy
    ring = max(outline.geoms, key=lambda g: g.area).exterior if hasattr(outline, "geoms") else outline.exterior
    minx, _miny, maxx, _maxy = outline.bounds
    cx, cy = d.centre_xy

    def inside_near(target):
        p = nearest_points(ring, Point(*target))[0]
        c = outline.centroid
        v = np.array([c.x - p.x, c.y - p.y])
        v = v / np.linalg.norm(v)
        return np.array([p.x, p.y]) + 250 * v

    specs = [
        ("沂河{}段天然水源", WaterSourceKind.NATURAL, inside_near((minx, cy + 6_000)), True),
        ("沂河{}段取水码头", WaterSourceKind.INTAKE_POINT, inside_near((minx, cy - 3_000)), True),
        ("沭河{}段天然水源", WaterSourceKind.NATURAL, inside_near((maxx, cy + 15_000)), True),
        ("汤河{}段取水点", WaterSourceKind.INTAKE_POINT, inside_near((minx, cy + 22_000)), False),
        ("李公河{}段天然水源", WaterSourceKind.NATURAL, d.centre_xy + np.array([6_000, -4_000]), True),
    ]
    # Most streets have a pond or reservoir intake near their seat; two are left without one.
    seats_ok = list(range(len(d.streets)))
    rng.shuffle(seats_ok)
    for i in sorted(seats_ok[2:]):
        seat = np.asarray(d.streets[i].seat_xy)
        near = min(range(len(edges)), key=lambda k: float(np.hypot(*(mids[k] - seat))))
        specs.append(("{}水库取水点" if d.streets[i].kind == "town" else "{}景观水体取水点",
                      WaterSourceKind.INTAKE_POINT, d.point_on_edge(edges[near], 0.5) + np.array([60.0, 60.0]), True))
    for k in range(2):
        e = edges[order[rng.randrange(min(60, len(order)))]]
        specs.append(("{}消防水池" + ("" if k == 0 else "（二号）"), WaterSourceKind.POOL,
                      d.point_on_edge(e, 0.5) + np.array([40.0, 40.0]), True))
    rows = []
    for name, kind, xy, usable in specs:
        si = int(d.street_of(xy, inner=False)[0])
        if si < 0:  # keep every source inside the district
            p = nearest_points(outline.buffer(-300), Point(*xy))[0]
            xy = np.array([p.x, p.y])
            si = int(d.street_of(xy, inner=False)[0])
        street = streets[si] if si >= 0 else None
        ll = d.to_ll(xy)[0]
        label = street.name.removesuffix("街道").removesuffix("镇") if street else "河东"
        rows.append(WaterSource(name=name.format(label), kind=kind, street=street, is_usable=usable,
                                lon=float(ll[0]), lat=float(ll[1])))
    bulk(WaterSource, rows)


def build_ebike(b: Build) -> None:
    rng = b.rng
    areas = {s.pk: a for s, a in zip(b.objects["streets"], b.district.streets, strict=True)}
    urban = [c for c in b.objects["communities"] if areas[c.street_id].kind == "subdistrict"]
    everyone = b.objects["communities"]
    sheds, per_community = [], {}
    for _ in range(b.count(140, 220)):
        c = rng.choice(urban) if rng.random() < 0.85 else rng.choice(everyone)
        per_community[c.pk] = per_community.get(c.pk, 0) + 1
        built = b.day() if rng.random() < 0.7 else _date_years_before(b, rng.randint(1, 2))
        sheds.append(ChargingShed(community=c, name=f"{c.name}{per_community[c.pk]}号充电车棚",
                                  ports=rng.randint(6, 20), built_on=built))
    bulk(ChargingShed, sheds)
    chosen = rng.sample(urban, min(len(urban), b.count(25, 45)))
    bulk(ElevatorBlocker, [
        ElevatorBlocker(community=c, elevators=rng.randint(3, 12),
                        installed_on=b.day() if rng.random() < 0.8 else _date_years_before(b, 1))
        for c in chosen
    ])
