"""Which records a user may see, and the rows a list's query string asks for.

Shared by the generic pages, the imports, the workflows, the photos, the map and the API, so one
rule decides what each role sees: first the user's brigade (each model's declared path, see
``brigade.core.tenancy``), then a liaison's street or department.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from brigade.core import tenancy
from brigade.core.period import PeriodError, parse_period
from brigade.core.records import RECORD_TYPES, RecordType
from brigade.core.roles import Access, access_for
from brigade.metrics.registry import local_day_bounds


def can_view(rt: RecordType, access: Access) -> bool:
    """Whether the user may open the record type at all."""
    if access.role is None or access.sees_nothing:
        return False
    if not access.is_limited:
        return True
    if rt.hidden_for_liaison:
        return False
    return bool((access.street_id and rt.street) or (access.department_id and rt.department))


def scoped(rt: RecordType, access: Access):
    """The rows of the record type that the user may see."""
    rows = in_brigade(rt.model._default_manager.all(), access)
    if not can_view(rt, access):
        return rows.none()
    # The declared paths follow foreign keys forwards, so the filter never repeats a row.
    if access.is_limited and access.street_id:
        rows = rows.filter(**{rt.street: access.street_id})
    elif access.is_limited:
        rows = rows.filter(**{rt.department: access.department_id})
    return rows


def in_brigade(rows, access: Access):
    """The rows of the user's brigade (all of them for the administrator and the detachment)."""
    if access.every_brigade or access.only_brigade or tenancy.is_shared(rows.model):
        return rows
    if access.brigade_id is None:
        return rows.none()
    return rows.filter(tenancy.owned_by(rows.model, access.brigade_id))


def check_writable(access: Access, obj) -> None:
    """Refuse (403, in Chinese) to write a record outside the user's brigade, or shared reference data
    that other brigades read too. An own brigade left empty is set to the user's (the administrator's:
    from the record's street or station; ValidationError when it cannot be told)."""
    if access.is_read_only or access.sees_nothing:
        raise PermissionDenied(access.edit_refusal(str(obj._meta.verbose_name)))
    own = "brigade" in (tenancy.paths_of(type(obj)) or ())
    if own and obj.brigade_id is None:
        _fill_own_brigade(access, obj)
        # A form or the API checked codes unique within a brigade while it was empty: check them now.
        obj.validate_constraints()
    if access.every_brigade:
        return
    if tenancy.is_shared(type(obj)):
        if not access.only_brigade:
            raise PermissionDenied(f"“{obj._meta.verbose_name}”由各大队共用，只有系统管理员可以修改。")
        return
    # Whose the record was is settled by the scoped lookup that found it; this is whose it becomes.
    if tenancy.brigade_of(obj, fresh=True) not in (None, access.brigade_id):
        raise PermissionDenied(f"只能在本大队（{access.brigade_label}）登记和修改记录。")


def _fill_own_brigade(access: Access, obj) -> None:
    """An own brigade left empty: the user's; the administrator's and the detachment's from the
    record's street or station (ValidationError when it cannot be told)."""
    if access.every_brigade:
        tenancy.fill_brigade(obj)
        if obj.brigade_id is None and not obj._meta.get_field("brigade").null:
            raise ValidationError("系统中有多个大队，请选择记录所属的“大队”（或填写镇街、消防站）。")
    else:
        obj.brigade_id = access.brigade_id


def brigade_filter(access: Access) -> int | None:
    """The brigade whose records a query outside the record types (worklist, import) keeps: None for
    any (the administrator, the detachment, a one-brigade database); 0, which no brigade has, for a
    user of no brigade."""
    return None if access.every_brigade or access.only_brigade else (access.brigade_id or 0)


def limit_choices(fields: dict, access: Access) -> None:
    """Narrow each drop-down (form or API field) of records to the user's brigade."""
    if access.every_brigade or access.only_brigade:
        return
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset.model, "brigade_path"):
            field.queryset = in_brigade(queryset, access)
        child = getattr(field, "child_relation", None)  # the API's many-to-many fields
        if child is not None and getattr(child, "queryset", None) is not None:
            child.queryset = in_brigade(child.queryset, access)


def held_scope(access: Access, asked: str | None) -> str:
    """The metric scope text a user may ask for: a liaison their street; a brigade's people their
    brigade (``brigade`` means theirs, ``brigade:名称`` when the database holds several) or one of
    its streets or stations; the administrator and the detachment anything. Refused in Chinese."""
    from brigade.org.models import Station, Street

    if access.is_limited:
        if not access.scope_key:
            raise PermissionDenied("部门联络员暂无统计视图，请通过记录列表查看本部门数据。")
        return access.scope_key
    text = (asked or "").strip()
    mine = access.brigade_scope_key
    if mine is None:  # one brigade in the database, or a reader of every brigade
        if access.sees_nothing:
            raise PermissionDenied(access.edit_refusal(""))
        return text or "brigade"
    if text in ("", "brigade", "全大队", mine):
        return mine
    kind, _, name = text.partition(":")
    model = {"street": Street, "station": Station}.get(kind.strip())
    if model is not None and model.objects.filter(name=name.strip(), brigade_id=access.brigade_id).exists():
        return text
    raise PermissionDenied(f"您只能查看本大队（{access.brigade_label}）的统计（scope={text}）。")


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
