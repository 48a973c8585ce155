#!/usr/bin/env bash
# Makes testdata/db/v0001.db: a SQLite database created and used by the release whose schema is
# migration 0001 only, for the upgrade tests (crates/cli/tests/reliability.rs). Run once, by
# hand; the file is committed. Needs git, cargo, curl, jq and sqlite3.
#
#   bash scripts/make-upgrade-fixture.sh [COMMIT]
#
# COMMIT (default 525d582, the last commit before migration 0002) is checked out in a temporary
# worktree and its `jixiao` is built. That binary then does what users of the release did:
# `serve --demo` (the demo region with its imported forms), and over the JSON API a filer saves
# a form twice and attaches evidence, asks for confirmation of another, and its unit head
# confirms it. The server is stopped with SIGTERM and the database copied with VACUUM INTO (one
# file, no WAL).
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-525d582}
out=testdata/db/v0001.db
for tool in git cargo curl jq sqlite3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  git worktree remove --force "$work/src" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git worktree add --detach "$work/src" "$rev" >/dev/null
ls "$work/src/crates/store/migrations/sqlite"
# The same target directory as this checkout: only the workspace crates are rebuilt.
cargo build -q -p jixiao --manifest-path "$work/src/Cargo.toml" --target-dir "${CARGO_TARGET_DIR:-$PWD/target}"
cp "${CARGO_TARGET_DIR:-$PWD/target}/debug/jixiao" "$work/jixiao-$rev"
# The old workspace crates were built under the same names as this checkout's: throw them
# away so the next build here does not take them for its own.
cargo clean -q --target-dir "${CARGO_TARGET_DIR:-$PWD/target}" \
  -p jixiao-core -p jixiao-grid -p jixiao-flat -p jixiao-read -p jixiao-recognize -p jixiao-write -p jixiao-pdf -p jixiao-store -p jixiao-app -p jixiao-web -p jixiao

db="$work/live.db"
"$work/jixiao-$rev" serve --demo --addr 127.0.0.1:0 --database "sqlite:$db" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 600); do
  grep -q '绩效系统已启动' "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^绩效系统已启动：\(http:[^ ]*\)\/$/\1/p' "$work/serve.out")
[ -n "$base" ] || { cat "$work/serve.err" >&2; exit 1; }
password() { awk -v n="$1" '$1 == "账号" && $2 == n { print $4 }' "$work/serve.out"; }

# login NAME → sets $jar and $csrf
login() {
  jar="$work/$1.cookies"
  csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' \
    -d "$(jq -n --arg u "$1" --arg p "$(password "$1")" '{username: $u, password: $p}')" \
    "$base/api/v1/session" | jq -r .csrf_token)
}
api() { # METHOD PATH [BODY]
  curl -sf -b "$jar" -X "$1" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
    ${3:+-d "$3"} "$base/api/v1$2"
}

login tianbao2
forms=$(api GET '/forms?kind=project_self_evaluation')
first=$(jq '.forms[0].id' <<<"$forms")
second=$(jq '.forms[1].id' <<<"$forms")
for note in "升级前的第一次修改" "升级前的第二次修改"; do
  shown=$(api GET "/forms/$first")
  body=$(jq --arg n "$note" '{version: .version, form: (.form | .overall_target.actual = $n)}' <<<"$shown")
  api PUT "/forms/$first" "$body" >/dev/null
done
printf 'evidence \x00\x01\x02\xff of the upgrade fixture\n' >"$work/佐证材料.txt"
curl -sf -b "$jar" -F "_csrf=$csrf" -F "file=@$work/佐证材料.txt;type=text/plain" \
  -o /dev/null "$base/forms/$first/attachments"
version=$(api GET "/forms/$second" | jq .version)
api POST "/forms/$second/actions/request_confirmation" "{\"version\": $version}" >/dev/null
login fuzeren2
api POST "/forms/$second/actions/confirm" "{\"version\": $version}" >/dev/null

kill -TERM "$server"
wait "$server" || true
server=""
mkdir -p "$(dirname "$out")"
rm -f "$out"
sqlite3 "$db" "VACUUM INTO '$out'"
"$work/jixiao-$rev" log verify --database "sqlite:$out"
sqlite3 "$out" "SELECT 'forms', COUNT(*) FROM forms UNION ALL SELECT 'versions', COUNT(*) FROM form_versions
  UNION ALL SELECT 'events', COUNT(*) FROM workflow_events UNION ALL SELECT 'change_log', COUNT(*) FROM change_log
  UNION ALL SELECT 'migrations', COUNT(*) FROM _sqlx_migrations"
echo "wrote $out from $rev"
