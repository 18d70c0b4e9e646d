#!/usr/bin/env bash
# Dashboard benchmark: GET /control signed in as the Board's chair, on a SQLite database with
# 10,000 assignments (made through the Store API by examples/bench_data.rs), under wrk on
# 127.0.0.1. Prints a markdown line (requests/s, p50, p99, errors). Everything it starts it stops.
#
#   bench/dashboard.sh                                   # build, fill, measure
#   BENCH_ASSIGNMENTS=10000 BENCH_DURATION=15s BENCH_CONNECTIONS=16 bench/dashboard.sh
#   BENCH_NO_BUILD=1 bench/dashboard.sh                  # use the already-built binaries
#   BENCH_DATABASE_URL=postgres://… bench/dashboard.sh   # an empty PostgreSQL database instead
#
# Needs wrk (apt-get install -y wrk), curl and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
ASSIGNMENTS="${BENCH_ASSIGNMENTS:-10000}"
GEN="${CARGO_TARGET_DIR:-target}/debug/examples/bench_data"

# shellcheck source=common.sh
. bench/common.sh


build_release
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    timeout 3600 cargo build --example bench_data >&2 || die "generator build failed"
fi
[ -x "$GEN" ] || die "no generator at $GEN"
make_workdir dashboard

DB_URL="${BENCH_DATABASE_URL:-sqlite://$WORK/bench.db}"
log "filling the database with $ASSIGNMENTS assignments"
timeout 1800 "$GEN" "$DB_URL" "$ASSIGNMENTS" 2>&1 | sed 's/^/bench: /' >&2

serve_on "$DB_URL"

# Sign in as the Board's chair: the form token from the login page, then the session cookie.
sign_in board@megapolis.example demo-board-pass
SESSION="$(awk '$6 == "mp_session" { print $7 }' "$JAR")"
[ -n "$SESSION" ] || die "sign-in failed"
COOKIE="mp_session=$SESSION"
# The first view counts the figures in SQL (cold); later views reuse them while the data stamp
# (newest assignment event, counts of assignments and decisions) is unchanged.
read -r STATUS COLD < <(curl -s -o "$WORK/control.html" -w '%{http_code} %{time_total}\n' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/control")
[ "$STATUS" = 200 ] || die "GET /control answered $STATUS"
COLD_MS="$(awk -v t="$COLD" 'BEGIN { printf "%.1f", t * 1000 }')"
SIZE="$(wc -c <"$WORK/control.html")"
log "GET /control: 200, $SIZE bytes, first (cold) view $COLD_MS ms"

timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/control" >/dev/null
OUT="$(timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/control")"
echo "$OUT" >&2
RPS="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$OUT")"
P50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$OUT")")"
P99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$OUT")")"
ERRORS="$(wrk_errors "$OUT")"
HWM="$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status")"

# One XLSX report of all assignments, timed once.
XLSX_MS="$(curl -s -o "$WORK/report.xlsx" -w '%{time_total}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/control/report.xlsx" | awk '{ printf "%.0f", $1 * 1000 }')"
log "report.xlsx of $ASSIGNMENTS assignments: $XLSX_MS ms, $(wc -c <"$WORK/report.xlsx") bytes"

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, after a 3 s warm-up; $(nproc) cores; $(date -u +%Y-%m-%d); $ASSIGNMENTS assignments"
echo
echo "| backend | path | requests/s | p50 ms | p99 ms | errors | server peak RSS |"
echo "|---|---|---|---|---|---|---|"
echo "| ${DB_URL%%:*} | \`/control\` ($SIZE bytes) | $RPS | $P50 | $P99 | $ERRORS | $HWM MiB |"
echo
echo "First (cold) GET /control, figures counted in SQL: $COLD_MS ms; GET /control/report.xlsx (all $ASSIGNMENTS assignments, one request): $XLSX_MS ms"
