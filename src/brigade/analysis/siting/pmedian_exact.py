"""Exact p-median: strong incumbent, Lagrangian bound, radius reduction, then HiGHS on what is left.

Why this route (and not HiGHS on the full radius model, as before): with few new sites (p = 5, the
case a brigade has) every demand point's nearest site is far, so the radius (covering)
formulation of Elloumi (2010) / García, Labbé and Marín (2011) has hundreds of levels per row and
its LP alone took HiGHS minutes on OR-Library pmed16–pmed35. The LP bound itself is tight on these
instances; what is slow is getting it by simplex. So:

1. an iterated local search (local_search.py) gives an incumbent of cost UB, almost always the
   optimum;
2. the Lagrangian relaxation of the assignment rows (Beasley 1985) gives the LP bound LB by
   subgradient steps, each a dense numpy pass, in about a second;
3. the bound proves, for every demand row i, that a solution cheaper than UB serves i at a cost
   below R_i = (u_i + UB − LB) / w_i (u_i its multiplier), and that some sites are closed (or open)
   in every such solution. This is the radius-formulation reduction of García et al.: rows keep
   only the levels below R_i and must be served there, so the model shrinks to a few levels per row;
4. HiGHS solves the reduced radius model. Either it finds something cheaper than UB, which is then
   the optimum (every cheaper solution fits the reduced model), or it proves there is none, and the
   incumbent is optimal. At a time limit the bound max(LB, min(UB, HiGHS bound)) is still valid.

When UB − LB is already below the granularity of the data (integer costs and weights: < 1), the
incumbent is proven optimal without HiGHS.
"""

import time

import numpy as np
from scipy import sparse

from brigade.analysis.siting.local_search import pmedian_ils, pmedian_local_search
from brigade.analysis.siting.mip import solve_mip
from brigade.analysis.siting.pmedian_bb import Pairs, branch_and_bound

# Subgradient schedule (Held–Karp step): start factor, halved after this many rounds without a better bound.
STEP_START = 2.0
STEP_PATIENCE = 25
STEP_MIN = 1e-4
MAX_ROUNDS = 3000
# Up to this many new sites the Lagrangian tree search proves the optimum; above it HiGHS on the
# reduced radius model (the tree grows with p, while the radius model's LP gets easier).
BB_MAX_P = 15


def lagrangian_bound(c: np.ndarray, w: np.ndarray, f: np.ndarray, p: int, ub: float, u0: np.ndarray, *,
                     seconds: float):
    """Best Lagrangian bound found: (bound, multipliers u, site values rho).

    Relaxing each row's "served exactly once" constraint with multiplier u_i leaves
        L(u) = Σ u_i + Σ_i min(0, w_i f_i − u_i) + (sum of the p smallest rho_j),
        rho_j = Σ_i min(0, w_i c_ij − u_i),
    where f is the always-open fallback (existing stations, or the row maximum). L(u) <= optimum.
    """
    wc = (w[:, None] * c).astype(np.float32)  # float32 halves the memory traffic of each pass
    wf = w * f
    u = u0.astype(float).copy()
    best = (-np.inf, u.copy(), None)
    step = STEP_START
    stale = 0
    deadline = time.perf_counter() + seconds
    a = np.empty_like(wc)
    for _ in range(MAX_ROUNDS):
        np.subtract(wc, u.astype(np.float32)[:, None], out=a)
        rho = np.minimum(a, 0, out=a).sum(axis=0, dtype=np.float64)
        chosen = np.argpartition(rho, p - 1)[:p] if p < len(rho) else np.arange(len(rho))
        fall = wf - u
        value = float(u.sum() + np.minimum(fall, 0.0).sum() + rho[chosen].sum())
        if value > best[0] + 1e-12 * max(1.0, abs(value)):
            best = (value, u.copy(), rho.copy())
            stale = 0
        else:
            stale += 1
            if stale >= STEP_PATIENCE:
                step, stale = step / 2, 0
        if ub - best[0] <= 1e-9 * max(1.0, abs(ub)) or step < STEP_MIN or time.perf_counter() > deadline:
            break
        g = 1.0 - (fall < 0) - (wc[:, chosen] < u[:, None]).sum(axis=1)
        norm = float(g @ g)
        if norm == 0:  # u is optimal for the relaxation and its solution is feasible
            break
        u = u + step * (ub - value) / norm * g
    return _exact_value(w[:, None] * c, wf, p, best[1])


def _exact_value(wc: np.ndarray, wf: np.ndarray, p: int, u: np.ndarray):
    """L(u) and rho in float64: the search above runs in float32, a proof must not."""
    rho = np.minimum(wc - u[:, None], 0.0).sum(axis=0)
    chosen = np.argpartition(rho, p - 1)[:p] if p < len(rho) else np.arange(len(rho))
    return float(u.sum() + np.minimum(wf - u, 0.0).sum() + rho[chosen].sum()), u, rho


def integral_data(c: np.ndarray, w: np.ndarray) -> bool:
    """True when every weighted cost is an integer, so any two objective values differ by >= 1."""
    wc = w[:, None] * c
    finite = wc[np.isfinite(wc)]
    return bool(np.all(np.abs(finite - np.round(finite)) < 1e-9))


def proven(lb: float, ub: float, integral: bool) -> bool:
    return not bool(_cheaper(integral)(lb, ub))


def _cheaper(integral: bool):
    """Elementwise: can a solution with this lower bound still be cheaper than ub?"""
    if integral:  # objective values are integers: cheaper means at most ub - 1
        return lambda lb, ub: np.ceil(np.asarray(lb) - 1e-6) < ub - 1e-6
    return lambda lb, ub: np.asarray(lb) < ub - 1e-7 * max(1.0, abs(ub))


def pmedian_exact(c: np.ndarray, w: np.ndarray, f: np.ndarray, p: int, start, *, time_limit_s: float, stats: dict):
    """Optimal p-median on capped costs ``c`` (n, m), weights ``w``, always-open fallback ``f``.

    Returns (selected columns, cost, proven lower bound, "optimal" | "time_limit").
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit_s
    n, m = c.shape
    integral = integral_data(c, w) and integral_data(f[:, None], w)
    budget = min(3.0, 0.1 * time_limit_s)
    best, ub = pmedian_ils(c, w, f, start, seconds=budget)
    stats["ils_seconds"] = round(time.perf_counter() - t0, 4)
    stats["ils_objective"] = ub

    # multipliers start at each row's weighted cost in the incumbent: a good dual guess
    near = np.minimum(f, c[:, best].min(axis=1))
    t1 = time.perf_counter()
    lag, u, rho = lagrangian_bound(c, w, f, p, ub, w * near, seconds=min(max(1.0, 0.25 * time_limit_s),
                                                                          deadline - time.perf_counter()))
    stats["lagrangian_seconds"] = round(time.perf_counter() - t1, 4)
    stats["lagrangian_bound"] = round(lag, 6)
    # Lagrangian heuristic: the p sites the relaxation opens, improved by swaps. With many sites it
    # often finds the optimum the random perturbations of the ILS missed, and the reduction below is
    # the stronger the better the incumbent.
    if p < m:
        lag_sel, lag_obj = pmedian_local_search(c, w, f, np.argpartition(rho, p - 1)[:p])
        stats["lagrangian_heuristic"] = lag_obj
        if lag_obj < ub - 1e-9 * max(1.0, abs(ub)):
            best, ub = [int(j) for j in lag_sel], lag_obj
    lb = float(np.ceil(lag - 1e-6)) if integral else lag
    if proven(lb, ub, integral):
        stats["proof"] = "lagrangian"
        return best, ub, ub, "optimal"

    # Reduction: in any solution cheaper than ub, row i is served below r_i; sites fixed by rho.
    slack = ub - lag  # the reduction tests use L(u) itself, not its rounded value
    if integral:
        slack -= 1.0 - 1e-6  # cheaper than ub means at most ub - 1
    radius = (u + slack) / w + 1e-9 * max(1.0, float(np.abs(c[np.isfinite(c)]).max(initial=1.0)))
    order = np.argsort(rho, kind="stable")
    rho_p, rho_next = rho[order[p - 1]], rho[order[p]] if p < m else np.inf
    in_lag = np.zeros(m, dtype=bool)
    in_lag[order[:p]] = True
    closed = ~in_lag & (rho - rho_p > slack)
    forced = in_lag & (rho_next - rho > slack)
    useful = (c < radius[:, None]).any(axis=0)  # a site no row may use is never needed
    keep = np.flatnonzero(~closed & useful | forced)
    stats.update({"reduced_sites": int(len(keep)), "forced_sites": int(forced.sum())})
    if len(keep) < p or not (c[:, keep] < radius[:, None]).any(axis=1).all():
        # no selection of p sites serves every row below its radius: nothing beats the incumbent
        stats["proof"] = "reduction"
        return best, ub, ub, "optimal"
    if p > BB_MAX_P:
        # many sites: each row has few levels below its radius and the LP is easy; HiGHS finishes it
        out = _reduced_radius_mip(c[:, keep], w, radius, p, forced[keep], deadline - time.perf_counter(), stats)
        if out is None:
            return best, ub, lb, "time_limit"
        sel_k, obj, bound, optimal = out
        if sel_k is not None and obj < ub - 1e-9 * max(1.0, abs(ub)):
            best, ub = [int(keep[j]) for j in sel_k], obj
        if optimal:
            stats["proof"] = "radius model"
            return best, ub, ub, "optimal"
        lower = min(ub, max(lb, bound)) if bound is not None else lb
        if integral:
            lower = float(np.ceil(lower - 1e-6))
        if proven(lower, ub, integral):  # HiGHS stopped, but its bound already meets the incumbent
            stats["proof"] = "radius model bound"
            return best, ub, ub, "optimal"
        return best, ub, lower, "time_limit"
    pairs = Pairs(c[:, keep], w, radius)
    stats["radius_pairs"] = int(len(pairs.row))
    t2 = time.perf_counter()
    start_k = [int(np.flatnonzero(keep == j)[0]) for j in best if j in set(keep.tolist())]
    sel_k, obj, lower, finished = branch_and_bound(pairs, p, u, start_k, ub, deadline=deadline,
                                                   cheaper=_cheaper(integral), stats=stats)
    stats["bb_seconds"] = round(time.perf_counter() - t2, 4)
    if obj < ub - 1e-9 * max(1.0, abs(ub)):
        best, ub = [int(keep[j]) for j in sel_k], obj
    if finished:
        stats["proof"] = "branch and bound"
        return best, ub, ub, "optimal"
    lower = min(ub, max(lb, lower))
    if integral:
        lower = float(np.ceil(lower - 1e-6))
    return best, ub, lower, "optimal" if proven(lower, ub, integral) else "time_limit"


def _reduced_radius_mip(c, w, radius, p, forced, time_limit_s, stats):
    """HiGHS on the radius model with rows truncated at their radius and served within it.

    Row i with distinct costs D_0 < D_1 < … below r_i (levels 0..L_i-1): z_k = 1 while no open site
    costs <= D_k; cost_i = D_0 + Σ_{k<L_i-1} (D_{k+1} − D_k) z_k with z_{L_i-1} = 0 (served in time):
        z_0 + Σ_{level 0} x >= 1,   z_k − z_{k−1} + Σ_{level k} x >= 0,   Σ x = p.
    Every solution cheaper than the incumbent is feasible here, so HiGHS's optimum (or its
    infeasibility) settles the instance. Returns (selected, cost, bound, optimal) or None.
    """
    if time_limit_s <= 0.05:
        return None
    n, m = c.shape
    masked = np.where(c < radius[:, None], c, np.inf)
    order = np.argsort(masked, axis=1, kind="stable")
    srt = np.take_along_axis(masked, order, axis=1)
    ok = np.isfinite(srt)
    new_level = np.zeros_like(ok)
    new_level[:, 0] = True
    new_level[:, 1:] = srt[:, 1:] > srt[:, :-1]
    new_level &= ok
    level = np.cumsum(new_level, axis=1) - 1
    n_levels = new_level.sum(axis=1)
    zstart = np.concatenate([[0], np.cumsum(n_levels)])
    nz = int(zstart[-1])
    ii, pos = np.nonzero(ok)
    r_x, c_x = zstart[ii] + level[ii, pos], order[ii, pos]
    rows_i = np.repeat(np.arange(n), n_levels)
    k_of = np.arange(nz) - zstart[rows_i]
    prev = k_of > 0
    r_z = np.arange(nz)
    a = sparse.csc_matrix((np.concatenate([np.ones(len(r_x)), np.ones(nz), -np.ones(int(prev.sum())), np.ones(m)]),
                           (np.concatenate([r_x, r_z, r_z[prev], np.full(m, nz)]),
                            np.concatenate([c_x, m + r_z, m + r_z[prev] - 1, np.arange(m)]))), shape=(nz + 1, m + nz))
    li, lp = np.nonzero(new_level)
    values = np.full((n, int(n_levels.max()) + 1), np.nan)
    values[li, level[li, lp]] = srt[li, lp]
    last = k_of == n_levels[rows_i] - 1
    dk = values[rows_i, k_of]
    dk1 = np.where(last, dk, values[rows_i, np.minimum(k_of + 1, values.shape[1] - 1)])
    cost = np.concatenate([np.zeros(m), w[rows_i] * (dk1 - dk)])
    const = float(w @ srt[:, 0])
    stats["radius_levels"] = nz
    out = solve_mip(cost, a, np.concatenate([np.where(prev, 0.0, 1.0), [p]]), np.concatenate([np.full(nz, np.inf), [p]]),
                    np.concatenate([forced.astype(float), np.zeros(nz)]),
                    np.concatenate([np.ones(m), np.where(last, 0.0, 1.0)]),
                    np.concatenate([np.ones(m, bool), np.zeros(nz, bool)]), time_limit_s=time_limit_s, presolve=False)
    stats["mip_seconds"] = round(out.seconds, 4)
    stats["mip_status"] = out.status
    if "nfeasible" in out.status:  # no solution cheaper than the incumbent
        return None, np.inf, np.inf, True
    bound = None if out.bound is None else const + out.bound
    sel = None if out.x is None else [int(j) for j in np.flatnonzero(out.x[:m] > 0.5)]
    if sel is None or len(sel) != p:
        return None, np.inf, bound, out.optimal
    return sel, float(w @ c[:, sel].min(axis=1)), bound, out.optimal
