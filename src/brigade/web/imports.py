"""Excel import (upload → preview → confirm) and export of ledgers, on ``brigade.io``'s API.

The uploaded file waits under ``VAR_DIR/uploads/`` between the preview and the confirmation; the
session holds its token, so one user can never confirm another's upload.
"""

import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from brigade.core.access import apply_filters, brigade_filter, scoped, visible_record_type
from brigade.core.errors import UserError
from brigade.core.records import record_type_for
from brigade.core.roles import Access, access_for
from brigade.io.ledgers import importable_ledgers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "brigade_pending_import"
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv")


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sweep_uploads() -> None:
    """Remove uploads no session can confirm any more: previews left unconfirmed, and files of an
    import whose server was killed midway (the import itself rolled back with its transaction)."""
    cutoff = time.time() - settings.SESSION_COOKIE_AGE
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:  # another request removed it first
            pass




def _ledger_for(access: Access, name: str):
    for ledger in importable_ledgers(access):
        if ledger.name == name:
            return ledger
    raise PermissionDenied(access.edit_refusal("台账") if access.is_read_only else "您的角色无权导入这个台账，或台账不存在。")


@login_required
def import_page(request):
    access = access_for(request.user)
    ledgers = importable_ledgers(access)
    if not ledgers:
        raise PermissionDenied(access.edit_refusal("台账") if access.is_read_only else "您的角色没有可导入的台账。")
    context = {"ledgers": ledgers, "chosen": request.POST.get("ledger") or request.GET.get("ledger", ""),
               "report": None, "nav_key": "import"}
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, access)
    if request.method == "POST" and request.POST.get("remap"):
        context.update(_remap(request, access))
        return render(request, "web/import.html", context)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not context["chosen"]:
            context["error"] = "请选择要导入的台账。"
        elif upload is None:
            context["error"] = "请选择要上传的文件。"
        elif not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            context["error"] = f"文件“{upload.name}”不是 Excel（.xlsx）或 CSV 文件。"
        else:
            from brigade.io.workbook import check_size

            ledger = _ledger_for(access, context["chosen"])
            try:
                check_size(upload.size, upload.name)  # before anything is written to disk
            except UserError as exc:
                context["error"] = str(exc)
            else:
                sweep_uploads()
                token = uuid.uuid4().hex
                path = upload_dir() / f"{token}{Path(upload.name).suffix.lower()}"
                with path.open("wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                context.update(_preview(request, ledger, path, upload.name, token))
    return render(request, "web/import.html", context)


def _mapping_of(pending: dict):
    """The accepted mapping and the references to create that this session's preview settled on."""
    from brigade.io.create import creatable_models
    from brigade.io.mapping import Entry, ValueMap

    vmap = ValueMap(source=pending.get("source", ""))
    for column, value, target in pending.get("mapping", []):
        vmap.add(Entry(column, value, target))
    kinds = creatable_models()
    create = {}
    for kind, value in pending.get("create", []):
        create.setdefault(kinds[kind], set()).add(value)
    return vmap, create


def _remap(request, access: Access) -> dict:
    """The user's decisions, one row per unknown value (accept / change / reject, create), then a new preview."""
    from brigade.io.create import creatable_models
    from brigade.io.importer import import_file
    from brigade.io.mapping import MappingFileError

    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("remap"):
        return {"error": "导入预检已失效，请重新上传文件。"}
    ledger = _ledger_for(access, pending["ledger"])
    path = upload_dir() / pending["path"]
    kind_of = {str(m._meta.verbose_name): str(m._meta.verbose_name) for m in creatable_models().values()}
    mapping = {(c, v): t for c, v, t in pending.get("mapping", [])}
    create = {tuple(x) for x in pending.get("create", [])}
    for i in range(int(request.POST.get("rows") or 0)):
        column, value = request.POST.get(f"column-{i}", ""), request.POST.get(f"value-{i}", "")
        target = request.POST.get(f"target-{i}", "").strip()
        if request.POST.get(f"accept-{i}") and target:
            mapping[(column, value)] = target
        else:  # rejected (or accepted with nothing to change to): no mapping for this value
            mapping.pop((column, value), None)
        kind = request.POST.get(f"create-{i}", "")
        create = {x for x in create if x[1] != value}
        if kind in kind_of and not request.POST.get(f"accept-{i}"):
            create.add((kind, value))
    pending["mapping"] = [[c, v, t] for (c, v), t in mapping.items()]
    pending["create"] = sorted(create)
    pending["source"] = request.POST.get("source", "").strip()[:80]
    vmap, create_models = _mapping_of(pending)
    try:
        report = import_file(path, ledger=ledger, dry_run=True, filename=pending["filename"], mapping=vmap,
                             origin=vmap.source, create=create_models, brigade=brigade_filter(access))
    except MappingFileError as exc:
        return {"error": str(exc), "chosen": ledger.name}
    except UserError as exc:
        return {"error": str(exc)}
    pending["ok"] = bool(report.ok and report.created)
    request.session[SESSION_KEY] = pending
    return _preview_context(report, pending)


def _preview_context(report, pending: dict) -> dict:
    token = pending["token"]
    return {"report": report, "token": token if pending["ok"] else "", "pending_token": token,
            "source": pending.get("source", ""), "chosen": pending["ledger"],
            "bad_rows_url": "" if report.ok else reverse("web:import-bad-rows", args=[token])}


def _preview(request, ledger, path: Path, filename: str, token: str) -> dict:
    from brigade.io.importer import import_file

    source = request.POST.get("source", "").strip()[:80]
    try:
        report = import_file(path, ledger=ledger, dry_run=True, filename=filename, origin=source,
                             brigade=brigade_filter(access_for(request.user)))
    except UserError as exc:
        path.unlink(missing_ok=True)
        return {"error": str(exc)}
    confirmable = report.ok and report.created
    old = request.session.get(SESSION_KEY)
    if old and old.get("path") != path.name:  # a new upload replaces the one this session kept
        (upload_dir() / old["path"]).unlink(missing_ok=True)
        del request.session[SESSION_KEY]
    pending = {"token": token, "path": path.name, "ledger": ledger.name, "filename": filename,
               "ok": bool(confirmable), "source": source}
    if confirmable or not report.ok:  # kept for the confirmation, its bad rows or its value mapping
        request.session[SESSION_KEY] = pending
    else:
        path.unlink(missing_ok=True)
    return _preview_context(report, pending)


def _confirm(request, access: Access):
    from brigade.io.importer import import_file

    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("confirm") or not pending.get("ok"):
        messages.error(request, "导入预检已失效，请重新上传文件。")
        return redirect("web:import")
    ledger = _ledger_for(access, pending["ledger"])
    path = upload_dir() / pending["path"]
    del request.session[SESSION_KEY]
    vmap, create = _mapping_of(pending)
    try:
        report = import_file(path, ledger=ledger, filename=pending["filename"], mapping=vmap, origin=vmap.source,
                             create=create, brigade=brigade_filter(access))
    except UserError as exc:
        messages.error(request, str(exc))
        return redirect("web:import")
    finally:
        path.unlink(missing_ok=True)
    (messages.success if report.ok else messages.error)(request, report.summary())
    rt = record_type_for(ledger.model)
    return redirect(reverse("web:record-list", args=[rt.slug]) if report.ok else reverse("web:import"))


@login_required
def import_bad_rows(request, token):
    """The previewed file's bad rows with a reason column (checked again: the data may have changed)."""
    from brigade.io.badrows import write_bad_rows
    from brigade.io.importer import import_file

    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != token:
        raise Http404("导入预检已失效，请重新上传文件。")
    ledger = _ledger_for(access_for(request.user), pending["ledger"])
    path = upload_dir() / pending["path"]
    vmap, create = _mapping_of(pending)
    try:
        report = import_file(path, ledger=ledger, dry_run=True, filename=pending["filename"], mapping=vmap,
                             origin=vmap.source, create=create, suggest=False,
                             brigade=brigade_filter(access_for(request.user)))
    except UserError as exc:
        raise Http404(str(exc)) from None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bad.xlsx"
        write_bad_rows(path, ledger, report, out, filename=pending["filename"])
        content = out.read_bytes()
    return _xlsx(content, f"{Path(pending['filename']).stem}-待改正.xlsx")


@login_required
def import_template(request, name):
    """The ledger's blank template (headers, an example row, a help sheet)."""
    from brigade.io.templates import write_template

    ledger = _ledger_for(access_for(request.user), name)
    with tempfile.TemporaryDirectory() as tmp:
        content = write_template(ledger, Path(tmp) / "template.xlsx").read_bytes()
    return _xlsx(content, f"{ledger.title}导入模板.xlsx")


@login_required
def record_export(request, slug):
    """The list as filtered on the page, as an .xlsx under the headers the import reads back."""
    from brigade.io.exporter import export_queryset
    from brigade.io.ledgers import build_ledger

    rt, access = visible_record_type(request, slug)
    rows, errors = apply_filters(rt, scoped(rt, access), request.GET)
    if errors:
        raise Http404("筛选条件有误，无法导出。")
    if rt.kind_ledgers is not None:  # one ledger per kind: the list must be filtered by one
        by = rt.field(rt.kind_ledgers.filter)
        value = request.GET.get(by.name) or ""
        kind = by.related_model._default_manager.filter(pk=value).first() if value.isdigit() else None
        if kind is None:
            raise Http404(f"请先按“{by.verbose_name}”筛选，再导出{rt.title}。")
        ledger = rt.kind_ledgers.ledger_of(kind)
    else:
        if rt.ledger is None:
            raise Http404("这类记录没有导出格式。")
        ledger = build_ledger(rt.model, rt.ledger)
    rows = rows.order_by(*(rt.model._meta.ordering or ()), "pk")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.xlsx"
        export_queryset(ledger, rows, out)
        content = out.read_bytes()
    return _xlsx(content, f"{ledger.title}.xlsx")


def exportable(rt) -> bool:
    return rt.ledger is not None or rt.kind_ledgers is not None


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
