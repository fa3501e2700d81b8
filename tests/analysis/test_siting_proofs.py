"""Proven optima: p-median by ILS + Lagrangian + branch and bound, MCLP by ILS; checked by brute force."""

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from scipy.sparse.csgraph import shortest_path

from brigade.analysis.siting import mclp, pmedian
from brigade.analysis.siting.local_search import mclp_ils, pmedian_ils
from brigade.analysis.siting.pmedian_exact import lagrangian_bound, pmedian_exact

BENCH = Path(__file__).resolve().parents[2] / "bench"


def graph_costs(n: int, seed: int, extra: int = 2) -> np.ndarray:
    """Shortest paths on a ring plus random chords, integer lengths 1..30 (OR-Library style, tiny)."""
    rng = np.random.default_rng(seed)
    i = np.concatenate([np.arange(n), rng.integers(0, n, extra * n)])
    j = np.concatenate([(np.arange(n) + 1) % n, rng.integers(0, n, extra * n)])
    keep = i != j
    g = sparse.coo_matrix((rng.integers(1, 31, len(i))[keep].astype(float), (i[keep], j[keep])), shape=(n, n))
    g = sparse.csr_matrix((g.data, (np.minimum(g.row, g.col), np.maximum(g.row, g.col))), shape=(n, n))
    g.sum_duplicates()  # a repeated chord just gets longer: still a graph
    return shortest_path(g, directed=False)


def brute_pmedian(c, w, p, fallback=None):
    best = np.inf
    for sel in itertools.combinations(range(c.shape[1]), p):
        near = c[:, sel].min(axis=1)
        if fallback is not None:
            near = np.minimum(near, fallback)
        best = min(best, float(w @ near))
    return best


def brute_mclp(cov, w, p):
    a = np.asarray(cov, bool)
    return max(float(w[a[:, list(sel)].any(axis=1)].sum()) for sel in itertools.combinations(range(a.shape[1]), p))


@pytest.mark.parametrize(("n", "p", "seed"), [(18, 2, 1), (20, 3, 2), (22, 4, 3), (16, 5, 4), (24, 3, 5)])
def test_pmedian_proves_the_brute_force_optimum(n, p, seed):
    c = graph_costs(n, seed)
    w = np.random.default_rng(seed).integers(1, 6, n).astype(float)
    res = pmedian(c, w, p)
    assert res.objective == pytest.approx(brute_pmedian(c, w, p))
    assert res.status == "optimal" and res.gap == 0.0 and res.bound == pytest.approx(res.objective)


def test_pmedian_with_existing_stations_matches_brute_force():
    c = graph_costs(20, 7)
    existing = c[:, [0, 10]] + 3.0  # two stations a little off the network
    res = pmedian(c[:, 1:], None, 3, existing_costs=existing)
    assert res.objective == pytest.approx(brute_pmedian(c[:, 1:], np.ones(20), 3, existing.min(axis=1)))
    assert res.status == "optimal"


def test_branch_and_bound_closes_gaps_the_lagrangian_leaves():
    """Instances where the root bound is below the optimum: the tree search must still prove it."""
    proofs = []
    for seed in range(8):
        c = graph_costs(26, 100 + seed, extra=1)
        w = np.ones(26)
        stats: dict = {}
        sel, obj, bound, status = pmedian_exact(c, w, c.max(axis=1), 3, [0, 1, 2], time_limit_s=30, stats=stats)
        assert obj == pytest.approx(brute_pmedian(c, w, 3)) and status == "optimal" and bound == pytest.approx(obj)
        assert float(w @ c[:, sel].min(axis=1)) == pytest.approx(obj)
        proofs.append(stats.get("proof"))
    assert "branch and bound" in proofs  # the tree search ran (and was right) at least once


def test_lagrangian_bound_never_exceeds_the_optimum():
    for seed in range(5):
        c = graph_costs(20, 200 + seed)
        w = np.random.default_rng(seed).integers(1, 4, 20).astype(float)
        opt = brute_pmedian(c, w, 3)
        lb, _, _ = lagrangian_bound(c, w, c.max(axis=1), 3, opt, w * c.min(axis=1), seconds=2)
        assert lb <= opt + 1e-6 and lb > 0.5 * opt


def test_time_limit_reports_a_valid_bound_and_gap():
    c = graph_costs(40, 11, extra=1)
    res = pmedian(c, None, 3, time_limit_s=1e-3)
    opt = brute_pmedian(c, np.ones(40), 3)
    assert res.objective >= opt - 1e-9 and res.bound <= opt + 1e-9
    if res.status == "time_limit":
        assert res.gap > 0 and res.gap == pytest.approx((res.objective - res.bound) / res.objective)
    else:
        assert res.objective == pytest.approx(opt)


def test_iterated_local_search_reaches_brute_force_optima():
    c = graph_costs(22, 12)
    w = np.ones(22)
    sel, obj = pmedian_ils(c, w, c.max(axis=1), [0, 1, 2], seconds=2)
    assert obj == pytest.approx(brute_pmedian(c, w, 3)) and len(set(sel)) == 3

    rng = np.random.default_rng(3)
    pts, sites = rng.uniform(0, 10, (80, 2)), rng.uniform(0, 10, (14, 2))
    cov = np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.2
    wts = rng.integers(1, 9, 80).astype(float)
    sel, obj = mclp_ils(sparse.csr_matrix(cov), wts, [0, 1, 2, 3], seconds=2)
    assert obj == pytest.approx(brute_mclp(cov, wts, 4)) and len(set(sel)) == 4
    assert obj == pytest.approx(wts[cov[:, sel].any(axis=1)].sum())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mclp_best_swap_is_the_best_of_every_swap(seed):
    """The swap values kept up to date through swaps and kicks are worth what recounting every swap says."""
    from brigade.analysis.siting.local_search import _Cover

    rng = np.random.default_rng(seed)
    cov = sparse.csr_matrix(rng.random((60, 15)) < 0.2, dtype=float)
    dense = cov.toarray() > 0
    wts = rng.integers(1, 9, 60).astype(float)
    sel = [int(j) for j in rng.choice(15, 4, replace=False)]
    state = _Cover(cov, sparse.csr_matrix(cov.T), wts, sel)
    for step in range(12):
        delta, out, into = state.best_swap()
        now = wts[dense[:, sel].any(axis=1)].sum()
        every = {(r, j): wts[dense[:, [k for k in sel if k != r] + [j]].any(axis=1)].sum() - now
                 for r in sel for j in range(15) if j not in sel}
        assert delta == pytest.approx(max(every.values())) and every[(out, into)] == pytest.approx(delta)
        if step % 3 == 2:  # a kick: close two sites, open two others, as the iterated search does
            gone = [int(j) for j in rng.choice(sel, 2, replace=False)]
            new = [int(j) for j in rng.choice([j for j in range(15) if j not in sel], 2, replace=False)]
            for j in gone:
                state.close(j)
            for j in new:
                state.open(j)
            sel = [j for j in sel if j not in gone] + new
        else:
            state.close(out)
            state.open(into)
            sel = [j for j in sel if j != out] + [into]
            assert state.value() == pytest.approx(now + delta)
        assert sorted(state.sel) == sorted(sel)
        assert state.value() == pytest.approx(wts[dense[:, sel].any(axis=1)].sum())


@pytest.mark.parametrize("seed", [1, 2])
def test_merging_returns_the_best_plan_among_the_given_sites_or_nothing(seed):
    """The merged plan is the brute-force best among the union's sites, and only when it beats the incumbent."""
    from brigade.analysis.siting.merge_search import best_in_union, mclp_merge_search

    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 10, (90, 2)), rng.uniform(0, 10, (16, 2))
    cov = np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.2
    wts = rng.integers(1, 9, 90).astype(float)
    union = [int(j) for j in rng.choice(16, 9, replace=False)]
    best = brute_mclp(cov[:, union], wts, 3)
    plan = best_in_union(sparse.csr_matrix(cov, dtype=float), wts, 3, union, best - 1, 10.0)
    assert set(plan) <= set(union) and wts[cov[:, plan].any(axis=1)].sum() == pytest.approx(best)
    assert best_in_union(sparse.csr_matrix(cov, dtype=float), wts, 3, union, best, 10.0) is None
    sel, obj = mclp_merge_search(sparse.csr_matrix(cov), wts, [0, 1, 2], seconds=1.5, seed=seed)
    assert obj == pytest.approx(brute_mclp(cov, wts, 3)) and len(set(sel)) == 3
    assert obj == pytest.approx(wts[cov[:, sel].any(axis=1)].sum())


@pytest.mark.parametrize("seed", [4, 5])
def test_reduced_model_cutoff_finds_a_better_plan_or_proves_there_is_none(seed):
    """HiGHS searches only above the target: at the optimum it returns a plan reaching it, above it it proves none."""
    from brigade.analysis.siting.cover_mip import search_above

    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 10, (70, 2)), rng.uniform(0, 10, (12, 2))
    cov = sparse.csr_matrix(np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.4, dtype=float)
    wts = rng.integers(1, 9, 70).astype(float)
    opt = brute_mclp(cov.toarray(), wts, 3)
    none, must = np.zeros(12, bool), np.zeros(70, bool)
    sel, _, optimal, infeasible = search_above(cov, wts, 3, none, must, opt - 0.5, 20, {})
    assert sel is not None and wts[cov[:, sel].toarray().any(axis=1)].sum() == pytest.approx(opt)
    sel, _, optimal, infeasible = search_above(cov, wts, 3, none, must, opt + 0.5, 20, {})
    assert optimal or infeasible
    assert sel is None or wts[cov[:, sel].toarray().any(axis=1)].sum() < opt + 0.5


def test_mclp_optimum_matches_brute_force():
    rng = np.random.default_rng(9)
    pts, sites = rng.uniform(0, 10, (90, 2)), rng.uniform(0, 10, (13, 2))
    cov = np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.0
    wts = rng.integers(1, 9, 90).astype(float)
    res = mclp(cov, wts, 3)
    assert res.objective == pytest.approx(brute_mclp(cov, wts, 3)) and res.status == "optimal"


def _orlib():
    sys.path.insert(0, str(BENCH))
    try:
        import orlib
    finally:
        sys.path.remove(str(BENCH))
    return orlib


@pytest.mark.parametrize(("name", "n", "p", "proofs"), [
    ("pmed1", 100, 5, ("lagrangian", "reduction", "branch and bound")),
    ("pmed7", 200, 10, ("lagrangian", "reduction", "branch and bound")),
    ("pmed8", 200, 20, ("lagrangian", "reduction", "radius model")),
    ("pmed26", 600, 5, ("lagrangian", "reduction", "branch and bound")),
])
def test_orlibrary_instances_prove_their_published_optimum(name, n, p, proofs):
    """Reading a shipped OR-Library file (last listing of an edge wins) and solving it proves the published value."""
    orlib = _orlib()
    costs, p_file = orlib.read_pmed(orlib.DATA / f"{name}.txt.gz")
    res = pmedian(costs, None, p_file, time_limit_s=30)
    assert costs.shape == (n, n) and p_file == p
    assert res.objective == orlib.optima()[name] and res.status == "optimal" and res.bound == res.objective
    assert res.stats["proof"] in proofs
    assert float(costs[:, res.selected].min(axis=1).sum()) == res.objective  # the plan really costs that


def test_every_shipped_orlibrary_file_matches_its_header():
    """Each shipped file has as many edge lines as its header says and a published optimum to check against."""
    import gzip

    orlib = _orlib()
    files = orlib.available()
    published = orlib.optima()
    assert len(files) >= 39 and len(published) == 40
    for f in files:
        lines = gzip.open(f, "rt").read().splitlines()
        n, edges, p = (int(t) for t in lines[0].split())
        assert len(lines) == edges + 1 and all(len(line.split()) == 3 for line in lines[1:])
        assert f.name.split(".")[0] in published


def test_lagrangian_heuristic_never_claims_better_than_the_optimum():
    for seed in range(4):
        c = graph_costs(24, 300 + seed, extra=1)
        w = np.ones(24)
        stats: dict = {}
        sel, obj, bound, status = pmedian_exact(c, w, c.max(axis=1), 4, [0, 1, 2, 3], time_limit_s=20, stats=stats)
        opt = brute_pmedian(c, w, 4)
        assert status == "optimal" and obj == pytest.approx(opt)
        if "lagrangian_heuristic" in stats:
            assert stats["lagrangian_heuristic"] >= opt - 1e-9


def test_mclp_large_path_is_honest_at_a_tiny_time_limit():
    """Stopped early, the large MCLP path still returns a real plan, a bound no lower than the optimum and its gap."""
    from brigade.analysis.siting.models import _mclp_mip

    rng = np.random.default_rng(21)
    pts, sites = rng.uniform(0, 30, (1500, 2)), rng.uniform(0, 30, (200, 2))
    cov = sparse.csr_matrix(np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 6.5)
    wts = rng.integers(1, 5, 1500).astype(float)
    _, opt, _, status = _mclp_mip(cov, wts, 6, list(range(6)), 60, {})
    assert status == "optimal"
    res = mclp(cov, wts, 6, time_limit_s=0.05)
    assert len(set(res.selected)) == 6
    assert res.objective == pytest.approx(wts[cov[:, res.selected].toarray().any(axis=1)].sum())
    assert res.objective <= opt + 1e-9 and res.bound >= opt - 1e-9
    if res.status == "optimal":
        assert res.objective == pytest.approx(opt) and res.gap == 0.0
    else:
        assert res.status == "time_limit" and res.gap == pytest.approx((res.bound - res.objective) / res.objective)
        assert "未证明最优" in res.as_dict()["status_label"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_mclp_lagrangian_reductions_keep_the_optimum(seed):
    """The reduced model (sites closed/forced, rows forced/ignored by the bound) still proves the optimum."""
    from brigade.analysis.siting.heuristic import mclp_greedy_swap
    from brigade.analysis.siting.mclp_exact import mclp_exact

    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 10, (70, 2)), rng.uniform(0, 10, (12, 2))
    cov = sparse.csr_matrix(np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.4)
    wts = rng.integers(1, 9, 70).astype(float)
    opt = brute_mclp(cov.toarray(), wts, 3)
    start, start_obj = mclp_greedy_swap(cov, wts, 3, max_passes=0)  # a weak start leaves work to do
    stats: dict = {}
    sel, obj, bound, status = mclp_exact(cov, wts, 3, start, start_obj, time_limit_s=20, stats=stats)
    assert status == "optimal" and obj == pytest.approx(opt) and bound == pytest.approx(opt)
    assert wts[cov[:, sel].toarray().any(axis=1)].sum() == pytest.approx(opt)


def test_mclp_lagrangian_bound_is_an_upper_bound():
    from brigade.analysis.siting.mclp_exact import mclp_lagrangian

    rng = np.random.default_rng(5)
    pts, sites = rng.uniform(0, 10, (60, 2)), rng.uniform(0, 10, (11, 2))
    cov = np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.0
    wts = rng.integers(1, 9, 60).astype(float)
    opt = brute_mclp(cov, wts, 3)
    ub, lam, _ = mclp_lagrangian(sparse.csr_matrix(cov), wts, 3, opt - 5, seconds=2)
    assert ub >= opt - 1e-6 and ub <= wts.sum() and (lam >= 0).all()


def test_mclp_large_path_agrees_with_the_plain_mip():
    """Above LAGRANGIAN_NNZ pairs mclp() goes through mclp_exact; HiGHS on the plain model must agree."""
    from brigade.analysis.siting.models import LAGRANGIAN_NNZ, _mclp_mip

    rng = np.random.default_rng(21)
    pts, sites = rng.uniform(0, 30, (1500, 2)), rng.uniform(0, 30, (200, 2))
    cov = sparse.csr_matrix(np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 6.5)
    wts = rng.integers(1, 5, 1500).astype(float)
    res = mclp(cov, wts, 6, time_limit_s=20)
    assert res.stats["nonzeros"] >= LAGRANGIAN_NNZ and "lagrangian_bound" in res.stats
    _, plain, _, status = _mclp_mip(cov, wts, 6, list(range(6)), 60, {})
    assert status == "optimal" and res.status == "optimal" and res.objective == pytest.approx(plain)


def test_many_to_many_matches_dense_dijkstra_within_the_cutoff():
    from brigade.analysis.siting import traveltimes
    from brigade.analysis.siting.traveltimes import many_to_many

    rng = np.random.default_rng(4)
    n = 300
    u, v = rng.integers(0, n, 900), rng.integers(0, n, 900)
    keep = u != v
    g = sparse.csr_matrix((rng.uniform(5, 60, int(keep.sum())), (u[keep], v[keep])), shape=(n, n))
    src = rng.choice(n, 40, replace=False)
    old = traveltimes.SCRATCH_CELLS
    traveltimes.SCRATCH_CELLS = 7 * n  # several batches, as on a large network
    try:
        times = many_to_many(g, src, 120.0)
    finally:
        traveltimes.SCRATCH_CELLS = old
    dense = shortest_path(g, directed=False, indices=src)
    for k in range(len(src)):
        expect = np.where(dense[k] <= 120.0, dense[k], np.inf)
        np.testing.assert_allclose(times.row(k), expect, rtol=1e-6)
        assert times.row(k)[src[k]] == 0.0  # the candidate's own node is kept at time zero
    assert (times.within(60.0).toarray() == (dense <= 60.0)).all()


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_pmedian_with_many_sites_goes_through_the_reduced_radius_model(seed):
    """Above BB_MAX_P new sites HiGHS finishes the reduced radius model: still the brute-force optimum."""
    from brigade.analysis.siting.pmedian_exact import BB_MAX_P

    c = graph_costs(20, seed, extra=1)
    w = np.random.default_rng(seed).integers(1, 4, 20).astype(float)
    p = BB_MAX_P + 1
    stats: dict = {}
    sel, obj, bound, status = pmedian_exact(c, w, c.max(axis=1), p, list(range(p)), time_limit_s=30, stats=stats)
    assert obj == pytest.approx(brute_pmedian(c, w, p)) and status == "optimal" and bound == pytest.approx(obj)
    assert stats.get("proof") in ("lagrangian", "reduction", "radius model")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lp_multipliers_give_the_lp_bound_and_never_cut_off_the_optimum(seed):
    """λ from the LP's row duals: U(λ) equals the LP value and stays above the brute-force optimum."""
    from brigade.analysis.siting.cover_mip import lp_start

    rng = np.random.default_rng(seed)
    pts, sites = rng.uniform(0, 10, (70, 2)), rng.uniform(0, 10, (12, 2))
    cov = np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.2
    wts = rng.integers(1, 9, 70).astype(float)
    stats: dict = {}
    lam, lp_x = lp_start(sparse.csr_matrix(cov, dtype=float), wts, 3, 10.0, stats)
    s = cov.T.astype(float) @ lam
    bound = float(np.maximum(wts - lam, 0).sum() + np.sort(s)[-3:].sum())
    # the LP relaxation itself, solved on its own (simplex)
    n, m = cov.shape
    a = sparse.vstack([sparse.hstack([-sparse.csr_matrix(cov, dtype=float), sparse.identity(n)]),
                       sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))])])
    from brigade.analysis.siting.mip import solve_mip

    lp = solve_mip(np.concatenate([np.zeros(m), -wts]), a, np.concatenate([np.full(n, -np.inf), [3]]),
                   np.concatenate([np.zeros(n), [3]]), np.zeros(m + n), np.ones(m + n), np.zeros(m + n, bool),
                   time_limit_s=10)
    assert (lam >= 0).all() and (lam <= wts).all()
    assert lp_x.shape == (m,) and lp_x.sum() == pytest.approx(3, abs=1e-5)  # the LP opens p sites in all
    assert bound >= brute_mclp(cov, wts, 3) - 1e-6
    assert bound == pytest.approx(-lp.objective, rel=1e-5)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reduced_rows_cover_the_same_weight_for_every_selection(seed):
    """Rows emptied by closed sites dropped and identical rows merged: every selection keeps its value."""
    from brigade.analysis.siting.cover_mip import reduced_rows

    rng = np.random.default_rng(seed)
    base = rng.random((30, 9)) < 0.25
    cov = np.vstack([base, base[:12], np.zeros((3, 9), bool)])  # duplicated and empty rows
    wts = rng.integers(1, 9, len(cov)).astype(float)
    # a must-cover row no site covers never gets here: _prove settles that case first
    must = (rng.random(len(cov)) < 0.2) & cov.any(axis=1)
    merged, mw, must_m = reduced_rows(sparse.csr_matrix(cov, dtype=float), wts, must)
    dense = merged.toarray() > 0
    assert merged.shape[0] < len(cov) and (dense.any(axis=1)).all()
    for sel in itertools.combinations(range(9), 3):
        sel = list(sel)
        assert mw[dense[:, sel].any(axis=1)].sum() == pytest.approx(wts[cov[:, sel].any(axis=1)].sum())
        # a selection leaving a must-cover row uncovered leaves a merged must-cover row uncovered
        assert (must & ~cov[:, sel].any(axis=1)).any() == (must_m & ~dense[:, sel].any(axis=1)).any()


def test_search_on_kept_sites_returns_a_true_value_never_worse_than_the_incumbent():
    from brigade.analysis.siting.mclp_exact import _search_kept

    rng = np.random.default_rng(4)
    pts, sites = rng.uniform(0, 10, (80, 2)), rng.uniform(0, 10, (14, 2))
    cov = sparse.csr_matrix(np.linalg.norm(pts[:, None] - sites[None], axis=2) <= 2.2, dtype=float)
    wts = rng.integers(1, 9, 80).astype(float)
    keep = np.arange(2, 14)  # two sites left out, as if the bound had closed them
    start = [0, 1, 2]
    start_obj = float(wts[cov[:, start].toarray().any(axis=1)].sum())
    sel, obj = _search_kept(cov, wts, 3, start, start_obj, keep, np.zeros(14), np.full(14, 3 / 14), 2.0)
    assert len(set(sel)) == 3 and obj >= start_obj
    assert obj == pytest.approx(wts[cov[:, sel].toarray().any(axis=1)].sum())
    if obj > start_obj:
        assert set(sel) <= set(keep.tolist())
        assert obj == pytest.approx(max(float(wts[cov[:, list(c)].toarray().any(axis=1)].sum())
                                        for c in itertools.combinations(keep.tolist(), 3)))
