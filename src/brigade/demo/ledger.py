"""Demo activity ledger: rows for every activity kind across the year, at the seed's scales (H, R, T, E, P)."""

import datetime as dt

from brigade.demo.generator import Build, bulk
from brigade.ledger.models import Activity, ActivityKind

# code: (rows at full scale, {metric: (lo, hi)} per row, where rows are attached)
# Attachment: "station", "street", "department" or "" (the brigade as a whole).
SPECS = {
    "government_meeting": ((2, 4), {"count": (1, 1)}, ""),
    "committee_meeting": ((4, 8), {"count": (1, 1)}, ""),
    "education_seminar": ((4, 8), {"count": (1, 1)}, ""),
    "integrity_letter": ((2, 2), {"count": (20, 45)}, ""),
    "party_day": ((3, 8), {"count": (1, 1)}, ""),
    "honour_plaque": ((2, 2), {"count": (12, 40)}, ""),
    "safety_meeting": ((12, 26), {"count": (1, 1)}, ""),
    "alcohol_check": ((24, 60), {"count": (1, 1), "people": (5, 12)}, "station"),
    "fitness_test": ((12, 30), {"count": (1, 1)}, "station"),
    "specialised_training": ((20, 48), {"count": (1, 1)}, "station"),
    "road_water_survey": ((2, 4), {"count": (1, 1)}, ""),
    "familiarisation": ((130, 260), {"count": (1, 1)}, "station"),
    "live_drill": ((20, 60), {"count": (1, 1)}, "station"),
    "preplan_revision": ((12, 30), {"count": (1, 1)}, "station"),
    "patrol": ((20, 60), {"count": (1, 1)}, "station"),
    "case_review": ((48, 52), {"count": (1, 1)}, ""),
    "collective_study": ((12, 30), {"count": (1, 1)}, ""),
    "shadowing": ((2, 6), {"count": (1, 1)}, ""),
    "field_practice": ((2, 6), {"count": (1, 1)}, ""),
    "integrity_education": ((2, 5), {"count": (1, 1)}, ""),
    "outreach_enterprise": ((8, 18), {"count": (1, 1), "materials": (100, 600), "people": (50, 400)}, "street"),
    "outreach_village": ((8, 18), {"count": (1, 1), "materials": (100, 600), "people": (50, 400)}, "street"),
    "outreach_community": ((8, 18), {"count": (1, 1), "materials": (100, 600), "people": (50, 400)}, "street"),
    "outreach_school": ((8, 18), {"count": (1, 1), "materials": (100, 600), "people": (50, 400)}, "street"),
    "outreach_family": ((8, 18), {"count": (1, 1), "materials": (100, 600), "people": (50, 400)}, "street"),
    "online_training": ((3, 8), {"count": (1, 1), "people": (300, 3_000)}, ""),
    "volunteer_event": ((120, 200), {"count": (1, 1), "materials": (50, 200), "people": (30, 200)}, "street"),
    "safety_training": ((40, 80), {"count": (1, 1), "people": (50, 300)}, "department"),
    "materials": ((12, 24), {"materials": (500, 2_500)}, ""),
    "national_lesson": ((2, 2), {"schools": (12, 40)}, ""),
    "banner": ((10, 20), {"places": (2, 4)}, "street"),
    "broadcast": ((12, 12), {"broadcasts": (150, 400)}, ""),
    "media_work": ((12, 12), {"works": (10, 25)}, ""),
    "livestream": ((100, 180), {"count": (1, 1), "audience": (200, 5_000)}, ""),
}
# Kinds whose yearly count changes by this share per year.
TRENDS = {"outreach_community": 0.1, "outreach_village": 0.1, "volunteer_event": 0.08, "safety_training": 0.1,
          "online_training": 0.15, "case_review": 0.0}
# Monthly kinds get one row at each month's end.
MONTHLY = {"broadcast", "media_work"}
NOTES = {
    "safety_meeting": "分析研判队伍安全形势，部署节假日和“八小时以外”管理",
    "case_review": "每周执法质量自查，随机抽取案卷集中讲评",
    "national_lesson": "组织辖区中小学观看全国中小学消防安全公开课",
    "road_water_survey": "对辖区道路通行条件和市政消火栓、天然水源逐一普查",
}
# Honours and security tasks: (kind, month, value, note) — our own wording.
HONOURS = (
    ("individual_honour", 4, 1, "全国消防救援队伍优秀网络主播"),
    ("individual_honour", 6, 1, "全省消防救援队伍绳索救援技能竞赛个人第二名"),
    ("individual_honour", 8, 2, "荣立个人三等功"),
    ("individual_honour", 12, 14, "获支队嘉奖"),
    ("individual_honour", 11, 1, "全市“最美消防员”"),
    ("collective_honour", 1, 1, "全市消防救援队伍先进基层党组织"),
    ("collective_honour", 5, 1, "区重大活动服务保障工作先进集体"),
    ("collective_honour", 9, 1, "市级“工人先锋号”"),
    ("security_task", 2, 1, "春节、元宵节期间消防安保"),
    ("security_task", 3, 1, "全国两会期间消防安保"),
    ("security_task", 6, 1, "中考、高考期间消防安保"),
    ("security_task", 10, 1, "国庆假期消防安保"),
)
FLAGSHIP_LIVESTREAM = "国庆假期联合广播电视台推出消防科普游戏直播，多个新媒体平台同步播出"


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def build_activities(b: Build) -> None:
    rng = b.rng
    stations = b.objects["stations"]
    streets = b.objects["streets"]
    departments = list(b.objects["departments"].values())
    rows = []

    def add(kind, day, values, attach="", note=""):
        target = rng.choice({"station": stations, "street": streets, "department": departments}[attach]) \
            if attach else None
        rows.append(Activity(
            occurred_on=day, kind=kind, values=values, note=note,
            station=target if attach == "station" else None,
            street=target if attach == "street" else None,
            department=target if attach == "department" else None,
        ))

    for kind in ActivityKind.objects.order_by("code"):
        codes = kind.metric_codes
        honours = [h for h in HONOURS if h[0] == kind.code]
        if honours:
            for _code, month, value, note in honours:
                if month in b.months:
                    add(kind, b.day(dt.date(b.year, month, 1), min(b.end, _end_of_month(b.year, month))),
                        {codes[0]: value}, note=note)
            continue
        spec = SPECS.get(kind.code)
        if spec is None:  # a kind added in the admin: a few rows a month with small values
            for month in b.months:
                add(kind, min(b.end, _end_of_month(b.year, month)), {c: rng.randint(1, 5) for c in codes})
            continue
        (lo, hi), ranges, attach = spec
        # Publicity and training reach grow year on year (the demo's story).
        trend = TRENDS.get(kind.code, 0.0)
        n = (len(b.months) if kind.code in MONTHLY else b.count(lo, hi, trend=trend) if hi > 2
             else max(1, round(hi * b.fraction)))
        for k in range(n):
            day = min(b.end, _end_of_month(b.year, k + 1)) if kind.code in MONTHLY else b.workday()
            values = {c: rng.randint(*ranges.get(c, (1, 1))) for c in codes}
            add(kind, day, values, attach, NOTES.get(kind.code, ""))
        if kind.code == "livestream":
            values = {c: 1 for c in codes}
            if "audience" in values:
                values["audience"] = rng.randint(1_050, 1_400) * 10_000
            if dt.date(b.year, 10, 7) <= b.end:
                add(kind, b.day(dt.date(b.year, 10, 1), dt.date(b.year, 10, 7)), values, note=FLAGSHIP_LIVESTREAM)
    bulk(Activity, rows, batch_size=1000)
