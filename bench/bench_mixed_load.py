"""Mixed load: staff signed in with their own roles read, write and download a report, on PostgreSQL.

A temporary PostgreSQL database (dropped afterwards) with ``--rows`` ledger rows from
``bench_report.generate``, gunicorn on loopback with production settings (``bench_web_load``'s:
DEBUG off, requests forwarded as by the HTTPS proxy of SECURITY.md), and ``--users`` threads
in this process, each a member of staff signing in through the login page with their own account
and role, then working through what that role does, pausing ``--think`` seconds between requests:

- 防火监督员 (most users): home page, hazard lists filtered and searched, hazard and inspection
  details, a new inspection and a new hazard through the web forms (CSRF token from the form page),
  an edit of that hazard (with its version), an API list;
- 指挥中心: incident lists and details, dispatches by station, the incidents API, the metrics API;
- 大队领导: the dashboard, major hazards, the metrics API, the work summary .docx for a month;
- 训练宣传干事: activity lists and details, the dashboard, the activities API.

Prints requests, p50, p95 and errors per action (with the first error's status and body) and overall,
the peak number of database sessions, and checks the writes afterwards: every successful POST is in
the database once, and nothing else is.

    .venv/bin/python bench/bench_mixed_load.py [--rows 1000000] [--users 50] [--seconds 60] [--think 0.5-2]
                                               [--ramp 10] [--workers 4] [--threads 4]

Target (issue 10): 0 errors, p95 printed. Only 127.0.0.1 is ever contacted.
"""

import argparse
import http.client
import http.cookies
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import bench_report  # noqa: E402
import bench_web_load  # noqa: E402

PG = bench_web_load.PG
PASSWORD = "mixed-load-password-2025"
MARK = "负载测试"  # in the description / note of every record the load writes
# Share of the users in each role (the rest of the rounding goes to the officers).
ROLE_SHARES = {"command": 0.16, "leader": 0.12, "training": 0.12}
CATEGORIES = ("fire_lane", "evacuation", "flying_wire", "ebike", "facility", "extinguisher", "electrical")
STATUSES = ("found", "ordered", "rectified", "closed")
CODES = "response.alarms,supervision.units_inspected,supervision.hazards_found"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="_version" value="(\d+)"')


# ---- data and accounts ---------------------------------------------------------------------------

def prepare(db: str, rows: int, users: int) -> dict:
    """Migrate, generate the rows, make one account per user; return what the users need to know."""
    os.environ["DATABASE_URL"] = f"{PG}/{db}"
    bench_report.setup_django(tempfile.mkdtemp(), keep_database_url=True)
    t0 = time.perf_counter()
    bench_report.generate(rows)
    print(f"generated {rows:,} rows in {time.perf_counter() - t0:.0f} s")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connections

    from brigade.core.roles import COMMAND, LEADER, SUPERVISION, TRAINING, assign_role
    from brigade.ledger.models import Activity
    from brigade.org.models import Station
    from brigade.response.models import Incident
    from brigade.supervision.models import Hazard, Inspection
    from brigade.units.models import SocialUnit

    roles = {"command": COMMAND, "leader": LEADER, "training": TRAINING}
    counts = {name: max(1, round(users * share)) if users >= 4 else 0 for name, share in ROLE_SHARES.items()}
    plan = [name for name, n in counts.items() for _ in range(n)]
    plan = (["officer"] * max(0, users - len(plan)) + plan)[:users]
    User = get_user_model()
    password = make_password(PASSWORD)  # one Argon2 hash: each account still signs in on its own
    accounts = []
    for i, persona in enumerate(plan):
        user = User.objects.create(username=f"{persona}{i:02d}", password=password)
        assign_role(user, roles.get(persona, SUPERVISION))
        accounts.append((user.username, persona))

    def span(model):
        pks = model.objects.order_by("pk").values_list("pk", flat=True)
        return pks.first(), pks.reverse().first()

    info = {"accounts": accounts, "hazards": span(Hazard), "inspections": span(Inspection),
            "incidents": span(Incident), "activities": span(Activity), "units": span(SocialUnit),
            "stations": list(Station.objects.values_list("pk", flat=True)),
            "kinds": list(Activity.objects.values_list("kind_id", flat=True).distinct())}
    connections.close_all()
    return info


# ---- one member of staff -------------------------------------------------------------------------

@dataclass
class Outcome:
    label: str
    seconds: float
    ok: bool
    at: float = 0.0  # seconds since the load started, when the answer came
    status: int = 0
    detail: str = ""


@dataclass
class Tally:
    """What every user did, under one lock; and the writes that the server said it saved."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: list = field(default_factory=list)
    saved: dict = field(default_factory=lambda: {"inspection": 0, "hazard": 0, "edit": 0})
    resends: int = 0  # requests sent again because the server had closed the idle connection

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def resent(self) -> None:
        with self.lock:
            self.resends += 1

    def wrote(self, kind: str) -> None:
        with self.lock:
            self.saved[kind] += 1


class Staff:
    """One signed-in person: a keep-alive connection, cookies, and the role's round of work."""

    def __init__(self, port: int, username: str, persona: str, info: dict, tally: Tally, think: tuple,
                 start: float, deadline: float, timeout: float, ramp: float, seed: int):
        self.port, self.username, self.persona, self.info = port, username, persona, info
        self.tally, self.think, self.timeout, self.ramp = tally, think, timeout, ramp
        self.start, self.deadline = start, deadline  # perf_counter() when the load starts and stops
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.served = 0  # requests answered on the current connection
        self.my_hazard = None  # (pk) the hazard this user recorded last, edited next
        self.made = 0

    # -- HTTP
    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.conn

    def request(self, label: str, method: str, path: str, fields: dict | None = None,
                expect: int = 200, location: str | None = None) -> tuple[bool, str, str]:
        """One timed request; return (ok, body text, redirect location). Pauses like a person afterwards."""
        # As the HTTPS proxy forwards a browser's request; a form post names the page it came from.
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **bench_web_load.PROXY_HEADERS}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{quote(path, safe='/?=&:,%')}"
        t0 = time.perf_counter()
        status, text, where, problem = 0, "", "", ""
        try:
            response = self._send(method, quote(path, safe="/?=&:,%"), body, headers)
            raw = response.read()
            self.served += 1
            status = response.status
            for header in response.headers.get_all("Set-Cookie") or ():
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            where = response.getheader("Location") or ""
            kind = response.getheader("Content-Type") or ""
            text = raw.decode(errors="replace") if kind.startswith(("text/", "application/json")) else ""
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            self.close()
        seconds = time.perf_counter() - t0
        ok = not problem and status == expect and (location is None or re.fullmatch(location, where) is not None)
        if not ok and not problem:
            problem = f"HTTP {status} {where} " + (first_message(text) or text[:300].replace("\n", " "))
        self.tally.add(Outcome(label, seconds, ok, at=time.perf_counter() - self.start, status=status, detail=problem))
        self.pause()
        return ok, text, where

    def _send(self, method: str, path: str, body, headers) -> http.client.HTTPResponse:
        """Send on the kept-alive connection; if the server had already closed it, send again on a new one.

        gunicorn closes a connection idle for ``--keep-alive`` seconds (2 by default); a browser
        whose request meets such a connection resends it at once, and so does this client. Nothing
        was processed: the server answered no byte. Such resends are counted and printed.
        """
        reused = self.served > 0 and self.conn is not None
        try:
            self._connection().request(method, path, body=body, headers=headers)
            return self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            self.close()
            self.served = 0
            self.tally.resent()
            self._connection().request(method, path, body=body, headers=headers)
            return self.conn.getresponse()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def pause(self) -> None:
        low, high = self.think
        if high > 0:
            time.sleep(min(self.rng.uniform(low, high), max(0.0, self.deadline - time.perf_counter())))

    def get(self, label: str, path: str, **kw) -> tuple[bool, str, str]:
        return self.request(label, "GET", path, **kw)

    def form_post(self, label: str, path: str, fields: dict, location: str) -> tuple[bool, str]:
        """Open the form page, read its CSRF token (and version), post the form; return (ok, redirect)."""
        ok, page, _ = self.get(f"{label}: form", path)
        token = CSRF.search(page) if ok else None
        if token is None:
            return False, ""
        fields = {"csrfmiddlewaretoken": token.group(1), **fields}
        if version := VERSION.search(page):
            fields["_version"] = version.group(1)
        ok, _, where = self.request(f"{label}: save", "POST", path, fields, expect=302, location=location)
        return ok, where

    def pick(self, name: str) -> int:
        lo, hi = self.info[name]
        return self.rng.randint(lo, hi)

    # -- the day's work
    def sign_in(self) -> bool:
        ok, page, _ = self.get("sign in: form", "/login/")
        token = CSRF.search(page) if ok else None
        if token is None:
            return False
        ok, _, _ = self.request("sign in: save", "POST", "/login/", {
            "csrfmiddlewaretoken": token.group(1), "username": self.username, "password": PASSWORD, "next": ""},
            expect=302, location=r"/")
        return ok

    def officer(self):
        rng = self.rng
        yield lambda: self.get("home (worklist)", "/")
        yield lambda: self.get("hazard list: filter", f"/records/hazards/?status={rng.choice(STATUSES)}"
                               f"&category={rng.choice(CATEGORIES)}")
        yield lambda: self.get("hazard list: search", f"/records/hazards/?q=单位{rng.randint(0, 4999)}")
        yield lambda: self.get("hazard detail", f"/records/hazards/{self.pick('hazards')}/")
        yield lambda: self.get("inspection list: period", f"/records/inspections/?period=2025-{rng.randint(1, 12):02d}"
                               "&kind=random")
        yield self.new_inspection_and_hazard
        yield self.edit_hazard
        yield lambda: self.get("inspection detail", f"/records/inspections/{self.pick('inspections')}/")
        yield lambda: self.get("api: hazards", f"/api/hazards/?period=2025-{rng.randint(1, 12):02d}"
                               f"&category={rng.choice(CATEGORIES)}")

    def new_inspection_and_hazard(self):
        day = f"2025-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        self.made += 1
        ok, where = self.form_post("new inspection", "/records/inspections/new/", {
            "unit": self.pick("units"), "inspected_on": day, "kind": "random", "campaign": "", "department": "",
            "note": f"{MARK} {self.username} #{self.made}"}, location=r"/records/inspections/\d+/")
        if not ok:
            return
        self.tally.wrote("inspection")
        inspection = int(where.rstrip("/").rsplit("/", 1)[1])
        ok, _, _ = self.get("inspection detail", where)
        ok, where = self.form_post("new hazard", f"/records/hazards/new/?inspection={inspection}&found_on={day}", {
            "inspection": inspection, "category": self.rng.choice(CATEGORIES), "found_on": day,
            "description": f"{MARK} {self.username} #{self.made}"}, location=r"/records/hazards/\d+/")
        if ok:
            self.tally.wrote("hazard")
            self.my_hazard = int(where.rstrip("/").rsplit("/", 1)[1])

    def edit_hazard(self):
        if self.my_hazard is None:
            return
        ok, _ = self.form_post("edit hazard", f"/records/hazards/{self.my_hazard}/edit/", {
            "category": self.rng.choice(CATEGORIES), "description": f"{MARK} {self.username} #{self.made} 已核实",
            "is_major": ""}, location=rf"/records/hazards/{self.my_hazard}/")
        if ok:
            self.tally.wrote("edit")

    def command(self):
        rng = self.rng
        yield lambda: self.get("incident list: filter", f"/records/incidents/?category={rng.choice(['fire', 'rescue'])}"
                               f"&period=2025-{rng.randint(1, 12):02d}")
        yield lambda: self.get("incident detail", f"/records/incidents/{self.pick('incidents')}/")
        yield lambda: self.get("dispatch list: station", f"/records/dispatches/?station={rng.choice(self.info['stations'])}")
        yield lambda: self.get("incident list: search", f"/records/incidents/?q=B{rng.randint(1, 9999)}")
        yield lambda: self.get("api: incidents", f"/api/incidents/?period=2025-{rng.randint(1, 12):02d}&category=fire")
        yield lambda: self.get("api: metrics", f"/api/metrics/?period=2025-Q{rng.randint(1, 4)}&codes={CODES}")

    def leader(self):
        rng = self.rng
        yield lambda: self.get("dashboard", f"/dashboard/?period={rng.choice(['2025', '2025-H1', '2025-Q3'])}")
        yield lambda: self.get("hazard list: filter", "/records/hazards/?is_major=1")
        yield lambda: self.get("api: metrics", f"/api/metrics/?period=2025-Q{rng.randint(1, 4)}&codes={CODES}")
        yield self.report

    def report(self):
        ok, _, _ = self.get("report .docx", f"/reports/files/docx/?period=2025-{self.rng.randint(1, 12):02d}")

    def training(self):
        rng = self.rng
        yield lambda: self.get("activity list: kind", f"/records/activities/?kind={rng.choice(self.info['kinds'])}")
        yield lambda: self.get("activity detail", f"/records/activities/{self.pick('activities')}/")
        yield lambda: self.get("dashboard", "/dashboard/?period=2025-H1")
        yield lambda: self.get("api: activities", f"/api/activities/?period=2025-{rng.randint(1, 12):02d}")

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.ramp))  # people do not all arrive at the same second
        if not self.sign_in():
            self.close()
            return
        round_of_work = getattr(self, self.persona)
        while time.perf_counter() < self.deadline:
            for step in round_of_work():
                if time.perf_counter() >= self.deadline:
                    break
                step()
        self.close()


def first_message(text: str) -> str:
    """The first Chinese message of an error page or form (the error list), or ''."""
    found = re.search(r'class="(?:errorlist[^"]*|field-error|error-summary)"[^>]*>(.*?)</', text, re.S)
    if found:
        return re.sub(r"<[^>]+>", "", found.group(1)).strip()[:200]
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    return title.group(1).strip()[:200] if title else ""


# ---- the server and the run ----------------------------------------------------------------------

def start_server(db: str, workers: int, threads: int, debug: bool, log: Path) -> tuple[subprocess.Popen, int]:
    """gunicorn with production settings (bench_web_load's), behind a pretend HTTPS proxy."""
    port = bench_web_load.free_port()
    os.environ.setdefault("BRIGADE_SECRET_KEY", secrets.token_urlsafe(50))
    env = bench_web_load.server_env(db, str(log.parent / "cache"))
    if debug:
        env["BRIGADE_DEBUG"] = "1"
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "brigade.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
        env=env, stderr=log.open("wb"))
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/", headers=bench_web_load.PROXY_HEADERS)
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    return server, port


def watch_sessions(db: str, stop: threading.Event, peak: list) -> None:
    """The most connections the server holds on the database at once, and backends of any kind
    (parallel query workers, autovacuum too), sampled every half second."""
    import psycopg

    with psycopg.connect(f"{PG}/{db}", autocommit=True) as con:
        while not stop.wait(0.5):
            clients, backends = con.execute(
                "SELECT count(*) FILTER (WHERE backend_type = 'client backend'), count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (db,)).fetchone()
            peak[0], peak[1] = max(peak[0], clients), max(peak[1], backends)


def max_connections(db: str) -> int:
    import psycopg

    with psycopg.connect(f"{PG}/{db}") as con:
        return int(con.execute("SHOW max_connections").fetchone()[0])


def verify_writes(tally: Tally) -> list[tuple[str, int, int]]:
    """(what, successful POSTs, rows in the database) for every kind of write."""
    from django.db.models import Sum

    from brigade.supervision.models import Hazard, HazardEvent, Inspection

    hazards = Hazard.objects.filter(description__startswith=MARK)
    return [
        ("inspections created", tally.saved["inspection"], Inspection.objects.filter(note__startswith=MARK).count()),
        ("hazards created", tally.saved["hazard"], hazards.count()),
        ("hazard events 'recorded'", tally.saved["hazard"],
         HazardEvent.objects.filter(hazard__in=hazards, kind="recorded").count()),
        # A recorded hazard is version 1, linking it to the closed hazard it repeats adds one, so does each edit.
        ("hazard edits (versions)", tally.saved["edit"],
         (hazards.aggregate(v=Sum("version"))["v"] or 0) - hazards.count()
         - HazardEvent.objects.filter(hazard__in=hazards, kind="recurrence_linked").count()),
        ("hazard edits (change history)", tally.saved["edit"],
         Hazard.history.filter(id__in=hazards.values("pk"), history_type="~",
                               description__contains="已核实").count()),
    ]


def processes() -> dict[int, tuple[str, int, list[str]]]:
    """pid → (command name, parent pid, the rest of /proc/pid/stat) for every process."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        out[int(stat.parent.name)] = (head.split("(", 1)[1], int(fields[1]), fields)
    return out


def cpu_seconds(pid: int | None, *, reaped: bool = False) -> float:
    """CPU time of a process and its children, from /proc; ``reaped`` adds children that have exited
    (PostgreSQL's backends live as long as their connection)."""
    if pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for child, (_, parent, fields) in processes().items():
        if child == pid or parent == pid:
            total += int(fields[11]) + int(fields[12])
            if child == pid and reaped:
                total += int(fields[13]) + int(fields[14])
    return total / tick


def postmaster() -> int | None:
    """The PostgreSQL server's main process when it runs on this machine (a postgres not started by one)."""
    procs = processes()
    return next((pid for pid, (name, parent, _) in procs.items()
                 if name == "postgres" and procs.get(parent, ("",))[0] != "postgres"), None)


def machine_busy() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(ticks) - ticks[3] - ticks[4], sum(ticks)  # idle and iowait are not busy


def report(tally: Tally, args, elapsed: float, peak: list, checks, loads, cpu: dict) -> bool:
    outcomes = tally.outcomes
    labels = sorted({o.label for o in outcomes})
    print(f"\n{args.users} users for {args.seconds} s (signing in over the first {args.ramp:g} s, "
          f"think {args.think} s), {args.rows:,} rows, "
          f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL")
    print(f"load average before {loads[0]}, after {loads[1]}; {os.cpu_count()} CPUs\n")
    print(f"{'action':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    steady = f"all after the first {args.ramp:g} s"
    for label in [*labels, "all", steady]:
        rows = [o for o in outcomes if label == "all" or o.label == label or (label == steady and o.at > args.ramp)]
        if not rows:
            continue
        ms = np.array([o.seconds for o in rows]) * 1000
        errors = [o for o in rows if not o.ok]
        print(f"{label:<34}{len(rows):>9}{np.percentile(ms, 50):>9.0f}{np.percentile(ms, 95):>9.0f}"
              f"{ms.max():>9.0f}{len(errors):>8}")
    busy, total = cpu["machine"]
    print(f"\n{len(outcomes) / elapsed:.1f} requests/s in {elapsed:.0f} s; CPUs busy {100 * busy / max(total, 1):.0f}% "
          f"of the time; CPU seconds used: gunicorn {cpu['server']:.0f}, PostgreSQL (every database on the server) "
          f"{cpu['postgres']:.0f}, load generator {cpu['client']:.0f}, of {elapsed * (os.cpu_count() or 1):.0f}")
    print(f"at most {peak[0]} server connections to PostgreSQL at once ({peak[1]} backends with parallel workers "
          f"and autovacuum; max_connections {cpu['max_connections']}); {tally.resends} requests resent on a "
          "connection the server had closed while idle")
    errors = [o for o in outcomes if not o.ok]
    for label in sorted({o.label for o in errors}):
        first = next(o for o in errors if o.label == label)
        print(f"  first error, {label}: {first.detail[:400]}")
    print("\nwrites, checked in the database afterwards:")
    writes_ok = True
    for what, posted, found in checks:
        agree = posted == found
        writes_ok &= agree
        print(f"  {what:<34} POSTs {posted:>6}  database {found:>6}  {'agree' if agree else 'DIFFER'}")
    signed_in = sum(o.ok for o in outcomes if o.label == "sign in: save")
    met = not errors and writes_ok and signed_in == args.users
    p95 = np.percentile(np.array([o.seconds for o in outcomes]) * 1000, 95)
    print(f"\ntarget: 0 errors, p95 printed ({p95:.0f} ms overall), {signed_in}/{args.users} signed in: "
          f"{'met' if met else 'NOT met'}")
    return met


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    low = float(low)
    return low, float(high) if high else low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", default="0.5-2", help="pause between a user's requests, seconds: 0.5-2, 1 or 0")
    parser.add_argument("--ramp", type=float, default=10, help="users sign in spread over this many seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request, seconds")
    parser.add_argument("--debug", action="store_true", help="BRIGADE_DEBUG=1: error pages show the traceback")
    args = parser.parse_args()
    think = think_range(args.think)
    db = f"brigade_mixed_{os.getpid()}"
    bench_web_load.psql(f"CREATE DATABASE {db}")
    server = None
    log = Path(tempfile.mkdtemp()) / "gunicorn.log"
    try:
        info = prepare(db, args.rows, args.users)
        server, port = start_server(db, args.workers, args.threads, args.debug, log)
        tally = Tally()
        stop, peak = threading.Event(), [0, 0]
        watcher = threading.Thread(target=watch_sessions, args=(db, stop, peak), daemon=True)
        watcher.start()
        loads = [" ".join(f"{x:.2f}" for x in os.getloadavg())]
        start = time.perf_counter()
        deadline = start + args.seconds
        staff = [Staff(port, name, persona, info, tally, think, start, deadline, args.timeout, args.ramp, seed=i)
                 for i, (name, persona) in enumerate(info["accounts"])]
        pg = postmaster()
        busy = machine_busy()
        cpu = {"server": -cpu_seconds(server.pid), "client": -time.process_time(),
               "postgres": -cpu_seconds(pg, reaped=True)}
        threads = [threading.Thread(target=s.run) for s in staff]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        cpu["server"] += cpu_seconds(server.pid)
        cpu["client"] += time.process_time()
        cpu["postgres"] += cpu_seconds(pg, reaped=True)
        cpu["machine"] = [b - a for a, b in zip(busy, machine_busy(), strict=True)]
        cpu["max_connections"] = max_connections(db)
        loads.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
        stop.set()
        watcher.join()
        checks = verify_writes(tally)
        met = report(tally, args, elapsed, peak, checks, loads, cpu)
        server_log = log.read_text(errors="replace").strip()
        if server_log:
            print(f"\ngunicorn said (last lines):\n{server_log[-2000:]}")
        if not met:
            sys.exit(1)
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
        bench_web_load.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")


if __name__ == "__main__":
    main()
