"""The demo keeps its analyses, and every plan item of the summary (Part 3) rests on them or on the records."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from brigade.core.period import parse_period
from brigade.core.scope import BRIGADE

from .conftest import UNTIL, YEAR

pytestmark = pytest.mark.django_db
PERIOD = parse_period(str(YEAR))


def _findings(part=None):
    from brigade.core.findings import collect_findings

    return [f for f in collect_findings(PERIOD, BRIGADE) if part is None or f.part == part]


def test_the_demo_stores_every_kept_analysis_stamped_with_its_data_date(demo):
    from brigade.planning.kept import run_data_date
    from brigade.planning.models import AnalysisKind, AnalysisRun

    for kind in (AnalysisKind.COVERAGE, AnalysisKind.WATER, AnalysisKind.STATION_SITING,
                 AnalysisKind.HYDRANT_SITING):
        run = AnalysisRun.objects.filter(kind=kind).first()
        assert run is not None, kind
        assert run_data_date(run) == UNTIL
        assert UNTIL.isoformat() in run.name
    coverage = AnalysisRun.objects.get(kind=AnalysisKind.COVERAGE)
    assert coverage.result["isochrones"]["features"]
    assert coverage.result["first_due_zones"]["features"]


def test_map_layers_of_the_stored_analyses_are_not_empty(demo):
    from brigade.core.maplayers import LAYERS, collection
    from brigade.core.roles import LEADER, Access

    for slug in ("isochrones", "first-due-zones"):
        assert collection(LAYERS[slug], Access(LEADER, only_brigade=True), PERIOD)["features"], slug


def test_n2_names_recurring_categories_and_streets_with_numbers(demo):
    (item,) = [f for f in _findings("N2") if f.code == "plan.recurring_focus"]
    assert item.metrics["recurring"] > 0
    assert "处" in item.statement and "按场所" in item.statement and "按镇街" in item.statement
    # The counts named add up to no more than the recurring total.
    assert all(row["再次出现（处）"] <= item.metrics["recurring"] for row in item.evidence)


def test_n3_names_sites_by_street_and_road_with_coverage_before_and_after(demo):
    from brigade.org.models import Street
    from brigade.resources.models import Road

    items = {f.code: f for f in _findings("N3")}
    sites = items["planning.station_siting"]
    streets = set(Street.objects.values_list("name", flat=True))
    roads = set(Road.objects.values_list("name", flat=True))
    for row in sites.evidence:
        assert row["镇街"] in streets and row["道路"] in roads
        assert f"{row['镇街']}{row['道路']}附近" in sites.statement
        assert row["覆盖率（后）"] >= row["覆盖率（前）"]
    assert sites.evidence[0]["覆盖率（前）"] == pytest.approx(sites.metrics["covered_before_pct"], abs=0.05)
    assert sites.evidence[-1]["覆盖率（后）"] == pytest.approx(sites.metrics["covered_after_pct"], abs=0.05)
    # "最优" only as the solver's own verdict: proven, or not proven with its gap.
    from brigade.analysis.siting import status_label
    from brigade.planning.models import AnalysisKind, AnalysisRun

    summary = AnalysisRun.objects.filter(kind=AnalysisKind.STATION_SITING).first().summary
    assert f"该方案{status_label(summary['status'], summary.get('gap'))}" in sites.statement
    assert ("已证明最优" in sites.statement) is (summary["status"] == "optimal")
    hydrants = items["planning.hydrant_siting"]
    assert sum(r["补建（个）"] for r in hydrants.evidence) == hydrants.metrics["new_hydrants"]
    assert hydrants.evidence[0]["道路"] in hydrants.statement


def test_n3_lists_vehicles_due_by_the_end_of_next_year(demo):
    from brigade.resources.models import Vehicle

    items = {f.code: f for f in _findings("N3")}
    due = items["planning.vehicles_due"]
    end = dt.date(YEAR + 1, 12, 31)
    for row in due.evidence:
        v = Vehicle.objects.get(plate=row["车牌号"])
        assert (end - v.commissioned_on).days / 365.25 > 15
    assert f"{YEAR + 1}年更新计划" in due.statement


def test_n4_says_what_to_record_when_case_review_results_are_missing(demo):
    (item,) = [f for f in _findings("N4") if f.code == "plan.case_review"]
    assert item.metrics["files"] == 0 and item.metrics["sessions"] > 0
    assert "登记" in item.statement and "文书制作" in item.statement


def test_n4_reports_files_and_defects_when_recorded(demo):
    from brigade.ledger.models import Activity, ActivityKind

    kind = ActivityKind.objects.get(code="case_review")
    row = Activity.objects.create(kind=kind, occurred_on=dt.date(YEAR, 6, 30),
                                  values={"count": 1, "files": 12, "defect_证据收集": 3, "defect_文书制作": 5})
    try:
        (item,) = [f for f in _findings("N4") if f.code == "plan.case_review"]
        assert item.metrics["files"] == 12
        assert "评查案卷12卷" in item.statement and "文书制作5个" in item.statement
    finally:
        row.delete()


def test_a_plan_item_older_than_its_data_says_on_what_data_it_rests(demo):
    from brigade.planning.models import AnalysisKind, AnalysisRun

    run = AnalysisRun.objects.filter(kind=AnalysisKind.STATION_SITING).first()
    kept = dict(run.params)
    run.params = {**kept, "data_as_of": f"{YEAR}-11-30"}
    run.save()
    try:
        sites = next(f for f in _findings("N3") if f.code == "planning.station_siting")
        assert f"分析基于{YEAR}-11-30的数据" in sites.statement
    finally:
        run.params = kept
        run.save()
    fresh = next(f for f in _findings("N3") if f.code == "planning.station_siting")
    assert "分析基于" not in fresh.statement


def test_a_timed_out_siting_run_reports_its_gap_and_never_claims_the_best(demo):
    from brigade.planning.models import AnalysisKind, AnalysisRun

    run = AnalysisRun.objects.filter(kind=AnalysisKind.STATION_SITING).first()
    kept = dict(run.summary)
    run.summary = {**kept, "status": "time_limit", "gap": 0.034}
    run.save()
    try:
        sites = next(f for f in _findings("N3") if f.code == "planning.station_siting")
        assert "未证明最优（求解时限已到，与已证明的界相差 3.4%）" in sites.statement
        assert "已证明最优" not in sites.statement
    finally:
        run.summary = kept
        run.save()


def test_analyse_command_stores_a_fresh_set_and_refuses_bad_input(demo):
    from brigade.core.errors import UserError
    from brigade.planning.models import AnalysisRun

    before = AnalysisRun.objects.count()
    out = io.StringIO()
    call_command("analyse", "--new-stations", "1", stdout=out)
    assert f"数据截至{UNTIL.isoformat()}" in out.getvalue()
    assert AnalysisRun.objects.count() == before + 4
    with pytest.raises(UserError, match="--time-limit"):
        call_command("analyse", "--time-limit", "0")
    with pytest.raises(UserError, match="新建消防站数"):
        call_command("analyse", "--new-stations", "0")
    assert AnalysisRun.objects.count() == before + 4
