# Shared by the benchmark scripts (sourced, not run): messages, stopping the server, wrk's
# figures. Each script sets SERVER_PID when it starts the server.

die() { echo "bench: $*" >&2; exit 1; }
command -v wrk >/dev/null 2>&1 || die "wrk is missing (apt-get install -y wrk)"
# The release server the scripts measure.
BIN="${CARGO_TARGET_DIR:-target}/release/megapolis"
log() { echo "bench: $*" >&2; }

# Stops the server the script started: TERM, up to 5 s, then KILL.
stop_server() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# wrk's latency with its unit (us, ms, s) in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
        printf "%.2f", n }'
}

# The failed requests of a wrk output: non-2xx/3xx answers and socket errors.
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$1"
}

# Builds the release server unless BENCH_NO_BUILD is set; BIN must name it.
build_release() {
    if [ -z "${BENCH_NO_BUILD:-}" ]; then
        log "building the release server ($(dirname "$(dirname "$BIN")"))"
        timeout 3600 cargo build --release --bin megapolis >&2 || die "release build failed"
    fi
    [ -x "$BIN" ] || die "no binary at $BIN"
}

# A working folder for NAME in WORK, removed with the server at exit.
make_workdir() {
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/megapolis-$1.XXXXXX")"
    SERVER_PID=""
    trap 'stop_server; rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
}

# serve_on DB_URL [ARGS…]: the release server on a free port of 127.0.0.1 (BASE), with a long
# scheduler interval (the benchmarks measure pages, not reminders); waits for /healthz.
serve_on() {
    local db_url="$1"
    shift
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    BASE="http://127.0.0.1:$PORT"
    MEGAPOLIS_SCHEDULER_SECONDS=86400 "$BIN" --database-url "$db_url" serve --addr "127.0.0.1:$PORT" "$@" \
        >"$WORK/stdout.log" 2>"$WORK/server.log" &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/server.log" >&2; die "server exited"; }
        sleep 0.1
    done
    die "the server did not answer /healthz within 60 s"
}

# The form token of a page read from standard input.
csrf_of() { python3 -c 'import re,sys; print(re.search(r"name=\"_csrf\" value=\"([0-9a-f]+)\"", sys.stdin.read()).group(1))'; }

# sign_in EMAIL PASSWORD: a session in the cookie jar $WORK/cookies.txt (JAR).
sign_in() {
    JAR="$WORK/cookies.txt"
    local csrf
    csrf="$(curl -fsS -c "$JAR" "$BASE/login" | csrf_of)"
    curl -fsS -o /dev/null -b "$JAR" -c "$JAR" -H "Origin: $BASE" \
        --data-urlencode "email=$1" --data-urlencode "password=$2" \
        --data-urlencode "_csrf=$csrf" "$BASE/login"
}

# token_of EMAIL PASSWORD: an API token of that person, made on their profile page.
token_of() {
    sign_in "$1" "$2"
    local csrf token
    csrf="$(curl -fsS -b "$JAR" "$BASE/profile" | csrf_of)"
    token="$(curl -fsS -b "$JAR" -H "Origin: $BASE" --data-urlencode "name=bench" --data-urlencode "_csrf=$csrf" \
        "$BASE/profile/tokens" | python3 -c 'import re,sys; print(re.search(r"id=\"new-token\">([0-9a-f]+)<", sys.stdin.read()).group(1))')"
    [ -n "$token" ] || die "no API token"
    echo "$token"
}

# An API token of the demo Secretariat.
secretariat_token() { token_of secretariat@megapolis.example demo-secretariat-pass; }

# Milliseconds since a moment of `now`.
ms_since() { python3 -c "import time,sys; print(f'{(time.time() - float(sys.argv[1])) * 1000:.0f}')" "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

# measure NAME PATH [HEADER]: one reader alone (the median of five), then wrk with CONNECTIONS
# connections on THREADS threads for DURATION; prints a markdown row of each. A page that does
# not answer 200 is skipped.
measure() {
    # An optional third argument is a request header, e.g. "Accept-Encoding: gzip".
    local name="$1" path="$2" header="${3:-X-Bench: 1}" status
    status="$(curl -s -H "$header" -o "$WORK/page.html" -w '%{http_code}' "$BASE$path")"
    if [ "$status" != 200 ]; then
        log "GET $path answered $status: skipped"
        return
    fi
    # One reader alone first: the time of a single view, the median of five.
    local single
    single="$(for _ in 1 2 3 4 5; do curl -s -H "$header" -o /dev/null -w '%{time_total}\n' "$BASE$path"; done |
        sort -n | awk 'NR == 3 { printf "%.1f", $1 * 1000 }')"
    echo "| $name, one reader alone (median of 5) | $single ms |"
    timeout 30 wrk -t"$THREADS" -c"$CONNECTIONS" -d3s --timeout 10s -H "$header" "$BASE$path" >/dev/null
    local out rps p50 p99 errors
    out="$(timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -H "$header" "$BASE$path")"
    echo "$out" >&2
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    errors="$(wrk_errors "$out")"
    echo "| $name ($(wc -c <"$WORK/page.html") bytes), $CONNECTIONS connections | $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors |"
}
