"""The ``brigade`` console command: Django's management commands with Chinese help.

``brigade demo`` builds the demo brigade, ``brigade serve`` starts the web server; every other
management command (``migrate``, ``createsuperuser`` …) passes through unchanged.
"""

import os
import sys


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
    execute_from_command_line(["brigade", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
