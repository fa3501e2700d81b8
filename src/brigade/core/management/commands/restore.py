from brigade.core.backup import restore_database
from brigade.core.commands import BrigadeCommand


class Command(BrigadeCommand):
    help = "用备份文件恢复整个数据库（会覆盖当前数据，需加 --yes 确认）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="brigade backup 生成的备份文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, *args, file, yes, **options):
        if not yes:
            self.stderr.write("恢复会覆盖当前数据库的全部数据。确认无误后请加 --yes 重新运行。")
            raise SystemExit(2)
        restore_database(file)
        self.stdout.write(f"已从 {file} 恢复数据库。")
