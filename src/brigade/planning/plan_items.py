"""The summary's plan items (Part 3) from the analyses: N2 recurring hazards, N3 sites, hydrants and
vehicles, N4 case review. Each item names places and numbers, says what its stored analysis was
based on, and where the records give no basis says what to record instead."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np

from brigade.analysis.siting import status_label
from brigade.core.findings import Finding, finding_provider, in_scope_brigades
from brigade.planning.kept import basis_note
from brigade.planning.network_store import analysed_brigade

# Road classes outside built-up areas: a municipal hydrant plan leaves them out (country roads
# rely on natural water sources and tankers; expressways on the engines' own water).
OPEN_ROAD_CLASSES = ("expressway", "rural")
LISTED = 5  # how many roads, sites or vehicles a sentence names
ORDINALS = "一二三四五六七八九十"


def _whole(scope) -> bool:
    return scope is None or getattr(scope, "kind", "brigade") == "brigade"


def _brigades_whole(scope) -> bool:
    """The whole territory of the scope's brigades: the database, the detachment or some brigades (not
    a street or a station)."""
    return scope is None or getattr(scope, "kind", "brigade") in ("brigade", "detachment", "brigades")


def _note_figures(run, note: str) -> dict:
    """The date a basis note prints, as figures the summary can trace."""
    if not note:
        return {}
    from brigade.planning.kept import run_data_date

    day = run_data_date(run) or (run.created_at.date() if run.created_at else None)
    return {"basis_year": day.year, "basis_month": day.month, "basis_day": day.day} if day else {}


def _end(period):
    return getattr(period, "end", None)


def _latest(kind: str, brigade_id: int):
    from brigade.planning.models import AnalysisRun

    return AnalysisRun.objects.filter(kind=kind, brigade_id=brigade_id).order_by("-created_at", "-pk").first()


# ----------------------------------------------------------------------------------- places


class Places:
    """Street (by stored boundary) and nearest named road of a point."""

    def __init__(self, brigade_id: int):
        import shapely
        from shapely.geometry import LineString, shape

        from brigade.org.models import Street
        from brigade.resources.models import Road

        self.streets = [(name, shape(b)) for name, b in Street.objects.filter(brigade_id=brigade_id)
                        .exclude(boundary=None).values_list("name", "boundary")]
        roads = list(Road.objects.filter(brigade_id=brigade_id).values_list("name", "coordinates"))
        self.kx = 111_320 * float(np.cos(np.radians(35.0)))
        self.road_names = [n for n, c in roads if len(c) >= 2]
        self.lines = [LineString([(x * self.kx, y * 110_574) for x, y in c]) for n, c in roads if len(c) >= 2]
        self.tree = shapely.STRtree(self.lines) if self.lines else None

    def of(self, lon: float, lat: float) -> tuple[str, str]:
        from shapely.geometry import Point

        street = next((name for name, geom in self.streets if geom.contains(Point(lon, lat))), "")
        road = ""
        if self.tree is not None:
            i = self.tree.nearest(Point(lon * self.kx, lat * 110_574))
            road = self.road_names[int(i)]
        return street, road


# ---------------------------------------------------------------------------------------- N3


def station_sites(period, run) -> Finding | None:
    s = run.summary or {}
    selected = s.get("selected") or []
    if not selected:
        return None
    places = Places(run.brigade_id)
    before, after = float(s.get("covered_before_pct") or 0), float(s.get("covered_after_pct") or 0)
    gains = [float(c.get("gain") or 0) for c in selected]
    total = sum(gains)
    share, rows, parts = before, [], []
    for c, g in zip(selected, gains, strict=True):
        street, road = places.of(c["lon"], c["lat"])
        step = (after - before) * g / total if total else 0.0
        rows.append({"镇街": street, "道路": road, "经度": c["lon"], "纬度": c["lat"],
                     "覆盖率（前）": round(share, 1), "覆盖率（后）": round(share + step, 1)})
        where = f"{street}{road}附近" if street else f"{road}附近"
        parts.append(f"在{where}新建，覆盖率由{share:.1f}%提高到{share + step:.1f}%")
        share += step
    minutes = f"{float(s.get('minutes') or 5):g}"
    solved = ""
    if s.get("status") is not None:
        # "最优" only when the solver proved it; otherwise how far off the layout may be.
        label = status_label(s["status"], s.get("gap"))
        solved = (f"该方案{label}。" if s["status"] == "optimal"
                  else f"该方案{label}，可能存在覆盖更多需求的方案，宜延长求解时限复核。")
    statement = (f"按{minutes}分钟到场标准，建议新建消防站{len(selected)}处（覆盖率指辖区警情、单位和道路"
                 f"加权后{minutes}分钟可达的比例）：" + "；".join(f"{ORDINALS[k] + '是' if k < len(ORDINALS) else ''}{p}" for k, p in enumerate(parts))
                 + f"。全部建成后覆盖率由{before:.1f}%提高到{after:.1f}%。{solved}")
    note = basis_note(run, _end(period))
    return Finding(code="planning.station_siting", severity="medium", part="N3",
                   statement=statement.rstrip("。") + "。" + note,
                   metrics={"new_stations": len(selected), "covered_before_pct": before, "covered_after_pct": after,
                            "minutes": float(minutes), "gap_pct": round(100 * float(s.get("gap") or 0), 1),
                            **_note_figures(run, note)},
                   evidence=rows)


def hydrants_by_road(period, run) -> Finding | None:
    from brigade.resources.models import Road

    classes = dict(Road.objects.filter(brigade_id=run.brigade_id).values_list("name", "road_class"))
    per_road: Counter = Counter()
    for r in (run.result or {}).get("roads", []):
        if r.get("new") and classes.get(r["name"]) not in OPEN_ROAD_CLASSES:
            per_road[r["name"]] += int(r["new"])
    if not per_road:
        return None
    total = sum(per_road.values())
    top = sorted(per_road.items(), key=lambda kv: (-kv[1], kv[0]))[:LISTED]
    s = run.summary or {}
    statement = (f"按消火栓保护半径{float(s.get('radius_m') or 150):g}米、间距{float(s.get('spacing_m') or 120):g}米，"
                 f"城区和镇区{len(per_road)}条道路需补建市政消火栓{total}个，其中"
                 + "、".join(f"{name}{n}个" for name, n in top)
                 + "；乡村道路以天然水源取水点和水罐消防车保障为主。")
    note = basis_note(run, _end(period))
    return Finding(code="planning.hydrant_siting", severity="medium", part="N3",
                   statement=statement + note,
                   metrics={"new_hydrants": total, "roads_with_gaps": len(per_road),
                            "radius_m": float(s.get("radius_m") or 150), "spacing_m": float(s.get("spacing_m") or 120),
                            **_note_figures(run, note)},
                   evidence=[{"道路": name, "补建（个）": n} for name, n in
                             sorted(per_road.items(), key=lambda kv: (-kv[1], kv[0]))])


def vehicles_due(period, scope) -> Finding | None:
    """Vehicles that reach their service life by the end of the year after the period."""
    from django.conf import settings

    from brigade.analysis.fleet import over_age_vehicles
    from brigade.planning.fleet import _stations, vehicle_rows
    from brigade.resources.models import VehicleKind

    next_end = dt.date(period.end.year + 1, 12, 31)
    life, default_life = settings.BRIGADE_VEHICLE_SERVICE_LIFE_YEARS, settings.BRIGADE_DEFAULT_SERVICE_LIFE_YEARS
    due = over_age_vehicles(vehicle_rows(_stations(scope), next_end), service_life_years=life,
                            default_years=default_life)
    if not due:
        return None
    now = {r["plate"] for r in over_age_vehicles(vehicle_rows(_stations(scope), period.end),
                                                 service_life_years=life, default_years=default_life)}
    labels = dict(VehicleKind.choices)
    listed = "、".join(f"{r['station']}{labels.get(r['kind'], r['kind'])}（届时{r['age_years']:.1f}年）"
                       for r in due[:LISTED])
    more = "等" if len(due) > LISTED else ""
    coming = len(due) - len(now)
    year = next_end.year
    if coming and now:
        counted = f"已有{len(now)}辆消防车超过使用年限（{default_life:g}年），另有{coming}辆将于{year}年内到期"
    elif coming:
        counted = f"有{coming}辆消防车将于{year}年内达到使用年限（{default_life:g}年）"
    else:
        counted = f"已有{len(now)}辆消防车超过使用年限（{default_life:g}年），{year}年内没有新到期车辆"
    statement = f"{counted}，共{len(due)}辆应列入{year}年更新计划：{listed}{more}。"
    return Finding(code="planning.vehicles_due", severity="medium", part="N3", statement=statement,
                   metrics={"vehicles_due": len(due), "vehicles_over_age": len(now), "vehicles_coming": coming,
                            "service_life_years": default_life, "year": year},
                   evidence=[{"车牌号": r["plate"], "所属站": r["station"], "车辆类型": labels.get(r["kind"], r["kind"]),
                              f"{next_end.year}年底车龄（年）": r["age_years"]} for r in due])


@finding_provider("planning.siting")
def siting_findings(period, scope) -> list[Finding]:
    """Part 3 (N3): new station sites, hydrants per road and vehicles due, or what to run first."""
    from brigade.planning.models import AnalysisKind

    brigade_id = analysed_brigade(scope)
    if brigade_id is None:
        return []
    found = []
    station = _latest(AnalysisKind.STATION_SITING, brigade_id)
    hydrant = _latest(AnalysisKind.HYDRANT_SITING, brigade_id)
    items = [station_sites(period, station) if station else None,
             hydrants_by_road(period, hydrant) if hydrant else None]
    found += [f for f in items if f is not None]
    if station is None or hydrant is None:
        found.append(Finding(
            code="planning.siting_missing", severity="low", part="N3",
            statement="系统中还没有保存的消防站选址和消火栓补建分析，无法给出新建站点和补建位置：请运行 brigade analyse（可设为每晚定时运行）。"))
    due = vehicles_due(period, scope) if period is not None else None
    if due:
        found.append(due)
    return found


# ---------------------------------------------------------------------------------------- N2


@finding_provider("plan.recurring_focus")
def recurring_focus(period, scope) -> list[Finding]:
    """Where hazards recur most: site categories, hazard kinds and streets, with counts; the street
    whose hazards rose most on the year before."""
    from brigade.supervision.choices import HazardCategory
    from brigade.supervision.models import Hazard
    from brigade.supervision.recurrence import recurrence_months, recurring_hazards
    from brigade.units.models import SiteCategory

    street_id = scope.pk if getattr(scope, "kind", "brigade") == "street" else None
    rows = list(recurring_hazards(start=period.start, end=period.end, street_id=street_id, scope=scope)
                .values_list("unit__site_category", "category", "unit__street__name"))
    if not rows:
        return [Finding(code="plan.recurring_focus", severity="low", part="N2",
                        statement="本期没有登记为再次出现的隐患：复查销案后回访发现同类隐患时，请在隐患记录中关联原隐患，以便分析反复出现的场所和类别。")]
    sites = Counter(r[0] for r in rows).most_common(3)
    kinds = Counter(r[1] for r in rows).most_common(3)
    streets = Counter(r[2] for r in rows).most_common(3)
    statement = (f"把销案后{recurrence_months()}个月内再次出现的{len(rows)}处隐患作为整治重点：按场所，"
                 + "、".join(f"{SiteCategory(c).label}{n}处" for c, n in sites)
                 + "；按隐患类别，" + "、".join(f"{HazardCategory(c).label}{n}处" for c, n in kinds)
                 + ("；按镇街，" + "、".join(f"{s}{n}处" for s, n in streets) if street_id is None else "")
                 + "，对这些单位实行销案后回访复查。")
    metrics = {"recurring": len(rows), "window_months": recurrence_months()}
    if street_id is None:
        before = period.previous_year()
        now = Counter(in_scope_brigades(Hazard.objects.filter(found_on__range=(period.start, period.end)), scope)
                      .values_list("unit__street__name", flat=True))
        then = Counter(in_scope_brigades(Hazard.objects.filter(found_on__range=(before.start, before.end)), scope)
                       .values_list("unit__street__name", flat=True))
        # The street whose hazards grew most beyond the district's own growth (more inspections find more).
        growth = sum(now.values()) / sum(then.values()) if then else 1.0
        rising = sorted(((s, now[s], then[s]) for s in now if then.get(s)),
                        key=lambda r: -(r[1] - r[2] * growth))
        if rising and rising[0][1] > rising[0][2] * growth and rising[0][1] > rising[0][2]:
            s, a, b = rising[0]
            statement += (f"{s}发现隐患{a}处，同比上升{100 * (a - b) / b:.1f}%，高于全区"
                          f"{100 * (growth - 1):.1f}%的{'增幅' if growth >= 1 else '变化'}，应作为督导重点。")
            metrics.update({"rising_now": a, "rising_before": b, "rising_pct": round(100 * (a - b) / b, 1),
                            "district_growth_pct": round(100 * (growth - 1), 1)})
    return [Finding(code="plan.recurring_focus", severity="medium", part="N2", statement=statement,
                    metrics=metrics,
                    evidence=[{"场所类别": SiteCategory(c).label, "再次出现（处）": n} for c, n in sites]
                    + [{"隐患类别": HazardCategory(c).label, "再次出现（处）": n} for c, n in kinds]
                    + [{"镇街": s, "再次出现（处）": n} for s, n in streets])]


# ---------------------------------------------------------------------------------------- N4


CASE_REVIEW = "case_review"


@finding_provider("plan.case_review")
def case_review(period, scope) -> list[Finding]:
    """Case-review results: sessions and penalty files of the period; defects by kind when recorded."""
    from brigade.ledger.models import Activity
    from brigade.supervision.models import EnforcementAction

    if not _brigades_whole(scope):
        return []
    rows = list(in_scope_brigades(Activity.objects.filter(kind__code=CASE_REVIEW,
                                                          occurred_on__range=(period.start, period.end)), scope)
                .values_list("values", flat=True))
    sessions = sum(int((v or {}).get("count", 0) or 0) for v in rows)
    files = sum(int((v or {}).get("files", 0) or 0) for v in rows)
    defects: Counter = Counter()
    for v in rows:
        for key, n in (v or {}).items():
            if key.startswith("defect_") and n:
                defects[key.removeprefix("defect_")] += int(n)
    decisions = in_scope_brigades(EnforcementAction.objects.filter(decided_on__range=(period.start, period.end)),
                                  scope).exclude(decision_number="").count()
    if files:
        statement = (f"{period.label}评查案卷{files}卷" + ("，发现问题" + "、".join(
            f"{k}{n}个" for k, n in defects.most_common()) if defects else "，未发现问题")
            + "，针对问题多的环节开展专项讲评。")
    else:
        statement = (f"{period.label}开展执法质量自查和案卷讲评{sessions}次，作出执法决定{decisions}件，"
                     "但系统中没有案卷评查的结果。请在“执法质量自查和案卷讲评”台账中增加评查案卷数和各类问题数"
                     "（文书制作、证据收集、执法程序、法律适用等）的填报项并逐次登记，以便按问题类别部署整改。")
    return [Finding(code="plan.case_review", severity="low", part="N4", statement=statement,
                    metrics={"sessions": sessions, "files": files, "decisions": decisions,
                             **{f"defect.{k}": n for k, n in defects.items()}})]
