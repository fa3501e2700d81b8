"""Major fire hazards (重大火灾隐患): determined, notice sent, reported to the government, listed, delisted."""

import datetime as dt

from django.db import transaction

from brigade.supervision.choices import (
    EnforcementKind,
    HazardEventKind,
    HazardStatus,
    LegalBasis,
)
from brigade.supervision.errors import WorkflowError
from brigade.supervision.models import (
    Hazard,
    MajorHazardCase,
)
from brigade.supervision.services.common import _lock, _log, _save
from brigade.supervision.services.enforcement import enforcement_create, enforcement_lift

MAJOR_ALREADY = "该隐患已于{determined}认定为重大火灾隐患。"
MAJOR_NOT_DETERMINED = "隐患尚未经集体研究认定为重大火灾隐患，不能{action}。"
MAJOR_HAZARD_CLOSED = "隐患已销案，不能{action}。"
MAJOR_DETERMINED_BEFORE_FOUND = "集体研究认定日期（{determined}）不能早于隐患发现日期（{found}）。"
MAJOR_STEP_DONE = "{step}已于{day}登记，不能重复登记。"
MAJOR_STEP_BEFORE = "{step}日期（{day}）不能早于{earlier}日期（{earlier_day}）。"
MAJOR_LIST_NOT_REPORTED = "重大火灾隐患尚未报告政府，不能登记挂牌督办。"
MAJOR_DELIST_NOT_LISTED = "重大火灾隐患尚未挂牌督办，不能摘牌销号。"
MAJOR_DELIST_NOT_VERIFIED = "隐患尚未复查合格，不能摘牌销号。"
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
