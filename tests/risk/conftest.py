import pytest

from tests.conftest import D, make_credit_code


def make_district(brigade, *, tag: str = "", codes: int = 100, officers: int = 5) -> dict:
    """Two streets, one station, 60 units (every 5th a key unit, a few with hazards) and ``officers``
    supervisors in ``brigade``; ``tag`` keeps names apart, ``codes`` the units' credit codes."""
    from brigade.org.models import Person, Post, Station, Street
    from brigade.supervision.models import Hazard, Inspection
    from brigade.units.models import SocialUnit

    a = Street.objects.create(brigade=brigade, name=f"{tag}甲街道")
    b = Street.objects.create(brigade=brigade, name=f"{tag}乙镇", kind="town")
    station = Station.objects.create(brigade=brigade, name=f"{tag}甲站", street=a, lon=118.40, lat=35.00)
    cats = ["hazmat", "residential", "retail", "logistics", "other"]
    units = [SocialUnit.objects.create(name=f"{tag}单位{i:02d}", credit_code=make_credit_code(codes + i),
                                       site_category=cats[i % 5], street=a if i % 2 else b, is_key_unit=i % 5 == 0,
                                       lon=118.40 + 0.002 * i, lat=35.00)
             for i in range(60)]
    for i, u in enumerate(units[:20]):
        insp = Inspection.objects.create(unit=u, inspected_on=D(2025, 6, 1), kind="random")
        for _ in range(i % 4):
            Hazard.objects.create(inspection=insp, unit=u, category="other", found_on=D(2025, 6, 1),
                                  deadline=D(2025, 6, 20), status="ordered")
    people = [Person.objects.create(brigade=brigade, name=f"{tag}监督员{i}", post=Post.SUPERVISOR, station=station)
              for i in range(officers)]
    return {"a": a, "b": b, "units": units, "officers": people, "station": station}


@pytest.fixture
def district(brigade):
    """Two streets, one station, 60 units (every 5th a key unit, a few with hazards), five supervisors."""
    return make_district(brigade)


@pytest.fixture
def graded(district):
    from brigade.risk.services.grading import risk_grade

    risk_grade(on=D(2025, 12, 31))
    return district
