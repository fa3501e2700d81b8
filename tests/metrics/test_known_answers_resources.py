"""Known answers for the stock figures of equipment and water supply (Q3, Q4).

Stock figures are read at the period's end, so the year-earlier value is the stock at the end of
the previous year. Each fixture has rows that must not count: bought or built after the end,
another equipment kind, another street or station, an unusable or non-intake water source.
"""

import datetime as dt

import pytest

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, Scope
from brigade.metrics.registry import compute

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def stock(brigade, street, station):
    from brigade.org.models import Station, Street
    from brigade.resources.models import Equipment, Hydrant, WaterSource

    east = Street.objects.create(brigade=brigade, name="城东街道")
    east_station = Station.objects.create(brigade=brigade, name="城东站", street=east)
    equipment = [  # (station, kind, in service, spare, purchased)
        (station, "scba", 10, 3, None),
        (station, "scba", 4, 2, D(2025, 6, 1)),
        (station, "scba", 8, 4, D(2026, 2, 1)),  # bought after the end of 2025
        (station, "suit", 20, 7, None),  # not a breathing apparatus
        (east_station, "scba", 6, 5, D(2020, 1, 1)),
    ]
    for st, kind, in_service, spare, bought in equipment:
        Equipment.objects.create(station=st, kind=kind, in_service_qty=in_service, spare_qty=spare,
                                 purchased_on=bought)
    hydrants = [  # (street, status, installed)
        (street, "in_service", None),
        (street, "damaged", D(2024, 5, 1)),
        (street, "in_service", D(2025, 3, 1)),
        (street, "out_of_service", D(2025, 8, 1)),
        (street, "damaged", D(2026, 1, 5)),  # built after the end of 2025
        (east, "in_service", D(2019, 1, 1)),
        (east, "damaged", D(2025, 1, 1)),
        (None, "in_service", D(2010, 1, 1)),  # no street: brigade only
    ]
    for i, (st, status, installed) in enumerate(hydrants):
        Hydrant.objects.create(code=f"H{i:03d}", street=st, status=status, installed_on=installed)
    WaterSource.objects.create(name="九曲取水码头", kind="intake", street=street)
    WaterSource.objects.create(name="河湾取水点", kind="intake", street=street)
    WaterSource.objects.create(name="废弃取水点", kind="intake", street=street, is_usable=False)
    WaterSource.objects.create(name="城东消防水池", kind="pool", street=east)
    WaterSource.objects.create(name="城东取水点", kind="intake", street=east)
    return {"street": street, "station": station, "east": east, "east_station": east_station, "rows": {
        "equipment": equipment, "hydrants": hydrants}}


def _scba(rows, end, station=None, street=None):
    """Independent count over the fixture's rows."""
    def keep(r):
        st, kind, _, _, bought = r
        return (kind == "scba" and (bought is None or bought <= end) and (station is None or st == station)
                and (street is None or st.street == street))
    kept = [r for r in rows if keep(r)]
    return sum(r[2] for r in kept), sum(r[3] for r in kept)


def _hydrants(rows, end, street=None):
    kept = [r for r in rows if (r[2] is None or r[2] <= end) and (street is None or r[0] == street)]
    return len(kept), sum(r[1] != "in_service" for r in kept)


CODES = ["equipment.scba_in_service", "equipment.scba_spare", "water.hydrants", "water.hydrants_damaged",
         "water.intake_points"]


def test_brigade_stock_now_and_a_year_earlier(stock):
    table = compute(parse_period("2025"), BRIGADE, codes=CODES)
    got = {c: (table[c].value, table[c].previous) for c in CODES}
    rows = stock["rows"]
    in_2025, spare_2025 = _scba(rows["equipment"], D(2025, 12, 31))
    in_2024, spare_2024 = _scba(rows["equipment"], D(2024, 12, 31))
    h_2025, bad_2025 = _hydrants(rows["hydrants"], D(2025, 12, 31))
    h_2024, bad_2024 = _hydrants(rows["hydrants"], D(2024, 12, 31))
    assert (in_2025, spare_2025, h_2025, bad_2025) == (20, 10, 7, 3)  # the independent count, by hand
    assert (in_2024, spare_2024, h_2024, bad_2024) == (16, 8, 4, 1)
    assert got == {
        "equipment.scba_in_service": (in_2025, in_2024),
        "equipment.scba_spare": (spare_2025, spare_2024),
        "water.hydrants": (h_2025, h_2024),
        "water.hydrants_damaged": (bad_2025, bad_2024),
        "water.intake_points": (3, 3),  # usable intake points; they carry no date
    }


def test_street_and_station_scopes(stock):
    street = Scope("street", stock["street"].name, stock["street"].pk)
    table = compute(parse_period("2025-Q2"), street, codes=CODES)
    assert {c: (table[c].value, table[c].previous) for c in CODES} == {
        "equipment.scba_in_service": (14, 10),  # the June 2025 set is in by 30 June
        "equipment.scba_spare": (5, 3),
        "water.hydrants": (3, 2),  # the August 2025 and 2026 hydrants are not built yet
        "water.hydrants_damaged": (1, 1),
        "water.intake_points": (2, 2),
    }
    east = Scope("station", stock["east_station"].name, stock["east_station"].pk)
    table = compute(parse_period("2025"), east, codes=CODES)
    assert {c: table.value(c) for c in CODES} == {
        "equipment.scba_in_service": 6, "equipment.scba_spare": 5,
        # water figures are kept by street, not by station
        "water.hydrants": None, "water.hydrants_damaged": None, "water.intake_points": None,
    }
