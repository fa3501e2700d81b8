"""Incident statistics for a period and scope: the ORM adapter over ``brigade.analysis.response_stats``.

The calls and dispatches come as numpy columns from ``brigade.response.columns`` (a per-month
cache of the records, rebuilt when they change); the analysis works on the arrays; the result is
plain dicts (JSON-ready) that the CLI, the metrics, the API and the report share:
``incident_stats(period, scope)``.

Definitions (every interval in seconds, call-level ones from the FIRST-ARRIVING vehicle):
alarm handling = received → dispatch order; turnout = dispatch order → departed; travel =
departed → arrived; total response = received → first arrival; on scene = first arrival →
cleared. Percentiles: linear interpolation (numpy's default, the same as pandas' ``quantile``).
An interval outside the plausible limits of ``rules.json`` is flagged by the quality checks and,
by default, left out of the percentiles (each figure reports ``n``, the values it rests on); the
call itself always counts.
"""

import datetime as dt

import numpy as np
from django.db.models import Q
from django.utils import timezone

from brigade.analysis import response_stats as rs
from brigade.analysis.fire_grade import GRADE_LABELS, GRADE_ORDER, grade_codes
from brigade.analysis.incident_figures import (
    Computed,
    compute,
    distinct_calls_per_group,
    group_rows,
    share,
    unit_kind_rows,
)
from brigade.core.period import Period, parse_period
from brigade.core.scope import BRIGADE, Scope, parse_scope
from brigade.metrics.registry import local_day_bounds
from brigade.org.models import NON_AREA_KINDS, Station, Street
from brigade.resources.models import Vehicle
from brigade.response import columns
from brigade.response import first_due as fd
from brigade.response.columns import CATEGORIES, IncidentArrays
from brigade.response.first_due import (  # noqa: F401 (re-exported: the methods' registry lives there)
    FIRST_DUE_METHODS,
    FirstDueError,
    FirstDueFunc,
    FirstDueInput,
    first_due_by_street,
    first_due_nearest,
    register_first_due,
)
from brigade.response.models import IncidentCategory
from brigade.response.quality import quality_checks
from brigade.response.rules import load_rules

INTERVAL_LABELS = {
    "alarm_handling": "接警处理（接警→出动指令）",
    "turnout": "出动准备（出动指令→出车）",
    "travel": "行车（出车→到场）",
    "total_response": "总响应（接警→首车到场）",
    "on_scene": "现场处置（首车到场→结束）",
}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
NO_STATION = "（未确定辖区站）"
NO_STREET = "（未填镇街）"
NO_BRIGADE = "（未确定大队）"
# Responding units by the kind of their station: a station kind → the unit kind counted.
UNIT_KINDS = {"station": "消防救援站", "fulltime": "专职消防队", "micro": "微型消防站"}


def load_arrays(period: Period, scope: Scope = BRIGADE) -> IncidentArrays:
    """Every call received in the period (for a street, in it; for a station, those it attended)
    and every dispatch to them, from the column cache."""
    start, end = local_day_bounds(period.start, period.end)
    if scope.filters_brigades:  # read only these brigades' calls, not the whole database's
        from brigade.response.brigade_columns import load_brigades

        return load_brigades(start, end, scope.brigade_ids)
    a = columns.load(start, end)
    if scope.kind == "street":
        return columns.subset(a, a.street_id == scope.pk)
    if scope.kind == "station":  # the calls it attended, and those of its recorded area
        keep = a.first_due_id == scope.pk
        keep[a.d_call[a.d_station_id == scope.pk]] = True
        return columns.subset(a, keep)
    return a


# ---------------------------------------------------------------------------------------------
# Statistics.


def _utc_offsets(epoch_s: np.ndarray) -> np.ndarray:
    """The current time zone's UTC offset (seconds) at each instant: one zone lookup per hour of the
    span covered (offsets change on the hour), then a table lookup per row."""
    tz = timezone.get_current_timezone()
    out = np.zeros(epoch_s.size)
    known = np.isfinite(epoch_s)
    if not known.any():
        return out
    hours = np.floor_divide(epoch_s[known], 3600).astype(np.int64)
    first, last = int(hours.min()), int(hours.max())
    if last - first > 24 * 366 * 20:  # a span of decades: look up only the hours present
        uniq, inverse = np.unique(hours, return_inverse=True)
        table = np.array([dt.datetime.fromtimestamp(h * 3600, tz).utcoffset().total_seconds() for h in uniq.tolist()])
        out[known] = table[inverse]
        return out
    table = np.array([dt.datetime.fromtimestamp(h * 3600, tz).utcoffset().total_seconds()
                      for h in range(first, last + 1)])
    out[known] = table[hours - first]
    return out


def _unit_kind(station_kind: str) -> str:
    return station_kind if station_kind in UNIT_KINDS else "station"


def build_stats(c: Computed, *, first_due: str | FirstDueFunc, stations: list[tuple], streets: dict[int, str],
                vehicles: dict[int, tuple[str, int]], period: Period, fallback: str | None = None,
                street_brigades: dict[int, int] | None = None, brigades: dict[int, str] | None = None) -> dict:
    """Everything but the quality checks and fire grades, as plain data.

    ``stations``: (id, name, lon, lat, street id[, brigade id, kind]) of every station, micro fire
    stations included.
    """
    a = c.arrays
    n = a.n_calls

    # Stations as dense codes (sorted by id) for both the first-due areas and the dispatches.
    stations = sorted((tuple(s) + (None, "level1"))[:7] for s in stations)
    st_id = np.array([s[0] for s in stations], dtype=np.int64)
    st_f = np.array([[np.nan if v is None else v for v in s[2:5]] for s in stations], dtype=float).reshape(-1, 3)
    no_area = np.array([s[6] in NON_AREA_KINDS for s in stations], dtype=bool)
    st_f[no_area] = np.nan  # micro fire stations answer calls but have no area of their own
    inp = FirstDueInput(a.incident_id, a.lon, a.lat, a.street_id, st_id, st_f[:, 0], st_f[:, 1], st_f[:, 2],
                        a.first_due_id)
    assigned = fd.assign(inp, first_due, fallback)
    due = assigned.due
    n_st = len(stations)
    d_st = np.searchsorted(st_id, a.d_station_id) if n_st else np.zeros(a.d_station_id.size, np.int64)

    # Whose unit arrived first, and did the first-due station's?
    first = c.calls.first
    first_st = np.full(n, -1, dtype=np.int64)
    first_st[first >= 0] = d_st[first[first >= 0]]
    judged = (due >= 0) & (first_st >= 0)
    due_first = judged & (first_st == due)

    # Per-station figures: calls in its area (first due) and what its own vehicles did.
    area_rows = group_rows(c, due, n_st)
    d_crew = np.nan_to_num(a.d_crew)
    st_vehicles = rs.count_by(d_st, n_st)
    st_crew = rs.count_by(d_st, n_st, d_crew)
    st_first = rs.count_by(first_st, n_st)
    st_judged, st_due_first = rs.count_by(np.where(judged, due, -1), n_st), rs.count_by(
        np.where(due_first, due, -1), n_st)
    st_attended = distinct_calls_per_group(a.d_call, d_st, n, n_st)
    busy_s, _, _ = rs.busy_seconds(d_st, a.d_dispatched_s, a.d_returned_s, n_st)
    station_rows = []
    for i, (pk, name, *_rest) in enumerate(stations):
        row = {"station": name, "station_id": int(pk), "kind": _unit_kind(stations[i][6]), **area_rows[i],
               "attended": int(st_attended[i]),
               "first_arrivals": int(st_first[i]), "vehicles": int(st_vehicles[i]), "personnel": int(st_crew[i]),
               "first_due_arrived_first_share": share(st_due_first[i], st_judged[i]),
               "busy_hours": round(float(busy_s[i]) / 3600, 1)}
        if row["calls"] or row["vehicles"]:
            station_rows.append(row)
    undetermined = int((due < 0).sum())
    if undetermined:
        codes = np.where(due < 0, 0, -1)
        station_rows.append({"station": NO_STATION, "station_id": None, **group_rows(c, codes, 1)[0]})
    first_due_out = {"method": assigned.method, "method_label": assigned.label,
                     "calls_with_first_due": int((due >= 0).sum()), "judged": int(judged.sum()),
                     "arrived_first": int(due_first.sum()), "share": share(due_first.sum(), judged.sum()),
                     "by_method": assigned.by_method}
    if assigned.method == "stored":
        first_due_out["comparison"] = _comparison(inp, stations, c.rules)

    # Brigades: the first-due station's, else the street's.
    st_brigade = np.array([-1 if s[5] is None else s[5] for s in stations], dtype=np.int64)
    call_brigade = np.full(n, -1, dtype=np.int64)
    call_brigade[due >= 0] = st_brigade[due[due >= 0]]
    if street_brigades:
        open_ = (call_brigade < 0) & np.isfinite(a.street_id)
        call_brigade[open_] = [street_brigades.get(int(x), -1) for x in a.street_id[open_].tolist()]
    b_keys, b_codes = rs.dense_codes(np.where(call_brigade >= 0, call_brigade, np.nan))
    brigade_rows = [{"brigade": (brigades or {}).get(int(b_keys[i]), str(b_keys[i])), "brigade_id": int(b_keys[i]),
                     **row} for i, row in enumerate(group_rows(c, b_codes, b_keys.size))]
    if (b_codes < 0).any():
        brigade_rows.append({"brigade": NO_BRIGADE, "brigade_id": None,
                             **group_rows(c, np.where(b_codes < 0, 0, -1), 1)[0]})

    unit_rows = unit_kind_rows(c, d_st, first, [_unit_kind(s[6]) for s in stations], UNIT_KINDS)

    # Streets and categories.
    street_keys, street_codes = rs.dense_codes(a.street_id)
    street_rows = []
    for i, row in enumerate(group_rows(c, street_codes, street_keys.size)):
        street_rows.append({"street": streets.get(int(street_keys[i]), str(street_keys[i])),
                            "street_id": int(street_keys[i]), **row})
    if (street_codes < 0).any():
        street_rows.append({"street": NO_STREET, "street_id": None,
                            **group_rows(c, np.where(street_codes < 0, 0, -1), 1)[0]})
    category_rows = [{"category": CATEGORIES[i], "label": str(IncidentCategory(CATEGORIES[i]).label), **row}
                     for i, row in enumerate(group_rows(c, a.category, len(CATEGORIES)))]

    # Calendar: local month, hour of day, weekday of the call's receipt.
    cal = rs.local_calendar(a.received_s, _utc_offsets(a.received_s)) if n else None
    months = []
    if n:
        m_first = int(cal.month.min())
        m_codes = cal.month - m_first
        m_counts = np.bincount(m_codes)
        m_veh = np.bincount(m_codes[a.d_call], minlength=m_counts.size)
        months = [{"month": f"{k // 12}-{k % 12 + 1:02d}", "calls": int(m_counts[i]), "vehicles": int(m_veh[i])}
                  for i, k in enumerate(range(m_first, m_first + m_counts.size)) if m_counts[i]]
    hours = np.bincount(cal.hour, minlength=24) if n else np.zeros(24, np.int64)
    weekdays = np.bincount(cal.weekday, minlength=7) if n else np.zeros(7, np.int64)

    # Vehicles: dispatches (辆次) and busy hours (dispatch order → back at station).
    veh_keys, veh_codes = rs.dense_codes(a.d_vehicle_id)
    v_busy, v_counted, v_missing = rs.busy_seconds(veh_codes, a.d_dispatched_s, a.d_returned_s, veh_keys.size)
    v_disp = rs.count_by(veh_codes, veh_keys.size)
    period_s = period.days * 86400.0
    vehicle_rows = []
    for i, key in enumerate(veh_keys):
        plate, station_name = vehicles.get(int(key), (str(key), ""))
        vehicle_rows.append({"vehicle": plate, "vehicle_id": int(key), "station": station_name,
                             "dispatches": int(v_disp[i]), "busy_hours": round(float(v_busy[i]) / 3600, 2),
                             "utilisation_share": round(float(v_busy[i]) / period_s, 4),
                             "dispatches_without_times": int(v_missing[i])})
    vehicle_rows.sort(key=lambda r: -r["busy_hours"])

    # Simultaneous incidents: a call is active from receipt until its end (returned, else the last
    # vehicle back, else cleared).
    end = a.returned_s.copy()
    if n:
        last_back = rs.group_max(a.d_returned_s, a.d_call, n)
        end = np.where(np.isnan(end), last_back, end)
        end = np.where(np.isnan(end), a.cleared_s, end)
    conc = rs.concurrency(a.received_s, end)

    # Brigade-wide call-level figures.
    overall = group_rows(c, np.zeros(n, dtype=np.int64), 1)[0]
    return {
        "summary": {
            **overall,
            "vehicles": int(a.d_call.size),
            "personnel": int(d_crew.sum()),
            "calls_without_dispatch": int((np.bincount(a.d_call, minlength=n)[:n] == 0).sum()) if n else 0,
            "calls_with_arrival": int((first >= 0).sum()),
        },
        "first_due": first_due_out,
        "simultaneous": {
            "simultaneous_calls": conc.simultaneous_calls,
            "peak": conc.peak,
            "peak_at": None if np.isnan(conc.peak_at_s) else
            dt.datetime.fromtimestamp(conc.peak_at_s, timezone.get_current_timezone()).isoformat(),
            "calls_without_end": conc.calls_without_end,
        },
        "stations": station_rows,
        "brigades": brigade_rows,
        "unit_kinds": unit_rows,
        "streets": street_rows,
        "categories": category_rows,
        "months": months,
        "hours": [{"hour": h, "calls": int(hours[h])} for h in range(24)],
        "weekdays": [{"weekday": WEEKDAYS[d], "calls": int(weekdays[d])} for d in range(7)],
        "vehicles": vehicle_rows,
    }


def _comparison(inp: FirstDueInput, stations: list[tuple], rules: dict) -> dict:
    """The recorded areas against Brigade's own method, overall and per station (areas drawn badly
    show as frequent disagreement)."""
    conf = rules["first_due_check"]
    out = fd.compare(inp, fd.first_due_stored(inp), conf["against"])
    compared, agree = out.pop("per_station")
    out["stations"] = [{"station": stations[i][1], "station_id": int(stations[i][0]), "compared": int(compared[i]),
                        "agree": int(agree[i]), "share_agree": share(agree[i], compared[i])}
                       for i in np.flatnonzero(compared).tolist()]
    return out


def fire_grades(a: IncidentArrays) -> dict:
    """Fires by grade, each graded by the rule in force on its (local) date."""
    fire = a.category == CATEGORIES.index(IncidentCategory.FIRE)
    received = a.received_s[fire]
    local_day = np.floor_divide(received + _utc_offsets(received), 86400).astype(np.int64).astype("datetime64[D]")
    codes = grade_codes(local_day, a.deaths[fire], a.injuries[fire], a.direct_loss[fire])
    counts = np.bincount(codes[codes >= 0], minlength=len(GRADE_ORDER))
    return {"counts": {code: int(counts[i]) for i, code in enumerate(GRADE_ORDER)},
            "labels": dict(GRADE_LABELS), "ungraded": int((codes < 0).sum())}


def method_notes(rules: dict) -> dict:
    std = rules["standards"]
    return {
        "intervals": INTERVAL_LABELS,
        "first_arriving": "单起警情的各时段取首车（最先到场的车辆）；到场时间相同时取出车较早者。",
        "percentiles": list(rules["percentiles"]),
        "percentile": "线性插值（numpy method='linear'，与 pandas quantile 默认相同）；无数据时为 null。",
        "excluded_from_percentiles": "超出合理范围的时段不参与百分位数计算（见质量检查）"
        if rules["exclude_implausible_from_percentiles"] else "全部时段参与百分位数计算",
        "standard": {k: {"limit_s": v["limit_s"], "label": v["label"], "source": v["source"]}
                     for k, v in std.items()},
        "unit_kinds": "出动单位按所属站的类型分为消防救援站、专职消防队、微型消防站；首车到场计入全部单位，"
                      "各类单位的到场时间自其出动指令（调派）起算，按各自的标准统计。",
        "implausible": rules["implausible"],
    }


def incident_stats(period: Period | str, scope: Scope | str = BRIGADE, *, rules: dict | None = None,
                   first_due: str | FirstDueFunc | None = None, record_limit: int | None = None) -> dict:
    """Every incident statistic of the period and scope, with the data-quality checks, as plain data.

    The JSON of ``brigade incidents stats`` and of the API. Percentiles are seconds, None when
    there is no value ("无数据"); shares are fractions 0–1.
    """
    period = parse_period(period) if isinstance(period, str) else period
    scope = parse_scope(scope) if isinstance(scope, str) else scope
    rules = load_rules(rules)
    arrays = load_arrays(period, scope)
    computed = compute(arrays, rules)
    # Brigade names come with their stations and streets (no query of their own).
    station_qs, street_qs, vehicle_qs = Station.objects.all(), Street.objects.all(), Vehicle.objects.all()
    if scope.filters_brigades:  # the brigades' own, and any other that answered their calls: brigade-sized
        ids = scope.brigade_ids
        used = {int(x) for x in np.concatenate([arrays.d_station_id, arrays.first_due_id[np.isfinite(arrays.first_due_id)]])}
        station_qs = station_qs.filter(Q(brigade_id__in=ids) | Q(pk__in=sorted(used)))
        street_qs = street_qs.filter(brigade_id__in=ids)
        vehicle_qs = vehicle_qs.filter(pk__in=sorted({int(x) for x in arrays.d_vehicle_id[np.isfinite(arrays.d_vehicle_id)]}))
    station_rows = list(station_qs.values_list("pk", "name", "lon", "lat", "street_id", "brigade_id", "kind",
                                               "brigade__name"))
    stations = [r[:7] for r in station_rows]
    street_rows = list(street_qs.values_list("pk", "name", "brigade_id", "brigade__name"))
    streets = {pk: name for pk, name, _, _ in street_rows}
    brigades = {r[5]: r[7] for r in station_rows} | {r[2]: r[3] for r in street_rows}
    vehicles = {pk: (plate, name) for pk, plate, name in vehicle_qs.values_list("pk", "plate", "station__name")}
    out = {
        "period": period.key,
        "period_label": period.label,
        "scope": scope.key,
        "scope_label": scope.label,
        "method": method_notes(rules),
        **build_stats(computed, first_due=first_due or rules["first_due"], stations=stations, streets=streets,
                      vehicles=vehicles, period=period, fallback=None if first_due else rules["first_due_fallback"],
                      street_brigades={pk: b for pk, _, b, _ in street_rows}, brigades=brigades),
        "fire_grades": fire_grades(arrays),
        "quality": quality_checks(computed, limit=rules["record_limit"] if record_limit is None else record_limit),
    }
    return out
