"""Which records a user may see, and the rows a list's query string asks for.

Shared by the generic pages, the imports, the workflows, the photos, the map and the API, so one
rule decides what each role sees.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from brigade.core.records import RECORD_TYPES, RecordType
from brigade.core.roles import Access, access_for
from brigade.metrics.period import PeriodError, parse_period
from brigade.metrics.registry import local_day_bounds


def can_view(rt: RecordType, access: Access) -> bool:
    """Whether the user may open the record type at all."""
    if access.role is None:
        return False
    if not access.is_limited:
        return True
    if rt.hidden_for_liaison:
        return False
    return bool((access.street_id and rt.street) or (access.department_id and rt.department))


def scoped(rt: RecordType, access: Access):
    """The rows of the record type that the user may see."""
    rows = rt.model._default_manager.all()
    if not can_view(rt, access):
        return rows.none()
    # The declared paths follow foreign keys forwards, so the filter never repeats a row.
    if access.is_limited and access.street_id:
        rows = rows.filter(**{rt.street: access.street_id})
    elif access.is_limited:
        rows = rows.filter(**{rt.department: access.department_id})
    return rows


def record_type_or_404(slug: str) -> RecordType:
    try:
        return RECORD_TYPES[slug]
    except KeyError:
        raise Http404("没有这类记录。") from None


def visible_record_type(request, slug: str) -> tuple[RecordType, Access]:
    rt = record_type_or_404(slug)
    access = access_for(request.user)
    if not can_view(rt, access):
        raise PermissionDenied(f"您的角色无权查看“{rt.title}”。")
    return rt, access


def get_visible(rt: RecordType, access: Access, pk):
    """The record, or 404 when it does not exist and 403 when it is outside the user's territory."""
    obj = get_object_or_404(rt.model, pk=pk)
    if not scoped(rt, access).filter(pk=obj.pk).exists():
        raise PermissionDenied("这条记录不在您的查看范围内。")
    return obj


# ---- list queries ---------------------------------------------------------------------------

def search_query(model, names: tuple[str, ...], text: str) -> Q:
    """Rows where any searched field contains the text (case-insensitive).

    A field of a related record (``unit__name``) is matched in that record's own, smaller table and
    the rows are picked by id: a join of every row followed by an OR would read the whole table twice.
    """
    query = Q()
    for name in names:
        head, _, rest = name.partition("__")
        field = model._meta.get_field(head)
        if rest and field.many_to_one:
            matching = field.related_model._default_manager.filter(**{f"{rest}__icontains": text})
            query |= Q(**{f"{head}__in": matching.values("pk")})
        else:
            query |= Q(**{f"{name}__icontains": text})
    return query


def apply_filters(rt: RecordType, rows, params) -> tuple[object, list[str]]:
    """Rows narrowed by the filters, search and period in the query string; plus Chinese errors."""
    errors = []
    for name in rt.filters:
        value = params.get(name, "")
        if not value:
            continue
        field = rt.field(name)
        if isinstance(field, models.BooleanField):
            if value in ("1", "0"):
                rows = rows.filter(**{name: value == "1"})
        elif field.choices:
            if value in {str(k) for k, _ in field.choices}:
                rows = rows.filter(**{name: value})
            else:
                errors.append(f"“{field.verbose_name}”没有“{value}”这一项。")
        elif isinstance(field, models.ForeignKey):
            if value.isdigit() and len(value) < 19:
                rows = rows.filter(**{f"{name}_id": int(value)})
            else:
                errors.append(f"“{field.verbose_name}”的值“{value}”无效。")
    # A link from a record's detail page narrows by any foreign key: ?fk.inspection=12
    for key, value in params.items():
        if key.startswith("fk."):
            name = key[3:]
            try:
                field = rt.field(name)
            except Exception:
                continue
            if isinstance(field, models.ForeignKey) and value.isdigit() and len(value) < 19:
                rows = rows.filter(**{f"{name}_id": int(value)})
    if (text := params.get("q", "").strip()) and rt.search:
        rows = rows.filter(search_query(rt.model, rt.search, text))
    if (text := params.get("period", "").strip()) and rt.date_field:
        try:
            period = parse_period(text)
        except PeriodError as exc:
            errors.append(str(exc))
        else:
            if rt.date_field.endswith("_at"):
                start, end = local_day_bounds(period.start, period.end)
                rows = rows.filter(**{f"{rt.date_field}__gte": start, f"{rt.date_field}__lt": end})
            else:
                rows = rows.filter(**{f"{rt.date_field}__range": (period.start, period.end)})
    return rows, errors
