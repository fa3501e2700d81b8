"""Load test: the dashboard and the busiest list pages for a brigade with 1,000,000 ledger rows.

PostgreSQL (a temporary database on the local server, dropped afterwards), gunicorn on loopback,
and a bounded load generator in this process: ``--users`` concurrent signed-in users requesting
the pages round-robin for ``--seconds``. Prints p50/p95 latency and errors per page and overall.
The server runs with production settings (DEBUG off, as behind the HTTPS proxy of SECURITY.md).
Each page is requested once before the clock starts, as on a server that has been running: the
first dashboard view of a period computes its figures (printed as "cold"), later ones read them
from the shared cache. ``--think S`` makes each user pause 0.5·S–1.5·S seconds between pages like
a person reading; the default 0 is a closed loop, every user asking again at once.

    .venv/bin/python bench/bench_web_load.py [--rows 1000000] [--users 20] [--seconds 60] [--think 0]

Target (issue 9): p95 < 300 ms with 0 errors. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
PAGES = ["/dashboard/?period=2025", "/records/hazards/", "/records/inspections/", "/records/incidents/",
         "/records/activities/", "/records/hazards/?q=单位1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def prepare(db: str, rows: int) -> str:
    """Migrate, generate the rows, make a signed-in session; return its session id."""
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    os.environ["BRIGADE_SECRET_KEY"] = "bench-only"  # the server's key: sessions are signed with it
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_report

    bench_report.setup_django(tempfile.mkdtemp(), keep_database_url=True)
    t0 = time.perf_counter()
    bench_report.generate(rows)
    print(f"generated {rows:,} rows in {time.perf_counter() - t0:.0f} s")
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# As the HTTPS reverse proxy would forward them (production settings redirect plain HTTP).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def server_env(db: str, cache_dir: str) -> dict:
    """Production settings on the bench database, with a cache directory of its own."""
    return {**os.environ, "DATABASE_URL": f"{PG}/{db}", "BRIGADE_DEBUG": "0", "BRIGADE_CACHE_DIR": cache_dir}


def get(conn: http.client.HTTPConnection, page: str, session: str) -> int:
    conn.request("GET", quote(page, safe="/?=&"), headers={"Cookie": f"sessionid={session}", **PROXY_HEADERS})
    response = conn.getresponse()
    response.read()
    return response.status


def worker(port: int, session: str, deadline: float, out: list, lock: threading.Lock, offset: int,
           think: float = 0.0) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    pause = random.Random(offset)
    i = offset
    while time.perf_counter() < deadline:
        page = PAGES[i % len(PAGES)]
        i += 1
        t0 = time.perf_counter()
        try:
            ok = get(conn, page, session) == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            out.append((page, time.perf_counter() - t0, ok))
        if think:
            time.sleep(min(think * pause.uniform(0.5, 1.5), max(deadline - time.perf_counter(), 0)))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's pages (s)")
    args = parser.parse_args()
    db = f"brigade_load_{os.getpid()}"
    psql(f"CREATE DATABASE {db}")
    server = None
    try:
        session = prepare(db, args.rows)
        port = free_port()
        env = server_env(db, tempfile.mkdtemp())
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "brigade.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", "4", "--log-level", "warning"], env=env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for page in PAGES:
            t0 = time.perf_counter()
            status = get(warm, page, session)
            if status != 200:
                raise SystemExit(f"{page} answered {status} before the load started: check the session")
            print(f"first view (cold) {page:<30} {status} {1000 * (time.perf_counter() - t0):8.0f} ms")
        warm.close()
        results: list = []
        lock = threading.Lock()
        deadline = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=worker, args=(port, session, deadline, results, lock, i, args.think))
                   for i in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        mode = f"think {args.think:g} s" if args.think else "closed loop"
        print(f"\n{args.users} users for {args.seconds} s ({mode}), {args.workers} gunicorn workers, PostgreSQL, "
              f"load {os.getloadavg()[0]:.1f}\n")
        print(f"{'page':<36}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
        for page in [*PAGES, "all"]:
            rows = [r for r in results if page == "all" or r[0] == page]
            if not rows:
                print(f"{page:<36}{0:>9}")
                continue
            ms = np.array([r[1] for r in rows]) * 1000
            errors = sum(not r[2] for r in rows)
            print(f"{page:<36}{len(rows):>9}{np.percentile(ms, 50):>9.0f}{np.percentile(ms, 95):>9.0f}{errors:>8}")
        overall = np.percentile(np.array([r[1] for r in results]) * 1000, 95)
        print(f"\ntarget p95 < 300 ms and 0 errors: {'met' if overall < 300 and all(r[2] for r in results) else 'NOT met'}")
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # workers stuck in a long request
                server.kill()
                server.wait()
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


if __name__ == "__main__":
    main()
