"""Workflow steps on record pages: each step is a small form that calls the domain's service.

A record type's steps are declared here, next to the service they call; the generic detail page
shows the steps allowed from the record's state, and ``step_view`` runs one. Services raise
``WorkflowError`` (Chinese, with the field to blame), shown next to that field.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from brigade.core.access import get_visible, visible_record_type
from brigade.core.errors import UserError
from brigade.web.widgets import DateInput


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: dict[str, forms.Field]  # form fields, named as the service's keyword arguments
    run: Callable  # run(obj, user=…, expected_version=…, **cleaned) → the record after the step
    allowed: Callable[[object], bool] = lambda obj: True


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def hazard_steps() -> dict[str, Step]:
    from brigade.supervision import services
    from brigade.supervision.choices import HazardEventKind as K

    def allowed(kind):
        return lambda h: h.status in services.ALLOWED_FROM[kind]

    def call(service, obj_name="hazard"):
        return lambda obj, **kw: service(**{obj_name: obj}, **kw)

    note = forms.CharField(label="说明", required=False, max_length=300)
    return {s.slug: s for s in (
        Step("order", "责令改正", {"ordered_on": _date("责令改正日期"),
                                   "deadline": _date("整改期限（留空为责令立即改正）", required=False), "note": note},
             call(services.hazard_order), allowed(K.ORDERED)),
        Step("rectify", "登记整改完成", {"rectified_on": _date("整改日期"), "note": note},
             call(services.hazard_rectify), allowed(K.RECTIFIED)),
        Step("request", "登记复查申请", {"requested_on": _date("申请复查日期"), "note": note},
             call(services.hazard_request_reinspection), allowed(K.REINSPECTION_REQUESTED)),
        Step("reinspect", "复查", {
            "reinspected_on": _date("复查日期"),
            "passed": forms.TypedChoiceField(label="复查结果", choices=(("1", "合格"), ("0", "不合格")),
                                             coerce=lambda v: v == "1"),
            "note": note}, call(services.hazard_reinspect), allowed(K.REINSPECTED)),
        Step("close", "销案", {"closed_on": _date("销案日期"), "note": note},
             call(services.hazard_close), allowed(K.CLOSED)),
    )}


def hazard_create(form, user):
    """A new hazard goes through the service: state 'found', logged, linked to an earlier occurrence."""
    from brigade.supervision.services import hazard_record

    data = form.cleaned_data
    return hazard_record(inspection=data["inspection"], category=data["category"], found_on=data["found_on"],
                         description=data["description"], is_major=data["is_major"], by=user)


# Record type slug → (the create form's fields, the service that creates the record).
CREATORS: dict[str, tuple[tuple[str, ...], Callable]] = {
    "hazards": (("inspection", "category", "description", "is_major", "found_on"), hazard_create),
}

# Record type slug → its steps (built lazily: the services import the models).
STEP_SOURCES: dict[str, Callable[[], dict[str, Step]]] = {"hazards": hazard_steps}


def steps_for(slug: str) -> dict[str, Step]:
    source = STEP_SOURCES.get(slug)
    if source is None:
        return {}
    try:
        return source()
    except ImportError:  # the domain's services are not installed yet
        return {}


def available_steps(slug: str, obj) -> list[Step]:
    return [s for s in steps_for(slug).values() if s.allowed(obj)]


@login_required
def step_view(request, slug, pk, step):
    rt, access = visible_record_type(request, slug)
    obj = get_visible(rt, access, pk)
    if not access.can_edit(rt.editors):
        raise PermissionDenied(access.edit_refusal(rt.title) if access.is_read_only else f"您的角色无权办理“{rt.title}”。")
    spec = steps_for(slug).get(step)
    if spec is None:
        raise Http404("没有这个办理步骤。")
    form_cls = type("StepForm", (forms.Form,), dict(spec.fields))
    version = getattr(obj, "version", None)
    if request.method == "POST":
        form = form_cls(request.POST)
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
        form = form_cls(initial={name: timezone.localdate() for name, f in spec.fields.items()
                                 if isinstance(f, forms.DateField) and f.required})
    return render(request, "web/step_form.html", {"rt": rt, "obj": obj, "step": spec, "form": form,
                                                  "version": version, "nav_key": rt.section})
