"""Shared fixtures: a small hand-built brigade that tests can reason about exactly."""

import datetime as dt
from decimal import Decimal

import pytest

from brigade.core.validators import credit_code_check_char


def make_credit_code(n: int) -> str:
    """A valid 统一社会信用代码 built from a serial number (the check character computed)."""
    first17 = f"91371312MA{n:07d}"
    return first17 + credit_code_check_char(first17)


def ensure_reference_data() -> None:
    """Put back what data migrations seed (activity kinds, example rubrics) if a flush removed it.

    A transactional test (live server, backup round trip) ends with a flush that empties every
    table, including rows the migrations seeded; later tests expect them.
    """
    import importlib

    from django.apps import apps

    from brigade.ledger.catalogue import load_catalogue

    if not apps.get_model("ledger", "ActivityKind").objects.exists():
        load_catalogue(apps.get_model("ledger", "ActivityKind"))
    if not apps.get_model("evaluation", "Rubric").objects.exists():
        importlib.import_module("brigade.evaluation.migrations.0002_default_rubrics").seed(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached dashboard figures must not leak from one test's database into the next."""
    from django.core.cache import cache

    from brigade.metrics.registry import forget_dynamic

    cache.clear()
    forget_dynamic()  # activity kinds a previous test added (and rolled back) are not metrics here


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_reference_data()


@pytest.fixture
def brigade(db):
    from brigade.org.models import Brigade

    return Brigade.objects.create(name="测试大队", detachment="测试支队", district="测试区")


@pytest.fixture
def street(brigade):
    from brigade.org.models import Street

    return Street.objects.create(brigade=brigade, name="九曲街道", code="371312001", area_km2=40.0)


@pytest.fixture
def station(brigade, street):
    from brigade.org.models import Station

    return Station.objects.create(brigade=brigade, name="九曲站", kind="level1", street=street, lon=118.4, lat=35.0)


@pytest.fixture
def unit(street):
    from brigade.units.models import SocialUnit

    return SocialUnit.objects.create(
        name="测试物流有限公司", credit_code=make_credit_code(1), site_category="logistics", street=street
    )


@pytest.fixture
def day():
    return dt.date(2025, 3, 3)


TZ = dt.timezone(dt.timedelta(hours=8))
D = dt.date


def at(y, m, d, hh=10, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.fixture
def town(brigade):
    """Two streets, two stations, three units and a year (2025) of records, plus one 2024 row each."""
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Community, Department, Person, Station, Street
    from brigade.resources.models import ChargingShed, ElevatorBlocker, Equipment, Vehicle
    from brigade.response.models import Dispatch, Incident
    from brigade.supervision.models import (
        Campaign,
        EnforcementAction,
        Hazard,
        Inspection,
        Interview,
        Notice,
        SupervisionLetter,
    )
    from brigade.units.models import SocialUnit

    a = Street.objects.create(brigade=brigade, name="甲街道")
    b = Street.objects.create(brigade=brigade, name="乙镇", kind="town")
    sa = Station.objects.create(brigade=brigade, name="甲站", street=a)
    sb = Station.objects.create(brigade=brigade, name="乙站", street=b)
    u1, u2, u3 = (
        SocialUnit.objects.create(name=f"测试单位{i}号", credit_code=make_credit_code(i), site_category=cat, street=st)
        for i, (cat, st) in enumerate([("logistics", a), ("high_rise", a), ("mixed_use", b)], start=1)
    )
    dept = Department.objects.create(brigade=brigade, name="教育局")
    c = Campaign.objects.create(name="春季攻坚", starts_on=D(2025, 4, 1), ends_on=D(2025, 4, 30))

    i1 = Inspection.objects.create(unit=u1, inspected_on=D(2025, 3, 1), kind="random")
    i2 = Inspection.objects.create(unit=u2, inspected_on=D(2025, 4, 2), kind="special", campaign=c)
    i3 = Inspection.objects.create(unit=u3, inspected_on=D(2025, 5, 5), kind="random", is_joint=True, department=dept)
    i4 = Inspection.objects.create(unit=u1, inspected_on=D(2025, 6, 1), kind="self_day")
    i0 = Inspection.objects.create(unit=u1, inspected_on=D(2024, 3, 1), kind="random")

    def hazard(insp, category, **kw):
        return Hazard.objects.create(inspection=insp, unit=insp.unit, category=category,
                                     found_on=insp.inspected_on, **kw)

    hazard(i1, "fire_lane", deadline=D(2025, 3, 5), rectified_on=D(2025, 3, 4), status="rectified")
    hazard(i1, "electrical", deadline=D(2025, 3, 20), status="ordered")  # overdue at every later period end
    hazard(i2, "flying_wire", deadline=D(2025, 4, 9), rectified_on=D(2025, 4, 10), status="rectified")
    hazard(i3, "living", is_major=True, status="escalated")
    hazard(i4, "extinguisher", rectified_on=D(2025, 6, 1), status="closed", closed_on=D(2025, 6, 1),
           reinspected_on=D(2025, 6, 1))
    hazard(i0, "fire_lane", deadline=D(2024, 3, 9), rectified_on=D(2024, 3, 8), status="closed",
           reinspected_on=D(2024, 3, 9), closed_on=D(2024, 3, 9))

    def act(kind, day, **kw):
        kw.setdefault("legal_basis", "art60")
        return EnforcementAction.objects.create(kind=kind, decided_on=day, **kw)

    act("penalty", D(2025, 4, 15), unit=u2, fine_amount=Decimal("5000"), campaign=c)
    act("penalty", D(2025, 6, 1), unit=u2, fine_amount=Decimal("3000"))
    act("penalty", D(2024, 6, 1), unit=u1, fine_amount=Decimal("10000"))
    act("seal_up", D(2025, 5, 6), unit=u3, legal_basis="art54", ends_on=D(2025, 6, 5))
    act("warning", D(2025, 4, 20), person_name="张某", legal_basis="art63")
    act("detention", D(2025, 7, 1), person_name="李某", legal_basis="art64")

    Interview.objects.create(held_on=D(2025, 2, 1), site_category="logistics", street=a, people_count=12)
    Notice.objects.create(issued_on=D(2025, 1, 3), kind="notice", title="关于开展检查的通知")
    Notice.objects.create(issued_on=D(2025, 9, 3), kind="bulletin", title="考评通报")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 3), street=a, subject="督促整改")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 4), department=dept, subject="督促排查")

    v1 = Vehicle.objects.create(plate="鲁Q0001应急", kind="water_tanker", station=sa, commissioned_on=D(2010, 1, 1))
    Vehicle.objects.create(plate="鲁Q0002应急", kind="rescue", station=sb, commissioned_on=D(2020, 1, 1))
    Vehicle.objects.create(plate="鲁Q0003应急", kind="foam", station=sb, commissioned_on=D(2005, 1, 1),
                           status="retired")
    Equipment.objects.create(kind="scba", station=sa, in_service_qty=10, spare_qty=2)
    Equipment.objects.create(kind="scba", station=sb, in_service_qty=6, spare_qty=1, purchased_on=D(2026, 1, 1))
    for i in range(3):
        Person.objects.create(brigade=brigade, name=f"队员{i}", station=sa)
    Person.objects.create(brigade=brigade, name="文员", station=sa, is_on_duty=False)

    f1 = Incident.objects.create(number="F1", category="fire", received_at=at(2025, 1, 1, 0, 5), street=a,
                                 deaths=1, injuries=2, direct_loss=Decimal("12000"), cause="careless")
    Incident.objects.create(number="F2", category="fire", received_at=at(2025, 12, 31, 23, 59), street=b,
                            has_impact=True, direct_loss=Decimal("500"))
    r1 = Incident.objects.create(number="R1", category="rescue", received_at=at(2025, 6, 1), street=b)
    Incident.objects.create(number="F0", category="fire", received_at=at(2024, 12, 31, 23, 59), street=a)
    Incident.objects.create(number="F9", category="fire", received_at=at(2026, 1, 1, 0, 1), street=a)
    Dispatch.objects.create(incident=f1, station=sa, vehicle=v1, crew_count=5)
    Dispatch.objects.create(incident=f1, station=sa, crew_count=4)
    Dispatch.objects.create(incident=r1, station=sa, crew_count=3)
    Dispatch.objects.create(incident=r1, station=sb, crew_count=6)

    alcohol = ActivityKind.objects.get(code="alcohol_check")
    school = ActivityKind.objects.get(code="outreach_school")
    Activity.objects.create(occurred_on=D(2025, 2, 1), kind=alcohol, values={"count": 2, "people": 30}, station=sa)
    Activity.objects.create(occurred_on=D(2025, 5, 1), kind=alcohol, values={"count": 1, "people": 12}, street=a)
    Activity.objects.create(occurred_on=D(2024, 5, 1), kind=alcohol, values={"count": 5, "people": 50})
    Activity.objects.create(occurred_on=D(2025, 9, 1), kind=school, street=b,
                            values={"count": 1, "materials": 500, "people": 300})

    comm = Community.objects.create(street=a, name="幸福小区")
    ChargingShed.objects.create(community=comm, ports=20, built_on=D(2024, 5, 1))
    ChargingShed.objects.create(community=comm, ports=10, built_on=D(2025, 5, 1))
    ElevatorBlocker.objects.create(community=comm, elevators=4, installed_on=D(2025, 2, 1))
    return {"a": a, "b": b, "sa": sa, "sb": sb, "campaign": c}
