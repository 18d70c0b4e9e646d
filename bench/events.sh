#!/usr/bin/env bash
# Events benchmark: BENCH_EVENTS proposals (5,000 by default) for one plan year, seeded through
# the API as the Secretariat (proposed, submitted and accepted: three audited writes each, over
# one kept-alive connection), spread over the year in the demo's cities with shared organisers,
# so that many overlap; then the clash check of the year (GET /api/v1/events/clashes, the rules
# sweeping by date), the plan version opened, submitted and approved by the President (the
# approval checks the blocking clashes again), and under wrk the calendar feed (whole and
# filtered) and the public plan page of the year. Prints markdown lines. Everything it starts it
# stops.
#
#   bench/events.sh                                      # build, seed, measure
#   BENCH_EVENTS=1000 BENCH_DURATION=10s bench/events.sh
#   BENCH_NO_BUILD=1 bench/events.sh                     # use the already-built release binary
#
# Needs wrk (apt-get install -y wrk), curl and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
EVENTS="${BENCH_EVENTS:-5000}"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
YEAR=2040

# shellcheck source=common.sh
. bench/common.sh

build_release
make_workdir events

serve_on "sqlite://$WORK/bench.db" --demo
TOKEN="$(secretariat_token)"
PRESIDENT="$(token_of president@megapolis.example demo-president-pass)"

log "seeding $EVENTS accepted proposals for $YEAR through the API"
START="$(now)"
python3 - "$BASE" "$TOKEN" "$EVENTS" "$YEAR" <<'PY'
import datetime, http.client, json, random, sys, urllib.parse
base, token, n, year = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
def post(path, body, expect):
    conn.request("POST", path, json.dumps(body),
                 {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    answer = response.read()
    if response.status != expect:
        sys.exit(f"POST {path}: {response.status} {answer[:300]!r}")
    return json.loads(answer)
rng = random.Random(13)
cities = ["moscow", "minsk", "astana", "tashkent", "baku", "bishkek"]
kinds = ["forum", "conference", "seminar", "exhibition", "training", "other"]
topics = ["цифровой город", "городской транспорт", "открытые данные", "умное ЖКХ",
          "городская безопасность", "экология города", "туризм", "образование", "здравоохранение"]
first = datetime.date(year, 1, 1)
for i in range(n):
    start = first + datetime.timedelta(days=rng.randrange(0, 360))
    end = start + datetime.timedelta(days=rng.randrange(0, 3))
    city = rng.choice(cities)
    event = post("/api/v1/events/proposals", {
        "year": year, "kind": rng.choice(kinds),
        "title_ru": f"Мероприятие {i:05d}: {rng.choice(topics)}", "title_en": f"Event {i:05d}",
        "starts_on": start.isoformat(), "ends_on": end.isoformat(), "city": city,
        "venue": "Зал", "organiser": f"partner-{rng.randrange(40)}",
        "co_organisers": [city], "expected_participants": 100}, 201)["id"]
    for action in ("submit", "accept"):
        post(f"/api/v1/events/proposals/{event}/{action}", {}, 200)
PY
SEED_MS="$(ms_since "$START")"
log "seeded in $SEED_MS ms"

AUTH="Authorization: Bearer $TOKEN"
# The clash check of the year: the median of five requests, each loading the year's proposals
# and running every rule over them.
CLASHES="$(curl -fsS -H "$AUTH" "$BASE/api/v1/events/clashes?year=$YEAR" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["clashes"]))')"
CLASH_MS="$(for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -w '%{time_total}\n' -H "$AUTH" \
    "$BASE/api/v1/events/clashes?year=$YEAR"; done | sort -n | awk 'NR == 3 { printf "%.0f", $1 * 1000 }')"
log "$CLASHES clashes flagged in $CLASH_MS ms"

PLAN="$(curl -fsS -H "$AUTH" -H 'Content-Type: application/json' -d "{\"year\": $YEAR}" \
    "$BASE/api/v1/events/plans" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
curl -fsS -o /dev/null -X POST -H "$AUTH" "$BASE/api/v1/events/plans/$PLAN/submit"
START="$(now)"
curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $PRESIDENT" "$BASE/api/v1/events/plans/$PLAN/approve" ||
    die "the President's approval failed"
APPROVE_MS="$(ms_since "$START")"
log "version $PLAN approved in $APPROVE_MS ms"

echo "| Step | Figure |"
echo "|---|---|"
echo "| Seed $EVENTS proposals through the API (propose, submit, accept: 3 writes each) | $SEED_MS ms |"
echo "| Clash check of the year's $EVENTS proposals ($CLASHES pairs flagged), GET …/clashes, median of 5 | $CLASH_MS ms |"
echo "| The President's approval (the blocking clashes checked again in its transaction) | $APPROVE_MS ms |"
measure "Calendar feed, whole plan ($EVENTS events)" "/api/v1/events.ics"
measure "Calendar feed, whole plan, gzipped (as calendar programs ask)" "/api/v1/events.ics" "Accept-Encoding: gzip"
measure "Calendar feed filtered by city (about a sixth)" "/api/v1/events.ics?city=minsk"
measure "One event's calendar file" "/events/$((EVENTS / 2))/calendar.ics"
measure "Public plan page of $YEAR, filtered by city" "/events?year=$YEAR&city=minsk"
measure "Public plan page of $YEAR, whole plan" "/events?year=$YEAR"
measure "Public plan page of $YEAR, whole plan, gzipped (as browsers ask)" "/events?year=$YEAR" "Accept-Encoding: gzip"
