#!/usr/bin/env bash
# Catalogue benchmark: BENCH_SOLUTIONS solutions (100,000 by default) written by
# bench/catalogue_corpus.py are added through the API as the Secretariat (one kept-alive
# connection, each an audited write), then the catalogue search (tantivy, Snowball stemmers, «ё»
# folded) is measured against PostgreSQL's own full-text search (the `russian` configuration,
# a GIN index over weighted title and summary vectors) on the same corpus and the same queries:
#   - indexing: the first search after the load builds the index from the database; PostgreSQL
#     builds its GIN index;
#   - relevance: per query, how many of the first 10 and of the first 100 results are relevant
#     (a solution is relevant when it is about the query's domain with the query's technology),
#     and how many solutions match at all;
#   - speed: one reader alone, then CONNECTIONS readers cycling through the queries (wrk on the
#     HTTP API, which also counts the facets over every match and the snippets; pgbench on the
#     SQL, which ranks, counts the matches and makes the 10 snippets, without HTTP).
# Prints markdown lines. Everything it starts it stops.
#
#   bench/catalogue.sh                                         # build, seed, measure
#   BENCH_SOLUTIONS=10000 BENCH_DURATION=10s bench/catalogue.sh
#   BENCH_NO_BUILD=1 bench/catalogue.sh                        # the already-built release binary
#   BENCH_PG_URL=postgres://… bench/catalogue.sh               # an existing PostgreSQL (a table
#                                                              # bench_solutions is replaced)
#
# Needs wrk, curl, python3, psql and pgbench (apt-get install -y wrk postgresql).
set -euo pipefail

cd "$(dirname "$0")/.."
SOLUTIONS="${BENCH_SOLUTIONS:-100000}"
DURATION="${BENCH_DURATION:-15s}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"

# shellcheck source=common.sh
. bench/common.sh
command -v pgbench >/dev/null 2>&1 || die "pgbench is missing (apt-get install -y postgresql)"
command -v psql >/dev/null 2>&1 || die "psql is missing (apt-get install -y postgresql)"

build_release
make_workdir catalogue
PG_URL="${BENCH_PG_URL:-}"
if [ -z "$PG_URL" ]; then
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$PG_BIN" ] || die "no PostgreSQL under /usr/lib/postgresql (apt-get install -y postgresql)"
    # shellcheck source=../scripts/throwaway_pg.sh
    . scripts/throwaway_pg.sh
    trap 'stop_server; stop_throwaway_pg; rm -rf "$WORK"' EXIT
    start_throwaway_pg
fi

python3 bench/catalogue_corpus.py "$SOLUTIONS" "$WORK"

serve_on "sqlite://$WORK/bench.db" --demo
TOKEN="$(secretariat_token)"

log "adding $SOLUTIONS solutions through the API"
START="$(now)"
python3 - "$BASE" "$TOKEN" "$WORK" <<'PY'
import http.client, json, sys, urllib.parse
base, token, work = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
ids = []
with open(f"{work}/corpus.jsonl", encoding="utf-8") as corpus:
    for line in corpus:
        solution = json.loads(line)
        del solution["topic"]
        conn.request("POST", "/api/v1/solutions", json.dumps(solution),
                     {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 201:
            sys.exit(f"POST /api/v1/solutions: {response.status} {answer[:300]!r}")
        ids.append(json.loads(answer)["id"])
with open(f"{work}/ids.json", "w") as out:
    json.dump(ids, out)
PY
SEED_MS="$(ms_since "$START")"
log "added in $SEED_MS ms"

# The first search after the load finds the catalogue changed and builds the index.
START="$(now)"
curl -fsS -o /dev/null "$BASE/api/v1/solutions/search?q=%D0%B4%D0%B0%D1%82%D1%87%D0%B8%D0%BA&lang=ru&limit=10"
INDEX_MS="$(ms_since "$START")"
log "index built by the first search in $INDEX_MS ms"

# The same corpus in PostgreSQL, row N being line N of the corpus.
log "loading the corpus into PostgreSQL"
python3 - "$WORK" <<'PY'
import csv, json, sys
work = sys.argv[1]
with open(f"{work}/corpus.jsonl", encoding="utf-8") as corpus, \
        open(f"{work}/corpus.csv", "w", encoding="utf-8", newline="") as out:
    rows = csv.writer(out)
    for number, line in enumerate(corpus, start=1):
        s = json.loads(line)
        rows.writerow([number, s["title_ru"], s["summary_ru"], s["title_en"], s["summary_en"]])
with open(f"{work}/queries.json", encoding="utf-8") as queries, \
        open(f"{work}/queries.csv", "w", encoding="utf-8", newline="") as out:
    rows = csv.writer(out)
    for number, query in enumerate(json.load(queries), start=1):
        rows.writerow([number, query["q"]])
PY
psql -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null <<SQL
DROP TABLE IF EXISTS bench_solutions;
DROP TABLE IF EXISTS bench_queries;
CREATE TABLE bench_solutions (id BIGINT PRIMARY KEY, title_ru TEXT, summary_ru TEXT,
    title_en TEXT, summary_en TEXT, tsv TSVECTOR);
CREATE TABLE bench_queries (n INT PRIMARY KEY, q TEXT);
\copy bench_solutions (id, title_ru, summary_ru, title_en, summary_en) FROM '$WORK/corpus.csv' WITH (FORMAT csv)
\copy bench_queries FROM '$WORK/queries.csv' WITH (FORMAT csv)
SQL
START="$(now)"
psql -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null <<'SQL'
-- COPY reads an empty field as NULL, and one NULL would make the whole vector NULL.
UPDATE bench_solutions SET tsv =
    setweight(to_tsvector('russian', coalesce(title_ru, '')), 'A') ||
    setweight(to_tsvector('russian', coalesce(summary_ru, '')), 'B') ||
    setweight(to_tsvector('russian', coalesce(title_en, '')), 'A') ||
    setweight(to_tsvector('russian', coalesce(summary_en, '')), 'B');
CREATE INDEX bench_solutions_tsv ON bench_solutions USING GIN (tsv);
VACUUM ANALYZE bench_solutions;
SQL
PG_INDEX_MS="$(ms_since "$START")"
log "PostgreSQL vectors and GIN index in $PG_INDEX_MS ms"

# The query PostgreSQL answers per search: the first 10 by ts_rank, the number of matches, and
# a snippet of each of the 10.
cat >"$WORK/pg_search.sql" <<'SQL'
\set n random(1, QUERIES)
WITH q AS (SELECT plainto_tsquery('russian', q) AS tsq FROM bench_queries WHERE n = :n),
hits AS (SELECT s.id, s.summary_ru, ts_rank(s.tsv, q.tsq) AS rank FROM bench_solutions s, q
         WHERE s.tsv @@ q.tsq ORDER BY rank DESC, s.id LIMIT 10)
SELECT hits.id, hits.rank, ts_headline('russian', hits.summary_ru, q.tsq),
       (SELECT count(*) FROM bench_solutions s WHERE s.tsv @@ q.tsq)
FROM hits, q;
SQL
QUERIES="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/queries.json")"
sed -i "s/QUERIES/$QUERIES/" "$WORK/pg_search.sql"

# Relevance of both, and one reader alone on each (the median over the queries of the median of
# five runs of each query).
python3 - "$BASE" "$PG_URL" "$WORK" <<'PY' >"$WORK/relevance.md"
import http.client, json, statistics, subprocess, sys, time, urllib.parse
base, pg_url, work = sys.argv[1], sys.argv[2], sys.argv[3]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
ids = json.load(open(f"{work}/ids.json"))
line_of = {solution_id: number for number, solution_id in enumerate(ids, start=1)}
topics, english = {}, set()
with open(f"{work}/corpus.jsonl", encoding="utf-8") as corpus:
    for number, line in enumerate(corpus, start=1):
        solution = json.loads(line)
        topics[number] = tuple(solution["topic"])
        if solution["title_en"]:
            english.add(number)
queries = json.load(open(f"{work}/queries.json", encoding="utf-8"))

def ours(query, limit):
    path = "/api/v1/solutions/search?" + urllib.parse.urlencode(
        {"q": query["q"], "lang": query["lang"], "limit": limit})
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    answer = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        sys.exit(f"GET {path}: {response.status} {answer}")
    return [line_of.get(hit["id"]) for hit in answer["hits"]], answer["total"], elapsed

def theirs(query, limit):
    sql = ("WITH q AS (SELECT plainto_tsquery('russian', :'q') AS tsq) "
           "SELECT s.id FROM bench_solutions s, q WHERE s.tsv @@ q.tsq "
           f"ORDER BY ts_rank(s.tsv, q.tsq) DESC, s.id LIMIT {limit}; "
           "SELECT count(*) FROM bench_solutions s WHERE s.tsv @@ plainto_tsquery('russian', :'q');")
    started = time.perf_counter()
    out = subprocess.run(["psql", "-At", "-v", f"q={query['q']}", pg_url], input=sql,
                         capture_output=True, text=True, check=True).stdout.split()
    return [int(x) for x in out[:-1]], int(out[-1]), (time.perf_counter() - started) * 1000

def relevant(found, topic):
    return sum(1 for number in found if number is not None and topics[number] == topic)

print("| Query | lang | relevant in corpus | tantivy: top 10 / top 100 relevant, matches | PostgreSQL: top 10 / top 100 relevant, matches |")
print("|---|---|---|---|---|")
totals = {"ours10": 0, "ours100": 0, "pg10": 0, "pg100": 0, "possible10": 0, "possible100": 0}
single = []
for query in queries:
    topic = tuple(query["topic"])
    # An English query can only find the solutions that have an English version.
    in_corpus = sum(1 for number, t in topics.items()
                    if t == topic and (query["lang"] == "ru" or number in english))
    found, matches, _ = ours(query, 100)
    pg_found, pg_matches, _ = theirs(query, 100)
    single.append(statistics.median(ours(query, 10)[2] for _ in range(5)))
    row = (relevant(found[:10], topic), relevant(found, topic), matches,
           relevant(pg_found[:10], topic), relevant(pg_found, topic), pg_matches)
    totals["ours10"] += row[0]; totals["ours100"] += row[1]
    totals["pg10"] += row[3]; totals["pg100"] += row[4]
    totals["possible10"] += min(10, in_corpus); totals["possible100"] += min(100, in_corpus)
    print(f"| {query['q']} | {query['lang']} | {in_corpus} | {row[0]} / {row[1]}, {row[2]} | {row[3]} / {row[4]}, {row[5]} |")
print(f"| **All {len(queries)} queries** | | | **{totals['ours10']}/{totals['possible10']} / "
      f"{totals['ours100']}/{totals['possible100']}** | **{totals['pg10']}/{totals['possible10']} / "
      f"{totals['pg100']}/{totals['possible100']}** |")
print()
print(f"SINGLE {statistics.median(single):.1f} {max(single):.1f}")
PY
SINGLE="$(awk '/^SINGLE/ { print $2 " ms (slowest query " $3 " ms)" }' "$WORK/relevance.md")"
sed -i '/^SINGLE/d' "$WORK/relevance.md"

# Under load: wrk's readers cycle through the queries (10 hits each).
python3 - "$WORK" <<'PY' >"$WORK/queries.lua"
import json, sys, urllib.parse
queries = json.load(open(f"{sys.argv[1]}/queries.json", encoding="utf-8"))
paths = ["/api/v1/solutions/search?" + urllib.parse.urlencode({"q": q["q"], "lang": q["lang"], "limit": 10})
         for q in queries]
print("local paths = {" + ", ".join(json.dumps(p) for p in paths) + "}")
print("local i = 0")
print("request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend")
PY
timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s -s "$WORK/queries.lua" "$BASE" >/dev/null
OUT="$(timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$WORK/queries.lua" "$BASE")"
echo "$OUT" >&2
OURS="$(awk '/^Requests\/sec:/ { printf "%.0f req/s", $2 }' <<<"$OUT"), p50 $(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$OUT")") ms, p99 $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$OUT")") ms, $(wrk_errors "$OUT") errors"
stop_server

# pgbench with the same number of readers; the latencies of every search from its log.
pg_load() {
    local clients="$1" seconds="$2"
    rm -f "$WORK"/pglog*
    pgbench -n -c "$clients" -j "$THREADS" -T "$seconds" -f "$WORK/pg_search.sql" \
        --log --log-prefix="$WORK/pglog" "$PG_URL" >"$WORK/pgbench.out" 2>&1 ||
        { cat "$WORK/pgbench.out" >&2; die "pgbench failed"; }
    cat "$WORK"/pglog* | python3 -c '
import sys
lat = sorted(int(line.split()[2]) / 1000 for line in sys.stdin)
pick = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
print(f"{len(lat) / float(sys.argv[1]):.0f} req/s, p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms")' "$seconds"
}
PG_SINGLE="$(pg_load 1 5)"
PG_LOADED="$(pg_load "$CONNECTIONS" "${DURATION%s}")"

echo "| Step | Megapolis search (tantivy) | PostgreSQL full-text search (\`russian\`) |"
echo "|---|---|---|"
echo "| Add $SOLUTIONS solutions through the API (audited writes, one connection) | $SEED_MS ms | — |"
echo "| Indexing $SOLUTIONS solutions | $INDEX_MS ms (the first search after the load builds the index) | $PG_INDEX_MS ms (vectors + GIN index) |"
echo "| One reader alone | median $SINGLE, HTTP | $PG_SINGLE, SQL |"
echo "| $CONNECTIONS readers for $DURATION | $OURS | $PG_LOADED |"
echo
cat "$WORK/relevance.md"
