"""Siting models on arrays: same optimum as spopt, reductions keep the optimum, bad input in Chinese."""

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

from brigade.analysis.siting import (
    SitingError,
    UnreachableDemandError,
    coverage_matrix,
    lscp,
    lscp_from_costs,
    mclp,
    mclp_from_costs,
    pmedian,
)
from brigade.analysis.siting.reduce import (
    dominated_cost_columns,
    merge_identical_rows,
    subset_dominated_columns,
    superset_rows,
)


def points_instance(n, m, seed):
    rng = np.random.default_rng(seed)
    d, f = rng.uniform(0, 10, (n, 2)), rng.uniform(0, 10, (m, 2))
    costs = np.linalg.norm(d[:, None] - f[None], axis=2)
    return costs, rng.integers(1, 10, n).astype(float)


def test_siting_imports_without_django():
    code = ("import sys, brigade.analysis.siting, brigade.analysis.siting.hydrants\n"
            "print(','.join(m for m in sys.modules if m.startswith('django') or "
            "(m.startswith('brigade.') and not m.startswith('brigade.analysis'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ------------------------------------------------------------------------------- against spopt

pulp = pytest.importorskip("pulp")
spopt_locate = pytest.importorskip("spopt.locate")
CBC = pulp.PULP_CBC_CMD(msg=False)


def spopt_objective(model):
    return float(pulp.value(model.problem.objective))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mclp_matches_spopt(seed):
    costs, w = points_instance(120, 25, seed)
    ref = spopt_locate.MCLP.from_cost_matrix(costs, w, 2.5, p_facilities=4).solve(CBC)
    res = mclp_from_costs(costs, w, 2.5, 4)
    assert res.status == "optimal" and res.gap == pytest.approx(0, abs=1e-9)
    assert res.objective == pytest.approx(spopt_objective(ref))
    assert sum(res.gains) == pytest.approx(res.objective - res.baseline)


@pytest.mark.parametrize("seed", [4, 5])
def test_mclp_with_existing_stations_matches_spopt_predefined(seed):
    costs, w = points_instance(120, 25, seed)
    pre = np.zeros(25, dtype=int)
    pre[:3] = 1  # the first three columns are existing stations
    ref = spopt_locate.MCLP.from_cost_matrix(costs, w, 2.5, p_facilities=3 + 4, predefined_facilities_arr=pre).solve(CBC)
    res = mclp_from_costs(costs[:, 3:], w, 2.5, 4, existing_costs=costs[:, :3])
    assert res.objective == pytest.approx(spopt_objective(ref))
    assert res.baseline == pytest.approx(w[(costs[:, :3] <= 2.5).any(axis=1)].sum())


@pytest.mark.parametrize("seed", [6, 7, 8])
def test_lscp_matches_spopt(seed):
    costs, _ = points_instance(150, 30, seed)
    radius = 4.0
    ref = spopt_locate.LSCP.from_cost_matrix(costs, radius).solve(CBC)
    res = lscp_from_costs(costs, radius)
    assert res.objective == spopt_objective(ref) and res.status == "optimal"
    assert (costs[:, res.selected] <= radius).any(axis=1).all()


@pytest.mark.parametrize("seed", [9, 10])
def test_pmedian_matches_spopt(seed):
    costs, w = points_instance(80, 15, seed)
    ref = spopt_locate.PMedian.from_cost_matrix(costs, w, p_facilities=3).solve(CBC)
    res = pmedian(costs, w, 3)
    assert res.status == "optimal"
    assert res.objective == pytest.approx(spopt_objective(ref), rel=1e-9)


def test_pmedian_with_existing_matches_spopt_predefined():
    costs, w = points_instance(80, 15, 11)
    pre = np.zeros(15, dtype=int)
    pre[:2] = 1
    ref = spopt_locate.PMedian.from_cost_matrix(costs, w, p_facilities=2 + 3, predefined_facilities_arr=pre).solve(CBC)
    res = pmedian(costs[:, 2:], w, 3, existing_costs=costs[:, :2])
    assert res.objective == pytest.approx(spopt_objective(ref), rel=1e-9)


def sf_data():
    """spopt's own San Francisco example (205 census tracts × 16 stores, network distances)."""
    import pandas as pd
    import spopt

    folder = Path(spopt.__file__).parent / "tests" / "test_locate" / "data"
    path = folder / "SF_network_distance_candidateStore_16_censusTract_205_new.csv"
    if not path.exists():
        pytest.skip("spopt does not ship its example data here")
    df = pd.read_csv(path)
    table = df.pivot_table(index="DestinationName", columns="name", values="distance")
    demand = df.groupby("DestinationName")["demand"].first().reindex(table.index).to_numpy(float)
    return table.to_numpy(float), demand


def test_spopt_example_data_same_optimum():
    costs, demand = sf_data()
    for radius, p in ((5000, 4), (3000, 6)):
        ref = spopt_locate.MCLP.from_cost_matrix(costs, demand, radius, p_facilities=p).solve(CBC)
        assert mclp_from_costs(costs, demand, radius, p).objective == pytest.approx(spopt_objective(ref))
    ref = spopt_locate.LSCP.from_cost_matrix(costs, 8000).solve(CBC)
    assert lscp_from_costs(costs, 8000).objective == spopt_objective(ref)
    ref = spopt_locate.PMedian.from_cost_matrix(costs, demand, p_facilities=4).solve(CBC)
    assert pmedian(costs, demand, 4).objective == pytest.approx(spopt_objective(ref), rel=1e-9)


# ------------------------------------------------------------------------ reductions keep the optimum


def brute_mclp(cov, w, p, base=None):
    cov = np.asarray(cov, bool)
    base = np.zeros(cov.shape[0], bool) if base is None else base
    return max(float(w[base | cov[:, list(s)].any(axis=1)].sum()) for s in itertools.combinations(range(cov.shape[1]), p))


def brute_lscp(cov):
    cov = np.asarray(cov, bool)
    need = cov.any(axis=1)
    if not need.any():
        return 0
    for k in range(1, cov.shape[1] + 1):
        if any(cov[need][:, list(s)].any(axis=1).all() for s in itertools.combinations(range(cov.shape[1]), k)):
            return k
    return 0


def brute_pmedian(costs, w, p):
    return min(float(w @ costs[:, list(s)].min(axis=1)) for s in itertools.combinations(range(costs.shape[1]), p))


cover_instances = st.tuples(st.integers(1, 7), st.integers(1, 6), st.integers(0, 2**31 - 1), st.floats(0.15, 0.7))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cover_instances, st.integers(1, 6))
def test_mclp_reductions_keep_optimum(inst, p):
    n, m, seed, density = inst
    p = min(p, m)
    rng = np.random.default_rng(seed)
    cov = rng.random((n, m)) < density
    cov[rng.integers(0, n), :] = cov[0, :]  # duplicate rows happen on real data
    w = rng.integers(0, 5, n).astype(float)
    base = rng.random(n) < 0.2
    if not cov.any():  # candidates that cover nothing are refused in one sentence
        with pytest.raises(SitingError, match="没有任何候选站点能覆盖"):
            mclp(cov, w, p, existing=base)
        return
    best = brute_mclp(cov, w, p, base)
    # the reduced problem (rows merged, dominated columns removed) has the same optimum ...
    active = ~base & cov.any(axis=1) & (w > 0)
    merged, mw, _ = merge_identical_rows(sparse.csr_matrix(cov[active]), w[active])
    keep = ~subset_dominated_columns(merged) if merged.shape[0] else np.ones(m, bool)
    red = merged.toarray()[:, keep]
    k = min(p, red.shape[1])
    reduced_best = w[base].sum() + (brute_mclp(red, mw, k) if red.shape[0] else 0.0)
    assert reduced_best == pytest.approx(best)
    # ... and the solver finds it, exactly and heuristically bounded
    res = mclp(cov, w, p, existing=base)
    assert res.objective == pytest.approx(best) and len(set(res.selected)) == p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cover_instances)
def test_lscp_reductions_keep_optimum(inst):
    n, m, seed, density = inst
    rng = np.random.default_rng(seed)
    cov = rng.random((n, m)) < density
    if not cov.any():
        with pytest.raises(SitingError, match="没有任何候选站点能覆盖"):
            lscp(cov)
        return
    best = brute_lscp(cov)
    res = lscp(cov)
    assert res.objective == best
    assert sorted(res.uncoverable) == np.flatnonzero(~cov.any(axis=1)).tolist()
    rows = cov.any(axis=1)
    assert cov[rows][:, res.selected].any(axis=1).all()
    merged, _, _ = merge_identical_rows(sparse.csr_matrix(cov[rows]), np.ones(int(rows.sum())))
    if merged.shape[0]:
        keep_rows = ~superset_rows(merged)
        keep_cols = ~subset_dominated_columns(merged)
        assert brute_lscp(merged.toarray()[keep_rows][:, keep_cols]) == best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 7), st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_pmedian_reductions_keep_optimum(n, m, p, seed):
    p = min(p, m)
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 6, (n, m)).astype(float)  # small integers: many ties and dominated columns
    w = rng.integers(0, 4, n).astype(float)
    best = brute_pmedian(costs, w, p)
    keep = ~dominated_cost_columns(costs)
    assert brute_pmedian(costs[:, keep], w, min(p, int(keep.sum()))) == pytest.approx(best)
    assert pmedian(costs, w, p).objective == pytest.approx(best)


def test_subset_domination_keeps_one_of_identical_columns():
    cov = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]], bool))
    assert subset_dominated_columns(cov).tolist() == [False, True, True]


# ------------------------------------------------------------------------------------ behaviour


def test_lscp_reports_uncoverable_demand_instead_of_failing():
    costs = np.array([[1.0, 9.0], [9.0, 1.0], [9.0, 9.0]])
    res = lscp_from_costs(costs, 2.0)
    assert res.objective == 2 and res.uncoverable == [2]


def test_heuristic_only_reports_unknown_gap():
    costs, w = points_instance(60, 12, 3)
    res = mclp_from_costs(costs, w, 2.5, 3, exact=False)
    assert res.status == "heuristic" and res.gap is None and len(res.selected) == 3
    res = pmedian(costs, w, 3, exact=False)
    assert res.status == "heuristic" and res.gap is None


def test_time_limit_returns_a_valid_solution_and_gap():
    costs, w = points_instance(400, 60, 5)
    res = mclp_from_costs(costs, w, 1.5, 6, time_limit_s=0.001)
    assert len(res.selected) == 6 and res.status in ("optimal", "time_limit")
    assert res.gap is None or res.gap >= 0


def test_optimal_curve_is_monotone():
    from brigade.analysis.siting import curve

    costs, w = points_instance(60, 12, 4)
    values = curve("mclp", 4, coverage=coverage_matrix(costs, 2.0), weights=w)
    assert values == sorted(values) and len(values) == 4


def test_pmedian_existing_stations_and_gain_curve():
    costs, w = points_instance(50, 10, 2)
    res = pmedian(costs, w, 2, existing_costs=costs[:, :1] + 5)
    assert res.baseline - sum(res.gains) == pytest.approx(res.objective)
    assert all(g >= 0 for g in res.gains)


# ------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: mclp_from_costs(np.ones((3, 2)), None, 1.0, 3), "大于候选站点数 2"),
        (lambda: pmedian(np.ones((3, 0)), None, 1), "候选站点列表为空"),
        (lambda: mclp(np.zeros((3, 0)), None, 1), "候选站点列表为空"),
        (lambda: pmedian(np.array([[1.0, np.nan]]), None, 1), "缺失值或非数字"),
        (lambda: pmedian(np.array([[1.0, -2.0]]), None, 1), "负值"),
        (lambda: pmedian(np.ones((3, 2)), np.ones(4), 1), "长度 4 与成本矩阵的需求点行数 3 不一致"),
        (lambda: mclp_from_costs(np.ones((3, 2)), None, -1, 1), "服务半径"),
        (lambda: pmedian(np.ones((3, 2)), None, 0), "p=0 无效"),
        (lambda: pmedian(np.ones(3), None, 1), "二维"),
        (lambda: mclp_from_costs(np.full((3, 2), 900.0), None, 600.0, 1), "没有任何候选站点能覆盖任何需求点"),
        (lambda: lscp_from_costs(np.full((3, 2), 900.0), 600.0), "没有任何候选站点能覆盖任何需求点"),
        (lambda: pmedian(np.ones((3, 2)), None, 1, time_limit_s=0), "求解时限 0 秒无效"),
        (lambda: mclp_from_costs(np.ones((3, 2)), None, 2.0, 1, time_limit_s=-5), "求解时限 -5 秒无效"),
        (lambda: lscp_from_costs(np.ones((3, 2)), 2.0, time_limit_s=0), "求解时限 0 秒无效"),
        (lambda: pmedian(np.ones((3, 2)), None, 3), "新建站数 p=3 大于候选站点数 2"),
        (lambda: mclp(np.zeros((4, 3)), None, 2), "没有任何候选站点能覆盖任何需求点"),
    ],
)
def test_bad_input_is_one_chinese_sentence(call, fragment):
    with pytest.raises(SitingError) as err:
        call()
    assert fragment in str(err.value)


def test_unreachable_demand_named():
    costs = np.array([[1.0, 2.0], [np.inf, np.inf], [3.0, np.inf]])
    with pytest.raises(UnreachableDemandError) as err:
        pmedian(costs, None, 1)
    assert err.value.rows == [1] and "第 2 行" in str(err.value)
    # partly reachable rows are fine: the optimum reaches them
    res = pmedian(costs[[0, 2]], None, 1)
    assert res.selected == [0] and res.objective == 4.0


def test_coverage_matrix_is_inclusive_like_spopt():
    assert coverage_matrix(np.array([[1.0, 2.0, 3.0]]), 2.0).toarray().tolist() == [[True, True, False]]
