"""Every page on a 360 px phone: nothing scrolls sideways, the menu folds away, controls fit a finger.

The pages come from the urlconf itself (``page_urls``), so a page added later is walked too or
named here as not a page (a download, a JSON feed); each role walks the pages its menu offers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from brigade.core.records import RECORD_TYPES
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, sign_in  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="未安装 Debian 的 chromium（/usr/bin/chromium），跳过浏览器测试"),
              pytest.mark.slow]

# Routes that are not pages a person reads: downloads, data feeds, POST-only actions.
NOT_PAGES = {"login", "logout", "chart-xlsx", "map-layer", "report-file", "import-template", "record-export",
             "field-data", "manifest", "service-worker", "icon", "photo", "photo-upload", "hazard-case-file",
             "import-bad-rows", "risk-grades-xlsx", "risk-draw-xlsx", "compare-xlsx"}
PHONE = {"width": 360, "height": 740}


def web_routes() -> list[str]:
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and getattr(entry, "namespace", None) == "web":
            names += [p.name for p in entry.url_patterns if isinstance(p, URLPattern)]
    return names


def page_urls(world) -> dict[str, list[str]]:
    """Route name → the URLs that show it with the test brigade's data."""
    from brigade.evaluation.models import EvaluationRun
    from brigade.risk.models import Draw

    hazard = world[0]["hazard"]
    urls = {"home": ["/"], "worklist": ["/worklist/"], "field": ["/field/"], "dashboard": ["/dashboard/"],
            "map": ["/map/"], "reports": ["/reports/"], "import": ["/import/"],
            "record-list": [], "record-create": [], "record-detail": [], "record-edit": [],
            "record-step": [f"/records/hazards/{hazard.pk}/steps/{s.slug}/" for s in RECORD_TYPES["hazards"].workflow.steps],
            "evaluation-notice": [f"/reports/evaluation/{r.pk}/" for r in EvaluationRun.objects.all()[:1]],
            "risk": ["/risk/"], "compare": ["/compare/"], "risk-draw-notice": [f"/risk/draws/{d.pk}/notice/" for d in Draw.objects.all()[:1]]}
    for slug, rt in RECORD_TYPES.items():
        urls["record-list"].append(f"/records/{slug}/")
        urls["record-create"].append(f"/records/{slug}/new/")
        obj = rt.model._default_manager.order_by("pk").first()
        if obj is not None:
            urls["record-detail"].append(f"/records/{slug}/{obj.pk}/")
            urls["record-edit"].append(f"/records/{slug}/{obj.pk}/edit/")
    return urls


def test_every_route_is_walked_or_named(world):
    walked = set(page_urls(world))
    assert sorted(set(web_routes()) - walked - NOT_PAGES) == []


def overflow(page) -> int:
    """How far the page is wider than the screen (0: nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def small_controls(page) -> list[str]:
    """Visible buttons, links styled as buttons and form fields in the page body lower than 44 px."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, .menu-toggle'))
      .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 43.5)
      .map(e => (e.name || e.id || e.textContent.trim()).slice(0, 20) + ':' + Math.round(e.getBoundingClientRect().height))""")


@pytest.fixture
def phone(browser, live_server, transactional_db):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True,
                                  service_workers="block")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.base = live_server.url
    yield page
    context.close()


def visit(page, url: str) -> None:
    page.goto(page.base + url, wait_until="domcontentloaded")
    assert overflow(page) <= 0, f"{url} 在 360 像素宽的手机上横向溢出 {overflow(page)} 像素"


def test_admin_walks_every_page_at_360px(phone, users, world):
    sign_in(phone, "admin")
    urls = [u for group in page_urls(world).values() for u in group]
    assert len(urls) > 100
    for url in urls:
        visit(phone, url)
    assert phone.errors == []


def test_each_role_walks_its_menu_at_360px(phone, users, world):
    """Each role's own menu (its pages and record lists); the admin test above opened every detail and form."""
    walked = set()
    for username in ("leader", "jiandu", "zhihui", "xunlian", "lianluo"):
        phone.context.clear_cookies()
        sign_in(phone, username)
        phone.goto(phone.base + "/")
        links = phone.evaluate("() => Array.from(document.querySelectorAll('.site-menu a, .sidebar a'))"
                               ".map(a => a.getAttribute('href'))")
        assert len(links) >= 3, username
        for url in links:
            # The admin walked every page; the top pages differ by role only for a liaison (one street).
            if url.startswith("/records/") or url == "/" or username == "lianluo":
                visit(phone, url)
                walked.add((username, url))
    assert phone.errors == []


def test_officer_pages_fold_the_menu_and_fit_a_finger(phone, users, world):
    hazard, inspection = world[0]["hazard"], world[0]["inspection"]
    sign_in(phone, "jiandu")
    phone.goto(phone.base + "/worklist/")
    assert not phone.locator(".sidebar").is_visible() and not phone.locator(".site-menu").is_visible()
    phone.tap(".menu-toggle")
    assert phone.locator(".site-menu").is_visible() and phone.locator(".sidebar").is_visible()
    assert phone.locator(".site-menu a:has-text('今日任务')").is_visible()
    phone.screenshot(path=str(ARTIFACTS / "phone-menu.png"), full_page=True)
    for url, shot in ((f"/records/units/{world[0]['unit'].pk}/", "phone-unit.png"),
                      ("/records/inspections/new/", "phone-inspection-form.png"),
                      (f"/records/hazards/new/?inspection={inspection.pk}", "phone-hazard-form.png"),
                      (f"/records/hazards/{hazard.pk}/steps/reinspect/", "phone-reinspect.png"),
                      ("/records/enforcement-actions/new/", "phone-enforcement-form.png"),
                      ("/records/hazards/", "phone-hazard-list.png"), ("/worklist/", "phone-worklist.png")):
        visit(phone, url)
        assert small_controls(phone) == [], url
        phone.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    # A form: one field per line, inputs the full width of the form.
    phone.goto(phone.base + "/records/inspections/new/")
    widths = phone.evaluate("() => { const f = document.querySelector('.record-form').getBoundingClientRect().width;"
                            " return Array.from(document.querySelectorAll('.record-form select, .record-form input[type=date]'))"
                            ".map(e => e.getBoundingClientRect().width / f); }")
    assert widths and min(widths) > 0.85
