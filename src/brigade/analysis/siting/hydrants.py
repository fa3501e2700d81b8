"""Hydrant siting along roads: the fewest new hydrants so that every road meets GB 50974-2014 7.2.5.

Model (per road, one dimension). Each road is a polyline measured by arc length s in [0, L].
Existing hydrants within ``snap_m`` of a road are placed on it at their projected arc length.
A road is compliant when, with H the sorted hydrant positions on it (existing and new):

* every point of the road lies within ``radius_m`` (150 m) *along the road* of a hydrant:
  ``H[0] <= radius_m`` and ``H[-1] >= L - radius_m`` (the spacing rule covers the points between);
* consecutive hydrants are at most ``spacing_m`` (120 m) apart.

Each road is solved on its own, so hydrants on crossing roads are not credited across a junction
(a conservative choice: the answer never leaves a gap, and may add a hydrant near a junction that
a network-wide model would share). On one road the problem is an interval cover and the greedy
rule — walk from s = 0 and place a new hydrant as far ahead as the rules allow, unless an existing
one already lies within reach — is optimal by the usual exchange argument: any valid placement can
be shifted forward to the greedy one without adding hydrants.
"""

from dataclasses import dataclass, field

import numpy as np

from brigade.analysis.siting.errors import SitingError

# GB 50974-2014 消防给水及消火栓系统技术规范 7.2.5: protection radius <= 150 m, spacing <= 120 m.
RADIUS_M = 150.0
SPACING_M = 120.0
# An existing hydrant counts for a road when it stands this close to it.
SNAP_M = 30.0

MSG_RULES = "消火栓间距 {spacing} 米和保护半径 {radius} 米应为正数，且间距不大于保护半径的两倍。"
MSG_ROAD = "道路“{name}”的坐标不足两个有效点，无法布置消火栓。"


@dataclass
class RoadPlan:
    """The plan for one road: its length, existing hydrants on it and the new positions."""

    name: str
    length_m: float
    existing_s: list[float]  # arc lengths of existing hydrants on the road
    new_s: list[float]  # arc lengths of the new hydrants
    new_xy: list[tuple[float, float]]  # their positions (same unit and projection as the input)
    compliant_before: bool


@dataclass
class HydrantPlan:
    roads: list[RoadPlan] = field(default_factory=list)
    radius_m: float = RADIUS_M
    spacing_m: float = SPACING_M

    @property
    def new_count(self) -> int:
        return sum(len(r.new_s) for r in self.roads)

    def as_dict(self) -> dict:
        return {
            "radius_m": self.radius_m,
            "spacing_m": self.spacing_m,
            "new_hydrants": self.new_count,
            "roads": [
                {"name": r.name, "length_m": round(r.length_m, 1), "existing": len(r.existing_s),
                 "new": len(r.new_s), "compliant_before": r.compliant_before,
                 "new_positions": [[round(x, 2), round(y, 2)] for x, y in r.new_xy]}
                for r in self.roads
            ],
        }


def place_on_segment(length_m: float, existing_s, *, radius_m: float = RADIUS_M,
                     spacing_m: float = SPACING_M) -> list[float]:
    """Fewest new positions on [0, length_m] given existing ones (greedy, optimal in this model)."""
    if not (radius_m > 0 and spacing_m > 0 and spacing_m <= 2 * radius_m):
        raise SitingError(MSG_RULES.format(spacing=spacing_m, radius=radius_m))
    eps = 1e-9
    existing = np.sort(np.clip(np.asarray(existing_s, dtype=float), 0.0, length_m))
    new: list[float] = []
    last = None  # position of the last hydrant in the walk
    k = 0  # next existing hydrant not yet passed
    while True:
        reach = min(radius_m if last is None else last + spacing_m, length_m)
        if last is None and len(existing) and existing[0] <= reach + eps:
            # the first existing hydrant is near enough the start: the walk begins there
            last, k = float(existing[0]), 1
            continue
        # existing hydrants within reach of the last one: jump to the farthest of them for free
        # (they all lie within one spacing of it, so the gaps between them are fine too)
        j = k
        while last is not None and j < len(existing) and existing[j] <= reach + eps:
            j += 1
        if j > k:
            last, k = float(existing[j - 1]), j
            continue
        done = last is not None and last >= length_m - radius_m - eps
        if done and k >= len(existing):
            return new
        # a gap before the next existing hydrant, or the road's end is still out of reach
        last = float(reach)
        new.append(last)


def _arc(xy: np.ndarray) -> np.ndarray:
    seg = np.hypot(np.diff(xy[:, 0]), np.diff(xy[:, 1]))
    return np.concatenate([[0.0], np.cumsum(seg)])


def _point_at(xy: np.ndarray, arc: np.ndarray, s: float) -> tuple[float, float]:
    i = int(np.clip(np.searchsorted(arc, s, side="right") - 1, 0, len(arc) - 2))
    seg = arc[i + 1] - arc[i]
    t = 0.0 if seg <= 0 else (s - arc[i]) / seg
    p = xy[i] + t * (xy[i + 1] - xy[i])
    return float(p[0]), float(p[1])


def _project(xy: np.ndarray, arc: np.ndarray, pts: np.ndarray):
    """Distance from each point to the polyline and its arc length at the foot of the perpendicular."""
    a, b = xy[:-1], xy[1:]
    d = b - a
    seg2 = (d**2).sum(axis=1)
    rel = pts[:, None, :] - a[None, :, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(seg2 > 0, (rel * d[None]).sum(axis=2) / seg2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    foot = a[None] + t[..., None] * d[None]
    dist = np.hypot(*(pts[:, None, :] - foot).transpose(2, 0, 1))
    best = dist.argmin(axis=1)
    rows = np.arange(len(pts))
    s = arc[best] + t[rows, best] * np.sqrt(seg2[best])
    return dist[rows, best], s


def plan_hydrants(roads, hydrants_xy=None, *, names=None, radius_m: float = RADIUS_M, spacing_m: float = SPACING_M,
                  snap_m: float = SNAP_M) -> HydrantPlan:
    """Fewest new hydrants along every road.

    Parameters
    ----------
    roads : sequence of (k, 2) arrays
        Road polylines in a metric projection (metres).
    hydrants_xy : (h, 2) array, optional
        Existing in-service hydrants in the same projection.
    names : sequence of str, optional
        Road names for the report.
    """
    if not (radius_m > 0 and spacing_m > 0 and spacing_m <= 2 * radius_m):
        raise SitingError(MSG_RULES.format(spacing=spacing_m, radius=radius_m))
    pts = np.zeros((0, 2)) if hydrants_xy is None else np.asarray(hydrants_xy, dtype=float).reshape(-1, 2)
    plan = HydrantPlan(radius_m=radius_m, spacing_m=spacing_m)
    for idx, line in enumerate(roads):
        name = names[idx] if names is not None else f"道路{idx + 1}"
        xy = np.asarray(line, dtype=float)
        if xy.ndim != 2 or xy.shape[0] < 2 or not np.isfinite(xy).all():
            raise SitingError(MSG_ROAD.format(name=name))
        arc = _arc(xy)
        length = float(arc[-1])
        existing = []
        # Only hydrants in the road's box widened by snap_m can be within snap_m of it: a district's
        # thousands of hydrants against each of its thousands of roads was most of the run.
        near = pts[((pts >= xy.min(axis=0) - snap_m) & (pts <= xy.max(axis=0) + snap_m)).all(axis=1)]
        if len(near):
            dist, s = _project(xy, arc, near)
            existing = sorted(float(v) for v in s[dist <= snap_m])
        new_s = place_on_segment(length, existing, radius_m=radius_m, spacing_m=spacing_m)
        plan.roads.append(RoadPlan(name, length, existing, new_s, [_point_at(xy, arc, v) for v in new_s],
                                   compliant_before=not new_s))
    return plan
