"""Names holding HTML or script show as typed, never run: on every web page, in JSON, GeoJSON and .docx.

Every text field of every record type in the web's registry is filled with one of two payloads
(plus the row's id, so unique names stay unique); then every page the urlconf offers is requested
(list, detail, edit, create and workflow-step pages of each record type, dashboard, map and its
layers, worklist, reports preview, evaluation bulletin, import) and searched for the raw payload.
The work summary and the evaluation bulletin are written to Word and read back with python-docx.
"""

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import docx
import pytest
from django.db import models
from django.urls import reverse
from django.utils.html import escape

from brigade.core.records import RECORD_TYPES
from brigade.web import urls as web_urls

P1 = "<script>alert(1)</script>"
P2 = '"><img src=x onerror=alert(1)>'
PAYLOADS = (P1, P2)
# What must never reach a page unescaped, even cut short ("…") in a table cell.
DANGER = (*PAYLOADS, "<script>alert", "<img src=x", "onerror=alert(1)>")
# The payload as Django's autoescape and json_script write it.
ESCAPED = (escape(P1), escape(P2), "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E")
# Fields that are keys for the program, not text for people (a period, a metric code …).
MACHINE_KEYS = {"metric_code", "period_key", "scope_key", "credit_code", "seed_ref"}

# URL names that are not HTML pages: sign-in/out and file downloads (checked as files below or elsewhere).
NOT_PAGES = {"login", "logout", "chart-xlsx", "report-file", "import-template", "import-bad-rows", "record-export",
             "risk-grades-xlsx", "risk-draw-xlsx", "compare-xlsx",
             "manifest", "service-worker", "icon", "photo", "photo-upload", "hazard-case-file"}


def assert_escaped(body: str, where: str) -> None:
    for raw in DANGER:
        at = body.find(raw)
        assert at == -1, f"{where}: raw {raw!r} in …{body[max(0, at - 150): at + 80]}…"


def shows_payload(body: str) -> bool:
    return any(e in body for e in ESCAPED)


SQUARE = [[118.30, 35.00], [118.40, 35.00], [118.40, 35.10], [118.30, 35.10], [118.30, 35.00]]


def stamp(model) -> None:
    """Every free-text field of every row: a payload followed by the row's id (where it fits)."""
    fields = [f for f in model._meta.concrete_fields
              if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices
              and not isinstance(f, models.SlugField) and f.name not in MACHINE_KEYS]
    for obj in model._base_manager.all():
        updates = {}
        for n, f in enumerate(fields):
            value = f"{PAYLOADS[(n + obj.pk) % 2]}{obj.pk}"
            if f.max_length is None or len(value) <= f.max_length:
                updates[f.name] = value
        if updates:
            model._base_manager.filter(pk=obj.pk).update(**updates)


@pytest.fixture
def hostile(town, brigade, django_user_model):
    """The ``town`` brigade plus one record of every other type; then every text field is a payload."""
    from brigade.core.roles import assign_role
    from brigade.evaluation import services as E
    from brigade.org.models import Station, Street
    from brigade.planning.models import AnalysisRun
    from brigade.reports.models import NarrativeNote
    from brigade.resources.models import Hydrant, Road, WaterSource
    from brigade.response.models import Incident
    from brigade.supervision import services as S
    from brigade.supervision.models import Inspection
    from brigade.units.models import SocialUnit

    a, b = town["a"], town["b"]
    for i, street in enumerate((a, b)):  # the map draws streets with a boundary
        Street.objects.filter(pk=street.pk).update(
            boundary={"type": "Polygon", "coordinates": [[[x + 0.1 * i, y] for x, y in SQUARE]]})
    Station.objects.update(lon=118.35, lat=35.05)
    SocialUnit.objects.update(lon=118.36, lat=35.04)
    Incident.objects.update(lon=118.37, lat=35.06)
    Hydrant.objects.create(code="XHS-1", street=a, lon=118.33, lat=35.02, road_name="路")
    WaterSource.objects.create(name="水源", kind="river", street=a, lon=118.34, lat=35.03)
    Road.objects.create(name="路", road_class="arterial", coordinates=[[118.3, 35.05], [118.5, 35.05]])
    AnalysisRun.objects.create(kind="coverage", name="分析", result={"isochrones": {
        "type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"label": P1},
                                                   "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}})
    NarrativeNote.objects.create(period_key="2025", scope_key="brigade", opening="开头", honours="荣誉",
                                 title="标题", signature="落款")
    # A hazard through its workflow (events, a major-hazard case).
    inspection = Inspection.objects.get(inspected_on=dt.date(2025, 5, 5))
    hazard = S.hazard_record(inspection=inspection, category="evacuation", description="描述", note="说明")
    S.hazard_order(hazard=hazard, ordered_on=dt.date(2025, 5, 5), deadline=dt.date(2025, 5, 20), note="责令")
    S.major_hazard_determine(hazard=hazard, determined_on=dt.date(2025, 5, 6), study_note="研究")
    # A month's evaluation of the streets, with a hand-scored deduction.
    rubric = E.rubric_create(name="细则", target="street", total_points=100,
                             items=[{"title": "会议", "points": 100, "method": "manual"}])
    E.manual_score_enter(item=rubric.items.get(), month="2025-03", deducted=10, evidence="证明", street=a)
    run = E.evaluation_run(rubric=rubric, month="2025-03")
    # Risk grades, a declared conflict, a stored rubric (inactive: its text becomes a payload) and a draw.
    from brigade.org.models import Person
    from brigade.risk.models import ConflictOfInterest, RiskRubric
    from brigade.risk.rubric import default_text
    from brigade.risk.services.draw import draw_month
    from brigade.risk.services.grading import risk_grade

    officers = [Person.objects.create(brigade=brigade, name=f"监督员{i}", post="supervisor") for i in range(3)]
    ConflictOfInterest.objects.create(person=officers[0], street=a, reason="居住")
    RiskRubric.objects.create(name="细则", text=default_text(), is_active=False)
    risk_grade(on=dt.date(2025, 12, 31))
    draw = draw_month(month="2026-01", seed=1, reason="")

    for rt in RECORD_TYPES.values():
        stamp(rt.model)
    users = {}
    for role in ("admin", "leader"):
        users[role] = django_user_model.objects.create(username=role, first_name=P1 if role == "leader" else "")
        assign_role(users[role], role)
    return {"run": run, "a": Street.objects.get(pk=a.pk), "users": users, "draw": draw}


def test_every_record_type_holds_a_payload(hostile):
    from brigade.core.roles import access_for
    from brigade.web.generic import display

    access = access_for(hostile["users"]["admin"])
    for rt in RECORD_TYPES.values():
        obj = rt.model._base_manager.order_by("pk").first()
        assert obj is not None, f"no {rt.slug} record"
        text = str(obj) + " ".join(display(obj, f.name, access).text for f in rt.model._meta.concrete_fields
                                   if not f.primary_key)
        assert any(p in text for p in PAYLOADS), f"{rt.slug} shows no payload"


def _record_pages(access) -> list[str]:
    from brigade.web.workflows import available_steps

    urls = []
    for rt in RECORD_TYPES.values():
        urls += [reverse("web:record-list", args=[rt.slug]),
                 reverse("web:record-list", args=[rt.slug]) + f"?q={quote(P1)}",  # the search box echoes it
                 reverse("web:record-create", args=[rt.slug])]
        if rt.filters:  # a filter value that is not an option: the error message quotes it
            urls.append(reverse("web:record-list", args=[rt.slug]) + f"?{rt.filters[0]}={quote(P2)}")
        for obj in rt.model._base_manager.order_by("pk")[:3]:
            urls += [reverse("web:record-detail", args=[rt.slug, obj.pk]),
                     reverse("web:record-edit", args=[rt.slug, obj.pk])]
            urls += [reverse("web:record-step", args=[rt.slug, obj.pk, s.slug]) for s in available_steps(rt, obj)]
    return urls


def _other_pages(hostile) -> list[str]:
    from brigade.core import maplayers as maps

    scope = quote(f"street:{hostile['a'].name}")
    return [reverse("web:home"), reverse("web:worklist"), reverse("web:worklist") + "?on=2025-03-10",
            reverse("web:field"), reverse("web:field-data"),
            reverse("web:dashboard") + "?period=2025", reverse("web:dashboard") + f"?period=2025&scope={scope}",
            reverse("web:dashboard") + f"?period={quote(P1)}",  # a bad period is quoted back
            reverse("web:map") + "?period=2025", reverse("web:reports") + "?period=2025",
            reverse("web:reports") + "?period=2025&redact=1", reverse("web:reports") + f"?period=2025&scope={scope}",
            reverse("web:evaluation-notice", args=[hostile["run"].pk]),
            reverse("web:evaluation-notice", args=[hostile["run"].pk]) + "?redact=1",
            reverse("web:import"), reverse("web:risk") + "?month=2026-01",
            reverse("web:compare") + "?period=2025", reverse("web:compare") + f"?period={quote(P1)}",
            reverse("web:risk-draw-notice", args=[hostile["draw"].pk]),
            reverse("web:risk-draw-notice", args=[hostile["draw"].pk]) + "?redact=1",
            ] + [reverse("web:map-layer", args=[slug]) + "?period=2025" for slug in maps.LAYERS]


def test_every_page_escapes_the_payload(hostile, client):
    from brigade.core.roles import access_for

    names = {p.name for p in web_urls.urlpatterns}
    covered = {"home", "worklist", "dashboard", "map", "map-layer", "reports", "evaluation-notice", "import",
               "record-list", "record-create", "record-detail", "record-edit", "record-step", "risk", "risk-draw-notice",
               "field", "field-data", "compare"}
    assert names == covered | NOT_PAGES, f"pages not checked: {names - covered - NOT_PAGES}"

    admin = hostile["users"]["admin"]
    client.force_login(admin)
    pages = _record_pages(access_for(admin)) + _other_pages(hostile)
    shown, steps = set(), 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            assert "<" not in body and ">" not in body, url  # data only: names written as \u003C …
            continue  # GeoJSON: test_geojson_carries_names_as_data
        assert_escaped(body, url)
        if shows_payload(body):
            shown.add(url.split("/")[2] if url.startswith("/records/") else url.split("?")[0])
        steps += "/steps/" in url
    # The payloads were really on the pages: every record type's pages, the dashboard, map, reports …
    assert {rt.slug for rt in RECORD_TYPES.values()} <= shown, set(RECORD_TYPES) - shown
    assert {"/", "/worklist/", "/dashboard/", "/reports/", f"/reports/evaluation/{hostile['run'].pk}/"} <= shown
    assert steps > 0  # the hazard's workflow step forms were among them

    client.force_login(hostile["users"]["leader"])  # the leader's own pages (their name is a payload too)
    for url in (reverse("web:home"), reverse("web:dashboard") + "?period=2025", reverse("web:reports") + "?period=2025",
                reverse("web:map")):
        response = client.get(url)
        assert response.status_code == 200
        assert_escaped(response.content.decode(), url)
        assert escape(P1) in response.content.decode()


def test_json_in_pages_is_escaped(hostile, client):
    """json_script data (dashboard charts, map layers) decodes to the names, with < > & written as \\u003C …."""
    client.force_login(hostile["users"]["admin"])
    scope = quote(f"street:{hostile['a'].name}")
    body = client.get(reverse("web:dashboard") + f"?period=2025&scope={scope}").content.decode()
    blocks = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', body, re.S)
    assert blocks
    data = json.dumps([json.loads(text) for _, text in blocks], ensure_ascii=False)
    assert_escaped("".join(text for _, text in blocks), "dashboard json_script")
    assert hostile["a"].name in data  # the scope's name, decoded as typed


def test_geojson_carries_names_as_data(hostile, client):
    """Layers are JSON (never sniffed as HTML); names arrive as typed and the map escapes them itself."""
    from brigade.core import maplayers as maps

    client.force_login(hostile["users"]["admin"])
    titles = []
    for slug in maps.LAYERS:
        response = client.get(reverse("web:map-layer", args=[slug]) + "?period=2025")
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        titles += [f["properties"]["title"] for f in json.loads(response.content)["features"]]
    for layer in ("streets", "stations", "units", "roads", "incidents", "isochrones"):
        assert any(p in t for t in titles for p in PAYLOADS), f"{layer}: no payload among {titles}"
    # The map puts every title through escapeHtml (textContent) before Leaflet reads it as HTML.
    script = (Path(web_urls.__file__).parent / "static" / "web" / "map.js").read_text(encoding="utf-8")
    assert "bindPopup(popup(feature))" in script and '"<strong>" + escapeHtml(p.title)' in script
    assert "bindTooltip(escapeHtml(" in script
    assert script.count("innerHTML") == 1 and "div.textContent = " in script


def test_geojson_bytes_hold_no_raw_markup(hostile, client):
    client.force_login(hostile["users"]["admin"])
    body = client.get(reverse("web:map-layer", args=["streets"])).content.decode()
    assert_escaped(body, "streets.geojson")


# ---- Word --------------------------------------------------------------------------------------

def docx_text(path: Path) -> str:
    """All text of a .docx (body, tables, headers and footers), after checking every XML part parses."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                data = zf.read(name)
                ElementTree.fromstring(data)  # well-formed
                for raw in DANGER:
                    assert raw.encode() not in data, f"{name}: raw {raw!r}"
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def test_summary_docx_holds_the_names_as_text(hostile, tmp_path):
    from brigade.core.period import parse_period
    from brigade.core.scope import BRIGADE
    from brigade.reports.service import report_generate

    year = parse_period("2025")
    text = docx_text(report_generate(period=year, scope=BRIGADE, out=tmp_path / "总结.docx").path)
    assert P1 in text and P2 in text  # literally, as typed: the narrative, the title, street and unit names
    docx_text(report_generate(period=year, scope=BRIGADE, out=tmp_path / "脱敏.docx", redact=True).path)
    html = report_generate(period=year, scope=BRIGADE, out=tmp_path / "总结.html").path.read_text(encoding="utf-8")
    assert_escaped(html, "summary .html")
    assert escape(P1, ) in html or "&lt;script&gt;" in html


def test_evaluation_notice_docx_holds_the_names_as_text(hostile, tmp_path):
    from brigade.evaluation.notice import evaluation_write_notice

    run = hostile["run"]
    text = docx_text(evaluation_write_notice(run=run, path=tmp_path / "通报.docx"))
    assert hostile["a"].name in text  # a street named with a payload, as typed
    assert sum(p in text for p in PAYLOADS) == 2  # and the rubric's name or a deduction's reason
    docx_text(evaluation_write_notice(run=run, path=tmp_path / "通报（脱敏）.docx", redact=True))
