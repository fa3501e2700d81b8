"""Backup and restore of the whole database: SQLite's online backup, or pg_dump / pg_restore."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db import connection

from brigade.core.errors import UserError
from brigade.core.files import atomic_output


class BackupError(UserError):
    pass


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_args() -> list[str]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"], "--username", s.get("USER") or "postgres"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    return args


def _pg_env() -> dict[str, str]:
    password = connection.settings_dict.get("PASSWORD")
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def _run(tool: str, args: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"找不到 PostgreSQL 工具 {tool}，请安装 postgresql-client。")
    result = subprocess.run([tool, *args], capture_output=True, text=True, env=_pg_env())
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["未知错误"])[0]
        raise BackupError(f"{tool} 执行失败：{first}")


def backup_database(path: str | Path) -> Path:
    """Write a consistent copy of the database to ``path`` (no partial file on failure)."""
    path = Path(path)
    with atomic_output(path) as tmp:
        if _is_sqlite():
            connection.ensure_connection()
            target = sqlite3.connect(tmp)
            try:
                connection.connection.backup(target)  # online: readers and writers may go on
            finally:
                target.close()
        else:
            _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(tmp), *_pg_args()])
    return path


def restore_database(path: str | Path) -> None:
    """Replace the database's content with a backup made by ``backup_database``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件“{path}”不存在。")
    if _is_sqlite():
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"“{path}”不是 SQLite 备份文件（当前数据库为 SQLite）。")
        source = sqlite3.connect(path)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        with open(path, "rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise BackupError(f"“{path}”不是 PostgreSQL 备份文件（当前数据库为 PostgreSQL）。")
        connection.close()
        _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", *_pg_args(), str(path)])


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a content checksum of every model table, to compare before and after."""
    result = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.local_concrete_fields)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT {columns} FROM {connection.ops.quote_name(table)} ORDER BY {pk}")
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_normalise(v) for v in row)).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result


def _normalise(value):
    # Both engines hand back the same Python types except JSON (text in SQLite, dict in PostgreSQL).
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value
