from django.db import connection

from brigade.core.commands import BrigadeCommand
from brigade.core.database import describe


class Command(BrigadeCommand):
    help = "检查数据库能否连接，并显示数据库类型和迁移状态"

    def handle(self, *args, **options):
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        self.stdout.write(f"已连接{describe()}（{connection.vendor}）。")
        if pending:
            self.stdout.write(f"有 {len(pending)} 个数据库迁移尚未执行，请运行：brigade migrate")
        else:
            self.stdout.write("数据库结构为最新。")
