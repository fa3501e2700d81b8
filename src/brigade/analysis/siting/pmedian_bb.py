"""Lagrangian branch and bound on sites for the reduced p-median (few sites per row after the radius reduction).

Why not HiGHS here: the radius model left after the reduction still has ~20,000 level rows on
OR-Library-sized instances with p = 5, and HiGHS's dual simplex did not finish even its root LP in
30 s (the chained rows are highly degenerate). The same bound comes from the Lagrangian relaxation
of the assignment rows in a few hundred sparse numpy passes, so the tree search (Beasley 1993)
branches on sites and bounds each node that way:

* a node fixes some sites open (F1) and some closed (F0); its bound is
  L(u) = Σ u_i + Σ_{j∈F1} rho_j + (the p − |F1| smallest rho_j among free sites),
  rho_j = Σ_{(i,j) allowed} min(0, w_i c_ij − u_i), improved by subgradient steps warm-started
  from the parent's multipliers;
* each relaxed solution is a set of p sites, so its true cost updates the incumbent;
* reduction tests close a free site j outside the relaxed solution when L + rho_j − rho_(k) can
  not beat the incumbent, and open one inside when L − rho_j + rho_(k+1) can not;
* depth first, the "open" branch first; at a time limit the smallest bound of the nodes left is a
  proven lower bound.

"Allowed" pairs are those within each row's radius (pmedian_exact.py): only solutions cheaper than
the incumbent are searched for, and those serve every row within its radius.
"""

import time

import numpy as np

NODE_ROUNDS = 30  # subgradient rounds per node (the root gets more)
ROOT_ROUNDS = 600
PATIENCE = 8
# A child differs from its parent by one fixed site, yet its dual optimum moves far: the full
# Held–Karp factor 2 gets there in a few rounds, while 0.5 (as before) crept and the node, left
# unpruned after its rounds, split again (pmed36 stand-in: 7,017 nodes -> 1,185, 40 -> 6 CPU s).
NODE_STEP = 2.0


class Pairs:
    """The allowed (row, site) pairs with their weighted costs, and the full costs for true values."""

    def __init__(self, c: np.ndarray, w: np.ndarray, radius: np.ndarray):
        ok = c < radius[:, None]
        self.row, self.site = np.nonzero(ok)
        # dense weighted costs, +inf where a pair is not allowed: contiguous column sums beat scattered
        # bincounts several times over, and the kept sites are few (tens to hundreds)
        self.wcd = np.where(ok, w[:, None] * c, np.inf)
        self.n, self.m = c.shape
        self.c, self.w = c, w
        self._costs: dict[bytes, float] = {}  # relaxed selections repeat from round to round

    def true_cost(self, sel) -> float:
        sel = np.asarray(sel)
        key = sel.tobytes()
        cost = self._costs.get(key)
        if cost is None:
            cost = self._costs[key] = float(self.w @ self.c[:, sel].min(axis=1))
        return cost


def _bound(pairs: Pairs, p: int, u: np.ndarray, fixed_open: np.ndarray, closed: np.ndarray, cols, sub, a):
    """L(u), rho, the relaxed selection (boolean) and the subgradient; ``sub`` = the columns ``cols`` not closed.

    ``a`` is scratch space of sub's shape (each round reuses it instead of allocating two such arrays).
    """
    np.subtract(sub, u[:, None], out=a)
    np.minimum(a, 0.0, out=a)  # min(a, 0) < 0 exactly where a < 0: the "served" test below still holds
    rho = np.zeros(pairs.m)
    rho[cols] = a.sum(axis=0)
    k = p - int(fixed_open.sum())
    free = ~fixed_open & ~closed
    free_idx = np.flatnonzero(free)
    sel = fixed_open.copy()
    if k > 0:
        pick = free_idx[np.argpartition(rho[free_idx], k - 1)[:k]] if k < len(free_idx) else free_idx
        sel[pick] = True
    value = float(u.sum() + rho[sel].sum())
    served = (a[:, sel[cols]] < 0).sum(axis=1)
    return value, rho, sel, 1.0 - served


def _subgradient(pairs, p, u, fixed_open, closed, ub, rounds, step, on_solution, deadline=np.inf):
    best = (-np.inf, u, None, None)
    stale = 0
    cols = np.flatnonzero(~closed)
    sub = pairs.wcd[:, cols]
    scratch = np.empty_like(sub)
    for _ in range(rounds):
        value, rho, sel, g = _bound(pairs, p, u, fixed_open, closed, cols, sub, scratch)
        if value > best[0]:
            best, stale = (value, u, rho, sel), 0
        else:
            stale += 1
            if stale >= PATIENCE:
                step, stale = step / 2, 0
        ub = on_solution(sel)
        norm = float(g @ g)
        if value >= ub or norm == 0 or step < 1e-4 or time.perf_counter() > deadline:
            break
        u = u + step * (ub - value) / norm * g
    return best


def branch_and_bound(pairs: Pairs, p: int, u0: np.ndarray, best_sel, ub: float, *, deadline: float,
                     cheaper, stats: dict):
    """Search sites for a p-set cheaper than ``ub``.

    ``cheaper(lb, ub)`` tells (elementwise on arrays) whether a bound still leaves room below ub.
    Returns (best selection, its cost, proven lower bound, finished).
    """
    m = pairs.m
    state = {"ub": ub, "sel": list(best_sel)}
    # rows with no allowed site can not be served cheaper than ub: nothing to search
    if np.bincount(pairs.row, minlength=pairs.n).min() == 0:
        return state["sel"], state["ub"], state["ub"], True

    def on_solution(sel_mask):
        cost = pairs.true_cost(np.flatnonzero(sel_mask))
        if cost < state["ub"] - 1e-9:
            state["ub"], state["sel"] = cost, [int(j) for j in np.flatnonzero(sel_mask)]
        return state["ub"]

    stack = [(np.zeros(m, bool), np.zeros(m, bool), u0, -np.inf, ROOT_ROUNDS, 1.0)]
    nodes = 0
    while stack:
        if time.perf_counter() > deadline:
            lower = min(min(s[3] for s in stack), state["ub"])
            stats["bb_nodes"] = nodes
            return state["sel"], state["ub"], lower, False
        fixed_open, closed, u, parent, rounds, step = stack.pop()
        if not cheaper(parent, state["ub"]):
            continue
        nodes += 1
        value, u, rho, sel = _subgradient(pairs, p, u, fixed_open, closed, state["ub"], rounds, step, on_solution,
                                          deadline)
        if rho is None or not cheaper(value, state["ub"]):
            continue
        ub = state["ub"]
        # reduction tests at this node
        k = p - int(fixed_open.sum())
        free = ~fixed_open & ~closed
        in_sel = sel & free
        out_sel = ~sel & free
        if k > 0 and in_sel.any():
            rho_k = rho[in_sel].max()
            rho_next = rho[out_sel].min() if out_sel.any() else np.inf
            closed = closed | (out_sel & ~cheaper(value + rho - rho_k, ub))
            forced = in_sel & ~cheaper(value - rho + rho_next, ub)
            fixed_open = fixed_open | forced
        if int(fixed_open.sum()) > p:
            continue
        # a row whose allowed sites are all closed can not be served: infeasible node
        if (np.bincount(pairs.row, weights=(~closed[pairs.site]).astype(float), minlength=pairs.n) == 0).any():
            continue
        free = ~fixed_open & ~closed
        k = p - int(fixed_open.sum())
        if k == 0:
            on_solution(fixed_open)
            continue
        if int(free.sum()) < k:
            continue
        if int(free.sum()) == k:
            on_solution(fixed_open | free)
            continue
        cand = np.flatnonzero(sel & free)
        if not len(cand):
            cand = np.flatnonzero(free)
        j = int(cand[np.argmin(rho[cand])])
        shut, opened = closed.copy(), fixed_open.copy()
        shut[j] = True
        opened[j] = True
        stack.append((fixed_open, shut, u, value, NODE_ROUNDS, NODE_STEP))
        stack.append((opened, closed, u, value, NODE_ROUNDS, NODE_STEP))
    stats["bb_nodes"] = nodes
    return state["sel"], state["ub"], state["ub"], True
