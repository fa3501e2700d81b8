"""Who changed what: every create and change of audited records is kept with its author."""

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db


def test_api_changes_are_recorded_with_the_user(street):
    from brigade.units.models import SocialUnit

    user = User.objects.create_superuser("auditor", password=None)
    client = APIClient()
    client.force_authenticate(user)
    created = client.post("/api/units/", {"name": "审计单位", "credit_code": make_credit_code(9),
                                          "site_category": "school", "street": street.pk}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client.patch(f"/api/units/{pk}/", {"manager": "王某"}, format="json").status_code == 200

    history = SocialUnit.objects.get(pk=pk).history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == user for h in history)
    delta = history[1].diff_against(history[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("manager", "", "王某")]


def test_hazard_workflow_steps_are_in_the_history(unit):
    import datetime as dt

    from brigade.supervision.models import Inspection
    from brigade.supervision.services import hazard_order, hazard_record

    officer = User.objects.create_user("officer", password=None)
    insp = Inspection.objects.create(unit=unit, inspected_on=dt.date(2025, 3, 3), kind="random")
    hazard = hazard_record(inspection=insp, category="fire_lane", by=officer)
    hazard_order(hazard=hazard, ordered_on=dt.date(2025, 3, 4), deadline=dt.date(2025, 3, 14), by=officer)
    statuses = list(hazard.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[0] == "found" and statuses[-1] == "ordered"


def test_enforcement_actions_cannot_be_deleted_in_the_admin(client, unit):
    import datetime as dt

    from brigade.supervision.models import EnforcementAction

    admin_user = User.objects.create_superuser("root", password=None)
    client.force_login(admin_user)
    action = EnforcementAction.objects.create(unit=unit, kind="penalty", legal_basis="art60",
                                              decided_on=dt.date(2025, 3, 3))
    response = client.post(f"/admin/supervision/enforcementaction/{action.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert EnforcementAction.objects.filter(pk=action.pk).exists()
