"""Data-quality checks on incidents: each check gives a count and the records behind it.

Form entry refuses an out-of-order timeline (``Model.clean`` and the database constraints), but
imports and older data can still hold calls without dispatches, arrivals before the dispatch
order (the database only checks a vehicle against itself, not against its call), missing
coordinates or implausible intervals. Such calls stay in every count; they are listed here, and
a flagged interval stays out of the percentiles (``rules.json``: ``exclude_implausible_from_percentiles``).
"""

import numpy as np

from brigade.response.models import Incident

# Each check, once: (its description in the statistics, its name as a metric ``response.quality_<code>``).
CHECKS = {
    "no_dispatch": ("无出动车辆记录的警情", "无出动记录的警情"),
    "no_arrival": ("有出动车辆但无到场时间的警情", "无到场时间的警情"),
    "arrival_before_dispatch": ("到场时间早于出动指令或接警时间", "到场早于出动指令的警情"),
    "out_of_order": ("其他时间顺序颠倒（出车早于出动指令、归队早于到场、结束早于控制等）", "时间顺序颠倒的警情"),
    "missing_coordinates": ("缺少经纬度的警情", "缺少坐标的警情"),
    "implausible_intervals": ("时段超出合理范围（可配置）", "时段不合理的警情"),
}


def _lt(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a < b where both are known."""
    return np.isfinite(a) & np.isfinite(b) & (a < b)


def flags(c) -> dict[str, np.ndarray]:
    """Per check, a boolean array over the calls (``c`` is ``brigade.analysis.incident_figures.Computed``)."""
    a = c.arrays
    n = a.n_calls
    call_dispatched = c.calls.dispatched_s
    per_call = a.d_call

    def any_call(rows_bad: np.ndarray) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[per_call[rows_bad]] = True
        return out

    vehicles = np.bincount(per_call, minlength=n)[:n] if n else np.zeros(0, np.int64)
    received_d = a.received_s[per_call] if n else np.empty(0)
    call_disp_d = call_dispatched[per_call] if n else np.empty(0)
    arrival_bad = (_lt(a.d_arrived_s, a.d_dispatched_s) | _lt(a.d_arrived_s, call_disp_d)
                   | _lt(a.d_arrived_s, received_d) | _lt(a.d_arrived_s, a.d_departed_s))
    other_bad = (_lt(a.d_dispatched_s, received_d) | _lt(a.d_departed_s, a.d_dispatched_s)
                 | _lt(a.d_departed_s, call_disp_d) | _lt(a.d_departed_s, received_d)
                 | _lt(a.d_returned_s, a.d_arrived_s) | _lt(a.d_returned_s, a.d_dispatched_s))
    call_other = (_lt(a.dispatched_s, a.received_s) | _lt(a.cleared_s, a.controlled_s)
                  | _lt(a.cleared_s, a.received_s) | _lt(a.returned_s, a.cleared_s)
                  | _lt(a.controlled_s, a.received_s) | _lt(a.cleared_s, c.calls.first_arrived_s))
    implausible = np.zeros(n, dtype=bool)
    for bad in c.flagged.values():
        implausible |= bad
    return {
        "no_dispatch": vehicles == 0,
        "no_arrival": (vehicles > 0) & (c.calls.first < 0),
        "arrival_before_dispatch": any_call(arrival_bad),
        "out_of_order": any_call(other_bad) | call_other,
        "missing_coordinates": ~(np.isfinite(a.lon) & np.isfinite(a.lat)),
        "implausible_intervals": implausible,
    }


def quality_checks(c, *, limit: int = 200) -> list[dict]:
    """Every check with its count and up to ``limit`` records (id and 警情编号)."""
    found = flags(c)
    ids = c.arrays.incident_id
    listed = {code: ids[np.flatnonzero(bad)[:limit]] for code, bad in found.items()}
    wanted = np.unique(np.concatenate([*listed.values(), np.empty(0, np.int64)])).astype(int).tolist()
    numbers = {}
    for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        numbers.update(Incident.objects.filter(pk__in=wanted[i:i + 500]).values_list("pk", "number"))
    out = []
    for code, bad in found.items():
        row = {"code": code, "label": CHECKS[code][0], "count": int(bad.sum()),
               "records": [{"id": int(pk), "number": numbers.get(int(pk), "")} for pk in listed[code]]}
        row["truncated"] = row["count"] > len(row["records"])
        if code == "implausible_intervals":
            row["by_interval"] = {name: int(f.sum()) for name, f in c.flagged.items()}
        out.append(row)
    return out
