"""Who a user is to the web pages: a role, and for liaisons the one street or department they see.

Roles are Django groups named in Chinese (``ROLE_GROUPS``); a liaison also belongs to a group
``镇街:<名称>`` or ``部门:<名称>`` that ties them to their street or department. The full
permission layer (issue 10) will replace this module's internals; pages only ask ``access_for``.
"""

from dataclasses import dataclass
from functools import cached_property

ADMIN = "admin"
LEADER = "leader"
SUPERVISION = "supervision"
COMMAND = "command"
TRAINING = "training"
LIAISON = "liaison"

# Role code → the Django group that grants it, in order of precedence.
ROLE_GROUPS = {
    LEADER: "大队领导",
    SUPERVISION: "防火监督员",
    COMMAND: "指挥中心",
    TRAINING: "训练宣传干事",
    LIAISON: "镇街部门联络员",
}
ROLE_LABELS = {ADMIN: "系统管理员", **ROLE_GROUPS}
STREET_GROUP_PREFIX = "镇街:"
DEPARTMENT_GROUP_PREFIX = "部门:"


@dataclass(frozen=True)
class Access:
    """What one signed-in user may see: a role, and a street or department for a liaison."""

    role: str | None  # None: signed in but given no role yet
    street_id: int | None = None
    department_id: int | None = None
    label: str = ""  # the street or department name, for the page header

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

    def can_edit(self, editors: frozenset[str]) -> bool:
        return self.role == ADMIN or (self.role in editors and not self.is_limited)


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
    if user.is_superuser:
        return Access(ADMIN)
    names = set(user.groups.values_list("name", flat=True))
    role = next((code for code, group in ROLE_GROUPS.items() if group in names), None)
    if role != LIAISON:
        return Access(role)
    from brigade.org.models import Department, Street

    # A liaison without a street or department group sees nothing (street_id and department_id None).
    for name in sorted(names):
        if name.startswith(STREET_GROUP_PREFIX):
            label = name.removeprefix(STREET_GROUP_PREFIX)
            pk = Street.objects.filter(name=label).values_list("pk", flat=True).first()
            return Access(LIAISON, street_id=pk, label=label)
        if name.startswith(DEPARTMENT_GROUP_PREFIX):
            label = name.removeprefix(DEPARTMENT_GROUP_PREFIX)
            pk = Department.objects.filter(name=label).values_list("pk", flat=True).first()
            return Access(LIAISON, department_id=pk, label=label)
    return Access(LIAISON)


def assign_role(user, role: str, *, street=None, department=None) -> None:
    """Put a user in the role's group (and a liaison in their street's or department's group)."""
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
    user.__dict__.pop("_brigade_access", None)
