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
