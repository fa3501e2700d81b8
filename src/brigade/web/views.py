"""Pages that are not generic record pages: home, dashboard, map, reports."""

import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from brigade.core import maplayers as maps
from brigade.core.access import brigade_filter, can_view, held_scope, in_brigade, scoped
from brigade.core.errors import UserError
from brigade.core.period import Period, parse_period
from brigade.core.records import RECORD_TYPES
from brigade.core.roles import (
    ADMIN,
    COMMAND,
    DETACHMENT,
    LEADER,
    LIAISON,
    SUPERVISION,
    TRAINING,
    Access,
    access_for,
)
from brigade.core.scope import Scope, parse_scope
from brigade.metrics.registry import compute
from brigade.metrics.rows import metric_rows
from brigade.supervision.selectors import overdue_hazards
from brigade.web import dashboard as dash
from brigade.web.context_processors import PAGE_TITLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def require_role(request) -> Access:
    access = access_for(request.user)
    if access.role is None:
        raise PermissionDenied("您的账号尚未分配角色，请联系系统管理员。")
    return access


def period_and_scope(request, access: Access) -> tuple[Period, Scope, list[str]]:
    """The period and scope chosen in the query string; a liaison is held to their own street."""
    errors = []
    try:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else dash.default_period()
    except UserError as exc:
        errors.append(str(exc))
        period = dash.default_period()
    if access.is_limited:
        return period, parse_scope(held_scope(access, None)), errors
    try:
        scope = parse_scope(held_scope(access, request.GET.get("scope")))
    except UserError as exc:
        errors.append(str(exc))
        try:
            scope = parse_scope(held_scope(access, None))
        except UserError as again:  # the user's own scope cannot be computed: say so, not a server error
            raise PermissionDenied(str(again)) from again
    return period, scope, errors


def scope_choices(access: Access) -> list[tuple[str, str]]:
    from brigade.org.models import Brigade, Station, Street

    if access.is_limited:
        return [(access.scope_key or "", access.label)]
    streets, stations = in_brigade(Street.objects.all(), access), in_brigade(Station.objects.all(), access)
    if access.brigade_scope_key:  # a brigade's own user: their brigade, its streets and stations
        head = [(access.brigade_scope_key, access.brigade_label)]
    else:  # admin and detachment staff: the whole database, and each brigade when there are several
        brigades = list(Brigade.objects.order_by("name").values_list("name", flat=True))
        several = [("detachment", "全支队")] + [(f"brigade:{n}", n) for n in brigades] if len(brigades) > 1 else []
        head = [("brigade", "全大队")] + several
    return (head + [(f"street:{n}", n) for n in streets.order_by("code", "name").values_list("name", flat=True)]
            + [(f"station:{n}", n) for n in stations.order_by("name").values_list("name", flat=True)])


def period_context(request, access: Access) -> dict:
    period, scope, errors = period_and_scope(request, access)
    return {"period": period, "scope": scope, "errors": errors, "scopes": scope_choices(access),
            "query": f"period={quote(period.key)}&scope={quote(scope.key)}"}


# ---- home ------------------------------------------------------------------------------------

ROLE_SHORTCUTS = {
    ADMIN: ["dashboard", "map", "reports", "hazards", "incidents", "activities"],
    LEADER: ["dashboard", "reports", "map", "hazards", "incidents"],
    SUPERVISION: ["field", "worklist", "hazards", "inspections", "units", "enforcement-actions", "campaigns", "map"],
    COMMAND: ["incidents", "dispatches", "vehicles", "hydrants", "map", "dashboard"],
    TRAINING: ["activities", "activity-kinds", "dashboard"],
    LIAISON: ["dashboard", "units", "hazards", "map"],
    DETACHMENT: ["dashboard", "map", "hazards", "incidents"],
}


@login_required
def home(request):
    access = access_for(request.user)
    shortcuts = []
    for key in ROLE_SHORTCUTS.get(access.role, []):
        if key in PAGE_TITLES:
            shortcuts.append((PAGE_TITLES[key], reverse(f"web:{key}")))
        elif can_view(RECORD_TYPES[key], access):
            shortcuts.append((RECORD_TYPES[key].title, reverse("web:record-list", args=[key])))
    worklist = []
    if access.role in (SUPERVISION, LEADER, ADMIN, LIAISON) and can_view(RECORD_TYPES["hazards"], access):
        # Hazards past their deadline and not yet rectified: the supervision officer's worklist.
        today = timezone.localdate()
        rows = overdue_hazards(today, scoped(RECORD_TYPES["hazards"], access))
        worklist = list(rows.select_related("unit").order_by("deadline")[:20])
    return render(request, "web/home.html", {"shortcuts": shortcuts, "worklist": worklist, "nav_key": "home"})


# ---- worklist --------------------------------------------------------------------------------

@login_required
def worklist_page(request):
    """What is due soon or late (supervision's statutory deadlines), for the brigade or one street."""
    import datetime as dt

    from brigade.supervision.worklist import KIND_LABELS, worklist

    access = require_role(request)
    if access.role not in (ADMIN, LEADER, SUPERVISION, LIAISON, DETACHMENT) or (
            access.is_limited and not access.street_id):
        raise PermissionDenied("您的角色没有监督待办事项。")
    errors = []
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else timezone.localdate()
    except ValueError:
        errors.append(f"日期“{request.GET['on']}”无法识别，请按 2025-03-05 的格式填写。")
        on = timezone.localdate()
    officer = request.GET.get("officer", "").strip() or None
    kind = request.GET.get("kind", "")
    result = worklist(on=on, officer=officer, street=access.label if access.is_limited else None,
                      brigade=brigade_filter(access))
    items = [i for i in result.items if not kind or i.kind == kind]
    items.sort(key=lambda i: (i.due_on, i.kind))
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    keep = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "web/worklist.html", {
        "on": on, "horizon_end": result.horizon_end, "page": page, "officer": officer or "", "kind": kind,
        "kinds": KIND_LABELS, "errors": errors, "keep": keep, "nav_key": "worklist", "notes": result.calendar_notes,
        "counts": {label: len(result.of_kind(k)) for k, label in KIND_LABELS.items()}})


# ---- dashboard -------------------------------------------------------------------------------

@login_required
def dashboard(request):
    access = require_role(request)
    ctx = period_context(request, access)
    charts = []
    for chart in dash.CHARTS:
        if dash.available(chart, ctx["scope"]):
            data = dash.chart_data(chart, ctx["period"], ctx["scope"])
            header, rows = dash.chart_rows(data)
            charts.append({"chart": chart, "data": data, "header": header, "rows": rows})
    ctx.update({"figures": dash.key_figures(ctx["period"], ctx["scope"]), "charts": charts,
                "nav_key": "dashboard"})
    return render(request, "web/dashboard.html", ctx)


@login_required
def chart_download(request, slug):
    access = require_role(request)
    chart = dash.CHARTS_BY_SLUG.get(slug)
    period, scope, errors = period_and_scope(request, access)
    if chart is None or not dash.available(chart, scope):
        raise Http404("没有这张图表。")
    data = dash.chart_data(chart, period, scope)
    response = HttpResponse(dash.chart_xlsx(data), content_type=XLSX)
    name = f"{chart.title}_{period.key}_{scope.label}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ---- map -------------------------------------------------------------------------------------

@login_required
def map_page(request):
    access = require_role(request)
    ctx = period_context(request, access)
    layers = [{"slug": layer.slug, "title": layer.title, "geometry": layer.geometry, "color": layer.color,
               "on": layer.on, "url": reverse("web:map-layer", args=[layer.slug])
               + (f"?period={quote(ctx['period'].key)}" if layer.uses_period else "")}
              for layer in maps.LAYERS.values()]
    ctx.update({"layers": layers, "nav_key": "map"})
    return render(request, "web/map.html", ctx)


class MarkupFreeJSONEncoder(DjangoJSONEncoder):
    """JSON whose strings carry no raw <, > or & (as ``json_script`` writes them): a record named
    ``<script>`` stays inert even where a browser or proxy would sniff the response as HTML."""

    def encode(self, o):
        return super().encode(o).translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})


@login_required
def map_layer(request, slug):
    access = require_role(request)
    layer = maps.LAYERS.get(slug)
    if layer is None:
        raise Http404("没有这个图层。")
    period = None
    if layer.uses_period and request.GET.get("period"):
        try:
            period = parse_period(request.GET["period"])
        except UserError as exc:
            return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(maps.collection(layer, access, period), encoder=MarkupFreeJSONEncoder,
                        json_dumps_params={"ensure_ascii": False})


# ---- reports ---------------------------------------------------------------------------------

def report_reader(request) -> Access:
    access = require_role(request)
    if access.role not in (ADMIN, LEADER):
        raise PermissionDenied("工作总结仅供大队领导和系统管理员查看。")
    return access


def report_service():
    """The reports package's entry points, or None while it is not installed yet."""
    try:
        from brigade.reports import service
        from brigade.reports.preview import to_html
    except ImportError:
        return None
    return service, to_html


@login_required
def reports(request):
    access = report_reader(request)
    ctx = period_context(request, access)
    ctx.update({"rows": metric_rows(compute(ctx["period"], ctx["scope"])), "nav_key": "reports",
                "runs": evaluation_runs(ctx["period"], access, ctx["scope"]),
                "preview": None, "problem": None, "ready": report_service() is not None})
    if ctx["ready"] and not ctx["errors"]:
        service, to_html = report_service()
        try:
            document, _ = service.report_document(period=ctx["period"], scope=ctx["scope"],
                                                  redact=request.GET.get("redact") == "1")
        except UserError as exc:
            ctx["problem"] = str(exc)
        else:
            ctx["preview"] = to_html(document, standalone=False)
    return render(request, "web/reports.html", ctx)


def evaluation_runs(period: Period, access: Access, scope=None) -> list:
    """The monthly evaluation runs inside the period (of the user's brigade, and of the brigades of the
    scope), for their bulletins; each run is one brigade's."""
    try:
        from brigade.evaluation.models import EvaluationRun
    except ImportError:
        return []
    runs = in_brigade(EvaluationRun.objects.filter(month__range=(period.start, period.end)), access)
    if scope is not None and scope.filters_brigades:
        runs = runs.filter(brigade_id__in=scope.brigade_ids)
    return list(runs.select_related("rubric", "brigade").order_by("-month", "rubric__name", "brigade_id")[:24])


REPORT_FILES = {  # URL name → (suffix, redacted, content type, name suffix)
    "docx": (".docx", False, DOCX, ""),
    "redacted-docx": (".docx", True, DOCX, "（脱敏）"),
    "xlsx": (".xlsx", False, XLSX, "（指标附表）"),
}


@login_required
def report_file(request, kind):
    """The work summary as Word, its redacted twin, or the metrics appendix, for the chosen period."""
    access = report_reader(request)
    if kind not in REPORT_FILES:
        raise Http404("没有这种文件。")
    suffix, redact, content_type, label = REPORT_FILES[kind]
    period, scope, errors = period_and_scope(request, access)
    title = f"{scope.label}{period.label}工作总结{label}"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report{suffix}"
        ready = report_service()
        try:
            if ready:
                ready[0].report_generate(period=period, scope=scope, out=out, redact=redact)
            elif kind == "xlsx":
                from brigade.reports.workbook import write_metrics_xlsx

                write_metrics_xlsx(metric_rows(compute(period, scope)), out, title=title)
            else:
                raise Http404("工作总结正文的生成功能尚未安装。")
        except UserError as exc:
            messages.error(request, str(exc))
            return redirect(reverse("web:reports") + f"?period={quote(period.key)}&scope={quote(scope.key)}")
        content = out.read_bytes()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + suffix)}"
    return response


# ---- evaluation bulletin ---------------------------------------------------------------------

@login_required
def evaluation_notice(request, pk):
    """The month's evaluation bulletin (考评通报): preview in the page, Word and redacted Word downloads."""
    from brigade.evaluation.models import EvaluationRun
    from brigade.evaluation.notice import evaluation_notice as build
    from brigade.evaluation.notice import evaluation_write_notice
    from brigade.reports.preview import to_html

    access = report_reader(request)
    run = get_object_or_404(in_brigade(EvaluationRun.objects.select_related("rubric"), access), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("docx", "redacted-docx"):
        redact = fmt == "redacted-docx"
        name = f"{run}考评通报{'（脱敏）' if redact else ''}.docx"
        with tempfile.TemporaryDirectory() as tmp:
            path = evaluation_write_notice(run=run, path=Path(tmp) / "notice.docx", redact=redact)
            content = Path(path).read_bytes()
        response = HttpResponse(content, content_type=DOCX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    redact = request.GET.get("redact") == "1"
    return render(request, "web/evaluation_notice.html", {
        "run": run, "preview": to_html(build(run=run), redact=redact, standalone=False), "redact": redact,
        "nav_key": "reports"})
