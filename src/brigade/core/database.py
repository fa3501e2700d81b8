"""Say in one Chinese line when the configured database cannot be reached."""

import os
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection


class DatabaseUnavailable(Exception):
    """The configured database is missing or unreachable."""


def describe() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"内置 SQLite 数据库 {settings.DATABASES['default']['NAME']}"
    # Hide the password: the line is printed on screen.
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        url = f"{scheme}://***@{rest.split('@', 1)[1]}"
    return f"数据库 {url}"


def ensure_database() -> None:
    """Create the SQLite folder if needed and open one connection, or raise DatabaseUnavailable."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise DatabaseUnavailable(
            f"无法连接{describe()}：{reason}。请检查环境变量 DATABASE_URL 与数据库服务是否已启动。"
        ) from exc


def pending_migrations() -> tuple[bool, int]:
    """(whether the database was ever migrated, how many migrations are not applied yet)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    migrated = executor.recorder.has_table()
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return migrated, len(plan)
