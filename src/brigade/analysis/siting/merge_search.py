"""Solution merging for MCLP: the best plan that uses only the sites of a few good plans.

Why: at city scale the iterated local search (local_search.py) stops a few points short of the
optimum and stays there (p = 50 on a 5,000-intersection city: 2,798–2,804 of 2,807 after 10 s,
and no better after 40 s, whatever the kicks). Its local optima share fewer than half their sites
with the optimum: good plans are made of good neighbourhoods, and each plan gets some of them
right. Short searches from random starts get different ones right; the best plan drawn from the
union of their sites (100–200 columns) is a small MIP that HiGHS settles in a fraction of a second,
and it takes the good part of each ("construct, merge, solve & adapt", Blum et al. 2016). The
merged plan is polished by swaps on the whole coverage and becomes the incumbent.

Randomness is seeded: the same input gives the same answer.
"""

import time

import numpy as np
from scipy import sparse

from brigade.analysis.siting.cover_mip import lp_start, reduced_rows, search_above, target_above
from brigade.analysis.siting.local_search import mclp_ils, mclp_local_search

FIRST_SHARE = 0.2  # share of the time for the first iterated local search, from the given start
PLANS_PER_MERGE = 2  # plans from random starts merged with the incumbent each round
PLAN_S = 0.5  # the iterated local search of each of them
MERGE_S = 2.0  # HiGHS's limit for the merged model (usually done in well under 0.1 s)
AGE_MAX = 3  # rounds a site stays in the merged set without being in the incumbent
LP_SHARE = 0.3  # at most this share of the time for the LP relaxation when the caller has none
LP_SUPPORT = 0.1  # sites the LP opens at least this much join every merge (city p = 50: 133 sites)
LP_FLOOR = 0.02  # random starts draw sites with odds LP value + this: every site can still be drawn


def best_in_union(a: sparse.csr_matrix, w: np.ndarray, p: int, sites, lb: float, seconds: float):
    """The best plan of p sites among ``sites`` when it covers more than ``lb``, else None."""
    sites = np.asarray(sorted(sites), dtype=np.int64)
    if len(sites) <= p or seconds <= 0.05:
        return None
    integral = bool(np.all(np.abs(w - np.round(w)) < 1e-9))
    sub, sub_w, must = reduced_rows(sparse.csr_matrix(a[:, sites]), w, np.zeros(a.shape[0], bool))
    sel, _, _, _ = search_above(sub, sub_w, p, np.zeros(len(sites), bool), must, target_above(lb, integral),
                                seconds, {})
    if sel is None:
        return None
    plan = [int(j) for j in sites[sel]]
    return plan if w[np.asarray(a[:, plan].sum(axis=1)).ravel() > 0].sum() > lb else None


def mclp_merge_search(cov: sparse.csr_matrix, weights: np.ndarray, start, *, seconds: float, seed: int = 0,
                      lp_x=None, solve_lp: bool = True) -> tuple[list, float]:
    """Iterated local search from ``start``, then rounds of merging until ``seconds`` run out.

    Each round merges the incumbent, the sites the LP relaxation opens (``lp_x``: its site values;
    solved here when not given and ``solve_lp``) and PLANS_PER_MERGE plans of short searches from random starts
    drawn with the LP's odds (San Francisco calls p = 30: the best known value in 3 of 4 runs of
    10 s, against 1 of 4 with uniform draws; city p = 50: 2,806 in most runs either way, 2,807 in
    2 of 18). Returns (selection, covered weight).
    """
    rng = np.random.default_rng(seed)
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T)
    m, p = a.shape[1], len(start)
    deadline = time.perf_counter() + seconds
    if lp_x is None and solve_lp and p < m:
        _, lp_x = lp_start(a, weights, p, LP_SHARE * seconds, {})
    odds, extra = None, set()
    if lp_x is not None:
        odds = np.clip(lp_x, 0.0, 1.0) + LP_FLOOR
        odds /= odds.sum()
        extra = {int(j) for j in np.flatnonzero(lp_x >= LP_SUPPORT)}
    first = min(FIRST_SHARE * seconds, max(0.0, deadline - time.perf_counter()))
    best, best_obj = mclp_ils(a, weights, start, seconds=first, max_stale=10**9, seed=seed, at=at)
    if p == m:
        return best, best_obj
    age: dict[int, int] = {}
    while deadline - time.perf_counter() > 0.05:
        for _ in range(PLANS_PER_MERGE):
            plan, _ = mclp_ils(a, weights, rng.choice(m, p, replace=False, p=odds), seed=int(rng.integers(2**31)),
                               seconds=min(PLAN_S, max(0.0, deadline - time.perf_counter())), max_stale=10**9, at=at)
            for j in plan:
                age.setdefault(j, 0)
        merged = best_in_union(a, weights, p, set(age) | set(best) | extra, best_obj,
                               min(MERGE_S, deadline - time.perf_counter()))
        if merged is not None:
            best, best_obj = mclp_local_search(a, weights, merged, at=at)
        for j in best:
            age[j] = 0
        age = {j: k + 1 for j, k in age.items() if k < AGE_MAX}
    return [int(j) for j in best], best_obj
