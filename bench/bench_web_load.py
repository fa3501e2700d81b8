"""Load test: the dashboard and the busiest list pages for a brigade with 1,000,000 ledger rows.

PostgreSQL (a temporary database on the local server, dropped afterwards), gunicorn on loopback,
and a bounded load generator in this process: ``--users`` concurrent signed-in users requesting
the pages round-robin for ``--seconds``. Prints p50/p95 latency and errors per page and overall.

    .venv/bin/python bench/bench_web_load.py [--rows 1000000] [--users 20] [--seconds 60]

Target (issue 9): p95 < 300 ms with 0 errors. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import os
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


def worker(port: int, session: str, deadline: float, out: list, lock: threading.Lock, offset: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.perf_counter() < deadline:
        page = PAGES[i % len(PAGES)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", quote(page, safe="/?=&"), headers={"Cookie": f"sessionid={session}"})
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            out.append((page, time.perf_counter() - t0, ok))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    db = f"brigade_load_{os.getpid()}"
    psql(f"CREATE DATABASE {db}")
    server = None
    try:
        session = prepare(db, args.rows)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": f"{PG}/{db}", "BRIGADE_DEBUG": "1"}
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "brigade.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", "4", "--log-level", "warning"], env=env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        results: list = []
        lock = threading.Lock()
        deadline = time.perf_counter() + args.seconds
        threads = [threading.Thread(target=worker, args=(port, session, deadline, results, lock, i))
                   for i in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"\n{args.users} users for {args.seconds} s, {args.workers} gunicorn workers, PostgreSQL\n")
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
