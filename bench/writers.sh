#!/usr/bin/env bash
# Concurrent writers: PUT /api/v1/cities/{code} (an audited write: the city, its audit record)
# under wrk at 8 and at 64 connections, then a read load at 256 connections, on the database
# BENCH_DATABASE_URL names (an empty PostgreSQL database for the figure the hardening issue asks
# for; a SQLite file by default). Prints a markdown table. Everything it starts it stops.
#
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench bench/writers.sh
#   BENCH_DURATION=15s BENCH_READ_DURATION=60s BENCH_NO_BUILD=1 bench/writers.sh
#
# Needs wrk, curl and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-15s}"
READ_DURATION="${BENCH_READ_DURATION:-60s}"
THREADS="${BENCH_THREADS:-2}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET_DIR/release/megapolis"

# shellcheck source=common.sh
. bench/common.sh
command -v wrk >/dev/null 2>&1 || die "wrk is missing (apt-get install -y wrk)"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    log "building release ($TARGET_DIR)"
    timeout 3600 cargo build --release --bin megapolis >&2 || die "release build failed"
fi
[ -x "$BIN" ] || die "no binary at $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/megapolis-writers.XXXXXX")"
SERVER_PID=""
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB_URL="${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
MEGAPOLIS_SCHEDULER_SECONDS=86400 "$BIN" --database-url "$DB_URL" serve --demo --addr "127.0.0.1:$PORT" \
    >"$WORK/stdout.log" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/server.log" >&2; die "server exited"; }
    sleep 0.1
done

# A Secretariat API token: sign in, then create it on the profile page.
JAR="$WORK/cookies.txt"
csrf() { python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([0-9a-f]+)\"", sys.stdin.read()).group(1))'; }
CSRF="$(curl -fsS -c "$JAR" "$BASE/login" | csrf)"
curl -fsS -o /dev/null -b "$JAR" -c "$JAR" -H "Origin: $BASE" \
    --data-urlencode "email=secretariat@megapolis.example" --data-urlencode "password=demo-secretariat-pass" \
    --data-urlencode "_csrf=$CSRF" "$BASE/login"
CSRF="$(curl -fsS -b "$JAR" "$BASE/profile" | csrf)"
TOKEN="$(curl -fsS -b "$JAR" -H "Origin: $BASE" --data-urlencode "name=bench" --data-urlencode "_csrf=$CSRF" \
    "$BASE/profile/tokens" | python3 -c 'import re,sys; print(re.search(r"id=\"new-token\">([0-9a-f]+)<", sys.stdin.read()).group(1))')"
[ -n "$TOKEN" ] || die "no API token"

# Each request writes one of the demo cities again, as it is.
curl -fsS "$BASE/api/v1/cities/moscow" >"$WORK/moscow.json"
cat >"$WORK/put.lua" <<LUA
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$WORK/moscow.json"); wrk.body = f:read("*a"); f:close()
LUA

row() { # label, wrk output
    local rps p50 p99 errors
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$2")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$2")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$2")")"
    errors="$(wrk_errors "$2")"
    echo "| ${DB_URL%%:*} | $1 | $rps | $p50 | $p99 | $errors |"
}

RESULTS=()
for connections in 8 64; do
    log "writers: $connections connections for $DURATION"
    OUT="$(timeout 600 wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s "$WORK/put.lua" "$BASE/api/v1/cities/moscow")"
    echo "$OUT" >&2
    RESULTS+=("$(row "PUT /api/v1/cities/moscow, $connections writers" "$OUT")")
done
log "readers: 256 connections for $READ_DURATION"
OUT="$(timeout 900 wrk -t"$THREADS" -c256 -d"$READ_DURATION" --latency "$BASE/decisions")"
echo "$OUT" >&2
RESULTS+=("$(row "GET /decisions, 256 readers" "$OUT")")
VERIFY="$("$BIN" --database-url "$DB_URL" audit verify 2>&1 | tail -n 1)"

echo
echo "wrk -t$THREADS --latency; $(nproc) cores; $(date -u +%Y-%m-%d); writes for $DURATION, reads for $READ_DURATION"
echo
echo "| backend | load | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${RESULTS[@]}"
echo
echo "After the load: $VERIFY"
