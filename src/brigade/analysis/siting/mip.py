"""A thin wrapper around HiGHS (highspy) for the 0/1 models: pass arrays, get values, bound and gap."""

import os
import sys
from dataclasses import dataclass

import numpy as np
from scipy import sparse

# Solve to proven optimality up to rounding: the same optimum spopt's CBC reports.
MIP_REL_GAP = 1e-7
MIP_ABS_GAP = 1e-6


@dataclass
class MipOutcome:
    x: np.ndarray | None  # best solution found (None when none)
    objective: float | None  # in the model's minimisation sense
    bound: float | None  # proven lower bound of the minimisation
    optimal: bool
    status: str  # HiGHS model status text
    seconds: float
    row_dual: np.ndarray | None = None  # LPs only: the rows' dual values (HiGHS's sign convention)


def _new_highs():
    """A silent HiGHS instance; the C++ library prints a banner on stdout when first built."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def solve_mip(
    c: np.ndarray,
    a: sparse.spmatrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integer: np.ndarray,
    *,
    time_limit_s: float,
    start: np.ndarray | None = None,
    threads: int | None = None,
    interior_point: bool = False,
    presolve: bool = True,
    objective_cutoff: float | None = None,
) -> MipOutcome:
    """Minimise ``c @ x`` subject to ``row_lower <= a @ x <= row_upper`` and the column bounds.

    ``integer`` marks integral columns (none: an LP, optionally by interior point). ``start`` is a feasible solution used as the incumbent
    (warm start). A time limit stops the search and the bound still proves a gap. ``objective_cutoff``
    prunes every node that cannot go below it (HiGHS's ``objective_bound``): a finished search then
    proves that no solution beats the cutoff except one it returns, whatever bound it reports.
    """
    import highspy

    inf = highspy.kHighsInf
    a = sparse.csc_matrix(a, dtype=float)
    a.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.where(np.isinf(col_upper), inf, col_upper).astype(float)
    lp.row_lower_ = np.where(np.isinf(row_lower), -inf, row_lower).astype(float)
    lp.row_upper_ = np.where(np.isinf(row_upper), inf, row_upper).astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous for f in integer]
    h = _new_highs()
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
    h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    if not presolve:  # our own reductions ran; HiGHS's probing can cost seconds on dense 0/1 columns
        h.setOptionValue("presolve", "off")
    if interior_point:  # for large LP relaxations: interior point without crossover
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
    if threads:
        h.setOptionValue("threads", int(threads))
    if objective_cutoff is not None:
        h.setOptionValue("objective_bound", float(objective_cutoff))
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(np.asarray(start, dtype=float))
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    text = h.modelStatusToString(status)
    optimal = status == highspy.HighsModelStatus.kOptimal
    has_solution = info.primal_solution_status >= 1 or optimal
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if optimal and objective is not None and (bound is None or bound > objective):
        bound = objective
    row_dual = None
    if not np.any(integer) and info.dual_solution_status >= 1:
        row_dual = np.asarray(h.getSolution().row_dual, dtype=float)
    return MipOutcome(x, objective, bound, optimal, text, float(h.getRunTime()), row_dual)
