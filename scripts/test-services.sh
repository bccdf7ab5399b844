#!/usr/bin/env bash
# Makes sure the test suite's PostgreSQL and Redis answer, starting them when they are installed but
# stopped. Used by `npm test` (the pretest script) and by .ci/run. With --install it also installs
# them with apt-get when missing (what .ci/run does on a fresh Debian machine); without it, it says
# exactly what is missing and how to get it. Idempotent and quick when both already run.
#
# Honours TEST_DATABASE_URL and TEST_REDIS_URL (the same defaults as the tests): a server that
# already answers there is used as is; only the local default addresses are started here.
set -uo pipefail

DB_URL=${TEST_DATABASE_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}
REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
install=0
[ "${1:-}" = "--install" ] && install=1

say() { printf 'test services: %s\n' "$*"; }
missing=()
# Root, or sudo that needs no password (a prompt in the middle of `npm test` would only hang).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"; else return 126; fi
}
apt_updated=0
need_pkg() {
  local bin=$1 pkg=$2
  command -v "$bin" >/dev/null 2>&1 && return 0
  if [ $install = 1 ]; then
    if [ $apt_updated = 0 ]; then as_root apt-get update -q >/dev/null; apt_updated=1; fi
    say "installing $pkg"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "$pkg" >/dev/null && return 0
  fi
  return 1
}
local_default() { case "$1" in *@127.0.0.1:5432/*|*@localhost:5432/*|redis://127.0.0.1:6379*|redis://localhost:6379*) return 0 ;; *) return 1 ;; esac; }

# --- PostgreSQL ------------------------------------------------------------------------------------
pg_up() { command -v pg_isready >/dev/null 2>&1 && pg_isready -d "$DB_URL" -q; }
if ! pg_up; then
  if ! local_default "$DB_URL"; then
    missing+=("PostgreSQL does not answer at TEST_DATABASE_URL (…@${DB_URL##*@}); start that server or unset the variable")
  elif ! need_pkg pg_ctlcluster postgresql; then
    missing+=("PostgreSQL is not installed: sudo apt-get install -y postgresql (or run: bash .ci/run)")
  else
    say "starting PostgreSQL"
    cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1" "$2}')
    if [ -z "$cluster" ]; then
      ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
      as_root pg_createcluster "$ver" main >/dev/null && cluster="$ver main"
    fi
    [ -n "$cluster" ] && as_root pg_ctlcluster $cluster start 2>/dev/null
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    # A known password works whether pg_hba says trust or scram (a fresh install).
    pg_isready -h 127.0.0.1 -p 5432 -q && as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1
    pg_up || missing+=("PostgreSQL is installed but could not be started here (needs root or passwordless sudo): sudo pg_ctlcluster ${cluster:-<version> main} start")
  fi
fi

# CI (--install) sets the known password whatever state the server was found in, as .ci/run always did.
if [ $install = 1 ] && local_default "$DB_URL" && pg_up; then
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
fi

# --- Redis -----------------------------------------------------------------------------------------
redis_up() { command -v redis-cli >/dev/null 2>&1 && redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG; }
if ! redis_up; then
  if ! local_default "$REDIS_URL"; then
    missing+=("Redis does not answer at TEST_REDIS_URL ($REDIS_URL); start that server or unset the variable")
  elif ! need_pkg redis-server redis-server; then
    missing+=("Redis is not installed: sudo apt-get install -y redis-server (or run: bash .ci/run)")
  else
    say "starting Redis"
    redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
    redis_up || missing+=("Redis is installed but did not start: redis-server --daemonize yes --port 6379 --bind 127.0.0.1")
  fi
fi

# The browser tests (test/e2e) drive the system Chromium; they say so themselves when it is missing.
need_pkg chromium chromium || say "note: Chromium is not installed, so test/e2e will fail: sudo apt-get install -y chromium"

if [ ${#missing[@]} -gt 0 ]; then
  say "cannot run the tests yet:"
  for m in "${missing[@]}"; do printf '  - %s\n' "$m"; done
  exit 1
fi
exit 0
