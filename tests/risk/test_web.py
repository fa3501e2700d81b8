"""The risk page, the draw from the web, its notice and exports, the map layer, the API and the dashboard."""

import io

import pytest
from openpyxl import load_workbook

from brigade.risk.models import Draw, UnitRisk
from tests.web.conftest import *  # noqa: F403  (world, users, login)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(world):
    from brigade.org.models import Person, Post

    return [Person.objects.create(brigade=world["brigade"], name=f"监督员{i}", post=Post.SUPERVISOR) for i in range(4)]


def test_page_shows_grades_by_street_and_draws_for_a_leader(login, world, officers):
    client = login("leader")
    page = client.get("/risk/?month=2026-01").content.decode()
    assert "各镇街风险等级分布" in page and "九曲街道" in page and "本月尚未抽取" in page
    response = client.post("/risk/", {"month": "2026-01", "seed": "123"}, follow=True)
    assert "已抽取" in response.content.decode()
    draw = Draw.objects.get()
    assert draw.seed == 123 and draw.checks == 2  # both units, four officers
    page = client.get("/risk/?month=2026-01").content.decode()
    assert "随机种子 <strong>123</strong>" in page and "按种子复核一致" in page and "重新抽取理由" in page


def test_redraw_from_the_web_needs_a_reason_and_keeps_history(login, world, officers):
    client = login("leader")
    client.post("/risk/", {"month": "2026-01", "seed": "1"})
    page = client.post("/risk/", {"month": "2026-01", "seed": "2", "redraw": "1", "reason": " "}, follow=True)
    assert "重新抽取须注明理由" in page.content.decode()
    client.post("/risk/", {"month": "2026-01", "seed": "2", "redraw": "1", "reason": "人员调整"})
    assert Draw.objects.count() == 2 and Draw.objects.filter(status="active").get().seed == 2
    assert "已被重新抽取取代" in client.get("/risk/?month=2026-01").content.decode()


def test_too_few_officers_from_the_web(login, world):
    page = login("leader").post("/risk/", {"month": "2026-01"}, follow=True).content.decode()
    assert "还缺 2 名" in page and not Draw.objects.exists()


def test_supervisor_sees_but_may_not_draw_and_others_are_refused(login, world, officers):
    assert login("supervision").get("/risk/").status_code == 200
    assert login("supervision").post("/risk/", {"month": "2026-01"}).status_code == 403
    assert login("command").get("/risk/").status_code == 403
    assert login("liaison").get("/risk/").status_code == 403


def test_notice_docx_twin_and_xlsx_exports_read_back(login, world, officers):
    from docx import Document

    client = login("leader")
    client.post("/risk/", {"month": "2026-01", "seed": "5"})
    draw = Draw.objects.get()
    original = Document(io.BytesIO(client.get(f"/risk/draws/{draw.pk}/notice/?format=docx").content))
    twin = Document(io.BytesIO(client.get(f"/risk/draws/{draw.pk}/notice/?format=redacted-docx").content))
    text = "\n".join(p.text for p in original.paragraphs)
    redacted = "\n".join(p.text for p in twin.paragraphs)
    assert "九曲物流有限公司" in text and "九曲物流有限公司" not in redacted and "随机种子 5" in text
    book = load_workbook(io.BytesIO(client.get(f"/risk/draws/{draw.pk}.xlsx").content))
    rows = list(book.active.values)
    assert rows[0][:3] == ("序号", "单位名称", "统一社会信用代码") and len(rows) == 3
    grades = load_workbook(io.BytesIO(client.get("/risk/grades.xlsx").content)).active
    header = [c.value for c in grades[1]]
    assert "风险等级" in header and "依据" in header
    by_name = {r[0]: r for r in grades.iter_rows(min_row=2, values_only=True)}
    level = header.index("风险等级")
    unit = world[0]["unit"]
    assert by_name[unit.name][level] == UnitRisk.objects.get(unit=unit).get_level_display()


def test_map_layer_colours_units_by_grade(login, world):
    features = login("leader").get("/map/layers/risk-grades.geojson").json()["features"]
    colors = {"high": "#c0392b", "medium": "#d4ac0d", "low": "#27ae60"}
    assert len(features) == 2
    for f in features:
        grade = UnitRisk.objects.get(unit__name=f["properties"]["title"].split("（")[0])
        assert f["properties"]["color"] == colors[grade.level] and f["properties"]["evidence"] == grade.evidence
    liaison = login("liaison").get("/map/layers/risk-grades.geojson").json()["features"]
    assert [f["properties"]["title"].split("（")[0] for f in liaison] == [world[0]["unit"].name]


def test_api_reads_grades_and_refuses_writes(login, world):
    client = login("admin")
    data = client.get("/api/risk-grades/?category=high").json()
    assert data["count"] == UnitRisk.objects.filter(level="high").count()
    data = client.get("/api/risk-grades/").json()
    assert {r["unit"] for r in data["results"]} == {world[0]["unit"].pk, world[1]["unit"].pk}
    assert client.post("/api/risk-grades/", {"unit": world[0]["unit"].pk}).status_code == 405
    assert login("liaison").get("/api/risk-grades/").json()["count"] == 1


def test_dashboard_chart_by_street(login, world):
    from brigade.core.scope import BRIGADE
    from brigade.web import dashboard as dash

    data = dash.chart_data(dash.CHARTS_BY_SLUG["risk-by-street"], dash.default_period(), BRIGADE)
    assert data["labels"] == ["九曲街道", "芝麻墩街道"]
    totals = [sum(s["values"][k] for s in data["series"]) for k in range(2)]
    assert totals == [1, 1]
    assert "各镇街社会单位风险等级" in login("leader").get("/dashboard/").content.decode()


def test_a_units_trend_on_the_risk_page(login, world):
    import datetime as dt

    from brigade.risk.services.grading import risk_grade
    from brigade.supervision.models import Hazard

    unit = world[0]["unit"]
    Hazard.objects.create(inspection=world[0]["inspection"], unit=unit, category="other", found_on=dt.date(2025, 3, 3),
                          is_major=True)
    risk_grade(on=dt.date(2026, 1, 5))
    page = login("leader").get(f"/risk/?unit={unit.name}").content.decode()
    assert "2025-12-31" in page and "2026-01-05" in page and "1 处重大火灾隐患" in page
    assert "没有名为“无此单位”" in login("leader").get("/risk/?unit=无此单位").content.decode()
