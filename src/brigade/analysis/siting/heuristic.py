"""Greedy construction plus swap (vertex substitution) local search: warm starts and the large-instance fallback."""

import numpy as np
from scipy import sparse

EPS = 1e-9


def mclp_greedy_swap(cov: sparse.csr_matrix, weights: np.ndarray, p: int, *, max_passes: int = 50):
    """Maximal covering: pick p columns greedily by uncovered weight, then swap while it helps.

    Returns (selected columns, covered weight).
    """
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T)
    n, m = a.shape
    count = np.zeros(n)
    selected: list[int] = []
    for _ in range(p):
        gains = at @ (weights * (count == 0))
        gains[selected] = -1.0
        j = int(np.argmax(gains))
        selected.append(j)
        count[at.indices[at.indptr[j]:at.indptr[j + 1]]] += 1
    objective = float(weights[count > 0].sum())
    for _ in range(max_passes):
        improved = False
        for pos in range(len(selected)):
            s = selected[pos]
            without = count.copy()
            without[at.indices[at.indptr[s]:at.indptr[s + 1]]] -= 1
            base = float(weights[without > 0].sum())
            gains = at @ (weights * (without == 0))
            gains[selected] = -1.0
            j = int(np.argmax(gains))
            if base + gains[j] > objective + EPS:
                selected[pos] = j
                count = without
                count[at.indices[at.indptr[j]:at.indptr[j + 1]]] += 1
                objective = float(weights[count > 0].sum())
                improved = True
        if not improved:
            break
    return selected, objective


def pmedian_greedy_swap(costs: np.ndarray, weights: np.ndarray, fallback: np.ndarray, p: int, *,
                        max_passes: int = 50):
    """p-median: add the column that lowers the weighted cost most, p times, then swap while it helps.

    ``fallback`` is each row's cost when no chosen column is nearer (existing stations or a penalty).
    Returns (selected columns, weighted cost).
    """
    n, m = costs.shape
    nearest = fallback.astype(float).copy()
    selected: list[int] = []
    for _ in range(p):
        saving = weights @ np.maximum(nearest[:, None] - costs, 0.0)
        saving[selected] = -1.0
        j = int(np.argmax(saving))
        selected.append(j)
        nearest = np.minimum(nearest, costs[:, j])
    objective = float(weights @ nearest)
    for _ in range(max_passes):
        improved = False
        for pos in range(len(selected)):
            others = selected[:pos] + selected[pos + 1:]
            without = fallback.astype(float)
            if others:
                without = np.minimum(without, costs[:, others].min(axis=1))
            totals = weights @ np.minimum(without[:, None], costs)
            totals[selected] = np.inf
            j = int(np.argmin(totals))
            if totals[j] < objective - EPS * max(1.0, abs(objective)):
                selected[pos] = j
                nearest = np.minimum(without, costs[:, j])
                objective = float(weights @ nearest)
                improved = True
        if not improved:
            break
    return selected, objective


def lscp_greedy(cov: sparse.csr_matrix):
    """Set cover: take the column covering most uncovered rows until all are covered, then drop redundant ones.

    Every row must be coverable by some column.
    """
    a = sparse.csr_matrix(cov, dtype=np.float64)
    at = sparse.csr_matrix(a.T)
    uncovered = np.ones(a.shape[0])
    selected: list[int] = []
    while uncovered.any():
        gains = at @ uncovered
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        selected.append(j)
        uncovered[at.indices[at.indptr[j]:at.indptr[j + 1]]] = 0
    count = np.asarray(a[:, selected].sum(axis=1)).ravel()
    for j in sorted(selected, key=lambda c: at[c].nnz):  # try the smallest columns first
        rows = at[j].indices
        if (count[rows] >= 2).all():
            selected.remove(j)
            count[rows] -= 1
    return selected


def greedy_order_gains_cover(cov: sparse.csr_matrix, weights: np.ndarray, base_covered: np.ndarray,
                             chosen: list[int]):
    """Order chosen columns greedily and return (order, marginal covered weight of each)."""
    a = sparse.csc_matrix(cov)
    covered = base_covered.astype(bool).copy()
    left, order, gains = list(chosen), [], []
    while left:
        best, best_gain = left[0], -1.0
        for j in left:
            rows = a.indices[a.indptr[j]:a.indptr[j + 1]]
            g = float(weights[rows][~covered[rows]].sum())
            if g > best_gain:
                best, best_gain = j, g
        rows = a.indices[a.indptr[best]:a.indptr[best + 1]]
        covered[rows] = True
        order.append(best)
        gains.append(best_gain)
        left.remove(best)
    return order, gains


def greedy_order_gains_cost(costs: np.ndarray, weights: np.ndarray, fallback: np.ndarray, chosen: list[int]):
    """Order chosen columns greedily by cost saving and return (order, saving of each)."""
    nearest = fallback.astype(float).copy()
    left, order, gains = list(chosen), [], []
    while left:
        savings = [float(weights @ np.maximum(nearest - costs[:, j], 0.0)) for j in left]
        k = int(np.argmax(savings))
        j = left.pop(k)
        nearest = np.minimum(nearest, costs[:, j])
        order.append(j)
        gains.append(savings[k])
    return order, gains
