#!/usr/bin/env bash
# Campaign benchmark: the XLSX upload of one city's answers (issue 10, item 13: target < 200 ms).
# The demo Secretariat posts an edition of BENCH_INDICATORS indicators in 10 criteria with question
# columns (numbers, percentages, yes/no, choices) through the API and opens a campaign on it for
# Minsk (the demo city representative's city) through the opening form; the representative signs
# in, downloads the city's template, fills every answer (openpyxl in a virtual environment of the
# work folder), and uploads it BENCH_UPLOADS times, each upload changing every answer (two filled
# files in turn). Prints markdown lines. Everything it starts it stops.
#
#   bench/campaign.sh                         # build, post, open, measure
#   BENCH_NO_BUILD=1 bench/campaign.sh        # use the already-built release binary
#   BENCH_INDICATORS=200 BENCH_UPLOADS=20 bench/campaign.sh
#
# Needs curl, python3 with venv, and PyPI (or a pip cache) for openpyxl.
set -euo pipefail

cd "$(dirname "$0")/.."
INDICATORS="${BENCH_INDICATORS:-200}"
UPLOADS="${BENCH_UPLOADS:-20}"
CITY=minsk
CITY_LOGIN=minsk@megapolis.example
CITY_PASSWORD=demo-city-pass

# shellcheck source=common.sh
. bench/common.sh

build_release
make_workdir campaign

log "preparing openpyxl in $WORK/venv"
python3 -m venv "$WORK/venv" >&2 || die "python3 -m venv failed (apt-get install -y python3-venv)"
"$WORK/venv/bin/pip" install -q openpyxl >&2 || die "pip could not install openpyxl"

log "writing an edition of $INDICATORS indicators in 10 criteria"
python3 - "$WORK" "$INDICATORS" <<'PY'
import csv, json, sys
work, indicators = sys.argv[1], int(sys.argv[2])
criteria = 10
types = {}
with open(f"{work}/iMeta.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator", "Parent", "Type",
                "question_ru", "question_en", "answer_type", "choices", "min", "max"])
    for i in range(indicators):
        kind = {0: "yes_no", 1: "percent", 2: "choice"}.get(i % 10, "number")
        code = f"i{i:03d}"
        types[code] = kind
        w.writerow([1, code, f"Indicator {i}", 1 if i % 4 else -1, 1, "%" if kind == "percent" else "", "", "",
                    f"c{i % criteria}", "Indicator", f"Вопрос {i}?", f"Question {i}?", kind,
                    "none:0|partly:50|full:100" if kind == "choice" else "",
                    "0" if kind == "number" else "", "100000" if kind == "number" else ""])
    for c in range(criteria):
        w.writerow([2, f"c{c}", f"Criterion {c}", 1, 1, "", "", "", "Index", "Aggregate", "", "", "", "", "", ""])
    w.writerow([3, "Index", "Index", 1, 1, "", "", "", "", "Aggregate", "", "", "", "", "", ""])
with open(f"{work}/types.json", "w") as f:
    json.dump(types, f)
with open(f"{work}/build.toml", "w") as f:
    f.write('[[step]]\nop = "normalise"\nmethod = "minmax"\n\n[[step]]\nop = "aggregate"\nmethod = "amean"\n')
PY

serve_on "sqlite://$WORK/bench.db" --demo
TOKEN="$(secretariat_token)"
AUTH="Authorization: Bearer $TOKEN"

EDITION="$(curl -fsS -H "$AUTH" -F "meta=@$WORK/iMeta.csv" -F "spec=@$WORK/build.toml" \
    -F "year=2027" -F "title_ru=Нагрузочная кампания" -F "title_en=Load campaign" "$BASE/api/v1/monitoring/editions" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
log "edition $EDITION posted"

# The campaign, through the opening form as the Secretariat: Minsk with the two assessors the
# form proposes for it.
sign_in secretariat@megapolis.example demo-secretariat-pass
curl -fsS -b "$JAR" "$BASE/monitoring/campaigns" >"$WORK/open.html"
read -r CSRF ASSESSOR_A ASSESSOR_B < <(python3 - "$WORK/open.html" "$CITY" <<'PY'
import re, sys
html, city = open(sys.argv[1]).read(), sys.argv[2]
csrf = re.search(r'name="_csrf" value="([0-9a-f]+)"', html).group(1)
def chosen(name, other=None):
    select = re.search(r'<select id="f-%s-%s"[^>]*>(.*?)</select>' % (name, city), html, re.S).group(1)
    picked = re.search(r'<option value="(\d+)" selected', select)
    if picked and picked.group(1) != other:
        return picked.group(1)
    return next(v for v in re.findall(r'<option value="(\d+)"', select) if v != other)
a = chosen("a")
print(csrf, a, chosen("b", a))
PY
)
DUE="$(python3 -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=30))')"
OPENED="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JAR" -H "Origin: $BASE" \
    --data-urlencode "_csrf=$CSRF" --data-urlencode "edition=$EDITION" --data-urlencode "due_date=$DUE" \
    --data-urlencode "city=$CITY" --data-urlencode "a.$CITY=$ASSESSOR_A" --data-urlencode "b.$CITY=$ASSESSOR_B" \
    "$BASE/monitoring/campaigns")"
case "$OPENED" in
    303*) ;;
    *) die "opening the campaign answered $OPENED" ;;
esac
CAMPAIGN="$(sed -E 's|.*/monitoring/campaigns/([0-9]+).*|\1|' <<<"$OPENED")"
log "campaign $CAMPAIGN opened for $CITY"

# The city's representative downloads the template and fills it twice, with different answers.
sign_in "$CITY_LOGIN" "$CITY_PASSWORD"
PAGE="$BASE/monitoring/campaigns/$CAMPAIGN/cities/$CITY"
curl -fsS -b "$JAR" -o "$WORK/template.xlsx" "$PAGE/template.xlsx"
"$WORK/venv/bin/python" - "$WORK" <<'PY'
import json, sys
import openpyxl
work = sys.argv[1]
types = json.load(open(f"{work}/types.json"))
for variant in (1, 2):
    book = openpyxl.load_workbook(f"{work}/template.xlsx")
    filled = 0
    for sheet in book.worksheets:
        if sheet.title == "megapolis":
            continue
        for row in range(2, sheet.max_row + 1):
            code = sheet.cell(row, 1).value
            kind = types.get(code)
            if kind is None:
                continue
            n = int(code[1:])
            sheet.cell(row, 4).value = {
                "yes_no": "yes" if (n + variant) % 2 else "no",
                "percent": (n * 7 + variant * 13) % 100,
                "choice": ["none", "partly", "full"][(n + variant) % 3],
            }.get(kind, float((n * 37 + variant * 101) % 5000))
            sheet.cell(row, 5).value = f"https://example.org/{variant}/{code}"
            filled += 1
    assert filled == len(types), (filled, len(types))
    book.save(f"{work}/answers-{variant}.xlsx")
PY
CSRF="$(curl -fsS -b "$JAR" "$PAGE" | csrf_of)"
log "uploading $UPLOADS times ($(wc -c <"$WORK/answers-1.xlsx") bytes)"
: >"$WORK/times.txt"
for k in $(seq 1 "$UPLOADS"); do
    variant=$(( (k - 1) % 2 + 1 ))
    read -r status seconds < <(curl -sS -o "$WORK/upload.html" -w '%{http_code} %{time_total}\n' -b "$JAR" \
        -H "Origin: $BASE" -F "_csrf=$CSRF" \
        -F "file=@$WORK/answers-$variant.xlsx;type=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
        "$PAGE/upload")
    [ "$status" = 303 ] || { head -c 2000 "$WORK/upload.html" >&2; die "upload $k answered $status"; }
    echo "$seconds" >>"$WORK/times.txt"
done
ANSWERED="$(curl -fsS -b "$JAR" "$PAGE" | python3 -c 'import re,sys; print(re.search(r"id=\"progress\">([^<]+)<", sys.stdin.read()).group(1))')"
log "the city's page: $ANSWERED"

python3 - "$WORK/times.txt" "$INDICATORS" "$UPLOADS" "$(wc -c <"$WORK/answers-1.xlsx")" <<'PY'
import sys
times = sorted(float(line) * 1000 for line in open(sys.argv[1]) if line.strip())
indicators, uploads, size = sys.argv[2], sys.argv[3], int(sys.argv[4])
def pct(p):
    return times[min(len(times) - 1, max(0, round(p / 100 * len(times) + 0.5) - 1))]
print("| Step | Figure |")
print("|---|---|")
print(f"| XLSX upload of one city, {indicators} answers ({size // 1024} KB), each changing every answer, {uploads} uploads | "
      f"p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, max {times[-1]:.0f} ms |")
PY
