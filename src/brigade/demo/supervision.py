"""Demo supervision year: campaigns, inspections, hazards and their rectification, enforcement,
interviews, notices and supervision letters, at the scale of the seed summary (S1–S6, R3–R6)."""

import datetime as dt
import math
from collections import defaultdict
from types import SimpleNamespace

from brigade.core.workdays import add_workdays, is_workday
from brigade.demo.generator import Build, bulk, insert_rows
from brigade.supervision.choices import (
    EnforcementKind,
    HazardStatus,
    InspectionKind,
    LegalBasis,
    NoticeKind,
    StopOrderKind,
)
from brigade.supervision.models import (
    Campaign,
    EnforcementAction,
    Hazard,
    Inspection,
    Interview,
    Notice,
    SupervisionLetter,
)
from brigade.units.models import SiteCategory

D = dt.date

# Our own campaigns: (name, slogan, start (month, day), end, scope, categories, inspections, hazard rate,
# units penalised).
CAMPAIGNS = (
    ("冬春火灾防控“清患护安”攻坚行动", "清隐患、护平安、迎新春", (1, 6), (3, 31),
     "人员密集场所、合用场所、养老机构和高层建筑，春节、元宵节和全国两会期间重点时段。",
     ("gathering", "mixed_use", "elderly_care", "high_rise", "retail"), (78, 96), 2.0, (12, 24)),
    ("安全生产月消防隐患“动态清零”行动", "查风险、堵漏洞、守底线", (5, 20), (7, 31),
     "生产加工企业、物流仓储、“园中园、企中企”、家庭式作坊和易燃易爆危险品场所。",
     ("factory", "logistics", "sublet_park", "workshop", "hazmat"), (330, 440), 1.5, (30, 60)),
    ("秋冬季消防安全“百日护航”专项整治", "除火患、强防控、保稳定、迎新年", (9, 10), (12, 18),
     "居民小区电动自行车停放充电、高层建筑消防设施、学校医院和文物建筑。",
     ("residential", "property", "high_rise", "school", "hospital", "heritage"), (260, 360), 1.4, (25, 50)),
)

# Inspection kinds besides campaigns and re-inspections: (kind, count range, hazards per inspection)
ROUTINE = (
    (InspectionKind.RANDOM, (950, 1_150), 0.9),
    (InspectionKind.COMPLAINT, (90, 150), None),  # a complaint is usually borne out: 1 + Poisson(0.4)
    (InspectionKind.PRE_OPENING, (70, 120), 0.5),
    (InspectionKind.EVENT, (20, 40), 0.35),
    (InspectionKind.OTHER, (40, 80), 0.6),
)

BASE_WEIGHTS = {
    "facility": 14, "extinguisher": 14, "evacuation": 14, "electrical": 13, "management": 14, "separation": 5,
    "ebike": 5, "other": 4, "fire_lane": 1.2, "flying_wire": 0.9, "living": 0, "use_change": 0,
}
EXTRA_WEIGHTS = {
    "residential": {"ebike": 14, "fire_lane": 3, "flying_wire": 2},
    "property": {"ebike": 10, "fire_lane": 3, "flying_wire": 2, "facility": 6},
    "high_rise": {"facility": 14, "ebike": 8, "evacuation": 4},
    "mixed_use": {"living": 16, "electrical": 5},
    "workshop": {"living": 7, "separation": 7, "electrical": 6},
    "sublet_park": {"use_change": 10, "separation": 10},
    "factory": {"use_change": 4, "separation": 7},
    "logistics": {"use_change": 3, "separation": 6},
}
DESCRIPTIONS = {
    "fire_lane": ("私家车长期占用消防车通道", "消防车通道设置隔离桩、地锁", "消防车登高操作场地堆放杂物"),
    "evacuation": ("疏散通道堆放货物", "安全出口上锁", "疏散楼梯间堆放杂物", "安全出口数量不足"),
    "flying_wire": ("楼道私拉电线为电动自行车充电", "从窗户吊线充电"),
    "ebike": ("电动自行车在楼道内停放充电", "电动自行车进入电梯", "电动自行车停放在安全出口处"),
    "facility": ("室内消火栓无水", "火灾自动报警系统故障", "自动喷水灭火系统阀门关闭", "防火门闭门器损坏",
                 "应急照明和疏散指示标志损坏", "消防控制室无人值班"),
    "extinguisher": ("灭火器压力不足", "灭火器过期未检", "未按规定配置灭火器"),
    "separation": ("防火分隔不到位", "防火卷帘无法正常降落", "管道井封堵不严"),
    "electrical": ("电气线路未穿管保护", "私拉乱接电线", "大功率电器超负荷使用"),
    "living": ("生产经营区域违规住人", "库房内设置员工宿舍"),
    "use_change": ("擅自改变建筑使用性质", "仓库违规改作生产车间", "转租场所擅自改变用途"),
    "management": ("未落实每日防火巡查", "消防安全制度不健全", "员工消防安全培训不到位", "未制定灭火和应急疏散预案"),
    "other": ("室内装修使用易燃材料", "违规存放易燃易爆物品"),
}
# Hazard kinds that tend to come back after closure (Q5).
RECURRING = ("ebike", "fire_lane", "flying_wire", "evacuation", "living", "facility", "use_change")
DEPARTMENT_BY_CATEGORY = {
    "school": "区教育和体育局", "elderly_care": "区民政局", "construction": "区住房和城乡建设局",
    "high_rise": "区住房和城乡建设局", "residential": "区住房和城乡建设局", "property": "区住房和城乡建设局",
    "logistics": "区商务局", "retail": "区市场监督管理局", "heritage": "区文化和旅游局",
    "hospital": "区卫生健康局", "factory": "区应急管理局", "sublet_park": "区应急管理局",
    "hazmat": "区应急管理局", "gathering": "区公安分局", "mixed_use": "区市场监督管理局",
    "workshop": "区综合行政执法局",
}
SEVERE = ("facility", "evacuation", "separation", "use_change", "living", "electrical", "ebike")


def poisson(rng, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick_category(rng, site_category: str) -> str:
    weights = dict(BASE_WEIGHTS)
    for k, v in EXTRA_WEIGHTS.get(site_category, {}).items():
        weights[k] = weights.get(k, 0) + v
    cats = list(weights)
    return rng.choices(cats, weights=[weights[c] for c in cats], k=1)[0]


def _timeline(b: Build, found: D, *, on_the_spot: bool, major: bool = False, outcome: str | None = None) -> dict:
    """Dates and status of one hazard as they stand at the end of the demo year."""
    rng = b.rng
    if on_the_spot:
        return dict(status=HazardStatus.CLOSED, deadline=None, rectified_on=found, reinspected_on=None,
                    closed_on=found)
    days = rng.randint(60, 90) if major else rng.choice((7, 10, 15, 15, 20, 30, 30))
    deadline = found + dt.timedelta(days=days)
    outcome = outcome or b.weighted(("ontime", "late", "overdue", "escalated"), (87, 5, 5, 3))
    if b.offset < 0 and outcome in ("overdue", "escalated"):
        outcome = "late"  # earlier years' stragglers were fixed late, not left open for years
    rectified = reinspected = None
    if outcome == "ontime":
        rectified = found + dt.timedelta(days=rng.randint(1, days))
    elif outcome == "late":
        rectified = deadline + dt.timedelta(days=rng.randint(3, 30))
    if rectified and rectified <= b.until:
        reinspected = add_workdays(rectified, rng.randint(1, 3))
    cut = lambda d: d if d and d <= b.until else None  # noqa: E731 - state on the last day of data
    rectified, reinspected = cut(rectified), cut(reinspected)
    if outcome == "escalated":
        status = HazardStatus.ESCALATED
    elif reinspected:
        status = HazardStatus.CLOSED
    elif rectified:
        status = HazardStatus.RECTIFIED
    else:
        status = HazardStatus.ORDERED
    return dict(status=status, deadline=deadline, rectified_on=rectified, reinspected_on=reinspected,
                closed_on=reinspected if status == HazardStatus.CLOSED else None)


def _unit_weights(units, categories=()) -> list[float]:
    return [(4.0 if u.is_key_unit else 1.0) * (3.0 if u.site_category in categories else 1.0) for u in units]


def build_inspections(b: Build) -> None:
    rng = b.rng
    units = b.objects["units"]
    supervisors = b.objects["supervisors"]
    departments = b.objects["departments"]

    # The year's campaigns that have started by the last day of data (each year's named by its year).
    specs = [spec for spec in CAMPAIGNS if D(b.year, *spec[2]) <= b.end]
    campaigns = bulk(Campaign, [
        Campaign(name=f"{b.year}年{name}", slogan=slogan, starts_on=D(b.year, m1, d1), ends_on=D(b.year, m2, d2),
                 scope=scope)
        for name, slogan, (m1, d1), (m2, d2), scope, *_rest in specs
    ])

    # The story across the years: more inspections each year; one street's hazards keep rising.
    worse = b.objects["worsening_street"]
    rate_of = lambda unit, rate: rate * (1 + 0.25 * (b.offset + 2)) if unit.street_id == worse else rate  # noqa: E731
    plan = []  # (unit, date, kind, campaign, hazard rate)
    for campaign, spec in zip(campaigns, specs, strict=True):
        cats, (lo, hi), rate = spec[5], spec[6], spec[7]
        weights = _unit_weights(units, cats)
        last = min(campaign.ends_on, b.end)
        share = ((last - campaign.starts_on).days + 1) / ((campaign.ends_on - campaign.starts_on).days + 1)
        n = max(1, round(b.count(lo, hi, trend=0.1) * share / b.fraction))
        for unit in rng.choices(units, weights=weights, k=n):
            plan.append((unit, b.workday(campaign.starts_on, last), InspectionKind.SPECIAL, campaign,
                         rate_of(unit, rate)))
    weights = _unit_weights(units)
    for kind, (lo, hi), rate in ROUTINE:
        for unit in rng.choices(units, weights=weights, k=b.count(lo, hi, trend=0.1)):
            plan.append((unit, b.workday(), kind, None, None if rate is None else rate_of(unit, rate)))
    # The monthly "fire-safety check day": units inspect themselves and fix what they find.
    for month in b.months:
        day = D(b.year, month, 9)
        while not is_workday(day):
            day += dt.timedelta(days=1)
        if day > b.end:
            break
        for unit in rng.sample(units, min(len(units), round(b.count(25, 40) / b.fraction))):
            plan.append((unit, day, InspectionKind.SELF_INSPECTION_DAY, None, 1.3))

    # Joint inspections with departments (S5): some routine and campaign checks of their sectors.
    eligible = [i for i, p in enumerate(plan) if p[2] in (InspectionKind.SPECIAL, InspectionKind.RANDOM)
                and p[0].site_category in DEPARTMENT_BY_CATEGORY]
    joint_slots = set(rng.sample(eligible, min(len(eligible), b.count(35, 60))))
    inspections = []
    for i, (unit, day, kind, campaign, _rate) in enumerate(plan):
        joint = i in joint_slots
        inspections.append(Inspection(
            unit=unit, inspected_on=day, kind=kind, campaign=campaign, is_joint=joint,
            department=departments[DEPARTMENT_BY_CATEGORY[unit.site_category]] if joint else None,
            note="联合行业部门开展执法检查" if joint else "",
        ))
    inspections = bulk(Inspection, inspections)

    hazards = []
    for inspection, (unit, day, kind, _campaign, rate) in zip(inspections, plan, strict=True):
        n = 1 + poisson(rng, 0.4) if rate is None else poisson(rng, rate)
        for _ in range(n):
            category = _pick_category(rng, unit.site_category)
            spot = kind == InspectionKind.SELF_INSPECTION_DAY or rng.random() < (
                0.55 if category in ("extinguisher", "management", "fire_lane", "ebike") else 0.25)
            hazards.append(Hazard(
                inspection=inspection, unit=unit, category=category,
                description=rng.choice(DESCRIPTIONS[category]), found_on=day,
                **_timeline(b, day, on_the_spot=spot),
            ))

    # Major hazards (S6): a few, with long deadlines; one stays open and goes to the government.
    candidates = [h for h in hazards if h.deadline and h.found_on.month <= 9 and h.unit.site_category in
                  ("factory", "logistics", "high_rise", "sublet_park", "gathering", "hazmat")
                  and h.category in SEVERE]
    majors = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
    for k, h in enumerate(majors):
        h.is_major = True
        h.description = "重大火灾隐患：" + h.description
        for f, v in _timeline(b, h.found_on, on_the_spot=False, major=True,
                              outcome="overdue" if k == 0 else "ontime").items():
            setattr(h, f, v)
    b.objects["listed_hazard"] = majors[0] if majors else None
    if majors:
        b.objects.setdefault("listed_hazards", []).append(majors[0])

    # Keep fire-lane and flying-wire cases at the seed's two-digit scale (S2).
    lane_wire = [h for h in hazards if h.category in ("fire_lane", "flying_wire")]
    cap = max(1, round(rng.randint(70, 92) * b.scale * b.fraction))
    for h in lane_wire[cap:]:
        h.category = "ebike" if h.unit.site_category in ("residential", "property", "high_rise") else "evacuation"
        h.description = rng.choice(DESCRIPTIONS[h.category])
    hazards = bulk(Hazard, hazards)

    # Re-inspections (复查): one visit per inspection and re-inspection day.
    visits = sorted({(h.inspection_id, h.reinspected_on) for h in hazards if h.reinspected_on})
    by_id = {i.pk: i for i in inspections}
    reinspections = bulk(Inspection, [
        Inspection(unit=by_id[iid].unit, inspected_on=day, kind=InspectionKind.REINSPECTION,
                   note="对责令限期改正的隐患进行复查")
        for iid, day in visits
    ])

    # Hazards that came back after closure at the same unit (Q5).
    closed = [h for h in hazards if h.closed_on and h.inspection.kind != InspectionKind.SELF_INSPECTION_DAY
              and h.category in RECURRING and h.closed_on <= b.until - dt.timedelta(days=30)]
    again = rng.sample(closed, min(len(closed), b.count(90, 130)))
    again.sort(key=lambda h: h.pk)
    refound_plan = []
    for h in again:
        day = h.closed_on + dt.timedelta(days=rng.randint(15, 120))
        if day <= b.until:  # it may come back in the next year
            refound_plan.append((h, day, InspectionKind.COMPLAINT if rng.random() < 0.4 else InspectionKind.RANDOM))
    refound_inspections = bulk(Inspection, [
        Inspection(unit=h.unit, inspected_on=day, kind=kind, note="回访检查") for h, day, kind in refound_plan
    ])
    refound = bulk(Hazard, [
        Hazard(inspection=i, unit=h.unit, category=h.category, found_on=i.inspected_on,
               description="整改后再次发现：" + h.description.removeprefix("重大火灾隐患："),
               **_timeline(b, i.inspected_on, on_the_spot=rng.random() < 0.3))
        for i, (h, _day, _kind) in zip(refound_inspections, refound_plan, strict=True)
    ])

    # Inspectors: two fire-supervision officers per visit (self-inspection days have none).
    through = Inspection.inspectors.through
    links = []
    for i in [*inspections, *reinspections, *refound_inspections]:
        if i.kind != InspectionKind.SELF_INSPECTION_DAY:
            for p in rng.sample(supervisors, 2):
                links.append(through(inspection_id=i.pk, person_id=p.pk))
    insert_rows(through, links)
    b.objects.update(campaigns=campaigns, campaign_specs=specs, inspections=inspections,
                     hazards=[*hazards, *refound])


def _number(prefix: str, year: int, n: int) -> str:
    return f"{prefix}〔{year}〕{n}号"


def build_enforcement(b: Build) -> None:
    rng = b.rng
    hazards = [h for h in b.objects["hazards"] if h.inspection.kind != InspectionKind.SELF_INSPECTION_DAY]
    rows: list[tuple[EnforcementAction, list[Hazard]]] = []
    penalised: set[int] = set()
    by_inspection: dict[int, list[Hazard]] = defaultdict(list)
    for h in hazards:
        by_inspection[h.inspection_id].append(h)

    def decide(found: D, lo: int, hi: int) -> D | None:
        day = add_workdays(found, rng.randint(lo, hi))
        return day if day <= b.end else None  # decided (and numbered) within the year being written

    def penalty(h: Hazard, campaign=None) -> None:
        day = decide(h.found_on, 3, 15)
        if day is None:
            return
        cat = h.unit.site_category
        if h.category == "ebike" and cat in ("residential", "property", "high_rise"):
            basis, fine = LegalBasis.HIGH_RISE_47, rng.randint(2, 10) * 1_000
        elif h.category == "living":
            basis, fine = LegalBasis.ART61, rng.randint(5, 20) * 1_000
        else:
            basis, fine = LegalBasis.ART60, min(50_000, 5_000 + 1_000 * int(rng.expovariate(1 / 6)))
        group = by_inspection[h.inspection_id]
        penalised.add(h.unit_id)
        rows.append((EnforcementAction(unit=h.unit, kind=EnforcementKind.PENALTY, legal_basis=basis, fine_amount=fine,
                                       decided_on=day, campaign=campaign), group))

    # Penalties within each campaign (S1), then the rest of the year (S6: three digits of units).
    for campaign, spec in zip(b.objects["campaigns"], b.objects["campaign_specs"], strict=True):
        pool = [h for h in hazards if h.inspection.campaign_id == campaign.pk and h.category in SEVERE]
        rng.shuffle(pool)
        target = b.count(*spec[8])
        for h in pool:
            if sum(1 for a, _ in rows if a.campaign_id == campaign.pk) >= target:
                break
            if h.unit_id not in penalised:
                penalty(h, campaign)
    target = b.count(140, 185)
    pool = [h for h in hazards if h.inspection.campaign_id is None and (h.category in SEVERE or
                                                                        h.status == HazardStatus.ESCALATED)]
    pool.sort(key=lambda h: (h.status != HazardStatus.ESCALATED, rng.random()))
    for h in pool:
        if len(penalised) >= target:
            break
        if h.unit_id not in penalised:
            penalty(h)

    # Temporary seal-ups (one digit) and stop orders (two digits).
    sealed: list[tuple[EnforcementAction, Hazard]] = []
    grave = [h for h in hazards if h.category in ("evacuation", "facility", "living", "use_change", "separation")
             and h.deadline and h.unit.site_category not in ("heritage", "school", "hospital")]
    rng.shuffle(grave)
    stop_units: set[int] = set()
    n_seal, n_stop = b.count(4, 8), b.count(11, 19)
    for h in grave:
        if len(sealed) < n_seal and h.unit_id not in stop_units:
            day = decide(h.found_on, 0, 3)
            if day:
                lifted = day + dt.timedelta(days=rng.randint(8, 30))
                a = EnforcementAction(unit=h.unit, kind=EnforcementKind.SEAL_UP, legal_basis=LegalBasis.ART54,
                                      decided_on=day, ends_on=day + dt.timedelta(days=30),
                                      lifted_on=lifted if lifted <= b.until else None)
                rows.append((a, [h]))
                sealed.append((a, h))
                stop_units.add(h.unit_id)
        elif sum(1 for a, _ in rows if a.kind == EnforcementKind.STOP_ORDER) < n_stop and h.unit_id not in stop_units:
            day = decide(h.found_on, 2, 10)
            if day:
                cat = h.unit.site_category
                kind = (StopOrderKind.STOP_CONSTRUCTION if cat == "construction"
                        else StopOrderKind.STOP_USE if cat in ("gathering", "high_rise", "residential", "other")
                        else StopOrderKind.STOP_BUSINESS)
                rows.append((EnforcementAction(unit=h.unit, kind=EnforcementKind.STOP_ORDER,
                                               legal_basis=LegalBasis.ART58, stop_kind=kind,
                                               fine_amount=rng.randint(30, 120) * 1_000, decided_on=day), [h]))
                stop_units.add(h.unit_id)

    # One major hazard listed for government supervision, one detention (a sealed site reopened).
    listed = b.objects.get("listed_hazard")
    if listed:
        day = decide(listed.found_on, 9, 14)  # after the report to the government
        if day:
            rows.append((EnforcementAction(unit=listed.unit, kind=EnforcementKind.GOVERNMENT_LISTING,
                                           legal_basis=LegalBasis.MAJOR_HAZARD, decided_on=day), [listed]))
    for a, h in sealed:
        day = decide(a.decided_on, 5, 15)
        if day:
            rows.append((EnforcementAction(unit=h.unit, person_name=h.unit.responsible_person,
                                           kind=EnforcementKind.DETENTION, legal_basis=LegalBasis.ART64,
                                           decided_on=day), [h]))
            break

    # Warnings to individuals for fire-lane obstruction and flying-wire charging (S2).
    lane_wire = [h for h in hazards if h.category in ("fire_lane", "flying_wire")]
    from brigade.demo.names import person_name

    for h in rng.sample(lane_wire, min(len(lane_wire), b.count(30, 60))):
        rows.append((EnforcementAction(unit=h.unit, person_name=person_name(rng), kind=EnforcementKind.WARNING,
                                       legal_basis=LegalBasis.ART60, decided_on=h.found_on), [h]))

    # Decision numbers in date order per kind.
    prefixes = {
        EnforcementKind.PENALTY: "河消行罚决字", EnforcementKind.WARNING: "河消当罚决字",
        EnforcementKind.SEAL_UP: "河消临封字", EnforcementKind.STOP_ORDER: "河消停字",
        EnforcementKind.GOVERNMENT_LISTING: "河消督字", EnforcementKind.DETENTION: "河消移字",
    }
    counters: dict[str, int] = defaultdict(int)
    for a, _ in sorted(rows, key=lambda r: (r[0].decided_on, r[0].kind, r[0].unit_id or 0)):
        counters[a.kind] += 1
        a.decision_number = _number(prefixes[a.kind], b.year, counters[a.kind])
    actions = bulk(EnforcementAction, [a for a, _ in rows])
    through = EnforcementAction.hazards.through
    insert_rows(through, [through(enforcementaction_id=a.pk, hazard_id=h.pk)
                          for a, (_a, group) in zip(actions, rows, strict=True)
                          for h in {x.pk: x for x in group}.values()])
    # Status follows enforcement: overdue hazards under an action are escalated; an "escalated"
    # hazard that no action took up is simply still overdue.
    linked = {h.pk for a, group in rows if a.kind != EnforcementKind.WARNING for h in group}
    escalated = [h for h in hazards if h.pk in linked and h.status == HazardStatus.ORDERED and h.deadline
                 and h.deadline < b.until and h is not listed]
    orphans = [h for h in hazards if h.status == HazardStatus.ESCALATED and h.pk not in linked]
    for group, status in ((escalated, HazardStatus.ESCALATED), (orphans, HazardStatus.ORDERED)):
        for h in group:
            h.status = status
        Hazard.objects.filter(pk__in=[h.pk for h in group]).update(status=status)


INTERVIEW_CATEGORIES = (SiteCategory.LOGISTICS, SiteCategory.HIGH_RISE, SiteCategory.PROPERTY,
                        SiteCategory.MIXED_USE, SiteCategory.ELDERLY_CARE)
NOTICE_TITLES = (
    "关于做好{holiday}期间消防安全工作的通知",
    "关于{month}月份全区消防工作考评情况的通报",
    "关于开展{campaign}的通知",
    "关于近期几起火灾事故情况的通报",
    "关于加强电动自行车停放充电管理的通知",
    "关于{month}月份火灾隐患整改情况的通报",
    "关于开展“消防安全检查日”活动的通知",
    "关于做好夏季高温时段消防安全工作的通知",
)
HOLIDAYS = ("元旦春节", "清明节", "劳动节", "端午节", "中秋国庆")
LETTER_SUBJECTS_STREET = (
    "关于{name}合用场所消防安全问题的函", "关于督促{name}整改居民小区占堵消防车通道问题的函",
    "关于{name}电动自行车充电设施建设进度滞后的函", "关于{name}重大火灾隐患整改推进不力的函",
)
LETTER_SUBJECTS_DEPT = (
    "关于提请{name}督促行业单位落实消防安全主体责任的函", "关于{name}行业系统火灾隐患排查整治情况的函",
    "关于商请{name}联合开展消防安全执法检查的函",
)


def build_paperwork(b: Build) -> None:
    rng = b.rng
    streets = b.objects["streets"]
    labels = dict(SiteCategory.choices)
    interviews = []
    for _ in range(b.count(14, 28)):
        cat = rng.choice(INTERVIEW_CATEGORIES)
        interviews.append(Interview(
            held_on=b.workday(), site_category=cat, street=rng.choice(streets) if rng.random() < 0.6 else None,
            people_count=rng.randint(6, 25), subject=f"{labels[cat]}消防安全约谈会",
        ))
    bulk(Interview, interviews)

    campaigns = b.objects["campaigns"]
    notices = []
    for _ in range(b.count(22, 40)):
        day = b.workday()
        title = rng.choice(NOTICE_TITLES).format(
            holiday=rng.choice(HOLIDAYS), month=max(1, day.month - 1),
            campaign=rng.choice(campaigns).name if campaigns else "消防安全检查日活动")
        kind = NoticeKind.BULLETIN if "通报" in title else NoticeKind.NOTICE
        notices.append(Notice(issued_on=day, kind=kind, title=title))
    notices.sort(key=lambda n: (n.issued_on, n.title))
    for k, n in enumerate(notices, start=1):
        n.number = _number("河消委", b.year, k) if k % 3 == 0 else _number("河消", b.year, k)
    bulk(Notice, notices)

    departments = list(b.objects["departments"].values())
    letters = []
    for _ in range(b.count(14, 30)):
        if rng.random() < 0.6:
            s = rng.choice(streets)
            letters.append(SupervisionLetter(sent_on=b.workday(), street=s,
                                             subject=rng.choice(LETTER_SUBJECTS_STREET).format(name=s.name)))
        else:
            dep = rng.choice(departments)
            letters.append(SupervisionLetter(sent_on=b.workday(), department=dep,
                                             subject=rng.choice(LETTER_SUBJECTS_DEPT).format(name=dep.name)))
    letters.sort(key=lambda x: (x.sent_on, x.subject))
    for k, x in enumerate(letters, start=1):
        x.number = _number("河消函", b.year, k)
    bulk(SupervisionLetter, letters)


# ----------------------------------------------------------------------------------------------
# The hazard workflow's own records (recurrence links, event log, major-hazard cases), written
# when the supervision app has them.


def _optional_model(name: str):
    from django.apps import apps

    try:
        return apps.get_model("supervision", name)
    except LookupError:
        return None


def _link_recurrences(hazards: list[Hazard], months: int = 12) -> list[tuple[Hazard, Hazard]]:
    """Each hazard's latest closed hazard of the same unit and category closed within ``months`` before it."""
    groups: dict[tuple, list[Hazard]] = defaultdict(list)
    for h in hazards:
        groups[(h.unit_id, h.category)].append(h)
    links = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for h in group:
            window = h.found_on - dt.timedelta(days=round(months * 30.44))
            earlier = [x for x in group if x is not h and x.status == HazardStatus.CLOSED and x.closed_on
                       and window <= x.closed_on <= h.found_on]
            if earlier:
                links.append((h, max(earlier, key=lambda x: (x.closed_on, x.pk))))
    return links


def build_hazard_log(b: Build) -> None:
    from zoneinfo import ZoneInfo

    from brigade.supervision.choices import HazardEventKind as K

    hazards: list[Hazard] = sorted(b.objects["all_hazards"], key=lambda h: h.pk)
    statuses = dict(Hazard.objects.filter(pk__in=[h.pk for h in hazards]).values_list("pk", "status"))
    for h in hazards:
        h.status = statuses[h.pk]
    links = _link_recurrences(hazards) if any(f.name == "recurrence_of" for f in Hazard._meta.fields) else []
    for h, previous in links:
        h.recurrence_of = previous
    if links:
        from django.db import connection

        field = Hazard._meta.get_field("recurrence_of")
        with connection.cursor() as cursor:  # one statement for thousands of rows (bulk_update builds CASEs)
            cursor.executemany(
                f"UPDATE {connection.ops.quote_name(Hazard._meta.db_table)} SET "
                f"{connection.ops.quote_name(field.column)} = %s WHERE id = %s",
                [(p.pk, h.pk) for h, p in links])

    Event = _optional_model("HazardEvent")
    Case = _optional_model("MajorHazardCase")
    actions: dict[int, EnforcementAction] = {}
    through = EnforcementAction.hazards.through
    by_pk = {a.pk: a for a in EnforcementAction.objects.exclude(kind=EnforcementKind.WARNING)}
    for action_id, hazard_id in through.objects.order_by("pk").values_list("enforcementaction_id", "hazard_id"):
        if action_id in by_pk and hazard_id not in actions:
            actions[hazard_id] = by_pk[action_id]
    tz = ZoneInfo("Asia/Shanghai")

    cases = []
    if Case is not None:
        listed = {h.pk for h in b.objects.get("listed_hazards", [])}
        for h in hazards:
            if not h.is_major:
                continue
            determined = add_workdays(h.found_on, 2)
            listing = actions.get(h.pk) if h.pk in listed else None
            cases.append(Case(
                hazard=h, determined_on=determined, study_note="经集体研究，认定为重大火灾隐患，责令限期整改。",
                notice_on=add_workdays(determined, 3), reported_on=add_workdays(determined, 5),
                listed_on=listing.decided_on if listing and listing.decided_on >= determined else None,
                listing_authority="河东区人民政府" if listing else "",
            ))
        bulk(Case, cases)
    if Event is None:
        return

    events = []
    unset = {f.attname: None for f in Event._meta.concrete_fields if not f.primary_key}
    logged: dict[int, int] = {}  # events so far per hazard: its steps are stamped 17:30, 17:31 … 17:38

    def log(h, kind, before, after, on, note="", enforcement=None):
        k = min(logged.get(h.pk, 0), 8)
        logged[h.pk] = logged.get(h.pk, 0) + 1
        # Plain rows for insert_rows: tens of thousands of model instances were most of this step.
        events.append(SimpleNamespace(**{
            **unset, "hazard_id": h.pk, "kind": kind, "from_status": before, "to_status": after, "on": on,
            "at": dt.datetime(on.year, on.month, on.day, 17, 30 + k, tzinfo=tz), "note": note,
            "enforcement_id": enforcement.pk if enforcement else None}))

    linked = {h.pk: p for h, p in links}
    case_of = {c.hazard_id: c for c in cases}
    S = HazardStatus
    for h in hazards:
        log(h, K.RECORDED, "", S.FOUND, h.found_on)
        if h.pk in linked:
            p = linked[h.pk]
            log(h, K.RECURRENCE_LINKED, S.FOUND, S.FOUND, h.found_on,
                f"与{p.closed_on}销案的同类隐患再次出现")
        if h.pk in case_of:
            c = case_of[h.pk]
            log(h, K.MAJOR_DETERMINED, S.FOUND, S.FOUND, c.determined_on)
        log(h, K.ORDERED, S.FOUND, S.ORDERED, h.found_on, "责令立即改正" if h.deadline is None else "责令限期改正")
        if h.pk in case_of:
            c = case_of[h.pk]
            log(h, K.MAJOR_NOTICE, S.ORDERED, S.ORDERED, c.notice_on)
            log(h, K.MAJOR_REPORTED, S.ORDERED, S.ORDERED, c.reported_on)
            if c.listed_on:
                log(h, K.MAJOR_LISTED, S.ORDERED, S.ORDERED, c.listed_on, enforcement=actions.get(h.pk))
        state = S.ORDERED
        if h.rectified_on:
            log(h, K.RECTIFIED, state, S.RECTIFIED, h.rectified_on)
            state = S.RECTIFIED
        if h.reinspected_on:
            log(h, K.REINSPECTED, state, S.REINSPECTED, h.reinspected_on, "复查合格")
            state = S.REINSPECTED
        if h.closed_on:
            log(h, K.CLOSED, state, S.CLOSED, h.closed_on)
        elif h.status == S.ESCALATED and h.pk in actions:
            a = actions[h.pk]
            log(h, K.ESCALATED, state, S.ESCALATED, max(a.decided_on, h.found_on), enforcement=a)
    insert_rows(Event, events)
