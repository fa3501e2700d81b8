"""What the phone's offline queue relies on: a resend never duplicates, stale steps are 409s,
photos are real images within the size limit, stored under MEDIA_ROOT and shown only in scope."""

import io
import json
import uuid

import pytest
from rest_framework.test import APIClient

from brigade.supervision.models import Hazard, HazardEvent, Inspection, Photo

pytestmark = pytest.mark.django_db


def jpeg(size=(64, 48), color=(200, 40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def upload(data: bytes, name="现场.jpg", content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def officer(users):
    client = APIClient()
    client.force_authenticate(users["supervision"])
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_inspection_resent_with_its_client_id_is_stored_once(officer, world):
    cid = str(uuid.uuid4())
    body = {"client_id": cid, "unit": world[0]["unit"].pk, "inspected_on": "2025-04-02", "kind": "random",
            "note": "离线登记"}
    first = officer.post("/api/inspections/", body, format="json")
    assert first.status_code == 201, first.json()
    again = officer.post("/api/inspections/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Inspection.objects.filter(client_id=cid).count() == 1
    bad = officer.post("/api/inspections/", {**body, "client_id": "不是编号"}, format="json")
    assert bad.status_code == 400 and "客户端编号“不是编号”无效" in bad.json()["client_id"][0]


def test_hazard_resent_goes_through_the_service_once(officer, world):
    cid = str(uuid.uuid4())
    body = {"client_id": cid, "inspection": world[0]["inspection"].pk, "category": "fire_lane",
            "description": "消防车道堆放货物", "found_on": "2025-03-03"}
    first = officer.post("/api/hazards/", body, format="json")
    assert first.status_code == 201, first.json()
    assert officer.post("/api/hazards/", body, format="json").status_code == 200
    hazard = Hazard.objects.get(client_id=cid)
    assert hazard.status == "found" and hazard.unit_id == world[0]["unit"].pk
    assert HazardEvent.objects.filter(hazard=hazard, kind="recorded").count() == 1


def test_a_resent_step_is_not_done_twice_and_a_stale_one_is_a_conflict(officer, world):
    hazard = world[0]["hazard"]  # ordered, deadline 2025-03-20
    cid = str(uuid.uuid4())
    step = {"action": "reinspect", "date": "2025-03-21", "passed": True, "expected_version": hazard.version,
            "client_id": cid}
    url = f"/api/hazards/{hazard.pk}/transition/"
    assert officer.post(url, step, format="json").status_code == 200
    hazard.refresh_from_db()
    # The phone never heard the answer and sends it again with the version it had: no second step, no 409.
    again = officer.post(url, step, format="json")
    assert again.status_code == 200 and again.json()["version"] == hazard.version
    assert HazardEvent.objects.filter(hazard=hazard, kind="reinspected").count() == 1
    # Another step from the same stale version is a conflict, and changes nothing.
    stale = officer.post(url, {**step, "client_id": str(uuid.uuid4()), "action": "close"}, format="json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert Hazard.objects.get(pk=hazard.pk).status == "reinspected"


def test_photo_of_a_hazard_is_checked_stored_and_sent_once(officer, world, media, settings):
    hazard = world[0]["hazard"]
    cid = str(uuid.uuid4())
    first = officer.post("/api/photos/", {"client_id": cid, "hazard": hazard.pk, "image": upload(jpeg())},
                         format="multipart")
    assert first.status_code == 201, first.json()
    assert first.json()["width"] == 64 and first.json()["height"] == 48
    again = officer.post("/api/photos/", {"client_id": cid, "hazard": hazard.pk, "image": upload(jpeg())},
                         format="multipart")
    assert again.status_code == 200 and Photo.objects.filter(hazard=hazard).count() == 1
    photo = Photo.objects.get(client_id=cid)
    stored = media / photo.image.name
    assert stored.is_file() and stored.read_bytes()[:2] == b"\xff\xd8"
    assert str(stored).startswith(str(media / "photos"))

    forged = officer.post("/api/photos/", {"hazard": hazard.pk, "image": upload(b"<html>not a photo</html>",
                                                                                  "假照片.jpg")},
                          format="multipart")
    assert forged.status_code == 400
    assert forged.json()["image"] == ["文件“假照片.jpg”不是可识别的图片：只接受 JPEG、PNG 或 WebP 格式的照片。"]
    settings.BRIGADE_PHOTO_MAX_BYTES = 1024 * 1024
    big = officer.post("/api/photos/", {"hazard": hazard.pk, "image": upload(b"\xff" * (2 * 1024 * 1024))},
                       format="multipart")
    assert big.status_code == 400 and "超过 1 MB 的上限" in big.json()["image"][0]
    neither = officer.post("/api/photos/", {"image": upload(jpeg())}, format="multipart")
    assert neither.status_code == 400 and "二选一" in str(neither.json())
    assert Photo.objects.count() == 1


def _entry(unit, *, category="fire_lane", photos=("p1",)):
    """A queued inspection as the phone sends it: the entry JSON and its photo files."""
    cid = {name: str(uuid.uuid4()) for name in ("inspection", "h1", "h2", *photos)}
    entry = {"inspection": {"client_id": cid["inspection"], "unit": unit.pk, "inspected_on": "2025-04-02",
                            "kind": "random", "note": "一次同步"},
             "photos": [{"client_id": cid[p]} for p in photos],
             "hazards": [{"client_id": cid["h1"], "category": "fire_lane", "description": "通道堵塞",
                          "found_on": "2025-04-02", "photos": []},
                         {"client_id": cid["h2"], "category": category, "description": "灭火器过期",
                          "found_on": "2025-04-02", "photos": []}]}
    body = {"entry": json.dumps(entry, ensure_ascii=False)}
    body.update({f"photo-{cid[p]}": upload(jpeg()) for p in photos})
    return body, cid


def test_a_queued_inspection_with_hazards_and_photos_is_one_request_stored_once(officer, world, media):
    unit = world[0]["unit"]
    body, cid = _entry(unit)
    first = officer.post("/api/field/entries/", body, format="multipart")
    assert first.status_code == 201, first.json()
    answer = first.json()
    inspection = Inspection.objects.get(client_id=cid["inspection"])
    assert answer["inspection"] == inspection.pk
    assert set(answer["hazards"]) == {cid["h1"], cid["h2"]}
    assert [h.description for h in Hazard.objects.filter(inspection=inspection).order_by("pk")] == ["通道堵塞", "灭火器过期"]
    assert HazardEvent.objects.filter(hazard__inspection=inspection).count() == 2  # through the service
    photo = Photo.objects.get(client_id=cid["p1"])
    assert photo.inspection_id == inspection.pk and (media / photo.image.name).is_file()
    # The answer was lost: the phone sends the same entry again; nothing is stored twice.
    resend = {"entry": body["entry"], f"photo-{cid['p1']}": upload(jpeg())}
    again = officer.post("/api/field/entries/", resend, format="multipart")
    assert again.status_code == 200 and again.json() == answer
    assert Inspection.objects.filter(note="一次同步").count() == 1 and Photo.objects.count() == 1


def test_a_refused_part_leaves_nothing_behind_and_is_named(officer, world, media):
    body, cid = _entry(world[0]["unit"], category="no-such-category")
    refused = officer.post("/api/field/entries/", body, format="multipart")
    assert refused.status_code == 400
    assert list(refused.json()) == ["第2处隐患"] and "category" in refused.json()["第2处隐患"]
    assert not Inspection.objects.filter(client_id=cid["inspection"]).exists()
    assert not Hazard.objects.filter(description="通道堵塞").exists()
    assert Photo.objects.count() == 0 and not any(p.is_file() for p in media.rglob("*"))
    body, cid = _entry(world[0]["unit"])
    del body[f"photo-{cid['p1']}"]
    missing = officer.post("/api/field/entries/", body, format="multipart")
    assert missing.status_code == 400 and "没有随记录一起上传" in missing.json()["照片"][0]
    assert not Inspection.objects.filter(client_id=cid["inspection"]).exists()
    for bad in ("不是 JSON", json.dumps({"hazards": []}), json.dumps({"inspection": {}, "hazards": "x"})):
        answer = officer.post("/api/field/entries/", {"entry": bad}, format="multipart")
        assert answer.status_code == 400 and "记录格式不正确" in answer.json()["entry"][0]


def test_photos_are_shown_in_scope_only(client, users, world, make_user):
    from brigade.supervision.photos import photo_attach

    photo, _ = photo_attach(upload=upload(jpeg()), hazard=world[1]["hazard"])
    client.force_login(users["supervision"])
    page = client.get(f"/records/hazards/{world[1]['hazard'].pk}/").content.decode()
    assert f'src="/photos/{photo.pk}/"' in page and 'capture="environment"' in page
    image = client.get(f"/photos/{photo.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    client.force_login(users["liaison"])  # 九曲街道's liaison; the photo is of 芝麻墩街道
    assert client.get(f"/photos/{photo.pk}/").status_code == 403
    liaison = APIClient()
    liaison.force_authenticate(users["liaison"])
    refused = liaison.post("/api/photos/", {"hazard": world[0]["hazard"].pk, "image": upload(jpeg())},
                           format="multipart")
    assert refused.status_code == 403


def test_photo_added_on_the_record_page(client, users, world):
    client.force_login(users["supervision"])
    url = f"/records/inspections/{world[0]['inspection'].pk}/photos/"
    response = client.post(url, {"image": upload(jpeg())}, follow=True)
    assert "已添加现场照片。" in response.content.decode()
    assert world[0]["inspection"].photos.count() == 1
    response = client.post(url, {"image": upload(b"GIF89a", "a.gif", "image/gif")}, follow=True)
    assert "不是可识别的图片" in response.content.decode()
    assert world[0]["inspection"].photos.count() == 1


def test_hazard_case_file_in_word_carries_its_photos(client, users, world):
    import datetime as dt

    import docx
    from PIL import Image

    from brigade.supervision import services
    from brigade.supervision.photos import photo_attach

    hazard = world[0]["hazard"]
    services.hazard_rectify(hazard=hazard, rectified_on=dt.date(2025, 3, 18), by=users["supervision"],
                            note="货物已清走")
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(png, format="PNG")
    photo_attach(upload=upload(jpeg()), hazard=hazard, by=users["supervision"])
    photo_attach(upload=upload(png.getvalue(), "b.png", "image/png"), hazard=hazard)
    photo_attach(upload=upload(jpeg()), inspection=world[0]["inspection"])  # the inspection's, not the hazard's
    client.force_login(users["supervision"])
    page = client.get(f"/records/hazards/{hazard.pk}/").content.decode()
    assert f"/records/hazards/{hazard.pk}/case-file.docx" in page and page.count('class="photo"') == 2
    response = client.get(f"/records/hazards/{hazard.pk}/case-file.docx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "火灾隐患案卷摘要"
    assert world[0]["unit"].name in text and "2025-03-18整改完成" in text and "货物已清走" in text
    assert "共2张，附后。" in text and "照片2：" in text
    assert len(document.inline_shapes) == 2
    client.force_login(users["liaison"])
    assert client.get(f"/records/hazards/{world[1]['hazard'].pk}/case-file.docx").status_code == 403


def test_installable_app_is_served_from_our_own_origin(client, users):
    import json

    from PIL import Image

    from tests.web.test_offline import external_references

    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["start_url"] == "/field/" and data["display"] == "standalone" and data["short_name"] == "消防大队"
    for icon in data["icons"]:
        response = client.get(icon["src"])
        size = int(icon["sizes"].split("x")[0])
        assert Image.open(io.BytesIO(response.content)).size == (size, size)
    worker = client.get("/sw.js")
    assert worker["Service-Worker-Allowed"] == "/" and worker["Content-Type"].startswith("text/javascript")
    source = worker.content.decode()
    for path in ("/field/", "/static/web/field.js", "/static/web/fieldstore.js", "/static/web/photo.js"):
        assert f'"{path}"' in source.splitlines()[0], path
    assert external_references(source) == []
    # 今日任务 is for those who record inspections; its data answers 401 once signed out.
    client.force_login(users["supervision"])
    page = client.get("/field/").content.decode()
    assert 'rel="manifest"' in page and "待同步 0 条" in page
    body = client.get("/field/data.json").json()
    assert {u["name"] for u in body["units"]} == {"九曲物流有限公司", "芝麻物流有限公司"}
    assert body["choices"]["hazard_category"] and body["worklist"]
    client.force_login(users["command"])
    assert client.get("/field/").status_code == 403
    client.logout()
    assert client.get("/field/data.json").status_code == 401
