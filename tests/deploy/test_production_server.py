"""`brigade serve` with BRIGADE_DEBUG=0: gunicorn, static files served by itself, logs, clean stop."""

import os
import secrets
import subprocess
import sys

from tests.deploy.server import fetch, free_port, stop, wait_until_serving


def test_production_server_serves_pages_and_static_files_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "BRIGADE_DEBUG": "0", "BRIGADE_SECRET_KEY": secrets.token_urlsafe(50),
           "BRIGADE_SSL_REDIRECT": "0", "BRIGADE_VAR_DIR": str(tmp_path), "BRIGADE_WORKERS": "2"}
    env.pop("DATABASE_URL", None)  # a never-migrated embedded database: serve migrates it first
    process = subprocess.Popen([sys.executable, "-m", "brigade.cli", "serve", f"127.0.0.1:{port}"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/login/")
        status, body, headers = fetch(f"http://127.0.0.1:{port}/login/")
        assert status == 200 and "登录" in body.decode()
        assert headers["Server"].startswith("gunicorn")
        assert "Strict-Transport-Security" not in headers  # plain-HTTP intranet: no HSTS
        status, body, headers = fetch(f"http://127.0.0.1:{port}/static/web/brigade.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css") and len(body) > 1000
        status, _, _ = fetch(f"http://127.0.0.1:{port}/static/vendor/leaflet/leaflet.js")
        assert status == 200
        assert fetch(f"http://127.0.0.1:{port}/static/web/no-such-file.css")[0] == 404
    finally:
        code = stop(process)
    output = process.stdout.read()
    assert code == 0, output
    assert "生产模式：gunicorn 2 个工作进程" in output
    assert "正在建立内置 SQLite 数据库" in output
    access = (tmp_path / "log" / "access.log").read_text()
    assert '"GET /login/ HTTP/1.1" 200' in access and '"GET /static/web/brigade.css HTTP/1.1" 200' in access
    assert "Shutting down" in (tmp_path / "log" / "error.log").read_text()


def test_production_start_without_a_secret_key_is_refused(tmp_path):
    env = {**os.environ, "BRIGADE_DEBUG": "0", "BRIGADE_SECRET_KEY": "", "BRIGADE_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "brigade.cli", "serve", "127.0.0.1:1"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "配置错误：生产环境（BRIGADE_DEBUG=0）必须通过环境变量 BRIGADE_SECRET_KEY 设置密钥。"
    assert not (tmp_path / "log").exists()
