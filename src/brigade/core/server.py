"""The production web server: gunicorn running Brigade's WSGI application in this process.

``brigade serve`` uses it when ``BRIGADE_DEBUG=0``. Gunicorn's arbiter owns the signals: SIGTERM
(systemd's stop) and SIGINT finish the requests in flight and exit with status 0; SIGHUP reloads.
"""

from django.conf import settings
from gunicorn.app.base import BaseApplication


class BrigadeServer(BaseApplication):
    """Gunicorn configured from Brigade's settings instead of a gunicorn.conf.py."""

    def __init__(self, bind: str):
        self.bind = bind
        super().__init__()

    def load_config(self):
        log_dir = settings.LOG_DIR
        log_dir.mkdir(parents=True, exist_ok=True)
        # WhiteNoise also serves collected files from here (brigade collectstatic); it must exist.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        options = {
            "bind": self.bind,
            "workers": settings.BRIGADE_SERVER_WORKERS,
            # Long requests exist (a year's report, a 20,000-row import): a generous worker timeout.
            "timeout": settings.BRIGADE_SERVER_TIMEOUT_SECONDS,
            "graceful_timeout": 30,
            "accesslog": str(log_dir / "access.log"),
            "errorlog": str(log_dir / "error.log"),
            "proc_name": "brigade",
            # A worker is restarted after this many requests, so slow leaks never accumulate.
            "max_requests": 2000,
            "max_requests_jitter": 200,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self):
        from brigade.wsgi import application

        return application


def run_production_server(bind: str) -> None:
    """Serve until SIGTERM/SIGINT; returns when gunicorn has stopped its workers."""
    BrigadeServer(bind).run()
