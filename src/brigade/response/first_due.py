"""First-due station (辖区站): whose area is each call in?

By default the area the dispatching system recorded on the call (``Incident.first_due_station``,
kept by the import); a call without one falls back to a computed method (``rules.json``:
``first_due_fallback``). The computed methods are pluggable functions per name: straight-line
nearest station, the one station of the call's street, and the road-network method the planning
app registers. ``--first-due`` (CLI) or ``first_due=`` (API) picks one method for every call.
Micro fire stations answer calls but have no area: no method picks them.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from brigade.analysis import response_stats as rs
from brigade.core.errors import UserError


@dataclass(frozen=True)
class FirstDueInput:
    """Calls and the stations that can be first due (micro fire stations have no area: their
    coordinates and street are NaN here, so no method picks them)."""

    incident_id: np.ndarray  # per call
    lon: np.ndarray  # per call
    lat: np.ndarray
    street_id: np.ndarray
    station_id: np.ndarray  # per station (sorted)
    station_lon: np.ndarray
    station_lat: np.ndarray
    station_street_id: np.ndarray
    first_due_id: np.ndarray | None = None  # per call: the area the dispatching system recorded (NaN: unknown)


FirstDueFunc = Callable[[FirstDueInput], np.ndarray]  # → per call, index into the stations or -1
FIRST_DUE_METHODS: dict[str, tuple[str, FirstDueFunc]] = {}


def register_first_due(name: str, label: str):
    """Register a first-due method (e.g. the road-network one from the coverage analysis)."""

    def wrap(func: FirstDueFunc) -> FirstDueFunc:
        FIRST_DUE_METHODS[name] = (label, func)
        return func

    return wrap


@register_first_due("stored", "接处警系统记录的辖区站")
def first_due_stored(inp: FirstDueInput) -> np.ndarray:
    """The first-due area kept on each call (imported from the dispatching system, or entered)."""
    out = np.full(inp.incident_id.size, -1, dtype=np.int64)
    if inp.first_due_id is None or inp.station_id.size == 0:
        return out
    known = np.isfinite(inp.first_due_id)
    ids = inp.first_due_id[known].astype(np.int64)
    pos = np.clip(np.searchsorted(inp.station_id, ids), 0, inp.station_id.size - 1)
    hit = inp.station_id[pos] == ids
    out[np.flatnonzero(known)[hit]] = pos[hit]
    return out


@register_first_due("nearest", "直线距离最近的消防站")
def first_due_nearest(inp: FirstDueInput) -> np.ndarray:
    return rs.nearest_by_straight_line(inp.lon, inp.lat, inp.station_lon, inp.station_lat)


@register_first_due("street", "所在镇街内唯一的消防站")
def first_due_by_street(inp: FirstDueInput) -> np.ndarray:
    """The station located in the call's street, when the street has exactly one station."""
    out = np.full(inp.street_id.size, -1, dtype=np.int64)
    streets, counts = np.unique(inp.station_street_id[np.isfinite(inp.station_street_id)], return_counts=True)
    single = streets[counts == 1]
    if single.size == 0:
        return out
    owner = np.array([np.flatnonzero(inp.station_street_id == s)[0] for s in single])
    pos = np.searchsorted(single, inp.street_id)
    pos_ok = np.clip(pos, 0, single.size - 1)
    hit = np.isfinite(inp.street_id) & (single[pos_ok] == inp.street_id)
    out[hit] = owner[pos_ok[hit]]
    return out


class FirstDueError(UserError):
    pass


def resolve(method: str | FirstDueFunc) -> tuple[str, str, FirstDueFunc]:
    if callable(method):
        return getattr(method, "__name__", "custom"), "自定义方法", method
    if method not in FIRST_DUE_METHODS:
        raise FirstDueError(f"未知的辖区站判定方法“{method}”，可用：{'、'.join(FIRST_DUE_METHODS)}。")
    label, func = FIRST_DUE_METHODS[method]
    return method, label, func



@dataclass(frozen=True)
class FirstDue:
    """Per call, the index of its first-due station (-1: undetermined), and how it was decided."""

    due: np.ndarray
    method: str
    label: str
    by_method: dict[str, int]  # calls decided by each method (the stored area, the fallback)


def assign(inp: FirstDueInput, method: str | FirstDueFunc, fallback: str | None) -> FirstDue:
    """The first-due station of every call by ``method``; with the stored method, calls without a
    stored area take ``fallback`` (None: they stay undetermined)."""
    name, label, func = resolve(method)
    due = func(inp)
    by_method = {name: int((due >= 0).sum())}
    if name == "stored" and fallback and fallback != "stored":
        fb_name, fb_label, fb_func = resolve(fallback)
        open_ = due < 0
        if open_.any():
            fb = fb_func(inp)
            due = np.where(open_, fb, due)
            by_method[fb_name] = int((open_ & (fb >= 0)).sum())
            label = f"{label}（无记录时：{fb_label}）"
    return FirstDue(due, name, label, by_method)


def compare(inp: FirstDueInput, stored: np.ndarray, against: str = "nearest") -> dict:
    """How often the recorded area agrees with a computed method, over calls that have both."""
    name, label, func = resolve(against)
    other = func(replace(inp, first_due_id=None))
    both = (stored >= 0) & (other >= 0)
    agree = both & (stored == other)
    n_st = inp.station_id.size
    per_compared = rs.count_by(np.where(both, stored, -1), n_st)
    per_agree = rs.count_by(np.where(agree, stored, -1), n_st)
    return {"against": name, "against_label": label, "compared": int(both.sum()), "agree": int(agree.sum()),
            "share_agree": None if not both.any() else round(float(agree.sum()) / float(both.sum()), 4),
            "per_station": (per_compared, per_agree)}
