"""Every web page answers, in Chinese, to the roles that may see it and refuses the others."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from brigade.core.records import RECORD_TYPES

PAGES = ["/", "/dashboard/", "/map/", "/reports/"]


def record_urls(world) -> list[str]:
    """A list, a create form and (where a row exists) a detail and an edit page per record type."""
    urls = []
    for slug, rt in RECORD_TYPES.items():
        urls += [f"/records/{slug}/", f"/records/{slug}/new/"]
        obj = rt.model._default_manager.order_by("pk").first()
        if obj is not None:
            urls += [f"/records/{slug}/{obj.pk}/", f"/records/{slug}/{obj.pk}/edit/"]
    return urls


def test_anonymous_is_sent_to_login(client, world):
    for url in PAGES + record_urls(world) + ["/map/layers/streets.geojson", "/dashboard/charts/publicity.xlsx"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_login_page_and_sign_in(client, users):
    page = client.get("/login/")
    assert page.status_code == 200
    assert "用户登录" in page.content.decode()
    bad = client.post("/login/", {"username": "leader", "password": "wrong"})
    assert bad.status_code == 200
    assert "请输入一个正确的" in bad.content.decode()  # Django's own Chinese message
    assert 'value="leader"' in bad.content.decode()  # keeps what the user typed
    good = client.post("/login/", {"username": "leader", "password": "Brigade-Test-2025!"})
    assert good.status_code == 302 and good["Location"] == "/"
    assert "大队领导" in client.get("/").content.decode()
    out = client.post("/logout/")
    assert out.status_code == 302
    assert client.get("/").status_code == 302


def test_admin_opens_every_page(login, world):
    """Every page answers, in Chinese, and names no external host (offline first)."""
    from tests.web.test_offline import external_references

    client = login("admin")
    for url in PAGES + record_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "消防救援大队业务管理与分析系统" in html, url
        assert external_references(html) == [], url


@pytest.mark.parametrize("role, pages, records", [
    ("leader", {"dashboard", "map", "reports"}, {"hazards", "incidents", "people"}),
    ("supervision", {"dashboard", "map"}, {"hazards", "inspections", "units"}),
    ("command", {"dashboard", "map"}, {"incidents", "vehicles", "hydrants"}),
    ("training", {"dashboard"}, {"activities", "activity-kinds"}),
    ("liaison", {"dashboard", "map"}, {"units", "hazards", "incidents"}),
])
def test_navigation_by_role(login, role, pages, records):
    html = login(role).get("/").content.decode()
    for page in pages:
        assert f'href="/{page}/"' in html, (role, page)
    for slug in records:
        assert f'href="/records/{slug}/"' in html, (role, slug)
    if role != "leader":
        assert 'href="/reports/"' not in html


def test_liaison_sees_only_their_street(login, world):
    client = login("liaison")
    own, other = world[0], world[1]
    for slug, key in (("hazards", "hazard"), ("units", "unit"), ("inspections", "inspection"),
                      ("incidents", "incident"), ("hydrants", "hydrant"), ("stations", "station")):
        html = client.get(f"/records/{slug}/").content.decode()
        assert f"/records/{slug}/{own[key].pk}/" in html, slug
        assert f"/records/{slug}/{other[key].pk}/" not in html, slug
        assert str(other[key]) not in html, slug
        assert client.get(f"/records/{slug}/{own[key].pk}/").status_code == 200
        refused = client.get(f"/records/{slug}/{other[key].pk}/")
        assert refused.status_code == 403, slug
        assert "无权访问" in refused.content.decode()
        assert str(other[key]) not in refused.content.decode()
    # The street filter offers only their own street; another street's id in the URL changes nothing.
    html = client.get(f"/records/units/?street={other['street'].pk}").content.decode()
    assert other["unit"].name not in html
    # Brigade-internal records and every edit page are refused.
    for url in ("/records/people/", "/records/roads/", "/records/notices/", "/reports/",
                f"/records/hazards/{own['hazard'].pk}/edit/", "/records/hazards/new/"):
        assert client.get(url).status_code == 403, url


def test_liaison_dashboard_and_map_are_held_to_their_street(login, world):
    client = login("liaison")
    html = client.get("/dashboard/?scope=street:芝麻墩街道").content.decode()
    assert "九曲街道" in html and 'value="street:芝麻墩街道"' not in html
    layer = client.get("/map/layers/incidents.geojson").json()
    numbers = {f["properties"]["title"].split()[0] for f in layer["features"]}
    assert numbers == {world[0]["incident"].number}
    streets = client.get("/map/layers/streets.geojson").json()
    assert [f["properties"]["title"] for f in streets["features"]] == ["九曲街道"]
    assert client.get("/map/layers/roads.geojson").json()["features"] == []


def test_user_without_role_is_refused(login, world):
    client = login("norole")
    assert "尚未分配角色" in client.get("/").content.decode()
    for url in ("/dashboard/", "/map/", "/records/hazards/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "无权访问" in response.content.decode()


def test_only_editors_may_edit(login, world):
    hazard = world[0]["hazard"]
    assert login("command").get(f"/records/hazards/{hazard.pk}/edit/").status_code == 403
    assert login("command").get(f"/records/incidents/{world[0]['incident'].pk}/edit/").status_code == 200
    assert login("leader").get("/records/hazards/new/").status_code == 403
    assert login("supervision").get("/records/hazards/new/").status_code == 200


def test_chinese_404(login, world):
    client = login("leader")
    for url in ("/no-such-page/", "/records/no-such-type/", "/records/hazards/999999/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.content.decode()


def test_list_filters_search_period_and_pagination(login, world):
    from brigade.supervision.models import Hazard

    client = login("leader")
    html = client.get("/records/hazards/?q=芝麻墩").content.decode()
    assert "共 1 条" in html and world[1]["unit"].name in html
    assert "共 0 条" in client.get("/records/hazards/?period=2024").content.decode()
    assert "共 2 条" in client.get("/records/hazards/?period=2025-03&status=ordered").content.decode()
    bad = client.get("/records/hazards/?period=2025-13&status=nonsense").content.decode()
    assert "月份 13 不存在" in bad and "没有“nonsense”这一项" in bad
    assert "共 1 条" in client.get("/records/incidents/?period=2025-04-02..2025-04-30").content.decode()
    # 120 hazards: three pages of fifty.
    base = world[0]["hazard"]
    Hazard.objects.bulk_create([
        Hazard(inspection=base.inspection, unit=base.unit, category="other", found_on=dt.date(2025, 5, 1))
        for _ in range(120)
    ])
    page3 = client.get("/records/hazards/?category=other&page=3").content.decode()
    assert "第 3 / 3 页" in page3 and "上一页" in page3 and "category=other" in page3
    assert len(re.findall(r'href="/records/hazards/\d+/"', page3)) == 20


def test_detail_links_related_records_and_offers_new_hazard(login, world):
    inspection = world[0]["inspection"]
    html = login("supervision").get(f"/records/inspections/{inspection.pk}/").content.decode()
    assert f"/records/hazards/{world[0]['hazard'].pk}/" in html
    assert f"/records/units/{world[0]['unit'].pk}/" in html
    assert "登记隐患" in html and f"inspection={inspection.pk}" in html


def test_create_hazard_and_keep_input_on_error(login, world):
    from brigade.supervision.models import Hazard, HazardEvent

    client = login("supervision")
    inspection, unit = world[0]["inspection"], world[0]["unit"]
    form = client.get(f"/records/hazards/new/?inspection={inspection.pk}&found_on=2025-03-03")
    assert f'value="{inspection.pk}"' in form.content.decode()
    data = {"inspection": inspection.pk, "category": "flying_wire", "description": "楼道飞线充电",
            "found_on": "2025-03-01"}
    bad = client.post("/records/hazards/new/", data)
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "发现日期不能早于检查日期。" in html
    assert 'value="楼道飞线充电"' in html and 'value="2025-03-01"' in html
    assert not Hazard.objects.filter(description="楼道飞线充电").exists()
    data["found_on"] = "2025-03-05"
    good = client.post("/records/hazards/new/", data)
    hazard = Hazard.objects.get(description="楼道飞线充电")
    assert good.status_code == 302 and good["Location"] == f"/records/hazards/{hazard.pk}/"
    assert hazard.unit == unit and hazard.status == "found"  # recorded by the workflow service
    assert HazardEvent.objects.filter(hazard=hazard, kind="recorded").exists()
    assert "已保存" in client.get(good["Location"]).content.decode()


def test_edit_shows_model_errors_next_to_fields(login, world):
    from brigade.supervision.models import Campaign

    campaign = Campaign.objects.create(name="电动自行车专项整治", starts_on=dt.date(2025, 3, 1),
                                       ends_on=dt.date(2025, 6, 30))
    client = login("supervision")
    response = client.post(f"/records/campaigns/{campaign.pk}/edit/", {
        "name": "电动自行车专项整治（修改）", "starts_on": "2025-03-01", "ends_on": "2025-02-01"})
    html = response.content.decode()
    assert "结束日期不能早于开始日期。" in html
    assert re.search(r'has-error">\s*<label for="id_ends_on"', html)
    assert 'value="电动自行车专项整治（修改）"' in html


def test_hazard_workflow_steps_call_the_services(login, world):
    from brigade.supervision.models import HazardEvent

    hazard = world[0]["hazard"]
    hazard.status = "found"
    hazard.deadline = None
    hazard.save()
    client = login("supervision")
    detail = client.get(f"/records/hazards/{hazard.pk}/").content.decode()
    # Only the steps allowed from 'found'.
    assert f"/records/hazards/{hazard.pk}/steps/order/" in detail
    assert f"/records/hazards/{hazard.pk}/steps/close/" not in detail
    url = f"/records/hazards/{hazard.pk}/steps/order/"
    assert 'name="ordered_on"' in client.get(url).content.decode()
    bad = client.post(url, {"ordered_on": "2025-03-05", "deadline": "2025-03-04", "_version": hazard.version})
    assert "不能早于责令改正日期" in bad.content.decode()
    good = client.post(url, {"ordered_on": "2025-03-05", "deadline": "2025-03-20", "_version": hazard.version})
    assert good.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "ordered" and str(hazard.deadline) == "2025-03-20"
    assert HazardEvent.objects.filter(hazard=hazard, kind="ordered").count() == 1
    # A stale form (opened before that change) is refused with the service's Chinese message.
    stale = client.post(f"/records/hazards/{hazard.pk}/steps/rectify/",
                        {"rectified_on": "2025-03-10", "_version": hazard.version - 1})
    assert "已被他人修改" in stale.content.decode()
    assert login("command").get(url).status_code == 403
    assert login("supervision").get(f"/records/hazards/{hazard.pk}/steps/nope/").status_code == 404


def test_incident_form_reads_local_date_times(login, world):
    from brigade.response.models import Incident

    client = login("command")
    response = client.post("/records/incidents/new/", {
        "number": "JQ2025009", "category": "rescue", "received_at": "2025-06-01T08:30",
        "cleared_at": "2025-06-01T08:00", "deaths": 0, "injuries": 0, "direct_loss": 0})
    assert "结束时间不能早于接警时间。" in response.content.decode()
    assert not Incident.objects.filter(number="JQ2025009").exists()


def test_history_shown_on_audited_records(login, world):
    html = login("leader").get(f"/records/units/{world[0]['unit'].pk}/").content.decode()
    assert "变更记录" in html


def test_home_worklist_lists_overdue_hazards(login, world):
    html = login("supervision").get("/").content.decode()
    assert "逾期未整改的火灾隐患" in html
    assert f"/records/hazards/{world[0]['hazard'].pk}/" in html


def test_reports_page_preview_and_downloads(login, world):
    import io

    from docx import Document
    from openpyxl import load_workbook

    client = login("leader")
    html = client.get("/reports/?period=2025").content.decode()
    assert "发现火灾隐患" in html and "2025年" in html
    assert "工作总结（.docx）" in html and 'class="paper"' in html
    assert "九曲物流有限公司" not in client.get("/reports/?period=2025&redact=1").content.decode()
    response = client.get("/reports/files/xlsx/?period=2025&scope=street:九曲街道")
    assert response.status_code == 200
    assert "九曲街道" in load_workbook(io.BytesIO(response.content)).active["A1"].value
    for kind in ("docx", "redacted-docx"):
        response = client.get(f"/reports/files/{kind}/?period=2025")
        assert response.status_code == 200, kind
        assert Document(io.BytesIO(response.content)).paragraphs, kind
    # No data for the period: a Chinese message on the reports page, not an error page.
    empty = client.get("/reports/files/docx/?period=2019", follow=True).content.decode()
    assert "没有任何业务数据" in empty
    assert login("supervision").get("/reports/").status_code == 403


def test_period_and_scope_errors_are_chinese(login, world):
    html = login("leader").get("/dashboard/?period=abc&scope=street:不存在").content.decode()
    assert "无法识别统计期间" in html and "没有名为“不存在”的镇街" in html


def test_reverse_names():
    assert reverse("web:record-list", args=["hazards"]) == "/records/hazards/"


def test_two_editors_cannot_silently_overwrite_each_other(login, world):
    hazard = world[0]["hazard"]
    client = login("supervision")
    url = f"/records/hazards/{hazard.pk}/edit/"
    opened = re.search(r'name="_version" value="(\d+)"', client.get(url).content.decode())[1]
    data = {"category": "fire_lane", "_version": opened}
    first = client.post(url, {**data, "description": "第一位的修改"})
    assert first.status_code == 302
    second = client.post(url, {**data, "description": "第二位的修改"})
    html = second.content.decode()
    assert second.status_code == 200 and "已被他人修改" in html and 'value="第二位的修改"' in html
    hazard.refresh_from_db()
    assert hazard.description == "第一位的修改" and hazard.version == int(opened) + 1


def test_department_liaison_sees_only_their_department(make_user, world, client):
    from brigade.org.models import Department
    from brigade.supervision.models import SupervisionLetter

    education = Department.objects.create(brigade=world["brigade"], name="教育局")
    health = Department.objects.create(brigade=world["brigade"], name="卫健局")
    own = SupervisionLetter.objects.create(sent_on=dt.date(2025, 5, 1), department=education, subject="校园消防通道")
    other = SupervisionLetter.objects.create(sent_on=dt.date(2025, 5, 2), department=health, subject="医院疏散通道")
    client.force_login(make_user("jiaoyu", "liaison", department=education))
    html = client.get("/records/letters/").content.decode()
    assert own.subject in html and other.subject not in html
    assert client.get(f"/records/letters/{other.pk}/").status_code == 403
    assert client.get("/records/units/").status_code == 403  # units are tied to streets, not departments
    assert client.get("/dashboard/").status_code == 403


def test_names_with_markup_are_escaped(login, world):
    unit = world[0]["unit"]
    unit.name = '<script>alert("x")</script>物流'
    unit.save()
    client = login("leader")
    for url in ("/records/units/", f"/records/units/{unit.pk}/", f"/records/hazards/{world[0]['hazard'].pk}/", "/"):
        html = client.get(url).content.decode()
        assert '<script>alert("x")</script>' not in html, url
    layer = client.get("/map/layers/units.geojson").content.decode()
    assert "alert" in layer  # JSON carries the text; the page's popup escapes it (map.js escapeHtml)


def test_evaluation_notice_preview_and_downloads(login, world):
    import io

    from docx import Document

    from brigade.evaluation.models import Rubric
    from brigade.evaluation.services import evaluation_run

    run = evaluation_run(rubric=Rubric.objects.filter(target="street").first(), month="2025-03")
    client = login("leader")
    assert f"/reports/evaluation/{run.pk}/" in client.get("/reports/?period=2025").content.decode()
    html = client.get(f"/reports/evaluation/{run.pk}/").content.decode()
    assert "考评通报" in html and 'class="paper"' in html and "九曲街道" in html
    assert "九曲街道" not in client.get(f"/reports/evaluation/{run.pk}/?redact=1").content.decode().split('class="paper"')[1]
    for fmt in ("docx", "redacted-docx"):
        response = client.get(f"/reports/evaluation/{run.pk}/?format={fmt}")
        assert response.status_code == 200 and Document(io.BytesIO(response.content)).paragraphs
    assert "考评通报" in client.get(f"/records/evaluation-runs/{run.pk}/").content.decode()
    assert login("supervision").get(f"/reports/evaluation/{run.pk}/").status_code == 403


def test_worklist_by_role_and_street(login, world):
    client = login("supervision")
    html = client.get("/worklist/?on=2025-04-01").content.decode()
    assert "待办事项" in html and "逾期未改" in html
    assert f"/records/hazards/{world[0]['hazard'].pk}/" in html and f"/records/hazards/{world[1]['hazard'].pk}/" in html
    liaison = login("liaison").get("/worklist/?on=2025-04-01").content.decode()
    assert f"/records/hazards/{world[0]['hazard'].pk}/" in liaison
    assert f"/records/hazards/{world[1]['hazard'].pk}/" not in liaison
    assert "无法识别" in client.get("/worklist/?on=2025-99-01").content.decode()
    assert login("command").get("/worklist/").status_code == 403


def test_repeated_failed_logins_lock_the_account_in_chinese(client, users):
    for _ in range(5):
        client.post("/login/", {"username": "leader", "password": "wrong"})
    locked = client.post("/login/", {"username": "leader", "password": "Brigade-Test-2025!"})
    assert locked.status_code in (403, 429)
    text = locked.content.decode()
    assert "登录" in text and "Account locked" not in text
