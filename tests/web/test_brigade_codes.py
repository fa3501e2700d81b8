"""Codes and numbers unique within a brigade: two brigades may both have hydrant XHS-0001 and incident
2025-001; one brigade may not have two, and the refusal names the brigade (database, form, API, import)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from brigade.core.roles import COMMAND, assign_role
from tests.io.helpers import write_xlsx

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def two(db):
    """东城区大队 and 西山县大队, a street and a station each; hydrant XHS-0001 and incident 2025-001 in 西山."""
    from brigade.org.models import Brigade, Station, Street
    from brigade.resources.models import Hydrant
    from brigade.response.models import Incident

    out = {}
    for key, name, tag in (("A", "东城区大队", "东城"), ("B", "西山县大队", "西山")):
        brigade = Brigade.objects.create(name=name)
        street = Street.objects.create(brigade=brigade, name=f"{tag}街道")
        station = Station.objects.create(brigade=brigade, name=f"{tag}站", street=street)
        out[key] = brigade
        out[key.lower()] = {"street": street, "station": station}
    Hydrant.objects.create(code="XHS-0001", street=out["b"]["street"])
    Incident.objects.create(number="2025-001", category="fire", received_at=dt.datetime(2025, 3, 1, 9, tzinfo=TZ),
                            street=out["b"]["street"])
    return out


def command_of(brigade) -> User:
    user = User.objects.create_user(f"command-{brigade.pk}", password=None)
    assign_role(user, COMMAND, brigade=brigade)
    return user


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_database_keeps_codes_unique_within_a_brigade_only(two):
    from brigade.resources.models import Hydrant
    from brigade.response.models import Incident

    received = dt.datetime(2025, 3, 2, 9, tzinfo=TZ)
    assert Hydrant.objects.create(code="XHS-0001", street=two["a"]["street"]).brigade == two["A"]
    assert Incident.objects.create(number="2025-001", category="fire", received_at=received,
                                   street=two["a"]["street"]).brigade == two["A"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Hydrant.objects.create(code="XHS-0001", street=two["a"]["street"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(number="2025-001", category="rescue", received_at=received, brigade=two["A"])
    assert Hydrant.objects.filter(code="XHS-0001").count() == Incident.objects.filter(number="2025-001").count() == 2


def test_a_clash_is_refused_naming_the_brigade(two):
    from brigade.resources.models import Hydrant

    again = Hydrant(code="XHS-0001", street=two["b"]["street"], brigade=two["B"])
    with pytest.raises(ValidationError) as err:
        again.full_clean()
    assert err.value.messages == ["西山县大队已有编号为“XHS-0001”的市政消火栓（同一大队内不能重复）。"]
    Hydrant(code="XHS-0001", street=two["a"]["street"], brigade=two["A"]).full_clean()  # another brigade's: fine


def test_the_api_and_the_form_match_codes_within_the_users_brigade(two):
    from brigade.resources.models import Hydrant
    from brigade.response.models import Incident

    east, west = api(command_of(two["A"])), api(command_of(two["B"]))
    # 西山 has XHS-0001 and 2025-001: 东城 may register its own, with no brigade named in the request.
    ok = east.post("/api/hydrants/", {"code": "XHS-0001"}, format="json")
    assert ok.status_code == 201, ok.json()
    assert Hydrant.objects.get(pk=ok.json()["id"]).brigade == two["A"]
    ok = east.post("/api/incidents/", {"number": "2025-001", "category": "rescue",
                                       "received_at": "2025-03-02T09:00:00+08:00"}, format="json")
    assert ok.status_code == 201, ok.json()
    # A second one in the same brigade: 400 naming the brigade, nothing written.
    again = west.post("/api/hydrants/", {"code": "XHS-0001"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["西山县大队已有编号为“XHS-0001”的市政消火栓（同一大队内不能重复）。"]}
    again = east.post("/api/incidents/", {"number": "2025-001", "category": "fire",
                                          "received_at": "2025-03-04T09:00:00+08:00"}, format="json")
    assert again.status_code == 400 and "东城区大队已有警情编号为“2025-001”的警情" in str(again.json())
    page = Client()
    page.force_login(command_of_web := User.objects.create_user("web-east", password=None))
    assign_role(command_of_web, COMMAND, brigade=two["A"])
    html = page.post("/records/hydrants/new/", {"code": "XHS-0001", "kind": "above", "status": "in_service"})
    assert html.status_code == 200 and "东城区大队已有编号为“XHS-0001”的市政消火栓" in html.content.decode()
    assert Hydrant.objects.filter(code="XHS-0001").count() == 2
    assert Incident.objects.filter(number="2025-001").count() == 2


def test_an_import_matches_existing_codes_within_the_importing_brigade(two, tmp_path):
    from brigade.io.importer import import_file
    from brigade.resources.models import Hydrant

    path = write_xlsx(tmp_path / "hydrants.xlsx", ["编号", "类型", "镇街"],
                      [["XHS-0001", "地上式消火栓", "东城街道"], ["XHS-0002", "地上式消火栓", "东城街道"]])
    report = import_file(path, ledger="hydrant", brigade=two["A"].pk)
    assert report.ok and (report.created, report.existing) == (2, 0), report.errors  # 西山's XHS-0001 is not ours
    assert set(Hydrant.objects.filter(brigade=two["A"]).values_list("code", flat=True)) == {"XHS-0001", "XHS-0002"}
    again = import_file(path, ledger="hydrant", brigade=two["A"].pk)
    assert again.ok and (again.created, again.existing) == (0, 2)
    # The administrator's import (no brigade): each row's brigade is its street's.
    mixed = write_xlsx(tmp_path / "mixed.xlsx", ["编号", "类型", "镇街"],
                       [["XHS-0001", "地上式消火栓", "西山街道"], ["XHS-0003", "地上式消火栓", "西山街道"],
                        ["XHS-0003", "地上式消火栓", "东城街道"]])
    report = import_file(mixed, ledger="hydrant")
    assert report.ok and (report.created, report.existing) == (2, 1), report.errors
    assert Hydrant.objects.filter(code="XHS-0003").count() == 2


def test_an_administrators_import_names_the_brigades_of_an_ambiguous_number(two, tmp_path):
    from brigade.io.importer import import_file
    from brigade.response.models import Incident

    Incident.objects.create(number="2025-001", category="fire", received_at=dt.datetime(2025, 3, 2, 9, tzinfo=TZ),
                            street=two["a"]["street"])
    path = write_xlsx(tmp_path / "dispatches.xlsx", ["警情编号", "出动站", "出动人数"], [["2025-001", "西山站", 5]])
    report = import_file(path, ledger="dispatch")
    assert [str(e) for e in report.errors] == [
        "第2行【警情】：有2个警情的警情编号都是“2025-001”，分属东城区大队、西山县大队，无法确定是哪一个："
        "请由所属大队的用户导入。"]
    ok = import_file(path, ledger="dispatch", brigade=two["B"].pk)  # 西山's user: its own incident
    assert ok.ok and ok.created == 1, ok.errors


def test_the_admin_refuses_a_clash_it_can_place_by_the_street(two):
    from brigade.resources.models import Hydrant

    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password=None))
    fields = {"code": "XHS-0001", "kind": "above", "status": "in_service", "brigade": ""}
    page = admin.post("/admin/resources/hydrant/add/", {**fields, "street": two["b"]["street"].pk})
    assert page.status_code == 200  # the form again, not a database error
    assert "西山县大队已有编号为“XHS-0001”的市政消火栓（同一大队内不能重复）。" in page.content.decode()
    ok = admin.post("/admin/resources/hydrant/add/", {**fields, "street": two["a"]["street"].pk})
    assert ok.status_code == 302
    assert set(Hydrant.objects.filter(code="XHS-0001").values_list("brigade__name", flat=True)) == \
        {"东城区大队", "西山县大队"}
