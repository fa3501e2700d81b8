"""Workflow steps on record pages: each step is a small form that calls the domain's service.

A record type declares its steps with its workflow facet (``<app>/records.py``, brigade.core.records);
the generic detail page shows the steps allowed from the record's state, and ``step_view`` runs one.
Services raise ``UserError`` (Chinese, with the field to blame), shown next to that field.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from brigade.core.access import get_visible, limit_choices, visible_record_type
from brigade.core.errors import UserError
from brigade.core.records import RecordType, StepInput, WorkflowStep
from brigade.web.widgets import DateInput


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _field(spec: StepInput) -> forms.Field:
    if spec.kind == "date":
        return _date(spec.label, spec.required)
    if spec.kind == "record":  # typed as a number, like the record forms' big tables
        return forms.ModelChoiceField(spec.model._default_manager.all(), label=spec.label, required=spec.required,
                                      widget=forms.NumberInput(attrs={"min": 1, "class": "raw-id"}))
    if spec.kind == "passed":
        return forms.TypedChoiceField(label=spec.label, choices=(("1", "合格"), ("0", "不合格")),
                                      coerce=lambda v: v == "1", required=spec.required)
    return forms.CharField(label=spec.label, required=spec.required, max_length=300)


def step_form(step: WorkflowStep) -> type[forms.Form]:
    """The step's form: its date, then its inputs, named as the service's keyword arguments."""
    fields = {step.day: _date(step.day_label), **{spec.name: _field(spec) for spec in step.inputs}}
    return type("StepForm", (forms.Form,), fields)


def available_steps(rt: RecordType, obj) -> list[WorkflowStep]:
    return [s for s in rt.workflow.steps if s.allowed(obj)] if rt.workflow else []


@login_required
def step_view(request, slug, pk, step):
    rt, access = visible_record_type(request, slug)
    obj = get_visible(rt, access, pk)
    if not access.can_edit(rt.editors):
        raise PermissionDenied(access.edit_refusal(rt.title) if access.is_read_only else f"您的角色无权办理“{rt.title}”。")
    spec = next((s for s in rt.workflow.steps if s.slug == step), None) if rt.workflow else None
    if spec is None:
        raise Http404("没有这个办理步骤。")
    form_cls = step_form(spec)
    version = getattr(obj, "version", None)
    if request.method == "POST":
        form = form_cls(request.POST)
        limit_choices(form.fields, access)  # a record named by number is one of the user's brigade
        if form.is_valid():
            posted = request.POST.get("_version", "")
            try:
                spec.run(obj, by=request.user, expected_version=int(posted) if posted.isdigit() else version,
                         **form.cleaned_data)
            except UserError as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, str(exc))
            else:
                messages.success(request, f"已办理“{spec.title}”。")
                return redirect("web:record-detail", rt.slug, obj.pk)
        version = request.POST.get("_version", version)
    else:
        form = form_cls(initial={name: timezone.localdate() for name, f in form_cls.base_fields.items()
                                 if isinstance(f, forms.DateField) and f.required})
    return render(request, "web/step_form.html", {"rt": rt, "obj": obj, "step": spec, "form": form,
                                                  "version": version, "nav_key": rt.section})
