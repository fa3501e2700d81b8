"""Two brigades in one database: a user of one finds nothing of the other on any page, API endpoint,
export or map layer; detachment staff read both and write nothing; a record tied to two brigades is
refused naming both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from brigade.core.roles import COMMAND, DETACHMENT, LEADER, LIAISON, SUPERVISION, TRAINING, assign_role
from tests.conftest import make_credit_code

pytestmark = pytest.mark.django_db

D = dt.date
SQUARE = [[118.30, 35.00], [118.40, 35.00], [118.40, 35.10], [118.30, 35.10], [118.30, 35.00]]


def build(brigade, tag: str, n: int) -> dict:
    """One record of every brigade-owned type, each name starting with ``tag`` (东城 or 西山)."""
    from brigade.evaluation.models import Deduction, EvaluationRun, EvaluationScore, ManualScore, Rubric
    from brigade.ledger.models import Activity, ActivityKind
    from brigade.org.models import Community, Department, Person, Station, Street
    from brigade.planning.models import AnalysisRun
    from brigade.reports.models import NarrativeNote
    from brigade.resources.models import (
        ChargingShed,
        ElevatorBlocker,
        Equipment,
        Hydrant,
        Road,
        Vehicle,
        WaterSource,
    )
    from brigade.response.models import Dispatch, Incident
    from brigade.risk.models import ConflictOfInterest, Draw, DrawItem, RiskGradeHistory, UnitRisk
    from brigade.supervision.models import (
        Campaign,
        EnforcementAction,
        Hazard,
        HazardEvent,
        Inspection,
        Interview,
        MajorHazardCase,
        Notice,
        SupervisionLetter,
    )
    from brigade.units.models import SocialUnit

    lon = 118.3 + n
    ring = [[x + n, y] for x, y in SQUARE]
    street = Street.objects.create(brigade=brigade, name=f"{tag}街道", code=f"37131{n}001",
                                   boundary={"type": "Polygon", "coordinates": [ring]})
    community = Community.objects.create(street=street, name=f"{tag}小区")
    dept = Department.objects.create(brigade=brigade, name=f"{tag}教育局")
    station = Station.objects.create(brigade=brigade, name=f"{tag}站", street=street, lon=lon + 0.05, lat=35.05)
    person = Person.objects.create(brigade=brigade, name=f"{tag}队员", station=station, post="supervisor")
    unit = SocialUnit.objects.create(name=f"{tag}物流公司", credit_code=make_credit_code(100 + n), street=street,
                                     site_category="logistics", community=community, lon=lon + 0.06, lat=35.04)
    campaign = Campaign.objects.create(brigade=brigade, name=f"{tag}春季行动", starts_on=D(2025, 3, 1), ends_on=D(2025, 3, 31))
    inspection = Inspection.objects.create(unit=unit, inspected_on=D(2025, 3, 3), kind="random", campaign=campaign,
                                           note=f"{tag}检查")
    hazard = Hazard.objects.create(inspection=inspection, unit=unit, category="fire_lane", found_on=D(2025, 3, 3),
                                   description=f"{tag}通道堵塞", deadline=D(2025, 3, 20), status="ordered",
                                   is_major=True)
    HazardEvent.objects.create(hazard=hazard, kind="order", to_status="ordered", on=D(2025, 3, 3), note=f"{tag}责令")
    MajorHazardCase.objects.create(hazard=hazard, determined_on=D(2025, 3, 5), listing_authority=f"{tag}政府")
    EnforcementAction.objects.create(kind="warning", decided_on=D(2025, 3, 6), person_name=f"{tag}张某", brigade=brigade,
                                     legal_basis="art63")
    EnforcementAction.objects.create(kind="penalty", decided_on=D(2025, 3, 7), unit=unit, legal_basis="art60",
                                     fine_amount=Decimal("5000"), decision_number=f"{tag}罚字1号")
    Interview.objects.create(held_on=D(2025, 2, 1), site_category="logistics", people_count=5, subject=f"{tag}约谈",
                             brigade=brigade)
    Notice.objects.create(issued_on=D(2025, 1, 3), kind="notice", title=f"{tag}检查通知", brigade=brigade)
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 3), street=street, subject=f"{tag}督促整改")
    SupervisionLetter.objects.create(sent_on=D(2025, 3, 4), department=dept, subject=f"{tag}督促排查")
    incident = Incident.objects.create(number=f"{tag}JQ1", category="fire", street=street, address=f"{tag}路1号",
                                       received_at=timezone.make_aware(dt.datetime(2025, 4, 1, 10)),
                                       lon=lon + 0.07, lat=35.06)
    vehicle = Vehicle.objects.create(plate=f"鲁Q{tag}应急", kind="water_tanker", station=station,
                                     commissioned_on=D(2015, 1, 1), model_name=f"{tag}水罐车")
    Dispatch.objects.create(incident=incident, station=station, vehicle=vehicle, crew_count=5)
    Equipment.objects.create(kind="scba", station=station, in_service_qty=10, spare_qty=2)
    Hydrant.objects.create(code=f"{tag}XHS1", street=street, road_name=f"{tag}路", lon=lon + 0.03, lat=35.02)
    WaterSource.objects.create(name=f"{tag}水池", kind="pool", street=street, lon=lon + 0.04, lat=35.03)
    ChargingShed.objects.create(name=f"{tag}充电棚", community=community, ports=10, built_on=D(2025, 5, 1))
    ElevatorBlocker.objects.create(community=community, elevators=4, installed_on=D(2025, 2, 1))
    Road.objects.create(name=f"{tag}大道", road_class="arterial", brigade=brigade,
                        coordinates=[[lon, 35.05], [lon + 0.1, 35.05]])
    kind = ActivityKind.objects.get(code="alcohol_check")
    Activity.objects.create(occurred_on=D(2025, 2, 1), kind=kind, values={"count": 1, "people": 3}, station=station,
                            note=f"{tag}抽查")
    rubric = Rubric.objects.filter(target="street").first()
    item = rubric.items.first()
    ManualScore.objects.create(item=item, month=D(2025, 3, 1), street=street, deducted=1, evidence=f"{tag}扣分")
    run = EvaluationRun.objects.create(rubric=rubric, month=D(2025, 3, 1), brigade=brigade)
    score = EvaluationScore.objects.create(run=run, street=street, score=90, deducted=10, rank=1)
    Deduction.objects.create(score=score, item=item, points=10, reason=f"{tag}扣分理由")
    UnitRisk.objects.create(unit=unit, street=street, level="high", score=80, graded_on=D(2025, 12, 31),
                            rubric_name="细则", evidence=f"{tag}依据")
    RiskGradeHistory.objects.create(unit=unit, graded_on=D(2025, 12, 31), level="high", score=80,
                                    evidence=f"{tag}历史")
    ConflictOfInterest.objects.create(person=person, street=street, reason=f"{tag}回避")
    draw = Draw.objects.create(brigade=brigade, month=D(2025, 3, 1), seed=n + 1, checks=1, officers=1,
                               due_on=D(2025, 3, 31), rubric_name=f"{tag}细则", digest="0" * 64)
    DrawItem.objects.create(draw=draw, order=1, unit=unit, street=street, level="high", reason="random",
                            inspector_a=person)
    AnalysisRun.objects.create(kind="coverage", name=f"{tag}覆盖分析", brigade=brigade, result={
        "isochrones": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": {"label": f"{tag}5分钟"}}]}})
    NarrativeNote.objects.create(period_key="2025", scope_key=f"brigade:{brigade.name}", title=f"{tag}总结",
                                 brigade=brigade)
    return {"street": street, "station": station, "unit": unit, "dept": dept, "hazard": hazard,
            "inspection": inspection, "person": person, "campaign": campaign}


@pytest.fixture
def two(db):
    from brigade.org.models import Brigade

    a = Brigade.objects.create(name="东城区大队")
    b = Brigade.objects.create(name="西山县大队")
    return {"A": a, "B": b, "a": build(a, "东城", 0), "b": build(b, "西山", 1)}


def user_of(role, *, brigade=None, street=None, name=None) -> User:
    user = User.objects.create_user(name or f"{role}-{brigade or street}", password=None)
    assign_role(user, role, brigade=brigade, street=street)
    return user


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def owned_ids(model, brigade) -> set:
    from brigade.core.tenancy import owned_by

    return set(model._default_manager.filter(owned_by(model, brigade.pk)).values_list("pk", flat=True))


def test_every_model_declares_its_path_to_a_brigade():
    from brigade.core.tenancy import declared_models, paths_of

    for model in declared_models():
        paths = paths_of(model)  # raises for a model that declares none
        for path in paths or ():
            if path != "pk":
                model._default_manager.filter(**{f"{path}_id": 1}).exists()  # the path is a real lookup


def test_every_record_type_has_records_in_both_brigades(two):
    """The fixture is what the walks below rely on: each brigade-owned type has rows of A and of B."""
    from brigade.core.records import RECORD_TYPES
    from brigade.core.tenancy import is_shared

    for rt in RECORD_TYPES.values():
        if is_shared(rt.model):
            continue
        assert owned_ids(rt.model, two["A"]) and owned_ids(rt.model, two["B"]), rt.slug


def test_a_leader_of_one_brigade_finds_nothing_of_the_other_on_any_page(two):
    from brigade.core.records import RECORD_TYPES
    from brigade.core.tenancy import is_shared

    client = web(user_of(LEADER, brigade=two["A"]))
    for rt in RECORD_TYPES.values():
        page = client.get(f"/records/{rt.slug}/?page_size=500")
        assert page.status_code == 200, rt.slug
        html = page.content.decode()
        assert "西山" not in html, rt.slug
        if is_shared(rt.model):
            continue
        mine, theirs = owned_ids(rt.model, two["A"]), owned_ids(rt.model, two["B"])
        for pk in mine:
            detail = client.get(f"/records/{rt.slug}/{pk}/")
            assert detail.status_code == 200, rt.slug
            assert "西山" not in detail.content.decode(), rt.slug
        for pk in theirs:
            assert client.get(f"/records/{rt.slug}/{pk}/").status_code in (403, 404), (rt.slug, pk)
            assert client.get(f"/records/{rt.slug}/{pk}/edit/").status_code in (403, 404), (rt.slug, pk)
        export = client.get(f"/records/{rt.slug}/export.xlsx")
        if export.status_code == 200:
            from io import BytesIO

            from openpyxl import load_workbook

            book = load_workbook(BytesIO(export.content), read_only=True)
            cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
            assert not [c for c in cells if "西山" in c], rt.slug
    # Drop-downs of a new record offer only the user's brigade's streets, stations and units.
    form = web(user_of(TRAINING, brigade=two["A"])).get("/records/activities/new/").content.decode()
    assert "东城街道" in form and "西山" not in form


def test_every_api_endpoint_lists_and_reads_only_the_users_brigade(two):
    from brigade.api.resources import RESOURCES
    from brigade.core.tenancy import is_shared

    client = api(user_of(LEADER, brigade=two["A"]))
    for resource in RESOURCES:
        body = client.get(f"/api/{resource.path}/?page_size=500")
        assert body.status_code == 200, resource.path
        ids = {row["id"] for row in body.json()["results"]}
        assert ids == owned_ids(resource.model, two["A"]) or not ids - owned_ids(resource.model, two["A"]), \
            resource.path
        assert "西山" not in body.content.decode(), resource.path
        if is_shared(resource.model):
            continue
        for pk in owned_ids(resource.model, two["B"]):
            assert client.get(f"/api/{resource.path}/{pk}/").status_code == 404, (resource.path, pk)


def test_map_layers_metrics_and_worklist_keep_to_the_brigade(two):
    from brigade.core.maplayers import LAYERS

    client = web(user_of(LEADER, brigade=two["A"]))
    for slug in LAYERS:
        layer = client.get(f"/map/layers/{slug}.geojson")
        assert layer.status_code == 200, slug
        assert "西山" not in layer.content.decode(), slug
    shown = client.get("/map/layers/streets.geojson").json()["features"]
    assert [f["properties"]["title"] for f in shown] == ["东城街道"]
    worklist = client.get("/worklist/?on=2025-03-10").content.decode()
    assert "东城物流公司" in worklist and "西山" not in worklist
    assert "西山" not in client.get("/risk/?month=2025-03").content.decode()
    from brigade.core.scope import SCOPE_KINDS

    if "brigades" in SCOPE_KINDS:  # figures of one brigade (brigade:名称) come with the metrics' part of issue 20
        for page in ("/reports/?period=2025", "/dashboard/?period=2025"):
            assert "西山" not in client.get(page).content.decode(), page
    field = web(user_of(SUPERVISION, brigade=two["A"])).get("/field/data.json")
    assert field.status_code == 200 and "东城物流公司" in field.content.decode()
    assert "西山" not in field.content.decode()
    # Another brigade's street is not a scope a leader of this one may ask for.
    refused = api(user_of(LEADER, brigade=two["A"], name="leader-api")).get(
        "/api/metrics/?period=2025&scope=street:西山街道")
    assert refused.status_code == 403 and "东城区大队" in refused.json()["detail"]


def test_a_liaison_sees_their_street_only(two):
    client = api(user_of(LIAISON, street=two["a"]["street"]))
    body = client.get("/api/hazards/").json()
    assert [row["id"] for row in body["results"]] == [two["a"]["hazard"].pk]


def test_a_user_of_no_brigade_sees_nothing_when_there_are_several(two):
    user = User.objects.create_user("drifter", password=None)
    assign_role(user, SUPERVISION)
    assert web(user).get("/records/hazards/").status_code == 403
    response = api(user).post("/api/interviews/", {"held_on": "2025-05-05", "site_category": "school",
                                                    "people_count": 3}, format="json")
    assert response.status_code == 403 and "尚未归属任何大队" in response.json()["detail"]


def test_the_detachment_reads_every_brigade_and_writes_nothing(two):
    from brigade.supervision.models import Interview

    user = user_of(DETACHMENT, name="zhidui")
    client, rest = web(user), api(user)
    page = client.get("/records/hazards/").content.decode()
    assert "东城物流公司" in page and "西山物流公司" in page
    assert {r["id"] for r in rest.get("/api/incidents/").json()["results"]} == \
        owned_ids(Interview.objects.model._meta.apps.get_model("response", "Incident"), two["A"]) | \
        owned_ids(Interview.objects.model._meta.apps.get_model("response", "Incident"), two["B"])
    before = Interview.objects.count()
    refused = rest.post("/api/interviews/", {"held_on": "2025-05-05", "site_category": "school",
                                             "people_count": 3}, format="json")
    assert refused.status_code == 403 and "支队机关人员只能查看" in refused.json()["detail"]
    form = client.post("/records/interviews/new/", {"held_on": "2025-05-05", "site_category": "school",
                                                     "people_count": 3})
    assert form.status_code == 403 and "支队机关人员只能查看" in form.content.decode()
    hazard = two["b"]["hazard"]
    step = client.post(f"/records/hazards/{hazard.pk}/steps/rectify/", {"rectified_on": "2025-03-10"})
    assert step.status_code == 403 and "支队机关人员只能查看" in step.content.decode()
    imported = client.get("/import/")
    assert imported.status_code == 403 and "支队机关人员只能查看" in imported.content.decode()
    assert Interview.objects.count() == before


def test_a_record_tied_to_two_brigades_is_refused_naming_both(two):
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="alcohol_check")
    row = Activity(occurred_on=D(2025, 2, 1), kind=kind, values={"count": 1, "people": 3},
                   street=two["a"]["street"], station=two["b"]["station"])
    with pytest.raises(ValidationError) as err:
        row.full_clean()
    text = " ".join(err.value.messages)
    assert "东城街道" in text and "东城区大队" in text and "西山站" in text and "西山县大队" in text
    with pytest.raises(ValidationError):  # the save itself refuses it too (a service, a script)
        row.save()
    assert not Activity.objects.filter(street=two["a"]["street"], station=two["b"]["station"]).exists()


def test_the_form_and_the_api_refuse_another_brigades_street(two):
    from brigade.supervision.models import Interview

    user = user_of(SUPERVISION, brigade=two["A"])
    before = Interview.objects.count()
    response = api(user).post("/api/interviews/", {"held_on": "2025-05-05", "site_category": "school",
                                                    "people_count": 3, "street": two["b"]["street"].pk},
                              format="json")
    assert response.status_code == 400 and "street" in response.json()
    page = web(user).post("/records/interviews/new/", {"held_on": "2025-05-05", "site_category": "school",
                                                        "people_count": 3, "street": two["b"]["street"].pk})
    assert page.status_code == 200 and "选择一个有效的选项" in page.content.decode()
    assert Interview.objects.count() == before
    # Its own street: saved, and the record belongs to the user's brigade.
    ok = api(user).post("/api/interviews/", {"held_on": "2025-05-05", "site_category": "school",
                                              "people_count": 3}, format="json")
    assert ok.status_code == 201, ok.json()
    assert Interview.objects.get(pk=ok.json()["id"]).brigade == two["A"]


def test_an_import_writes_only_into_the_users_brigade(two, tmp_path):
    from openpyxl import Workbook

    from brigade.io.importer import import_file
    from brigade.units.models import SocialUnit

    book = Workbook()
    sheet = book.active
    sheet.append(["单位名称", "统一社会信用代码", "场所类别", "镇街"])
    sheet.append(["东城新单位", make_credit_code(501), "物流仓储", "东城街道"])
    sheet.append(["西山新单位", make_credit_code(502), "物流仓储", "西山街道"])
    path = tmp_path / "units.xlsx"
    book.save(path)
    report = import_file(path, ledger="social_unit", brigade=two["A"].pk)
    assert not report.ok
    [error] = report.errors
    assert str(error) == "第3行【镇街】：镇街“西山街道”属于西山县大队，不能导入本大队（东城区大队）的台账。"
    # The same file uploaded by an officer of 东城: the preview refuses the row, nothing is written.
    client = web(user_of(SUPERVISION, brigade=two["A"]))
    with path.open("rb") as fh:
        page = client.post("/import/", {"ledger": "social_unit", "file": fh}).content.decode()
    assert "镇街“西山街道”属于西山县大队，不能导入本大队（东城区大队）的台账。" in page
    assert not SocialUnit.objects.filter(name__in=["东城新单位", "西山新单位"]).exists()


def test_one_brigade_database_needs_no_brigade_group(town):
    """Today's single-brigade set-up: a leader with no ``大队:`` group sees the brigade, writes as before."""
    user = User.objects.create_user("solo", password=None)
    assign_role(user, COMMAND)
    body = api(user).get("/api/incidents/").json()
    assert body["count"] == 5
    ok = api(user).post("/api/hydrants/", {"code": "XHS-NEW", "street": town["a"].pk}, format="json")
    assert ok.status_code == 201, ok.json()
