"""Iterated local search with swap moves: strong incumbents for p-median and MCLP.

Why this and not only greedy + one swap pass (heuristic.py): an exact proof is fast only when the
incumbent already is the optimum (p-median reduction by the Lagrangian bound, HiGHS pruning), and
published iterated local searches reach the optima of these instances in seconds.

* p-median: every swap (close r, open j) is valued at once from each demand point's nearest and
  second-nearest open site (Whitaker's fast interchange), a dense O(n·m) step; the best improving
  swap is taken until none improves.
* MCLP: the same on the sparse coverage, from values kept up to date as sites open and close:
  closing r loses the weight only r covers, opening j gains the weight nobody covers, and the
  overlap term (weight covered only by r that j also covers) is a p × m table changed only on the
  rows the opened or closed site covers.

Both then perturb (p-median: swap a few random sites; MCLP: close a few and reopen greedily) and
search again, keeping the best, until a time budget or a number of non-improving rounds runs out.
Randomness is seeded: the same input gives the same answer.
"""

import time

import numpy as np
from scipy import sparse

EPS = 1e-9
PERTURB_MIN = 6  # MCLP: a kick closes 1..max(this, p // PERTURB_SHARE) sites
PERTURB_SHARE = 5
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


class _Cover:
    """A selection of p sites on a 0/1 coverage, with every swap's value kept up to date.

    The selection lives in p slots. Per demand row: how many open sites cover it and the sum of
    their column numbers (a row covered exactly once names its one site without a search). Per
    column, ``gain``: the uncovered weight it would add. Per slot, ``loss``: the weight only its
    site covers; and ``kept[s, j]``: the part of that weight column j also covers. Opening or
    closing a site changes these only on the rows it covers, so a swap costs the entries of those
    rows, not a recount of the whole coverage (7x faster descents at city scale than recounting).
    """

    def __init__(self, a: sparse.csr_matrix, at: sparse.csr_matrix, weights: np.ndarray, selected):
        self.a, self.at, self.w = a, at, weights
        n, m = a.shape
        p = len(selected)
        self.count = np.zeros(n, dtype=np.int64)
        self.owner_sum = np.zeros(n, dtype=np.int64)
        self.slot_of = np.full(m, -1, dtype=np.int64)  # -1: closed
        self.site = np.full(p, -1, dtype=np.int64)  # -1: a free slot
        self.gain = np.asarray(at @ weights, dtype=np.float64).ravel()  # nothing open: every row uncovered
        self.loss = np.zeros(p)
        self.kept = np.zeros((p, m))
        for j in selected:
            self.open(int(j))

    @property
    def sel(self) -> list[int]:
        return [int(j) for j in self.site if j >= 0]

    @property
    def is_open(self) -> np.ndarray:
        return self.slot_of >= 0

    def _rows(self, j: int) -> np.ndarray:
        return self.at.indices[self.at.indptr[j]:self.at.indptr[j + 1]]

    def _entries(self, rows: np.ndarray):
        """(columns of every entry of ``rows``, entries per row)."""
        starts, lens = self.a.indptr[rows], self.a.indptr[rows + 1] - self.a.indptr[rows]
        at = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        return self.a.indices[at], lens

    def _once(self, rows: np.ndarray, slots: np.ndarray, sign: float) -> None:
        """Rows start (+1) or stop (-1) being covered only by the site in ``slots``."""
        if len(rows):
            cols, lens = self._entries(rows)
            np.add.at(self.kept, (np.repeat(slots, lens), cols), np.repeat(sign * self.w[rows], lens))
            np.add.at(self.loss, slots, sign * self.w[rows])

    def _uncovered(self, rows: np.ndarray, sign: float) -> None:
        """Rows become (+1) or stop being (-1) uncovered."""
        if len(rows):
            cols, lens = self._entries(rows)
            self.gain += sign * np.bincount(cols, weights=np.repeat(self.w[rows], lens), minlength=len(self.gain))

    def open(self, j: int) -> None:
        slot = int(np.flatnonzero(self.site < 0)[0])
        rows = self._rows(j)
        before = self.count[rows]
        fresh, shared = rows[before == 0], rows[before == 1]
        self._uncovered(fresh, -1.0)
        self._once(shared, self.slot_of[self.owner_sum[shared]], -1.0)
        self.count[rows] += 1
        self.owner_sum[rows] += j
        self.site[slot], self.slot_of[j] = j, slot
        self._once(fresh, np.full(len(fresh), slot), 1.0)

    def close(self, j: int) -> None:
        slot = int(self.slot_of[j])
        rows = self._rows(j)
        before = self.count[rows]
        alone, pair = rows[before == 1], rows[before == 2]
        self._once(alone, np.full(len(alone), slot), -1.0)
        self.count[rows] -= 1
        self.owner_sum[rows] -= j
        self.site[slot], self.slot_of[j] = -1, -1
        self._uncovered(alone, 1.0)
        self._once(pair, self.slot_of[self.owner_sum[pair]], 1.0)

    def move_to(self, selected) -> None:
        """Close and open sites until the selection is ``selected``."""
        target, now = set(selected), set(self.sel)
        for j in now - target:
            self.close(j)
        for j in target - now:
            self.open(j)

    def value(self) -> float:
        return float(self.w[self.count > 0].sum())

    def best_swap(self) -> tuple[float, int, int]:
        """(added weight, site to close, column to open) of the best single swap.

        Closing r loses the rows only r covers; opening j gains the uncovered rows j covers and
        keeps those of r's lost rows that j also covers.
        """
        total = self.kept - self.loss[:, None]
        total += self.gain[None, :]
        total[:, self.slot_of >= 0] = -np.inf
        slot, j = np.unravel_index(int(np.argmax(total)), total.shape)
        return float(total[slot, j]), int(self.site[slot]), int(j)

    def descend(self) -> float:
        """Best-improvement swaps until none adds covered weight; returns the covered weight."""
        current = self.value()
        while len(self.site) < self.a.shape[1]:
            delta, r, j = self.best_swap()
            if delta <= EPS * max(1.0, abs(current)):
                break
            self.close(r)
            self.open(j)
            current += delta
        return self.value()


def mclp_local_search(cov: sparse.csr_matrix, weights: np.ndarray, selected, *, at=None) -> tuple[list, float]:
    """Best-improvement swaps on a sparse 0/1 coverage until none adds covered weight."""
    a = sparse.csr_matrix(cov, dtype=np.float64)
    state = _Cover(a, sparse.csr_matrix(a.T) if at is None else at, weights, selected)
    value = state.descend()
    return list(state.sel), value


def mclp_ils(cov: sparse.csr_matrix, weights: np.ndarray, start, *, seconds: float = 2.0, max_stale: int = 40,
             seed: int = 0, at=None) -> tuple[list, float]:
    """Iterated local search for MCLP: close k random sites, reopen k greedily, descend; keep the best.

    k is drawn from 1 to max(PERTURB_MIN, p / PERTURB_SHARE): large selections need large kicks to
    leave a local optimum (at p = 100 on a 5,000-intersection city, k up to 20 reached 4,041 in 10 s
    where k up to 6 stopped at 4,019–4,029). The reopened sites are the ones adding the most
    uncovered weight, the closed ones excluded, so a kick is a plausible solution and the descent
    after it is short. A result as good as the current one is accepted (covering problems have
    wide plateaus of equal value, and walking along them finds the way off); after ``WALK`` rounds
    without a new best the walk returns to the best solution.
    """
    rng = np.random.default_rng(seed)
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T) if at is None else at
    m = a.shape[1]
    state = _Cover(a, at, weights, start)
    best_obj = state.descend()
    best = list(state.sel)
    p = len(best)
    if p == m:
        return best, best_obj
    current, current_obj = list(best), best_obj
    k_max = min(max(PERTURB_MIN, p // PERTURB_SHARE), p, m - p)
    deadline = time.perf_counter() + seconds
    stale = 0
    while stale < max_stale and time.perf_counter() < deadline:
        state.move_to(current)
        k = int(rng.integers(1, k_max + 1))
        closed = [int(j) for j in rng.choice(state.sel, k, replace=False)]
        for j in closed:
            state.close(j)
        for _ in range(k):
            gain = state.gain.copy()
            gain[state.is_open] = -np.inf
            gain[closed] = -np.inf
            state.open(int(np.argmax(gain)))
        obj = state.descend()
        if obj > best_obj + EPS * max(1.0, abs(best_obj)):
            best, best_obj, stale = list(state.sel), obj, 0
        else:
            stale += 1
        if obj >= current_obj - EPS * max(1.0, abs(current_obj)):
            current, current_obj = list(state.sel), obj
        if stale and stale % WALK == 0:
            current, current_obj = list(best), best_obj
    return best, best_obj
