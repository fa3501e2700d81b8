"""Supervision and responsibility figures (R3–R6, S1–S6) from inspections, hazards and enforcement."""

from django.db.models import Count, Sum

from brigade.metrics.registry import Context, register
from brigade.resources.models import ChargingShed, ElevatorBlocker
from brigade.supervision.choices import EnforcementKind, HazardCategory, InspectionKind
from brigade.supervision.models import (
    Campaign,
    EnforcementAction,
    Hazard,
    Inspection,
    Interview,
    Notice,
    SupervisionLetter,
)
from brigade.supervision.selectors import overdue_hazards

BRIGADE_ONLY = ("brigade",)


def _inspections(ctx: Context):
    return ctx.scoped(ctx.between(Inspection.objects.all(), "inspected_on"), street="unit__street")


def _hazards_found(ctx: Context):
    return ctx.scoped(ctx.between(Hazard.objects.all(), "found_on"), street="unit__street")


def _rectified(ctx: Context):
    return ctx.scoped(ctx.between(Hazard.objects.all(), "rectified_on"), street="unit__street")


def _actions(ctx: Context, kind: str):
    return ctx.scoped(ctx.between(EnforcementAction.objects.filter(kind=kind), "decided_on"), street="unit__street")


@register("responsibility.notices", "下发通知、通报", "份", "期间内印发的通知、通报份数。", seed_ref="R3", scopes=BRIGADE_ONLY)
def notices(ctx):
    return ctx.between(Notice.objects.all(), "issued_on").count()


@register("responsibility.interviews", "消防安全约谈会", "次", "期间内召开的约谈会次数。", seed_ref="R5")
def interviews(ctx):
    return ctx.scoped(ctx.between(Interview.objects.all(), "held_on"), street="street").count()


@register("responsibility.interviewed_people", "约谈人数", "人", "期间内约谈会的约谈人数合计。", seed_ref="R5")
def interviewed_people(ctx):
    rows = ctx.scoped(ctx.between(Interview.objects.all(), "held_on"), street="street")
    return rows.aggregate(n=Sum("people_count"))["n"] or 0


@register("responsibility.self_inspection_hazards", "单位自查自改隐患", "处",
          "“消防安全检查日”中单位自查发现并整改的隐患数。", seed_ref="R6")
def self_inspection_hazards(ctx):
    return _hazards_found(ctx).filter(inspection__kind=InspectionKind.SELF_INSPECTION_DAY).count()


def _campaigns(ctx: Context):
    """Campaigns overlapping the period, of the scope's brigades (a street's or station's: its brigade's)."""
    p = ctx.period
    return ctx.scoped(Campaign.objects.filter(starts_on__lte=p.end, ends_on__gte=p.start), street=None,
                      brigade_wide=True)


@register("supervision.campaigns", "专项行动", "项", "与期间有交集的专项行动个数。", seed_ref="S1", scopes=BRIGADE_ONLY)
def campaigns(ctx):
    return _campaigns(ctx).count()


def campaign_results(ctx: Context) -> list[dict]:
    """Per campaign overlapping the period: units inspected, hazards rectified, units penalised (S1)."""
    rows = []
    for c in _campaigns(ctx).order_by("starts_on"):
        inspections = ctx.scoped(Inspection.objects.filter(campaign=c), street="unit__street")
        hazards = ctx.scoped(Hazard.objects.filter(inspection__campaign=c, rectified_on__isnull=False),
                             street="unit__street")
        penalised = ctx.scoped(EnforcementAction.objects.filter(campaign=c, kind=EnforcementKind.PENALTY),
                               street="unit__street")
        rows.append({
            "name": c.name, "slogan": c.slogan, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "units_inspected": inspections.values("unit").distinct().count(),
            "hazards_rectified": hazards.count(),
            "units_penalised": penalised.values("unit").distinct().count(),
        })
    return rows


CIVILITY_CATEGORIES = (HazardCategory.FIRE_LANE, HazardCategory.FLYING_WIRE)


@register("supervision.lane_and_wire_rectified", "整改占堵消防车通道、飞线充电", "处",
          "期间内整改完成的占堵消防车通道和飞线充电隐患数。", seed_ref="S2")
def lane_and_wire_rectified(ctx):
    return _rectified(ctx).filter(category__in=CIVILITY_CATEGORIES).count()


@register("supervision.people_warned", "警告个人", "人", "期间内对个人作出警告的人数。", seed_ref="S2")
def people_warned(ctx):
    return _actions(ctx, EnforcementKind.WARNING).exclude(person_name="").count()


@register("ebike.charging_sheds", "充电车棚", "个", "截至期末已建成的电动自行车充电车棚数。", seed_ref="S3", stock=True)
def charging_sheds(ctx):
    return ctx.scoped(ctx.until_end(ChargingShed.objects.all(), "built_on"), street="community__street").count()


@register("ebike.charging_ports", "充电端口", "个", "截至期末充电车棚的充电端口合计。", seed_ref="S3", stock=True)
def charging_ports(ctx):
    rows = ctx.scoped(ctx.until_end(ChargingShed.objects.all(), "built_on"), street="community__street")
    return rows.aggregate(n=Sum("ports"))["n"] or 0


def _blockers(ctx):
    return ctx.scoped(ctx.until_end(ElevatorBlocker.objects.all(), "installed_on"), street="community__street")


@register("ebike.blocker_communities", "加装阻车装置小区", "个", "截至期末加装电梯阻车装置的小区数。", seed_ref="S3",
          stock=True)
def blocker_communities(ctx):
    return _blockers(ctx).values("community").distinct().count()


@register("ebike.blocker_elevators", "加装阻车装置电梯", "部", "截至期末加装电梯阻车装置的电梯部数。", seed_ref="S3",
          stock=True)
def blocker_elevators(ctx):
    return _blockers(ctx).aggregate(n=Sum("elevators"))["n"] or 0


@register("supervision.letters", "函告", "份", "期间内向镇街、行业部门发出的函告份数。", seed_ref="S4")
def letters(ctx):
    rows = ctx.between(SupervisionLetter.objects.all(), "sent_on")
    if ctx.scope.kind == "street":
        return rows.filter(street_id=ctx.scope.pk).count()
    return ctx.scoped(rows, street="street").count()


@register("supervision.joint_inspections", "联合执法检查", "次", "期间内与行业部门联合开展的执法检查次数。", seed_ref="S5")
def joint_inspections(ctx):
    return _inspections(ctx).filter(is_joint=True).count()


@register("supervision.units_inspected", "检查指导单位", "家次",
          "期间内消防监督检查的单位家次（不含单位自查）。", seed_ref="S6")
def units_inspected(ctx):
    return _inspections(ctx).exclude(kind=InspectionKind.SELF_INSPECTION_DAY).count()


@register("supervision.hazards_found", "发现火灾隐患", "处", "期间内检查发现的火灾隐患和违法行为数。", seed_ref="S6")
def hazards_found(ctx):
    return _hazards_found(ctx).count()


@register("supervision.hazards_rectified", "督促整改火灾隐患", "处", "期间内整改完成的火灾隐患和违法行为数。", seed_ref="S6")
def hazards_rectified(ctx):
    return _rectified(ctx).count()


@register("supervision.hazards_overdue", "逾期未改隐患", "处",
          "截至期末已过整改期限（当场改正的以责令日期为准）而仍未整改（复查不合格的不算已整改）、未销案、未转执法的隐患数，与待办清单的“逾期”同一口径。",
          seed_ref="Q5", stock=True)
def hazards_overdue(ctx):
    return ctx.scoped(overdue_hazards(ctx.period.end), street="unit__street").count()


@register("supervision.major_hazards", "重大火灾隐患", "处", "期间内认定的重大火灾隐患数。", seed_ref="S6")
def major_hazards(ctx):
    return _hazards_found(ctx).filter(is_major=True).count()


@register("supervision.penalty_cases", "立案处罚单位", "家", "期间内立案处罚的单位家数。", seed_ref="S6")
def penalty_cases(ctx):
    return _actions(ctx, EnforcementKind.PENALTY).exclude(unit=None).values("unit").distinct().count()


@register("supervision.fines", "罚款金额", "元", "期间内处罚决定的罚款金额合计。", seed_ref="S6")
def fines(ctx):
    rows = ctx.scoped(ctx.between(EnforcementAction.objects.all(), "decided_on"), street="unit__street")
    return float(rows.aggregate(n=Sum("fine_amount"))["n"] or 0)


@register("supervision.seal_ups", "临时查封单位", "家", "期间内临时查封的单位家数。", seed_ref="S6")
def seal_ups(ctx):
    return _actions(ctx, EnforcementKind.SEAL_UP).values("unit").distinct().count()


@register("supervision.stop_orders", "责令三停单位", "家", "期间内责令停产停业、停止使用、停止施工的单位家数。", seed_ref="S6")
def stop_orders(ctx):
    return _actions(ctx, EnforcementKind.STOP_ORDER).values("unit").distinct().count()


@register("supervision.government_listings", "提请政府挂牌督办", "家", "期间内提请政府挂牌督办重大火灾隐患的单位家数。",
          seed_ref="S6")
def government_listings(ctx):
    return _actions(ctx, EnforcementKind.GOVERNMENT_LISTING).values("unit").distinct().count()


@register("supervision.detentions", "行政拘留", "人", "期间内移送公安机关作出行政拘留的人数。", seed_ref="S6")
def detentions(ctx):
    return _actions(ctx, EnforcementKind.DETENTION).count()


def hazards_by_category(ctx: Context, limit: int = 5) -> list[dict]:
    """Site categories whose units had the most hazards found in the period (for Q5)."""
    rows = _hazards_found(ctx).values("unit__site_category").annotate(n=Count("pk")).order_by("-n")[:limit]
    return [{"site_category": r["unit__site_category"], "hazards": r["n"]} for r in rows]
