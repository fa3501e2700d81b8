"""Benchmark: many brigades in one PostgreSQL database (issue 20, scale).

Builds two temporary databases on the local PostgreSQL server (dropped afterwards):

- *multi*: ``--brigades`` brigades (the demo detachment's profiles — city, rural, many overdue
  hazards — on Linyi's districts in turn), each with the demo year and the year before;
- *single*: only the first of them, the same records (same seed, same name).

Then, each in its own process so that the caches are cold alike, times on warm runs (the best of
``--repeat``): the first brigade's dashboard figures (``brigade:NAME``) and its work summary
(every metric, the findings, the composed document) in both databases, and their ratio; the
comparison over ``--compare`` brigades (``brigade compare``); the whole database's roll-up (every
metric, scope ``detachment``). Prints rows per table, seconds and ratios.

    .venv/bin/python bench/bench_detachment.py [--brigades 30] [--scale 0.3] [--compare 15] [--repeat 3]

Issue 20's targets, for 150 brigades and 30 million records (``--brigades 150 --generate 3 --scale 12``:
three brigades built record by record, the rest copied in SQL): one brigade's dashboard and summary within 1.3x of a
single-brigade database of its size, the comparison of 15 brigades under 10 s, the roll-up timed.
The default is a modest province that builds in a few minutes; figures in docs/scale.md. Only 127.0.0.1 is contacted.
"""

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
YEAR = 2025


def psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(["psql", f"{PG}/{db}", "-qAt", "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout


def setup_django(db: str) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ["BRIGADE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench_detachment_")
    os.environ["BRIGADE_METRICS_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def plan(n: int) -> list:
    """(profile, name) of each brigade: the demo profiles in turn, on Linyi's districts in turn."""
    from django.conf import settings

    from brigade.demo.detachment import PROFILES

    features = json.loads((Path(settings.BRIGADE_DATA_DIR) / "linyi_districts.geojson").read_text(encoding="utf-8"))
    districts = [f["properties"]["name"] for f in features["features"]]
    out = []
    for i in range(n):
        district = districts[i % len(districts)]
        profile = replace(PROFILES[i % len(PROFILES)], district=district)
        out.append((profile, f"{district}第{i // len(districts) + 1}大队"))
    return out


def build(n: int, scale: float, generate: int = 0) -> dict:
    """``n`` brigades: the first ``generate`` (all when 0) built record by record, the rest copied in SQL."""
    from django.conf import settings
    from django.db import connection, transaction

    from brigade.demo.detachment import build_brigade

    started = time.perf_counter()
    planned = plan(n)
    generate = generate or n
    if n % generate:
        raise SystemExit(f"--brigades {n} is not a multiple of --generate {generate}")
    for profile, name in planned[:generate]:
        with transaction.atomic():
            build_brigade(profile, seed=20, years=[YEAR - 1, YEAR], until=dt.date(YEAR, 12, 31), scale=scale, data_dir=Path(settings.BRIGADE_DATA_DIR), name=name)
    generated = time.perf_counter() - started
    if generate < n:
        from brigade_clone import clone_brigades

        index = {name: i for i, (_, name) in enumerate(planned[:generate])}
        clone_brigades(n // generate - 1, names=lambda source, k: planned[index[source] + generate * k][1],
                       progress=lambda line: print(line, file=sys.stderr))

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"build_s": time.perf_counter() - started, "generate_s": generated, "rows": row_counts()}


def row_counts() -> dict:
    from django.apps import apps

    out = {}
    for label in ("org.Brigade", "org.Street", "units.SocialUnit", "supervision.Inspection", "supervision.Hazard",
                  "supervision.EnforcementAction", "response.Incident", "response.Dispatch", "org.Person",
                  "resources.Vehicle"):
        out[label] = apps.get_model(label).objects.count()
    from brigade_clone import owned_models

    out["every brigade-owned table"] = sum(m.objects.count() for m in owned_models() if not m._meta.auto_created)
    return out


def best(fn, repeat: int) -> float:
    """The best of ``repeat`` runs after a warm-up; ``repeat`` 0: one run, cold (the warm-up itself)."""
    if repeat == 0:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0
    fn()  # warm: column cache, query plans
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def time_one(name: str, repeat: int) -> dict:
    from brigade.core.period import parse_period
    from brigade.core.scope import parse_scope
    from brigade.metrics.registry import compute
    from brigade.reports.service import report_document
    from brigade.web.dashboard import key_figures

    period, scope = parse_period(str(YEAR)), parse_scope(f"brigade:{name}")
    return {"dashboard_s": best(lambda: key_figures(period, scope), repeat),
            "metrics_s": best(lambda: compute(period, scope), repeat),
            "summary_s": best(lambda: report_document(period=period, scope=scope), repeat)}


def time_detachment(n_compare: int, repeat: int, rollup_repeat: int) -> dict:
    from brigade.core.period import parse_period
    from brigade.core.scope import DETACHMENT
    from brigade.metrics.compare import compare_brigades
    from brigade.metrics.registry import compute
    from brigade.org.models import Brigade

    period = parse_period(str(YEAR))
    names = list(Brigade.objects.order_by("pk").values_list("name", flat=True)[:n_compare])
    return {"compare_s": best(lambda: compare_brigades(period, names), max(1, repeat - 1)),
            "compare_n": len(names),
            "rollup_s": best(lambda: compute(period, DETACHMENT), rollup_repeat) if rollup_repeat >= 0 else None}


def explain_one(name: str) -> list[str]:
    """The plan of the dashboard's busiest query for one brigade (for docs/scale.md)."""
    from django.db import connection

    from brigade.core.period import parse_period
    from brigade.core.scope import parse_scope
    from brigade.metrics.registry import Context
    from brigade.supervision.models import Inspection

    ctx = Context(parse_period(str(YEAR)), parse_scope(f"brigade:{name}"))
    qs = ctx.scoped(ctx.between(Inspection.objects.all(), "inspected_on"), street="unit__street")
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT count(*) FROM ({sql}) q", params)
        return [row[0] for row in cursor.fetchall()]


def worker(args) -> None:
    setup_django(args.db)
    out = {}
    if args.build:
        out.update(build(args.build, args.scale, args.generate))
    if args.rows:
        out["rows"] = row_counts()
    if args.time_one:
        out.update(time_one(args.time_one, args.repeat))
        out["plan"] = explain_one(args.time_one)
    if args.time_detachment:  # only in its own phase (--compare has a default for the parent)
        out.update(time_detachment(args.compare, args.repeat, args.rollup_repeat))
    print("RESULT " + json.dumps(out, ensure_ascii=False))


def run_worker(db: str, *extra: str) -> dict:
    cmd = [sys.executable, __file__, "--worker", "--db", db, *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"worker failed: {' '.join(extra)}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brigades", type=int, default=30)
    parser.add_argument("--scale", type=float, default=0.3, help="each brigade's size (1 = a real brigade's year)")
    parser.add_argument("--compare", type=int, default=15, help="brigades in the timed comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rollup-repeat", type=int, default=2,
                        help="timed runs of the whole roll-up after a warm-up (0: one cold run, for a full-size province; "
                             "-1: none)")
    parser.add_argument("--generate", type=int, default=0,
                        help="build this many brigades record by record and copy them in SQL up to --brigades "
                             "(0: build every one); a province at full size is only practical this way")
    parser.add_argument("--keep", action="store_true", help="keep the two databases (names printed)")
    parser.add_argument("--reuse", nargs=2, metavar=("MULTI", "SINGLE"),
                        help="time two databases a --keep run left (no build; --brigades must match)")
    # Internal: one phase in a fresh process.
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--build", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--time-one", help=argparse.SUPPRESS)
    parser.add_argument("--rows", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time-detachment", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    multi, single = args.reuse or (f"bench_det_multi_{os.getpid()}", f"bench_det_single_{os.getpid()}")
    if not args.reuse:
        for db in (multi, single):
            psql(f"CREATE DATABASE {db}")
    try:
        scale = str(args.scale)
        if args.reuse:
            built = run_worker(multi, "--rows")
            built["build_s"] = 0.0
        else:
            built = run_worker(multi, "--build", str(args.brigades), "--scale", scale, "--generate", str(args.generate))
            run_worker(single, "--build", "1", "--scale", scale)
        setup_names = _first_name(args.brigades)
        one_multi = run_worker(multi, "--time-one", setup_names, "--repeat", str(args.repeat))
        one_single = run_worker(single, "--time-one", setup_names, "--repeat", str(args.repeat))
        det = run_worker(multi, "--time-detachment", "--compare", str(args.compare), "--repeat", str(args.repeat),
                         "--rollup-repeat", str(args.rollup_repeat))
        size = psql(f"SELECT pg_size_pretty(pg_database_size('{multi}'))").strip()
        report(args, built, one_multi, one_single, det, size)
    finally:
        if not args.keep and not args.reuse:
            for db in (multi, single):
                psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        else:
            print(f"kept databases {multi} and {single}")


def _first_name(n: int) -> str:
    """The first brigade's name, as ``plan`` gives it (Linyi's first district in the outline file)."""
    path = ROOT / "src" / "brigade" / "demo" / "data" / "linyi_districts.geojson"
    first = json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"]["name"]
    return f"{first}第1大队"


def report(args, built, one_multi, one_single, det, size) -> None:
    rows = built["rows"]
    records = rows["every brigade-owned table"]
    how = f" ({args.generate} generated in {built.get('generate_s', 0):.0f} s, the rest copied)" if args.generate else ""
    print(f"{args.brigades} brigades at scale {args.scale}: {records:,} records ({size}), built in {built['build_s']:.0f} s{how}")
    for label, n in rows.items():
        print(f"  {label:<32}{n:>12,}")
    print()
    print(f"{'one brigade':<34}{'multi DB':>10}{'single DB':>11}{'ratio':>8}")
    for key, label in (("dashboard_s", "dashboard figures (key metrics)"), ("metrics_s", "every metric (summary's figures)"),
                       ("summary_s", "work summary (document)")):
        m, s = one_multi[key], one_single[key]
        print(f"  {label:<32}{m:>9.3f}s{s:>10.3f}s{m / s:>8.2f}")
    print()
    print("  (both summaries run every finding; one brigade's coverage and water on its own roads)")
    print()
    print(f"comparison of {det['compare_n']} brigades: {det['compare_s']:.2f} s (target < 10 s)")
    if det["rollup_s"] is not None:
        cold = " (one cold run)" if args.rollup_repeat == 0 else ""
        print(f"roll-up of every metric over {args.brigades} brigades: {det['rollup_s']:.2f} s{cold}")
    print()
    print("plan of one brigade's inspections of the year (multi DB):")
    for line in one_multi["plan"]:
        print("  " + line)


if __name__ == "__main__":
    main()
