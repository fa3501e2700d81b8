"""The record registry covers every model, and its declarations name real fields."""

from django.apps import apps
from django.db import models

from brigade.core.records import RECORD_TYPES, SECTIONS
from brigade.core.roles import LIAISON, Access
from brigade.web.generic import can_view, form_class

# Models deliberately without web pages, and why.
NOT_SHOWN: set[str] = {
    "response.IncidentColumns",  # a cache of incidents and dispatches, rebuilt from them: not a record
    "supervision.Photo",  # shown and added on its inspection's or hazard's page (web/photos.py)
    "brigade_io.ValueMapping",  # remembered import choices: kept and edited in the admin, used by imports
}


def test_every_model_has_a_record_type():
    declared = {rt.model for rt in RECORD_TYPES.values()}
    missing = [
        m._meta.label for m in apps.get_models()
        if m.__module__.startswith("brigade.") and not m.__name__.startswith("Historical")
        and m not in declared and m._meta.label not in NOT_SHOWN
    ]
    assert missing == [], f"没有网页的记录类型：{missing}（请在 brigade/web/records.py 中声明）"


def _resolves(model, path: str) -> bool:
    for part in path.split("__"):
        if part == "pk":
            return True
        field = model._meta.get_field(part)
        model = field.related_model or model
    return True


def test_declarations_name_real_fields():
    for slug, rt in RECORD_TYPES.items():
        assert rt.section in SECTIONS, slug
        for name in rt.list_columns + rt.filters + rt.raw_id:
            rt.model._meta.get_field(name)
        for name in rt.filters:
            field = rt.field(name)
            assert field.choices or isinstance(field, models.BooleanField | models.ForeignKey), (slug, name)
        for path in (*rt.search, *(p for p in (rt.street, rt.department, rt.date_field) if p)):
            assert _resolves(rt.model, path), (slug, path)
        form_class(rt)  # builds


def test_a_liaison_sees_only_types_tied_to_their_territory():
    street_liaison = Access(LIAISON, street_id=1, label="九曲街道")
    department_liaison = Access(LIAISON, department_id=1, label="教育局")
    nowhere = Access(LIAISON)
    for slug, rt in RECORD_TYPES.items():
        if can_view(rt, street_liaison):
            assert rt.street and not rt.hidden_for_liaison, slug
        if can_view(rt, department_liaison):
            assert rt.department and not rt.hidden_for_liaison, slug
        assert not can_view(rt, nowhere), slug


def test_territory_paths_follow_foreign_keys_forwards():
    """A path through a reverse relation would repeat rows (and would need .distinct())."""
    for slug, rt in RECORD_TYPES.items():
        for path in (p for p in (rt.street, rt.department) if p and p != "pk"):
            model = rt.model
            for part in path.split("__"):
                field = model._meta.get_field(part)
                assert field.many_to_one or field.one_to_one and field.concrete, (slug, path)
                model = field.related_model
