"""Streets, communities, stations and departments a ledger names but Brigade lacks, created in the
same import only when the user asks (``--create streets`` or a tick per value on the web page).

In a dry run the new records are built but not saved, so the report lists them before anything is
written; in the import itself they are saved inside its transaction, so a refused import creates none.
"""

from brigade.core.records import RECORD_TYPES, sheet_ref_for
from brigade.io.cells import CellError, clean_text


def creatable_models() -> dict[str, type]:
    """The kinds ``--create`` takes (record types declaring ``create_words``), by English and Chinese name."""
    kinds = {}
    for rt in RECORD_TYPES.values():
        for word in (*rt.sheet_ref.create_words, str(rt.model._meta.verbose_name)) if rt.sheet_ref.create_words else ():
            kinds.setdefault(word, rt.model)
    return kinds


def _kinds_text() -> str:
    words = [rt.sheet_ref.create_words for rt in RECORD_TYPES.values() if rt.sheet_ref.create_words]
    return "、".join(f"{w[0]} {w[1]}" for w in words)


def parse_create(text: str) -> dict:
    """``"streets,stations"`` → {Street: None, Station: None} (None: every unknown value of that kind)."""
    from brigade.core.errors import UserError

    kinds = creatable_models()
    out = {}
    for word in [w for w in clean_text(text).replace("，", ",").replace("、", ",").split(",") if w.strip()]:
        model = kinds.get(word.strip().lower()) or kinds.get(word.strip())
        if model is None:
            raise UserError(f"--create 不认识“{word.strip()}”（可用：{_kinds_text()}，用逗号分隔）。")
        out[model] = None
    return out


class Creator:
    """Makes the missing record a resolver could not find, when the user allowed it."""

    def __init__(self, resolvers, allowed: dict, *, write: bool):
        self.resolvers, self.allowed, self.write = resolvers, allowed, write
        self.created: dict[tuple[str, str], int] = {}  # (kind, name) → rows naming it

    def allows(self, model, text: str) -> bool:
        if model not in self.allowed:
            return False
        values = self.allowed[model]
        text = clean_text(text)
        return values is None or text in values or text.rpartition("/")[2] in values

    def __call__(self, model, text: str):
        ref = sheet_ref_for(model)
        name = clean_text(text)
        if ref.parent:  # written under its parent: "九曲街道/幸福小区"
            parent_name, _, name = name.replace("·", "/").rpartition("/")
            if not parent_name or not name:
                raise CellError(ref.create_hint.format(text=text))
            parent = self.resolvers[model._meta.get_field(ref.parent).related_model].resolve(parent_name)
            kwargs = {"name": name, ref.parent: parent}
            shown = f"{parent.name}/{name}"
        else:  # in the importing brigade (the only one, or the one named)
            kwargs = {"name": name, "brigade": self.resolvers[model._meta.get_field("brigade").related_model].default()}
            shown = name
        obj = model(**kwargs)
        try:
            obj.full_clean(exclude=["brigade", *([ref.parent] if ref.parent else [])], validate_unique=False)
        except Exception as exc:  # ValidationError: the name is too long or empty
            raise CellError(f"无法新建{model._meta.verbose_name}“{text}”：{'；'.join(getattr(exc, 'messages', [str(exc)]))}") from None
        if self.write:
            if ref.parent and kwargs[ref.parent].pk is None:
                noun = ref.create_words[1] if len(ref.create_words) > 1 else model._meta.verbose_name
                raise CellError(f"无法新建{noun}“{text}”：所在{kwargs[ref.parent]._meta.verbose_name}尚未保存。")
            obj.save()
        self.created[(str(model._meta.verbose_name), shown)] = 0
        return obj
