"""The ``brigade`` console command: Django's management commands with Chinese help.

``brigade demo`` builds the demo brigade, ``brigade serve`` starts the web server; every other
management command (``migrate``, ``createsuperuser`` …) passes through unchanged.
"""

import os
import sys

# Our own commands, listed in the help in this order; each module's ``help`` is the Chinese line.
OWN_COMMANDS = ("demo", "serve", "dbcheck")


def _print_help() -> None:
    from django.core.management import load_command_class

    print("用法：brigade <命令> [参数…]    （brigade <命令> --help 查看某个命令的参数）\n")
    print("常用命令：")
    for name in OWN_COMMANDS:
        app = "brigade.core"
        cmd = load_command_class(app, name)
        print(f"  {name:<12}{cmd.help}")
    print("  migrate     创建或升级数据库结构")
    print("  createsuperuser  创建管理员账号")
    print("\n数据库：默认使用 var/ 下的内置 SQLite；设置环境变量 DATABASE_URL 可改用 PostgreSQL。")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brigade.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    import django

    django.setup()
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
    execute_from_command_line(["brigade", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
