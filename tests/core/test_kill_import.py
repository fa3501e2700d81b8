"""SIGKILL in the middle of a large import: no partial rows remain, and the database stays sound.

The real server (gunicorn serving ``brigade.wsgi``) runs as a subprocess on a database made for
this test: a SQLite file under ``tmp_path``, or, when ``DATABASE_URL`` names PostgreSQL, a separate
database ``<name>_kill`` created and dropped here, so the pytest-django test database is not touched.
A supervision officer signs in through the login page, uploads a generated inspections workbook
of ``ROWS`` rows, previews it and confirms. As soon as the database shows the import writing rows
that are not yet committed, the whole server process group gets SIGKILL. Then the database is opened
directly: the ledger (and its change history) holds exactly the rows it had before, the database
passes an integrity check, and a second server on the same database imports the same file completely.
"""

import datetime as dt
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROWS = 20_000  # a confirmed import of this many rows takes several seconds on the 2-core machine
UNITS = 200
PASSWORD = "kill-test-password-2025"
TABLES = ("supervision_inspection", "supervision_historicalinspection")
KINDS = ("双随机抽查", "专项检查", "复查")
SEED = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from brigade.org.models import Brigade, Street
from brigade.supervision.models import Inspection
from brigade.units.models import SocialUnit
from brigade.core.roles import SUPERVISION, assign_role

brigade = Brigade.objects.create(name="测试大队")
street = Street.objects.create(brigade=brigade, name="九曲街道")
units = [SocialUnit.objects.create(name=f"测试单位{{i}}", site_category="logistics", street=street)
         for i in range({UNITS})]
for i, unit in enumerate(units[:3]):
    Inspection.objects.create(unit=unit, inspected_on=dt.date(2019, 1, 1 + i), kind="random")
assign_role(get_user_model().objects.create_user("officer", password="{PASSWORD}"), SUPERVISION)
"""


# -- the database under test ---------------------------------------------------------------------


class SQLiteDatabase:
    """The embedded SQLite file the server uses (WAL mode, as in the settings)."""

    def __init__(self, tmp_path: Path):
        self.var_dir = tmp_path / "var"
        self.path = self.var_dir / "brigade.sqlite3"
        self.wal = Path(f"{self.path}-wal")

    def env(self) -> dict:
        env = {**os.environ, "BRIGADE_VAR_DIR": str(self.var_dir)}
        env.pop("DATABASE_URL", None)
        return env

    def _query(self, sql: str) -> list:
        con = sqlite3.connect(self.path, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def counts(self) -> dict[str, int]:
        return {t: self._query(f'SELECT count(*) FROM "{t}"')[0][0] for t in TABLES}

    def before_import(self) -> None:
        """Empty the write-ahead log, so that whatever it holds later was written by the import."""
        busy, _, _ = self._query("PRAGMA wal_checkpoint(TRUNCATE)")[0]
        assert busy == 0, "the idle server still held the database"
        self.wal_start = self.wal.stat().st_size if self.wal.exists() else 0

    def import_writing(self) -> str | None:
        """Uncommitted pages of the import in the log (more than 1 MiB) while readers still see none."""
        grown = (self.wal.stat().st_size if self.wal.exists() else 0) - self.wal_start
        if grown > 1024 * 1024:
            return f"write-ahead log grew by {grown // 1024} KiB of uncommitted pages"
        return None

    def settle(self) -> None:
        pass

    def integrity(self) -> None:
        assert self._query("PRAGMA integrity_check") == [("ok",)]
        assert self._query("PRAGMA foreign_key_check") == []

    def drop(self) -> None:
        pass


class PostgresDatabase:
    """A database ``<name>_kill`` beside the one DATABASE_URL names, created and dropped by the test."""

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        parts = urllib.parse.urlsplit(url)
        self.name = f"{parts.path.lstrip('/') or 'brigade'}_kill"
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')

    def _admin(self, *statements: str) -> None:
        with self.psycopg.connect(self.admin_url, autocommit=True) as con:
            for sql in statements:
                con.execute(sql)

    def _query(self, sql: str, *params) -> list:
        with self.psycopg.connect(self.url, autocommit=True) as con:
            return con.execute(sql, params).fetchall()

    def env(self) -> dict:
        return {**os.environ, "DATABASE_URL": self.url}

    def counts(self) -> dict[str, int]:
        return {t: self._query(f'SELECT count(*) FROM "{t}"')[0][0] for t in TABLES}

    def before_import(self) -> None:
        self.size_start = self._query("SELECT pg_relation_size(%s)", TABLES[0])[0][0]

    def import_writing(self) -> str | None:
        """The ledger's heap holds new, uncommitted tuples, written by a transaction still open."""
        (size,) = self._query("SELECT pg_relation_size(%s)", TABLES[0])[0]
        (open_transactions,) = self._query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL")[0]
        if size - self.size_start > 256 * 1024 and open_transactions:
            return f"ledger heap grew by {(size - self.size_start) // 1024} KiB in an open transaction"
        return None

    def settle(self) -> None:
        """Wait until the killed server's backend has noticed and rolled its transaction back."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            (left,) = self._query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid()")[0]
            if not left:
                return
            time.sleep(0.1)
        raise AssertionError("the killed server's database session did not end")

    def integrity(self) -> None:
        for table, key in zip(TABLES, ("id", "history_id"), strict=True):  # every heap page read back
            (rows, keys) = self._query(f'SELECT count(*), count(DISTINCT "{key}") FROM "{table}"')[0]
            assert rows == keys
        assert self._query("SELECT count(*) FROM pg_prepared_xacts") == [(0,)]

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def database(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    db = PostgresDatabase(url) if url.startswith(("postgres://", "postgresql://")) else SQLiteDatabase(tmp_path)
    yield db
    db.drop()


# -- the server and a signed-in user -------------------------------------------------------------


def brigade(env: dict, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "brigade.cli", *args], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group, so one SIGKILL reaches the master and every worker."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "brigade.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "2", "--timeout", "300", "--log-level", "warning"],
            env={**env, "BRIGADE_DEBUG": "1"}, stdout=subprocess.DEVNULL, stderr=log.open("ab"),
            start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, f"server exited: {self.log_tail()}"
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"server did not answer: {self.log_tail()}"
            time.sleep(0.2)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


class User:
    """A browser's part: cookies, the CSRF token from each form, a multipart upload."""

    def __init__(self, server: Server):
        self.base = server.url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=300) as r:
            return r.read().decode()

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[str, str]:
        """POST the form at ``path`` (its CSRF token read from the page); return the final URL and body."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path)).group(1)
        fields = {"csrfmiddlewaretoken": token, **fields}
        if files:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in fields.items()]
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f'\r\nContent-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": content_type})
        with self.opener.open(request, timeout=300) as r:
            return r.geturl(), r.read().decode()

    def sign_in(self) -> None:
        url, _ = self.post("/login/", {"username": "officer", "password": PASSWORD})
        assert not url.endswith("/login/"), "sign-in refused"

    def preview(self, workbook: bytes) -> str:
        """Upload and preview; return the confirmation token of a clean preview."""
        _, page = self.post("/import/", {"ledger": "inspection"}, {"file": ("检查台账.xlsx", workbook)})
        assert f"共 {ROWS} 行数据：预检通过，确认导入将新增 {ROWS} 条" in page, page[-2000:]
        return re.search(r'name="confirm" value="([0-9a-f]+)"', page).group(1)

    def confirm(self, token: str) -> tuple[str, str]:
        return self.post("/import/", {"confirm": token})


def inspections_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["单位名称*", "检查日期*", "检查类型*", "备注"])
    for i in range(ROWS):
        sheet.append([f"测试单位{i % UNITS}", dt.date(2020, 1, 1) + dt.timedelta(days=i // UNITS),
                      KINDS[i % len(KINDS)], f"断电测试第{i}行"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the test ------------------------------------------------------------------------------------


def test_sigkill_during_import_leaves_no_partial_rows(database, tmp_path):
    env = {**database.env(), "DJANGO_SETTINGS_MODULE": "brigade.settings"}
    brigade(env, "migrate", "--noinput", "-v", "0")
    brigade(env, "shell", "-c", SEED)
    workbook = inspections_workbook()
    before = database.counts()
    assert before[TABLES[0]] == 3

    server = Server(env, tmp_path / "server-1.log")
    try:
        user = User(server)
        user.sign_in()
        token = user.preview(workbook)
        database.before_import()

        outcome: dict = {}

        def confirm():
            try:
                outcome["response"] = user.confirm(token)
            except (OSError, urllib.error.URLError) as exc:  # the server died under the request
                outcome["error"] = exc

        request = threading.Thread(target=confirm, daemon=True)
        request.start()
        started = time.monotonic()
        deadline = started + 120
        evidence = None
        while evidence is None:
            assert request.is_alive(), f"the import finished before it could be interrupted: {outcome}"
            assert time.monotonic() < deadline, f"no sign of the import writing: {server.log_tail()}"
            evidence = database.import_writing()
            if evidence is None:
                time.sleep(0.05)
        # Readers still see only committed rows: the import is mid-way, in its one transaction.
        assert database.counts() == before
        assert request.is_alive(), "the import finished while its progress was being checked"
        server.kill()
        print(f"SIGKILL {time.monotonic() - started:.1f} s after the confirmation: {evidence}")
    finally:
        server.stop()
    request.join(timeout=30)
    assert "response" not in outcome, "the killed server still answered the import"

    database.settle()
    assert database.counts() == before, f"partial rows left after SIGKILL ({evidence})"
    database.integrity()

    second = Server(env, tmp_path / "server-2.log")
    try:
        user = User(second)
        user.sign_in()
        url, page = user.confirm(user.preview(workbook))
        assert url.endswith("/records/inspections/"), page[-2000:]
        assert f"导入完成，新增 {ROWS} 条" in page
    finally:
        second.stop()
    assert database.counts() == {t: n + ROWS for t, n in before.items()}
    database.integrity()
