"""Response-time statistics on plain arrays: intervals, first arrival, grouped percentiles, workload.

Times are float seconds since the Unix epoch (UTC), ``NaN`` where unknown. Groups are dense
integer codes ``0 … n_groups - 1`` (``-1`` means "no group"). Nothing here imports Django.

Percentile method: linear interpolation between closest ranks — numpy's default
``method="linear"`` (Hyndman & Fan type 7), which is also pandas' ``Series.quantile`` default —
so an analyst recomputing a figure in a notebook gets the same number. A percentile over an
empty set is ``NaN`` (shown as "无数据"), never 0.
"""

from dataclasses import dataclass

import numpy as np

# The call-level intervals, in timeline order; each is (start event, end event).
INTERVALS: dict[str, tuple[str, str]] = {
    "alarm_handling": ("received", "dispatched"),  # 接警 → 出动指令
    "turnout": ("dispatched", "departed"),  # 出动指令 → 出车 (first-arriving vehicle)
    "travel": ("departed", "arrived"),  # 出车 → 到场 (first-arriving vehicle)
    "total_response": ("received", "arrived"),  # 接警 → 首车到场
    "on_scene": ("arrived", "cleared"),  # 首车到场 → 结束
}


def interval_s(start_s: np.ndarray, end_s: np.ndarray) -> np.ndarray:
    """Seconds from start to end; ``NaN`` where either end is unknown (negative values kept)."""
    return np.asarray(end_s, dtype=float) - np.asarray(start_s, dtype=float)


def first_per_group(order_keys: tuple[np.ndarray, ...], groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Row index of the first row of each group when sorted by ``order_keys`` (primary key first).

    ``NaN`` sorts last, so a row with an unknown key loses to any row with a known one. Returns
    ``-1`` for groups with no rows.
    """
    groups = np.asarray(groups, dtype=np.int64)
    out = np.full(n_groups, -1, dtype=np.int64)
    valid = np.flatnonzero(groups >= 0)
    if valid.size == 0:
        return out
    # np.lexsort sorts by the LAST key first: groups, then the order keys in the given priority.
    keys = tuple(np.asarray(k)[valid] for k in reversed(order_keys)) + (groups[valid],)
    order = valid[np.lexsort(keys)]
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    out[sorted_groups[starts]] = order[starts]
    return out


def group_min(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Smallest known value per group (``NaN`` for a group with none)."""
    values, groups = np.asarray(values, dtype=float), np.asarray(groups, dtype=np.int64)
    out = np.full(n_groups, np.nan)
    keep = groups >= 0
    np.fmin.at(out, groups[keep], values[keep])  # fmin ignores NaN
    return out


def group_max(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Largest known value per group (``NaN`` for a group with none)."""
    values, groups = np.asarray(values, dtype=float), np.asarray(groups, dtype=np.int64)
    out = np.full(n_groups, np.nan)
    keep = groups >= 0
    np.fmax.at(out, groups[keep], values[keep])
    return out


def first_arrival(call_idx: np.ndarray, arrived_s: np.ndarray, departed_s: np.ndarray,
                  dispatched_s: np.ndarray, n_calls: int) -> np.ndarray:
    """The first-arriving vehicle (row index) of each call, ``-1`` when no vehicle arrived.

    Ties on arrival are broken by the earlier departure, then the earlier dispatch order (an
    unknown time loses), so the call's intervals do not depend on row order.
    """
    call_idx = np.asarray(call_idx, dtype=np.int64)
    arrived_s = np.asarray(arrived_s, dtype=float)
    # Step 1: the earliest arrival per call; its rows are the candidates.
    earliest = group_min(arrived_s, call_idx, n_calls)
    candidate = np.flatnonzero((call_idx >= 0) & np.isfinite(arrived_s))
    candidate = candidate[arrived_s[candidate] == earliest[call_idx[candidate]]]
    # Step 2: most calls have one candidate; sort only the tied ones by the tie-breakers.
    per_call = np.bincount(call_idx[candidate], minlength=n_calls)
    tied = per_call[call_idx[candidate]] > 1
    out = np.full(n_calls, -1, dtype=np.int64)
    single = candidate[~tied]
    out[call_idx[single]] = single
    if tied.any():
        mask = np.zeros(call_idx.size, dtype=bool)
        mask[candidate[tied]] = True
        out_tied = first_per_group((np.asarray(departed_s, dtype=float), np.asarray(dispatched_s, dtype=float)),
                                   np.where(mask, call_idx, -1), n_calls)
        has = out_tied >= 0
        out[has] = out_tied[has]
    return out


@dataclass(frozen=True)
class CallIntervals:
    """Per-call results: the first-arriving vehicle and each interval in seconds."""

    first: np.ndarray  # row index into the vehicle arrays, -1 when none arrived
    dispatched_s: np.ndarray  # the call's dispatch order (incident's, else its earliest vehicle's)
    first_arrived_s: np.ndarray
    first_dispatched_s: np.ndarray  # dispatch order of the first-arriving vehicle
    intervals: dict[str, np.ndarray]


def call_intervals(received_s, call_dispatched_s, cleared_s, call_idx, veh_dispatched_s, departed_s,
                   arrived_s) -> CallIntervals:
    """Every interval of ``INTERVALS`` per call, using the first-arriving vehicle.

    A vehicle without its own dispatch time takes the call's; a call without a dispatch time
    takes its earliest vehicle's.
    """
    received_s = np.asarray(received_s, dtype=float)
    n = received_s.size
    call_idx = np.asarray(call_idx, dtype=np.int64)
    veh_dispatched_s = np.asarray(veh_dispatched_s, dtype=float)
    departed_s, arrived_s = np.asarray(departed_s, dtype=float), np.asarray(arrived_s, dtype=float)
    # Fill the call's dispatch order from its vehicles, then the vehicles' from the call.
    dispatched = np.asarray(call_dispatched_s, dtype=float).copy()
    missing = np.isnan(dispatched)
    if missing.any():
        dispatched[missing] = group_min(veh_dispatched_s, call_idx, n)[missing]
    veh_dispatched = np.where(np.isnan(veh_dispatched_s), dispatched[call_idx], veh_dispatched_s)
    first = first_arrival(call_idx, arrived_s, departed_s, veh_dispatched, n)
    has = first >= 0

    def pick(values):
        out = np.full(n, np.nan)
        out[has] = values[first[has]]
        return out

    f_dispatched, f_departed, f_arrived = pick(veh_dispatched), pick(departed_s), pick(arrived_s)
    intervals = {
        "alarm_handling": interval_s(received_s, dispatched),
        "turnout": interval_s(f_dispatched, f_departed),
        "travel": interval_s(f_departed, f_arrived),
        "total_response": interval_s(received_s, f_arrived),
        "on_scene": interval_s(f_arrived, cleared_s),
    }
    return CallIntervals(first, dispatched, f_arrived, f_dispatched, intervals)


@dataclass(frozen=True)
class Grouping:
    """Rows laid out group by group (group 0's first; rows of group ``-1`` left out). Made once
    per grouping and shared by the percentiles of every interval."""

    rows: np.ndarray
    starts: np.ndarray  # per group: where its rows begin in ``rows``
    sizes: np.ndarray


def grouping(groups: np.ndarray, n_groups: int) -> Grouping:
    groups = np.asarray(groups, dtype=np.int64)
    rows = np.flatnonzero(groups >= 0)
    g = groups[rows]
    # A stable sort by group (radix sort when the codes fit 16 bits); one group needs none.
    if n_groups > 1:
        rows = rows[np.argsort(g.astype(np.int16) if n_groups < np.iinfo(np.int16).max else g, kind="stable")]
    sizes = np.bincount(g, minlength=n_groups)[:n_groups]
    return Grouping(rows, np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64), sizes)


def percentile_key(q: float) -> str:
    """The key of percentile ``q`` in the statistics and in metric codes: 50 → ``p50``, 97.5 → ``p97.5``."""
    return f"p{q:g}"


def percentiles_by_group(values: np.ndarray, groups: np.ndarray | None, n_groups: int,
                         qs: tuple[float, ...] = (50, 90), by: Grouping | None = None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Percentiles ``qs`` of the known values in each group, and how many values each rests on.

    Returns ``(table, counts)``: ``table[g, j]`` is percentile ``qs[j]`` of group ``g`` (``NaN``
    for an empty group). Linear interpolation, identical to ``np.percentile(..., method="linear")``.
    ``by`` is ``grouping(groups, n_groups)`` when the caller has it already.
    """
    values = np.asarray(values, dtype=float)
    by = grouping(groups, n_groups) if by is None else by
    v = values[by.rows]
    counts = np.zeros(n_groups, dtype=np.int64)
    for g in np.flatnonzero(by.sizes).tolist():
        segment = v[by.starts[g]:by.starts[g] + by.sizes[g]]
        segment.sort()  # in place; NaN sorts last, so the known values lead
        counts[g] = segment.size - np.count_nonzero(np.isnan(segment))
    table = np.full((n_groups, len(qs)), np.nan)
    has = counts > 0
    n, s = counts[has], by.starts[has]
    for j, q in enumerate(qs):
        virtual = (n - 1) * (q / 100.0)  # numpy: quantile * (n - 1)
        lo = np.floor(virtual).astype(np.int64)
        hi = np.minimum(lo + 1, n - 1)
        frac = virtual - lo
        a, b = v[s + lo], v[s + hi]
        # numpy's _lerp: interpolate from the nearer end for accuracy.
        table[has, j] = np.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac)
    return table, counts


def percentiles(values: np.ndarray, qs: tuple[float, ...] = (50, 90)) -> np.ndarray:
    """Percentiles of all known values (``NaN`` each when there are none)."""
    values = np.asarray(values, dtype=float)
    table, _ = percentiles_by_group(values, np.zeros(values.size, dtype=np.int64), 1, qs)
    return table[0]


def share_within(values: np.ndarray, limit_s: float, groups: np.ndarray, n_groups: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Per group: how many known values are ≤ ``limit_s``, and how many values are known."""
    values = np.asarray(values, dtype=float)
    groups = np.asarray(groups, dtype=np.int64)
    known = np.isfinite(values) & (groups >= 0)
    within = known & (values <= limit_s)
    return (np.bincount(groups[within], minlength=n_groups)[:n_groups],
            np.bincount(groups[known], minlength=n_groups)[:n_groups])


def count_by(groups: np.ndarray, n_groups: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Rows (or summed weights) per group; rows with group ``-1`` are left out."""
    groups = np.asarray(groups, dtype=np.int64)
    keep = groups >= 0
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    out = np.bincount(groups[keep], weights=w, minlength=n_groups)[:n_groups]
    return out if weights is not None else out.astype(np.int64)


def dense_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys (sorted) and each row's code into them; NaN / negative keys get ``-1``.

    Keys are database ids (non-negative integers); small ones are mapped through a presence table
    instead of a sort.
    """
    keys = np.asarray(keys, dtype=float)
    known = np.isfinite(keys) & (keys >= 0)
    codes = np.full(keys.size, -1, dtype=np.int64)
    if not known.any():
        return np.empty(0, dtype=np.int64), codes
    ints = keys[known].astype(np.int64)
    top = int(ints.max())
    if top <= 4 * ints.size + 1_000_000:
        present = np.bincount(ints, minlength=top + 1) > 0
        rank = np.cumsum(present) - 1
        codes[known] = rank[ints]
        return np.flatnonzero(present).astype(np.int64), codes
    uniq, inverse = np.unique(ints, return_inverse=True)
    codes[known] = inverse
    return uniq, codes


@dataclass(frozen=True)
class Concurrency:
    simultaneous_calls: int  # calls received while at least one other call was still active
    peak: int  # the most calls active at one moment
    peak_at_s: float  # when the peak was first reached (NaN when no call has a known end)
    calls_without_end: int  # calls left out because their end is unknown
    active_at_start: np.ndarray  # per call: other calls active when it was received (-1: left out)


def concurrency(start_s: np.ndarray, end_s: np.ndarray) -> Concurrency:
    """Simultaneous incidents: overlap of the intervals ``[start, end)`` of calls with both ends."""
    start_s, end_s = np.asarray(start_s, dtype=float), np.asarray(end_s, dtype=float)
    active = np.full(start_s.size, -1, dtype=np.int64)
    ok = np.isfinite(start_s) & np.isfinite(end_s)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return Concurrency(0, 0, float("nan"), int(start_s.size), active)
    order = idx[np.argsort(start_s[idx], kind="stable")]
    starts = start_s[order]
    ends_sorted = np.sort(np.maximum(end_s[idx], start_s[idx]))
    # Others active at a start: calls received before it (in sorted order) minus those already ended.
    before = np.arange(order.size) - np.searchsorted(ends_sorted, starts, side="right")
    active[order] = before
    peak_i = int(np.argmax(before))
    return Concurrency(int((before > 0).sum()), int(before[peak_i]) + 1, float(starts[peak_i]),
                       int(start_s.size - idx.size), active)


def busy_seconds(vehicle_idx: np.ndarray, start_s: np.ndarray, end_s: np.ndarray, n_vehicles: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per vehicle: seconds committed (dispatch order → back at station), dispatches counted, and
    dispatches left out because an end is unknown or out of order."""
    vehicle_idx = np.asarray(vehicle_idx, dtype=np.int64)
    duration = interval_s(start_s, end_s)
    ok = (vehicle_idx >= 0) & np.isfinite(duration) & (duration >= 0)
    seconds = np.bincount(vehicle_idx[ok], weights=duration[ok], minlength=n_vehicles)[:n_vehicles]
    counted = np.bincount(vehicle_idx[ok], minlength=n_vehicles)[:n_vehicles]
    missing = np.bincount(vehicle_idx[(vehicle_idx >= 0) & ~ok], minlength=n_vehicles)[:n_vehicles]
    return seconds, counted, missing


@dataclass(frozen=True)
class LocalCalendar:
    month: np.ndarray  # year * 12 + (month - 1)
    hour: np.ndarray  # 0–23
    weekday: np.ndarray  # 0 = Monday … 6 = Sunday


def local_calendar(epoch_s: np.ndarray, utc_offset_s: np.ndarray | float) -> LocalCalendar:
    """Month, hour of day and weekday of UTC epoch seconds, in local time given its UTC offset."""
    local = np.floor(np.asarray(epoch_s, dtype=float) + utc_offset_s).astype(np.int64)
    days = np.floor_divide(local, 86400)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)  # since 1970-01
    return LocalCalendar(months + 1970 * 12, np.floor_divide(local % 86400, 3600), (days + 3) % 7)


def flag_outside(values: np.ndarray, low_s: float | None, high_s: float | None) -> np.ndarray:
    """Known values below ``low_s`` or above ``high_s`` (either bound may be None)."""
    values = np.asarray(values, dtype=float)
    known = np.isfinite(values)
    bad = np.zeros(values.size, dtype=bool)
    if low_s is not None:
        bad |= known & (values < low_s)
    if high_s is not None:
        bad |= known & (values > high_s)
    return bad


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def nearest_by_straight_line(lon: np.ndarray, lat: np.ndarray, station_lon: np.ndarray,
                             station_lat: np.ndarray, *, chunk: int = 500_000) -> np.ndarray:
    """Index of the nearest station (great-circle distance) for each point; ``-1`` without a point
    or when no station has one. The straight-line stand-in for a road-network first-due area.

    On the unit sphere the great-circle distance grows with the chord, so the nearest station is
    the one whose unit vector has the largest dot product with the point's.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    station_lon, station_lat = np.asarray(station_lon, dtype=float), np.asarray(station_lat, dtype=float)
    out = np.full(lon.size, -1, dtype=np.int64)
    stations = np.flatnonzero(np.isfinite(station_lon) & np.isfinite(station_lat))
    points = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if stations.size == 0 or points.size == 0:
        return out
    s_vec = _unit_vectors(station_lon[stations], station_lat[stations]).T
    for i in range(0, points.size, chunk):
        idx = points[i:i + chunk]
        out[idx] = stations[np.argmax(_unit_vectors(lon[idx], lat[idx]) @ s_vec, axis=1)]
    return out
