import datetime as dt

from django.conf import settings
from django.db import connection

from brigade.core.backup import backup_database
from brigade.core.commands import BrigadeCommand


class Command(BrigadeCommand):
    help = "备份整个数据库（SQLite 在线备份，PostgreSQL 使用 pg_dump）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--out", help="备份文件路径（默认 var/backups/ 下按时间命名）")

    def handle(self, *args, out, **options):
        if not out:
            folder = settings.VAR_DIR / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            suffix = "sqlite3" if connection.vendor == "sqlite" else "dump"
            out = folder / f"brigade-{dt.datetime.now():%Y%m%d-%H%M%S}.{suffix}"
        path = backup_database(out)
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size / 1024:.0f} KB）。")
