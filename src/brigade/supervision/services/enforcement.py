"""Enforcement actions: create (also by escalating a hazard), lift, extend a seal-up; the rules that
must always hold live in ``EnforcementAction.clean()``, which every path calls."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from brigade.supervision import deadlines
from brigade.supervision.choices import (
    EnforcementKind,
    HazardEventKind,
    HazardStatus,
    LegalBasis,
    StopOrderKind,
)
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import (
    EnforcementAction,
    Hazard,
    Inspection,
)
from brigade.supervision.services.common import ESCALATE_CLOSED, _finish, _lock, _log, _save

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
# Measures that last until lifted, and those that may be lifted only after an inspection.
LIFTABLE_KINDS = (EnforcementKind.SEAL_UP, EnforcementKind.STOP_ORDER, EnforcementKind.GOVERNMENT_LISTING)
LIFT_AFTER_INSPECTION = (EnforcementKind.SEAL_UP, EnforcementKind.STOP_ORDER)
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
