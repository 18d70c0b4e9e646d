# A throwaway PostgreSQL for the tests and the benchmarks (sourced, not run): its own data and
# socket folder, 127.0.0.1 on a free port, trust authentication, durability off (nothing in it
# outlives the run). Needs PG_BIN (the folder of initdb and pg_ctl) and a `die` function.
#
#   start_throwaway_pg    # sets PG_DIR, PG_PORT and PG_URL
#   stop_throwaway_pg     # stops it and removes its folder; safe to call twice

if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    as_pg() {
        if command -v runuser >/dev/null 2>&1; then (cd "$PG_DIR" && runuser -u postgres -- "$@")
        else (cd "$PG_DIR" && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
        fi
    }
else
    as_pg() { (cd "$PG_DIR" && "$@"); }
fi

free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
    done
    die "no free port found"
}

start_throwaway_pg() {
    PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/megapolis-pg.XXXXXX")"
    chmod 755 "$PG_DIR"
    mkdir -p "$PG_DIR/socket"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" --shell /bin/sh postgres
        chown -R postgres: "$PG_DIR"
    fi
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    PG_PORT=""
    for _ in 1 2 3; do
        PG_PORT="$(free_port)"
        if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
            start >/dev/null; then
            break
        fi
        PG_PORT=""
    done
    [ -n "$PG_PORT" ] || { cat "$PG_DIR/postgres.log" >&2 || true; die "PostgreSQL did not start"; }
    PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_throwaway_pg() {
    [ -n "${PG_DIR:-}" ] || return 0
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    PG_DIR=""
}
