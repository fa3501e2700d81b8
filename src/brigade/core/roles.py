"""Who a user is to the web pages: a role, the brigade they work for, and for liaisons the one
street or department they see.

Roles are Django groups named in Chinese (``ROLE_GROUPS``). A brigade's people (leader, officer,
command, training) also belong to a group ``大队:<名称>`` that ties them to their brigade — in a
database with one brigade they need not: they work for that one. A liaison belongs to a group
``镇街:<名称>`` or ``部门:<名称>``, which implies the brigade. Detachment staff (``支队机关``) read
every brigade's records and write none. Pages only ask ``access_for``; which rows a brigade
owns is ``brigade.core.tenancy``'s to say.
"""

from dataclasses import dataclass
from functools import cached_property

ADMIN = "admin"
LEADER = "leader"
SUPERVISION = "supervision"
COMMAND = "command"
TRAINING = "training"
LIAISON = "liaison"
DETACHMENT = "detachment"

# Role code → the Django group that grants it, in order of precedence (read-only first: a user put in
# both the detachment's group and a brigade's role group can still write nothing).
ROLE_GROUPS = {
    DETACHMENT: "支队机关",
    LEADER: "大队领导",
    SUPERVISION: "防火监督员",
    COMMAND: "指挥中心",
    TRAINING: "训练宣传干事",
    LIAISON: "镇街部门联络员",
}
ROLE_LABELS = {ADMIN: "系统管理员", **ROLE_GROUPS}
BRIGADE_GROUP_PREFIX = "大队:"
STREET_GROUP_PREFIX = "镇街:"
DEPARTMENT_GROUP_PREFIX = "部门:"


DETACHMENT_READ_ONLY = "支队机关人员只能查看各大队的记录，不能新增、修改、导入或办理。"


@dataclass(frozen=True)
class Access:
    """What one signed-in user may see: a role, a brigade, and a street or department for a liaison."""

    role: str | None  # None: signed in but given no role yet
    street_id: int | None = None
    department_id: int | None = None
    label: str = ""  # the street or department name, for the page header
    brigade_id: int | None = None  # the brigade the user works for (None: every brigade, or none)
    brigade_label: str = ""
    every_brigade: bool = False  # reads all brigades: the administrator and the detachment's staff
    only_brigade: bool = False  # the database holds one brigade (or none yet): reading needs no filter

    @property
    def is_read_only(self) -> bool:
        return self.role == DETACHMENT

    @property
    def sees_nothing(self) -> bool:
        """A brigade role with no brigade (a database of several and no ``大队:`` group)."""
        return self.role is not None and not (self.every_brigade or self.only_brigade) and self.brigade_id is None

    @property
    def is_limited(self) -> bool:
        """A liaison sees only the records of their own street or department."""
        return self.role == LIAISON

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, "未分配角色")

    @cached_property
    def scope_key(self) -> str | None:
        """The metric scope a liaison is held to (``street:名称``), or None for brigade-wide roles."""
        if not self.is_limited:
            return None
        return f"street:{self.label}" if self.street_id else None

    @property
    def brigade_scope_key(self) -> str | None:
        """The metric scope of the user's brigade when the database holds several (``brigade:名称``);
        None when the plain ``brigade`` scope is theirs (one brigade) or they read every brigade."""
        if self.every_brigade or self.only_brigade or self.brigade_id is None:
            return None
        return f"brigade:{self.brigade_label}"

    def can_edit(self, editors: frozenset[str]) -> bool:
        if self.is_read_only or self.sees_nothing:
            return False
        return self.role == ADMIN or (self.role in editors and not self.is_limited)

    def edit_refusal(self, what: str) -> str:
        """Why the user may not change ``what`` (a record type's title), in Chinese."""
        if self.is_read_only:
            return DETACHMENT_READ_ONLY
        if self.sees_nothing:
            return NO_BRIGADE
        return f"您的角色无权编辑“{what}”。"


NO_BRIGADE = "系统中有多个大队，您的账号尚未归属任何大队（请管理员把账号加入“大队:大队名称”组）。"
NO_ACCESS = Access(role=None)


def access_for(user) -> Access:
    """The role and territory of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    cached = getattr(user, "_brigade_access", None)
    if cached is not None:
        return cached
    access = _resolve(user)
    user._brigade_access = access
    return access


def _resolve(user) -> Access:
    from brigade.org.models import Brigade, Department, Street

    brigades = dict(Brigade.objects.order_by("pk").values_list("pk", "name")[:2])
    only = len(brigades) <= 1  # none yet counts as one: nothing to keep apart
    if user.is_superuser:
        return Access(ADMIN, every_brigade=True, only_brigade=only)
    names = set(user.groups.values_list("name", flat=True))
    role = next((code for code, group in ROLE_GROUPS.items() if group in names), None)
    if role is None:
        return Access(None)
    if role == DETACHMENT:
        return Access(DETACHMENT, every_brigade=True, only_brigade=only)
    # The brigade: the user's ``大队:`` group; else the only brigade there is.
    named = sorted(n.removeprefix(BRIGADE_GROUP_PREFIX) for n in names if n.startswith(BRIGADE_GROUP_PREFIX))
    brigade = Brigade.objects.filter(name=named[0]).values_list("pk", "name").first() if named else None
    if brigade is None and only:
        brigade = next(iter(brigades.items()))
    mine = {"brigade_id": brigade[0], "brigade_label": brigade[1]} if brigade else {}
    if role != LIAISON:
        return Access(role, only_brigade=only, **mine)
    # A liaison without a street or department group sees nothing (street_id and department_id None);
    # the street (or department) is looked for in the user's brigade when one is named.
    for name in sorted(names):
        for prefix, model, key in ((STREET_GROUP_PREFIX, Street, "street_id"),
                                   (DEPARTMENT_GROUP_PREFIX, Department, "department_id")):
            if not name.startswith(prefix):
                continue
            label = name.removeprefix(prefix)
            rows = model.objects.filter(name=label)
            if brigade:
                rows = rows.filter(brigade_id=brigade[0])
            found = rows.order_by("pk").values_list("pk", "brigade_id", "brigade__name").first()
            if found is None:
                return Access(LIAISON, label=label, only_brigade=only, **mine)
            return Access(LIAISON, label=label, only_brigade=only, brigade_id=found[1], brigade_label=found[2],
                          **{key: found[0]})
    return Access(LIAISON, only_brigade=only, **mine)


def assign_role(user, role: str, *, street=None, department=None, brigade=None) -> None:
    """Put a user in the role's group (a liaison also in their street's or department's group, a
    brigade's people in their brigade's)."""
    from django.contrib.auth.models import Group

    if role == ADMIN:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        return
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[role])[0])
    if street is not None:
        user.groups.add(Group.objects.get_or_create(name=f"{STREET_GROUP_PREFIX}{street.name}")[0])
    if department is not None:
        user.groups.add(Group.objects.get_or_create(name=f"{DEPARTMENT_GROUP_PREFIX}{department.name}")[0])
    if brigade is not None:
        user.groups.add(Group.objects.get_or_create(name=f"{BRIGADE_GROUP_PREFIX}{brigade.name}")[0])
    user.__dict__.pop("_brigade_access", None)
