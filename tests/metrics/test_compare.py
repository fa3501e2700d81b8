"""The detachment's comparison: figures from each brigade's own records, ranks, quartiles, outliers,
"无数据" for a brigade without records, the .xlsx read back, the command and the page."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command

from brigade.core.period import parse_period
from brigade.metrics.compare import MEASURES, NO_DATA, compare_brigades

pytestmark = pytest.mark.django_db
YEAR = parse_period("2025")


@pytest.fixture
def detachment(db):
    """The three demo profiles at a small scale, and a fourth brigade with streets but no records."""
    from brigade.demo.detachment import PROFILES, build_brigade
    from brigade.org.models import Brigade, Street

    for profile in PROFILES:
        build_brigade(profile, seed=3, years=[2025], until=dt.date(2025, 12, 31), scale=0.08,
                      data_dir=Path(settings.BRIGADE_DATA_DIR))
    empty = Brigade.objects.create(name="新建大队", population=300_000)
    Street.objects.create(brigade=empty, name="新建街道")
    return Brigade.objects.order_by("name")


def test_rows_ranks_quartiles_and_no_data(detachment):
    from brigade.core.scope import parse_scope
    from brigade.metrics.registry import compute

    c = compare_brigades(YEAR)
    rows = {r.brigade: r for r in c.rows}
    assert set(rows) == set(detachment.values_list("name", flat=True))
    empty = rows["新建大队"]
    # No record of the period: every figure is missing, not zero, and has no rank.
    assert all(v is None for v in empty.values.values()) and all(r is None for r in empty.ranks.values())
    urban, rural, overdue = (rows[f"{d}消防救援大队（演示）"] for d in ("兰山区", "沂水县", "罗庄区"))
    # Each figure is the brigade's own metric.
    own = compute(YEAR, parse_scope(f"brigade:{urban.brigade}"), ["response.p90_total_response_s"], with_previous=False)
    assert urban.values["p90_first_arrival_s"] == round(own.value("response.p90_total_response_s"))
    # The characters show, and rank accordingly.
    assert urban.ranks["p90_first_arrival_s"] == 1 and rural.ranks["p90_first_arrival_s"] == 3
    assert overdue.ranks["hazards_overdue"] == 3 and overdue.ranks["rectified_on_time_pct"] == 3
    assert rural.values["scba_short"] > urban.values["scba_short"] == 0
    # Quartiles over the three brigades with a value.
    s = c.stats["hazards_overdue"]
    values = sorted(r.values["hazards_overdue"] for r in (urban, rural, overdue))
    assert s["n"] == 3 and s["median"] == values[1]
    # Alarms per 10,000 residents from the brigade's population.
    assert urban.values["alarms_per_10k"] == pytest.approx(
        10_000 * compute(YEAR, parse_scope(f"brigade:{urban.brigade}"), ["response.alarms"],
                         with_previous=False).value("response.alarms") / 1_250_000, abs=0.01)


def test_xlsx_read_back_and_json(detachment, tmp_path):
    out = tmp_path / "对比.xlsx"
    call_command("compare", "--period", "2025", "--format", "xlsx", "--out", str(out), stdout=StringIO())
    ws = openpyxl.load_workbook(out)["对比"]
    header = [c.value for c in ws[2]]
    assert header[0] == "大队" and header[1] == f"{MEASURES[0].label}（{MEASURES[0].unit}）"
    by_name = {row[0]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert by_name["新建大队"][1:len(MEASURES) + 1] == (NO_DATA,) * len(MEASURES)
    assert isinstance(by_name["兰山区消防救援大队（演示）"][1], float)
    assert "全支队中位数" in by_name
    buf = StringIO()
    call_command("compare", "--period", "2025", "--format", "json", "--brigades", "兰山区消防救援大队（演示）,新建大队",
                 stdout=buf)
    data = json.loads(buf.getvalue())
    assert [b["brigade"] for b in data["brigades"]] == ["兰山区消防救援大队（演示）", "新建大队"]
    assert data["brigades"][1]["values"]["hazards_overdue"] is None


def test_unknown_brigade_is_named_in_chinese(detachment):
    from brigade.core.errors import UserError

    with pytest.raises(UserError, match="没有名为“不存在”的大队"):
        compare_brigades(YEAR, ["不存在"])


def test_outliers_become_findings(detachment):
    from brigade.metrics.compare import Comparison, Row, _outliers, _quartiles, outlier_findings

    rows = [Row(f"{i}大队", {m.code: None for m in MEASURES}) for i in range(5)]
    for i, r in enumerate(rows):
        r.values["hazards_overdue"] = [10, 12, 11, 13, 90][i]
    stats = {m.code: _quartiles([r.values[m.code] for r in rows]) for m in MEASURES}
    c = Comparison(YEAR, rows, stats, _outliers(rows, stats))
    assert [(o["brigade"], o["bad"]) for o in c.outliers] == [("4大队", True)]
    (finding,) = outlier_findings(c)
    assert finding.part == "Q1" and "4大队" in finding.statement and "90处" in finding.statement


def test_compare_page(client, detachment, django_user_model):
    from brigade.core.roles import assign_role

    staff = django_user_model.objects.create_user("detachment", password="x")
    assign_role(staff, "detachment")
    client.force_login(staff)
    html = client.get("/compare/?period=2025").content.decode()
    assert "大队对比" in html and "兰山区消防救援大队（演示）" in html and NO_DATA in html
    assert "全支队中位数" in html
    download = client.get("/compare/2025.xlsx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert "期间" in client.get("/compare/?period=20x5").content.decode()  # a bad period is named
    for role in ("leader", "supervision"):  # a brigade's own users see only their brigade
        user = django_user_model.objects.create_user(role, password="x")
        assign_role(user, role)
        client.force_login(user)
        assert client.get("/compare/?period=2025").status_code == 403
