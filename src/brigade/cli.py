"""The ``brigade`` console command: Django's management commands with Chinese help.

``brigade demo`` builds the demo brigade, ``brigade serve`` starts the web server; every other
management command (``migrate``, ``createsuperuser`` …) passes through, its help in Chinese.
A database that was never migrated is migrated first; one with upgrades pending is upgraded by
``demo`` and ``serve`` and named, with the command to run, by every other command.
"""

import os
import sys

# Commands that read or change the migration state themselves, or need no tables at all.
NO_MIGRATION_CHECK = {
    "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations", "dbcheck",
    "backup", "restore", "check", "shell", "dbshell", "collectstatic", "findstatic", "diffsettings",
    "version", "sendtestemail", "test", "testserver",
}
# Commands that bring the database up to date themselves: the README's first command must just work.
AUTO_MIGRATE = {"demo", "serve"}


def _print_help() -> None:
    """List every management command of Brigade's own apps with its Chinese help line."""
    from django.core.management import get_commands, load_command_class

    print("用法：brigade <命令> [参数…]    （brigade <命令> --help 查看某个命令的参数）\n")
    print("Brigade 命令：")
    for name, app in sorted(get_commands().items()):
        if app.startswith("brigade."):
            print(f"  {name:<14}{load_command_class(app, name).help}")
    print("\n常用的 Django 命令：migrate（建立或升级数据库）、createsuperuser（创建管理员账号）、")
    print("changepassword（修改密码）。数据库默认为 var/ 下的内置 SQLite；设置 DATABASE_URL 可改用 PostgreSQL。")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    if not argv or argv[0] in ("-h", "--help", "help"):
        _print_help()
        return 0

    from django.core.management import execute_from_command_line

    from brigade.core.database import DatabaseUnavailable, ensure_database

    try:
        ensure_database()
    except DatabaseUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    _chinese_help()
    if argv[0] not in NO_MIGRATION_CHECK:
        _migrate_before_running(argv[0])
    execute_from_command_line(["brigade", *argv])
    return 0


def _chinese_help() -> None:
    """Every command's parser, Django's own included, gets Chinese help (brigade.core.cli_help)."""
    from django.core.management.base import BaseCommand

    from brigade.core.cli_help import chinese_parser

    create_parser = BaseCommand.create_parser
    if getattr(create_parser, "chinese", False):
        return

    def create_chinese_parser(self, prog_name, subcommand, **kwargs):
        return chinese_parser(create_parser(self, prog_name, subcommand, **kwargs), subcommand)

    create_chinese_parser.chinese = True
    BaseCommand.create_parser = create_chinese_parser


def _migrate_before_running(command: str) -> None:
    """Check the migrations once, after the arguments parsed and before the command touches a table."""
    from django.core.management.base import BaseCommand

    execute = BaseCommand.execute
    checked = []

    def execute_when_ready(self, *args, **options):
        if not checked:
            checked.append(command)
            if not _database_ready(command):
                sys.exit(2)
        return execute(self, *args, **options)

    BaseCommand.execute = execute_when_ready


def _database_ready(command: str) -> bool:
    """Migrate a database that never was (or, for demo/serve, one with upgrades pending)."""
    from django.core.management import call_command

    from brigade.core.database import describe, pending_migrations

    migrated, pending = pending_migrations()
    if not pending:
        return True
    if migrated and command not in AUTO_MIGRATE:
        print(f"{describe()} 有 {pending} 项升级尚未执行，请先运行 brigade migrate", file=sys.stderr)
        return False
    what = "升级" if migrated else "建立"
    print(f"正在{what}{describe()}（brigade migrate）……", file=sys.stderr)
    call_command("migrate", interactive=False, verbosity=0)
    return True


if __name__ == "__main__":
    sys.exit(main())
