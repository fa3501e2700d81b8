"""The dashboard shows registry figures only; each chart's table and .xlsx hold exactly its numbers."""

import io

from openpyxl import load_workbook

from brigade.core.period import parse_period
from brigade.core.scope import parse_scope
from brigade.metrics.registry import compute
from brigade.web import dashboard as dash


def test_key_figures_with_year_on_year(login, world):
    html = login("leader").get("/dashboard/?period=2025").content.decode()
    assert "接处警" in html and "同比" in html and "上年同期" in html
    assert "各月警情（按类别）" in html and "下载 Excel" in html


def test_default_period_is_the_latest_data_year(login, world):
    html = login("leader").get("/dashboard/").content.decode()
    assert 'value="2025"' in html


def test_monthly_chart_numbers_come_from_the_registry(world):
    period, scope = parse_period("2025"), parse_scope("street:九曲街道")
    data = dash.chart_data(dash.CHARTS_BY_SLUG["incidents-by-month"], period, scope)
    assert len(data["labels"]) == 12 and data["labels"][3] == "4月"
    fires = next(s for s in data["series"] if s["code"] == "response.fire")
    assert fires["values"][3] == compute(parse_period("2025-04"), scope, ["response.fire"]).value("response.fire") == 1
    assert sum(fires["values"]) == compute(period, scope, ["response.fire"]).value("response.fire")


def test_chart_xlsx_matches_the_table(login, world):
    client = login("leader")
    for chart in dash.CHARTS:
        if not dash.available(chart, parse_scope("brigade")):
            continue
        response = client.get(f"/dashboard/charts/{chart.slug}.xlsx?period=2025&scope=brigade")
        assert response.status_code == 200, chart.slug
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, rows = dash.chart_rows(dash.chart_data(chart, parse_period("2025"), parse_scope("brigade")))
        got = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]
        assert got[0] == header
        assert got[1:] == rows, chart.slug


def test_unknown_chart_is_404(login, world):
    assert login("leader").get("/dashboard/charts/nope.xlsx").status_code == 404


def test_chart_declared_before_its_metrics_is_left_out(world):
    chart = dash.Chart("x", "未来的图表", ("no.such_metric",), "compare")
    assert not dash.available(chart, parse_scope("brigade"))


def test_numbers_are_written_plainly():
    assert dash.number_text(2413000.0) == "2,413,000"
    assert dash.number_text(12.5) == "12.5"
    assert dash.number_text(None) == "—"
    row = {"change": 2413000.0, "change_pct": None, "unit": "元"}
    assert dash.yoy_text(row) == ("↑2,413,000元", "up")
    assert dash.yoy_text({"change": -3, "change_pct": -25.0, "unit": "起"}) == ("↓25%", "down")
    assert dash.yoy_text({"change": 0, "change_pct": 0.0, "unit": "起"}) == ("持平", "")


FORMULA_NAME = "=cmd|' /c calc'!A1"


def test_chart_xlsx_writes_formula_looking_names_as_text(login, world):
    """A station named like a formula is a column heading in a downloaded table, never a live formula."""
    from brigade.org.models import Station

    Station.objects.filter(pk=Station.objects.order_by("pk").first().pk).update(name=FORMULA_NAME)
    response = login("leader").get("/dashboard/charts/response-times.xlsx?period=2025&scope=brigade")
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    named = [c for c in cells if c.value == FORMULA_NAME]
    assert named and all(c.data_type == "s" for c in named)
    assert not any(c.data_type == "f" for c in cells)


def test_metrics_appendix_writes_formula_looking_text_as_text(tmp_path):
    from brigade.reports.workbook import COLUMNS, write_metrics_xlsx

    row = {key: None for key, _, _ in COLUMNS} | {"code": "ledger.x.count", "label": FORMULA_NAME, "value": 1}
    path = write_metrics_xlsx([row], tmp_path / "附表.xlsx", title="=1+1")
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
    assert sheet["C3"].value == FORMULA_NAME and sheet["C3"].data_type == "s"
