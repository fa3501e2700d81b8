"""Incident figures on plain arrays: the intervals that enter the percentiles, per-group rows (calls,
percentiles, shares within the standard) and the rows per kind of responding unit.

``brigade.response.stats`` reads the arrays from the records and assembles the statistics from
these functions; a notebook can call them on arrays of its own. ``arrays`` is any object with the
columns of ``brigade.response.columns.IncidentArrays``; ``rules`` the response rules (a dict).
"""

from dataclasses import dataclass

import numpy as np

from brigade.analysis import response_stats as rs
from brigade.analysis.response_stats import percentile_key


def num(value, digits: int = 1):
    """A float for JSON: rounded, None for NaN."""
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else round(value, digits)


def share(part, whole):
    """A fraction 0–1 for JSON, None when there is nothing to divide by."""
    return None if not whole else round(float(part) / float(whole), 4)


@dataclass
class Computed:
    """Arrays derived once and shared by the statistics and the quality checks."""

    arrays: object  # brigade.response.columns.IncidentArrays, or any object with its columns
    calls: rs.CallIntervals
    raw: dict[str, np.ndarray]  # intervals as recorded
    used: dict[str, np.ndarray]  # intervals that enter percentiles
    flagged: dict[str, np.ndarray]  # per interval, bool: outside the plausible limits
    after_dispatch: np.ndarray  # first arrival − the call's dispatch order (NaN when negative)
    rules: dict


def compute(arrays, rules: dict) -> Computed:
    a = arrays
    calls = rs.call_intervals(a.received_s, a.dispatched_s, a.cleared_s, a.d_call, a.d_dispatched_s,
                              a.d_departed_s, a.d_arrived_s)
    flagged, used = {}, {}
    for name, values in calls.intervals.items():
        limits = rules["implausible"].get(name, {})
        flagged[name] = rs.flag_outside(values, limits.get("min_s"), limits.get("max_s"))
        used[name] = np.where(flagged[name], np.nan, values) if rules["exclude_implausible_from_percentiles"] \
            else values
    after = rs.interval_s(calls.dispatched_s, calls.first_arrived_s)
    after = np.where(after < 0, np.nan, after)
    return Computed(a, calls, calls.intervals, used, flagged, after, rules)


def group_rows(c: Computed, codes: np.ndarray, n: int) -> list[dict]:
    """Call-level figures per group: calls, the configured percentiles and n of each interval, shares within standard."""
    qs = tuple(c.rules["percentiles"])
    calls = rs.count_by(codes, n)
    by = rs.grouping(codes, n)
    tables = {name: rs.percentiles_by_group(values, None, n, qs, by) for name, values in c.used.items()}
    std = c.rules["standards"]
    within, known = rs.share_within(c.after_dispatch, std["first_arrival"]["limit_s"], codes, n)
    t_within, t_known = rs.share_within(c.used["travel"], std["travel_only"]["limit_s"], codes, n)
    rows = []
    for g in range(n):
        row = {"calls": int(calls[g])}
        for j, q in enumerate(qs):
            row[percentile_key(q)] = {name: num(table[g, j]) for name, (table, _) in tables.items()}
        row["n"] = {name: int(counts[g]) for name, (_, counts) in tables.items()}
        row["within_standard_share"] = share(within[g], known[g])
        row["within_standard"] = {"within": int(within[g]), "known": int(known[g])}
        row["travel_within_share"] = share(t_within[g], t_known[g])
        rows.append(row)
    return rows


def distinct_calls_per_group(d_call: np.ndarray, d_st: np.ndarray, n_calls: int, n_st: int) -> np.ndarray:
    """How many distinct calls each station sent at least one vehicle to."""
    if d_call.size == 0 or n_st == 0:
        return np.zeros(n_st, dtype=np.int64)
    if n_calls * n_st <= 100_000_000:  # a calls × stations bitmap: no sort
        seen = np.zeros((n_st, n_calls), dtype=bool)
        seen[d_st, d_call] = True
        return seen.sum(axis=1)
    pairs = np.unique(d_call * n_st + d_st)
    return np.bincount(pairs % n_st, minlength=n_st)[:n_st]


def unit_kind_rows(c: Computed, d_st: np.ndarray, first: np.ndarray, st_kinds: list[str],
                   unit_kinds: dict[str, str]) -> list[dict]:
    """Per kind of responding unit (station, full-time team, micro fire station): dispatches, calls
    attended, how often it arrived first, and its own arrival (its dispatch order → arrival)
    against its own standard."""
    a, rules = c.arrays, c.rules
    kinds = list(unit_kinds)
    nk = len(kinds)
    kind_code = np.array([kinds.index(k) for k in st_kinds], dtype=np.int64)
    d_kind = kind_code[d_st] if kind_code.size else np.full(d_st.size, -1, np.int64)
    own_dispatch = np.where(np.isnan(a.d_dispatched_s), c.calls.dispatched_s[a.d_call], a.d_dispatched_s) \
        if a.d_call.size else np.empty(0)
    arrival = rs.interval_s(own_dispatch, a.d_arrived_s)
    arrival[arrival < 0] = np.nan
    from_received = rs.interval_s(a.received_s[a.d_call] if a.d_call.size else np.empty(0), a.d_arrived_s)
    from_received[from_received < 0] = np.nan
    qs = tuple(rules["percentiles"])
    by = rs.grouping(d_kind, nk)
    arr_tab, arr_n = rs.percentiles_by_group(arrival, None, nk, qs, by)
    rec_tab, rec_n = rs.percentiles_by_group(from_received, None, nk, qs, by)
    dispatches = rs.count_by(d_kind, nk)
    attended = distinct_calls_per_group(a.d_call, d_kind, a.n_calls, nk)
    first_kind = np.full(a.n_calls, -1, dtype=np.int64)
    first_kind[first >= 0] = d_kind[first[first >= 0]]
    firsts = rs.count_by(first_kind, nk)
    with_arrival = int((first >= 0).sum())
    rows = []
    for i, kind in enumerate(kinds):
        std = rules["standards"][rules["unit_kind_standards"][kind]]
        mine = np.where(d_kind == i, arrival, np.nan)
        within, known = rs.share_within(mine, std["limit_s"], np.where(d_kind == i, 0, -1), 1)
        rows.append({
            "kind": kind, "label": unit_kinds[kind], "dispatches": int(dispatches[i]), "attended": int(attended[i]),
            "first_arrivals": int(firsts[i]), "first_arrival_share": share(firsts[i], with_arrival),
            "first_share_of_attended": share(firsts[i], attended[i]),
            "arrival": {**{percentile_key(q): num(arr_tab[i, j]) for j, q in enumerate(qs)}, "n": int(arr_n[i])},
            "from_received": {**{percentile_key(q): num(rec_tab[i, j]) for j, q in enumerate(qs)}, "n": int(rec_n[i])},
            "standard": {"limit_s": std["limit_s"], "label": std["label"], "source": std["source"]},
            "within_standard_share": share(within[0], known[0]),
            "within_standard": {"within": int(within[0]), "known": int(known[0])},
        })
    return rows
