"""The brigade a per-brigade workflow (draw, evaluation, analyses) runs for, from a name or none.

With one brigade in the database the name may be left out (nothing changes for a single brigade);
with several it must be given, and a wrong or missing name is answered with the brigades there are.
"""

from brigade.core.errors import UserError
from brigade.org.models import Brigade

NO_BRIGADES = "尚未建立大队信息，请先建立消防救援大队。"
UNKNOWN = "没有名为“{name}”的大队。系统中的大队：{names}。"
SEVERAL = "系统中有多个大队（{names}），请用 {option} 大队名称 指定为哪个大队{what}。"


class BrigadeChoiceError(UserError):
    pass


def _names() -> str:
    return "、".join(Brigade.objects.order_by("pk").values_list("name", flat=True))


def chosen_brigade(name: str | None = None, *, what: str = "运行", option: str = "--brigade") -> Brigade:
    """The brigade named (``None``/"" : the only one); refused in Chinese, listing the brigades."""
    name = (name or "").strip()
    if name:
        found = Brigade.objects.filter(name=name).first()
        if found is None:
            raise BrigadeChoiceError(UNKNOWN.format(name=name, names=_names() or "无"))
        return found
    first_two = list(Brigade.objects.order_by("pk")[:2])
    if not first_two:
        raise BrigadeChoiceError(NO_BRIGADES)
    if len(first_two) > 1:
        raise BrigadeChoiceError(SEVERAL.format(names=_names(), option=option, what=what))
    return first_two[0]


def brigades_or_every(name: str | None = None) -> list[Brigade]:
    """The brigade named, or every brigade (in the order they were created) when none is."""
    if (name or "").strip():
        return [chosen_brigade(name)]
    every = list(Brigade.objects.order_by("pk"))
    if not every:
        raise BrigadeChoiceError(NO_BRIGADES)
    return every

