#!/bin/sh
# Brigade offline installer: installs this bundle into a folder without touching the network.
#   sh install.sh [安装目录]        (default /opt/brigade)
# Layout: <dir>/venv (Python environment), <dir>/assets (front-end files), <dir>/var (database,
# logs, backups), <dir>/brigade.env (settings, kept on upgrade), <dir>/bin/brigade (the command).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-/opt/brigade}
fail() { echo "错误：$*" >&2; exit 2; }

[ -f "$here/bundle.json" ] || fail "安装包不完整：找不到 bundle.json，请重新解压安装包。"
field() { sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p" "$here/bundle.json" | head -n 1; }
machine=$(field machine)
python_version=$(field python)
glibc=$(field glibc)

# The platform and Python the wheels were built for, checked before anything is written.
[ "$(uname -s)" = "Linux" ] || fail "此安装包只适用于 Linux，本机为 $(uname -s)。"
[ "$(uname -m)" = "$machine" ] || fail "此安装包适用于 $machine 平台，本机为 $(uname -m)：请使用 brigade-offline-*-linux-$(uname -m)-*.tar.gz。"
have_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [ -n "$have_glibc" ] && [ "$(printf '%s\n%s\n' "$glibc" "$have_glibc" | sort -V | head -n 1)" != "$glibc" ]; then
    fail "本机 glibc 为 $have_glibc，此安装包至少需要 $glibc（操作系统过旧）。"
fi
python=${PYTHON:-}
for candidate in "python$python_version" python3; do
    [ -n "$python" ] && break
    if command -v "$candidate" >/dev/null 2>&1 &&
        [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$python_version" ]; then
        python=$candidate
    fi
done
[ -n "$python" ] || fail "找不到 Python $python_version：请先安装 python$python_version（含 venv 模块），或用环境变量 PYTHON 指定。"
"$python" -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] == "'"$python_version"'" else 1)' ||
    fail "PYTHON=$python 不是 Python $python_version。"

mkdir -p "$prefix/bin" "$prefix/var/log"
prefix=$(cd "$prefix" && pwd)
echo "安装 Brigade $(field version) 到 $prefix ……"
"$python" -m venv "$prefix/venv" || fail "无法建立 Python 虚拟环境：请安装 python$python_version-venv。"
# --no-index: pip looks at the bundle's wheels only and never at the network.
PIP_CONFIG_FILE=/dev/null "$prefix/venv/bin/python" -m pip install --no-index --find-links "$here/wheels" \
    --disable-pip-version-check -q --upgrade brigade || fail "安装依赖失败（见上方 pip 的输出）。"
rm -rf "$prefix/assets"
cp -R "$here/assets" "$prefix/assets"
[ -d "$here/systemd" ] && cp -R "$here/systemd" "$prefix/"

# Settings: written once, kept on upgrade (they hold the secret key).
if [ ! -f "$prefix/brigade.env" ]; then
    key=$("$prefix/venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
    hosts="127.0.0.1,localhost,$(hostname)"
    for ip in $(hostname -I 2>/dev/null); do hosts="$hosts,$ip"; done
    cat > "$prefix/brigade.env" <<ENV
# Brigade 的运行设置（升级时保留）。改动后重启服务生效。
BRIGADE_DEBUG=0
BRIGADE_SECRET_KEY=$key
# 浏览器访问本系统所用的主机名或 IP，逗号分隔
BRIGADE_ALLOWED_HOSTS=$hosts
# 内网未配置 HTTPS 证书时为 0；放在 HTTPS 反向代理之后时改为 1
BRIGADE_SSL_REDIRECT=0
BRIGADE_VAR_DIR=$prefix/var
BRIGADE_ASSETS_DIR=$prefix/assets
# 改用 PostgreSQL 时取消注释：
# DATABASE_URL=postgres://brigade:口令@127.0.0.1:5432/brigade
ENV
    chmod 600 "$prefix/brigade.env"
fi
cat > "$prefix/bin/brigade" <<WRAP
#!/bin/sh
set -a
. "$prefix/brigade.env"
set +a
exec "$prefix/venv/bin/brigade" "\$@"
WRAP
chmod 755 "$prefix/bin/brigade"

"$prefix/bin/brigade" migrate --noinput -v 0 || fail "数据库初始化失败（见上方输出）。"
echo "安装完成。"
echo "  生成演示大队：$prefix/bin/brigade demo"
echo "  启动服务：    $prefix/bin/brigade serve 0.0.0.0:8000"
echo "  创建管理员：  $prefix/bin/brigade createsuperuser"
echo "  开机自启与每日备份：见 $prefix/systemd/ 下的 systemd 单元文件"
