#!/usr/bin/env bash
# Platform benchmark: the home page and /api/v1/cities under wrk on 127.0.0.1, on SQLite and on a
# throwaway PostgreSQL. Prints a markdown table (requests/s, p50, p99, peak resident memory of the
# server). Everything it starts it stops; every step is bounded in time.
#
#   bench/platform.sh                 # build release, run both backends
#   BENCH_DURATION=15s BENCH_CONNECTIONS=64 BENCH_THREADS=2 BENCH_BACKENDS="sqlite postgres" bench/platform.sh
#   BENCH_NO_BUILD=1 bench/platform.sh   # use the already-built binary
#
# Needs wrk (apt-get install -y wrk) and, for the PostgreSQL half, PostgreSQL's server binaries
# under /usr/lib/postgresql/*/bin (run as the postgres user when started as root).
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS="${BENCH_THREADS:-2}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
PATHS=(/ /api/v1/cities)

# shellcheck source=common.sh
. bench/common.sh

build_release

WORK="$(mktemp -d "${TMPDIR:-/tmp}/megapolis-bench.XXXXXX")"
chmod 755 "$WORK"
SERVER_PID=""
PG_BIN=""

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then (cd "$WORK" && runuser -u postgres -- "$@"); else (cd "$WORK" && "$@"); fi
}

cleanup() {
    stop_server
    if [ -n "$PG_BIN" ] && [ -f "$WORK/pg/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME [--database-url URL]: serve --demo on a free port, wait for /healthz.
start_server() {
    local name="$1"; shift
    PORT="$(free_port)"
    mkdir -p "$WORK/$name"
    "$BIN" --data-dir "$WORK/$name/data" "$@" serve --demo --addr "127.0.0.1:$PORT" \
        >"$WORK/$name/stdout.log" 2>"$WORK/$name/server.log" &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/$name/server.log" >&2; die "$name server exited"; }
        sleep 0.1
    done
    tail -n 20 "$WORK/$name/server.log" >&2
    die "$name server did not answer /healthz within 60 s"
}

start_postgres() {
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "PostgreSQL's initdb not found under /usr/lib/postgresql/*/bin"
    mkdir -p "$WORK/pg/socket"
    [ "$(id -u)" -eq 0 ] && chown -R postgres: "$WORK/pg"
    as_pg "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --no-locale \
        >"$WORK/pg/initdb.log" 2>&1 || { cat "$WORK/pg/initdb.log" >&2; die "initdb failed"; }
    PG_PORT="$(free_port)"
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg/socket -c max_connections=200" start >/dev/null \
        || { cat "$WORK/pg/postgres.log" >&2; die "PostgreSQL did not start"; }
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

ROWS=()
# measure BACKEND: warm up and run wrk on every path against the running server.
measure() {
    local backend="$1" path out rps p50 p99 errors
    for path in "${PATHS[@]}"; do
        timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT$path" >/dev/null
        out="$(timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path")"
        echo "$out" >"$WORK/$backend/wrk-${path//\//_}.txt"
        rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
        p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
        p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
        errors="$(wrk_errors "$out")"
        log "$backend $path: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors"
        ROWS+=("| $backend | \`$path\` | $rps | $p50 | $p99 | $errors |")
    done
    local hwm
    hwm="$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status")"
    log "$backend peak RSS: $hwm MiB"
    RSS+=("| $backend | $hwm MiB |")
}
RSS=()

for backend in $BACKENDS; do
    case "$backend" in
        sqlite)
            log "SQLite: starting the server"
            start_server sqlite
            ;;
        postgres)
            log "PostgreSQL: starting a throwaway server"
            start_postgres
            start_server postgres --database-url "$PG_URL"
            ;;
        *) die "unknown backend $backend" ;;
    esac
    measure "$backend"
    stop_server
done

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, after a 3 s warm-up; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| backend | path | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "| backend | server peak RSS (VmHWM) |"
echo "|---|---|"
printf '%s\n' "${RSS[@]}"
