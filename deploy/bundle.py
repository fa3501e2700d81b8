"""Build the offline installation bundle for a government intranet (``make bundle``).

One archive per platform, ``dist/brigade-offline-<version>-linux-<machine>-py3.11.tar.gz``, holds
the project's wheel, a wheel of every runtime dependency for that platform (the versions this
checkout's .venv runs, so the bundle installs what the tests ran against), the front-end files
the pages serve (from node_modules), ``install.sh`` and ``bundle.json`` (platform, Python, the
lowest glibc the wheels need). Building needs the package registry; installing needs nothing.

A dependency with no wheel for the platform is named here, at bundle time, and no archive is
written for that platform.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_VERSION = "3.11"
# manylinux tags pip may take for each machine, oldest first (glibc 2.17 … 2.28 cover the
# distributions brigades run: CentOS 7 era to Kylin V10 / UOS 20 and newer).
PLATFORMS = {
    "x86_64": ["manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_24_x86_64",
               "manylinux_2_26_x86_64", "manylinux_2_27_x86_64", "manylinux_2_28_x86_64"],
    "aarch64": ["manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_24_aarch64",
                "manylinux_2_26_aarch64", "manylinux_2_27_aarch64", "manylinux_2_28_aarch64"],
}
GLIBC_TAG = re.compile(r"manylinux_(\d+)_(\d+)_|manylinux2014_")


class BundleError(Exception):
    """A bundle cannot be built; the message is for the user (Chinese)."""


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pinned_requirements(python: Path) -> list[str]:
    """The runtime requirements at the versions installed in ``python``'s environment."""
    frozen = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=True).stdout
    installed = {}
    for line in frozen.splitlines():
        name, _, version = line.partition("==")
        installed[_normal(name)] = version
    pins = []
    for requirement in project()["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)
        extras = re.match(r"[A-Za-z0-9_.-]+(\[[^\]]+\])?", requirement).group(1) or ""
        version = installed.get(_normal(name))
        pins.append(f"{name}{extras}=={version}" if version else requirement)
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _download(python: Path, requirements: list[str], machine: str, dest: Path) -> subprocess.CompletedProcess:
    command = [str(python), "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
               "--python-version", PYTHON_VERSION, "--implementation", "cp", "-d", str(dest)]
    for tag in PLATFORMS[machine]:
        command += ["--platform", tag]
    return subprocess.run(command + requirements, capture_output=True, text=True)


def download_wheels(python: Path, requirements: list[str], machine: str, dest: Path) -> None:
    """Every requirement and its dependencies as wheels for ``machine``, or BundleError naming the missing."""
    if _download(python, requirements, machine, dest).returncode == 0:
        return
    # Once more one requirement at a time, so that every missing wheel is named, not just the first.
    missing = []
    for requirement in requirements:
        result = _download(python, [requirement], machine, dest)
        if result.returncode:
            found = re.findall(r"No matching distribution found for (\S+)", result.stderr)
            missing.append(found[0] if found else requirement)
    raise BundleError(f"以下依赖没有适用于 Linux {machine}、Python {PYTHON_VERSION} 的 wheel，"
                      f"无法生成该平台的离线安装包：{'、'.join(dict.fromkeys(missing))}")


def lowest_glibc(wheels: Path) -> str:
    """The newest glibc any wheel's manylinux tag asks for (each wheel takes its oldest tag)."""
    need = (2, 17)
    for wheel in wheels.glob("*.whl"):
        versions = [(int(m[0]), int(m[1])) if m[0] else (2, 17) for m in GLIBC_TAG.findall(wheel.name)]
        if versions:
            need = max(need, min(versions))
    return f"{need[0]}.{need[1]}"


def copy_assets(dest: Path) -> None:
    """The front-end libraries' dist folders (and licences) from node_modules, as the settings expect."""
    node_modules = ROOT / "node_modules"
    for name in json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]:
        source = node_modules / name
        if not (source / "dist").is_dir():
            raise BundleError(f"缺少前端文件 node_modules/{name}/dist：请先运行 npm ci（make bundle 会自动运行）")
        shutil.copytree(source / "dist", dest / name / "dist")
        for licence in source.glob("LICEN[SC]E*"):
            shutil.copy2(licence, dest / name / licence.name)


def build(machine: str, out_dir: Path, python: Path) -> Path:
    meta = project()
    version = meta["version"]
    name = f"brigade-offline-{version}-linux-{machine}-py{PYTHON_VERSION}"
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        subprocess.run([str(python), "-m", "pip", "wheel", "--disable-pip-version-check", "--no-deps", "-q",
                        "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
        download_wheels(python, pinned_requirements(python), machine, wheels)
        copy_assets(stage / "assets")
        shutil.copy2(ROOT / "deploy" / "install.sh", stage / "install.sh")
        shutil.copy2(ROOT / "deploy" / "INSTALL.txt", stage / "INSTALL.txt")
        shutil.copytree(ROOT / "docs" / "deploy", stage / "systemd")
        (stage / "bundle.json").write_text(json.dumps({
            "name": "brigade", "version": version, "machine": machine, "python": PYTHON_VERSION,
            "glibc": lowest_glibc(wheels), "wheels": sorted(w.name for w in wheels.glob("*.whl")),
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        out_dir.mkdir(parents=True, exist_ok=True)
        archive = out_dir / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(stage, arcname=name)
    return archive


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="生成内网离线安装包（含全部依赖的 wheel 与前端文件）")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), action="append",
                        help="目标平台，可重复；默认 x86_64 与 aarch64 都生成")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="输出目录，默认 dist/")
    parser.add_argument("--python", type=Path, default=Path(sys.executable),
                        help="取依赖版本的 Python 环境，默认为运行本脚本的 Python")
    args = parser.parse_args(argv)
    failed = False
    for machine in args.platform or sorted(PLATFORMS, reverse=True):
        try:
            archive = build(machine, args.out, args.python)
        except BundleError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed = True
            continue
        print(f"已生成 {archive.relative_to(ROOT) if archive.is_relative_to(ROOT) else archive}"
              f"（{archive.stat().st_size / 2**20:.0f} MB）")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
