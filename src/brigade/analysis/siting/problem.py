"""Input checks and the result record shared by the siting models."""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from brigade.analysis.siting.errors import (
    MSG_EMPTY_CANDIDATES,
    MSG_EMPTY_DEMAND,
    MSG_EXISTING_SHAPE,
    MSG_NAN,
    MSG_NEGATIVE,
    MSG_NOT_2D,
    MSG_P_NOT_POSITIVE,
    MSG_P_TOO_LARGE,
    MSG_RADIUS_BAD,
    MSG_SHAPE,
    MSG_TIME_LIMIT_BAD,
    MSG_WEIGHTS_BAD,
    SitingError,
)


@dataclass
class SitingResult:
    """What a siting model returns; indices refer to the caller's rows and columns.

    ``objective`` is the model's own objective: covered demand weight (MCLP), the number of new
    sites (LSCP) or the total weighted cost (p-median). ``gap`` is the proven relative optimality
    gap (0.0 when optimal, ``None`` when only a heuristic ran and no bound is known).
    """

    model: str  # "mclp" | "lscp" | "pmedian"
    selected: list[int]  # chosen candidate columns, in the order their marginal gains are listed
    objective: float
    gap: float | None
    status: str  # "optimal" | "time_limit" | "heuristic"
    seconds: float
    bound: float | None = None  # proven bound on the objective (upper for MCLP, lower otherwise)
    gains: list[float] = field(default_factory=list)  # marginal gain of each selected site, in order
    baseline: float = 0.0  # the objective with existing stations only (MCLP/p-median)
    total_weight: float = 0.0
    uncoverable: list[int] = field(default_factory=list)  # demand rows nobody can cover (MCLP/LSCP)
    served: np.ndarray | None = None  # per demand: covered (bool) or cost to its nearest open site
    stats: dict[str, Any] = field(default_factory=dict)  # reduction sizes, solver details

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (without the per-demand array)."""
        return {
            "model": self.model,
            "objective": _clean(self.objective),
            "selected": [int(j) for j in self.selected],
            "gap": None if self.gap is None else _clean(self.gap),
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "bound": None if self.bound is None else _clean(self.bound),
            "gains": [_clean(g) for g in self.gains],
            "baseline": _clean(self.baseline),
            "total_weight": _clean(self.total_weight),
            "uncoverable": [int(i) for i in self.uncoverable],
            "stats": self.stats,
            "status_label": status_label(self.status, self.gap),
        }


def status_label(status: str, gap: float | None) -> str:
    """What a plan may say about optimality: "最优" only when proven, else the gap to the proven bound."""
    if status == "optimal":
        return "已证明最优"
    if status == "time_limit":
        if gap is None:
            return "未证明最优（求解时限已到，尚无界）"
        return f"未证明最优（求解时限已到，与已证明的界相差 {100 * gap:.3g}%）"
    return "启发式解（未证明最优，差距未知）"


def _clean(value: float) -> float:
    value = float(value)
    return round(value) if abs(value - round(value)) < 1e-9 else round(value, 6)


def check_costs(costs, *, allow_inf: bool = True) -> np.ndarray:
    """A float cost matrix (rows demand, columns candidates) with no NaN and no negative entry."""
    arr = np.asarray(costs, dtype=float)
    if arr.ndim != 2:
        raise SitingError(MSG_NOT_2D.format(ndim=arr.ndim))
    if arr.shape[0] == 0:
        raise SitingError(MSG_EMPTY_DEMAND)
    if arr.shape[1] == 0:
        raise SitingError(MSG_EMPTY_CANDIDATES)
    bad = np.isnan(arr)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise SitingError(MSG_NAN.format(count=int(bad.sum()), row=r + 1, col=c + 1))
    neg = arr < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise SitingError(MSG_NEGATIVE.format(count=int(neg.sum()), row=r + 1, col=c + 1, value=arr[r, c]))
    return arr


def check_existing(existing, n_demand: int) -> np.ndarray | None:
    """Existing stations' costs as an (n, e) matrix, or None when there are none."""
    if existing is None:
        return None
    arr = np.asarray(existing, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.size == 0:
        return None
    if arr.shape[0] != n_demand:
        raise SitingError(MSG_EXISTING_SHAPE.format(got=arr.shape[0], expected=n_demand))
    return check_costs(arr)


def check_weights(weights, n_demand: int) -> np.ndarray:
    """Demand weights: ones when not given, else a non-negative vector of length n."""
    if weights is None:
        return np.ones(n_demand)
    w = np.asarray(weights, dtype=float).ravel()
    if w.shape[0] != n_demand:
        raise SitingError(MSG_SHAPE.format(what="需求权重", got=w.shape[0], expected=n_demand))
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise SitingError(MSG_WEIGHTS_BAD.format(row=i + 1, value=w[i]))
    return w


def check_p(p, m: int) -> int:
    """The number of new sites: a positive integer not above the candidate count."""
    if m == 0:
        raise SitingError(MSG_EMPTY_CANDIDATES)
    if p is None or int(p) != p or p < 1:
        raise SitingError(MSG_P_NOT_POSITIVE.format(p=p))
    if p > m:
        raise SitingError(MSG_P_TOO_LARGE.format(p=p, m=m))
    return int(p)


def check_radius(radius) -> float:
    r = float(radius) if radius is not None else float("nan")
    if not np.isfinite(r) or r <= 0:
        raise SitingError(MSG_RADIUS_BAD.format(radius=radius))
    return r


def check_time_limit(value) -> float:
    t = float(value)
    if not t > 0:
        raise SitingError(MSG_TIME_LIMIT_BAD.format(value=f"{t:g}"))
    return t


def coverage_matrix(costs, radius: float) -> sparse.csr_matrix:
    """Boolean coverage (cost within the radius, inclusive as in spopt) as a sparse CSR matrix."""
    if sparse.issparse(costs):
        cov = sparse.csr_matrix(costs, dtype=bool)
        if cov.shape[0] == 0:
            raise SitingError(MSG_EMPTY_DEMAND)
        if cov.shape[1] == 0:
            raise SitingError(MSG_EMPTY_CANDIDATES)
        return cov
    arr = check_costs(costs)
    r = check_radius(radius)
    return sparse.csr_matrix(arr <= r)


def as_coverage(coverage) -> sparse.csr_matrix:
    """Accept a dense or sparse 0/1 matrix (rows demand, columns candidates)."""
    if sparse.issparse(coverage):
        cov = sparse.csr_matrix(coverage, dtype=bool)
    else:
        arr = np.asarray(coverage)
        if arr.ndim != 2:
            raise SitingError(MSG_NOT_2D.format(ndim=arr.ndim))
        cov = sparse.csr_matrix(arr.astype(bool))
    if cov.shape[0] == 0:
        raise SitingError(MSG_EMPTY_DEMAND)
    if cov.shape[1] == 0:
        raise SitingError(MSG_EMPTY_CANDIDATES)
    cov.eliminate_zeros()
    return cov
