"""Risk scores of supervised units from counted evidence: pure numpy, one array per evidence source.

The weights come in as a :class:`RiskWeights` (the brigade's rubric, parsed elsewhere); the
evidence as a :class:`UnitEvidence` of equal-length arrays, one row per unit. Every step is a
vector operation over all units, so 100,000 units score in milliseconds.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from brigade.analysis.network import haversine_m

LEVELS = ("low", "medium", "high")  # index = the level code stored in arrays
LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH = 0, 1, 2
# Counted evidence, in the order the evidence sentence lists it.
COUNT_FACTORS = ("open", "overdue", "major", "recurring", "enforcement", "self_inspections", "incidents")


@dataclass(frozen=True)
class CountWeight:
    """Points per counted item, bounded by ``cap`` (a negative ``per`` lowers the score, down to -cap)."""

    per: float
    cap: float
    months: int | None = None  # look-back window; None: as of the day graded


@dataclass(frozen=True)
class RiskWeights:
    category_points: Mapping[str, float]
    key_unit_points: float
    counts: Mapping[str, CountWeight]
    travel_free_minutes: float
    travel_per_minute: float
    travel_cap: float
    since_free_months: float
    since_per_month: float
    since_cap: float
    never_inspected_points: float
    high_at: float
    medium_at: float
    draw_weights: Mapping[str, float] = field(default_factory=lambda: {"low": 1.0, "medium": 2.0, "high": 5.0})


@dataclass
class UnitEvidence:
    """Evidence per unit; ``minutes`` and ``months_since`` are NaN when unknown (no point, never inspected)."""

    category: np.ndarray  # str codes
    is_key: np.ndarray  # bool
    counts: dict[str, np.ndarray]  # COUNT_FACTORS → int arrays
    minutes: np.ndarray  # float, travel minutes from the nearest station
    months_since: np.ndarray  # float, months since the last inspection


@dataclass
class RiskScores:
    score: np.ndarray  # float, ≥ 0
    level: np.ndarray  # int8, LEVEL_*
    parts: dict[str, np.ndarray]  # the points of each factor (for the evidence and for checks)


def _bounded(points: np.ndarray, cap: float) -> np.ndarray:
    cap = abs(cap)
    return np.clip(points, -cap, cap)


def score_units(evidence: UnitEvidence, weights: RiskWeights) -> RiskScores:
    """Score = category + key unit + bounded counts + travel time + time since inspection."""
    n = len(evidence.category)
    codes = np.asarray(list(weights.category_points), dtype=object)
    values = np.asarray([float(weights.category_points[c]) for c in codes], dtype=np.float64)
    parts: dict[str, np.ndarray] = {}
    # Category points by lookup: sort the rubric's codes once, find each unit's by binary search.
    if len(codes):
        order = np.argsort(codes.astype(str))
        sorted_codes = codes.astype(str)[order]
        cat = np.asarray(evidence.category).astype(str)
        pos = np.clip(np.searchsorted(sorted_codes, cat), 0, len(sorted_codes) - 1)
        found = sorted_codes[pos] == cat
        parts["category"] = np.where(found, values[order][pos], 0.0)
    else:
        parts["category"] = np.zeros(n)
    parts["key_unit"] = np.where(np.asarray(evidence.is_key, dtype=bool), weights.key_unit_points, 0.0)
    for name in COUNT_FACTORS:
        w = weights.counts.get(name)
        count = np.asarray(evidence.counts.get(name, np.zeros(n)), dtype=np.float64)
        parts[name] = np.zeros(n) if w is None else _bounded(count * w.per, w.cap)
    minutes = np.asarray(evidence.minutes, dtype=np.float64)
    over = np.nan_to_num(np.maximum(minutes - weights.travel_free_minutes, 0.0), nan=0.0)
    parts["travel"] = np.minimum(over * weights.travel_per_minute, weights.travel_cap)
    months = np.asarray(evidence.months_since, dtype=np.float64)
    late = np.nan_to_num(np.maximum(months - weights.since_free_months, 0.0), nan=0.0)
    parts["since_inspection"] = np.where(np.isnan(months), weights.never_inspected_points,
                                         np.minimum(late * weights.since_per_month, weights.since_cap))
    score = np.maximum(np.sum(list(parts.values()), axis=0), 0.0) if n else np.zeros(0)
    score = np.round(score, 1)
    level = np.full(n, LEVEL_LOW, dtype=np.int8)
    level[score >= weights.medium_at] = LEVEL_MEDIUM
    level[score >= weights.high_at] = LEVEL_HIGH
    return RiskScores(score=score, level=level, parts=parts)


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lam, phi = np.deg2rad(lon), np.deg2rad(lat)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def nearest_minutes(unit_lon: Sequence[float], unit_lat: Sequence[float], station_lon: Sequence[float],
                    station_lat: Sequence[float], *, speed_kph: float, detour: float) -> np.ndarray:
    """Straight-line minutes from the nearest station: distance × detour factor at ``speed_kph``.

    NaN for a unit without a point, or when there is no located station.
    """
    ulon, ulat = np.asarray(unit_lon, dtype=np.float64), np.asarray(unit_lat, dtype=np.float64)
    slon, slat = np.asarray(station_lon, dtype=np.float64), np.asarray(station_lat, dtype=np.float64)
    out = np.full(len(ulon), np.nan)
    if not len(slon) or not len(ulon):
        return out
    best = np.full(len(ulon), np.inf)
    # The nearest by straight chord through the sphere is the nearest along it: a tree finds it in
    # log time, so a province's thousands of stations cost what a brigade's dozen do.
    located = np.isfinite(ulon) & np.isfinite(ulat)
    if located.any():
        _, nearest = cKDTree(_unit_vectors(slon, slat)).query(_unit_vectors(ulon[located], ulat[located]))
        best[located] = haversine_m(ulon[located], ulat[located], slon[nearest], slat[nearest])
    minutes = best * detour / (speed_kph * 1000.0 / 60.0)
    return np.where(np.isfinite(minutes), minutes, np.nan)
