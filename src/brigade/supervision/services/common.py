"""What every hazard step shares: the messages, the states each step may start from, locking the
row, saving it with its version bumped and writing the event."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from brigade.core.errors import Conflict
from brigade.supervision.choices import (
    HazardEventKind,
    HazardStatus,
)
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import (
    EnforcementAction,
    Hazard,
    HazardEvent,
)

# --- messages (shared with the tests) -------------------------------------------------------------
HAZARD_STALE = "该隐患已被他人修改（您看到的是第{expected}版，当前为第{actual}版），请刷新后重试。"
TRANSITION_REFUSED = "隐患当前状态为“{status}”，不能{action}。"
BAD_CATEGORY = "隐患类别“{value}”不是有效选项。"
FOUND_BEFORE_INSPECTION = "发现日期（{found}）不能早于检查日期（{inspected}）。"
ORDER_BEFORE_FOUND = "责令改正日期（{ordered}）不能早于隐患发现日期（{found}）。"
DEADLINE_BEFORE_INSPECTION = "整改期限（{deadline}）不能早于检查日期（{inspected}）。"
DEADLINE_BEFORE_ORDER = "整改期限（{deadline}）不能早于责令改正日期（{ordered}）。"
RECTIFIED_BEFORE_ORDER = "整改日期（{rectified}）不能早于责令改正日期（{ordered}）。"
REQUEST_BEFORE_ORDER = "申请复查日期（{requested}）不能早于责令改正日期（{ordered}）。"
REQUEST_TWICE = "当事人已于{requested}申请复查，复查前不能重复登记。"
REINSPECTION_NOT_ORDERED = "隐患尚未责令改正，不能复查。"
REINSPECTION_BEFORE_ORDER = "复查日期（{reinspected}）不能早于责令改正日期（{ordered}）。"
REINSPECTION_BEFORE_RECTIFIED = "复查日期（{reinspected}）不能早于整改日期（{rectified}）。"
REINSPECTION_TOO_EARLY = (
    "整改期限{deadline}尚未届满，当事人未申请复查，也未登记整改完成，复查日期（{reinspected}）过早。"
)
CLOSE_NOT_REINSPECTED = "隐患尚未复查，不能销案（当前状态：{status}）。"
CLOSE_REINSPECTION_FAILED = "隐患复查不合格，不能销案；请重新责令改正或转执法处理。"
CLOSE_BEFORE_REINSPECTION = "销案日期（{closed}）不能早于复查日期（{reinspected}）。"
CLOSE_MAJOR_LISTED = "重大火灾隐患已挂牌督办、尚未摘牌销号，不能销案。"
CLOSE_MAJOR_NOT_REPORTED = "重大火灾隐患尚未报告政府，不能销案。"
ESCALATE_CLOSED = "隐患“{hazard}”已销案，不能转执法处理。"
ACTION_NAMES = {
    HazardEventKind.ORDERED: "责令改正",
    HazardEventKind.RECTIFIED: "登记整改完成",
    HazardEventKind.REINSPECTION_REQUESTED: "登记复查申请",
    HazardEventKind.REINSPECTED: "复查",
    HazardEventKind.CLOSED: "销案",
    HazardEventKind.ESCALATED: "转执法处理",
}
# The states each step may start from.
ALLOWED_FROM = {
    HazardEventKind.ORDERED: (HazardStatus.FOUND, HazardStatus.REINSPECTED),
    HazardEventKind.RECTIFIED: (HazardStatus.ORDERED, HazardStatus.ESCALATED),
    HazardEventKind.REINSPECTION_REQUESTED: (HazardStatus.ORDERED, HazardStatus.RECTIFIED, HazardStatus.ESCALATED),
    HazardEventKind.REINSPECTED: (HazardStatus.ORDERED, HazardStatus.RECTIFIED, HazardStatus.ESCALATED),
    HazardEventKind.CLOSED: (HazardStatus.REINSPECTED,),
    HazardEventKind.ESCALATED: (
        HazardStatus.FOUND, HazardStatus.ORDERED, HazardStatus.RECTIFIED, HazardStatus.REINSPECTED,
        HazardStatus.ESCALATED,
    ),
}


class HazardConflict(WorkflowError, Conflict):
    """Someone changed the hazard since the user loaded it (HTTP 409 for the API)."""

# --- helpers ---------------------------------------------------------------------------------------
def _lock(hazard: Hazard, expected_version: int | None) -> Hazard:
    """The hazard's row, locked for this transaction; refuse when someone changed it meanwhile."""
    fresh = Hazard.objects.select_for_update(of=("self",)).select_related("inspection", "unit").get(pk=hazard.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise HazardConflict(HAZARD_STALE.format(expected=expected_version, actual=fresh.version))
    return fresh


def _require_from(hazard: Hazard, step: str) -> None:
    if hazard.status not in ALLOWED_FROM[step]:
        status = HazardStatus(hazard.status).label
        if step == HazardEventKind.CLOSED and hazard.status != HazardStatus.CLOSED:
            raise WorkflowError(CLOSE_NOT_REINSPECTED.format(status=status))
        if step == HazardEventKind.REINSPECTED and hazard.status == HazardStatus.FOUND:
            raise WorkflowError(REINSPECTION_NOT_ORDERED)
        raise WorkflowError(TRANSITION_REFUSED.format(status=status, action=ACTION_NAMES[step]))


def _save(hazard: Hazard) -> None:
    """Model rules as a last guard, then save with the version bumped."""
    try:
        hazard.full_clean(exclude=["inspection", "unit"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise WorkflowError(messages[0], field=None if field == "__all__" else field) from exc
    hazard.version += 1
    hazard.save()


def _log(hazard: Hazard, kind: str, *, from_status: str, on: dt.date, by, note: str = "",
         enforcement: EnforcementAction | None = None) -> HazardEvent:
    return HazardEvent.objects.create(
        hazard=hazard, kind=kind, from_status=from_status, to_status=hazard.status, on=on,
        at=timezone.now(), by=by, note=note[:300], enforcement=enforcement,
    )


def _finish(original: Hazard, fresh: Hazard) -> Hazard:
    """Let the caller's instance see the new state too."""
    for f in Hazard._meta.concrete_fields:
        setattr(original, f.attname, getattr(fresh, f.attname))
    return fresh
