"""A rule of an enforcement decision holds on every write path: service, API, web form, admin, Excel import.

The two rules the issue found skipped outside the service: the legal basis each kind allows, and the
longest seal-up (one calendar month, brigade/standards.yaml).
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brigade.io.importer import import_file
from brigade.supervision import deadlines
from brigade.supervision import services as S
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import BASIS_MISMATCH, SEAL_UP_TOO_LONG, EnforcementAction
from tests.io.helpers import write_xlsx

D = dt.date
WRONG_BASIS = BASIS_MISMATCH.format(kind="临时查封", basis="消防法第六十条", allowed="“消防法第五十四条（临时查封）”")
# A seal-up decided on 2025-01-31 may last until 2025-02-28 at most.
SEAL_UP_DAY, LONGEST, THREE_MONTHS = D(2025, 1, 31), D(2025, 2, 28), D(2025, 4, 30)


def too_long() -> str:
    return SEAL_UP_TOO_LONG.format(ends=THREE_MONTHS, max=LONGEST, source=deadlines.rule(deadlines.SEAL_UP_MAX).source)


CASES = [  # (legal basis, ends on, field refused, message)
    ("art60", LONGEST, "legal_basis", WRONG_BASIS),
    ("art54", THREE_MONTHS, "ends_on", None),
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("rules-admin", password="x-very-long-password-1")


@pytest.mark.parametrize(("basis", "ends_on", "field", "message"), CASES)
def test_service_refuses(unit, basis, ends_on, field, message):
    with pytest.raises(WorkflowError) as info:
        S.enforcement_create(kind="seal_up", legal_basis=basis, decided_on=SEAL_UP_DAY, ends_on=ends_on, unit=unit)
    assert (info.value.field, str(info.value)) == (field, message or too_long())
    assert not EnforcementAction.objects.exists()


@pytest.mark.parametrize(("basis", "ends_on", "field", "message"), CASES)
def test_api_refuses(unit, superuser, basis, ends_on, field, message):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser).key}")
    response = api.post("/api/enforcement-actions/", {
        "unit": unit.pk, "kind": "seal_up", "legal_basis": basis, "decided_on": SEAL_UP_DAY.isoformat(),
        "ends_on": ends_on.isoformat()}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()[field] == [message or too_long()]
    assert not EnforcementAction.objects.exists()


@pytest.mark.parametrize(("basis", "ends_on", "field", "message"), CASES)
def test_web_form_and_admin_refuse(client, unit, superuser, basis, ends_on, field, message):
    client.force_login(superuser)
    data = {"unit": unit.pk, "person_name": "", "kind": "seal_up", "legal_basis": basis, "stop_kind": "",
            "fine_amount": "0", "decision_number": "", "decided_on": SEAL_UP_DAY.isoformat(),
            "ends_on": ends_on.isoformat(), "lifted_on": "", "campaign": ""}
    web = client.post("/records/enforcement-actions/new/", data)
    assert web.status_code == 200  # the form again, with the message on the field
    assert (message or too_long()) in web.context["form"].errors[field]
    admin = client.post("/admin/supervision/enforcementaction/add/", data)
    assert admin.status_code == 200
    assert (message or too_long()) in admin.context["adminform"].form.errors[field]
    assert not EnforcementAction.objects.exists()


@pytest.mark.parametrize(("basis", "ends_on", "field", "message"), CASES)
def test_import_refuses_with_the_row_and_column(tmp_path, unit, basis, ends_on, field, message):
    label = {"art60": "消防法第六十条", "art54": "消防法第五十四条（临时查封）"}[basis]
    path = write_xlsx(tmp_path / "执法.xlsx", ["单位", "处理类型", "法律依据", "决定日期", "期限届满日期"],
                      [[unit.name, "临时查封", label, SEAL_UP_DAY.isoformat(), ends_on.isoformat()]])
    report = import_file(path, ledger="enforcement")
    assert not report.ok
    column = {"legal_basis": "法律依据", "ends_on": "期限届满日期"}[field]
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, column, message or too_long())]
    assert not EnforcementAction.objects.exists()


# ---- Hazards: recorded by hazard_record and moved on by the workflow's steps, on every path -------------

def _api(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def test_every_path_records_a_hazard_through_the_service(client, unit, superuser):
    """Form, API and admin each make a hazard in state 'found' with its 'recorded' event and a history row;
    each refuses what the service refuses (found before the inspection) and writes nothing then."""
    from brigade.supervision.models import Hazard, HazardEvent, Inspection

    inspection = Inspection.objects.create(unit=unit, inspected_on=D(2025, 3, 3), kind="random")
    client.force_login(superuser)
    fields = {"inspection": inspection.pk, "category": "fire_lane", "description": "通道堵塞", "is_major": "",
              "status": "closed", "deadline": "2025-03-04", "closed_on": "2025-03-05"}
    paths = {
        "form": lambda data: client.post("/records/hazards/new/", data),
        "api": lambda data: _api(superuser).post("/api/hazards/", {k: v for k, v in data.items() if v != ""},
                                                  format="json"),
        "admin": lambda data: client.post("/admin/supervision/hazard/add/", {
            **data, "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}),  # the (read-only) log inline
    }
    for name, post in paths.items():
        before = (Hazard.objects.count(), HazardEvent.objects.count(), Hazard.history.count())
        early = post({**fields, "found_on": "2025-03-02"})
        assert early.status_code in (200, 400), name  # the form again, or the API's 400
        assert "发现日期" in early.content.decode(), name
        assert (Hazard.objects.count(), HazardEvent.objects.count(), Hazard.history.count()) == before, name
        made = post({**fields, "found_on": "2025-03-03"})
        assert made.status_code in (201, 302), (name, made.content.decode()[:300])
        hazard = Hazard.objects.order_by("-pk").first()
        # The client's status, deadline and closing date are the workflow's to set: ignored on every path.
        assert (hazard.status, hazard.deadline, hazard.closed_on, hazard.unit_id) == ("found", None, None, unit.pk), name
        assert list(hazard.events.values_list("kind", "by")) == [("recorded", superuser.pk)], name
        assert hazard.history.count() == 1, name


def test_a_hazard_step_on_the_page_and_the_api_writes_its_event_and_history_row(client, unit, superuser):
    from brigade.supervision.models import Inspection

    inspection = Inspection.objects.create(unit=unit, inspected_on=D(2025, 3, 3), kind="random")
    hazard = S.hazard_record(inspection=inspection, category="fire_lane")
    client.force_login(superuser)
    refused = client.post(f"/records/hazards/{hazard.pk}/steps/order/", {"ordered_on": "2025-03-02"})
    assert refused.status_code == 200 and hazard.events.count() == 1 and hazard.history.count() == 1
    client.post(f"/records/hazards/{hazard.pk}/steps/order/", {"ordered_on": "2025-03-04", "deadline": "2025-03-14"})
    _api(superuser).post(f"/api/hazards/{hazard.pk}/transition/", {"action": "rectify", "date": "2025-03-10"},
                         format="json")
    hazard.refresh_from_db()
    assert hazard.status == "rectified"
    assert list(hazard.events.order_by("pk").values_list("kind", flat=True)) == ["recorded", "ordered", "rectified"]
    assert list(hazard.history.order_by("history_id").values_list("status", flat=True)) == [
        "found", "ordered", "rectified"]
    # Neither the form nor the API writes the deadline past the order step.
    _api(superuser).patch(f"/api/hazards/{hazard.pk}/", {"deadline": "2025-12-31"}, format="json")
    hazard.refresh_from_db()
    assert hazard.deadline == D(2025, 3, 14)


# ---- Enforcement: lifting a seal-up needs the inspection after it, on every path ------------------------

def test_lifting_a_seal_up_goes_through_its_step_on_every_path(client, unit, superuser):
    from brigade.supervision.models import HazardEvent, Inspection

    inspection = Inspection.objects.create(unit=unit, inspected_on=D(2025, 3, 3), kind="random")
    hazard = S.hazard_record(inspection=inspection, category="fire_lane")
    action = S.hazard_escalate(hazard=hazard, kind="seal_up", legal_basis="art54", decided_on=D(2025, 3, 4))
    later = Inspection.objects.create(unit=unit, inspected_on=D(2025, 3, 20), kind="reinspection")
    client.force_login(superuser)
    # The plain writes cannot set the lift: the form has no such field, the API and admin keep it read-only.
    form = client.get(f"/records/enforcement-actions/{action.pk}/edit/").content.decode()
    assert 'name="lifted_on"' not in form
    _api(superuser).patch(f"/api/enforcement-actions/{action.pk}/", {"lifted_on": "2025-03-21"}, format="json")
    assert 'name="lifted_on"' not in client.get(f"/admin/supervision/enforcementaction/{action.pk}/change/").content.decode()
    action.refresh_from_db()
    assert action.lifted_on is None
    events, rows = HazardEvent.objects.count(), action.history.count()
    # The step refuses a lift without the inspection, on the page and through the API, and writes nothing.
    page = client.post(f"/records/enforcement-actions/{action.pk}/steps/lift/", {"lifted_on": "2025-03-21"})
    assert page.status_code == 200 and "检查" in page.content.decode()
    api = _api(superuser).post(f"/api/enforcement-actions/{action.pk}/transition/",
                               {"action": "lift", "date": "2025-03-21"}, format="json")
    assert api.status_code == 400 and "lift_inspection" in api.json()
    # A record named by number must be one the user may see: another brigade's inspection is "not found".
    from brigade.core.roles import assign_role
    from brigade.org.models import Brigade, Street
    from brigade.units.models import SocialUnit

    far = Street.objects.create(brigade=Brigade.objects.create(name="另一大队"), name="远方街道")
    elsewhere = Inspection.objects.create(unit=SocialUnit.objects.create(name="远方单位", site_category="logistics",
                                                                         street=far),
                                          inspected_on=D(2025, 3, 20), kind="random")
    officer = User.objects.create_user("rules-officer")
    assign_role(officer, "supervision", brigade=unit.street.brigade)
    foreign = _api(officer).post(f"/api/enforcement-actions/{action.pk}/transition/",
                                 {"action": "lift", "date": "2025-03-21", "inspection": elsewhere.pk}, format="json")
    assert foreign.status_code == 400 and "inspection" in foreign.json(), foreign.json()
    action.refresh_from_db()
    assert action.lifted_on is None and HazardEvent.objects.count() == events and action.history.count() == rows
    done = client.post(f"/records/enforcement-actions/{action.pk}/steps/lift/",
                       {"lifted_on": "2025-03-21", "inspection": later.pk})
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.lifted_on, action.lift_inspection, action.lifted_by) == (D(2025, 3, 21), later, superuser)
    assert action.history.count() == rows + 1 and action.history.first().lifted_on == D(2025, 3, 21)
    assert hazard.events.order_by("pk").last().kind == "enforcement_lifted"
