"""The risk page: grades by street, the month's 双随机 draw (draw, redraw with a reason, notice, export)."""

import datetime as dt
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from brigade.core.access import in_brigade
from brigade.core.errors import UserError
from brigade.core.roles import ADMIN, DETACHMENT, LEADER, NO_BRIGADE, SUPERVISION
from brigade.web.views import DOCX, XLSX, require_role

VIEWERS, DRAWERS = (ADMIN, LEADER, SUPERVISION, DETACHMENT), (ADMIN, LEADER)
UNKNOWN_BRIGADE = "没有名为“{name}”的大队。"


def _viewer(request):
    access = require_role(request)
    if access.role not in VIEWERS:
        raise PermissionDenied("风险分级与双随机抽查仅供大队领导和防火监督员查看。")
    return access


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _default_month() -> str:
    today = timezone.localdate()
    return f"{today.year}-{today.month:02d}"


def _page_brigade(request, access):
    """The brigade whose draw the page shows and draws: the user's own; the administrator and the
    detachment's staff choose one (``brigade=名称``, by default the first) when there are several.
    Returns the brigade (None: no brigade yet) and the names to choose from (empty: no choice)."""
    from brigade.org.models import Brigade

    if access.brigade_id is not None:
        return Brigade.objects.get(pk=access.brigade_id), []
    names = list(Brigade.objects.order_by("pk").values_list("name", flat=True))
    if len(names) <= 1 or not access.every_brigade:
        return Brigade.objects.order_by("pk").first() if access.every_brigade or access.only_brigade else None, []
    asked = (request.POST.get("brigade") or request.GET.get("brigade") or names[0]).strip()
    brigade = Brigade.objects.filter(name=asked).first()
    if brigade is None:
        raise UserError(UNKNOWN_BRIGADE.format(name=asked))
    return brigade, names


@login_required
def risk_page(request):
    from brigade.risk.choices import LEVEL_COLORS, DrawStatus
    from brigade.risk.models import Draw, UnitRisk
    from brigade.risk.selectors import active_rubric, grades_by_street, overdue_draw_items
    from brigade.risk.services.draw import draw_month, draw_verify, parse_month

    access = _viewer(request)
    month_text = (request.POST.get("month") or request.GET.get("month") or _default_month()).strip()
    errors = []
    try:
        month = parse_month(month_text)
    except UserError as exc:
        errors.append(str(exc))
        month = parse_month(_default_month())
    no_brigade = NO_BRIGADE if access.sees_nothing else "尚未建立大队信息，无法抽取。"
    try:
        brigade, brigade_names = _page_brigade(request, access)
    except UserError as exc:
        errors.append(no_brigade := str(exc))
        brigade, brigade_names = None, []
    if request.method == "POST":
        if access.role not in DRAWERS:
            raise PermissionDenied("只有大队领导可以抽取双随机名单。")
        checks = request.POST.get("checks", "").strip()
        try:
            if brigade is None:
                raise UserError(no_brigade)
            if checks and not checks.isdigit():
                raise UserError(f"抽查户数应为正整数（收到“{checks}”）。")
            draw = draw_month(month=month, brigade=brigade, seed=request.POST.get("seed", "").strip() or None,
                              checks=int(checks) if checks else None, redraw=request.POST.get("redraw") == "1",
                              reason=request.POST.get("reason", ""), by=request.user)
        except UserError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已抽取{draw}：{draw.checks} 户。")
        chosen = f"&brigade={quote(brigade.name)}" if brigade is not None and brigade_names else ""
        return redirect(reverse("web:risk") + f"?month={quote(month.key)}{chosen}")
    draws = in_brigade(Draw.objects.filter(brigade=brigade), access)
    draw = draws.filter(month=month.start, status=DrawStatus.ACTIVE).first()
    items = list(draw.items.select_related("unit", "street", "inspector_a", "inspector_b")) if draw else []
    history = draws.filter(month=month.start, status=DrawStatus.SUPERSEDED).order_by("-created_at")
    rubric = active_rubric()
    # One unit's trend: its grade on each day it changed.
    unit_name = request.GET.get("unit", "").strip()
    trend = None
    if unit_name:
        from brigade.risk.models import RiskGradeHistory

        trend = list(in_brigade(RiskGradeHistory.objects.filter(unit__name=unit_name), access)
                     .order_by("-graded_on")[:60])
    return render(request, "web/risk.html", {
        "unit_name": unit_name, "trend": trend,
        "brigade": brigade, "brigade_names": brigade_names,
        "nav_key": "risk", "month": month, "errors": errors, "draw": draw, "items": items, "history": history,
        "verified": draw_verify(draw=draw) if draw else None, "can_draw": access.role in DRAWERS,
        "streets": grades_by_street(rows=in_brigade(UnitRisk.objects.all(), access)),
        "colors": {k.value: v for k, v in LEVEL_COLORS.items()},
        "graded": in_brigade(UnitRisk.objects.all(), access).count(),
        "overdue": in_brigade(overdue_draw_items(timezone.localdate()), access).count(),
        "rubric": rubric,
    })


@login_required
def draw_notice(request, pk):
    """The draw's notice: preview, Word and the redacted Word twin."""
    from brigade.reports.preview import to_html
    from brigade.risk.models import Draw
    from brigade.risk.notice import draw_notice as build
    from brigade.risk.notice import draw_write_notice

    draw = get_object_or_404(in_brigade(Draw.objects.all(), _viewer(request)), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("docx", "redacted-docx"):
        redact = fmt == "redacted-docx"
        with tempfile.TemporaryDirectory() as tmp:
            path = draw_write_notice(draw=draw, path=Path(tmp) / "notice.docx", redact=redact)
            content = Path(path).read_bytes()
        return _download(content, f"{draw}名单{'（脱敏）' if redact else ''}.docx", DOCX)
    redact = request.GET.get("redact") == "1"
    return render(request, "web/risk_notice.html", {
        "draw": draw, "preview": to_html(build(draw=draw), redact=redact, standalone=False), "redact": redact,
        "nav_key": "risk"})


@login_required
def draw_export(request, pk):
    from brigade.risk.exports import export_draw
    from brigade.risk.models import Draw

    draw = get_object_or_404(in_brigade(Draw.objects.all(), _viewer(request)), pk=pk)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draw.xlsx"
        export_draw(draw, out)
        return _download(out.read_bytes(), f"{draw}名单.xlsx", XLSX)


@login_required
def grades_export(request):
    from brigade.risk.exports import export_grades
    from brigade.risk.models import UnitRisk

    access = _viewer(request)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "grades.xlsx"
        export_grades(in_brigade(UnitRisk.objects.all(), access), out)
        return _download(out.read_bytes(), f"单位风险等级_{dt.date.today():%Y%m%d}.xlsx", XLSX)
