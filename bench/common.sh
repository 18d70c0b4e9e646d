# Shared by the benchmark scripts (sourced, not run): messages, stopping the server, wrk's
# figures. Each script sets SERVER_PID when it starts the server.

die() { echo "bench: $*" >&2; exit 1; }
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
