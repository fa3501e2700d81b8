"""Fleet and SCBA findings (Q4) from vehicles, equipment and on-duty staff."""

import datetime as dt

import pytest

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE, parse_scope
from brigade.planning.fleet import fleet_findings

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(station):
    from brigade.org.models import Person
    from brigade.resources.models import Equipment, Vehicle

    for i, year in enumerate((2005, 2012, 2020, 2024)):
        Vehicle.objects.create(plate=f"鲁Q{i}119", kind="water_tanker", station=station,
                               commissioned_on=dt.date(year, 1, 1))
    Vehicle.objects.create(plate="鲁Q9119", kind="foam", station=station, commissioned_on=dt.date(2000, 1, 1),
                           status="retired")
    for i in range(12):
        Person.objects.create(brigade=station.brigade, name=f"队员{i}", station=station)
    Person.objects.create(brigade=station.brigade, name="文员", station=station, is_on_duty=False)
    Equipment.objects.create(kind="scba", station=station, in_service_qty=10, spare_qty=2)
    return station


def test_q4_findings(fleet):
    found = {f.code: f for f in fleet_findings(parse_period("2025"), BRIGADE)}
    old = found["fleet.over_age"]
    assert old.metrics["over_age"] == 1  # 2005 truck; the retired one is not counted
    assert old.evidence[0]["车牌号"] == "鲁Q0119"
    short = found["fleet.station_shortfall"]  # 一级站 needs 5 duty vehicles, has 4
    assert short.evidence == [{"消防站": "九曲站", "应配（辆）": 5, "实有（辆）": 4}]
    scba = found["fleet.scba_shortfall"]  # 12 on duty → 12 in service + ceil(12/5)=3 spare; has 10 + 2
    assert scba.metrics == {"stations_short": 1, "scba_short": 3, "per_person": 1, "spare_ratio": 5.0,
                            "spare_ratio_special": 4.0}


def test_a_station_without_vehicles_is_short_of_its_whole_complement(station):
    # Nothing recorded but a 一级站: no age, SCBA or ratio findings, only the missing duty vehicles.
    for scope in (BRIGADE, parse_scope("station:九曲站")):
        found = fleet_findings(parse_period("2025"), scope)
        assert [(f.code, f.metrics, f.evidence) for f in found] == [
            ("fleet.station_shortfall", {"stations_short": 1, "vehicles_short": 5},
             [{"消防站": "九曲站", "应配（辆）": 5, "实有（辆）": 0}])]
