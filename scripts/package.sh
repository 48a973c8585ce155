#!/usr/bin/env bash
# The Debian package as a bureau's IT department meets it: `cargo deb` builds it from the
# binary the tests built (with the man page and bash completion written by that binary),
# `dpkg -i` installs it, and then, as the unit file says (containers run no systemd), the
# service user initialises the database, serves it, a sign-in works over HTTP, and the nightly
# backup script writes its file. Removing the package keeps the data. Run as root (CI); called
# by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
target="$(cd "$target" && pwd)"
bin="$target/debug/jixiao"
fail() { echo "package: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "package: not root, the .deb is built but not installed"; }

command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --version 3.8.0
[ -x "$bin" ] || cargo build -p jixiao --locked

mkdir -p "$root/target/package"
"$bin" man > "$root/target/package/jixiao.1"
"$bin" completions bash > "$root/target/package/jixiao.bash"
rm -f "$root"/target/package/*.deb
cargo deb -p jixiao --locked --no-build --profile dev --no-strip \
  --output "$root/target/package/" >/dev/null
deb=$(ls "$root"/target/package/jixiao_*.deb)
echo "package: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --contents "$deb" | awk '{print $6}' > "$root/target/package/contents.txt"
for path in ./usr/bin/jixiao ./etc/jixiao/jixiao.toml ./usr/lib/jixiao/backup \
  ./usr/share/man/man1/jixiao.1.gz ./usr/share/bash-completion/completions/jixiao \
  ./usr/share/doc/jixiao/deploy.md; do
  grep -qx "$path" "$root/target/package/contents.txt" || fail "$path is not in the package"
done
grep -q 'systemd/system/jixiao.service$' "$root/target/package/contents.txt" || fail "no jixiao.service"
grep -q 'systemd/system/jixiao-backup.timer$' "$root/target/package/contents.txt" || fail "no jixiao-backup.timer"
[ "$(id -u)" = 0 ] || exit 0

# Installed as a bureau installs it.
dpkg -i "$deb" >/dev/null
id jixiao >/dev/null || fail "no jixiao user"
[ "$(stat -c %U:%G /var/lib/jixiao)" = jixiao:jixiao ] || fail "/var/lib/jixiao is not the service user's"
[ "$(stat -c %a /etc/jixiao/jixiao.toml)" = 640 ] || fail "the settings are readable by others"
/usr/bin/jixiao --version | grep -q "提交" || fail "--version names no commit"

# The unit's command, as its user, on a free port.
as_service() { runuser -u jixiao -- env JIXIAO_CONFIG=/etc/jixiao/jixiao.toml "$@"; }
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
password=$(as_service /usr/bin/jixiao --json init --bureau "安装测试市财政局" | field password)
[ -n "$password" ] || fail "jixiao init printed no password"
port=$((20000 + RANDOM % 30000))
log=$(mktemp)
as_service JIXIAO_LISTEN="127.0.0.1:$port" /usr/bin/jixiao serve >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/login" >/dev/null 2>&1 && break
  sleep 0.2
done
jar=$(mktemp)
answer=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/session") \
  || { cat "$log" >&2; fail "the administrator cannot sign in"; }
echo "$answer" | grep -q '"must_change_password":true' || fail "a one-time password must be changed: $answer"
csrf=$(echo "$answer" | field csrf_token)
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -X PUT -H 'Content-Type: application/json' \
  -H "X-CSRF-Token: $csrf" -d "{\"old_password\":\"$password\",\"new_password\":\"安装后的新密码2026\"}" \
  "http://127.0.0.1:$port/api/v1/session/password")
[ "$code" = 204 ] || fail "changing the one-time password answered $code"
curl -fsS -b "$jar" "http://127.0.0.1:$port/api/v1/forms" | grep -q '"forms"' || fail "the signed-in administrator cannot list forms"
kill $server; wait $server 2>/dev/null || true
trap - EXIT

# The nightly backup, as the timer runs it.
as_service /usr/lib/jixiao/backup >/dev/null
ls /var/lib/jixiao/backups/jixiao-*.backup >/dev/null || fail "the backup script wrote no backup"

# Removing the package keeps the bureau's data.
dpkg --purge jixiao >/dev/null
[ -f /var/lib/jixiao/jixiao.db ] || fail "removing the package removed the data"
rm -rf /var/lib/jixiao
echo "package: installed, initialised, served, signed in, backed up, removed (data kept)"
