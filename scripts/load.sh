#!/usr/bin/env bash
# Load scenario (`make load`): gunicorn in production mode on a throwaway PostgreSQL holding a synthetic population
# (1,000,000 registrants by default), mixed citizen and officer traffic from locust (headless), all on loopback.
# Reports p50/p95/p99, counts and failures per request kind to bench/README.md (section <!-- load -->) and exits
# non-zero if any request failed or the p95 of case-list or decision requests is above 200 ms.
#
# The server runs as docs/deployment.md describes for production, with CHUANGYE_DB_CONN_MAX_AGE=60 (recommended
# there) unless set otherwise; security settings are the production defaults.
#
# Variables: LOAD_PEOPLE (1000000), LOAD_USERS (50), LOAD_SECONDS (120), LOAD_WAIT ("1,3": seconds each user waits
# between requests), LOAD_CASES (1200 submitted applications to decide), LOAD_WORKERS (2 x cores + 1),
# LOAD_LIMIT_MS (200), LOAD_REPORT (bench/README.md; empty = print only). Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
LOAD_PEOPLE=${LOAD_PEOPLE:-1000000}
LOAD_USERS=${LOAD_USERS:-50}
LOAD_SECONDS=${LOAD_SECONDS:-120}
LOAD_WAIT=${LOAD_WAIT:-1,3}
LOAD_CASES=${LOAD_CASES:-1200}
LOAD_WORKERS=${LOAD_WORKERS:-$(($(nproc) * 2 + 1))}
LOAD_LIMIT_MS=${LOAD_LIMIT_MS:-200}
LOAD_REPORT=${LOAD_REPORT-bench/README.md}

WORK=$(mktemp -d /tmp/chuangye-load.XXXXXX)
SERVER_PID=""
# shellcheck source=scripts/lib/pg.sh
source scripts/lib/pg.sh
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    pg_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
started=$SECONDS
step() { echo "[load $((SECONDS - started))s] $*" >&2; }

# Throwaway secrets for this run only (as scripts/deploy-check.sh); the same keys for the data preparation and the
# server, so the server can read the personal data the preparation encrypted.
gen() { "$PY" -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
export CHUANGYE_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export CHUANGYE_PII_KEYS="k1:$(gen)"
export CHUANGYE_PII_INDEX_KEY="$(gen)"
export CHUANGYE_SMS_BACKEND=file
export CHUANGYE_VAR_DIR="$WORK/var"
mkdir -p "$CHUANGYE_VAR_DIR"

# PG_FAST: no fsync (a benchmark database nobody needs after the run); durability is not what is measured.
PG_FAST=1 pg_start
export CHUANGYE_DATABASE_URL="$PG_URL"

# The release step, as for production (scripts/release.sh: migrations, then static files with hashed names).
step "release: migrate and collectstatic"
CHUANGYE_ENV=production CHUANGYE_ALLOWED_HOSTS=127.0.0.1 PY="$PY" bash scripts/release.sh >"$WORK/release.log" 2>&1 \
    || { tail -n 40 "$WORK/release.log"; exit 1; }
# Data preparation in development mode: generate_population is refused in production mode.
step "seed_demo"
env -u CHUANGYE_ENV "$PY" manage.py seed_demo >"$WORK/seed.log" 2>&1 || { tail -n 40 "$WORK/seed.log"; exit 1; }
step "generate_population --people $LOAD_PEOPLE"
env -u CHUANGYE_ENV "$PY" manage.py generate_population --people "$LOAD_PEOPLE" | tail -n 1
step "accounts and $LOAD_CASES submitted applications"
env -u CHUANGYE_ENV "$PY" load/setup.py --out "$WORK/accounts.json" --cases "$LOAD_CASES" 2>"$WORK/setup.log" \
    || { tail -n 40 "$WORK/setup.log"; exit 1; }
pg_psql -d chuangye -c "VACUUM ANALYZE"
counts=$(pg_psql -d chuangye -At -F ' ' -c "SELECT (SELECT count(*) FROM registry_person), \
    (SELECT count(*) FROM cases_case), (SELECT count(*) FROM accounts_user)")
read -r n_people n_cases n_users <<<"$counts"

# Persistent database connections, as docs/deployment.md recommends for production (CHUANGYE_DB_CONN_MAX_AGE=60;
# the default 0 opens a connection per request). Set CHUANGYE_DB_CONN_MAX_AGE=0 to measure without.
export CHUANGYE_DB_CONN_MAX_AGE=${CHUANGYE_DB_CONN_MAX_AGE:-60}
PORT=$(_pg_free_port)
HOST="http://127.0.0.1:$PORT"
export CHUANGYE_ALLOWED_HOSTS=127.0.0.1
step "gunicorn ($LOAD_WORKERS workers) on $HOST"
CHUANGYE_ENV=production CHUANGYE_BIND="127.0.0.1:$PORT" \
    CHUANGYE_WEB_WORKERS="$LOAD_WORKERS" CHUANGYE_ACCESS_LOG="$WORK/access.log" PY="$PY" \
    GUNICORN_CMD_ARGS="--access-logformat '%(m)s %(U)s ?%(q)s %(s)s %(M)s'" \
    bash scripts/serve.sh >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "$HOST/healthz" 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then tail -n 40 "$WORK/server.log"; exit 1; fi
    sleep 1
done
curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "$HOST/healthz" || { tail -n 40 "$WORK/server.log"; exit 1; }

step "signing the accounts in (password, and TOTP for officers) before the timed run"
"$PY" load/signin.py --host "$HOST" --accounts "$WORK/accounts.json" --out "$WORK/sessions.json"

step "locust: $LOAD_USERS users for ${LOAD_SECONDS}s"
PG_MAIN_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
"$PY" load/cpu.py snapshot "$WORK/cpu.before" "$SERVER_PID" "$PG_MAIN_PID"
set +e
LOAD_SESSIONS="$WORK/sessions.json" LOAD_WAIT="$LOAD_WAIT" "$PY" load/cpu.py run "$WORK/locust.cpu" -- \
    "$BIN/locust" -f load/locustfile.py --headless \
    -u "$LOAD_USERS" -r 10 -t "${LOAD_SECONDS}s" --host "$HOST" --csv "$WORK/stats" --only-summary \
    --loglevel WARNING >"$WORK/locust.log" 2>&1
locust_rc=$?
set -e
"$PY" load/cpu.py snapshot "$WORK/cpu.after" "$SERVER_PID" "$PG_MAIN_PID"
cpu=$("$PY" load/cpu.py spec "$WORK/cpu.before" "$WORK/cpu.after" "$WORK/locust.cpu")
if [ ! -s "$WORK/stats_stats.csv" ]; then
    echo "locust wrote no statistics (exit $locust_rc):" >&2
    tail -n 40 "$WORK/locust.log" >&2
    exit 1
fi
# Server errors (5xx) in the access log (method path ?query status milliseconds); locust counts them as failures too.
awk '$4 >= 500 {print "server error:", $0}' "$WORK/access.log" | head -n 5 >&2

versions="gunicorn $("$BIN/gunicorn" --version 2>&1 | awk '{print $NF}' | tr -d ')'), "
versions+="PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}'), "
versions+="locust $("$BIN/locust" --version 2>/dev/null | awk '{print $2}'), "
versions+="$("$PY" -c 'import platform, django; print(f"Python {platform.python_version()}, Django {django.get_version()}")')."
report_args=(--csv "$WORK/stats" --access-log "$WORK/access.log" --cpu "$cpu" --users "$LOAD_USERS" --seconds "$LOAD_SECONDS"
    --people "$n_people" --workers "$LOAD_WORKERS" --conn-max-age "$CHUANGYE_DB_CONN_MAX_AGE" --wait "$LOAD_WAIT"
    --limit-ms "$LOAD_LIMIT_MS" --versions "$versions"
    --setup "Cases: $n_cases (of which $LOAD_CASES submitted 个体工商户 applications to decide), accounts: $n_users.")
[ -n "$LOAD_REPORT" ] && report_args+=(--write "$LOAD_REPORT")
set +e
"$PY" load/report.py "${report_args[@]}"
report_rc=$?
set -e
step "done (locust exit $locust_rc, report exit $report_rc)"
if [ "$report_rc" -ne 0 ] || { [ "$locust_rc" -ne 0 ] && [ "$locust_rc" -ne 1 ]; }; then
    exit 1
fi
