"""今日任务 on a phone in Chromium: the whole offline story, a conflict, and a sync cut off half way.

A 390×844 touch phone loads the page while online (the service worker keeps it), goes offline,
records, reloads without signal, comes back and syncs; then the database must hold exactly what
was recorded, once.
"""

import io
import re
import uuid

import pytest

from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, sign_in  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="未安装 Debian 的 chromium（/usr/bin/chromium），跳过浏览器测试"),
              pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "device_scale_factor": 2, "permissions": ["geolocation"],
         # Standing a few hundred metres from 芝麻墩街道's unit (118.46, 35.04), 10 km from 九曲街道's.
         "geolocation": {"longitude": 118.457, "latitude": 35.042, "accuracy": 20}}


@pytest.fixture
def phone(browser, live_server, transactional_db, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.base = live_server.url
    yield page
    context.close()


def photo_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2400, 1800), (180, 60, 40)).save(out, format="JPEG", quality=95)
    return out.getvalue()


def open_field(page):
    """Load 今日任务 online and wait until the service worker keeps it for offline use."""
    sign_in_to(page, "jiandu")
    page.goto(page.base + "/field/")
    page.wait_for_selector("#field[data-ready=yes]", state="attached")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready")
    page.wait_for_function("async () => !!(await caches.match('/field/')) && !!(await caches.match('/static/web/field.js'))")


def sign_in_to(page, username):
    page.goto(page.base + "/login/?next=/field/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Brigade-Test-2025!")
    page.click("button[type=submit]")
    page.wait_for_url("**/field/")


def no_signal(page, offline: bool):
    """Offline as Chromium emulates it; the API is also cut at the network layer, because Chromium may
    report the page online for a moment while a reloaded page attaches (a real phone's flaky signal)."""
    page.context.set_offline(offline)
    if offline:
        page.context.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    else:
        page.context.unroute("**/api/**")


def queue_count(page) -> int:
    return int(re.search(r"(\d+)", page.inner_text("#queue-count")).group(1))


def record_inspection(page, unit_name: str, hazards: list[tuple[str, str]], photo: bytes | None = None,
                      note: str = ""):
    page.fill("#f-unit-search", unit_name[:2])
    page.tap(f".unit-link:has-text('{unit_name}')")
    page.tap("text=新增检查")
    page.select_option("#f-kind", "random")
    page.fill("#f-note", note)
    for i, (category, description) in enumerate(hazards):
        page.tap("#add-hazard")
        page.select_option(f"#f-hazard-category-{i}", category)
        page.fill(f"#f-hazard-description-{i}", description)
        if photo and i == 0:
            page.set_input_files(f"#f-hazard-photo-{i}", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                                                "buffer": photo}])
            page.wait_for_selector(".hazard-block img.photo")
    page.tap("button:has-text('保存（待同步）')")
    page.wait_for_selector(".queue-item")


def back_online(page, expect="done"):
    """Signal returns: the page sends its queue (on the browser's online event, or the officer's tap)."""
    no_signal(page, False)
    # The browser's online event starts a sync by itself; then the officer taps 立即同步 as well.
    page.wait_for_function("() => navigator.onLine && !document.getElementById('field').dataset.syncing")
    page.evaluate("() => { delete document.getElementById('field').dataset.lastSync; }")
    page.tap("#sync-now")
    page.wait_for_selector(f"#field[data-last-sync={expect}]", state="attached")


def sync_now(page, expect="done"):
    page.evaluate("() => { delete document.getElementById('field').dataset.lastSync; }")
    page.tap("#sync-now")
    page.wait_for_selector(f"#field[data-last-sync={expect}]", state="attached")


def test_offline_inspection_with_two_hazards_and_a_photo_syncs_once(phone, users, world):
    from brigade.supervision.models import Hazard, Inspection, Photo

    unit = world[0]["unit"]
    open_field(phone)
    no_signal(phone, True)
    record_inspection(phone, unit.name, [("fire_lane", "消防车道被货物占用"), ("flying_wire", "二楼飞线充电")],
                      photo=photo_bytes(), note="地下室无信号，离线登记")
    assert queue_count(phone) == 1
    phone.screenshot(path=str(ARTIFACTS / "field-queue-offline.png"), full_page=True)
    # The phone restarts the page while still offline: the service worker serves it, the queue is still there.
    phone.reload()
    phone.wait_for_selector("#field[data-ready=yes]", state="attached")
    assert queue_count(phone) == 1 and "离线" in phone.inner_text("#net-state")
    assert Inspection.objects.filter(unit=unit).count() == 1  # only the fixture's: nothing sent yet
    back_online(phone)
    assert queue_count(phone) == 0
    inspections = Inspection.objects.filter(unit=unit, note="地下室无信号，离线登记")
    assert inspections.count() == 1 and inspections[0].client_id is not None
    hazards = Hazard.objects.filter(inspection=inspections[0]).order_by("pk")
    assert [(h.category, h.description, h.status) for h in hazards] == [
        ("fire_lane", "消防车道被货物占用", "found"), ("flying_wire", "二楼飞线充电", "found")]
    photo = Photo.objects.get()
    assert photo.hazard_id == hazards[0].pk and photo.content_type == "image/jpeg"
    assert max(photo.width, photo.height) == 1600 and photo.size < 1_000_000  # shrunk on the phone
    # Syncing again sends nothing more.
    sync_now(phone)
    assert Inspection.objects.filter(unit=unit).count() == 2 and Hazard.objects.filter(unit=unit).count() == 3
    phone.goto(phone.base + f"/records/hazards/{hazards[0].pk}/")
    assert phone.locator("#photos img.photo").count() == 1
    phone.screenshot(path=str(ARTIFACTS / "field-hazard-photo.png"), full_page=True)
    assert phone.errors == []


def test_conflict_shows_both_versions_and_overwrites_nothing(phone, users, world):
    import datetime as dt

    from brigade.supervision import services
    from brigade.supervision.models import Hazard

    hazard = world[0]["hazard"]
    open_field(phone)
    seen = hazard.version
    no_signal(phone, True)
    phone.goto(phone.base + f"/field/#reinspect-{hazard.pk}")
    phone.wait_for_selector("#f-date")
    phone.fill("#f-date", "2025-03-25")
    phone.fill("#f-note", "现场复查：通道已清空")
    phone.tap("button:has-text('保存（待同步）')")
    phone.wait_for_selector(".queue-item")
    # Meanwhile at the office: the rectification is recorded, so the hazard moves on to a new version.
    services.hazard_rectify(hazard=Hazard.objects.get(pk=hazard.pk), rectified_on=dt.date(2025, 3, 22))
    office = Hazard.objects.get(pk=hazard.pk)
    back_online(phone)
    item = phone.locator(".queue-item.conflict")
    assert item.count() == 1
    text = item.inner_text()
    assert "已被他人修改" in text and "已整改" in text
    versions = item.locator("table.conflict tr:has(th:text-is('版本')) td").all_inner_texts()
    assert versions == [str(seen), str(office.version)] and seen != office.version
    phone.screenshot(path=str(ARTIFACTS / "field-conflict.png"), full_page=True)
    assert Hazard.objects.get(pk=hazard.pk).status == "rectified"  # nothing overwritten
    phone.tap("button.resubmit")
    phone.wait_for_function("() => document.getElementById('queue-count').textContent === '待同步 0 条'")
    after = Hazard.objects.get(pk=hazard.pk)
    assert after.status == "reinspected" and str(after.reinspected_on) == "2025-03-25"
    assert after.rectified_on.isoformat() == "2025-03-22"
    phone.wait_for_function("() => document.getElementById('net-state').textContent.startsWith('在线：数据更新于')")
    # 附近单位: nearest first, by the stored coordinates; two taps start a check there.
    phone.tap("text=附近单位")
    phone.tap("#locate")
    phone.wait_for_selector(".nearby li")
    names = phone.locator(".nearby li .unit-link strong").all_inner_texts()
    assert names == [world[1]["unit"].name, world[0]["unit"].name]
    assert "米" in phone.locator(".nearby li").first.inner_text()
    phone.screenshot(path=str(ARTIFACTS / "field-nearby.png"), full_page=True)
    phone.locator(".nearby li a.button").first.tap()
    assert phone.locator("#view form h2").first.inner_text() == f"新增检查：{world[1]['unit'].name}"


def test_sync_cut_off_half_way_completes_next_time_without_duplicates(phone, users, world):
    """Also: a record the server refuses stays queued with its Chinese message until corrected."""
    import datetime as dt

    from django.utils import timezone

    from brigade.supervision.models import Campaign, Hazard, Inspection

    unit = world[1]["unit"]
    today = timezone.localdate()
    Campaign.objects.create(name="冬春火灾防控", starts_on=today + dt.timedelta(days=10),
                            ends_on=today + dt.timedelta(days=40))
    open_field(phone)
    no_signal(phone, True)
    for n in (1, 2):
        phone.goto(phone.base + "/field/#")
        record_inspection(phone, unit.name, [("fire_lane", f"第{n}次发现")], note=f"第{n}次检查")
    # A third, in a campaign that has not started yet: the server will refuse it.
    phone.goto(phone.base + "/field/#")
    phone.fill("#f-unit-search", unit.name[:2])
    phone.tap(f".unit-link:has-text('{unit.name}')")
    phone.tap("text=新增检查")
    phone.select_option("#f-kind", "special")
    phone.select_option("#f-campaign", label="冬春火灾防控")
    phone.fill("#f-note", "第3次检查")
    phone.tap("button:has-text('保存（待同步）')")
    phone.wait_for_selector(".queue-item >> nth=2")
    assert queue_count(phone) == 3
    # The server goes down after storing the first inspection, before its answer reaches the phone.
    calls = []

    def server_dies(route):
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fetch()  # the server receives and commits it
        route.abort("connectionreset")

    phone.route("**/api/field/entries/", server_dies)
    back_online(phone, expect="stopped")
    assert queue_count(phone) == 3 and "无法连接服务器" in phone.inner_text("#net-state")
    assert Hazard.objects.filter(unit=unit, description="第1次发现").count() == 1  # stored, unacknowledged
    phone.unroute("**/api/field/entries/")
    sync_now(phone)
    refused = phone.locator(".queue-item.refused")
    assert queue_count(phone) == 1 and refused.count() == 1
    assert "专项行动：检查日期不在专项行动“冬春火灾防控”的期间内。" in refused.inner_text()
    assert not Inspection.objects.filter(note="第3次检查").exists()
    phone.screenshot(path=str(ARTIFACTS / "field-refused.png"), full_page=True)
    refused.locator("text=修改").tap()
    assert "服务器退回" in phone.locator("#view form").inner_text()
    phone.select_option("#f-campaign", "")
    phone.tap("button:has-text('保存修改')")
    phone.wait_for_function("() => document.getElementById('queue-count').textContent.includes('0 条')")
    assert Inspection.objects.filter(unit=unit, note="第3次检查", campaign=None).count() == 1
    assert queue_count(phone) == 0
    for n in (1, 2):
        assert Inspection.objects.filter(unit=unit, note=f"第{n}次检查").count() == 1
        assert Hazard.objects.filter(unit=unit, description=f"第{n}次发现").count() == 1
    assert uuid.UUID(str(Inspection.objects.get(note="第1次检查").client_id))
