"""MCLP, LSCP and p-median on arrays: reduce, warm-start with greedy + swap, solve exactly with HiGHS.

Conventions (the same as spopt, so results compare one to one):

* rows are demand points, columns candidate sites; a candidate covers a demand point when its cost
  is at most the radius (``cost <= radius``);
* existing stations are fixed open and are not counted in ``p``; their coverage (or their cost to
  each demand point) is given separately;
* MCLP's objective is the total covered weight *including* what existing stations already cover;
  p-median's is the total weighted cost to the nearest open site, existing or new.
"""

import time

import numpy as np
from scipy import sparse

from brigade.analysis.siting.cover_mip import mclp_model
from brigade.analysis.siting.errors import MSG_COVERS_NOTHING, SitingError, UnreachableDemandError
from brigade.analysis.siting.heuristic import (
    greedy_order_gains_cost,
    greedy_order_gains_cover,
    lscp_greedy,
    mclp_greedy_swap,
    pmedian_greedy_swap,
)
from brigade.analysis.siting.local_search import mclp_ils
from brigade.analysis.siting.mclp_exact import mclp_exact
from brigade.analysis.siting.mip import solve_mip
from brigade.analysis.siting.pmedian_exact import pmedian_exact
from brigade.analysis.siting.problem import (
    SitingResult,
    as_coverage,
    check_costs,
    check_existing,
    check_p,
    check_time_limit,
    check_weights,
    coverage_matrix,
)
from brigade.analysis.siting.reduce import (
    dominated_cost_columns,
    merge_identical_rows,
    subset_dominated_columns,
    superset_rows,
)

# Above these sizes (after reduction) only the heuristic runs when ``exact="auto"``.
MAX_EXACT_COVER_NNZ = 20_000_000
MAX_EXACT_PMEDIAN_CELLS = 50_000_000
# A demand point that a chosen set of sites cannot reach is charged this many times the largest
# finite cost, so the optimum reaches every point it can.
UNREACHED_PENALTY_FACTOR = 10.0
DEFAULT_TIME_LIMIT_S = 60.0
# The iterated local search gets this share of the time limit, at most ILS_MAX_S seconds.
ILS_SHARE = 0.15
ILS_MAX_S = 10.0
ILS_MAX_STALE = 200  # rounds without improvement before the search stops early
ILS_WARM_START_STALE = 30  # the same when HiGHS solves the (small) model exactly afterwards
# MCLP instances with this many coverage pairs first solve the LP relaxation by interior point; an
# integral relaxation (common on real districts) proves the optimum within this relative tolerance.
LP_FIRST_NNZ = 100_000
# From this many coverage pairs the Lagrangian bound and its reductions come before HiGHS (mclp_exact.py).
LAGRANGIAN_NNZ = 20_000
LP_PROOF_TOL = 1e-7


def _existing_cover(existing, n: int) -> np.ndarray:
    """Rows already covered by existing stations: a boolean vector or an (n, e) coverage matrix."""
    if existing is None:
        return np.zeros(n, dtype=bool)
    if sparse.issparse(existing):
        return np.asarray(existing.sum(axis=1)).ravel() > 0
    arr = np.asarray(existing)
    if arr.size == 0:
        return np.zeros(n, dtype=bool)
    if arr.ndim == 1:
        vec = arr.astype(bool)
    else:
        vec = arr.astype(bool).any(axis=1)
    if vec.shape[0] != n:
        from brigade.analysis.siting.errors import MSG_EXISTING_SHAPE, SitingError

        raise SitingError(MSG_EXISTING_SHAPE.format(got=vec.shape[0], expected=n))
    return vec


def _exact_wanted(exact, size: float, limit: float) -> bool:
    if exact == "auto":
        return size <= limit
    return bool(exact)


def _gap(objective: float, bound: float | None, maximise: bool) -> float | None:
    if bound is None:
        return None
    diff = (bound - objective) if maximise else (objective - bound)
    gap = max(0.0, diff) / max(abs(objective), 1e-9)
    return 0.0 if gap < 1e-9 else gap  # rounding noise of float sums is no gap


def _pad(selected: list[int], m: int, p: int) -> list[int]:
    """Fill a selection up to p with unused columns (used when fewer than p candidates stay after reduction)."""
    chosen = list(selected)
    taken = set(chosen)
    for j in range(m):
        if len(chosen) >= p:
            break
        if j not in taken:
            chosen.append(j)
            taken.add(j)
    return chosen


def _start_in(start, keep: np.ndarray, fill: list[int], k: int) -> list[int] | None:
    """A caller's selection in reduced column numbers: removed (dominated) columns dropped, topped up from ``fill``."""
    if start is None:
        return None
    where = {int(j): pos for pos, j in enumerate(keep)}
    chosen = list(dict.fromkeys(where[int(j)] for j in start if int(j) in where))[:k]
    for j in fill:
        if len(chosen) >= k:
            break
        if j not in chosen:
            chosen.append(j)
    return chosen


# --------------------------------------------------------------------------------------------- MCLP


def mclp(coverage, weights=None, p: int = 1, *, existing=None, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
         exact="auto", start=None) -> SitingResult:
    """Maximal covering location: choose p new sites to maximise the demand weight covered.

    Parameters
    ----------
    coverage : array-like or sparse, shape (n_demand, n_candidates)
        1 where a candidate covers a demand point (see :func:`coverage_matrix`).
    weights : array-like, shape (n_demand,), optional
        Demand weights (ones when omitted).
    p : int
        Number of new sites.
    existing : array-like, optional
        Coverage by existing stations, fixed open: a boolean vector per demand point or an
        (n_demand, n_existing) matrix.
    time_limit_s : float
        HiGHS time limit; on expiry the best solution and the proven gap are returned.
    exact : bool or "auto"
        ``True`` always solves the MIP, ``False`` runs the heuristic only, ``"auto"`` solves exactly
        unless the reduced instance is larger than ``MAX_EXACT_COVER_NNZ``.
    start : list of int, optional
        A known selection (e.g. a saved run's incumbent) to continue from: the search starts from
        it when it is better than the greedy start.
    """
    t0 = time.perf_counter()
    cov = as_coverage(coverage)
    n, m = cov.shape
    w = check_weights(weights, n)
    p = check_p(p, m)
    time_limit_s = check_time_limit(time_limit_s)
    if cov.nnz == 0:
        raise SitingError(MSG_COVERS_NOTHING)
    base = _existing_cover(existing, n)
    coverable = np.diff(cov.indptr) > 0
    uncoverable = np.flatnonzero(~base & ~coverable)
    baseline = float(w[base].sum())
    active = ~base & coverable & (w > 0)

    # Reductions: drop fixed rows, merge identical rows, drop subset-dominated columns, merge again.
    merged, mw, _ = merge_identical_rows(cov[active], w[active])
    keep = np.flatnonzero(~subset_dominated_columns(merged)) if merged.shape[0] else np.arange(min(p, m))
    reduced, rw, _ = merge_identical_rows(merged[:, keep], mw)
    stats = {"demand": n, "candidates": m, "reduced_demand": int(reduced.shape[0]),
             "reduced_candidates": int(len(keep)), "nonzeros": int(reduced.nnz)}
    k = min(p, len(keep))

    status, bound_red = "optimal", None
    if reduced.shape[0] == 0:
        chosen_red, obj_red, bound_red = list(range(k)), 0.0, 0.0
    else:
        chosen_red, obj_red = mclp_greedy_swap(reduced, rw, k)
        given = _start_in(start, keep, chosen_red, k)
        if given is not None:
            given_obj = float(rw[np.asarray(reduced[:, given].sum(axis=1)).ravel() > 0].sum())
            if given_obj > obj_red:
                chosen_red, obj_red = given, given_obj
        exact_run = _exact_wanted(exact, reduced.nnz, MAX_EXACT_COVER_NNZ) and k < len(keep)
        ils_s = min(ILS_MAX_S, ILS_SHARE * time_limit_s)
        if exact_run and reduced.nnz >= LAGRANGIAN_NNZ:
            # large: the Lagrangian heuristic first (it runs along the bound), then the ILS from its best
            stats["heuristic_objective"] = baseline + obj_red
            chosen_red, obj_red, bound_red, status = mclp_exact(reduced, rw, k, chosen_red, obj_red,
                                                                time_limit_s=time_limit_s, stats=stats, ils_seconds=ils_s)
        else:
            if k < len(keep):  # iterated local search: usually the optimum itself, a strong start for HiGHS
                t_ils = time.perf_counter()
                # before HiGHS on a small model the ILS is only a warm start: a short one will do
                stale = ILS_WARM_START_STALE if exact_run else ILS_MAX_STALE
                chosen_red, obj_red = mclp_ils(reduced, rw, chosen_red, seconds=ils_s, max_stale=stale)
                stats["ils_seconds"] = round(time.perf_counter() - t_ils, 4)
                time_limit_s = max(1e-3, time_limit_s - (time.perf_counter() - t_ils))
            stats["heuristic_objective"] = baseline + obj_red
            if exact_run:
                chosen_red, obj_red, bound_red, status = _mclp_mip(reduced, rw, k, chosen_red, time_limit_s, stats)
        if k == len(keep):  # every kept candidate is chosen: trivially optimal
            bound_red = obj_red
        elif not exact_run:
            status = "heuristic"

    selected = _pad([int(keep[j]) for j in chosen_red], m, p)
    served = base | (np.asarray(cov[:, selected].sum(axis=1)).ravel() > 0)
    objective = float(w[served].sum())
    order, gains = greedy_order_gains_cover(cov, w, base, selected)
    bound = None if bound_red is None else baseline + bound_red
    return SitingResult(
        model="mclp", selected=order, objective=objective, gap=_gap(objective, bound, True), status=status,
        seconds=time.perf_counter() - t0, bound=bound, gains=gains, baseline=baseline,
        total_weight=float(w.sum()), uncoverable=uncoverable.tolist(), served=served, stats=stats,
    )


def _mclp_mip(a: sparse.csr_matrix, w: np.ndarray, p: int, start: list[int], time_limit_s: float, stats: dict):
    """max w·y  s.t.  y_i <= sum_j a_ij x_j,  sum x = p,  x binary,  0 <= y <= 1."""
    n, m = a.shape
    c, A, row_lo, row_hi = mclp_model(a, w, p)
    x0 = np.zeros(m)
    x0[start] = 1
    y0 = (np.asarray(a[:, start].sum(axis=1)).ravel() > 0).astype(float)
    deadline = time.perf_counter() + time_limit_s
    lp_bound = np.inf
    if a.nnz >= LP_FIRST_NNZ:
        # Large instances: the LP relaxation by interior point is often integral; then it proves optimality.
        lp = solve_mip(c, A, row_lo, row_hi, np.zeros(m + n), np.ones(m + n), np.zeros(m + n, bool),
                       time_limit_s=time_limit_s, interior_point=True, presolve=False)
        stats["lp_seconds"] = round(lp.seconds, 4)
        if lp.x is not None and lp.optimal:
            cand = [int(j) for j in np.argsort(-lp.x[:m], kind="stable")[:p]]
            cand_obj = float(w[np.asarray(a[:, cand].sum(axis=1)).ravel() > 0].sum())
            lp_bound = -float(lp.objective)
            if cand_obj >= float(w @ y0):
                start, x0 = cand, np.zeros(m)
                x0[start] = 1
                y0 = (np.asarray(a[:, start].sum(axis=1)).ravel() > 0).astype(float)
            if cand_obj >= lp_bound - LP_PROOF_TOL * max(1.0, abs(lp_bound)):
                stats["mip_status"] = "LP relaxation integral"
                return cand, cand_obj, cand_obj, "optimal"
        time_limit_s = max(1e-3, deadline - time.perf_counter())
    out = solve_mip(c, A, row_lo, row_hi, np.zeros(m + n), np.ones(m + n),
                    np.concatenate([np.ones(m, bool), np.zeros(n, bool)]),
                    time_limit_s=time_limit_s, start=np.concatenate([x0, y0]), presolve=False)
    stats["mip_seconds"] = round(out.seconds, 4)
    stats["mip_status"] = out.status
    chosen, obj = start, float(w @ y0)
    if out.x is not None:
        cand = [int(j) for j in np.flatnonzero(out.x[:m] > 0.5)]
        cand_obj = float(w[np.asarray(a[:, cand].sum(axis=1)).ravel() > 0].sum())
        if len(cand) == p and cand_obj >= obj - 1e-9:
            chosen, obj = cand, cand_obj
    bound = -out.bound if out.bound is not None else None
    if np.isfinite(lp_bound):  # the LP relaxation's bound holds even when the MIP stops early
        bound = lp_bound if bound is None else min(bound, lp_bound)
    return chosen, obj, bound, "optimal" if out.optimal else "time_limit"


def mclp_from_costs(costs, weights, radius: float, p: int, *, existing_costs=None, **kwargs) -> SitingResult:
    """MCLP from a cost matrix and a radius in the same unit (seconds or metres)."""
    cov = coverage_matrix(costs, radius)
    existing = None
    if existing_costs is not None:
        e = check_existing(existing_costs, cov.shape[0])
        existing = None if e is None else (e <= radius).any(axis=1)
    return mclp(cov, weights, p, existing=existing, **kwargs)


# --------------------------------------------------------------------------------------------- LSCP


def lscp(coverage, *, existing=None, weights=None, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
         exact="auto") -> SitingResult:
    """Location set covering: the fewest new sites covering every coverable demand point.

    Demand points that no candidate (and no existing station) covers are reported in
    ``uncoverable`` and left out, instead of making the model infeasible. ``weights`` only serve
    the report (covered weight and marginal gains).
    """
    t0 = time.perf_counter()
    cov = as_coverage(coverage)
    n, m = cov.shape
    w = check_weights(weights, n)
    time_limit_s = check_time_limit(time_limit_s)
    if cov.nnz == 0:
        raise SitingError(MSG_COVERS_NOTHING)
    base = _existing_cover(existing, n)
    coverable = np.diff(cov.indptr) > 0
    uncoverable = np.flatnonzero(~base & ~coverable)
    todo = ~base & coverable

    a, _, _ = merge_identical_rows(cov[todo], np.ones(int(todo.sum())))
    a = sparse.csr_matrix(a)
    cols = np.arange(m)
    forced: list[int] = []
    stats = {"demand": n, "candidates": m}
    # Reductions repeated until nothing changes: forced columns, dominated columns, implied rows.
    while a.shape[0]:
        changed = False
        single = np.diff(a.indptr) == 1
        if single.any():
            must = np.unique(a.indices[a.indptr[:-1][single]])
            forced.extend(int(cols[j]) for j in must)
            hit = np.asarray(a[:, must].sum(axis=1)).ravel() > 0
            a = a[~hit]
            keep = np.setdiff1d(np.arange(len(cols)), must)
            a, cols = sparse.csr_matrix(a[:, keep]), cols[keep]
            changed = True
            if not a.shape[0]:
                break
        dom = subset_dominated_columns(a)
        if dom.any():
            a, cols = sparse.csr_matrix(a[:, ~dom]), cols[~dom]
            a, _, _ = merge_identical_rows(a, np.ones(a.shape[0]))
            changed = True
        implied = superset_rows(a)
        if implied.any():
            a = sparse.csr_matrix(a[~implied])
            changed = True
        if not changed:
            break
    stats.update({"forced": len(forced), "reduced_demand": int(a.shape[0]), "reduced_candidates": int(a.shape[1]),
                  "nonzeros": int(a.nnz)})

    status, bound_extra = "optimal", 0.0
    chosen: list[int] = []
    if a.shape[0]:
        start = lscp_greedy(a)
        stats["heuristic_objective"] = len(forced) + len(start)
        chosen, bound_extra = start, float(len(start))
        if _exact_wanted(exact, a.nnz, MAX_EXACT_COVER_NNZ):
            k = a.shape[1]
            x0 = np.zeros(k)
            x0[start] = 1
            out = solve_mip(np.ones(k), a, np.ones(a.shape[0]), np.full(a.shape[0], np.inf), np.zeros(k),
                            np.ones(k), np.ones(k, bool), time_limit_s=time_limit_s, start=x0)
            stats["mip_seconds"] = round(out.seconds, 4)
            stats["mip_status"] = out.status
            if out.x is not None:
                cand = [int(j) for j in np.flatnonzero(out.x > 0.5)]
                if len(cand) <= len(chosen) and (np.asarray(a[:, cand].sum(axis=1)).ravel() > 0).all():
                    chosen = cand
            bound_extra = out.bound if out.bound is not None else None
            status = "optimal" if out.optimal else "time_limit"
        else:
            status, bound_extra = "heuristic", None
    selected = forced + [int(cols[j]) for j in chosen]
    objective = float(len(selected))
    bound = None if bound_extra is None else float(len(forced) + np.ceil(bound_extra - 1e-6))
    served = base | (np.asarray(cov[:, selected].sum(axis=1)).ravel() > 0) if selected else base.copy()
    order, gains = greedy_order_gains_cover(cov, w, base, selected)
    return SitingResult(
        model="lscp", selected=order, objective=objective, gap=_gap(objective, bound, False), status=status,
        seconds=time.perf_counter() - t0, bound=bound, gains=gains, baseline=float(w[base].sum()),
        total_weight=float(w.sum()), uncoverable=uncoverable.tolist(), served=served, stats=stats,
    )


def lscp_from_costs(costs, radius: float, *, existing_costs=None, **kwargs) -> SitingResult:
    """LSCP from a cost matrix and a radius in the same unit."""
    cov = coverage_matrix(costs, radius)
    existing = None
    if existing_costs is not None:
        e = check_existing(existing_costs, cov.shape[0])
        existing = None if e is None else (e <= radius).any(axis=1)
    return lscp(cov, existing=existing, **kwargs)


# ----------------------------------------------------------------------------------------- p-median


def pmedian(costs, weights=None, p: int = 1, *, existing_costs=None, time_limit_s: float = DEFAULT_TIME_LIMIT_S,
            exact="auto", start=None) -> SitingResult:
    """p-median: choose p new sites to minimise the total weighted cost to the nearest open site.

    ``costs`` may hold ``inf`` for pairs with no route; a demand point that no candidate and no
    existing station reaches raises :class:`UnreachableDemandError` naming it. ``existing_costs``
    (n_demand, n_existing) are the costs from existing stations, fixed open.
    """
    t0 = time.perf_counter()
    c = check_costs(costs)
    n, m = c.shape
    w = check_weights(weights, n)
    p = check_p(p, m)
    time_limit_s = check_time_limit(time_limit_s)
    e = check_existing(existing_costs, n)
    fallback = e.min(axis=1) if e is not None else np.full(n, np.inf)
    reach = np.isfinite(c).any(axis=1) | np.isfinite(fallback)
    if not reach.all():
        raise UnreachableDemandError(np.flatnonzero(~reach))
    finite = np.concatenate([c[np.isfinite(c)], fallback[np.isfinite(fallback)]])
    penalty = UNREACHED_PENALTY_FACTOR * float(finite.max(initial=0.0)) + 1.0
    fallback = np.where(np.isfinite(fallback), fallback, penalty)
    # A candidate no nearer than the fallback adds nothing for that row: cap every cost there.
    capped = np.minimum(c, fallback[:, None])

    active = w > 0
    merged, owner = np.unique(capped[active], axis=0, return_inverse=True)
    owner = owner.ravel()
    mw = np.bincount(owner, weights=w[active], minlength=merged.shape[0])
    keep = np.flatnonzero(~dominated_cost_columns(merged)) if merged.shape[0] else np.arange(m)
    red = merged[:, keep]
    stats = {"demand": n, "candidates": m, "reduced_demand": int(red.shape[0]), "reduced_candidates": int(len(keep))}
    k = min(p, len(keep))

    status, bound_red = "optimal", None
    if red.shape[0] == 0:
        chosen, obj_red, bound_red = list(range(k)), 0.0, 0.0
    else:
        row_max = red.max(axis=1)
        exact_run = k < len(keep) and _exact_wanted(exact, red.size, MAX_EXACT_PMEDIAN_CELLS)
        # the exact path starts with its own (faster) local search: greedy alone is enough here
        chosen, obj_red = pmedian_greedy_swap(red, mw, row_max, k, max_passes=0 if exact_run else 50)
        given = _start_in(start, keep, chosen, k)
        if given is not None:
            given_obj = float(mw @ np.minimum(row_max, red[:, given].min(axis=1)))
            if given_obj < obj_red:
                chosen, obj_red = given, given_obj
        stats["heuristic_objective"] = obj_red
        if k == len(keep):
            bound_red = obj_red
        elif _exact_wanted(exact, red.size, MAX_EXACT_PMEDIAN_CELLS):
            left = max(1e-3, time_limit_s - (time.perf_counter() - t0))  # the limit covers the whole solve
            chosen, obj_red, bound_red, status = pmedian_exact(red, mw, row_max, k, chosen, time_limit_s=left,
                                                               stats=stats)
        else:
            status = "heuristic"

    selected = _pad([int(keep[j]) for j in chosen], m, p)
    nearest = np.minimum(fallback, c[:, selected].min(axis=1))
    objective = float(w @ nearest)
    order, gains = greedy_order_gains_cost(c, w, fallback, selected)
    if e is not None:
        baseline = float(w @ fallback)
    else:  # no station yet: the first site has no baseline, so the curve starts from it
        baseline = float(w @ np.minimum(fallback, c[:, order[0]]))
        gains[0] = 0.0
    unreached = np.flatnonzero(nearest >= penalty)
    if unreached.size:
        stats["unreached_after"] = unreached.tolist()
    return SitingResult(
        model="pmedian", selected=order, objective=objective,
        gap=_gap(objective, bound_red, False), status=status, seconds=time.perf_counter() - t0,
        bound=bound_red, gains=gains, baseline=baseline, total_weight=float(w.sum()), served=nearest, stats=stats,
    )


def curve(model: str, p: int, **kwargs) -> list[float]:
    """The optimal objective for 1..p new sites (MCLP or p-median): the marginal-gain curve."""
    solve = {"mclp": mclp, "pmedian": pmedian}[model]
    return [solve(p=k, **kwargs).objective for k in range(1, p + 1)]
