"""Model reductions that keep the optimum: merged demand rows and removed dominated candidates.

Why each one is safe:

* Demand rows with the same coverage set (or, for p-median, the same cost row) behave as one
  point whose weight is their sum: every solution gives them the same service.
* A candidate whose coverage set is a subset of another's (MCLP, LSCP), or whose every cost is no
  better than another's (p-median), can be swapped for that one in any solution without losing
  anything; if both are chosen the dominated one adds nothing and can be swapped for any unused
  candidate. So some optimum avoids every dominated candidate, provided at least p candidates stay
  (else the kept ones are all chosen and any others pad the selection at no loss). Ties between
  identical columns keep the lowest index, so domination is a strict order and no chain removes
  every member of a group. Weight-based domination (a column covering *less weight*) is **not**
  used: with p > 1 it can discard a column that an optimum needs.
* LSCP only: a demand row whose set contains another row's set is implied by that row; a row with
  a single candidate forces that candidate open.
"""

import numpy as np
from scipy import sparse

# Above this many pairwise products a subset test is skipped (it is an optional speed-up).
MAX_PAIR_WORK = 60_000_000
# Implied LSCP rows pay off most on large instances; their test may do more work (a few seconds).
MAX_ROW_PAIR_WORK = 600_000_000


def merge_identical_rows(cov: sparse.csr_matrix, weights: np.ndarray):
    """Rows with identical coverage sets merged, weights summed.

    Returns the merged matrix, merged weights and, for every original row, its merged row.
    """
    cov = sparse.csr_matrix(cov)
    cov.sort_indices()
    groups: dict[bytes, int] = {}
    owner = np.empty(cov.shape[0], dtype=np.int64)
    reps = []
    indptr, indices = cov.indptr, cov.indices
    for i in range(cov.shape[0]):
        key = indices[indptr[i]:indptr[i + 1]].tobytes()
        g = groups.get(key)
        if g is None:
            g = groups[key] = len(reps)
            reps.append(i)
        owner[i] = g
    merged_w = np.bincount(owner, weights=weights, minlength=len(reps))
    return cov[reps], merged_w, owner


def subset_dominated_columns(cov: sparse.spmatrix) -> np.ndarray:
    """Mask of columns whose coverage set lies inside another kept column's set (ties: lower index wins)."""
    a = sparse.csc_matrix(cov, dtype=np.int32)
    m = a.shape[1]
    size = np.diff(a.indptr)
    dominated = size == 0
    if m < 2:
        return np.zeros(m, dtype=bool)
    if not dominated.all():
        row_sizes = np.diff(sparse.csr_matrix(a).indptr).astype(np.float64)
        if float((row_sizes**2).sum()) <= MAX_PAIR_WORK:
            overlap = (a.T @ a).tocoo()
            j, k, v = overlap.row, overlap.col, overlap.data
            # j inside k: every row of j is in k; identical columns: the higher index is dominated.
            inside = (j != k) & (v == size[j]) & (size[j] > 0) & ((size[k] > size[j]) | (k < j))
            dominated[j[inside]] = True
    if dominated.all():  # keep at least one column
        dominated[0] = False
    return dominated


def superset_rows(cov: sparse.csr_matrix) -> np.ndarray:
    """Mask of rows (LSCP constraints) whose set strictly contains another row's set: they are implied."""
    a = sparse.csr_matrix(cov, dtype=np.int32)
    n = a.shape[0]
    size = np.diff(a.indptr)
    implied = np.zeros(n, dtype=bool)
    col_sizes = np.diff(sparse.csc_matrix(a).indptr).astype(np.float64)
    if n < 2 or float((col_sizes**2).sum()) > MAX_ROW_PAIR_WORK:
        return implied
    overlap = (a @ a.T).tocoo()
    i, k, v = overlap.row, overlap.col, overlap.data
    # row i inside row k (rows are already distinct after merging): row k is implied.
    inside = (i != k) & (v == size[i]) & (size[k] > size[i])
    implied[k[inside]] = True
    return implied


def dominated_cost_columns(costs: np.ndarray) -> np.ndarray:
    """p-median: mask of columns no better than another column for every demand row (ties: lower index wins)."""
    n, m = costs.shape
    dominated = np.zeros(m, dtype=bool)
    if m < 2 or n * m * m > MAX_PAIR_WORK * 4:
        return dominated
    for j in range(m):
        if dominated[j]:
            continue
        col = costs[:, [j]]
        # k dominates j when it is never worse; identical columns: the lower index stays.
        no_worse = np.all(costs <= col, axis=0)
        no_worse[j] = False
        if not no_worse.any():
            continue
        identical = no_worse & np.all(costs == col, axis=0)
        strictly = no_worse & ~identical
        if strictly.any() or np.flatnonzero(identical).min(initial=m) < j:
            dominated[j] = True
        # columns identical to j with a higher index are dominated by j
        dominated[np.flatnonzero(identical)[np.flatnonzero(identical) > j]] = True
    return dominated
