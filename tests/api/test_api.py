"""The REST API: filters, Chinese validation messages per field, metrics, schema and docs offline."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brigade.api.resources import RESOURCES
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    user = User.objects.create_superuser("api-admin", password="x-very-long-password-1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_anonymous_is_refused(client):
    assert APIClient().get("/api/units/").status_code in (401, 403)


def test_every_resource_lists(api, unit):
    for resource in RESOURCES:
        response = api.get(f"/api/{resource.path}/")
        assert response.status_code == 200, resource.path
        assert "results" in response.json()


def test_create_unit_with_a_bad_credit_code_names_the_field(api, street):
    response = api.post("/api/units/", {"name": "某单位", "credit_code": "91350100M000100Y44",
                                        "site_category": "logistics", "street": street.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["credit_code"] == ["统一社会信用代码“91350100M000100Y44”校验位不正确。"]


def test_create_and_update_through_model_rules(api, street):
    code = make_credit_code(77).lower()
    response = api.post("/api/units/", {"name": "新单位", "credit_code": code, "site_category": "school",
                                        "street": street.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code.upper()  # clean() normalised it, and that was saved
    pk = response.json()["id"]
    bad = api.patch(f"/api/units/{pk}/", {"lon": 118.3}, format="json")
    assert bad.status_code == 400
    assert "经度和纬度应同时填写" in bad.json()["lat"][0]
    from brigade.units.models import SocialUnit

    assert SocialUnit.objects.get(pk=pk).lon is None  # a refused update changed nothing


def test_incident_timeline_error_is_per_field(api):
    response = api.post("/api/incidents/", {"number": "X1", "category": "fire",
                                            "received_at": "2025-03-03T10:00:00+08:00",
                                            "dispatched_at": "2025-03-03T09:59:00+08:00"}, format="json")
    assert response.status_code == 400
    assert response.json()["dispatched_at"] == ["出动指令时间不能早于接警时间。"]


def test_filters(api, unit):
    from brigade.supervision.models import Hazard, Inspection

    for day in (dt.date(2025, 3, 1), dt.date(2025, 8, 1), dt.date(2024, 3, 1)):
        insp = Inspection.objects.create(unit=unit, inspected_on=day, kind="random")
        Hazard.objects.create(inspection=insp, unit=unit, category="fire_lane", found_on=day)
    assert api.get("/api/hazards/?period=2025").json()["count"] == 2
    assert api.get("/api/hazards/?period=2025-Q1").json()["count"] == 1
    assert api.get(f"/api/hazards/?street={unit.street_id}").json()["count"] == 3
    assert api.get("/api/hazards/?category=electrical").json()["count"] == 0
    bad = api.get("/api/hazards/?period=2025-13")
    assert bad.status_code == 400 and "月份 13 不存在" in bad.json()["period"][0]
    assert api.get("/api/hazards/?street=abc").status_code == 400


def test_metrics_endpoint(api, unit):
    response = api.get("/api/metrics/?period=2025&codes=supervision.units_inspected,response.alarms")
    assert response.status_code == 200
    body = response.json()
    assert body["period_label"] == "2025年"
    assert [m["code"] for m in body["metrics"]] == ["supervision.units_inspected", "response.alarms"]
    bad = api.get("/api/metrics/?period=2025&scope=street:无此街道")
    assert bad.status_code == 400 and "没有名为“无此街道”的镇街" in bad.json()["detail"][0]


def test_no_delete_through_the_api(api, unit):
    assert api.delete(f"/api/units/{unit.pk}/").status_code == 405


def test_schema_and_docs_are_served_offline(api):
    assert api.get("/api/schema/").status_code == 200
    html = api.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    assert "http://" not in html and "https://" not in html.replace("https://swagger.io", "")


def test_hazard_workflow_through_the_api(api, unit):
    from brigade.supervision.models import Hazard, Inspection

    insp = Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 3), kind="random")
    created = api.post("/api/hazards/", {"inspection": insp.pk, "category": "fire_lane", "found_on": "2025-03-03",
                                         "status": "closed"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "found" and body["unit"] == unit.pk  # status is the workflow's, not the client's
    url = f"/api/hazards/{body['id']}/transition/"

    refused = api.post(url, {"action": "close", "date": "2025-03-04"}, format="json")
    assert refused.status_code == 400
    assert "复查" in str(refused.json())
    ordered = api.post(url, {"action": "order", "date": "2025-03-04", "deadline": "2025-03-14",
                             "expected_version": body["version"]}, format="json")
    assert ordered.status_code == 200 and ordered.json()["status"] == "ordered"
    stale = api.post(url, {"action": "rectify", "date": "2025-03-10", "expected_version": body["version"]},
                     format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert Hazard.objects.get(pk=body["id"]).status == "ordered"  # the stale step changed nothing


def test_a_step_has_one_name_on_the_page_the_api_and_the_command_line(api, unit):
    """The hazard's steps are declared once (brigade.supervision.workflow): the API takes the page's and the
    command's name ("request"), and still the name it had before ("request_reinspection")."""
    import io

    from django.core.management import call_command

    from brigade.supervision import services
    from brigade.supervision.models import Hazard, Inspection

    insp = Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 3), kind="random")
    hazards = [services.hazard_record(inspection=insp, category="fire_lane", description=f"第{i}处") for i in range(3)]
    for hazard in hazards:
        services.hazard_order(hazard=hazard, ordered_on=dt.date(2025, 3, 4), deadline=dt.date(2025, 3, 20))
    for hazard, name in zip(hazards[:2], ("request", "request_reinspection"), strict=True):
        answer = api.post(f"/api/hazards/{hazard.pk}/transition/", {"action": name, "date": "2025-03-10"},
                          format="json")
        assert answer.status_code == 200, answer.json()
    call_command("hazard", "request", str(hazards[2].pk), "--on", "2025-03-10", stdout=io.StringIO())
    for hazard in Hazard.objects.filter(pk__in=[h.pk for h in hazards]):
        assert hazard.reinspection_requested_on == dt.date(2025, 3, 10)
        assert list(hazard.events.values_list("kind", flat=True)) == ["recorded", "ordered", "reinspection_requested"]
    unknown = api.post(f"/api/hazards/{hazards[0].pk}/transition/", {"action": "escalate", "date": "2025-03-11"},
                       format="json")
    assert unknown.status_code == 400 and "action" in unknown.json()
