"""The detachment's comparison of its brigades: one row per brigade with the figures a detachment
ranks on, the detachment's median and quartiles, each brigade's rank, and the outliers as findings.

Every figure of a brigade is computed from that brigade's own records (``brigade:NAME`` scope);
nothing is averaged across brigades. A brigade with no record of the period, or a figure whose
base is missing (no registered units, population unknown, no stored analysis), shows "无数据"
(None), never zero.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import F, Q

from brigade.core.findings import Finding
from brigade.core.period import Period
from brigade.core.scope import Scope, brigade_scope
from brigade.metrics.registry import Context, compute

NO_DATA = "无数据"
# A figure outside [Q1 − k·IQR, Q3 + k·IQR] of the detachment is an outlier (Tukey's fences; k is
# settings.BRIGADE_COMPARE_OUTLIER_IQR). With fewer brigades than MIN_FOR_OUTLIERS, none.
MIN_FOR_OUTLIERS = 3


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    unit: str
    better: str  # "high" or "low": which way ranks first
    definition: str
    func: Callable[["BrigadeFigures"], float | int | None]
    digits: int = 1


class BrigadeFigures:
    """The metrics one brigade's measures read, computed once from its own records."""

    CODES = ("supervision.units_inspected", "supervision.hazards_overdue", "supervision.penalty_cases",
             "response.alarms", "response.p90_total_response_s", "response.within_standard_pct",
             "responsibility.street_score", "supervision.hazards_found")

    def __init__(self, brigade, period: Period, scope: Scope):
        self.brigade, self.period, self.scope = brigade, period, scope
        self.ctx = Context(period, scope)
        table = compute(period, scope, self.CODES, with_previous=False)
        self.m = {code: table.value(code) for code in self.CODES}
        self.has_records = _has_records(self.ctx)


def _has_records(ctx: Context) -> bool:
    from brigade.response.models import Incident
    from brigade.supervision.models import Inspection

    inspections = ctx.scoped(ctx.between(Inspection.objects.all(), "inspected_on"), street="unit__street")
    incidents = ctx.scoped(ctx.between(Incident.objects.all(), "received_at"), street="street")
    return inspections.exists() or incidents.exists()


def _per_100_units(f: BrigadeFigures):
    from brigade.units.models import SocialUnit

    units = f.ctx.scoped(SocialUnit.objects.all(), street="street").count()
    inspected = f.m["supervision.units_inspected"]
    return None if not units or inspected is None else 100.0 * inspected / units


def _on_time_pct(f: BrigadeFigures):
    """Hazards whose deadline fell in the period: the share rectified by it (an on-the-spot order is
    due the day it was given)."""
    from brigade.supervision.models import Hazard

    rows = f.ctx.scoped(Hazard.objects.all(), street="unit__street")
    p = f.period
    due = rows.filter(Q(deadline__range=(p.start, p.end)) | Q(deadline__isnull=True, ordered_on__range=(p.start, p.end)))
    n = due.count()
    if not n:
        return None
    on_time = due.filter(Q(rectified_on__isnull=False) & (Q(deadline__isnull=False, rectified_on__lte=F("deadline"))
                                                          | Q(deadline__isnull=True, rectified_on__lte=F("ordered_on"))))
    return 100.0 * on_time.count() / n


def _metric(code: str, *, needs_records: bool = True):
    def read(f: BrigadeFigures):
        if needs_records and not f.has_records:
            return None
        return f.m[code]
    return read


def _alarms_per_10k(f: BrigadeFigures):
    alarms = f.m["response.alarms"]
    if not f.brigade.population or not f.has_records or alarms is None:
        return None
    return 10_000.0 * alarms / f.brigade.population


def _latest_run(kind: str, brigade_id: int):
    from brigade.planning.models import AnalysisRun

    return (AnalysisRun.objects.filter(kind=kind, brigade_id=brigade_id).order_by("-created_at", "-pk")
            .only("result", "params").first())


def _street_rows(f: BrigadeFigures, kind: str) -> list[dict]:
    """The streets in the brigade's latest stored analysis of ``kind`` (each analysis is one brigade's)."""
    run = f.ctx.memo(f"run:{kind}:{f.brigade.pk}", lambda: _latest_run(kind, f.brigade.pk))
    if run is None:
        return []
    names = set(f.brigade.streets.values_list("name", flat=True))
    return [r for r in (run.result or {}).get("streets", []) if r.get("name") in names]


def _roads_within_pct(f: BrigadeFigures):
    rows = [r for r in _street_rows(f, "coverage") if r.get("road_length_m")]
    total = sum(r["road_length_m"] for r in rows)
    return None if not total else 100.0 * sum(r.get("reached_length_m", 0) for r in rows) / total


def _hydrant_coverage_pct(f: BrigadeFigures):
    rows = [r for r in _street_rows(f, "water") if r.get("road_length_m")]
    total = sum(r["road_length_m"] for r in rows)
    return None if not total else 100.0 * (1 - sum(r.get("gap_length_m", 0) for r in rows) / total)


def _fleet(f: BrigadeFigures):
    from brigade.analysis.fleet import DEFAULT_SCBA_SPARE_RATIO, scba_shortfalls, vehicle_shortfalls
    from brigade.org.models import NON_AREA_KINDS, Station
    from brigade.planning.fleet import station_equipment, vehicle_rows

    def build():
        stations = Station.objects.filter(brigade=f.brigade).exclude(kind__in=NON_AREA_KINDS)
        if not stations.exists():
            return None, None
        in_service: dict[str, int] = {}
        for v in vehicle_rows(stations, f.period.end):
            in_service[v.station] = in_service.get(v.station, 0) + int(v.on_duty)
        short = vehicle_shortfalls(dict(stations.values_list("name", "kind")), in_service,
                                   table=settings.BRIGADE_VEHICLES_BY_STATION_KIND)
        ratios = {**DEFAULT_SCBA_SPARE_RATIO, **settings.BRIGADE_SCBA_SPARE_RATIO}
        scba = scba_shortfalls(station_equipment(stations), spare_ratio=ratios)
        return (sum(r["short_in_service"] + r["short_spare"] for r in scba), sum(r["short"] for r in short))

    return f.ctx.memo("fleet", build)


MEASURES = (
    Measure("inspected_per_100_units", "每百家单位检查家次", "家次", "high",
            "期间内消防监督检查家次（不含单位自查）÷ 登记社会单位数 × 100。", _per_100_units),
    Measure("rectified_on_time_pct", "隐患按期整改率", "%", "high",
            "整改期限（当场改正以责令日期为准）在期间内的隐患中，在期限内整改完成的比例。", _on_time_pct),
    Measure("hazards_overdue", "逾期未改隐患", "处", "low", "截至期末逾期未改的隐患数（与指标 supervision.hazards_overdue 同口径）。",
            _metric("supervision.hazards_overdue"), 0),
    Measure("penalty_cases", "立案处罚单位", "家", "high", "期间内立案处罚的单位家数。", _metric("supervision.penalty_cases"), 0),
    Measure("alarms_per_10k", "每万人接处警", "起", "low", "期间内接处警起数 ÷ 辖区常住人口 × 10000；未填人口的大队为无数据。",
            _alarms_per_10k, 2),
    Measure("p90_first_arrival_s", "首车到场时间第90百分位", "秒", "low",
            "期间内警情接警至首车到场时间的第90百分位数（按本大队全部警情重新计算）。", _metric("response.p90_total_response_s"), 0),
    Measure("within_standard_pct", "5分钟到场率", "%", "high", "首车在出动指令后5分钟（可配置）内到场的警情占比。",
            _metric("response.within_standard_pct")),
    Measure("roads_within_pct", "规定时间可达道路比例", "%", "high",
            "最近一次出警时间覆盖分析中，本大队各镇街在规定时间（默认5分钟）内可达的道路长度 ÷ 道路总长度。",
            _roads_within_pct),
    Measure("hydrant_coverage_pct", "消火栓保护道路比例", "%", "high",
            "最近一次消防水源分析中，本大队各镇街道路长度减去消火栓保护空白长度后所占比例。", _hydrant_coverage_pct),
    Measure("scba_short", "空气呼吸器缺口", "具", "low", "期末各消防站按执勤人数和备份比应配而未配的空气呼吸器数。",
            lambda f: _fleet(f)[0], 0),
    Measure("vehicles_short", "执勤车辆缺口", "辆", "low", "期末各消防站执勤车辆少于建设标准下限的辆数合计。",
            lambda f: _fleet(f)[1], 0),
    Measure("evaluation_avg", "月度考评平均得分", "分", "high", "期间内各月本大队镇街考评得分的平均值。",
            _metric("responsibility.street_score", needs_records=False)),
)
MEASURE_BY_CODE = {m.code: m for m in MEASURES}


@dataclass
class Row:
    brigade: str
    values: dict[str, float | None]
    ranks: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Comparison:
    period: Period
    rows: list[Row]
    # Per measure: n (brigades with a value), q1, median, q3 (None when no brigade has a value).
    stats: dict[str, dict]
    outliers: list[dict]  # {brigade, measure, value, side: "high"/"low", bad: bool}

    def findings(self) -> list[Finding]:
        return outlier_findings(self)


def _round(value, digits):
    if value is None:
        return None
    value = float(value)
    return int(round(value)) if digits == 0 else round(value, digits)


def compare_brigades(period: Period, names: list[str] | None = None) -> Comparison:
    """The comparison of the named brigades (all by default) for the period."""
    from brigade.org.models import Brigade

    rows_qs = Brigade.objects.order_by("name")
    if names:
        from brigade.core.scope import brigades_scope

        brigades_scope(names)  # every name must exist (a Chinese message names the unknown ones)
        rows_qs = rows_qs.filter(name__in=names)
    rows = []
    for brigade in rows_qs:
        figures = BrigadeFigures(brigade, period, brigade_scope(brigade))
        rows.append(Row(brigade.name, {m.code: _round(m.func(figures), m.digits) for m in MEASURES}))
    stats = {m.code: _quartiles([r.values[m.code] for r in rows]) for m in MEASURES}
    for m in MEASURES:
        _rank(rows, m)
    return Comparison(period, rows, stats, _outliers(rows, stats))


def _quartiles(values: list) -> dict:
    known = np.array([v for v in values if v is not None], dtype=float)
    if not known.size:
        return {"n": 0, "q1": None, "median": None, "q3": None}
    q1, med, q3 = np.percentile(known, [25, 50, 75])
    return {"n": int(known.size), "q1": round(float(q1), 2), "median": round(float(med), 2), "q3": round(float(q3), 2)}


def _rank(rows: list[Row], m: Measure) -> None:
    """Rank 1 = best; equal values share the better rank; no value, no rank."""
    known = sorted((r.values[m.code] for r in rows if r.values[m.code] is not None), reverse=m.better == "high")
    for r in rows:
        v = r.values[m.code]
        r.ranks[m.code] = None if v is None else known.index(v) + 1


def _outliers(rows: list[Row], stats: dict) -> list[dict]:
    k = float(settings.BRIGADE_COMPARE_OUTLIER_IQR)
    found = []
    for m in MEASURES:
        s = stats[m.code]
        if s["n"] < MIN_FOR_OUTLIERS:
            continue
        iqr = s["q3"] - s["q1"]
        low, high = s["q1"] - k * iqr, s["q3"] + k * iqr
        for r in rows:
            v = r.values[m.code]
            if v is None or low <= v <= high:
                continue
            side = "high" if v > high else "low"
            found.append({"brigade": r.brigade, "measure": m.code, "value": v, "side": side,
                          "bad": side != m.better, "fence": high if side == "high" else low})
    return found


def value_text(value, unit: str = "") -> str:
    if value is None:
        return NO_DATA
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text}{unit}" if unit and unit not in ("%",) else text + ("%" if unit == "%" else "")


def outlier_findings(c: Comparison) -> list[Finding]:
    """Outliers as findings: a bad one is a problem (Q), a good one a practice worth spreading (N)."""
    out = []
    for o in c.outliers:
        m = MEASURE_BY_CODE[o["measure"]]
        s = c.stats[m.code]
        where = "高于" if o["side"] == "high" else "低于"
        base = (f"{c.period.label}{o['brigade']}“{m.label}”为{value_text(o['value'], m.unit)}，"
                f"{where}全支队中位数{value_text(s['median'], m.unit)}，超出四分位距范围")
        if o["bad"]:
            statement, part, severity = base + "，明显落后，需要重点督导。", "Q1", "high"
        else:
            statement, part, severity = base + "，明显领先，可总结推广其做法。", "N1", "low"
        out.append(Finding(code=f"compare.{m.code}", severity=severity, statement=statement, part=part,
                           metrics={"value": o["value"], "median": s["median"], "q1": s["q1"], "q3": s["q3"]},
                           evidence=[{"大队": o["brigade"], m.label: o["value"], "中位数": s["median"],
                                      "下四分位数": s["q1"], "上四分位数": s["q3"]}]))
    return out


def comparison_dict(c: Comparison) -> dict:
    """Plain data for JSON and the API."""
    return {
        "period": c.period.key,
        "period_label": c.period.label,
        "measures": [{"code": m.code, "label": m.label, "unit": m.unit, "better": m.better,
                      "definition": m.definition, **c.stats[m.code]} for m in MEASURES],
        "brigades": [{"brigade": r.brigade, "values": r.values, "ranks": r.ranks} for r in c.rows],
        "outliers": c.outliers,
        "findings": [f.statement for f in c.findings()],
    }
