"""Offline first: no page names an external host, and the front-end libraries are served locally."""

import re

from django.contrib.staticfiles import finders

URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""", re.IGNORECASE)
ALLOWED_HOSTS = ("testserver", "127.0.0.1", "localhost")


def external_references(html: str) -> list[str]:
    found = []
    for match in URL.findall(html):
        host = re.sub(r"^(?:https?:)?//", "", match, flags=re.IGNORECASE).split("/")[0].split(":")[0]
        if host and host not in ALLOWED_HOSTS:
            found.append(match)
    return found


def test_detector_finds_external_hosts():
    assert external_references('<script src="https://assets.example.com/x.js"></script>') == [
        "https://assets.example.com/x.js"]
    assert external_references('<link href="//fonts.example.org/css">') == ["//fonts.example.org/css"]
    assert external_references('<a href="http://testserver/records/">') == []


def test_no_page_references_an_external_host(login, world, client):
    """The login and error pages here; every other page in test_pages.test_admin_opens_every_page."""
    assert external_references(client.get("/login/").content.decode()) == []
    admin = login("admin")
    for url in ("/no-such-page/", "/records/hazards/999999/", "/import/"):
        assert external_references(admin.get(url).content.decode()) == [], url


def test_front_end_libraries_are_installed_and_served_locally():
    for path in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/chart.js/chart.umd.min.js",
                 "web/brigade.css", "web/dashboard.js", "web/map.js"):
        assert finders.find(path), f"{path} 未找到：请先运行 make（npm 安装前端依赖到 node_modules/）"
