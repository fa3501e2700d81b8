"""The demo detachment (支队): more brigades beside the demo brigade, each with its own character.

The extra brigades stand on real Linyi districts and counties (their names and street lists from
the shipped data, their points inside the real outline); everything else is invented from the seed.
They are lighter than the demo brigade: no road network or analyses, the records a detachment
compares on (units, inspections and hazards, enforcement, calls with dispatch times, stations,
vehicles, breathing apparatus, street evaluation scores), the demo year and the year before.

Each profile gives its brigade a character so that the comparison has something to say: a city
brigade that arrives fast, a rural one with long travel, one that leaves many hazards overdue.
``build_brigade`` is also what the scale bench uses to fill a province.
"""

import csv
import datetime as dt
import hashlib
import json
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.utils import timezone
from shapely import Point
from shapely.geometry import shape

from brigade.demo.generator import DEMO_DETACHMENT, bulk
from brigade.demo.names import DEPARTMENTS, person_name, phone_number, unique_words

DEMO_SUFFIX = "（演示）"
STREETS_FILE, OUTLINE_FILE = "linyi_streets.csv", "linyi_districts.geojson"


@dataclass(frozen=True)
class Profile:
    district: str  # a Linyi district or county in the shipped data
    character: str  # what sets it apart, in the detachment's words
    population: int  # invented for the demo (per 10,000 residents in the comparison)
    units: int  # registered social units at scale 1
    inspections: int  # supervision inspections a year at scale 1
    hazards_per_inspection: float
    on_time: float  # share of hazards rectified by the deadline
    never: float  # share never rectified (overdue once the deadline passes)
    penalty_share: float  # penalty cases per hazard
    alarms: int  # calls a year at scale 1
    travel_median_s: float  # first vehicle's travel (lognormal around this)
    travel_spread: float  # lognormal sigma
    stations: tuple[tuple[str, int, int], ...]  # (kind, on-duty staff, vehicles in service)
    scba_short: int  # breathing apparatus missing per station (0: fully equipped)
    score: tuple[float, float]  # the streets' monthly evaluation score range


# The demo detachment's other brigades (the demo brigade 河东区 is the fourth).
PROFILES = (
    Profile("兰山区", "城区大队，站点密、到场快", 1_250_000, 1_800, 2_400, 0.8, 0.88, 0.02, 0.06, 2_600, 210, 0.35,
            (("special", 40, 8), ("level1", 30, 6), ("level1", 28, 5), ("level2", 16, 3)), 0, (88, 97)),
    Profile("沂水县", "农村大队，辖区大、行车路程长", 1_000_000, 900, 800, 1.0, 0.75, 0.06, 0.04, 800, 720, 0.45,
            (("level1", 24, 4), ("level2", 14, 2), ("small", 10, 1), ("fulltime", 8, 1)), 4, (78, 90)),
    Profile("罗庄区", "工业区大队，隐患多、逾期未改多", 600_000, 1_100, 1_000, 1.5, 0.45, 0.35, 0.02, 1_000, 360, 0.4,
            (("level1", 26, 5), ("level2", 15, 2), ("level2", 13, 2)), 2, (70, 86)),
)
HEDONG_POPULATION = 900_000  # the demo brigade's population in the detachment (invented)
SITE_CATEGORIES = ("logistics", "high_rise", "property", "mixed_use", "elderly_care", "sublet_park",
                   "construction", "school", "hospital")
HAZARD_CATEGORIES = ("fire_lane", "evacuation", "flying_wire", "ebike", "facility", "extinguisher",
                     "separation", "electrical")
CALL_CATEGORIES = (("fire", 0.35), ("rescue", 0.3), ("social", 0.25), ("false", 0.1))


def brigade_name(district: str) -> str:
    return f"{district}消防救援大队{DEMO_SUFFIX}"


def district_data(data_dir: Path, district: str):
    """(area code, [(code, name)] streets, outline) of a Linyi district from the shipped files."""
    outline = None
    for feature in json.loads((Path(data_dir) / OUTLINE_FILE).read_text(encoding="utf-8"))["features"]:
        if feature["properties"]["name"] == district:
            outline = shape(feature["geometry"])
            area_code = str(feature["properties"]["gb"])[3:]
    if outline is None:
        from brigade.core.errors import UserError

        raise UserError(f"演示数据中没有“{district}”的边界（{Path(data_dir) / OUTLINE_FILE}）。")
    with (Path(data_dir) / STREETS_FILE).open(encoding="utf-8-sig", newline="") as fh:
        streets = sorted((r["code"], r["name"]) for r in csv.DictReader(fh) if r["areaCode"] == area_code)
    return area_code, streets, outline


def _point(rng: random.Random, outline, centre: Point, spread_m: float) -> tuple[float, float]:
    """A point inside the outline, normally spread around the centre."""
    for _ in range(50):
        lon = centre.x + rng.gauss(0, spread_m) / (111_320 * math.cos(math.radians(centre.y)))
        lat = centre.y + rng.gauss(0, spread_m) / 110_540
        if outline.contains(Point(lon, lat)):
            return round(lon, 6), round(lat, 6)
    return round(centre.x, 6), round(centre.y, 6)


def _aware(day: dt.date, seconds: float) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz) + dt.timedelta(seconds=seconds)


def build_brigade(profile: Profile, *, seed: int, years: list[int], until: dt.date, scale: float, data_dir: Path,
                  name: str | None = None, detachment: str = DEMO_DETACHMENT) -> dict:
    """Write one brigade of the profile with ``years`` of records (each year to Dec 31, the last to
    ``until`` at most); the same arguments give the same records. Returns counts by record type."""
    from brigade.org.models import Brigade, Department, Person, Post, Station, Street, StreetKind
    from brigade.resources.models import Equipment, EquipmentKind, Vehicle, VehicleStatus
    from brigade.response.models import Dispatch, Incident
    from brigade.supervision.choices import EnforcementKind, HazardStatus, InspectionKind, LegalBasis
    from brigade.supervision.models import EnforcementAction, Hazard, Inspection
    from brigade.units.models import SocialUnit

    name = name or brigade_name(profile.district)
    rng = random.Random(f"brigade-detachment:{seed}:{name}")
    nrng = np.random.default_rng(rng.randrange(2**32))
    area_code, street_rows, outline = district_data(data_dir, profile.district)
    centre = outline.representative_point()
    radius_m = math.sqrt(outline.area) * 111_000 / 3
    brigade = Brigade.objects.create(name=name, detachment=detachment, district=f"山东省临沂市{profile.district}",
                                     population=profile.population)
    # From the name, not the primary key: the same records in any database; unique enough for a province.
    tag = hashlib.sha1(name.encode()).hexdigest()[:6].upper()
    streets = bulk(Street, [Street(brigade=brigade, code=code, name=sname,
                                   kind=StreetKind.TOWN if sname.endswith(("镇", "乡")) else StreetKind.SUBDISTRICT)
                            for code, sname in street_rows])
    bulk(Department, [Department(brigade=brigade, name=d.replace("区", "县", 1) if "县" in profile.district else d)
                      for d in DEPARTMENTS])
    words = unique_words(rng, len(profile.stations))
    stations = bulk(Station, [
        Station(brigade=brigade, name=f"{words[i]}{'专职队' if kind == 'fulltime' else '消防救援站'}", kind=kind,
                street=streets[min(i, len(streets) - 1)], opened_on=dt.date(2005 + i, 1, 1),
                **dict(zip(("lon", "lat"), _point(rng, outline, centre, radius_m / 2), strict=True)))
        for i, (kind, _, _) in enumerate(profile.stations)])
    people, vehicles, equipment = [], [], []
    for k, (station, (_kind, staff, n_vehicles)) in enumerate(zip(stations, profile.stations, strict=True)):
        people += [Person(brigade=brigade, station=station, name=person_name(rng), post=Post.FIREFIGHTER,
                          phone=phone_number(rng)) for _ in range(staff)]
        vehicles += [Vehicle(plate=f"鲁Q{tag}{k:02d}{v}", kind="water_tanker", station=station,
                             commissioned_on=dt.date(2012 + rng.randrange(10), 1 + rng.randrange(12), 1),
                             status=VehicleStatus.IN_SERVICE) for v in range(n_vehicles)]
        equipment.append(Equipment(station=station, kind=EquipmentKind.SCBA,
                                   in_service_qty=max(0, staff - profile.scba_short),
                                   spare_qty=math.ceil(staff / 4) if not profile.scba_short else staff // 8,
                                   purchased_on=dt.date(2018, 1, 1)))
    bulk(Person, people)
    vehicles = bulk(Vehicle, vehicles)
    bulk(Equipment, equipment)
    by_station = {s.pk: [v for v in vehicles if v.station_id == s.pk] for s in stations}

    n_units = max(5, round(profile.units * scale))
    words = unique_words(rng, min(n_units, 300))
    units = []
    for i in range(n_units):
        cat = rng.choice(SITE_CATEGORIES)
        number = "" if i < len(words) else f"{i // len(words) + 1}号"
        units.append(SocialUnit(name=f"{words[i % len(words)]}{SITE_NAMES[cat]}{number}", site_category=cat,
                                street=rng.choice(streets), is_key_unit=rng.random() < 0.15,
                                **dict(zip(("lon", "lat"), _point(rng, outline, centre, radius_m), strict=True))))
    units = bulk(SocialUnit, units)
    counts = {"units": len(units), "inspections": 0, "hazards": 0, "incidents": 0, "dispatches": 0}
    for year in years:
        last = min(dt.date(year, 12, 31), until)
        days = (last - dt.date(year, 1, 1)).days + 1
        fraction = days / (366 if year % 4 == 0 else 365)
        n_insp = max(3, round(profile.inspections * scale * fraction))
        inspections = bulk(Inspection, [
            Inspection(unit=rng.choice(units), inspected_on=dt.date(year, 1, 1) + dt.timedelta(rng.randrange(days)),
                       kind=rng.choice((InspectionKind.RANDOM, InspectionKind.RANDOM, InspectionKind.SPECIAL,
                                        InspectionKind.COMPLAINT)))
            for _ in range(n_insp)])
        hazards, actions = [], []
        for insp in inspections:
            for _ in range(int(nrng.poisson(profile.hazards_per_inspection))):
                found = insp.inspected_on
                on_spot = rng.random() < 0.3
                deadline = None if on_spot else found + dt.timedelta(days=rng.choice((7, 15, 30)))
                due = deadline or found
                fate = rng.random()
                if fate < profile.on_time:
                    rectified = found + dt.timedelta(days=rng.randint(0, (due - found).days))
                elif fate < 1 - profile.never:
                    rectified = due + dt.timedelta(days=rng.randint(1, 40))
                else:
                    rectified = None
                if rectified is not None and rectified > until:
                    rectified = None
                hazards.append(Hazard(inspection=insp, unit_id=insp.unit_id, category=rng.choice(HAZARD_CATEGORIES),
                                      found_on=found, ordered_on=found, deadline=deadline, rectified_on=rectified,
                                      status=HazardStatus.RECTIFIED if rectified else HazardStatus.ORDERED,
                                      is_major=rng.random() < 0.01))
                if rng.random() < profile.penalty_share:
                    actions.append(EnforcementAction(unit_id=insp.unit_id, kind=EnforcementKind.PENALTY,
                                                     legal_basis=LegalBasis.ART60, decided_on=min(due, until),
                                                     fine_amount=Decimal(rng.choice((5000, 10000, 20000, 50000)))))
        bulk(Hazard, hazards)
        bulk(EnforcementAction, actions)
        counts["inspections"] += len(inspections)
        counts["hazards"] += len(hazards)
        calls, dispatches = _calls(profile, rng, nrng, year, days, scale, streets, stations, by_station, outline,
                                   centre, radius_m, f"{area_code}{tag}")
        calls = bulk(Incident, calls)
        for d in dispatches:
            d.incident_id = calls[d.incident_id].pk
        bulk(Dispatch, dispatches)
        counts["incidents"] += len(calls)
        counts["dispatches"] += len(dispatches)
    return counts


SITE_NAMES = {"logistics": "物流园", "high_rise": "大厦", "property": "小区物业", "mixed_use": "商住楼",
              "elderly_care": "养老院", "sublet_park": "产业园", "construction": "建设工地", "school": "学校",
              "hospital": "医院"}


def _calls(profile, rng, nrng, year, days, scale, streets, stations, by_station, outline, centre, radius_m, prefix):
    """The year's calls and their dispatches (dispatch.incident_id holds the call's index until saved)."""
    from brigade.response.models import Dispatch, Incident

    n = max(3, round(profile.alarms * scale * days / 365))
    calls, dispatches = [], []
    cats, weights = zip(*CALL_CATEGORIES, strict=True)
    travel = nrng.lognormal(math.log(profile.travel_median_s), profile.travel_spread, size=n)
    for i in range(n):
        day = dt.date(year, 1, 1) + dt.timedelta(rng.randrange(days))
        received = _aware(day, rng.randrange(86_400 - 4 * 3600))
        handling, turnout = rng.uniform(30, 90), rng.uniform(40, 100)
        dispatched = received + dt.timedelta(seconds=handling)
        departed = dispatched + dt.timedelta(seconds=turnout)
        arrived = departed + dt.timedelta(seconds=float(travel[i]))
        cleared = arrived + dt.timedelta(seconds=rng.uniform(600, 5400))
        returned = cleared + dt.timedelta(seconds=rng.uniform(300, 1800))
        station = rng.choice(stations)
        lon, lat = _point(rng, outline, centre, radius_m)
        category = rng.choices(cats, weights=weights)[0]
        calls.append(Incident(number=f"{prefix}{year}{i:06d}", category=category, received_at=received,
                              dispatched_at=dispatched, cleared_at=cleared, returned_at=returned,
                              street=rng.choice(streets), first_due_station=station, lon=lon, lat=lat,
                              cause="careless" if category == "fire" and rng.random() < 0.3 else ""))
        fleet = by_station[station.pk]
        for k in range(1 if rng.random() < 0.6 else 2):
            lag = 60.0 * k
            dispatches.append(Dispatch(incident_id=i, station=station, vehicle=fleet[k % len(fleet)] if fleet else None,
                                       crew_count=rng.randint(4, 6), dispatched_at=dispatched,
                                       departed_at=departed + dt.timedelta(seconds=lag),
                                       arrived_at=arrived + dt.timedelta(seconds=lag), returned_at=returned))
    return calls, dispatches


def add_evaluation_scores(profiles_brigades, *, seed: int) -> int:
    """Give each extra brigade its own monthly street evaluation run beside each of the demo brigade's
    (same rubric and month), its streets scored within the profile's range and ranked among
    themselves. Returns the scores written."""
    from brigade.demo.generator import DEMO_BRIGADE_NAME
    from brigade.evaluation.models import EvaluationRun, EvaluationScore

    rng = random.Random(f"brigade-detachment-scores:{seed}")
    written = 0
    for run in EvaluationRun.objects.filter(rubric__target="street", brigade__name=DEMO_BRIGADE_NAME).order_by(
            "month", "pk").select_related("rubric"):
        total = float(run.rubric.total_points)
        for profile, brigade in profiles_brigades:
            lo, hi = profile.score
            own = EvaluationRun.objects.create(brigade=brigade, rubric=run.rubric, month=run.month)
            scored = sorted(((round(total * rng.uniform(lo, hi) / 100, 2), street)
                             for street in brigade.streets.order_by("code")), key=lambda r: -r[0])
            EvaluationScore.objects.bulk_create(
                EvaluationScore(run=own, street=street, score=Decimal(str(score)),
                                deducted=Decimal(str(round(total - score, 2))), rank=rank)
                for rank, (score, street) in enumerate(scored, start=1))
            written += len(scored)
    return written


def add_draws(profiles_brigades, *, seed: int, year: int, officers: int = 4) -> int:
    """Give each extra brigade a few 防火监督员, grade its units as of the demo year's end and draw its
    next January's 双随机 list. Returns the draws made."""
    from brigade.demo.risk import draw_for_brigade
    from brigade.org.models import Person, Post
    from brigade.risk.services.grading import risk_grade
    from brigade.units.models import SocialUnit

    rng = random.Random(f"brigade-detachment-draws:{seed}")
    made = 0
    for _profile, brigade in profiles_brigades:
        station = brigade.stations.order_by("pk").first()
        bulk(Person, [Person(brigade=brigade, station=station, name=person_name(rng), post=Post.SUPERVISOR,
                             phone=phone_number(rng)) for _ in range(officers)])
        risk_grade(on=dt.date(year, 12, 31),
                   unit_ids=list(SocialUnit.objects.filter(street__brigade=brigade).values_list("pk", flat=True)))
        draw_for_brigade(brigade, month=f"{year + 1}-01", seed=rng.randrange(10**9))
        made += 1
    return made


def detachment_exists() -> bool:
    from brigade.org.models import Brigade

    return Brigade.objects.filter(name__in=[brigade_name(p.district) for p in PROFILES]).exists()


def build_detachment(*, seed: int, year: int, until: dt.date | None, scale: float, data_dir: Path,
                     progress=None) -> list[tuple[Profile, object, dict]]:
    """The demo detachment's other brigades (the demo brigade must exist): the year before the demo
    year and the demo year (and the current year to ``until``)."""
    from brigade.demo.generator import DEMO_BRIGADE_NAME
    from brigade.org.models import Brigade

    Brigade.objects.filter(name=DEMO_BRIGADE_NAME).update(population=HEDONG_POPULATION)
    years = [year - 1, year] + ([until.year] if until and until.year == year + 1 else [])
    last = until or dt.date(year, 12, 31)
    built = []
    for profile in PROFILES:
        counts = build_brigade(profile, seed=seed, years=years, until=last, scale=scale, data_dir=data_dir)
        brigade = Brigade.objects.get(name=brigade_name(profile.district))
        built.append((profile, brigade, counts))
        if progress:
            progress(brigade.name)
    add_evaluation_scores([(p, b) for p, b, _ in built], seed=seed)
    add_draws([(p, b) for p, b, _ in built], seed=seed, year=year)
    return built
