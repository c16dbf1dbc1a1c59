#!/usr/bin/env bash
# Browser journeys: Debian's Chromium driven by Playwright against a live development server with demo data.
#
#   bash e2e/run.sh PYTHON [pytest arguments...]      (what `make test-e2e` runs, with .venv/bin/python)
#
# 1. Installs what the journeys need and the project does not: Debian's Chromium and a Chinese font (apt-get, only
#    when missing), and Playwright into the venv from e2e/requirements.lock (once, guarded by a stamp file).
#    No browser is ever downloaded from anywhere else (`playwright install` is never run).
# 2. Prepares a throwaway SQLite database in a temporary directory (migrate, seed_demo, as `make run` does), starts
#    `runserver` on a free loopback port and waits for /healthz.
# 3. Runs pytest on e2e/ with its own configuration (e2e/pytest.ini), so the project's pytest-django settings do
#    not apply; the journeys find the server in E2E_BASE_URL.
# 4. Whatever happens, stops the server and removes the temporary directory.
# Screenshots and the server's log go to test-output/e2e/.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: bash e2e/run.sh PYTHON [pytest arguments...]" >&2
    exit 2
fi
PY=$1
shift
case "$PY" in
    /*) ;;
    */*) PY="$PWD/$PY" ;;                    # relative to where we were called from
    *) PY=$(command -v "$PY") ;;
esac
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV_BIN=$(dirname "$PY")
if [ ! -x "$VENV_BIN/uv" ]; then
    echo "e2e: no uv beside $PY: give the python of the venv that \`make install\` made (.venv/bin/python)" >&2
    exit 2
fi
START=$SECONDS

# --- 1. What the journeys need -------------------------------------------------------------------------------
CHROMIUM=/usr/bin/chromium
has_chinese_font() { command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
has_chinese_font || missing+=(fonts-wqy-microhei fontconfig)  # without it every Chinese character is a box
if [ ${#missing[@]} -gt 0 ]; then
    echo "e2e: installing ${missing[*]} from the system package manager" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Playwright into the project's venv, once per lock file and per `make install` (whose `uv pip sync` removes it).
LOCK=e2e/requirements.lock
STAMP="$VENV_BIN/../.e2e-installed"
lock_hash=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$lock_hash" ] || [ "$VENV_BIN/../.installed" -nt "$STAMP" ]; then
    "$VENV_BIN/uv" pip install --quiet --python "$PY" -r "$LOCK"
    echo "$lock_hash" >"$STAMP"
fi

# --- 2. A live server on a throwaway database ------------------------------------------------------------------
OUT="$ROOT/test-output/e2e"
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/chuangye-e2e.XXXXXX)
SERVER_PID=""

cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
    echo "e2e: finished in $((SECONDS - START)) s (exit $rc); screenshots in test-output/e2e/" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The run depends on nothing in the caller's environment: no CHUANGYE_* setting leaks in (a PostgreSQL URL, say).
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^CHUANGYE_' || true)
export CHUANGYE_ENV=development CHUANGYE_DEBUG=true CHUANGYE_VAR_DIR="$TMP/var"
export TMPDIR="$TMP/tmp"  # Playwright's fresh browser profile (--user-data-dir) lands here too
mkdir -p "$CHUANGYE_VAR_DIR" "$TMPDIR"

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py seed_demo >"$TMP/seed.log" || { cat "$TMP/seed.log" >&2; exit 1; }

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE_URL="http://127.0.0.1:$PORT"
# Unbuffered, so the log holds each line as it is written (the sign-up journey reads the SMS code from it).
PYTHONUNBUFFERED=1 "$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$OUT/server.log" 2>&1 &
SERVER_PID=$!

# /healthz answers 200 once the server is up and its database answers; give up after 60 s or if the server died.
healthy() {
    "$PY" - "$BASE_URL/healthz" <<'PYEOF'
import sys
import urllib.request

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never through a proxy
try:
    with opener.open(sys.argv[1], timeout=2) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)
PYEOF
}
for _ in $(seq 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "e2e: the server stopped before answering; its log:" >&2
        cat "$OUT/server.log" >&2
        exit 1
    fi
    healthy && break
    sleep 0.5
done
if ! healthy; then
    echo "e2e: $BASE_URL/healthz did not answer 200 within 60 s; the server's log:" >&2
    cat "$OUT/server.log" >&2
    exit 1
fi
echo "e2e: server at $BASE_URL ready after $((SECONDS - START)) s" >&2

# --- 3. The journeys ------------------------------------------------------------------------------------------
export E2E_BASE_URL="$BASE_URL" E2E_OUTPUT_DIR="$OUT" E2E_CHROMIUM="$CHROMIUM"
"$PY" -m pytest -c e2e/pytest.ini e2e "$@"
