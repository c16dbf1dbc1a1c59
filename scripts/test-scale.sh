#!/usr/bin/env bash
# The multi-process test (issue 15): Redis and PostgreSQL on loopback, two app servers (gunicorn) and two task
# workers (RQ), all in production mode and started with the same scripts as a deployment (docs/deployment.md).
#
#   1. a throwaway PostgreSQL cluster and a Redis server (installed from the system package manager if missing);
#   2. `manage.py migrate`, then the test data (scale/setup_data.py: 40,000 registrants in four counties, 4,000
#      guaranteed loans of four banks);
#   3. a copy of the database, on which the single-process reference runs (scale/single.py);
#   4. scale/run.py: servers and workers, the same work as jobs split across the workers, one worker killed with
#      SIGKILL mid-part, sessions and uploads across servers;
#   5. the two databases compared (scale/fingerprint.py) and the audit hash chains verified.
# Logs go to test-output/scale/. Everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export PY
source scripts/lib/pg.sh

if ! command -v redis-server >/dev/null 2>&1; then
    echo "Redis not found; installing it from the system package manager" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
WORK=$(mktemp -d /tmp/chuangye-scale.XXXXXX)
REDIS_PID=""
cleanup() {
    [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
    pg_stop
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

mkdir -p test-output/scale
export SCALE_LOG_DIR=test-output/scale
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    >test-output/scale/redis.log 2>&1 &
REDIS_PID=$!
PG_FAST=1 pg_start

gen() { "$PY" -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
# Production mode, configured only through the environment, as docs/deployment.md describes.
export CHUANGYE_ENV=production
export CHUANGYE_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export CHUANGYE_PII_KEYS="k1:$(gen)"
export CHUANGYE_PII_INDEX_KEY="$(gen)"
export CHUANGYE_ALLOWED_HOSTS="chuangye.test"
export CHUANGYE_SMS_BACKEND=file
export CHUANGYE_VAR_DIR="$WORK/var"
export CHUANGYE_MEDIA_ROOT="$WORK/media"  # shared by both app servers (NFS or the like in a deployment)
export CHUANGYE_DATABASE_URL="$PG_URL"
export CHUANGYE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CHUANGYE_TASKS=rq
export CHUANGYE_WEB_WORKERS=2
export CHUANGYE_ACCESS_LOG=""
# Short leases so the test need not wait ten minutes for a killed worker's part; no calendar jobs on this rig.
export CHUANGYE_JOB_LEASE_SECONDS=10
export CHUANGYE_JOB_SWEEP_SECONDS=2
export CHUANGYE_JOB_SCHEDULE=false
export SCALE_ON
SCALE_ON=$(TZ=Asia/Shanghai date +%F)
mkdir -p "$CHUANGYE_VAR_DIR" "$CHUANGYE_MEDIA_ROOT"

PY="$PY" bash scripts/release.sh >/dev/null
echo "preparing data" >&2
CHUANGYE_ENV=development "$PY" scale/setup_data.py
pg_createdb -T chuangye reference
REFERENCE_URL="postgres://chuangye@127.0.0.1:$PG_PORT/reference"
CHUANGYE_DATABASE_URL="$REFERENCE_URL" CHUANGYE_TASKS=immediate "$PY" scale/single.py "$SCALE_ON"

export SCALE_PORT_A SCALE_PORT_B
SCALE_PORT_A=$(free_port)
SCALE_PORT_B=$(free_port)
status=0
"$PY" scale/run.py || status=1

"$PY" scale/fingerprint.py >"$WORK/split.json"
CHUANGYE_DATABASE_URL="$REFERENCE_URL" "$PY" scale/fingerprint.py >"$WORK/single.json"
"$PY" - "$WORK/split.json" "$WORK/single.json" <<'PYEOF' || status=1
import json, sys
split, single = (json.load(open(p)) for p in sys.argv[1:3])
print("rows written:", split["counts"])
bad = [name for name in single["digests"] if split["digests"][name] != single["digests"][name]]
dupes = {k: v for k, v in split["duplicates"].items() if v}
print(("ok   " if not bad else "FAIL ") + "split across workers equals the single-process run" + (f": differs in {bad}" if bad else ""))
print(("ok   " if not dupes else "FAIL ") + "nothing duplicated" + (f": {dupes}" if dupes else ""))
sys.exit(1 if bad or dupes or not split["counts"]["policy_matches"] or not split["counts"]["claim_lines"] else 0)
PYEOF
if "$PY" manage.py verify_audit >"$WORK/audit.txt" 2>&1; then
    echo "ok   audit hash chains verify after parallel work"
else
    cat "$WORK/audit.txt"; echo "FAIL audit hash chains"; status=1
fi
[ "$status" = 0 ] && echo "test-scale: passed" || echo "test-scale: FAILED (logs in test-output/scale/)"
exit "$status"
