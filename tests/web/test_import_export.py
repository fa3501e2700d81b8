"""Excel import through the web (upload → preview → confirm) and export of filtered lists."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook


def workbook(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("消火栓台账.xlsx", out.getvalue())


def test_import_preview_then_confirm(login, world, settings, tmp_path):
    from brigade.resources.models import Hydrant

    settings.VAR_DIR = tmp_path
    client = login("command")
    page = client.get("/import/").content.decode()
    # The command centre imports its own ledgers only.
    assert '<option value="hydrant"' in page and '<option value="inspection"' not in page
    template = client.get("/import/templates/hydrant.xlsx")
    assert template.status_code == 200
    assert "编号*" in [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]

    upload = workbook([["编号", "镇街", "状态"], ["XHS-101", "九曲街道", "完好"], ["XHS-102", "九曲街道", "完好"]])
    preview = client.post("/import/", {"ledger": "hydrant", "file": upload})
    html = preview.content.decode()
    assert "预检通过" in html and "新增 2 条" in html
    assert not Hydrant.objects.filter(code="XHS-101").exists()  # nothing written by the preview
    token = html.split('name="confirm" value="')[1].split('"')[0]
    done = client.post("/import/", {"confirm": token})
    assert done.status_code == 302 and done["Location"] == "/records/hydrants/"
    assert Hydrant.objects.filter(code__in=["XHS-101", "XHS-102"]).count() == 2
    assert "导入完成" in client.get("/records/hydrants/").content.decode()
    # The token is spent: confirming again writes nothing and says so.
    again = client.post("/import/", {"confirm": token}, follow=True).content.decode()
    assert "导入预检已失效" in again
    assert list(tmp_path.joinpath("uploads").iterdir()) == []


def test_import_errors_are_listed_and_nothing_is_written(login, world, settings, tmp_path):
    from brigade.resources.models import Hydrant

    settings.VAR_DIR = tmp_path
    client = login("command")
    upload = workbook([["编号", "镇街", "状态"], ["XHS-201", "不存在街道", "完好"]])
    html = client.post("/import/", {"ledger": "hydrant", "file": upload}).content.decode()
    assert "未导入任何数据" in html and "不存在街道" in html and 'name="confirm"' not in html
    assert not Hydrant.objects.filter(code="XHS-201").exists()
    bad = client.post("/import/", {"ledger": "hydrant", "file": SimpleUploadedFile("x.txt", b"hello")})
    assert "不是 Excel" in bad.content.decode()


def test_import_is_refused_to_roles_without_ledgers(login, world):
    assert login("leader").get("/import/").status_code == 403
    assert login("liaison").get("/import/").status_code == 403
    assert login("command").post("/import/", {"ledger": "hazard", "file": workbook([["x"]])}).status_code == 403


def test_export_follows_filters_and_territory(login, world):
    client = login("leader")
    response = client.get("/records/hazards/export.xlsx?q=芝麻墩")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and any("芝麻墩" in str(v) for v in rows[1])
    liaison = login("liaison").get("/records/units/export.xlsx")
    text = " ".join(str(v) for row in load_workbook(io.BytesIO(liaison.content)).active.iter_rows(values_only=True)
                    for v in row)
    assert world[0]["unit"].name in text and world[1]["unit"].name not in text
    assert 'href="/records/hazards/export.xlsx?' in client.get("/records/hazards/").content.decode()


def test_activities_export_under_the_ledger_of_the_kind_filtered_by(login, world):
    """Activities are one ledger per kind (declared on their record type): the list filtered by a kind is
    exported under that kind's columns; unfiltered, there is no one ledger to export under."""
    import datetime as dt

    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="alcohol_check")
    Activity.objects.create(kind=kind, occurred_on=dt.date(2025, 1, 5), station=world[0]["station"],
                            values={"count": 2, "people": 30})
    client = login("training")
    unfiltered = client.get("/records/activities/export.xlsx")
    assert unfiltered.status_code == 404
    response = client.get(f"/records/activities/export.xlsx?kind={kind.pk}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "抽查次数（次）", "抽查人次（人次）")
    assert rows[1][:3] == (dt.datetime(2025, 1, 5), 2, 30) and world[0]["station"].name in rows[1]
    assert 'href="/records/activities/export.xlsx?' in client.get("/records/activities/").content.decode()


def test_uploads_no_session_can_confirm_are_swept(login, world, settings, tmp_path):
    """A preview never confirmed, or an import killed with its server, leaves a file; the next
    upload removes those older than a session, and keeps recent ones (a preview still pending)."""
    import os
    import time

    settings.VAR_DIR = tmp_path
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    stale, pending = uploads / "stale.xlsx", uploads / "pending.xlsx"
    stale.write_bytes(b"x")
    pending.write_bytes(b"x")
    old = time.time() - settings.SESSION_COOKIE_AGE - 60
    os.utime(stale, (old, old))
    upload = workbook([["编号", "镇街", "状态"], ["XHS-201", "九曲街道", "完好"]])
    assert "预检通过" in login("command").post("/import/", {"ledger": "hydrant", "file": upload}).content.decode()
    assert not stale.exists() and pending.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_saved(login, world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.BRIGADE_IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("消火栓台账.xlsx", b"PK\x03\x04" + b"0" * 5000)
    html = login("command").post("/import/", {"ledger": "hydrant", "file": upload}).content.decode()
    assert "超过了导入大小上限" in html
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
