#!/usr/bin/env bash
# PostgreSQL for the test suite. Prints one line to eval: `export JIXIAO_TEST_PG_URL=...`.
#
# 1. A server already answering on 127.0.0.1:5432 (user postgres, trust auth) is used as it is.
# 2. Otherwise a private, throw-away cluster is started from the machine's PostgreSQL binaries
#    (installed from Debian's `postgresql` package when missing and we are root or have sudo),
#    in .pgtest/ with trust auth on 127.0.0.1:54329. `scripts/test-postgres.sh stop` stops it.
# Nothing is printed to stdout but the export line; when no PostgreSQL can be had, nothing at all,
# and the PostgreSQL tests skip with their reason.
set -uo pipefail
cd "$(dirname "$0")/.."
DATA="$PWD/.pgtest"
PORT=54329

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  dir=$(bin_dir)
  [ -n "$dir" ] && [ -f "$DATA/postmaster.pid" ] && as_postgres "$dir/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1
  exit 0
fi

if [ -z "${JIXIAO_TEST_PG_PRIVATE:-}" ] && command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 -t 2; then
  if psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    echo "export JIXIAO_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    exit 0
  fi
fi

dir=$(bin_dir)
if [ -z "$dir" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; then
    echo "安装 PostgreSQL（测试用）…" >&2
    ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql) >&2 || true
  fi
  dir=$(bin_dir)
fi
[ -n "$dir" ] || { echo "未找到 PostgreSQL，跳过 PostgreSQL 测试" >&2; exit 0; }

if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
  as_postgres "$dir/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || as_postgres "$dir/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null 2>&1 \
    || { echo "PostgreSQL 测试库初始化失败，跳过 PostgreSQL 测试" >&2; exit 0; }
fi
if ! pg_isready -q -h 127.0.0.1 -p "$PORT" -t 1 2>/dev/null; then
  as_postgres "$dir/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 30 \
    -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null 2>&1 \
    || { echo "PostgreSQL 测试库启动失败（见 $DATA/server.log），跳过 PostgreSQL 测试" >&2; exit 0; }
fi
echo "export JIXIAO_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
