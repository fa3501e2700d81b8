"""Demo organisation: the brigade, its streets and communities, departments, stations and people."""

import datetime as dt
import math

import numpy as np
import shapely

from brigade.demo.generator import DEMO_BRIGADE_NAME, DEMO_DETACHMENT, DEMO_DISTRICT, Build, bulk
from brigade.demo.names import (
    COMMUNITY_SUFFIXES,
    DEPARTMENTS,
    TOWN_COMMUNITY_SUFFIXES,
    person_name,
    phone_number,
    unique_words,
)
from brigade.org.models import Brigade, Community, Department, Person, Post, Station, Street

# Station plan: (kind, on-duty staff, vehicles). 6 stations and 2 town full-time teams leave
# three streets without any station (the seed summary's Q2).
STATION_PLAN = (
    ("special", 42, 6),
    ("level1", 30, 5),
    ("level1", 26, 4),
    ("level2", 17, 3),
    ("level2", 15, 2),
    ("small", 12, 2),
    ("fulltime", 9, 1),
    ("fulltime", 8, 1),
)
# How far from the core the city's first-class stations stand.
CITY_STATION_RING_M = 2_200.0
OFFICE_STAFF = ((Post.SUPERVISOR, 9), (Post.DISPATCHER, 4), (Post.CIVILIAN, 3), (Post.COMMANDER, 3))


def build_territory(b: Build) -> None:
    rng = b.rng
    brigade = Brigade.objects.create(name=DEMO_BRIGADE_NAME, detachment=DEMO_DETACHMENT, district=DEMO_DISTRICT)
    streets = bulk(Street, [
        Street(brigade=brigade, code=s.code, name=s.name, kind=s.kind, boundary=s.boundary, area_km2=s.area_km2)
        for s in b.district.streets
    ])
    # Communities: urban sub-districts have more, towns a few rural communities.
    sizes = []
    for s in b.district.streets:
        urban = s.kind == "subdistrict" and s.centre_distance_m < 12_000
        sizes.append(rng.randint(8, 12) if urban else rng.randint(4, 7) if s.kind == "subdistrict" else rng.randint(3, 6))
    words = unique_words(rng, sum(sizes))
    communities, k = [], 0
    for street, area, n in zip(streets, b.district.streets, sizes, strict=True):
        suffixes = TOWN_COMMUNITY_SUFFIXES if area.kind == "town" else COMMUNITY_SUFFIXES
        for _ in range(n):
            communities.append(Community(street=street, name=words[k] + rng.choice(suffixes)))
            k += 1
    communities = bulk(Community, communities)
    departments = bulk(Department, [Department(brigade=brigade, name=n) for n in DEPARTMENTS])
    b.objects.update(
        brigade=brigade, streets=streets, communities=communities,
        communities_by_street={s.pk: [c for c in communities if c.street_id == s.pk] for s in streets},
        departments={d.name: d for d in departments},
    )


def _station_name(kind: str, street_name: str, used: set) -> str:
    short = street_name.removesuffix("街道").removesuffix("镇")
    if kind == "special":
        name = "河东特勤消防救援站"
    elif kind == "fulltime":
        name = f"{street_name}政府专职消防队"
    else:
        name = f"{short}消防救援站"
    return name if name not in used else f"{short}第二消防救援站"


def build_stations(b: Build) -> None:
    rng, district = b.rng, b.district
    streets = b.objects["streets"]
    areas = district.streets
    # The special station sits in the street nearest the urban core; ordinary stations in other
    # sub-districts, full-time teams in towns; three streets stay without a station.
    # The special station stands in the city core, the two first-class stations in the other city
    # streets a few kilometres out; smaller stations at other streets' seats, full-time teams in
    # towns. Three streets stay without a station, and the countryside between seats is the gap.
    subs = sorted((i for i, a in enumerate(areas) if a.kind == "subdistrict"), key=lambda i: areas[i].centre_distance_m)
    towns = [i for i, a in enumerate(areas) if a.kind == "town"]
    rng.shuffle(towns)
    city = subs[:3]
    others = subs[3:]
    rng.shuffle(others)
    regular_count = sum(1 for p in STATION_PLAN if p[0] != "fulltime")
    fulltime_count = len(STATION_PLAN) - regular_count
    chosen = [*city, *others[: regular_count - len(city)], *towns[:fulltime_count]]
    centre = district.centre_xy

    stations, used, picks = [], set(), []
    for k, ((kind, _staff, _vehicles), street_index) in enumerate(zip(STATION_PLAN, chosen, strict=True)):
        area = areas[street_index]
        nodes = district.nodes_xy
        inside = shapely.contains_xy(area.inner_xy, nodes[:, 0], nodes[:, 1])
        candidates = np.flatnonzero(inside)
        seat = np.asarray(area.seat_xy)
        if k == 0:
            target = centre  # the core
        elif k < len(city):
            # A city station about 2 km out from the core, towards its street's seat.
            towards = (seat - centre) / max(float(np.hypot(*(seat - centre))), 1.0)
            target = centre + CITY_STATION_RING_M * towards
        else:
            target = seat  # a junction close to the street's built-up seat
        d = np.hypot(*(nodes[candidates] - target).T)
        pick = candidates[np.argsort(d)[min(len(candidates) - 1, rng.randrange(0, 5))]]
        picks.append(int(pick))
        lon, lat = district.nodes_ll[pick]
        name = _station_name(kind, area.name, used)
        used.add(name)
        age = rng.randint(2, 18)
        stations.append(Station(
            brigade=b.objects["brigade"], name=name, kind=kind, street=streets[street_index],
            lon=float(lon), lat=float(lat), opened_on=dt.date(b.year - age, rng.randint(1, 12), rng.randint(1, 28)),
        ))
    stations = bulk(Station, stations)
    b.objects["station_nodes"] = {}
    b.objects["station_node_index"] = {s.pk: k for s, k in zip(stations, picks, strict=True)}
    for s in stations:
        xy = district.projection.to_xy(np.array([[s.lon, s.lat]]))[0]
        b.objects["station_nodes"][s.pk] = xy

    people = []
    brigade = b.objects["brigade"]
    for station, (kind, staff, vehicles) in zip(stations, STATION_PLAN, strict=True):
        commanders = max(1, math.ceil(staff / 9))
        for k in range(staff):
            if kind == "fulltime":
                post = Post.COMMANDER if k == 0 else Post.FULLTIME
            elif k < commanders:
                post = Post.COMMANDER
            elif k < commanders + vehicles + 1:
                post = Post.DRIVER
            else:
                post = Post.FIREFIGHTER
            people.append(Person(brigade=brigade, name=person_name(rng), station=station, post=post,
                                 is_on_duty=True, phone=phone_number(rng)))
    for post, n in OFFICE_STAFF:
        for _ in range(n):
            people.append(Person(brigade=brigade, name=person_name(rng), station=None, post=post,
                                 is_on_duty=False, phone=phone_number(rng)))
    people = bulk(Person, people)
    b.objects.update(
        # The city street whose fires and hazards grow year on year (the demo's story).
        worsening_street=streets[city[1]].pk,
        stations=stations,
        station_plan={s.pk: plan for s, plan in zip(stations, STATION_PLAN, strict=True)},
        people=people,
        supervisors=[p for p in people if p.post == Post.SUPERVISOR],
    )
