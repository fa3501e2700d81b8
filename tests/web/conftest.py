"""A small two-street brigade and one user per role, for the web pages' tests."""

import datetime as dt

import pytest

from tests.conftest import make_credit_code

PASSWORD = "Brigade-Test-2025!"
SQUARE = [[118.30, 35.00], [118.40, 35.00], [118.40, 35.10], [118.30, 35.10], [118.30, 35.00]]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Argon2 costs about half a second per user; these tests are about pages, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """Two streets, each with a unit, an inspection, a hazard, an incident and a hydrant."""
    from django.utils import timezone

    from brigade.org.models import Brigade, Station, Street
    from brigade.resources.models import Hydrant, Road
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard, Inspection
    from brigade.units.models import SocialUnit

    brigade = Brigade.objects.create(name="测试大队")
    out = {"brigade": brigade}
    for i, name in enumerate(("九曲街道", "芝麻墩街道")):
        ring = [[lon + 0.1 * i, lat] for lon, lat in SQUARE]
        street = Street.objects.create(brigade=brigade, name=name, code=f"37131200{i + 1}",
                                       boundary={"type": "Polygon", "coordinates": [ring]})
        station = Station.objects.create(brigade=brigade, name=f"{name[:2]}站", street=street,
                                         lon=118.35 + 0.1 * i, lat=35.05)
        unit = SocialUnit.objects.create(name=f"{name[:2]}物流有限公司", credit_code=make_credit_code(10 + i),
                                         site_category="logistics", street=street, is_key_unit=i == 0,
                                         lon=118.36 + 0.1 * i, lat=35.04)
        inspection = Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 3), kind="random")
        hazard = Hazard.objects.create(inspection=inspection, unit=unit, category="fire_lane",
                                       description=f"{name}通道堵塞", found_on=dt.date(2025, 3, 3),
                                       deadline=dt.date(2025, 3, 20), status="ordered")
        incident = Incident.objects.create(
            number=f"JQ2025000{i + 1}", category="fire", street=street, lon=118.37 + 0.1 * i, lat=35.06,
            received_at=timezone.make_aware(dt.datetime(2025, 4, 1 + i, 10, 0)))
        hydrant = Hydrant.objects.create(code=f"XHS-{i + 1:03d}", street=street, lon=118.33 + 0.1 * i, lat=35.02)
        out[i] = {"street": street, "station": station, "unit": unit, "inspection": inspection,
                  "hazard": hazard, "incident": incident, "hydrant": hydrant}
    Road.objects.create(name="滨河大道", road_class="arterial", coordinates=[[118.3, 35.05], [118.5, 35.05]])
    from brigade.risk.services.grading import risk_grade

    risk_grade(on=dt.date(2025, 12, 31))  # the grades a write would leave after its commit
    return out


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import User

    from brigade.core.roles import assign_role

    def make(username: str, role: str | None, **territory):
        user = User.objects.create_user(username=username, password=PASSWORD)
        if role:
            assign_role(user, role, **territory)
        return user

    return make


@pytest.fixture
def users(world, make_user):
    return {
        "admin": make_user("admin", "admin"),
        "leader": make_user("leader", "leader"),
        "supervision": make_user("jiandu", "supervision"),
        "command": make_user("zhihui", "command"),
        "training": make_user("xunlian", "training"),
        "liaison": make_user("lianluo", "liaison", street=world[0]["street"]),
        "norole": make_user("norole", None),
    }


@pytest.fixture
def login(client, users):
    def as_(role: str):
        client.force_login(users[role])
        return client

    return as_
