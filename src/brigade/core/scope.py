"""Scopes a figure can be computed for: the whole database, the detachment (支队), one brigade or a set
of brigades (大队), one street (镇街) or one station.

``brigade`` (bare) keeps its old meaning, everything in the database: in a single-brigade database
that is the brigade. ``detachment`` is the same records under the detachment's label (全支队).
``brigade:NAME`` and ``brigade:A,B`` are one brigade or a set; their figures are computed from the
records of those brigades, never combined from per-brigade figures. A set that names every brigade
in the database is everything, so metrics with no path to a brigade (notices, campaigns) still
apply to it.
"""

from dataclasses import dataclass

from brigade.core.errors import UserError


class ScopeError(UserError, ValueError):
    """An unknown scope; the message is Chinese."""


SCOPE_FORMS = ("可用格式：brigade（全库）、detachment（全支队）、brigade:大队名称（可用逗号列出多个大队）、"
               "street:镇街名称、station:消防站名称")
SCOPE_KINDS = ("brigade", "detachment", "brigades", "street", "station")
# Kinds that mean every record in the database.
WHOLE_KINDS = ("brigade", "detachment")


@dataclass(frozen=True)
class Scope:
    kind: str  # brigade | detachment | brigades | street | station
    name: str = ""  # street or station name; brigade names joined with "、"
    pk: int | None = None  # resolved database id (street, station)
    brigade_ids: tuple[int, ...] = ()  # kind "brigades": the brigades, sorted
    whole: bool = False  # kind "brigades": the set is every brigade in the database

    @property
    def key(self) -> str:
        if self.kind in WHOLE_KINDS:
            return self.kind
        if self.kind == "brigades":
            return "brigade:" + ",".join(self.name.split("、"))
        return f"{self.kind}:{self.name}"

    @property
    def label(self) -> str:
        return {"brigade": "全大队", "detachment": "全支队"}.get(self.kind, self.name)

    @property
    def everything(self) -> bool:
        """Whether no record needs to be filtered out."""
        return self.kind in WHOLE_KINDS or (self.kind == "brigades" and self.whole)

    @property
    def filters_brigades(self) -> bool:
        """Whether records must be filtered to ``brigade_ids``."""
        return self.kind == "brigades" and not self.whole


BRIGADE = Scope("brigade")
DETACHMENT = Scope("detachment")


def parse_scope(text: str | None) -> Scope:
    """Read a scope (see ``SCOPE_FORMS``) and check that every name exists."""
    raw = (text or "brigade").strip()
    if raw in ("brigade", "全大队", ""):
        return BRIGADE
    if raw in ("detachment", "全支队"):
        return DETACHMENT
    kind, sep, name = raw.partition(":")
    kind, name = kind.strip(), name.strip()
    if kind in ("brigade", "brigades") and sep and name:
        return brigades_scope([n.strip() for n in name.replace("，", ",").split(",") if n.strip()])
    if not sep or kind not in ("street", "station") or not name:
        raise ScopeError(f"无法识别统计范围“{raw}”。{SCOPE_FORMS}")
    from brigade.org.models import Station, Street

    model = Street if kind == "street" else Station
    pks = list(model.objects.filter(name=name).values_list("pk", flat=True)[:2])
    what = "镇街" if kind == "street" else "消防站"
    if not pks:
        known = "、".join(model.objects.values_list("name", flat=True)[:20]) or "（无）"
        raise ScopeError(f"没有名为“{name}”的{what}。现有：{known}")
    if len(pks) > 1:
        owners = "、".join(model.objects.filter(name=name).values_list("brigade__name", flat=True))
        raise ScopeError(f"名为“{name}”的{what}不止一个（分属{owners}），请改按大队统计（brigade:大队名称）。")
    return Scope(kind, name, pks[0])


def brigades_scope(names: list[str]) -> Scope:
    """The scope of the named brigades; every name must exist."""
    from brigade.org.models import Brigade

    if not names:
        raise ScopeError(f"请写出大队名称。{SCOPE_FORMS}")
    found = dict(Brigade.objects.filter(name__in=names).values_list("name", "pk"))
    missing = [n for n in names if n not in found]
    if missing:
        known = "、".join(Brigade.objects.order_by("name").values_list("name", flat=True)[:30]) or "（无）"
        from brigade.org.chosen import UNKNOWN  # one wording for a brigade name not found

        raise ScopeError(UNKNOWN.format(name="、".join(missing), names=known))
    ordered = sorted(dict.fromkeys(names), key=lambda n: found[n])
    ids = tuple(found[n] for n in ordered)
    whole = set(ids) == set(Brigade.objects.values_list("pk", flat=True))
    return Scope("brigades", "、".join(ordered), brigade_ids=ids, whole=whole)


def brigade_scope(brigade) -> Scope:
    """The scope of one Brigade row (no name lookup)."""
    from brigade.org.models import Brigade

    whole = not Brigade.objects.exclude(pk=brigade.pk).exists()
    return Scope("brigades", brigade.name, brigade_ids=(brigade.pk,), whole=whole)
