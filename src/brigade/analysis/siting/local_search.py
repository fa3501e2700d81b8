"""Iterated local search with swap moves: strong incumbents for p-median and MCLP.

Why this and not only greedy + one swap pass (heuristic.py): an exact proof is fast only when the
incumbent already is the optimum (p-median reduction by the Lagrangian bound, HiGHS pruning), and
published iterated local searches reach the optima of these instances in seconds.

* p-median: every swap (close r, open j) is valued at once from each demand point's nearest and
  second-nearest open site (Whitaker's fast interchange), a dense O(n·m) step; the best improving
  swap is taken until none improves.
* MCLP: the same on the sparse coverage: for each demand point the number of open sites covering
  it; closing r loses the weight only r covers, opening j gains the weight nobody covers, and the
  overlap term (weight covered only by r that j also covers) is a sparse product.

Both then perturb (swap a few random sites) and search again, keeping the best, until a time
budget or a number of non-improving rounds runs out. Randomness is seeded: the same input gives
the same answer.
"""

import time

import numpy as np
from scipy import sparse

EPS = 1e-9
PERTURB_MAX = 6  # MCLP: sites swapped at random per round (1..this many)
WALK = 50  # MCLP: rounds without a new best before the walk returns to the best solution


# ---------------------------------------------------------------------------------------- p-median


def _nearest_two(costs: np.ndarray, fallback: np.ndarray, selected: np.ndarray):
    """Per row: nearest cost, the selected position giving it (-1: the fallback) and second nearest cost."""
    sub = np.concatenate([costs[:, selected], fallback[:, None]], axis=1)
    k = sub.shape[1]
    if k == 1:
        return sub[:, 0], np.full(len(sub), -1), np.full(len(sub), np.inf)
    two = np.argpartition(sub, 1, axis=1)[:, :2]
    rows = np.arange(len(sub))
    a, b = sub[rows, two[:, 0]], sub[rows, two[:, 1]]
    first = np.where(a <= b, two[:, 0], two[:, 1])
    d1, d2 = np.minimum(a, b), np.maximum(a, b)
    first = np.where(first == k - 1, -1, first)  # the fallback column belongs to no selected site
    return d1, first, d2


def pmedian_local_search(costs: np.ndarray, weights: np.ndarray, fallback: np.ndarray, selected) -> tuple[list, float]:
    """Best-improvement swaps until none lowers the weighted cost; returns (selected columns, cost)."""
    n, m = costs.shape
    sel = np.asarray(selected, dtype=np.int64).copy()
    p = len(sel)
    while True:
        d1, first, d2 = _nearest_two(costs, fallback, sel)
        current = float(weights @ d1)
        if p == m:
            return sel.tolist(), current
        # cost with j added and nothing removed, for every column
        add = weights @ np.minimum(d1[:, None], costs)
        # extra cost when the site at position r closes: rows served by r fall back to min(d2, c_ij)
        owned = first >= 0
        rows = np.flatnonzero(owned)
        extra_rows = weights[rows, None] * (np.minimum(d2[rows, None], costs[rows]) - np.minimum(d1[rows, None], costs[rows]))
        group = sparse.csr_matrix((np.ones(len(rows)), (first[rows], np.arange(len(rows)))), shape=(p, len(rows)))
        total = add[None, :] + group @ extra_rows  # (p, m): cost after swapping position r for column j
        total[:, sel] = np.inf
        r, j = np.unravel_index(int(np.argmin(total)), total.shape)
        if total[r, j] < current - EPS * max(1.0, abs(current)):
            sel[r] = j
        else:
            return sel.tolist(), current


def pmedian_ils(costs: np.ndarray, weights: np.ndarray, fallback: np.ndarray, start, *, seconds: float = 2.0,
                max_stale: int = 30, seed: int = 0) -> tuple[list, float]:
    """Iterated local search from ``start``: perturb 1–3 sites, search, keep the best."""
    rng = np.random.default_rng(seed)
    m = costs.shape[1]
    best, best_obj = pmedian_local_search(costs, weights, fallback, start)
    p = len(best)
    if p == m:
        return best, best_obj
    deadline = time.perf_counter() + seconds
    stale = 0
    while stale < max_stale and time.perf_counter() < deadline:
        cur = np.asarray(best).copy()
        pool = np.setdiff1d(np.arange(m), cur)
        k = int(rng.integers(1, min(3, p, len(pool)) + 1))
        out = rng.choice(p, k, replace=False)
        cur[out] = rng.choice(pool, k, replace=False)
        cand, obj = pmedian_local_search(costs, weights, fallback, cur)
        if obj < best_obj - EPS * max(1.0, abs(best_obj)):
            best, best_obj, stale = cand, obj, 0
        else:
            stale += 1
    return best, best_obj


# -------------------------------------------------------------------------------------------- MCLP


def _covered_weight(at: sparse.csr_matrix, weights: np.ndarray, sel) -> tuple[np.ndarray, float]:
    count = np.asarray(at[sel].sum(axis=0)).ravel() if len(sel) else np.zeros(at.shape[1])
    return count, float(weights[count > 0].sum())


def mclp_local_search(cov: sparse.csr_matrix, weights: np.ndarray, selected, *, at=None) -> tuple[list, float]:
    """Best-improvement swaps on a sparse 0/1 coverage until none adds covered weight."""
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T) if at is None else at
    n, m = a.shape
    sel = np.asarray(selected, dtype=np.int64).copy()
    p = len(sel)
    count, current = _covered_weight(at, weights, sel)
    if p == m:
        return sel.tolist(), current
    while True:
        gain = at @ (weights * (count == 0))  # weight nobody covers yet, per column
        only = count == 1  # rows covered by exactly one open site: closing it loses them
        rows = np.flatnonzero(only)
        owner_rows = a[rows][:, sel]  # which selected site covers each such row
        loss = np.asarray(owner_rows.T @ weights[rows]).ravel()  # (p,)
        # weight only r covers that j also covers: kept when r is swapped for j
        overlap = (owner_rows.T.multiply(weights[rows])) @ a[rows]  # (p, m)
        total = gain[None, :] - loss[:, None] + overlap.toarray()
        total[:, sel] = -np.inf
        r, j = np.unravel_index(int(np.argmax(total)), total.shape)
        if total[r, j] > EPS * max(1.0, abs(current)):
            count[at.indices[at.indptr[sel[r]]:at.indptr[sel[r] + 1]]] -= 1
            count[at.indices[at.indptr[j]:at.indptr[j + 1]]] += 1
            sel[r] = j
            current = float(weights[count > 0].sum())
        else:
            return sel.tolist(), current


def mclp_ils(cov: sparse.csr_matrix, weights: np.ndarray, start, *, seconds: float = 2.0, max_stale: int = 40,
             seed: int = 0) -> tuple[list, float]:
    """Iterated local search for MCLP: perturb 1–6 sites (towards sites covering uncovered weight), search again.

    A result as good as the current one is accepted (covering problems have wide plateaus of equal
    value, and walking along them finds the way off); after ``WALK`` rounds without a new best the
    walk returns to the best solution.
    """
    rng = np.random.default_rng(seed)
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T)
    m = a.shape[1]
    best, best_obj = mclp_local_search(a, weights, start, at=at)
    p = len(best)
    if p == m:
        return best, best_obj
    current, current_obj = list(best), best_obj
    deadline = time.perf_counter() + seconds
    stale = 0
    while stale < max_stale and time.perf_counter() < deadline:
        cur = np.asarray(current).copy()
        count, _ = _covered_weight(at, weights, cur)
        gain = at @ (weights * (count == 0))
        k = int(rng.integers(1, min(PERTURB_MAX, p, m - p) + 1))
        out = rng.choice(p, k, replace=False)
        pool = np.setdiff1d(np.flatnonzero(gain > 0), cur)
        if len(pool) < k:
            pool = np.setdiff1d(np.arange(m), cur)
        prob = gain[pool] + 1e-12
        cur[out] = rng.choice(pool, k, replace=False, p=prob / prob.sum())
        cand, obj = mclp_local_search(a, weights, cur, at=at)
        if obj > best_obj + EPS * max(1.0, abs(best_obj)):
            best, best_obj, stale = list(cand), obj, 0
        else:
            stale += 1
        if obj >= current_obj - EPS * max(1.0, abs(current_obj)):
            current, current_obj = list(cand), obj
        if stale and stale % WALK == 0:
            current, current_obj = list(best), best_obj
    return best, best_obj
