#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests.
#
# Sourced (what scripts/test.sh does):
#   . scripts/pg.sh
#   jixiao_pg_start        # exports JIXIAO_TEST_PG_URL=postgres://USER:PASS@127.0.0.1:PORT/DB
#   …
#   jixiao_pg_stop         # stops the cluster and deletes it
#
# Run (to keep a cluster for a while by hand):
#   eval "$(bash scripts/pg.sh start)"   # prints the export lines
#   cargo test -p jixiao-app
#   bash scripts/pg.sh stop "$JIXIAO_PG_DIR"
#
# Installs Debian's postgresql when initdb is missing (as root, with apt-get). The cluster lives in
# a temporary directory, listens only on 127.0.0.1 on a free port, and trades durability for
# speed (fsync off): it is for tests only. initdb refuses to run as root, so as root the server
# runs as the `postgres` user.

# The directory of the newest installed PostgreSQL's programs, or nothing.
jixiao_pg_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
jixiao_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on now.
jixiao_pg_free_port() {
  if command -v python3 >/dev/null; then
    python3 - <<'EOF' 2>/dev/null && return 0
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
  fi
  local port tries
  for tries in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

jixiao_pg_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "pg.sh: PostgreSQL is not installed; install Debian's postgresql (apt-get install postgresql) as root" >&2
    return 1
  fi
  echo "pg.sh: installing postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null </dev/null
}

# Starts a fresh cluster and exports JIXIAO_TEST_PG_URL (and JIXIAO_PG_DIR, for jixiao_pg_stop).
jixiao_pg_start() {
  local bin
  if ! bin=$(jixiao_pg_bindir); then
    jixiao_pg_install || return 1
    bin=$(jixiao_pg_bindir) || { echo "pg.sh: initdb not found after installing postgresql" >&2; return 1; }
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg.sh: running as root but there is no 'postgres' user to own the cluster" >&2
    return 1
  fi

  local dir
  dir=$(mktemp -d "/tmp/jixiao-pg.XXXXXX") || return 1
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  JIXIAO_PG_DIR=$dir
  export JIXIAO_PG_DIR

  if ! jixiao_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    echo "pg.sh: initdb failed" >&2
    return 1
  fi

  # The port is free when we look; another process may take it before the server binds, so try
  # a few ports.
  local port="" attempt started=""
  for attempt in 1 2 3 4 5; do
    port=$(jixiao_pg_free_port) || { echo "pg.sh: no free port" >&2; return 1; }
    if jixiao_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [ -z "$started" ]; then
    tail -20 "$dir/server.log" >&2 2>/dev/null
    echo "pg.sh: the PostgreSQL server did not start" >&2
    return 1
  fi
  JIXIAO_PG_PORT=$port
  JIXIAO_PG_BIN=$bin
  export JIXIAO_PG_PORT JIXIAO_PG_BIN

  local user=jixiao_test db=jixiao_test password
  password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  # CREATEDB: the tests make a fresh database per test.
  if ! jixiao_pg_as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'" \
      -c "CREATE DATABASE $db OWNER $user" >"$dir/setup.log" 2>&1; then
    cat "$dir/setup.log" >&2
    echo "pg.sh: could not create the test user and database" >&2
    return 1
  fi
  JIXIAO_TEST_PG_URL="postgres://$user:$password@127.0.0.1:$port/$db"
  export JIXIAO_TEST_PG_URL
  echo "pg.sh: PostgreSQL $("$bin/postgres" -V | awk '{print $3}') on 127.0.0.1:$port (cluster in $dir)" >&2
}

# Stops the cluster started by jixiao_pg_start (or the one in directory $1) and deletes it.
jixiao_pg_stop() {
  local dir=${1:-${JIXIAO_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  local bin=${JIXIAO_PG_BIN:-}
  [ -n "$bin" ] || bin=$(jixiao_pg_bindir) || true
  if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bin" ]; then
    jixiao_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  if [ "$dir" = "${JIXIAO_PG_DIR:-}" ]; then
    unset JIXIAO_PG_DIR JIXIAO_PG_PORT JIXIAO_TEST_PG_URL
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      jixiao_pg_start
      printf 'export JIXIAO_TEST_PG_URL=%q\nexport JIXIAO_PG_DIR=%q\n' "$JIXIAO_TEST_PG_URL" "$JIXIAO_PG_DIR"
      ;;
    stop)
      jixiao_pg_stop "${2:-${JIXIAO_PG_DIR:-}}"
      ;;
    *)
      echo "usage: bash scripts/pg.sh start | stop DIR" >&2
      exit 2
      ;;
  esac
fi
