"""Siting proofs benchmark: time to a proven optimum, against HiGHS on the plain model and spopt (PuLP + CBC).

Sections (each prints a table; "-" means the tool did not finish within its cap, which is shown):

1. OR-Library p-median (``bench/data/orlib``, published optima): Brigade's time to proof per
   instance, HiGHS on the classic model (x_j, y_ij <= x_j, Σ_j y_ij = 1) and spopt's PMedian;
   with ``--generated`` also instances built like pmed21–pmed40 (no published optimum).
2. City-scale MCLP: every intersection of a generated city (``bench/city.py``) is demand and
   candidate, great-circle metres, radius 600 m, p = 10, 50, 100: the values the iterated local
   search and the merge search (ILS + solution merging) reach within 10 s, Brigade's result
   (proven or with its certified gap), HiGHS on the plain MCLP model and spopt's MCLP.
   2b. The same on real points: the distinct locations of San Francisco's fire calls of December
   2016 (the shipped test file), weighted by their incidents, p = 10, 30, 60.
3. Many-to-many travel times: 2,000 candidates × a 100,000-node road grid within 4 minutes, cold
   and from a cached copy, against scipy's unlimited Dijkstra (what spopt users do to build the
   cost matrix), measured on 50 candidates and scaled.

Every competitor runs in a child process killed at its cap, so a stuck solver (or a model that takes
minutes just to build) cannot hold the run. Each time is shown as wall seconds and CPU seconds of
that process (all its threads): on a shared machine the wall time is pessimistic, CPU time is what
the solver itself used. ``--quick`` keeps it to a few minutes.

Run: ``.venv/bin/python bench/bench_siting_proofs.py [--quick] [--pmed LIST] [--city-p LIST] [--cap SECONDS]
[--no-spopt] [--no-highs] [--skip SECTION] [--generated]``. ``--pmed`` selects OR-Library instances by
number (``1-40`` is the default, ``16,26,31,35`` or ``1-10,16``); a selected instance whose file is not
shipped runs on a generated stand-in of the same size and p (``pmed26~``: no published optimum).
"""

import argparse
import multiprocessing as mp
import os
import pickle
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from functools import partial

import numpy as np
from scipy import sparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_siting import district  # noqa: E402
from brigade.analysis.siting import mclp, pmedian  # noqa: E402
from brigade.analysis.siting.geo import coverage_within_m  # noqa: E402
from brigade.analysis.siting.heuristic import mclp_greedy_swap  # noqa: E402
from brigade.analysis.siting.local_search import mclp_ils  # noqa: E402
from brigade.analysis.siting.merge_search import mclp_merge_search  # noqa: E402
from brigade.analysis.siting.mip import solve_mip  # noqa: E402
from brigade.analysis.siting.traveltimes import NodeTimes, many_to_many  # noqa: E402
from city import call_locations, city_intersections  # noqa: E402
from orlib import DATA, available, like_pmed, optima, read_pmed  # noqa: E402

LIMIT_S = 60.0  # Brigade's time limit per instance (the target)
RADIUS_M = 600.0
CITY_P = (10, 50, 100)
CALLS_P = (10, 30, 60)


# ------------------------------------------------------------------------------ capped children


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads included (HiGHS runs threads)."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _child(queue, fn, args):
    try:
        c0 = cpu_seconds()
        out = fn(*args)
        queue.put(("ok", (out, cpu_seconds() - c0)))
    except Exception as exc:  # noqa: BLE001 - report any failure of a competitor as its result
        queue.put(("error", repr(exc)))


def capped(fn, args, cap: float):
    """(wall seconds, (result, CPU seconds)) of fn(*args) in a child process, or (None, None) past ``cap``."""
    queue = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_child, args=(queue, fn, args))
    t0 = time.perf_counter()
    proc.start()
    proc.join(cap)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return None, None
    took = time.perf_counter() - t0
    kind, value = queue.get() if not queue.empty() else ("error", "no result")
    return (took, value) if kind == "ok" else (None, value)


# ---------------------------------------------------------------------------------- competitors


def highs_pmedian(c, p, cap):
    """The classic p-median model for HiGHS: min Σ c_ij y_ij, Σ_j y_ij = 1, y_ij <= x_j, Σ x = p."""
    n, m = c.shape
    nv = m + n * m
    y = m + np.arange(n * m).reshape(n, m)
    ii = np.repeat(np.arange(n), m)
    rows = [np.repeat(np.arange(n), m), n + np.arange(n * m), n + np.arange(n * m), np.full(m, n + n * m)]
    cols = [y.ravel(), y.ravel(), np.tile(np.arange(m), n), np.arange(m)]
    vals = [np.ones(n * m), np.ones(n * m), -np.ones(n * m), np.ones(m)]
    a = sparse.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n + n * m + 1, nv))
    lo = np.concatenate([np.ones(n), np.full(n * m, -np.inf), [p]])
    hi = np.concatenate([np.ones(n), np.zeros(n * m), [p]])
    cost = np.concatenate([np.zeros(m), c[ii, np.tile(np.arange(m), n)]])
    out = solve_mip(cost, a, lo, hi, np.zeros(nv), np.ones(nv), np.concatenate([np.ones(m, bool), np.zeros(n * m, bool)]),
                    time_limit_s=cap)
    return out.objective, out.bound, out.optimal


def highs_mclp(cov, w, p, cap):
    """The plain MCLP model for HiGHS: max Σ w_i y_i, y_i <= Σ_j a_ij x_j, Σ x = p (no reductions, no start)."""
    n, m = cov.shape
    a = sparse.hstack([-sparse.csr_matrix(cov, dtype=float), sparse.identity(n, format="csr")])
    a = sparse.vstack([a, sparse.hstack([sparse.csr_matrix(np.ones((1, m))), sparse.csr_matrix((1, n))])]).tocsc()
    out = solve_mip(np.concatenate([np.zeros(m), -w]), a, np.concatenate([np.full(n, -np.inf), [p]]),
                    np.concatenate([np.zeros(n), [p]]), np.zeros(m + n), np.ones(m + n),
                    np.concatenate([np.ones(m, bool), np.zeros(n, bool)]), time_limit_s=cap)
    return (None if out.objective is None else -out.objective), (None if out.bound is None else -out.bound), out.optimal


def spopt_pmedian(c, p, cap):
    import pulp
    from spopt.locate import PMedian

    model = PMedian.from_cost_matrix(c, np.ones(c.shape[0]), p_facilities=p)
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=cap), results=False)
    return float(pulp.value(model.problem.objective)), pulp.LpStatus[model.problem.status]


def spopt_mclp(dist, w, p, cap):
    import pulp
    from spopt.locate import MCLP

    model = MCLP.from_cost_matrix(dist, w, RADIUS_M, p_facilities=p)
    model.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=cap), results=False)
    return float(pulp.value(model.problem.objective)), pulp.LpStatus[model.problem.status]


def brigade_pmedian(c, p):
    res = pmedian(c, None, p, time_limit_s=LIMIT_S)
    return res.objective, res.bound, res.status, res.stats.get("proof", "")


def ten_seconds(search, cov, w, p):
    """Covered weight a heuristic search reaches from the greedy plan within 10 s (greedy included)."""
    t0 = time.perf_counter()
    start, _ = mclp_greedy_swap(cov, w, p)
    return search(cov, w, start, seconds=10.0 - (time.perf_counter() - t0))[1]


def brigade_mclp(cov, w, p):
    res = mclp(cov, w, p, time_limit_s=LIMIT_S)
    return res.objective, res.bound, res.status, res.gap


# --------------------------------------------------------------------------------------- tables


def fmt_s(seconds, cap):
    return f">{cap:.0f}" if seconds is None else f"{seconds:.2f}"


def ratio(other, ours, cap):
    if ours is None or ours <= 0:
        return "-"
    return f">{cap / ours:.1f}x" if other is None else f"{other / ours:.1f}x"


def section_pmed(names_costs, cap, with_spopt, with_highs, published):
    head = (f"{'instance':<10}{'n':>5}{'p':>5}{'published':>10}{'brigade':>9}{'status':>10}{'proof':>18}"
            f"{'wall s':>8}{'cpu s':>7}{'HiGHS wall':>11}{'cpu s':>7}{'HiGHS obj':>10}{'spopt s':>9}"
            f"{'vs HiGHS':>9}{'vs spopt':>9}")
    print(head)
    print("-" * len(head))
    rows = []
    for name, c, p in names_costs:
        t, res = capped(brigade_pmedian, (c, p), LIMIT_S * 2 + 30)
        (obj, _, status, proof), cpu = res if res else ((None, None, "failed", ""), None)
        ht = hcpu = hobj = None
        if with_highs:
            ht, hres = capped(highs_pmedian, (c, p, cap), cap + 30)
            if hres:
                (hobj, _, hopt), hcpu = hres
                if not hopt:
                    ht = None  # stopped at its limit: no proof
        st = None
        if with_spopt:
            st, sres = capped(spopt_pmedian, (c, p, cap), cap + 30)
            if sres and sres[0][1] != "Optimal":
                st = None
        pub = published.get(name)
        shown_t = t if status == "optimal" else None
        print(f"{name:<10}{c.shape[0]:>5}{p:>5}{'-' if pub is None else f'{pub:g}':>10}"
              f"{'-' if obj is None else f'{obj:g}':>9}{status:>10}{proof:>18}{fmt_s(shown_t, LIMIT_S):>8}"
              f"{'-' if cpu is None else f'{cpu:.1f}':>7}"
              f"{(fmt_s(ht, cap) if with_highs else 'skip'):>11}{'-' if hcpu is None else f'{hcpu:.1f}':>7}"
              f"{'-' if hobj is None else f'{hobj:g}':>10}"
              f"{(fmt_s(st, cap) if with_spopt else 'skip'):>9}{(ratio(ht, shown_t, cap) if with_highs else '-'):>9}"
              f"{(ratio(st, shown_t, cap) if with_spopt else '-'):>9}", flush=True)
        rows.append((name, status, shown_t, cpu, obj, pub))
    proven = [r for r in rows if r[1] == "optimal"]
    wrong = [r[0] for r in rows if r[5] is not None and r[4] is not None and abs(r[4] - r[5]) > 1e-6]
    print(f"proven within {LIMIT_S:.0f} s: {len(proven)} of {len(rows)}"
          + (f"; slowest {max(proven, key=lambda r: r[2])[0]} {max(r[2] for r in proven):.1f} s wall" if proven else "")
          + (f"; DIFFERENT FROM PUBLISHED: {', '.join(wrong)}" if wrong else ""))
    return rows


def section_city(points, ps, cap, with_spopt, with_highs):
    """``points``: (what they are, longitudes, latitudes, weights); each is demand and candidate."""
    what, lon, lat, w = points
    t0 = time.perf_counter()
    cov = coverage_within_m(lon, lat, lon, lat, RADIUS_M)
    t_cov = time.perf_counter() - t0
    print(f"{len(lon)} {what}, total weight {w.sum():g}, {cov.nnz:,} coverage pairs within {RADIUS_M:g} m "
          f"(great-circle, built in {t_cov:.2f} s)")
    head = (f"{'p':>5}{'ILS<=10s':>10}{'merge<=10s':>11}{'cpu s':>6}{'brigade':>9}{'bound':>10}{'gap %':>8}{'status':>12}"
            f"{'wall s':>8}{'cpu s':>7}{'HiGHS obj':>10}{'HiGHS bound':>12}{'gap %':>7}{'HiGHS s':>9}{'spopt s':>9}")
    print(head)
    print("-" * len(head))
    dist = None
    for p in ps:
        _, res = capped(ten_seconds, (partial(mclp_ils, max_stale=10**9), cov, w, p), 60)
        ils = res[0] if isinstance(res, tuple) else float("nan")  # a failed child reports its error text
        _, res = capped(ten_seconds, (mclp_merge_search, cov, w, p), 60)
        merged, c_merge = res if isinstance(res, tuple) else (float("nan"), float("nan"))
        t, res = capped(brigade_mclp, (cov, w, p), LIMIT_S * 2 + 30)
        (obj, bound, status, gap), cpu = res if res else ((None, None, "failed", None), None)
        ht, hobj, hbound, hopt = None, None, None, False
        if with_highs:
            ht, hres = capped(highs_mclp, (cov, w, p, cap), cap + 60)
            (hobj, hbound, hopt), _ = hres if hres else ((None, None, False), None)
        hgap = None if hobj is None or hbound is None else max(0.0, hbound - hobj) / max(hobj, 1e-9)
        st = None
        if with_spopt:
            if dist is None:
                from brigade.analysis.network import haversine_m

                dist = haversine_m(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
            st, sres = capped(spopt_mclp, (dist, w, p, cap), cap + 30)
            if sres and sres[0][1] != "Optimal":
                st = None
        print(f"{p:>5}{ils:>10g}{merged:>11g}{c_merge:>6.1f}{'-' if obj is None else f'{obj:g}':>9}"
              f"{'-' if bound is None else f'{bound:.1f}':>10}{'-' if gap is None else f'{100 * gap:.3f}':>8}"
              f"{status:>12}{fmt_s(t, LIMIT_S):>8}{'-' if cpu is None else f'{cpu:.1f}':>7}"
              f"{'-' if hobj is None else f'{hobj:g}':>10}"
              f"{'-' if hbound is None else f'{hbound:.1f}':>12}{'-' if hgap is None else f'{100 * hgap:.2f}':>7}"
              f"{(fmt_s(ht if hopt else None, cap) if with_highs else 'skip'):>9}"
              f"{(fmt_s(st, cap) if with_spopt else 'skip'):>9}", flush=True)


def section_times(n_cand: int, side: int):
    graph = district(side, seed=7)
    rng = np.random.default_rng(1)
    src = rng.choice(graph.shape[0], n_cand, replace=False)
    t0 = time.perf_counter()
    times = many_to_many(graph, src, 240.0)
    cold = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:  # the cache stores the same pickled arrays
        path = os.path.join(tmp, "times.pkl")
        with open(path, "wb") as fh:
            pickle.dump(asdict(times), fh, protocol=pickle.HIGHEST_PROTOCOL)
        t0 = time.perf_counter()
        with open(path, "rb") as fh:
            NodeTimes(**pickle.load(fh))
        warm = time.perf_counter() - t0
        size = os.path.getsize(path)
    from scipy.sparse.csgraph import dijkstra

    sample = src[:50]
    t0 = time.perf_counter()
    dijkstra(graph, directed=False, indices=sample)
    full = (time.perf_counter() - t0) * n_cand / len(sample)
    print(f"{n_cand:,} candidates x {graph.shape[0]:,} nodes within 240 s: {times.pairs:,} pairs, cold {cold:.2f} s, "
          f"from cache {warm:.2f} s ({size / 1e6:.0f} MB); scipy unlimited Dijkstra (dense cost matrix, "
          f"{n_cand * graph.shape[0] * 8 / 1e9:.1f} GB) ~{full:.1f} s scaled from {len(sample)} -> "
          f"{full / cold:.1f}x slower than cold, {full / warm:.0f}x than cached")


def pmed_numbers(spec: str) -> list[int]:
    """"1-40", "16,26,31,35" or "1-10,16" -> instance numbers in order."""
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip().lower().removeprefix("pmed")
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return list(dict.fromkeys(k for k in out if 1 <= k <= 40))


# n and p of every OR-Library instance, for stand-ins of files not shipped (from PROVENANCE.md's table)
def orlib_sizes() -> dict[str, tuple[int, int]]:
    sizes = {}
    for line in (DATA / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("pmed") and cells[1].isdigit() and cells[2].isdigit():
            sizes[cells[0]] = (int(cells[1]), int(cells[2]))
    return sizes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pmed1, 6, 11, 16; city p=10; smaller caps")
    parser.add_argument("--pmed", default=None, help="OR-Library instances, e.g. 1-40 (default), 16,26,31,35")
    parser.add_argument("--city-p", default=None, help="city MCLP p values, e.g. 10,50,100 (default)")
    parser.add_argument("--cap", type=float, default=None, help="seconds allowed to HiGHS-plain and spopt per case")
    parser.add_argument("--generated", action="store_true", help="also pmed-like generated instances n=500..900")
    parser.add_argument("--no-spopt", action="store_true", help="skip spopt (its model building is slow)")
    parser.add_argument("--no-highs", action="store_true", help="skip HiGHS on the plain models")
    parser.add_argument("--skip", action="append", default=[], choices=["pmed", "city", "calls", "times"],
                        help="leave out a section (repeatable)")
    args = parser.parse_args(argv)
    cap = args.cap or (60.0 if args.quick else 120.0)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} (figures are shared-machine figures)")

    if "pmed" not in args.skip:
        print(f"\n1. OR-Library p-median (time to proof; Brigade limit {LIMIT_S:.0f} s)")
        numbers = pmed_numbers(args.pmed or ("1,6,11,16" if args.quick else "1-40"))
        shipped = {f.name.split(".")[0]: f for f in available()}
        sizes = orlib_sizes()
        cases = []
        for k in numbers:
            name = f"pmed{k}"
            if name in shipped:
                c, p = read_pmed(shipped[name])
                cases.append((name, c, p))
            elif name in sizes:  # not shipped: a generated instance of the same size stands in
                n, p = sizes[name]
                cases.append((f"{name}~", like_pmed(n, p, n + p), p))
        if args.generated and not args.quick:
            for n, p in ((500, 5), (600, 5), (700, 5), (800, 5), (900, 5), (600, 60), (900, 90)):
                cases.append((f"gen{n}p{p}", like_pmed(n, p, n + p), p))
        section_pmed(cases, cap, not args.no_spopt, not args.no_highs, optima())
        print(f"(shipped: {', '.join(sorted(shipped, key=lambda s: int(s[4:])))} in {DATA}; "
              "~ = generated stand-in of the same n and p, no published optimum)")

    if "city" not in args.skip:
        print("\n2. City-scale MCLP (5,000 intersections, radius 600 m)")
        ps = [int(x) for x in args.city_p.split(",")] if args.city_p else (CITY_P[:1] if args.quick else CITY_P)
        lon, lat = city_intersections(5000, seed=1)
        section_city(("intersections of a generated city", lon, lat, np.ones(len(lon))), ps, cap,
                     not args.no_spopt and not args.quick, not args.no_highs)

    if "calls" not in args.skip:
        print("\n2b. MCLP on real call locations (San Francisco, December 2016, weighted by incidents, radius 600 m)")
        lon, lat, w = call_locations()
        section_city(("call locations", lon, lat, w), CALLS_P[:1] if args.quick else CALLS_P, cap,
                     not args.no_spopt and not args.quick, not args.no_highs)

    if "times" not in args.skip:
        print("\n3. Many-to-many travel times for siting")
        section_times(2000, 317)
    return 0


if __name__ == "__main__":
    sys.exit(main())
