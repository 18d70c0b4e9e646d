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

# shellcheck source=common.sh
. bench/common.sh

build_release
make_workdir monitoring

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

serve_on "sqlite://$WORK/bench.db" --demo
TOKEN="$(secretariat_token)"
AUTH="Authorization: Bearer $TOKEN"

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

measure "Ranking page of $CITIES cities" "/monitoring/editions/$EDITION"
measure "A city's profile" "/monitoring/editions/$EDITION/cities/city-0042"
