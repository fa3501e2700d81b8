"""POST /api/imports/preview/: the grouped dry run and the suggestions, as JSON; nothing written."""

import io

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from brigade.resources.models import Hydrant

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "消火栓.xlsx"
    return out


def test_preview_groups_and_suggests(street):
    api = client_for(User.objects.create_superuser("api-admin", password="x-very-long-password-1"))
    rows = [["编号", "类型", "状态"]] + [[f"XHS-{i}", "地下", "正常" if i % 2 else "完好"] for i in range(10)]
    got = api.post("/api/imports/preview/", {"ledger": "hydrant", "file": xlsx(rows)}, format="multipart")
    assert got.status_code == 200, got.content
    data = got.json()
    assert not data["ok"] and data["rows"] == 10
    assert [(p["column"], p["value"], p["count"]) for p in data["problems"]] == [("类型", "地下", 10), ("状态", "正常", 5)]
    assert data["problems"][0]["rows"] == [2, 3, 4, 5, 6]
    best = {u["value"]: u["suggestions"][0]["target"] for u in data["unmatched"]}
    assert best == {"地下": "地下式消火栓", "正常": "完好"}
    assert Hydrant.objects.count() == 0
    bad = api.post("/api/imports/preview/", {"ledger": "hydrant"}, format="multipart")
    assert bad.status_code == 400 and "请提供 ledger" in bad.json()["detail"][0]
    assert api.post("/api/imports/preview/", {"ledger": "nope", "file": xlsx(rows)},
                    format="multipart").status_code == 403
