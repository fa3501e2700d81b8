"""The detachment's comparison page: every brigade side by side, with its download as .xlsx."""

import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from brigade.core.errors import UserError
from brigade.core.period import parse_period
from brigade.core.roles import ADMIN, DETACHMENT
from brigade.metrics.compare import MEASURES, NO_DATA, compare_brigades, value_text
from brigade.web import dashboard as dash
from brigade.web.views import XLSX, require_role

# Who may compare brigades: the detachment's staff and administrators. A brigade's own users see
# only their brigade's records, and a comparison names every brigade's figures.
COMPARE_ROLES = {ADMIN, DETACHMENT}


def _reader(request):
    access = require_role(request)
    if access.role not in COMPARE_ROLES:
        raise PermissionDenied("大队对比仅供支队、大队领导和系统管理员查看。")
    return access


def _period(text: str | None, errors: list[str]):
    try:
        return parse_period(text) if text else dash.default_period()
    except UserError as exc:
        errors.append(str(exc))
        return dash.default_period()


@login_required
def compare_page(request):
    _reader(request)
    errors: list[str] = []
    period = _period(request.GET.get("period"), errors)
    c = compare_brigades(period)
    bad = {(o["brigade"], o["measure"]): o["bad"] for o in c.outliers}
    columns = [{"label": m.label, "unit": m.unit, "better": "越高越好" if m.better == "high" else "越低越好",
                "definition": m.definition, "median": value_text(c.stats[m.code]["median"]),
                "q1": value_text(c.stats[m.code]["q1"]), "q3": value_text(c.stats[m.code]["q3"])} for m in MEASURES]
    rows = [{"brigade": r.brigade,
             "cells": [{"text": NO_DATA if r.values[m.code] is None else value_text(r.values[m.code]),
                        "rank": r.ranks[m.code], "missing": r.values[m.code] is None,
                        "flag": {True: "bad", False: "good"}.get(bad.get((r.brigade, m.code)), "")}
                       for m in MEASURES]} for r in c.rows]
    return render(request, "web/compare.html", {
        "nav_key": "compare", "period": period, "errors": errors, "columns": columns, "rows": rows,
        "findings": c.findings(), "period_quoted": quote(period.key),
    })


@login_required
def compare_xlsx(request, period: str):
    from brigade.reports.compare_workbook import write_comparison_xlsx

    _reader(request)
    errors: list[str] = []
    chosen = _period(period, errors)
    if errors:
        return HttpResponse(errors[0], status=400, content_type="text/plain; charset=utf-8")
    c = compare_brigades(chosen)
    title = f"{chosen.label}各大队对比"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "compare.xlsx"
        write_comparison_xlsx(c, out, title=title)
        response = HttpResponse(out.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return response
