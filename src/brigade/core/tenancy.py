"""Which brigade (大队) a record belongs to: one declared path per model, and the checks built on it.

Every model of ours says how it reaches its brigade in a class attribute ``brigade_path``:

- a lookup string (``"street__brigade"``), or a tuple of alternatives for a record that names one
  of two owners (a letter to a street *or* a department);
- ``SHARED`` for reference data every brigade reads alike (ledger kinds, rubrics, caches).

The pages, the API, the exports and the imports ask this module (through ``brigade.core.access``)
which rows a user may see and whether a record may be written; nothing else spells a path.
A record's own foreign keys must all lead to the same brigade: ``check_one_brigade`` refuses a
record whose street and station (or unit and campaign …) belong to different brigades, naming both.
"""

import operator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

SHARED = "shared"  # the value of ``brigade_path`` for reference data (every brigade reads the same rows)


def paths_of(model) -> tuple[str, ...] | None:
    """The declared lookup paths to Brigade, or None for shared reference data."""
    path = getattr(model, "brigade_path", None)
    if path is None:
        raise LookupError(f"{model.__name__} declares no brigade_path")
    if path == SHARED:
        return None
    return (path,) if isinstance(path, str) else tuple(path)


def is_shared(model) -> bool:
    return getattr(model, "brigade_path", None) == SHARED


def owned_by(model, brigade_id: int) -> Q:
    """The rows of ``model`` that belong to the brigade (shared reference data: every row)."""
    paths = paths_of(model)
    if paths is None:
        return Q()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{"pk" if path == "pk" else f"{path}_id": brigade_id})
    return query


def in_brigades(model, ids, prefix: str = "") -> Q:
    """The rows of ``model`` that belong to any of the brigades ``ids``; with ``prefix`` (``"incident__"``),
    the rows whose related ``model`` record does (a dispatch counted with its call). The metrics'
    scope reads this, so a figure for a brigade counts exactly the records its users see."""
    paths = paths_of(model)
    if paths is None:
        raise ValueError(f"{model.__name__} is shared by every brigade: it has no brigade to filter by")
    ids = list(ids)
    lookups = [f"{prefix}{'pk' if path == 'pk' else path + '_id'}__in" for path in paths]
    return reduce(operator.or_, (Q(**{lookup: ids}) for lookup in lookups))


def declared_models() -> list:
    """Our models (not the audit trail's historical copies), each of which must declare a path."""
    return [m for m in apps.get_models() if m.__module__.startswith("brigade.")
            and not m.__name__.startswith("Historical")]


# ---- the brigade of one record ------------------------------------------------------------------

def _follow(obj, path: str):
    """The brigade id at the end of ``path`` from ``obj`` (None when a link on the way is empty)."""
    if path == "pk":
        return obj.pk
    *links, last = path.split("__")
    for name in links:
        if getattr(obj, f"{name}_id", None) is None:
            return None
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id", None)


def brigade_of(obj, *, fresh: bool = False) -> int | None:
    """The brigade id a saved or unsaved record belongs to (None: shared, or not known yet).

    Remembered on a saved instance (an import resolves the same unit for thousands of rows);
    ``fresh`` reads it again, for a record being changed.
    """
    paths = paths_of(type(obj))
    if paths is None:
        return None
    if obj.pk is not None and not fresh and "_brigade_of" in obj.__dict__:
        return obj.__dict__["_brigade_of"]
    found = next((b for b in (_follow(obj, p) for p in paths) if b is not None), None)
    if obj.pk is not None:
        obj.__dict__["_brigade_of"] = found
    return found


def _owners(obj) -> list[tuple[models.Field, object, int]]:
    """(field, related record, its brigade) for each filled foreign key to a brigade-owned record."""
    out = []
    for field in type(obj)._meta.concrete_fields:
        if not field.many_to_one or getattr(obj, field.attname) is None:
            continue
        target = field.related_model
        if getattr(target, "brigade_path", SHARED) == SHARED:
            continue
        related = getattr(obj, field.name)
        brigade = related.pk if target._meta.label == "org.Brigade" else brigade_of(related)
        if brigade is not None:
            out.append((field, related, brigade))
    return out


def _named(field, related) -> str:
    return f"{field.verbose_name}“{related}”"


def check_one_brigade(obj) -> None:
    """Refuse a record whose foreign keys lead to different brigades, naming both (in Chinese)."""
    if getattr(type(obj), "brigade_path", SHARED) == SHARED:
        return
    linked = [f for f in type(obj)._meta.concrete_fields if f.many_to_one and getattr(obj, f.attname) is not None
              and getattr(f.related_model, "brigade_path", SHARED) != SHARED]
    if len(linked) < 2 or not several_brigades():
        return  # nothing to compare, or one brigade in the database: no lookups on each save
    owners = _owners(obj)
    if len({b for _, _, b in owners}) <= 1:
        return
    Brigade = apps.get_model("org", "Brigade")  # by name: org.models builds on this module

    first = owners[0]
    other = next(o for o in owners if o[2] != first[2])
    names = dict(Brigade.objects.filter(pk__in=(first[2], other[2])).values_list("pk", "name"))
    # Not keyed by field: a form may not show the field (a hazard's unit), and the message names both.
    raise ValidationError(
        f"{_named(first[0], first[1])}属于{names.get(first[2], '另一大队')}，"
        f"{_named(other[0], other[1])}属于{names.get(other[2], '另一大队')}：一条记录只能属于一个大队。")


_SEVERAL: ContextVar[bool | None] = ContextVar("several_brigades", default=None)


def _first_two_brigades() -> list[int]:
    """At most two brigade ids: enough to tell none, one or several."""
    Brigade = apps.get_model("org", "Brigade")  # by name: org.models builds on this module

    return list(Brigade.objects.values_list("pk", flat=True)[:2])


def several_brigades() -> bool:
    known = _SEVERAL.get()
    return known if known is not None else len(_first_two_brigades()) > 1


@contextmanager
def brigades_settled():
    """Within: the number of brigades is taken as it was on entry (an import checks each of thousands
    of rows against it; it creates no brigade mid-way, or only where no row could name two)."""
    token = _SEVERAL.set(None)
    _SEVERAL.set(several_brigades())
    try:
        yield
    finally:
        _SEVERAL.reset(token)


def only_brigade_id() -> int | None:
    """The brigade's id when the database holds exactly one, else None."""
    ids = _first_two_brigades()
    return ids[0] if len(ids) == 1 else None


def fill_brigade(obj) -> None:
    """Set an own ``brigade`` left empty: from the record's street/station/unit, or the only brigade."""
    if not _has_own_brigade(type(obj)) or obj.brigade_id is not None:
        return
    owners = _owners(obj)
    obj.brigade_id = owners[0][2] if owners else only_brigade_id()


def _has_own_brigade(model) -> bool:
    return "brigade" in (paths_of(model) or ())


def fill_brigades(model, objs) -> None:
    """``fill_brigade`` for a bulk write (which sends no pre_save): one query per linked model, not per row."""
    if getattr(model, "brigade_path", SHARED) == SHARED or not _has_own_brigade(model):
        return
    empty = [obj for obj in objs if obj.brigade_id is None]
    links = [f for f in model._meta.concrete_fields
             if f.many_to_one and getattr(f.related_model, "brigade_path", SHARED) != SHARED]
    for field in links:  # in field order, as fill_brigade takes the first owner
        waiting = [obj for obj in empty if obj.brigade_id is None and getattr(obj, field.attname) is not None]
        if waiting:
            found = _brigades_of(field.related_model, {getattr(obj, field.attname) for obj in waiting})
            for obj in waiting:
                obj.brigade_id = found.get(getattr(obj, field.attname))
    only = None
    for obj in empty:
        if obj.brigade_id is None:
            only = only or only_brigade_id()
            obj.brigade_id = only


def _brigades_of(model, ids) -> dict:
    """{id: brigade id} of the ``model`` rows ``ids`` (the first declared path that leads to one)."""
    columns = ["pk" if path == "pk" else f"{path}_id" for path in paths_of(model)]
    ids, out = list(ids), {}
    for start in range(0, len(ids), 500):
        for pk, *brigades in model._default_manager.filter(pk__in=ids[start:start + 500]).values_list("pk", *columns):
            out[pk] = next((b for b in brigades if b is not None), None)
    return out


def before_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save for every declared model: the last guard of every path that saves one record."""
    if raw or getattr(sender, "brigade_path", SHARED) == SHARED:
        return
    fill_brigade(instance)  # still empty when no brigade can be told: the NOT NULL column refuses it
    check_one_brigade(instance)


def own_brigade() -> models.ForeignKey:
    """The ``brigade`` column of a record that carries its own (filled on save by ``fill_brigade``,
    on a bulk write by ``BrigadeOwnedQuerySet``), so a brigade's records are read from an index
    that leads with it instead of through their streets or units."""
    return models.ForeignKey("org.Brigade", models.PROTECT, blank=True, related_name="+", verbose_name="大队",
                             help_text="留空时按镇街、消防站或系统中唯一的大队填写")


class BrigadeOwnedQuerySet(models.QuerySet):
    """The manager of a model with its own ``brigade`` column: a bulk write fills it in too."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        fill_brigades(self.model, objs)
        return super().bulk_create(objs, *args, **kwargs)
