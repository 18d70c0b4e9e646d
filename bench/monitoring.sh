#!/usr/bin/env bash
# Monitoring benchmark: an edition of BENCH_CITIES cities × BENCH_INDICATORS indicators (made up
# here: 10 criteria of equal size under one index, values from a fixed pseudo-random sequence)
# posted through the API as the Secretariat, computed as the background job with the documented
# default uncertainty analysis (N = 1000 runs), published; then the public ranking page and a
# city's profile under wrk. Prints markdown lines. Everything it starts it stops.
#
#   bench/monitoring.sh                                   # build, post, compute, measure
#   BENCH_CITIES=2000 BENCH_INDICATORS=200 BENCH_DURATION=15s bench/monitoring.sh
#   BENCH_NO_BUILD=1 bench/monitoring.sh                  # use the already-built release binary
#
# Needs wrk (apt-get install -y wrk), curl and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
CITIES="${BENCH_CITIES:-2000}"
INDICATORS="${BENCH_INDICATORS:-200}"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET_DIR/release/megapolis"

# shellcheck source=common.sh
. bench/common.sh

command -v wrk >/dev/null 2>&1 || die "wrk is missing (apt-get install -y wrk)"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
    log "building the release server ($TARGET_DIR)"
    timeout 3600 cargo build --release --bin megapolis >&2 || die "release build failed"
fi
[ -x "$BIN" ] || die "no binary at $BIN"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/megapolis-monitoring.XXXXXX")"
SERVER_PID=""
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "writing an edition of $CITIES cities × $INDICATORS indicators"
python3 - "$WORK" "$CITIES" "$INDICATORS" <<'PY'
import csv, sys
work, cities, indicators = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
criteria = 10
with open(f"{work}/iMeta.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator", "Parent", "Type"])
    for i in range(indicators):
        w.writerow([1, f"i{i:03d}", f"Indicator {i}", 1 if i % 4 else -1, 1, "", "", "", f"c{i % criteria}", "Indicator"])
    for c in range(criteria):
        w.writerow([2, f"c{c}", f"Criterion {c}", 1, 1, "", "", "", "Index", "Aggregate"])
    w.writerow([3, "Index", "Index", 1, 1, "", "", "", "", "Aggregate"])
# A linear congruential sequence: the same data on every run, no dependency.
state = 12345
def draw():
    global state
    state = (1103515245 * state + 12345) % 2**31
    return state / 2**31
with open(f"{work}/iData.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["uName", "uCode"] + [f"i{i:03d}" for i in range(indicators)])
    for u in range(cities):
        w.writerow([f"City {u}", f"city-{u:04d}"] + [f"{100 * draw():.3f}" for _ in range(indicators)])
with open(f"{work}/build.toml", "w") as f:
    f.write('[[step]]\nop = "normalise"\nmethod = "minmax"\nl_u = [0, 100]\n\n[[step]]\nop = "aggregate"\nmethod = "amean"\n')
PY

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
MEGAPOLIS_SCHEDULER_SECONDS=86400 "$BIN" --database-url "sqlite://$WORK/bench.db" serve --demo --addr "127.0.0.1:$PORT" \
    >"$WORK/stdout.log" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 600); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/server.log" >&2; die "server exited"; }
    sleep 0.1
done

# The Secretariat signs in and makes itself an API token on its profile page.
JAR="$WORK/cookies.txt"
csrf_of() { python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([0-9a-f]+)\"", sys.stdin.read()).group(1))'; }
CSRF="$(curl -fsS -c "$JAR" "$BASE/login" | csrf_of)"
curl -fsS -o /dev/null -b "$JAR" -c "$JAR" -H "Origin: $BASE" \
    --data-urlencode "email=secretariat@megapolis.example" --data-urlencode "password=demo-secretariat-pass" \
    --data-urlencode "next=/profile" --data-urlencode "_csrf=$CSRF" "$BASE/login"
CSRF="$(curl -fsS -b "$JAR" "$BASE/profile" | csrf_of)"
TOKEN="$(curl -fsS -b "$JAR" -H "Origin: $BASE" --data-urlencode "name=bench" --data-urlencode "_csrf=$CSRF" \
    "$BASE/profile/tokens" | python3 -c 'import re,sys; print(re.search(r"id=\"new-token\">([^<]+)<", sys.stdin.read()).group(1))')"
[ -n "$TOKEN" ] || die "no API token"
AUTH="Authorization: Bearer $TOKEN"

ms_since() { python3 -c "import time,sys; print(f'{(time.time() - float(sys.argv[1])) * 1000:.0f}')" "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

START="$(now)"
EDITION="$(curl -fsS -H "$AUTH" -F "meta=@$WORK/iMeta.csv" -F "spec=@$WORK/build.toml" -F "data=@$WORK/iData.csv" \
    -F "year=2026" -F "title_ru=Нагрузочный выпуск" -F "title_en=Load edition" "$BASE/api/v1/monitoring/editions" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
POST_MS="$(ms_since "$START")"
log "edition $EDITION posted and checked in $POST_MS ms"

START="$(now)"
JOB="$(curl -fsS -X POST -H "$AUTH" "$BASE/api/v1/monitoring/editions/$EDITION/compute" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"])')"
while :; do
    STATE="$(curl -fsS -H "$AUTH" "$BASE/api/v1/jobs/$JOB" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j.get("error") or "")')"
    case "$STATE" in
        done*) break ;;
        failed*) die "the compute job failed: $STATE" ;;
    esac
    sleep 0.2
done
COMPUTE_MS="$(ms_since "$START")"
log "computed (default analysis, N = 1000) in $COMPUTE_MS ms"
curl -fsS -o /dev/null -X POST -H "$AUTH" "$BASE/api/v1/monitoring/editions/$EDITION/publish"

echo "| Step | Figure |"
echo "|---|---|"
echo "| POST an edition of $CITIES × $INDICATORS (read, checked, nominal build) | $POST_MS ms |"
echo "| Compute with the default uncertainty analysis (N = 1000), job wall time | $COMPUTE_MS ms |"

measure() {
    local name="$1" path="$2" status
    status="$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$BASE$path")"
    if [ "$status" != 200 ]; then
        log "GET $path answered $status: skipped"
        return
    fi
    timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$BASE$path" >/dev/null
    local out rps p50 p99 errors
    out="$(timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$path")"
    echo "$out" >&2
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    errors="$(wrk_errors "$out")"
    echo "| $name ($(wc -c <"$WORK/page.html") bytes), $CONNECTIONS connections | $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors |"
}
measure "Ranking page of $CITIES cities" "/monitoring/editions/$EDITION"
measure "A city's profile" "/monitoring/editions/$EDITION/cities/city-0042"
