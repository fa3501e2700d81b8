"""Exact MCLP on large sparse coverage: Lagrangian bound, reductions it proves, HiGHS on the rest.

Why: on a city (5,000 intersections, 200,000–320,000 coverage pairs) the full MIP leaves HiGHS
with a 1–2 % gap after a minute, while the iterated local search (local_search.py) finds the
optimum's value in seconds. What is missing is the bound, and the Lagrangian relaxation of the
coverage rows gives the LP bound (λ from the LP's duals by interior point, ~1 CPU s; the
subgradient alone stopped 0.6–1 % above it):

    U(λ) = Σ_i max(0, w_i − λ_i) + (sum of the p largest s_j),   s_j = Σ_i a_ij λ_i,   λ >= 0,

an upper bound of the covered weight for every λ. With the incumbent's value LB, any better
solution (value >= LB + 1 on integer weights, > LB otherwise) must:

* leave out site j whenever U − s_(p) + s_j falls below that target (j not in the relaxed set);
* take site j whenever U − s_j + s_(p+1) does (j in the relaxed set);
* cover row i whenever U − (w_i − λ_i) does (λ_i < w_i), and ignore row i whenever
  U − (λ_i − w_i) does (λ_i > w_i: covering it is not worth its price).

Rows that no kept site covers are dropped and rows left with the same sites merged; HiGHS then
searches the reduced model for such a solution. Finding one improves the incumbent and
is optimal; infeasibility proves the incumbent optimal. At a time limit the bound stays valid.
"""

import time

import numpy as np
from scipy import sparse

from brigade.analysis.siting.cover_mip import lp_start, reduced_rows, search_above, target_above
from brigade.analysis.siting.local_search import mclp_local_search
from brigade.analysis.siting.merge_search import mclp_merge_search

KEPT_ILS_CLOSED = 0.25  # when the bound closes this share of the sites, the search runs on the kept ones only
# Before the merge search, HiGHS may try the reduced model this long (at most this share of the time limit).
QUICK_PROOF_S = 5.0
QUICK_PROOF_SHARE = 0.1
STEP_START = 2.0
STEP_PATIENCE = 20
LP_START_SHARE = 0.15  # at most this share of the time limit for the LP giving the first multipliers
MAX_ROUNDS = 4000
HEURISTIC_EVERY = 25  # subgradient rounds between two Lagrangian heuristics
HEURISTIC_SHARE = 0.25  # at most this share of the Lagrangian's time goes to the heuristic


def mclp_lagrangian(a: sparse.csr_matrix, w: np.ndarray, p: int, lb: float, *, seconds: float, improve=None):
    """Smallest Lagrangian upper bound found: (bound, λ, s).

    ``improve(top)``, when given, turns the relaxation's p sites into a solution and returns its
    value (the Lagrangian heuristic); it is called every HEURISTIC_EVERY rounds when the p sites
    changed, and a better value raises ``lb``, which also aims the subgradient steps better.
    """
    at = sparse.csr_matrix(a.T, dtype=np.float64)
    lam = w / 2.0
    best = (np.inf, lam.copy(), None)
    step, stale = STEP_START, 0
    deadline = time.perf_counter() + seconds
    m = a.shape[1]
    tried = None
    t0, spent = time.perf_counter(), 0.0
    for rnd in range(MAX_ROUNDS):
        s = at @ lam
        top = np.argpartition(-s, p - 1)[:p] if p < m else np.arange(m)
        value = float(np.maximum(w - lam, 0).sum() + s[top].sum())
        # the heuristic may use at most HEURISTIC_SHARE of the time so far: the bound comes first
        if improve is not None and rnd % HEURISTIC_EVERY == 0 and spent <= HEURISTIC_SHARE * (time.perf_counter() - t0):
            key = frozenset(top.tolist())
            if key != tried:
                tried = key
                h0 = time.perf_counter()
                lb = max(lb, improve(top))
                spent += time.perf_counter() - h0
        if value < best[0] - 1e-12 * max(1.0, abs(value)):
            best, stale = (value, lam.copy(), s), 0
        else:
            stale += 1
            if stale >= STEP_PATIENCE:
                step, stale = step / 2, 0
        if value - lb <= 1e-9 * max(1.0, lb) or step < 1e-5 or time.perf_counter() > deadline:
            break
        chosen = np.zeros(m)
        chosen[top] = 1.0
        g = (a @ chosen) - (lam < w)  # dU/dλ_i: times row i is covered in the relaxation, less its y_i
        g[(lam <= 0) & (g > 0)] = 0.0  # projected: λ stays >= 0
        norm = float(g @ g)
        if norm == 0:
            break
        lam = np.maximum(0.0, lam - step * (value - lb) / norm * g)
    return best


def mclp_exact(a: sparse.csr_matrix, w: np.ndarray, p: int, start, start_obj: float, *, time_limit_s: float,
               stats: dict, ils_seconds: float = 0.0):
    """Optimal MCLP on reduced coverage ``a`` (rows demand, columns sites), incumbent ``start``.

    The Lagrangian heuristic runs along the bound; then, for ``ils_seconds``, the merge search
    (iterated local search and solution merging) from the best solution so far. Returns (selected
    columns, covered weight, proven upper bound, "optimal" | "time_limit").
    """
    deadline = time.perf_counter() + time_limit_s
    n, m = a.shape
    integral = bool(np.all(np.abs(w - np.round(w)) < 1e-9))
    best, lb = list(start), float(start_obj)
    a = sparse.csr_matrix(a, dtype=np.float64)
    at = sparse.csr_matrix(a.T)
    found = {"sel": best, "value": lb}

    def improve(top):
        sel, value = mclp_local_search(a, w, top, at=at)
        if value > found["value"] + 1e-9 * max(1.0, abs(value)):
            found.update(sel=[int(j) for j in sel], value=value)
        return found["value"]

    lam_lp, lp_x = lp_start(a, w, p, LP_START_SHARE * time_limit_s, stats)
    if lp_x is not None:  # the LP's favourite sites, improved by swaps: another good incumbent
        improve(np.argsort(-lp_x, kind="stable")[:p])
        stats["lp_heuristic"] = found["value"]
    # The subgradient starts from w/2, not from the LP's multipliers: its wandering relaxed solutions
    # feed the Lagrangian heuristic (from the LP's optimum the p sites barely change); the bound is
    # the better of its own and the LP's.
    t0 = time.perf_counter()
    ub, lam, s = mclp_lagrangian(a, w, p, found["value"], seconds=min(max(1.0, 0.2 * time_limit_s), deadline - t0),
                                 improve=improve)
    if lam_lp is not None:
        s_lp = at @ lam_lp
        top = np.argpartition(-s_lp, p - 1)[:p] if p < m else np.arange(m)
        ub_lp = float(np.maximum(w - lam_lp, 0).sum() + s_lp[top].sum())
        stats["lp_bound"] = round(ub_lp, 6)
        if ub_lp < ub:
            ub, lam, s = ub_lp, lam_lp, s_lp
    stats["lagrangian_seconds"] = round(time.perf_counter() - t0, 4)
    stats["lagrangian_bound"] = round(ub, 6)
    stats["lagrangian_heuristic"] = found["value"]
    best, lb = found["sel"], found["value"]
    if ils_seconds > 0:
        # a short proof attempt first: when the Lagrangian heuristic already found the optimum (common
        # on districts) the reductions usually settle it, and the search below would only spend time
        quick = min(QUICK_PROOF_S, QUICK_PROOF_SHARE * time_limit_s, max(0.0, deadline - time.perf_counter()))
        best, lb, upper0, status = _prove(a, w, p, best, lb, ub, lam, s, integral, quick, stats)
        if status == "optimal":
            return best, lb, upper0, status
        t1 = time.perf_counter()
        ils_s = min(ils_seconds, max(0.0, deadline - t1))
        closed, _ = _site_fixings(p, ub, s, target_above(lb, integral))
        if closed.sum() >= KEPT_ILS_CLOSED * m:
            best, lb = _search_kept(a, w, p, best, lb, np.flatnonzero(~closed), s, lp_x, ils_s)
            stats["ils_sites"] = int(m - closed.sum())
        else:
            best, lb = mclp_merge_search(a, w, best, seconds=ils_s, lp_x=lp_x, solve_lp=False)
        stats["ils_seconds"] = round(time.perf_counter() - t1, 4)
        stats["ils_objective"] = lb
        best, lb, upper, status = _prove(a, w, p, best, lb, ub, lam, s, integral, deadline - time.perf_counter(), stats)
        upper = max(lb, min(upper, upper0))  # the first attempt's bound still holds
        return best, lb, upper, "optimal" if upper <= lb + 1e-9 else status
    return _prove(a, w, p, best, lb, ub, lam, s, integral, deadline - time.perf_counter(), stats)


def _site_fixings(p: int, ub: float, s: np.ndarray, target: float):
    """(closed, forced) masks: sites no solution reaching ``target`` uses, and sites every such solution uses."""
    m = len(s)
    order = np.argsort(-s, kind="stable")
    in_top = np.zeros(m, dtype=bool)
    in_top[order[:p]] = True
    s_p, s_next = s[order[p - 1]], (s[order[p]] if p < m else -np.inf)
    return ~in_top & (ub - s_p + s < target), in_top & (ub - s + s_next < target)


def _search_kept(a, w, p, best, lb, keep, s, lp_x, seconds):
    """The merge search among the sites the bound keeps (rows merged as in the reduced model).

    Every solution better than the incumbent uses kept sites only, so nothing is lost, and the
    search runs on a model a fraction of the size. Returns (selection, covered weight) in ``a``.
    """
    if len(keep) <= p:  # nothing to choose among: the proof settles it
        return best, lb
    sub, sub_w, _ = reduced_rows(sparse.csr_matrix(a[:, keep]), w, np.zeros(a.shape[0], bool))
    where = {int(j): k for k, j in enumerate(keep)}
    start = list(dict.fromkeys(where[j] for j in best if j in where))
    for k in np.argsort(-s[keep], kind="stable"):  # top up with the sites the relaxation likes most
        if len(start) >= p:
            break
        if int(k) not in start:
            start.append(int(k))
    sel_k, _ = mclp_merge_search(sub, sub_w, start, seconds=seconds, lp_x=None if lp_x is None else lp_x[keep],
                                 solve_lp=False)
    sel = [int(keep[k]) for k in sel_k]
    value = float(w[np.asarray(a[:, sel].sum(axis=1)).ravel() > 0].sum())
    return (sel, value) if value > lb else (best, lb)


def _prove(a, w, p, best, lb, ub, lam, s, integral, time_limit_s, stats):
    """Reductions the Lagrangian bound (ub, λ, s) proves against the incumbent (best, lb), then HiGHS on the rest.

    Returns (selected columns, covered weight, proven upper bound, "optimal" | "time_limit").
    """
    deadline = time.perf_counter() + time_limit_s
    target = target_above(lb, integral)
    bound = float(np.floor(ub + 1e-6)) if integral else ub
    if bound < target:
        stats["proof"] = "lagrangian"
        return best, lb, lb, "optimal"

    closed, forced = _site_fixings(p, ub, s, target)
    must_cover = (lam < w) & (ub - (w - lam) < target)
    ignore = (lam > w) & (ub - (lam - w) < target)
    stats.update({"sites_closed": int(closed.sum()), "sites_forced": int(forced.sum()),
                  "rows_forced": int(must_cover.sum()), "rows_dropped": int(ignore.sum())})
    keep = np.flatnonzero(~closed)
    rows = np.flatnonzero(~ignore)
    sub = sparse.csr_matrix(a[rows][:, keep], dtype=float)
    forced_k = forced[keep]
    must = must_cover[rows]
    if (np.diff(sub.indptr)[must] == 0).any() or len(keep) < p:
        stats["proof"] = "reduction"  # a row that must be covered cannot be: nothing beats the incumbent
        return best, lb, lb, "optimal"
    sub, sub_w, must = reduced_rows(sub, w[rows], must)
    left = deadline - time.perf_counter()
    if left <= 0.05:
        return best, lb, max(lb, bound), "time_limit"
    out = search_above(sub, sub_w, p, forced_k, must, target, left, stats)
    if out is None:
        return best, lb, max(lb, bound), "time_limit"
    sel_k, mip_bound, optimal, infeasible = out
    if sel_k is not None:
        cand = [int(keep[j]) for j in sel_k]
        val = float(w[np.asarray(a[:, cand].sum(axis=1)).ravel() > 0].sum())
        if val > lb:
            best, lb = cand, val
    if infeasible or optimal:
        stats["proof"] = "reduced model"
        return best, lb, lb, "optimal"
    upper = min(bound, max(lb, mip_bound)) if mip_bound is not None else bound
    if integral:
        upper = float(np.floor(upper + 1e-6))
    return best, lb, max(lb, upper), "optimal" if upper <= lb + 1e-9 else "time_limit"
