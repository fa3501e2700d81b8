"""Streets, communities, stations and departments a ledger names but Brigade lacks, created in the
same import only when the user asks (``--create streets`` or a tick per value on the web page).

In a dry run the new records are built but not saved, so the report lists them before anything is
written; in the import itself they are saved inside its transaction, so a refused import creates none.
"""

from brigade.io.cells import CellError, clean_text


def creatable_models() -> dict[str, type]:
    """The kinds ``--create`` takes, by English name and Chinese name."""
    from brigade.org.models import Community, Department, Station, Street

    kinds = {"streets": Street, "communities": Community, "stations": Station, "departments": Department}
    kinds.update({str(m._meta.verbose_name): m for m in list(kinds.values())})
    kinds.update({"镇街": Street, "街道": Street, "社区": Community, "小区": Community, "消防站": Station, "站": Station,
                  "部门": Department})
    return kinds


def parse_create(text: str) -> dict:
    """``"streets,stations"`` → {Street: None, Station: None} (None: every unknown value of that kind)."""
    from brigade.core.errors import UserError

    kinds = creatable_models()
    out = {}
    for word in [w for w in clean_text(text).replace("，", ",").replace("、", ",").split(",") if w.strip()]:
        model = kinds.get(word.strip().lower()) or kinds.get(word.strip())
        if model is None:
            raise UserError(f"--create 不认识“{word.strip()}”（可用：streets 镇街、communities 社区、"
                            "stations 消防站、departments 部门，用逗号分隔）。")
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
        from brigade.org.models import Brigade, Community

        name = clean_text(text)
        kwargs = {"name": name}
        if model is Community:
            street_name, _, name = name.replace("·", "/").rpartition("/")
            if not street_name or not name:
                raise CellError(f"要新建社区“{text}”，请写作“镇街/社区”（如 九曲街道/幸福小区）。")
            from brigade.org.models import Street

            kwargs = {"name": name, "street": self.resolvers[Street].resolve(street_name)}
        else:
            kwargs["brigade"] = self.resolvers[Brigade].default()
        obj = model(**kwargs)
        try:
            obj.full_clean(exclude=["brigade", "street"], validate_unique=False)
        except Exception as exc:  # ValidationError: the name is too long or empty
            raise CellError(f"无法新建{model._meta.verbose_name}“{text}”：{'；'.join(getattr(exc, 'messages', [str(exc)]))}") from None
        if self.write:
            if getattr(kwargs.get("street"), "pk", True) is None:
                raise CellError(f"无法新建社区“{text}”：所在镇街尚未保存。")
            obj.save()
        self.created[(str(model._meta.verbose_name), f"{kwargs['street'].name}/{name}" if model is Community
                      else name)] = 0
        return obj
