#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite, loopback only, trust auth.
#
#   scripts/pg-test-server.sh start   # idempotent; prints the URL
#   scripts/pg-test-server.sh url     # prints the URL
#   scripts/pg-test-server.sh status  # exit 0 when running
#   scripts/pg-test-server.sh stop    # stops the server and removes its data dir
#
# Env: PGTEST_PORT (default 55432; when another process holds it, the next free port is taken
# and remembered in $PGTEST_DIR/port), PGTEST_DIR (default $REPO/.pg; PostgreSQL files live in
# $PGTEST_DIR/data). As root, PostgreSQL runs as the `postgres` user (it refuses root).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PGTEST_PORT:-55432}"
BASE="${PGTEST_DIR:-$REPO/.pg}"
# As root the server runs as `postgres`, which must reach the data dir: if the repo path is
# not traversable for it (a checkout under /root, say), keep the server under /tmp instead.
if [ -z "${PGTEST_DIR:-}" ] && [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 \
    && ! runuser -u postgres -- test -x "$REPO"; then
    BASE="/tmp/newsgraph-pg-$PORT"
fi
DATA="$BASE/data"
LOG="$BASE/server.log"
PORT_FILE="$BASE/port"
DB=newsgraph_test
# The port this data dir's server was started on, if it was moved off a busy one.
if [ -f "$PORT_FILE" ]; then PORT="$(cat "$PORT_FILE")"; fi

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url() {
    if [ "$(id -u)" = 0 ]; then user=postgres; else user="$(id -un)"; fi
    echo "postgresql://$user@127.0.0.1:$PORT/$DB"
}

find_bin() {
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
    done
    return 1
}

ensure_installed() {
    if find_bin initdb >/dev/null && find_bin pg_ctl >/dev/null; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        echo "pg-test-server: initdb/pg_ctl not found; install PostgreSQL (Debian: apt-get install postgresql)" >&2
        exit 1
    fi
    echo "pg-test-server: installing PostgreSQL (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
}

# Run a PostgreSQL binary as the right user: root may not run the server.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    [ -f "$DATA/PG_VERSION" ] || return 1
    as_pg "$PG_CTL" -D "$DATA" status >/dev/null 2>&1
}

start() {
    ensure_installed
    INITDB="$(find_bin initdb)"
    PG_CTL="$(find_bin pg_ctl)"
    if is_running; then url; return 0; fi
    mkdir -p "$BASE"
    # Another checkout's server (or anything else) may hold the port: take the next free one.
    local tries=0
    while port_busy "$PORT"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 50 ]; then
            echo "pg-test-server: no free port from ${PGTEST_PORT:-55432} on" >&2
            exit 1
        fi
        PORT=$((PORT + 1))
    done
    echo "$PORT" >"$PORT_FILE"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"
        mkdir -p "$DATA"
        if [ "$(id -u)" = 0 ]; then
            # The postgres user must be able to reach the data dir through the repo path.
            chmod o+x "$BASE"
            chown -R postgres: "$DATA"
            touch "$LOG" && chown postgres: "$LOG"
        fi
        chmod 700 "$DATA"
        as_pg "$INITDB" -D "$DATA" -A trust -U "$( [ "$(id -u)" = 0 ] && echo postgres || id -un)" \
            --encoding=UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1 \
            || { cat "$BASE/initdb.log" >&2; exit 1; }
        cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
        cat >"$DATA/pg_hba.conf" <<EOF
host all all 127.0.0.1/32 trust
EOF
    fi
    # The port may have been changed since initdb: pass it on the command line too.
    as_pg "$PG_CTL" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null \
        || { tail -n 30 "$LOG" >&2; exit 1; }
    PSQL="$(find_bin psql)"
    user="$( [ "$(id -u)" = 0 ] && echo postgres || id -un)"
    if ! "$PSQL" -h 127.0.0.1 -p "$PORT" -U "$user" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
        "$PSQL" -h 127.0.0.1 -p "$PORT" -U "$user" -d postgres -qc "CREATE DATABASE $DB" >/dev/null
    fi
    url
}

stop() {
    if PG_CTL="$(find_bin pg_ctl)" && [ -f "$DATA/PG_VERSION" ]; then
        as_pg "$PG_CTL" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DATA" "$LOG" "$BASE/initdb.log" "$PORT_FILE"
    rmdir "$BASE" 2>/dev/null || true
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    status)
        PG_CTL="$(find_bin pg_ctl)" || exit 1
        is_running ;;
    *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
