#!/usr/bin/env bash
# Training benchmark: BENCH_CERTIFICATES completed nominees (10,000 by default) of one cohort,
# seeded through the API as the Secretariat (a programme, a cohort with one city's quota, then
# each nominee nominated and their result recorded: two audited writes each, over one kept-alive
# connection), their certificates issued as one `training-certificates` job (each signed with
# Ed25519 over its JCS form, written with its audit record, 200 per transaction) and timed from
# the POST to the job's `done`; then the public verification page, the status endpoint and a
# certificate's PDF (typeset on request) under wrk. Prints markdown lines. Everything it starts
# it stops.
#
#   bench/training.sh                                   # build, seed, issue, measure
#   BENCH_CERTIFICATES=1000 BENCH_DURATION=10s bench/training.sh
#   BENCH_NO_BUILD=1 bench/training.sh                  # use the already-built release binary
#
# Needs wrk (apt-get install -y wrk), curl and python3.
set -euo pipefail

cd "$(dirname "$0")/.."
CERTIFICATES="${BENCH_CERTIFICATES:-10000}"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"

# shellcheck source=common.sh
. bench/common.sh

build_release
make_workdir training

serve_on "sqlite://$WORK/bench.db" --demo
TOKEN="$(secretariat_token)"

log "seeding $CERTIFICATES completed nominees through the API"
START="$(now)"
COHORT="$(python3 - "$BASE" "$TOKEN" "$CERTIFICATES" <<'PY'
import datetime, http.client, json, sys, urllib.parse
base, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
today = datetime.date.today().isoformat()
programme = post("/api/v1/training/programmes", {
    "title_ru": "Нагрузочная программа", "title_en": "Load programme", "description": "",
    "partner": "Университет", "hours": 72, "validity_years": 3}, 201)["id"]
cohort = post("/api/v1/training/cohorts", {
    "programme_id": programme, "title": "Нагрузочный поток", "starts_on": today, "ends_on": today,
    "place": "Минск", "capacity": n, "applications_open": today, "applications_close": today,
    "quotas": {"minsk": n}}, 201)["id"]
for i in range(n):
    nominee = post(f"/api/v1/training/cohorts/{cohort}/nominations", {
        "name": f"Сотрудник {i:05d}", "position": "Аналитик", "department": "ИТ",
        "email": f"staff{i:05d}@minsk.example", "city": "minsk"}, 201)["id"]
    post(f"/api/v1/training/nominations/{nominee}/complete",
         {"attendance": 1.0, "assessment_passed": True}, 200)
print(cohort)
PY
)"
SEED_MS="$(ms_since "$START")"
log "cohort $COHORT seeded in $SEED_MS ms"

AUTH="Authorization: Bearer $TOKEN"
START="$(now)"
JOB="$(curl -fsS -X POST -H "$AUTH" "$BASE/api/v1/training/cohorts/$COHORT/certificates" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["job"])')"
while :; do
    STATE="$(curl -fsS -H "$AUTH" "$BASE/api/v1/jobs/$JOB" |
        python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], (j.get("result") or {}).get("issued", ""), j.get("error") or "")')"
    case "$STATE" in
        done*) break ;;
        failed*) die "the issuing job failed: $STATE" ;;
    esac
    sleep 0.2
done
ISSUE_MS="$(ms_since "$START")"
ISSUED="$(awk '{ print $2 }' <<<"$STATE")"
[ "$ISSUED" = "$CERTIFICATES" ] || die "the job issued $ISSUED certificates, not $CERTIFICATES"
log "$ISSUED certificates issued in $ISSUE_MS ms"

# One certificate from the middle of the cohort.
CODE="$(curl -fsS -H "$AUTH" "$BASE/api/v1/training/cohorts/$COHORT/nominations" |
    python3 -c 'import json,sys; n=json.load(sys.stdin)["nominations"]; print(n[len(n) // 2]["certificate"])')"

# The PDFs are typeset from the stored credential when asked for; typesetting every one of the
# cohort's (4 at a time) is what "PDF + credential for all" costs on top of the job.
log "typesetting all $CERTIFICATES certificate PDFs"
curl -fsS -H "$AUTH" "$BASE/api/v1/training/cohorts/$COHORT/nominations" |
    python3 -c 'import json,sys; [print(n["certificate"]) for n in json.load(sys.stdin)["nominations"]]' \
    >"$WORK/codes.txt"
START="$(now)"
xargs -P 4 -I{} curl -fsS -o /dev/null "$BASE/certificates/{}/certificate.pdf?lang=ru" <"$WORK/codes.txt" ||
    die "a certificate PDF failed"
PDFS_MS="$(ms_since "$START")"
log "$(wc -l <"$WORK/codes.txt") PDFs in $PDFS_MS ms"

echo "| Step | Figure |"
echo "|---|---|"
echo "| Seed $CERTIFICATES completed nominees through the API (nominate + result, 2 writes each) | $SEED_MS ms |"
echo "| Issue $CERTIFICATES certificates (signed credential each, 200 per transaction) as one job, POST to done | $ISSUE_MS ms |"
echo "| Typeset the PDFs of all $CERTIFICATES certificates (4 requests at a time) | $PDFS_MS ms |"
measure "Verification page of one of $CERTIFICATES" "/certificates/$CODE"
measure "Status endpoint (proof verified per request)" "/api/v1/certificates/$CODE/status"
measure "Certificate PDF (typeset per request)" "/certificates/$CODE/certificate.pdf?lang=ru"
