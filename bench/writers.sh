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

# shellcheck source=common.sh
. bench/common.sh
build_release
make_workdir writers
DB_URL="${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}"
serve_on "$DB_URL" --demo
TOKEN="$(secretariat_token)"

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
