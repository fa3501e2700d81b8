"""今日任务: the officer's phone page, and the data it keeps for working without signal.

The page is a shell that ``field.js`` fills from ``data.json`` (worklist, units, choice lists),
kept in IndexedDB; what the officer records offline waits there and is sent later through the
same API as every other client (``/api/inspections/``, ``/api/hazards/``, ``/api/photos/``).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from brigade.core.access import brigade_filter, in_brigade, scoped
from brigade.core.records import RECORD_TYPES
from brigade.core.roles import access_for

OPEN_STATES = ("found", "ordered", "rectified", "reinspected", "escalated")


def field_access(request):
    access = access_for(request.user)
    if not access.can_edit(RECORD_TYPES["inspections"].editors):
        raise PermissionDenied(access.edit_refusal("检查") if access.is_read_only
                               else "今日任务供防火监督员在现场登记检查使用，您的角色无权使用。")
    return access


@login_required
def field_page(request):
    field_access(request)
    return render(request, "web/field.html", {"nav_key": "field", "photo_max_px": settings.BRIGADE_PHOTO_MAX_PIXELS,
                                              "photo_max_bytes": settings.BRIGADE_PHOTO_MAX_BYTES})


def _choices(enum) -> list[list[str]]:
    return [[str(value), str(label)] for value, label in enum.choices]


def field_data(request):
    """Everything 今日任务 shows offline, as compact JSON (a list per table, ids as keys)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "登录已过期，请重新登录后再打开今日任务。"}, status=401)
    access = field_access(request)
    from brigade.supervision import services
    from brigade.supervision.choices import HazardCategory, HazardStatus, InspectionKind
    from brigade.supervision.models import Campaign, Hazard, Inspection
    from brigade.supervision.worklist import worklist
    from brigade.units.models import SiteCategory
    from brigade.web.views import MarkupFreeJSONEncoder

    today = timezone.localdate()
    units = scoped(RECORD_TYPES["units"], access)
    last = dict(Inspection.objects.filter(unit__in=units).values_list("unit").annotate(Max("inspected_on")))
    hazards: dict[int, list] = {}
    rows = Hazard.objects.filter(unit__in=units, status__in=OPEN_STATES).order_by("found_on", "pk")
    reinspectable = set(services.ALLOWED_FROM["reinspected"])  # the states the web step allows too
    for h in rows.values("id", "unit_id", "category", "description", "status", "found_on", "deadline", "version",
                         "is_major"):
        unit_id = h.pop("unit_id")
        h["can_reinspect"] = h["status"] in reinspectable
        hazards.setdefault(unit_id, []).append(h)
    # Plain rows, not model instances: thousands of units, and a street's boundary is a big JSON field.
    columns = ("id", "name", "address", "site_category", "street__name", "is_key_unit", "lat", "lon")
    unit_rows = [{
        "id": pk, "name": name, "address": address, "category": category, "street": street, "key": key,
        "lat": lat, "lon": lon, "last_inspection": last.get(pk), "hazards": hazards.get(pk, []),
    } for pk, name, address, category, street, key, lat, lon in units.order_by("name").values_list(*columns)]
    work = worklist(on=today, street=access.label if access.is_limited else None, brigade=brigade_filter(access))
    unit_of = dict(Hazard.objects.filter(pk__in=[i.hazard_id for i in work.items if i.hazard_id])
                   .values_list("pk", "unit_id"))
    items = [{"kind": i.kind, "label": i.label, "due_on": i.due_on, "days": i.workdays_left, "late": i.is_late,
              "unit": i.unit, "unit_id": unit_of.get(i.hazard_id), "subject": i.subject, "hazard_id": i.hazard_id}
             for i in work.items]
    campaigns = [[c.pk, c.name, c.starts_on, c.ends_on] for c in in_brigade(Campaign.objects.filter(ends_on__gte=today), access)]
    return JsonResponse({
        "user": request.user.get_username(), "today": today, "generated_at": timezone.now(),
        "choices": {"inspection_kind": _choices(InspectionKind), "hazard_category": _choices(HazardCategory),
                    "hazard_status": _choices(HazardStatus), "site_category": _choices(SiteCategory),
                    "campaigns": campaigns},
        "worklist": items, "units": unit_rows,
    }, encoder=MarkupFreeJSONEncoder, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})
