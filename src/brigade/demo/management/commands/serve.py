"""``brigade serve``: the web server, with the address and the demo login printed first.

With ``BRIGADE_DEBUG=1`` (the default) it is Django's development server, which reloads on code
changes; with ``BRIGADE_DEBUG=0`` it is gunicorn (brigade.core.server), which serves the static
files itself (WhiteNoise) and writes its logs under var/log/.
"""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from brigade.demo.accounts import DEMO_ACCOUNTS
from brigade.demo.generator import DEMO_PASSWORD, DEMO_USERNAME, demo_exists


class Command(RunserverCommand):
    help = ("启动 Brigade 网页服务（默认 http://127.0.0.1:8000/），并显示演示账号；"
            "BRIGADE_DEBUG=0 时以生产服务器 gunicorn 运行")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.description = self.help

    def _address(self) -> str:
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        return f"{'0.0.0.0' if host == '0' else host}:{self.port}"

    def _announce(self) -> None:
        address = self._address()
        self.stdout.write(f"Brigade 消防救援大队业务管理与分析系统已启动：http://{address}/")
        self.stdout.write(f"管理后台：http://{address}/admin/")
        try:
            has_demo = demo_exists()
        except Exception:  # database not migrated yet: the server itself will say so
            has_demo = False
        if has_demo:
            roles = "、".join(name for name, _, _ in DEMO_ACCOUNTS)
            self.stdout.write(f"演示账号：{DEMO_USERNAME} / {DEMO_PASSWORD}（仅供演示）；"
                              f"各角色账号 {roles}，密码相同")

    def run(self, **options):
        if settings.DEBUG:
            return super().run(**options)
        from brigade.core.server import run_production_server

        self._announce()
        self.stdout.write(f"生产模式：gunicorn {settings.BRIGADE_SERVER_WORKERS} 个工作进程，"
                          f"日志写入 {settings.LOG_DIR}/。按 Ctrl+C 或发送 SIGTERM 停止服务。\n")
        self.stdout.flush()
        run_production_server(self._address())

    def inner_run(self, *args, **options):
        self._announce()
        self.stdout.write("开发模式（BRIGADE_DEBUG=1）。按 Ctrl+C 停止服务。\n")
        super().inner_run(*args, **options)
