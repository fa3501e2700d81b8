"""Demo incidents (接处警): ~650 alarms with full timelines, dispatches from the nearest stations."""

import datetime as dt
import math
from zoneinfo import ZoneInfo

import numpy as np

from brigade.analysis.network import DEFAULT_SPEEDS_KPH
from brigade.demo.generator import Build, bulk, bulk_with_history
from brigade.demo.geography import network_times_s, sample_near_roads, time_to_points_s
from brigade.resources.models import VehicleStatus
from brigade.response.models import Dispatch, FireCause, Incident, IncidentCategory

TZ = ZoneInfo("Asia/Shanghai")
# Category counts in the demo year at full scale: fire three digits, rescue and assistance two, duty
# and false one; and how each changes per year (fires fall as inspections rise, rescues grow).
CATEGORY_COUNTS = (
    (IncidentCategory.FIRE, (440, 520), -0.08),
    (IncidentCategory.RESCUE, (75, 98), 0.05),
    (IncidentCategory.ASSISTANCE, (55, 90), 0.0),
    (IncidentCategory.DUTY, (4, 9), 0.0),
    (IncidentCategory.FALSE, (3, 9), 0.0),
)
# The share of the year's fires moved into the street that is getting worse, per year from two years before.
WORSENING_SHARE = 0.04
MONTH_WEIGHTS = {
    IncidentCategory.FIRE: (1.5, 1.7, 1.4, 1.2, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2),
    IncidentCategory.RESCUE: (0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 1.3, 1.3, 1.1, 1.0, 0.9, 0.9),
}
HOUR_WEIGHTS = (1, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.2, 1.5, 1.7, 1.9, 2, 2, 1.9, 1.9, 1.9, 1.8, 1.8, 1.7,
                1.6, 1.5, 1.3, 1.1, 0.9)
VEHICLES_PER_INCIDENT = {
    IncidentCategory.FIRE: ((1, 2, 3, 4), (64, 24, 8, 4)),
    IncidentCategory.RESCUE: ((1, 2, 3), (75, 20, 5)),
    IncidentCategory.ASSISTANCE: ((1, 2), (92, 8)),
    IncidentCategory.DUTY: ((1, 2, 3), (50, 35, 15)),
    IncidentCategory.FALSE: ((1,), (1,)),
}
CAUSES = (
    (FireCause.ELECTRICAL, 35), (FireCause.CARELESS, 22), (FireCause.SMOKING, 8), (FireCause.PLAYING, 4),
    (FireCause.PRODUCTION, 8), (FireCause.ARSON, 1), (FireCause.NATURAL, 12), (FireCause.UNKNOWN, 10),
)
FIRE_UNIT_CATEGORIES = ("mixed_use", "residential", "factory", "workshop", "logistics", "retail", "gathering",
                        "high_rise", "sublet_park")
MAX_VEHICLE_DISPATCHES = 950  # keeps 辆次 at the seed's three digits


def _travel_s(rng, network_s: float) -> float:
    """Real driving time: the planning speed's time slowed by traffic and the last approach on foot."""
    return network_s * rng.uniform(0.85, 1.15) + rng.uniform(10, 40)


def _received(b: Build, category) -> dt.datetime:
    rng = b.rng
    months = MONTH_WEIGHTS.get(category, (1,) * 12)[: len(b.months)]
    month = rng.choices(b.months, weights=months, k=1)[0]
    days = (dt.date(b.year + (month == 12), month % 12 + 1, 1) - dt.date(b.year, month, 1)).days
    if month == b.end.month:
        days = b.end.day
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS, k=1)[0]
    return dt.datetime(b.year, month, rng.randint(1, days), hour, rng.randrange(60), rng.randrange(60), tzinfo=TZ)


def build_incidents(b: Build) -> None:
    rng, d = b.rng, b.district
    streets = b.objects["streets"]
    units = b.objects["units"]
    unit_xy = b.objects["unit_xy"]
    stations = b.objects["stations"]
    vehicles = {pk: [v for v in vs if v.status == VehicleStatus.IN_SERVICE]
                for pk, vs in b.objects["vehicles_by_station"].items()}

    plan = []  # (category, received, xy, street index, unit or None)
    fire_units = [i for i, u in enumerate(units) if u.site_category in FIRE_UNIT_CATEGORIES]
    worse = [i for i in fire_units if units[i].street_id == b.objects["worsening_street"]]
    for category, (lo, hi), trend in CATEGORY_COUNTS:
        n = b.count(lo, hi, trend=trend)
        if category == IncidentCategory.FIRE and worse:
            extra = round(n * WORSENING_SHARE * (b.offset + 2))
            n -= extra  # the year's total stays; more of it falls in that street
            for i in (rng.choice(worse) for _ in range(extra)):
                plan.append((category, _received(b, category), unit_xy[i], streets.index(units[i].street), units[i],
                             None, int(b.objects["unit_edge"][i])))
        at_unit = {IncidentCategory.FIRE: 0.35, IncidentCategory.ASSISTANCE: 0.4, IncidentCategory.DUTY: 0.8,
                   IncidentCategory.FALSE: 0.5}.get(category, 0.05)
        k_unit = sum(rng.random() < at_unit for _ in range(n))
        free_xy, free_street, free_edge = sample_near_roads(rng, d, n - k_unit, d.edge_weights ** 0.6, 60.0)
        for j in range(n):
            if j < k_unit:
                i = rng.choice(fire_units if category == IncidentCategory.FIRE else range(len(units)))
                unit = units[i]
                plan.append((category, _received(b, category), unit_xy[i], streets.index(unit.street), unit, None,
                             int(b.objects["unit_edge"][i])))
            else:
                k = j - k_unit
                plan.append((category, _received(b, category), free_xy[k], int(free_street[k]), None,
                             d.edges[int(free_edge[k])].name, int(free_edge[k])))
    plan.sort(key=lambda p: p[1])

    # How many vehicles each alarm gets, capped to the seed's scale.
    sizes = [rng.choices(*VEHICLES_PER_INCIDENT[p[0]], k=1)[0] for p in plan]
    cap = max(len(plan), round(MAX_VEHICLE_DISPATCHES * b.scale * b.fraction))
    multi = [i for i, s in enumerate(sizes) if s > 1]
    while sum(sizes) > cap and multi:
        i = multi[rng.randrange(len(multi))]
        sizes[i] -= 1
        multi = [i for i, s in enumerate(sizes) if s > 1]

    incidents, dispatch_rows = [], []
    lonlat = d.to_ll(np.array([p[2] for p in plan]))
    # Driving times over the demo's own roads at the planning speeds, so arrivals agree with the coverage analysis.
    node_times = network_times_s(d, [b.objects["station_node_index"][s.pk] for s in stations], DEFAULT_SPEEDS_KPH)
    drive = time_to_points_s(d, node_times, np.array([p[2] for p in plan]), np.array([p[6] for p in plan]),
                             DEFAULT_SPEEDS_KPH)
    for seq, ((category, received, _xy, si, unit, road, _edge), size) in enumerate(zip(plan, sizes, strict=True),
                                                                                 start=1):
        dist = drive[:, seq - 1]
        order = np.argsort(dist, kind="stable")
        inc_dispatched = received + dt.timedelta(seconds=rng.randint(30, 90))
        # Vehicles: the nearest station first, then the next ones.
        chosen = []
        for k in order:
            for v in vehicles[stations[k].pk]:
                if len(chosen) < size:
                    chosen.append((k, v))
        legs = []
        first_station = chosen[0][0]
        for k, v in chosen:
            sent = inc_dispatched if k == first_station else inc_dispatched + dt.timedelta(seconds=rng.randint(60, 900))
            departed = sent + dt.timedelta(seconds=rng.randint(40, 120))
            travel = _travel_s(rng, float(dist[k]))
            legs.append([k, v, sent, departed, departed + dt.timedelta(seconds=round(travel)), travel])
        first = min(leg[4] for leg in legs)
        controlled = None
        if category == IncidentCategory.FIRE:
            controlled = first + dt.timedelta(minutes=min(300, max(2, rng.lognormvariate(math.log(14), 0.8))))
            cleared = controlled + dt.timedelta(minutes=rng.randint(10, 90))
        elif category in (IncidentCategory.RESCUE, IncidentCategory.ASSISTANCE):
            controlled = first + dt.timedelta(minutes=rng.randint(5, 45))
            cleared = controlled + dt.timedelta(minutes=rng.randint(3, 40))
        elif category == IncidentCategory.DUTY:
            cleared = first + dt.timedelta(minutes=rng.randint(90, 300))
        else:
            cleared = first + dt.timedelta(minutes=rng.randint(3, 12))
        returned_all = []
        for leg in legs:
            k, v, sent, departed, arrived, travel = leg
            back = max(cleared, arrived) + dt.timedelta(seconds=round(travel * rng.uniform(1.0, 1.3)) + 60 * rng.randint(2, 10))
            returned_all.append(back)
            crew = rng.randint(2, 3) if v.kind in ("aerial", "command") else rng.randint(3, 5) if stations[k].kind == "fulltime" \
                else rng.randint(4, 6)
            dispatch_rows.append((seq, Dispatch(station=stations[k], vehicle=v, crew_count=crew, dispatched_at=sent,
                                                departed_at=departed, arrived_at=arrived, returned_at=back)))

        deaths = injuries = 0
        loss = 0
        cause = ""
        if category == IncidentCategory.FIRE:
            cause = b.weighted([c for c, _ in CAUSES], [w for _, w in CAUSES])
            if rng.random() > 0.18:
                loss = min(3_000_000, round(rng.lognormvariate(math.log(2_500 if unit is None else 8_000), 1.4), -1))
            injuries = rng.randint(1, 2) if rng.random() < 0.008 else 0
        elif category == IncidentCategory.RESCUE and rng.random() < 0.1:
            injuries = rng.randint(1, 2)
        street = streets[si] if si >= 0 else None
        address = unit.address if unit else f"临沂市河东区{street.name if street else ''}{road}附近"
        incidents.append(Incident(
            number=f"HD{b.year}{seq:05d}", category=category, received_at=received, dispatched_at=inc_dispatched,
            controlled_at=controlled, cleared_at=cleared, returned_at=max(returned_all), address=address,
            street=street, unit=unit, deaths=deaths, injuries=injuries, direct_loss=loss, cause=cause,
            lon=float(lonlat[seq - 1, 0]), lat=float(lonlat[seq - 1, 1]),
        ))
    incidents = bulk_with_history(Incident, incidents, dt.datetime(b.end.year, b.end.month, b.end.day, 18, 0, tzinfo=TZ))
    for seq, row in dispatch_rows:
        row.incident = incidents[seq - 1]
    bulk(Dispatch, [row for _, row in dispatch_rows], batch_size=1000)
