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
