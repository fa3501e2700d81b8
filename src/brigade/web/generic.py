"""List, detail, create and edit pages for any record type declared in ``brigade.core.records``."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.forms import modelform_factory
from django.shortcuts import redirect, render
from django.urls import reverse

from brigade.core.access import (
    apply_filters,
    can_view,
    check_writable,
    get_visible,
    limit_choices,
    scoped,
    visible_record_type,
)
from brigade.core.errors import UserError
from brigade.core.records import RECORD_TYPES, SECTIONS, RecordType, record_type_for
from brigade.core.roles import Access
from brigade.web.imports import exportable
from brigade.web.photos import photos_of
from brigade.web.widgets import DateInput, DateTimeInput
from brigade.web.workflows import available_steps

PAGE_SIZE = 50
BOOL_CHOICES = (("1", "是"), ("0", "否"))


def navigation(access: Access) -> list[dict]:
    """The record menu of a user: sections with the record types they may open."""
    menu = []
    for key, title in SECTIONS.items():
        items = [{"slug": rt.slug, "title": rt.title} for rt in RECORD_TYPES.values()
                 if rt.section == key and can_view(rt, access)]
        if items:
            menu.append({"key": key, "title": title, "items": items})
    return menu


def record_url(obj) -> str | None:
    rt = record_type_for(type(obj))
    return reverse("web:record-detail", args=[rt.slug, obj.pk]) if rt else None


# ---- showing values -------------------------------------------------------------------------

@dataclass
class Cell:
    text: str
    url: str | None = None


def display(obj, name: str, access: Access) -> Cell:
    """A field's value as the user reads it: choice labels, 是/否, linked related records."""
    field = obj._meta.get_field(name)
    if field.choices:
        return Cell(str(getattr(obj, f"get_{name}_display")()) if getattr(obj, name) not in (None, "") else "")
    value = getattr(obj, name)
    if value is None or value == "":
        return Cell("")
    if isinstance(field, models.BooleanField):
        return Cell("是" if value else "否")
    if isinstance(field, models.ForeignKey):
        rt = record_type_for(type(value))
        url = None
        if rt and can_view(rt, access) and scoped(rt, access).filter(pk=value.pk).exists():
            url = reverse("web:record-detail", args=[rt.slug, value.pk])
        return Cell(str(value), url)
    if isinstance(field, models.DateTimeField):
        from django.utils import timezone

        return Cell(timezone.localtime(value).strftime("%Y-%m-%d %H:%M"))
    if isinstance(field, models.JSONField):
        import json

        text = json.dumps(value, ensure_ascii=False)
        return Cell(text if len(text) <= 300 else text[:300] + "…")
    return Cell(str(value))


def list_cell(obj, name: str, access: Access) -> Cell:
    """Like ``display`` but without a query per linked cell (list pages show 50 rows)."""
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey) and not field.choices:
        value = getattr(obj, name)
        return Cell("" if value is None else str(value))
    return display(obj, name, access)


# ---- filters --------------------------------------------------------------------------------

def filter_widgets(rt: RecordType, access: Access, params) -> list[dict]:
    """The filter drop-downs of a list page, each with its options and the current choice."""
    widgets = []
    for name in rt.filters:
        field = rt.field(name)
        if field.choices:
            options = [(str(k), str(v)) for k, v in field.choices]
        elif isinstance(field, models.BooleanField):
            options = list(BOOL_CHOICES)
        elif isinstance(field, models.ForeignKey):
            target = record_type_for(field.related_model)
            if target is None or not can_view(target, access):
                continue
            options = [(str(o.pk), str(o)) for o in scoped(target, access)[:500]]
        else:
            continue
        widgets.append({"name": name, "label": str(field.verbose_name), "options": options,
                        "value": params.get(name, "")})
    return widgets


# ---- forms ----------------------------------------------------------------------------------

def form_class(rt: RecordType, fields: tuple[str, ...] | None = None) -> type[forms.ModelForm]:
    opts = rt.model._meta
    fields = list(fields or rt.form_fields or (
        [f.name for f in opts.concrete_fields if f.editable and not f.primary_key]
        + [f.name for f in opts.many_to_many if f.editable]
    ))
    widgets = {}
    for name in fields:
        field = rt.field(name)
        if name in rt.raw_id:
            widgets[name] = forms.NumberInput(attrs={"min": 1, "class": "raw-id"})
        elif isinstance(field, models.DateTimeField):
            widgets[name] = DateTimeInput()
        elif isinstance(field, models.DateField):
            widgets[name] = DateInput()
    form = modelform_factory(rt.model, fields=fields, widgets=widgets)
    for name in fields:
        if isinstance(rt.field(name), models.DateTimeField):
            form.base_fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    return form


# ---- views ----------------------------------------------------------------------------------

@login_required
def record_list(request, slug):
    rt, access = visible_record_type(request, slug)
    params = request.GET
    rows = scoped(rt, access)
    if rt.select_related:
        rows = rows.select_related(*rt.select_related)
    rows, errors = apply_filters(rt, rows, params)
    rows = rows.order_by(*(rt.model._meta.ordering or ()), "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    keep = {k: v for k, v in params.items() if k != "page" and v}
    headers = [str(rt.field(name).verbose_name) for name in rt.list_columns]
    table = [
        {"url": reverse("web:record-detail", args=[rt.slug, obj.pk]),
         "cells": list(zip(headers, [list_cell(obj, name, access) for name in rt.list_columns], strict=True))}
        for obj in page.object_list
    ]
    return render(request, "web/record_list.html", {
        "rt": rt, "page": page, "headers": headers, "table": table, "errors": errors,
        "filters": filter_widgets(rt, access, params), "query": params.get("q", ""),
        "period": params.get("period", ""), "keep": urlencode(keep),
        "can_edit": access.can_edit(rt.editors), "nav_key": rt.section, "exportable": exportable(rt),
    })


def related_lists(obj, access: Access) -> list[dict]:
    """The records pointing at this one (hazards of an inspection …), a few of each, scoped."""
    blocks = []
    for rel in obj._meta.related_objects:
        if not (rel.one_to_many and isinstance(rel.field, models.ForeignKey)):
            continue
        rt = record_type_for(rel.related_model)
        if rt is None or not can_view(rt, access):
            continue
        rows = scoped(rt, access).filter(**{rel.field.name: obj.pk})
        shown = list(rows.order_by("-pk")[:10])
        if not shown:
            continue
        blocks.append({
            "rt": rt, "total": rows.count(), "rows": [(str(r), reverse("web:record-detail", args=[rt.slug, r.pk]))
                                                     for r in shown],
            "more": reverse("web:record-list", args=[rt.slug]) + "?" + urlencode({f"fk.{rel.field.name}": obj.pk}),
        })
    return blocks


@login_required
def record_detail(request, slug, pk):
    rt, access = visible_record_type(request, slug)
    obj = get_visible(rt, access, pk)
    fields = []
    for f in rt.model._meta.concrete_fields:
        if f.primary_key:
            continue
        fields.append((str(f.verbose_name), display(obj, f.name, access)))
    for f in rt.model._meta.many_to_many:
        values = [str(v) for v in getattr(obj, f.name).all()[:50]]
        fields.append((str(f.verbose_name), Cell("、".join(values))))
    history = []
    if hasattr(obj, "history"):
        for h in obj.history.select_related("history_user").order_by("-history_date")[:20]:
            history.append({"when": h.history_date, "who": getattr(h.history_user, "username", "") or "系统",
                            "what": h.get_history_type_display()})
    actions = []
    if access.can_edit(rt.editors):
        actions += [(s.title, reverse("web:record-step", args=[rt.slug, obj.pk, s.slug]))
                    for s in available_steps(rt, obj)]
    actions += [(a.title, a.url(obj)) for a in rt.actions if a.allowed(access)]  # declared with the record type
    return render(request, "web/record_detail.html", {
        "rt": rt, "obj": obj, "fields": fields, "related": related_lists(obj, access), "history": history,
        "can_edit": access.can_edit(rt.editors), "actions": actions, "nav_key": rt.section,
        "takes_photos": bool(rt.photos), "photos": photos_of(rt, obj), "photo_max_px": settings.BRIGADE_PHOTO_MAX_PIXELS,
    })


def _edit(request, rt: RecordType, access: Access, obj=None):
    if not access.can_edit(rt.editors):
        raise PermissionDenied(access.edit_refusal(rt.title))
    # A record type with a workflow is created through its service (form fields: the service's).
    creator = rt.workflow if obj is None and rt.workflow is not None and rt.workflow.create else None
    form_cls = form_class(rt, creator.create_fields if creator else None)
    versioned = obj is not None and has_version(rt)
    if request.method == "POST":
        form = form_cls(request.POST, instance=obj)
        limit_choices(form.fields, access)
        if form.is_valid():
            try:
                check_writable(access, form.instance)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
        if form.is_valid() and creator:
            try:
                saved = creator.create(by=request.user, **{f: form.cleaned_data[f] for f in creator.create_fields})
            except UserError as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已保存{rt.title}“{saved}”。")
                return redirect("web:record-detail", rt.slug, saved.pk)
        elif form.is_valid():
            with transaction.atomic():
                if versioned and not version_matches(rt, obj, request.POST.get("_version"), form):
                    transaction.set_rollback(True)
                else:
                    saved = form.save()
            if not form.errors:
                messages.success(request, f"已保存{rt.title}“{saved}”。")
                return redirect("web:record-detail", rt.slug, saved.pk)
    else:
        initial = {k: v for k, v in request.GET.items() if k in form_cls.base_fields} if obj is None else None
        form = form_cls(instance=obj, initial=initial)
        limit_choices(form.fields, access)
    rows = []
    for bound in form:
        target = record_type_for(rt.field(bound.name).related_model) if bound.name in rt.raw_id else None
        rows.append((bound, reverse("web:record-list", args=[target.slug]) if target else None))
    version = request.POST.get("_version") if request.method == "POST" else (obj.version if versioned else None)
    return render(request, "web/record_form.html", {"rt": rt, "obj": obj, "form": form, "rows": rows,
                                                    "version": version, "nav_key": rt.section})


STALE = "该{what}已被他人修改（您看到的是第{expected}版，当前为第{actual}版）。请记下您的修改，刷新页面后重新填写。"


def has_version(rt: RecordType) -> bool:
    return any(f.name == "version" for f in rt.model._meta.concrete_fields)


def version_matches(rt: RecordType, obj, posted: str | None, form) -> bool:
    """Optimistic locking: refuse to overwrite a record someone saved since this form was opened.

    On a match the instance's version is raised by one, so the save marks the new state.
    """
    current = rt.model._default_manager.select_for_update().filter(pk=obj.pk).values_list("version", flat=True).get()
    expected = int(posted) if (posted or "").isdigit() else None
    if expected != current:
        form.add_error(None, STALE.format(what=rt.title, expected=expected if expected is not None else "?",
                                          actual=current))
        return False
    form.instance.version = current + 1
    return True


@login_required
def record_create(request, slug):
    rt, access = visible_record_type(request, slug)
    return _edit(request, rt, access)


@login_required
def record_edit(request, slug, pk):
    rt, access = visible_record_type(request, slug)
    return _edit(request, rt, access, get_visible(rt, access, pk))
