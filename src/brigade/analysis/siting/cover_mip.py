"""The MCLP's MIP on a reduced coverage, searched only for plans better than a known one.

Used by the exact MCLP (``mclp_exact``: the LP relaxation's duals, then the model after the
Lagrangian reductions) and by solution merging (``merge_search``: the LP's site values, then the
model on the sites of a few good plans).
"""

import numpy as np
from scipy import sparse

from brigade.analysis.siting.mip import solve_mip
from brigade.analysis.siting.reduce import merge_identical_rows


def target_above(lb: float, integral: bool) -> float:
    """The covered weight a plan better than one covering ``lb`` reaches."""
    return lb + 1.0 - 1e-6 if integral else lb + 1e-9 * max(1.0, lb)


def reduced_rows(sub: sparse.csr_matrix, w: np.ndarray, must: np.ndarray):
    """Rows of the reduced model after sites were closed: those no kept site covers dropped (nothing
    can cover them), those left with the same sites merged with their weights summed (covering one
    covers all; the group must be covered when one of its rows must). A must-cover row that no kept
    site covers is settled before this (nothing beats the incumbent). Returns (rows, weights, must).
    """
    alive = np.diff(sub.indptr) > 0
    merged, mw, owner = merge_identical_rows(sub[alive], w[alive])
    must_m = np.bincount(owner, weights=must[alive].astype(float), minlength=merged.shape[0]) > 0
    return sparse.csr_matrix(merged, dtype=float), mw, must_m


def mclp_model(a: sparse.spmatrix, w: np.ndarray, p: int):
    """The MCLP as HiGHS minimises it, columns x (sites) then y (demand rows):

        min -w·y  s.t.  -Σ_j a_ij x_j + y_i <= 0,  Σ x = p.

    Returns (cost, matrix, row lower bounds, row upper bounds); the column bounds are the caller's.
    """
    n, m = a.shape
    top = sparse.hstack([-sparse.csr_matrix(a, dtype=float), sparse.identity(n, format="csr")])
    card = sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))])
    return (np.concatenate([np.zeros(m), -w]), sparse.vstack([top, card]).tocsc(),
            np.concatenate([np.full(n, -np.inf), [p]]), np.concatenate([np.zeros(n), [p]]))


def search_above(a, w, p, forced, must, target, time_limit_s, stats):
    """max w·y s.t. y_i <= Σ a_ij x_j, Σ x = p, y_i = 1 where forced, searched only for a value >= target.

    The target is HiGHS's objective cutoff (``objective_bound``: every node whose bound cannot reach
    it is pruned), not a constraint row: on the city's p = 10 reduced model (1,337 rows × 838 sites)
    the row made HiGHS prove infeasibility in 55 CPU s, the cutoff with presolve off in 20 CPU s (our
    reductions already ran). Finishing the search ("optimal" or "infeasible") proves that no
    solution reaches the target other than one it returns.

    Returns (selected columns or None, proven upper bound or None, search finished, proven infeasible).
    """
    n, m = a.shape
    c, A, row_lo, row_hi = mclp_model(a, w, p)
    col_lo = np.concatenate([forced.astype(float), must.astype(float)])
    integer = np.concatenate([np.ones(m, bool), np.zeros(n, bool)])
    stats["reduced_model"] = {"rows": int(n), "sites": int(m), "nonzeros": int(a.nnz)}
    out = solve_mip(c, A, row_lo, row_hi, col_lo, np.ones(m + n), integer, time_limit_s=time_limit_s,
                    presolve=False, objective_cutoff=-target)
    stats["mip_seconds"] = round(out.seconds, 4)
    stats["mip_status"] = out.status
    infeasible = "nfeasible" in out.status
    if infeasible:
        return None, None, True, True
    bound = None if out.bound is None else -out.bound
    sel = None
    if out.x is not None:
        sel = [int(j) for j in np.flatnonzero(out.x[:m] > 0.5)]
        if len(sel) != p:
            sel = None
    return sel, bound, out.optimal, False


def lp_start(a: sparse.csr_matrix, w: np.ndarray, p: int, seconds: float, stats: dict):
    """(λ, the LP solution's site values) from the LP relaxation (HiGHS interior point); None for what it has not.

    Why: the subgradient alone stopped 0.6–1 % above the LP value at city scale (4,000 rows),
    and the exact MCLP's reductions are only as strong as the bound. U(λ) is a valid bound for
    every λ >= 0, so duals that are only nearly optimal (no crossover) still give a proof; from
    optimal duals U(λ) is the LP value itself. The site values guide the merge search.
    """
    n, m = a.shape
    if seconds <= 0.05:
        return None, None
    c, A, row_lo, row_hi = mclp_model(a, w, p)
    out = solve_mip(c, A, row_lo, row_hi, np.zeros(m + n), np.ones(m + n), np.zeros(m + n, bool),
                    time_limit_s=seconds, interior_point=True, presolve=False)
    stats["lp_seconds"] = round(out.seconds, 4)
    x = out.x[:m] if out.optimal and out.x is not None else None  # an unfinished interior point is no guide
    if out.row_dual is None:
        return None, x
    # row i reads -a_i·x + y_i <= 0 in a minimisation: its dual is -λ_i
    return np.clip(-out.row_dual[:n], 0.0, w), x
