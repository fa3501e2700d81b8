"""`make bundle`'s archive installs with no network and runs: demo, production server, a page fetch.

Building the bundle downloads the platform's wheels from the package registry (as `make bundle`
does); installing it runs in a network namespace with no interface but loopback, so pip and the
installed copy cannot reach anything. The installed copy uses its own embedded database, so this
runs once, in the SQLite pass of CI.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.deploy.server import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                       reason="安装包自带内置 SQLite，与所测数据库无关：只在 SQLite 一轮运行"),
]


def _bundle_module():
    spec = importlib.util.spec_from_file_location("bundle", ROOT / "deploy" / "bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _offline(command: list[str]) -> list[str]:
    """``command`` in a network namespace of its own (loopback only), where this machine allows one."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-n", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "offline", *command]
    return command


def _clean_env(**extra) -> dict:
    """No project settings from the test run, no npm on PATH, every proxy pointing nowhere."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRIGADE_", "DATABASE_", "DJANGO_", "PIP_", "PYTHON", "VIRTUAL_ENV"))}
    dead = "http://127.0.0.1:9"
    env.update(PATH="/usr/sbin:/usr/bin:/sbin:/bin", PIP_INDEX_URL=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead,
               http_proxy=dead, https_proxy=dead, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
               PYTHON=sys._base_executable, **extra)
    return env


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    bundle = _bundle_module()
    archive = bundle.build("x86_64", out, Path(sys.executable))
    assert archive.name == f"brigade-offline-{bundle.project()['version']}-linux-x86_64-py3.11.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    return out / archive.name.removesuffix(".tar.gz")


def test_bundle_holds_every_wheel_and_the_front_end(bundle_dir):
    meta = json.loads((bundle_dir / "bundle.json").read_text(encoding="utf-8"))
    assert meta["machine"] == "x86_64" and meta["python"] == "3.11"
    wheels = {name.split("-")[0].lower() for name in meta["wheels"]}
    for needed in ("brigade", "django", "numpy", "scipy", "shapely", "highspy", "gunicorn", "whitenoise", "psycopg_binary"):
        assert needed in wheels
    assert (bundle_dir / "assets" / "leaflet" / "dist" / "leaflet.js").is_file()
    assert (bundle_dir / "assets" / "chart.js" / "dist" / "chart.umd.js").is_file()
    assert (bundle_dir / "systemd" / "brigade.service").is_file()


def test_installed_offline_it_builds_the_demo_and_serves_it(bundle_dir, tmp_path):
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        pytest.skip("x86_64 的安装包只能在 x86_64 Linux 上安装")
    prefix = tmp_path / "brigade"
    installed = subprocess.run(_offline(["sh", str(bundle_dir / "install.sh"), str(prefix)]), env=_clean_env(),
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "安装完成" in installed.stdout
    command = str(prefix / "bin" / "brigade")
    demo = subprocess.run(_offline([command, "demo", "--scale", "0.1"]), env=_clean_env(),
                          capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "演示登录" in demo.stdout

    # Server and client in one namespace: started, fetched from, then stopped with SIGTERM.
    script = ('"$1" serve 127.0.0.1:$PORT > "$2" 2>&1 & pid=$!; "$3" -c "$4"; rc=$?; '
              'kill -TERM $pid; wait $pid; echo "server-exit=$?"; exit $rc')
    log = tmp_path / "serve.log"
    result = subprocess.run(_offline(["sh", "-c", script, "serve", command, str(log), sys._base_executable, _PROBE]),
                            env=_clean_env(BRIGADE_WORKERS="2", PORT=str(free_port())),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr + log.read_text()
    pages = json.loads(result.stdout.splitlines()[0])
    assert pages["login"][0] == 200 and "登录" in pages["login"][1]
    assert pages["leaflet"] == [200] and pages["css"] == [200]
    assert result.stdout.splitlines()[-1] == "server-exit=0", log.read_text()
    assert "生产模式：gunicorn 2 个工作进程" in log.read_text()
    assert (prefix / "var" / "brigade.sqlite3").is_file() and (prefix / "var" / "log" / "access.log").is_file()


# Waits for the server in the same namespace and fetches a page and two static files.
_PROBE = """
import json, os, time, urllib.request
def get(path):
    with urllib.request.urlopen("http://127.0.0.1:" + os.environ["PORT"] + path, timeout=10) as r:
        return [r.status, r.read().decode("utf-8", "replace")[:4000]]
for _ in range(300):
    try:
        get("/login/"); break
    except OSError:
        time.sleep(0.3)
print(json.dumps({"login": get("/login/"), "leaflet": get("/static/vendor/leaflet/leaflet.js")[:1],
                  "css": get("/static/web/brigade.css")[:1]}))
"""


def test_a_bundle_for_another_platform_refuses_in_one_chinese_line(bundle_dir, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(bundle_dir, other, ignore=shutil.ignore_patterns("wheels"))
    meta_path = other / "bundle.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "machine": "aarch64"}, ensure_ascii=False, indent=1), encoding="utf-8")
    prefix = tmp_path / "brigade"
    result = subprocess.run(["sh", str(other / "install.sh"), str(prefix)], env=_clean_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"错误：此安装包适用于 aarch64 平台，本机为 {os.uname().machine}：请使用 "
        f"brigade-offline-*-linux-{os.uname().machine}-*.tar.gz。"]
    assert not prefix.exists()

    meta_path.write_text(json.dumps({**meta, "python": "3.9"}, ensure_ascii=False, indent=1), encoding="utf-8")
    result = subprocess.run(["sh", str(other / "install.sh"), str(prefix)], env=_clean_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Python 3.9" in result.stderr and not prefix.exists()


def test_a_missing_wheel_is_named_when_the_bundle_is_built(tmp_path):
    bundle = _bundle_module()
    with pytest.raises(bundle.BundleError) as caught:
        bundle.download_wheels(Path(sys.executable), ["PyYAML>=6,<7", "numpy==0.0.1"], "aarch64", tmp_path)
    assert str(caught.value).startswith("以下依赖没有适用于 Linux aarch64、Python 3.11 的 wheel")
    assert str(caught.value).endswith("：numpy==0.0.1")
