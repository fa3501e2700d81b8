"""End to end in headless Chromium (Debian's package) driven by Playwright against a live server.

Screenshots go to ``test-artifacts/`` at the project root. The tests skip only when
``/usr/bin/chromium`` is missing; ``.ci/run`` installs it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="未安装 Debian 的 chromium（/usr/bin/chromium），跳过浏览器测试"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still sync.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.base = live_server.url
    yield page
    context.close()


def sign_in(page, username: str):
    page.goto(page.base + "/dashboard/")  # a protected page: the login form comes first
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", "Brigade-Test-2025!")
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")


def test_login_and_dashboard(page, users):
    sign_in(page, "leader")
    page.wait_for_selector("canvas[data-chart]")
    assert page.evaluate("() => Object.keys(Chart.instances).length") == page.locator("canvas[data-chart]").count() >= 4
    assert page.locator(".figure").count() >= 6
    assert "同比" in page.inner_text(".figures")
    page.locator("#chart-incidents-by-month details summary").click()
    assert "4月" in page.inner_text("#chart-incidents-by-month table")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#chart-incidents-by-month a.button").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.errors == []


def test_map_draws_layers_and_opens_a_record(page, users, world):
    sign_in(page, "leader")
    page.goto(page.base + "/map/?period=2025")
    for slug in ("streets", "stations"):
        page.wait_for_selector(f"body[data-layer{slug}=loaded]", state="attached")
    for slug in ("hydrants", "units", "incidents"):
        page.check(f"input[data-layer='{slug}']")
    page.wait_for_selector("body[data-mapready=yes]", state="attached")
    assert page.inner_text("[data-count='streets']") == "2"
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    # Click the first station on the map, then the link in its popup.
    station = world[0]["station"]
    x, y = page.evaluate("([lat, lon]) => { const p = window.brigadeMap.latLngToContainerPoint([lat, lon]);"
                         " return [p.x, p.y]; }", [station.lat, station.lon])
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.screenshot(path=str(ARTIFACTS / "map-popup.png"))
    page.locator(".leaflet-popup-content a").click()
    page.wait_for_url(f"**/records/stations/{station.pk}/")
    assert station.name in page.inner_text("h1")
    assert page.errors == []


def test_create_hazard_through_the_form(page, users, world):
    from brigade.supervision.models import Hazard

    inspection = world[0]["inspection"]
    sign_in(page, "jiandu")
    page.goto(page.base + f"/records/inspections/{inspection.pk}/")
    page.click("text=登记隐患")
    page.wait_for_url("**/records/hazards/new/**")
    page.select_option("#id_category", "flying_wire")
    page.fill("#id_description", "三楼楼道飞线充电")
    page.fill("#id_found_on", "2025-03-01")
    page.click("button.primary")
    assert "发现日期不能早于检查日期。" in page.inner_text(".has-error")
    assert page.input_value("#id_description") == "三楼楼道飞线充电"
    page.screenshot(path=str(ARTIFACTS / "hazard-form-error.png"), full_page=True)
    page.fill("#id_found_on", "2025-03-05")
    page.click("button.primary")
    page.wait_for_url("**/records/hazards/*/")
    assert "已保存" in page.inner_text(".messages")
    page.screenshot(path=str(ARTIFACTS / "hazard-saved.png"), full_page=True)
    hazard = Hazard.objects.get(description="三楼楼道飞线充电")
    assert hazard.unit_id == inspection.unit_id and hazard.status == "found"
    # Then order rectification through the workflow step.
    page.click("text=责令改正")
    page.fill("#id_ordered_on", "2025-03-05")
    page.fill("#id_deadline", "2025-03-31")
    page.click("button.primary")
    page.wait_for_url(f"**/records/hazards/{hazard.pk}/")
    hazard.refresh_from_db()
    assert hazard.status == "ordered" and str(hazard.deadline) == "2025-03-31"
    assert page.errors == []


def test_liaison_sees_a_chinese_403(page, users, world):
    sign_in(page, "lianluo")
    page.goto(page.base + f"/records/hazards/{world[1]['hazard'].pk}/")
    assert "无权访问" in page.inner_text("main")
    page.goto(page.base + "/records/hazards/")
    page.screenshot(path=str(ARTIFACTS / "liaison-hazards.png"), full_page=True)
    assert world[1]["unit"].name not in page.content()


def test_report_preview_and_download(page, users, world):
    sign_in(page, "leader")
    page.goto(page.base + "/reports/?period=2025")
    assert page.locator(".paper article").count() == 1
    page.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=工作总结（.docx）")
    assert download.value.suggested_filename.endswith("工作总结.docx")
    assert page.errors == []


def test_import_a_ledger(page, users, world, settings, tmp_path):
    import io

    from openpyxl import Workbook

    from brigade.resources.models import Hydrant

    settings.VAR_DIR = tmp_path
    book = Workbook()
    for row in (["编号", "镇街", "状态"], ["XHS-301", "九曲街道", "完好"], ["XHS-302", "芝麻墩街道", "损坏"]):
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    sign_in(page, "zhihui")
    page.click("text=Excel 导入")
    page.select_option("#id_ledger", "hydrant")
    page.set_input_files("#id_file", files=[{"name": "消火栓台账.xlsx", "buffer": data.getvalue(),
                                             "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.click("button:has-text('上传并预检')")
    assert "预检通过" in page.inner_text(".import-report")
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.click("button:has-text('确认导入')")
    page.wait_for_url("**/records/hydrants/")
    assert "导入完成" in page.inner_text(".messages")
    assert Hydrant.objects.filter(code__in=["XHS-301", "XHS-302"]).count() == 2
    assert page.errors == []
