"""``brigade serve``: Django's development server that first prints the address and the demo login."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from brigade.demo.accounts import DEMO_ACCOUNTS
from brigade.demo.generator import DEMO_PASSWORD, DEMO_USERNAME, demo_exists


class Command(RunserverCommand):
    help = "启动 Brigade 网页服务（默认 http://127.0.0.1:8000/），并显示演示账号"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.description = self.help

    def inner_run(self, *args, **options):
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        if host == "0":
            host = "0.0.0.0"
        self.stdout.write(f"Brigade 消防救援大队业务管理与分析系统已启动：http://{host}:{self.port}/")
        self.stdout.write(f"管理后台：http://{host}:{self.port}/admin/")
        try:
            has_demo = demo_exists()
        except Exception:  # database not migrated yet: runserver itself will say so
            has_demo = False
        if has_demo:
            roles = "、".join(name for name, _, _ in DEMO_ACCOUNTS)
            self.stdout.write(f"演示账号：{DEMO_USERNAME} / {DEMO_PASSWORD}（仅供演示）；"
                              f"各角色账号 {roles}，密码相同")
        self.stdout.write("按 Ctrl+C 停止服务。\n")
        super().inner_run(*args, **options)
