"""The API asks the same questions as the web pages: may this role see or change this record type,
and which rows (a liaison: only their own street's or department's)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from brigade.core.access import can_view, scoped
from brigade.core.records import record_type_for
from brigade.core.roles import access_for


class RolePermission(BasePermission):
    message = "您的角色无权访问或修改这类记录。"

    def has_permission(self, request, view):
        record_type = record_type_for(view.resource.model)
        access = access_for(request.user)
        if record_type is None:
            return access.role == "admin"
        if request.method in SAFE_METHODS:
            return can_view(record_type, access)
        if not access.can_edit(record_type.editors) and (access.is_read_only or access.sees_nothing):
            self.message = access.edit_refusal(record_type.title)
        return access.can_edit(record_type.editors)


def visible_rows(view):
    """The rows of the view's record type this user may see."""
    record_type = record_type_for(view.resource.model)
    access = access_for(view.request.user)
    if record_type is None:
        return view.resource.model._default_manager.all() if access.role == "admin" else \
            view.resource.model._default_manager.none()
    return scoped(record_type, access)
