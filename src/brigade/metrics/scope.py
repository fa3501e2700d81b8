"""Scopes a figure can be computed for: the whole brigade, one street (镇街) or one station."""

from dataclasses import dataclass

from brigade.core.errors import UserError


class ScopeError(UserError, ValueError):
    """An unknown scope; the message is Chinese."""


SCOPE_FORMS = "可用格式：brigade（全大队）、street:镇街名称、station:消防站名称"
SCOPE_KINDS = ("brigade", "street", "station")


@dataclass(frozen=True)
class Scope:
    kind: str  # brigade | street | station
    name: str = ""  # street or station name
    pk: int | None = None  # resolved database id

    @property
    def key(self) -> str:
        return "brigade" if self.kind == "brigade" else f"{self.kind}:{self.name}"

    @property
    def label(self) -> str:
        return "全大队" if self.kind == "brigade" else self.name


BRIGADE = Scope("brigade")


def parse_scope(text: str | None) -> Scope:
    """Read ``brigade``, ``street:NAME`` or ``station:NAME`` and check that the name exists."""
    raw = (text or "brigade").strip()
    if raw in ("brigade", "全大队", ""):
        return BRIGADE
    kind, sep, name = raw.partition(":")
    kind, name = kind.strip(), name.strip()
    if not sep or kind not in ("street", "station") or not name:
        raise ScopeError(f"无法识别统计范围“{raw}”。{SCOPE_FORMS}")
    from brigade.org.models import Station, Street

    model = Street if kind == "street" else Station
    pk = model.objects.filter(name=name).values_list("pk", flat=True).first()
    if pk is None:
        known = "、".join(model.objects.values_list("name", flat=True)[:20]) or "（无）"
        what = "镇街" if kind == "street" else "消防站"
        raise ScopeError(f"没有名为“{name}”的{what}。现有：{known}")
    return Scope(kind, name, pk)
