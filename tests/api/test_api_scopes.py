"""A street liaison, through the API, sees only their own street and changes nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from brigade.api.resources import RESOURCES
from brigade.core.roles import LIAISON, SUPERVISION, assign_role

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def liaison(town):
    user = User.objects.create_user("jiaqu", password=None)
    assign_role(user, LIAISON, street=town["a"])
    return client_for(user)


def test_liaison_lists_only_their_street(liaison, town):
    from brigade.supervision.models import Hazard

    body = liaison.get("/api/hazards/").json()
    assert body["count"] == Hazard.objects.filter(unit__street=town["a"]).count() == 5
    other = Hazard.objects.filter(unit__street=town["b"]).first()
    assert liaison.get(f"/api/hazards/{other.pk}/").status_code == 404


def test_liaison_never_sees_another_streets_rows_anywhere(liaison, town):
    """Walk every record type: whatever the liaison may list belongs to their street."""
    from brigade.core.records import record_type_for

    for resource in RESOURCES:
        response = liaison.get(f"/api/{resource.path}/?page_size=500")
        if response.status_code == 403:
            continue
        assert response.status_code == 200, resource.path
        rt = record_type_for(resource.model)
        ids = [row["id"] for row in response.json()["results"]]
        allowed = set(resource.model.objects.filter(**{rt.street: town["a"].pk}).values_list("pk", flat=True))
        assert set(ids) <= allowed, resource.path


def test_liaison_cannot_write(liaison, town):
    response = liaison.post("/api/interviews/", {"held_on": "2025-05-05", "site_category": "school",
                                                 "street": town["a"].pk, "people_count": 3}, format="json")
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]


def test_liaison_metrics_only_for_their_street(liaison):
    assert liaison.get("/api/metrics/?period=2025").status_code == 403
    ok = liaison.get("/api/metrics/?period=2025&scope=street:甲街道&codes=supervision.units_inspected")
    assert ok.status_code == 200 and ok.json()["metrics"][0]["value"] == 2


def test_supervision_officer_writes_inspections(town):
    from brigade.units.models import SocialUnit

    user = User.objects.create_user("officer", password=None)
    assign_role(user, SUPERVISION)
    unit = SocialUnit.objects.first()
    response = client_for(user).post("/api/inspections/", {"unit": unit.pk, "inspected_on": str(dt.date(2025, 6, 6)),
                                                           "kind": "random"}, format="json")
    assert response.status_code == 201, response.json()
