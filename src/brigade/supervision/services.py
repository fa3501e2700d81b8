"""Hazard and enforcement workflows: every change of a hazard's state goes through these functions.

Views, the API, the CLI and importers call the same services. Each runs in one transaction, locks
the row it changes, refuses an illegal step with a Chinese ``WorkflowError`` naming the problem
(and the field, when one is to blame), changes nothing on refusal, and records who did what and
when in ``HazardEvent``. ``by`` is the acting user, or ``None`` for the system or an import.

Lifecycle: found → ordered (on the spot, or with a deadline) → rectified (or overdue, derived
from the deadline) → re-inspected → closed; from any open state a hazard can be escalated to an
enforcement action (penalty, seal-up, stop order, government listing, detention transfer).
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brigade.supervision import deadlines
from brigade.supervision.choices import (
    EnforcementKind,
    HazardCategory,
    HazardEventKind,
    HazardStatus,
    LegalBasis,
    StopOrderKind,
)
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import (
    EnforcementAction,
    Hazard,
    HazardEvent,
    Inspection,
    MajorHazardCase,
)
from brigade.supervision.recurrence import link_previous_occurrence

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

NO_LEGAL_BASIS = "请选择法律依据：执法处理必须写明所依据的法律条款。"
BAD_LEGAL_BASIS = "法律依据“{value}”不是有效选项。"
BAD_KIND = "处理类型“{value}”不是有效选项。"
NO_PARTY = "请选择被处理单位或填写当事人姓名。"
STOP_ORDER_NO_KIND = "责令三停须选择停止类型（停止施工、停止使用或停产停业）。"
ENDS_BEFORE_DECISION = "期限届满日期（{ends}）不能早于决定日期（{decided}）。"
NEGATIVE_FINE = "罚款金额不能为负数。"
HAZARD_OTHER_UNIT = "隐患“{hazard}”不属于被处理单位“{unit}”。"
DECISION_BEFORE_FOUND = "决定日期（{decided}）不能早于隐患“{hazard}”的发现日期（{found}）。"
LIFT_NOT_LIFTABLE = "“{kind}”不是需要解除的措施。"
LIFT_ALREADY = "该措施已于{lifted}解除。"
LIFT_NEEDS_INSPECTION = "解除{kind}前须经检查：请选择解除前的检查记录。"
LIFT_INSPECTION_OTHER_UNIT = "所选检查记录的单位（{inspected_unit}）不是被处理单位（{unit}）。"
LIFT_INSPECTION_BEFORE_DECISION = "解除前检查的日期（{inspected}）早于决定日期（{decided}），不能作为解除依据。"
LIFT_BEFORE_INSPECTION = "解除日期（{lifted}）不能早于解除前检查的日期（{inspected}）。"
LIFT_BEFORE_DECISION = "解除日期（{lifted}）不能早于决定日期（{decided}）。"
EXTEND_NOT_SEAL_UP = "只有临时查封可以延长期限，“{kind}”不能延长。"
EXTEND_LIFTED = "临时查封已于{lifted}解除，不能延长。"
EXTEND_NOT_LATER = "新的期限届满日期（{ends}）应晚于原期限届满日期（{current}）。"
EXTEND_HAZARDS_CLEARED = "临时查封涉及的隐患均已复查合格，不属于“逾期未消除火灾隐患”，不能超过一个月延长查封。"
EXTEND_NO_REASON = "请填写延长查封的理由。"

MAJOR_ALREADY = "该隐患已于{determined}认定为重大火灾隐患。"
MAJOR_NOT_DETERMINED = "隐患尚未经集体研究认定为重大火灾隐患，不能{action}。"
MAJOR_HAZARD_CLOSED = "隐患已销案，不能{action}。"
MAJOR_DETERMINED_BEFORE_FOUND = "集体研究认定日期（{determined}）不能早于隐患发现日期（{found}）。"
MAJOR_STEP_DONE = "{step}已于{day}登记，不能重复登记。"
MAJOR_STEP_BEFORE = "{step}日期（{day}）不能早于{earlier}日期（{earlier_day}）。"
MAJOR_LIST_NOT_REPORTED = "重大火灾隐患尚未报告政府，不能登记挂牌督办。"
MAJOR_DELIST_NOT_LISTED = "重大火灾隐患尚未挂牌督办，不能摘牌销号。"
MAJOR_DELIST_NOT_VERIFIED = "隐患尚未复查合格，不能摘牌销号。"

# Measures that last until lifted, and those that may be lifted only after an inspection.
LIFTABLE_KINDS = (EnforcementKind.SEAL_UP, EnforcementKind.STOP_ORDER, EnforcementKind.GOVERNMENT_LISTING)
LIFT_AFTER_INSPECTION = (EnforcementKind.SEAL_UP, EnforcementKind.STOP_ORDER)

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


class HazardConflict(WorkflowError):
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


# --- the hazard loop -------------------------------------------------------------------------------
@transaction.atomic
def hazard_record(*, inspection: Inspection, category: str, found_on: dt.date | None = None,
                  description: str = "", is_major: bool = False, by=None, note: str = "",
                  link_recurrence: bool = True, client_id=None) -> Hazard:
    """Record a hazard found in an inspection (state: found); link it to an earlier closed one it repeats."""
    if category not in HazardCategory.values:
        raise WorkflowError(BAD_CATEGORY.format(value=category), field="category")
    found_on = found_on or inspection.inspected_on
    if found_on < inspection.inspected_on:
        raise WorkflowError(
            FOUND_BEFORE_INSPECTION.format(found=found_on, inspected=inspection.inspected_on), field="found_on"
        )
    hazard = Hazard(inspection=inspection, unit=inspection.unit, category=category, description=description,
                    is_major=is_major, status=HazardStatus.FOUND, found_on=found_on, client_id=client_id)
    _save(hazard)
    _log(hazard, HazardEventKind.RECORDED, from_status="", on=found_on, by=by, note=note)
    if link_recurrence:

        link_previous_occurrence(hazard, by=by)
    return hazard


@transaction.atomic
def hazard_order(*, hazard: Hazard, ordered_on: dt.date, deadline: dt.date | None = None, by=None,
                 note: str = "", expected_version: int | None = None) -> Hazard:
    """Order rectification: on the spot (``deadline=None``, 责令立即改正) or by a deadline (责令限期改正).

    Also re-orders a hazard whose re-inspection failed (a new deadline, a new round).
    """
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.ORDERED)
    if h.status == HazardStatus.REINSPECTED and h.reinspection_passed:
        raise WorkflowError(TRANSITION_REFUSED.format(status="复查合格", action="再次责令改正"))
    inspected = h.inspection.inspected_on
    if ordered_on < h.found_on:
        raise WorkflowError(ORDER_BEFORE_FOUND.format(ordered=ordered_on, found=h.found_on), field="ordered_on")
    if deadline is not None and deadline < inspected:
        raise WorkflowError(DEADLINE_BEFORE_INSPECTION.format(deadline=deadline, inspected=inspected), field="deadline")
    if deadline is not None and deadline < ordered_on:
        raise WorkflowError(DEADLINE_BEFORE_ORDER.format(deadline=deadline, ordered=ordered_on), field="deadline")
    before = h.status
    h.status, h.ordered_on, h.deadline = HazardStatus.ORDERED, ordered_on, deadline
    # A new round after a failed re-inspection starts clean; the log keeps the old round.
    h.rectified_on = h.reinspected_on = h.reinspection_requested_on = h.reinspection_passed = None
    _save(h)
    kind_note = f"限期至{deadline}" if deadline else "责令立即改正"
    _log(h, HazardEventKind.ORDERED, from_status=before, on=ordered_on, by=by, note=note or kind_note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_rectify(*, hazard: Hazard, rectified_on: dt.date, by=None, note: str = "",
                   expected_version: int | None = None) -> Hazard:
    """Record that the party finished the rectification (late rectification included)."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.RECTIFIED)
    start = h.ordered_on or h.found_on
    if rectified_on < start:
        raise WorkflowError(RECTIFIED_BEFORE_ORDER.format(rectified=rectified_on, ordered=start), field="rectified_on")
    before = h.status
    h.rectified_on = rectified_on
    if h.status == HazardStatus.ORDERED:
        h.status = HazardStatus.RECTIFIED
    _save(h)
    _log(h, HazardEventKind.RECTIFIED, from_status=before, on=rectified_on, by=by, note=note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_request_reinspection(*, hazard: Hazard, requested_on: dt.date, by=None, note: str = "",
                                expected_version: int | None = None) -> Hazard:
    """Record the party's application for re-inspection; the 3-working-day clock starts from it."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.REINSPECTION_REQUESTED)
    start = h.ordered_on or h.found_on
    if requested_on < start:
        raise WorkflowError(REQUEST_BEFORE_ORDER.format(requested=requested_on, ordered=start), field="requested_on")
    if h.reinspection_requested_on is not None:
        raise WorkflowError(REQUEST_TWICE.format(requested=h.reinspection_requested_on), field="requested_on")
    h.reinspection_requested_on = requested_on
    _save(h)
    _log(h, HazardEventKind.REINSPECTION_REQUESTED, from_status=h.status, on=requested_on, by=by, note=note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_reinspect(*, hazard: Hazard, reinspected_on: dt.date, passed: bool = True, by=None,
                     note: str = "", expected_version: int | None = None) -> Hazard:
    """Record the re-inspection (复查) and its result; a pass found unreported counts as rectified that day."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.REINSPECTED)
    ordered = h.ordered_on or h.found_on
    if reinspected_on < ordered:
        raise WorkflowError(
            REINSPECTION_BEFORE_ORDER.format(reinspected=reinspected_on, ordered=ordered), field="reinspected_on"
        )
    if h.rectified_on and reinspected_on < h.rectified_on:
        raise WorkflowError(
            REINSPECTION_BEFORE_RECTIFIED.format(reinspected=reinspected_on, rectified=h.rectified_on),
            field="reinspected_on",
        )
    waiting = h.status == HazardStatus.ORDERED and h.reinspection_requested_on is None
    if waiting and h.deadline is not None and reinspected_on < h.deadline:
        raise WorkflowError(
            REINSPECTION_TOO_EARLY.format(deadline=h.deadline, reinspected=reinspected_on), field="reinspected_on"
        )
    before = h.status
    h.reinspected_on, h.reinspection_passed = reinspected_on, passed
    if passed and h.rectified_on is None:
        h.rectified_on = reinspected_on
    h.status = HazardStatus.REINSPECTED
    _save(h)
    _log(h, HazardEventKind.REINSPECTED, from_status=before, on=reinspected_on, by=by,
         note=note or ("复查合格" if passed else "复查不合格"))
    return _finish(hazard, h)


@transaction.atomic
def hazard_close(*, hazard: Hazard, closed_on: dt.date, by=None, note: str = "",
                 expected_version: int | None = None) -> Hazard:
    """Close (销案) a hazard whose re-inspection passed; a major hazard must be reported and delisted first."""
    h = _lock(hazard, expected_version)
    _require_from(h, HazardEventKind.CLOSED)
    if not h.reinspection_passed:
        raise WorkflowError(CLOSE_REINSPECTION_FAILED)
    if closed_on < h.reinspected_on:
        raise WorkflowError(
            CLOSE_BEFORE_REINSPECTION.format(closed=closed_on, reinspected=h.reinspected_on), field="closed_on"
        )
    case = MajorHazardCase.objects.filter(hazard=h).first()
    if case is not None and case.reported_on is None:
        raise WorkflowError(CLOSE_MAJOR_NOT_REPORTED)
    if case is not None and case.listed_on and not case.delisted_on:
        raise WorkflowError(CLOSE_MAJOR_LISTED)
    before = h.status
    h.status, h.closed_on = HazardStatus.CLOSED, closed_on
    _save(h)
    _log(h, HazardEventKind.CLOSED, from_status=before, on=closed_on, by=by, note=note)
    return _finish(hazard, h)


@transaction.atomic
def hazard_escalate(*, hazard: Hazard, kind: str, legal_basis: str, decided_on: dt.date, by=None,
                    decision_number: str = "", fine_amount: Decimal | int | str = 0, stop_kind: str = "",
                    ends_on: dt.date | None = None, person_name: str = "", campaign=None,
                    note: str = "") -> EnforcementAction:
    """Escalate a hazard to an enforcement action against its unit; the action is returned."""
    return enforcement_create(
        kind=kind, legal_basis=legal_basis, decided_on=decided_on, unit=hazard.unit, person_name=person_name,
        hazards=[hazard], decision_number=decision_number, fine_amount=fine_amount, stop_kind=stop_kind,
        ends_on=ends_on, campaign=campaign, by=by, note=note,
    )


# --- enforcement -----------------------------------------------------------------------------------
def _validate_action(*, kind: str, legal_basis: str, decided_on: dt.date, unit, person_name: str,
                     stop_kind: str, fine_amount: Decimal, ends_on: dt.date | None) -> dt.date | None:
    """Refuse a bad enforcement decision; returns the seal-up end date (defaulted to the maximum).

    The rules every path must keep (basis per kind, longest seal-up) live in EnforcementAction.clean(),
    which enforcement_create calls like the form, the API and the import do.
    """
    if kind not in EnforcementKind.values:
        raise WorkflowError(BAD_KIND.format(value=kind), field="kind")
    if not legal_basis:
        raise WorkflowError(NO_LEGAL_BASIS, field="legal_basis")
    if legal_basis not in LegalBasis.values:
        raise WorkflowError(BAD_LEGAL_BASIS.format(value=legal_basis), field="legal_basis")
    if unit is None and not person_name.strip():
        raise WorkflowError(NO_PARTY, field="unit")
    if kind == EnforcementKind.STOP_ORDER and stop_kind not in StopOrderKind.values:
        raise WorkflowError(STOP_ORDER_NO_KIND, field="stop_kind")
    if fine_amount < 0:
        raise WorkflowError(NEGATIVE_FINE, field="fine_amount")
    if ends_on is not None and ends_on < decided_on:
        raise WorkflowError(ENDS_BEFORE_DECISION.format(ends=ends_on, decided=decided_on), field="ends_on")
    if kind == EnforcementKind.SEAL_UP and ends_on is None:
        return deadlines.rule(deadlines.SEAL_UP_MAX).due(decided_on)  # the longest the law allows
    return ends_on


@transaction.atomic
def enforcement_create(*, kind: str, legal_basis: str, decided_on: dt.date, unit=None, person_name: str = "",
                       hazards: Iterable[Hazard] = (), decision_number: str = "",
                       fine_amount: Decimal | int | str = 0, stop_kind: str = "", ends_on: dt.date | None = None,
                       campaign=None, by=None, note: str = "") -> EnforcementAction:
    """Record an enforcement decision; every linked hazard not yet closed becomes 'escalated'."""
    fine = Decimal(str(fine_amount or 0))
    ends_on = _validate_action(kind=kind, legal_basis=legal_basis, decided_on=decided_on, unit=unit,
                               person_name=person_name, stop_kind=stop_kind, fine_amount=fine, ends_on=ends_on)
    originals = sorted(hazards, key=lambda h: h.pk)
    locked = [_lock(h, None) for h in originals]
    for h in locked:
        if unit is not None and h.unit_id != unit.pk:
            raise WorkflowError(HAZARD_OTHER_UNIT.format(hazard=h, unit=unit), field="hazards")
        if h.status == HazardStatus.CLOSED:
            raise WorkflowError(ESCALATE_CLOSED.format(hazard=h), field="hazards")
        if decided_on < h.found_on:
            raise WorkflowError(DECISION_BEFORE_FOUND.format(decided=decided_on, hazard=h, found=h.found_on),
                                field="decided_on")
    action = EnforcementAction(
        unit=unit, person_name=person_name.strip(), kind=kind, legal_basis=legal_basis,
        stop_kind=stop_kind if kind == EnforcementKind.STOP_ORDER else "", fine_amount=fine,
        decision_number=decision_number, decided_on=decided_on, ends_on=ends_on, campaign=campaign, decided_by=by,
    )
    try:
        action.full_clean(exclude=["hazards"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise WorkflowError(messages[0], field=None if field == "__all__" else field) from exc
    action.save()
    action.hazards.set(locked)
    for h in locked:
        before = h.status
        h.status = HazardStatus.ESCALATED
        _save(h)
        _log(h, HazardEventKind.ESCALATED, from_status=before, on=decided_on, by=by,
             note=note or f"{EnforcementKind(kind).label} {decision_number}".strip(), enforcement=action)
    for original, h in zip(originals, locked, strict=True):
        _finish(original, h)
    return action


@transaction.atomic
def enforcement_lift(*, action: EnforcementAction, lifted_on: dt.date, inspection: Inspection | None = None,
                     by=None, note: str = "") -> EnforcementAction:
    """Lift a seal-up, stop order or listing; seal-ups and stop orders only after an inspection."""
    a = EnforcementAction.objects.select_for_update().get(pk=action.pk)
    kind_label = EnforcementKind(a.kind).label
    if a.kind not in LIFTABLE_KINDS:
        raise WorkflowError(LIFT_NOT_LIFTABLE.format(kind=kind_label))
    if a.lifted_on is not None:
        raise WorkflowError(LIFT_ALREADY.format(lifted=a.lifted_on))
    if lifted_on < a.decided_on:
        raise WorkflowError(LIFT_BEFORE_DECISION.format(lifted=lifted_on, decided=a.decided_on), field="lifted_on")
    if a.kind in LIFT_AFTER_INSPECTION:
        if inspection is None:
            raise WorkflowError(LIFT_NEEDS_INSPECTION.format(kind=kind_label), field="lift_inspection")
        if a.unit_id is not None and inspection.unit_id != a.unit_id:
            raise WorkflowError(
                LIFT_INSPECTION_OTHER_UNIT.format(inspected_unit=inspection.unit, unit=a.unit), field="lift_inspection"
            )
        if inspection.inspected_on < a.decided_on:
            raise WorkflowError(
                LIFT_INSPECTION_BEFORE_DECISION.format(inspected=inspection.inspected_on, decided=a.decided_on),
                field="lift_inspection",
            )
        if lifted_on < inspection.inspected_on:
            raise WorkflowError(
                LIFT_BEFORE_INSPECTION.format(lifted=lifted_on, inspected=inspection.inspected_on), field="lifted_on"
            )
    a.lifted_on, a.lift_inspection, a.lifted_by, a.lifted_at = lifted_on, inspection, by, timezone.now()
    a.save()
    basis = f"，依据{inspection.inspected_on}的检查" if inspection is not None else ""
    for h in a.hazards.all():
        _log(h, HazardEventKind.ENFORCEMENT_LIFTED, from_status=h.status, on=lifted_on, by=by,
             note=note or f"解除{kind_label}{basis}", enforcement=a)
    action.refresh_from_db()
    return a


@transaction.atomic
def enforcement_extend_seal_up(*, action: EnforcementAction, ends_on: dt.date, reason: str,
                               by=None) -> EnforcementAction:
    """Extend a seal-up past its end because its hazards were not cleared in time (第二十二条 proviso)."""
    a = EnforcementAction.objects.select_for_update().get(pk=action.pk)
    if a.kind != EnforcementKind.SEAL_UP:
        raise WorkflowError(EXTEND_NOT_SEAL_UP.format(kind=EnforcementKind(a.kind).label))
    if a.lifted_on is not None:
        raise WorkflowError(EXTEND_LIFTED.format(lifted=a.lifted_on))
    if not reason.strip():
        raise WorkflowError(EXTEND_NO_REASON, field="reason")
    if a.ends_on is not None and ends_on <= a.ends_on:
        raise WorkflowError(EXTEND_NOT_LATER.format(ends=ends_on, current=a.ends_on), field="ends_on")
    hazards = list(a.hazards.all())
    if hazards and all(h.reinspection_passed for h in hazards):
        raise WorkflowError(EXTEND_HAZARDS_CLEARED)
    previous, a.ends_on = a.ends_on, ends_on
    a.save(update_fields=["ends_on", "updated_at"])
    for h in hazards:
        _log(h, HazardEventKind.SEAL_UP_EXTENDED, from_status=h.status, on=timezone.localdate(), by=by,
             note=f"临时查封期限由{previous}延长至{ends_on}：{reason.strip()}", enforcement=a)
    action.refresh_from_db()
    return a


# --- major hazards ---------------------------------------------------------------------------------
def _major_case(h: Hazard, action: str) -> MajorHazardCase:
    if h.status == HazardStatus.CLOSED:
        raise WorkflowError(MAJOR_HAZARD_CLOSED.format(action=action))
    case = MajorHazardCase.objects.select_for_update().filter(hazard=h).first()
    if case is None:
        raise WorkflowError(MAJOR_NOT_DETERMINED.format(action=action))
    return case


def _step_after(step: str, day: dt.date, earlier: str, earlier_day: dt.date | None, field: str) -> None:
    if earlier_day is not None and day < earlier_day:
        raise WorkflowError(MAJOR_STEP_BEFORE.format(step=step, day=day, earlier=earlier, earlier_day=earlier_day),
                            field=field)


@transaction.atomic
def major_hazard_determine(*, hazard: Hazard, determined_on: dt.date, study_note: str = "",
                           experts_consulted: bool = False, by=None) -> MajorHazardCase:
    """Record the collective study (集体研究) that determined the hazard to be major."""
    h = _lock(hazard, None)
    if h.status == HazardStatus.CLOSED:
        raise WorkflowError(MAJOR_HAZARD_CLOSED.format(action="认定为重大火灾隐患"))
    existing = MajorHazardCase.objects.filter(hazard=h).first()
    if existing is not None:
        raise WorkflowError(MAJOR_ALREADY.format(determined=existing.determined_on))
    if determined_on < h.found_on:
        raise WorkflowError(MAJOR_DETERMINED_BEFORE_FOUND.format(determined=determined_on, found=h.found_on),
                            field="determined_on")
    case = MajorHazardCase.objects.create(hazard=h, determined_on=determined_on, study_note=study_note,
                                          experts_consulted=experts_consulted)
    h.is_major = True
    _save(h)
    _log(h, HazardEventKind.MAJOR_DETERMINED, from_status=h.status, on=determined_on, by=by, note=study_note)
    hazard.refresh_from_db()
    return case


def _major_step(hazard: Hazard, *, field: str, day: dt.date, step: str, event: str, by, note: str,
                after: tuple[str, str] = ("determined_on", "集体研究认定")) -> MajorHazardCase:
    h = _lock(hazard, None)
    case = _major_case(h, f"登记{step}")
    if getattr(case, field) is not None:
        raise WorkflowError(MAJOR_STEP_DONE.format(step=step, day=getattr(case, field)), field=field)
    _step_after(step, day, after[1], getattr(case, after[0]), field)
    setattr(case, field, day)
    case.save()
    h.version += 1
    h.save(update_fields=["version", "updated_at"])
    _log(h, event, from_status=h.status, on=day, by=by, note=note)
    return case


@transaction.atomic
def major_hazard_send_notice(*, hazard: Hazard, notice_on: dt.date, by=None, note: str = "") -> MajorHazardCase:
    """Record service of the 重大火灾隐患整改通知书 (due 3 working days after determination)."""
    return _major_step(hazard, field="notice_on", day=notice_on, step="整改通知书送达",
                       event=HazardEventKind.MAJOR_NOTICE, by=by, note=note)


@transaction.atomic
def major_hazard_report(*, hazard: Hazard, reported_on: dt.date, by=None, note: str = "") -> MajorHazardCase:
    """Record the handling opinion reported to the government (due 7 working days after the inspection)."""
    return _major_step(hazard, field="reported_on", day=reported_on, step="报告政府",
                       event=HazardEventKind.MAJOR_REPORTED, by=by, note=note)


@transaction.atomic
def major_hazard_list(*, hazard: Hazard, listed_on: dt.date, authority: str = "", decision_number: str = "",
                      by=None, note: str = "") -> MajorHazardCase:
    """Record the government's supervision listing (挂牌督办), also as an enforcement action."""
    h = _lock(hazard, None)
    case = _major_case(h, "登记挂牌督办")
    if case.reported_on is None:
        raise WorkflowError(MAJOR_LIST_NOT_REPORTED)
    case = _major_step(hazard, field="listed_on", day=listed_on, step="挂牌督办", event=HazardEventKind.MAJOR_LISTED,
                       by=by, note=note or authority, after=("reported_on", "报告政府"))
    case.listing_authority = authority
    case.save(update_fields=["listing_authority", "updated_at"])
    enforcement_create(kind=EnforcementKind.GOVERNMENT_LISTING, legal_basis=LegalBasis.MAJOR_HAZARD,
                       decided_on=listed_on, unit=h.unit, hazards=[h], decision_number=decision_number, by=by,
                       note=note or f"挂牌督办 {authority}".strip())
    hazard.refresh_from_db()
    return case


@transaction.atomic
def major_hazard_delist(*, hazard: Hazard, delisted_on: dt.date, by=None, note: str = "") -> MajorHazardCase:
    """Record delisting (摘牌销号) once the hazard's re-inspection passed; lifts the listing action."""
    h = _lock(hazard, None)
    case = _major_case(h, "摘牌销号")
    if case.listed_on is None:
        raise WorkflowError(MAJOR_DELIST_NOT_LISTED)
    if not (h.status == HazardStatus.REINSPECTED and h.reinspection_passed):
        raise WorkflowError(MAJOR_DELIST_NOT_VERIFIED)
    _step_after("摘牌销号", delisted_on, "复查", h.reinspected_on, "delisted_on")
    case = _major_step(hazard, field="delisted_on", day=delisted_on, step="摘牌销号",
                       event=HazardEventKind.MAJOR_DELISTED, by=by, note=note, after=("listed_on", "挂牌督办"))
    # Through enforcement_lift, so each listing keeps its history row and the hazard its event.
    for listing in h.enforcement_actions.filter(kind=EnforcementKind.GOVERNMENT_LISTING, lifted_on__isnull=True):
        enforcement_lift(action=listing, lifted_on=delisted_on, by=by, note=note or "摘牌销号，解除挂牌督办")
    hazard.refresh_from_db()
    return case
