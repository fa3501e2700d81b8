"""The dashboard's figures and charts, declared by metric code; every number comes from the registry.

A chart is ``monthly`` (one ``compute`` per calendar month of the period), ``compare`` (the period
against the same period a year earlier) or ``by_station`` (one ``compute`` per station in the scope). A chart whose metrics are not registered
is left out, so a chart can be declared before its metrics exist.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from django.db.models import Max
from django.utils import timezone

from brigade.core.period import Period, month_periods, parse_period
from brigade.core.scope import Scope
from brigade.metrics.cache import compute_cached
from brigade.metrics.registry import all_metrics
from brigade.metrics.rows import metric_rows
from brigade.response.metrics.times import percentile_code
from brigade.response.rules import percentiles

KEY_FIGURES = (
    "response.alarms",
    "response.fire",
    "supervision.units_inspected",
    "supervision.hazards_found",
    "supervision.hazards_rectified",
    "supervision.hazards_overdue",
    "supervision.penalty_cases",
    "supervision.fines",
    "publicity.people_trained",
    "fleet.vehicles",
    "water.hydrants",
    "water.hydrants_damaged",
    "risk.draw_overdue",
)


@dataclass(frozen=True)
class Chart:
    slug: str
    heading: str | Callable[[], str]  # a function where the title follows configuration
    metric_codes: tuple[str, ...] | Callable[[], tuple[str, ...]]
    kind: str  # "monthly" | "compare" | "by_station" | "by_street"
    style: str = "bar"  # "bar" | "line"
    stacked: bool = False

    @property
    def title(self) -> str:
        return self.heading() if callable(self.heading) else self.heading

    @property
    def codes(self) -> tuple[str, ...]:
        return self.metric_codes() if callable(self.metric_codes) else self.metric_codes


def _response_time_codes() -> tuple[str, ...]:
    """Total response and travel at each configured percentile (50 and 90 as shipped)."""
    return tuple(percentile_code(q, name) for name in ("total_response", "travel") for q in percentiles())


def _response_time_title() -> str:
    return f"各站响应时间（秒，第{'/'.join(f'{q:g}' for q in percentiles())}百分位）"


CHARTS: tuple[Chart, ...] = (
    Chart("incidents-by-month", "各月警情（按类别）",
          ("response.fire", "response.rescue", "response.assistance", "response.duty", "response.false"),
          "monthly", stacked=True),
    Chart("hazards-by-month", "各月火灾隐患：发现、整改、逾期未改",
          ("supervision.hazards_found", "supervision.hazards_rectified", "supervision.hazards_overdue"),
          "monthly", style="line"),
    Chart("enforcement", "执法处理成效（同比）",
          ("supervision.penalty_cases", "supervision.seal_ups", "supervision.stop_orders",
           "supervision.government_listings", "supervision.detentions", "supervision.people_warned"), "compare"),
    Chart("publicity", "宣传教育覆盖（同比）",
          ("publicity.outreach_events", "publicity.online_trainings", "publicity.volunteer_events",
           "publicity.livestreams", "publicity.media_works"), "compare"),
    Chart("publicity-reach", "宣传受众与资料（同比）",
          ("publicity.people_trained", "publicity.materials"), "compare"),
    Chart("campaigns", "专项行动与联合检查（同比）",
          ("supervision.campaigns", "supervision.joint_inspections", "supervision.letters",
           "responsibility.interviews"), "compare"),
    # Declared ahead of their metrics: shown once the registry has them.
    Chart("fleet-age", "消防车车龄分布",
          ("fleet.age_under_5", "fleet.age_5_to_10", "fleet.age_10_to_15", "fleet.age_over_15"), "compare"),
    Chart("response-times", _response_time_title, _response_time_codes, "by_station"),
    Chart("risk-by-street", "各镇街社会单位风险等级（当前）", ("risk.units_high", "risk.units_medium", "risk.units_low"),
          "by_street", stacked=True),
)
CHARTS_BY_SLUG = {c.slug: c for c in CHARTS}


def available(chart: Chart, scope: Scope) -> bool:
    metrics = all_metrics()
    return all(code in metrics for code in chart.codes) and any(
        metrics[code].supports(scope) for code in chart.codes)


def default_period() -> Period:
    """The year of the latest recorded incident or hazard (the demo's year), else this year."""
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard

    latest = [d for d in (
        Incident.objects.aggregate(d=Max("received_at"))["d"],
        Hazard.objects.aggregate(d=Max("found_on"))["d"],
    ) if d is not None]
    if latest:
        year = max(d.year if isinstance(d, dt.date) else timezone.localtime(d).year for d in latest)
    else:
        year = timezone.localdate().year
    return parse_period(str(year))


def key_figures(period: Period, scope: Scope) -> list[dict]:
    codes = [c for c in KEY_FIGURES if c in all_metrics()]
    rows = [row for row in metric_rows(compute_cached(period, scope, codes)) if row["value"] is not None]
    for row in rows:
        row["yoy"], row["trend"] = yoy_text(row)
        row["value_text"], row["previous_text"] = number_text(row["value"]), number_text(row["previous"])
    return rows


def station_scopes(scope: Scope) -> list[Scope]:
    """The stations a chart by station shows: all, those in the street, or the one station."""
    from brigade.org.models import Station

    if scope.kind == "station":
        return [scope]
    rows = Station.objects.order_by("name")
    if scope.kind == "street":
        rows = rows.filter(street_id=scope.pk)
    if scope.filters_brigades:
        rows = rows.filter(brigade_id__in=scope.brigade_ids)
    return [Scope("station", name, pk) for pk, name in rows.values_list("pk", "name")]


def street_scopes(scope: Scope) -> list[Scope]:
    """The streets a chart by street shows: all of them, or the one street (none for a station)."""
    from brigade.org.models import Street

    if scope.kind in ("street", "station"):
        return [scope] if scope.kind == "street" else []
    rows = Street.objects.order_by("code", "name")
    if scope.filters_brigades:
        rows = rows.filter(brigade_id__in=scope.brigade_ids)
    return [Scope("street", name, pk) for pk, name in rows.values_list("pk", "name")]


def number_text(value) -> str:
    """A figure as people write it: thousands separators, at most two decimals, never 1e+06."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def yoy_text(row: dict) -> tuple[str, str]:
    """同比 in words and its direction ("up", "down", ""), from a metric row."""
    change, pct, unit = row["change"], row["change_pct"], row["unit"]
    if change is None:
        return "—", ""
    if change == 0:
        return "持平", ""
    direction = "up" if change > 0 else "down"
    arrow = "↑" if change > 0 else "↓"
    if pct is None:  # no figure a year earlier to divide by
        return f"{arrow}{number_text(abs(change))}{unit}", direction
    return f"{arrow}{number_text(abs(pct))}%", direction


def chart_data(chart: Chart, period: Period, scope: Scope) -> dict:
    """Labels and series of one chart: the numbers of its table, its picture and its .xlsx."""
    metrics = all_metrics()
    codes = [c for c in chart.codes if metrics[c].supports(scope)]
    series = [{"code": c, "label": metrics[c].label, "unit": metrics[c].unit, "values": []} for c in codes]
    if chart.kind == "monthly":
        months = month_periods(period)
        labels = [m.label.removeprefix(f"{m.start.year}年") if m.start.year == period.start.year else m.label
                  for m in months]
        for month in months:
            table = compute_cached(month, scope, codes, with_previous=False)
            for s in series:
                s["values"].append(table.value(s["code"]))
        columns = labels
    elif chart.kind in ("by_station", "by_street"):
        stations = station_scopes(scope) if chart.kind == "by_station" else street_scopes(scope)
        labels = columns = [st.name for st in stations]
        for st in stations:
            table = compute_cached(period, st, codes, with_previous=False)
            for s in series:
                s["values"].append(table.value(s["code"]))
    else:
        table = compute_cached(period, scope, codes)
        labels = [s["label"] for s in series]
        previous_label = period.previous_year().label
        columns = [period.label, previous_label]
        for s in series:
            mv = table[s["code"]]
            s["values"] = [mv.value, mv.previous]
    return {"slug": chart.slug, "title": chart.title, "kind": chart.kind, "style": chart.style,
            "stacked": chart.stacked, "labels": labels, "columns": columns, "series": series,
            "period": period.label, "scope": scope.label}


def chart_rows(data: dict) -> tuple[list[str], list[list]]:
    """The chart's table: header and rows, as shown on the page and written to the workbook."""
    header = ["指标", "单位", *data["columns"]]
    rows = [[s["label"], s["unit"], *s["values"]] for s in data["series"]]
    return header, rows


def chart_xlsx(data: dict) -> bytes:
    """Exactly the chart's numbers as a one-sheet workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from brigade.io.xlsx import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    append_row(ws, [data["title"]])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [f"统计期间：{data['period']}", f"统计范围：{data['scope']}"])
    append_row(ws, [])
    header, rows = chart_rows(data)
    append_row(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(ws, row)
    ws.column_dimensions["A"].width = 28
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
