#!/usr/bin/env bash
# Faults under traffic (issue 14 item 4; faults/README.md): SIGKILL gunicorn workers mid-submission, restart
# PostgreSQL (fast, immediate, and down for a few seconds) mid-traffic; then check that every acknowledged
# submission exists exactly once, no idempotency key made two records, the ledger balances and the audit chains
# verify, and that the same gunicorn serves again without a restart.
#
#   PY=.venv/bin/python bash scripts/faults.sh        (what `make faults` runs)
#
# Everything is throwaway: a durable PostgreSQL cluster (fsync on: no PG_FAST) and gunicorn in production mode on
# free loopback ports, with secrets generated for this run; all stopped and removed at the end. Outages are answered
# by chuangye.core.dbfaults' error handlers (503, Chinese, Retry-After). Results and the
# server's log go to test-output/faults/. FAULTS_CONN_MAX_AGE sets CHUANGYE_DB_CONN_MAX_AGE (default 60: persistent
# connections, the harder case after a database restart), FAULTS_WORKERS the gunicorn workers (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=test-output/faults
mkdir -p "$OUT"
work=$(mktemp -d /tmp/chuangye-faults.XXXXXX)
server_pid=""
START=$SECONDS

step() { echo "== 故障演练：$*" >&2; }

cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    [ -f "$work/gunicorn.log" ] && cp "$work/gunicorn.log" "$OUT/gunicorn.log"
    pg_stop || true
    rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=lib/pg.sh
source scripts/lib/pg.sh
export PG_FAST=0
pg_start
export PG_BINDIR PG_RUN_AS PG_FAST  # for the driver's restarts (scripts/lib/pg.sh functions)

gen() { "$PY" -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
export CHUANGYE_DATABASE_URL="$PG_URL"
export CHUANGYE_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export CHUANGYE_PII_KEYS="k1:$(gen)"
export CHUANGYE_PII_INDEX_KEY="$(gen)"
export CHUANGYE_ALLOWED_HOSTS="chuangye.example.gov.cn"
export CHUANGYE_SMS_BACKEND=file
export CHUANGYE_VAR_DIR="$work/var"
export CHUANGYE_LOG_LEVEL=WARNING
mkdir -p "$CHUANGYE_VAR_DIR"

step "发布步骤（迁移数据库、收集静态文件）并加载演示数据"
CHUANGYE_ENV=production PY="$PY" bash scripts/release.sh >/dev/null
# Demo data and the cast are refused in production mode: loaded in development mode with the same keys.
CHUANGYE_ENV=development "$PY" manage.py seed_demo --people 40 >/dev/null
CHUANGYE_ENV=development "$PY" -m faults.setup_data "$work/state.json"

port=$(_pg_free_port)
step "启动 gunicorn（生产模式，${FAULTS_WORKERS:-3} 个工作进程，端口 $port）"
export CHUANGYE_ENV=production DJANGO_SETTINGS_MODULE=config.settings
CHUANGYE_BIND="127.0.0.1:$port" CHUANGYE_WEB_WORKERS="${FAULTS_WORKERS:-3}" \
    CHUANGYE_DB_CONN_MAX_AGE="${FAULTS_CONN_MAX_AGE:-60}" CHUANGYE_LOG_LEVEL=INFO \
    bash scripts/serve.sh >"$work/gunicorn.log" 2>&1 &
server_pid=$!  # serve.sh execs gunicorn: this is its master
for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null -H "Host: chuangye.example.gov.cn" -H "X-Forwarded-Proto: https" \
        "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/gunicorn.log" >&2; exit 1; }
    sleep 0.5
done

step "注入故障并核对（约 3 分钟）"
status=0
FAULTS_BASE_URL="http://127.0.0.1:$port" FAULTS_MASTER_PID="$server_pid" \
    "$PY" -m faults.traffic "$work/state.json" "$OUT/results.json" || status=$?
"$PY" manage.py verify_audit || status=1
if [ "$status" -eq 0 ]; then
    step "通过（$((SECONDS - START)) 秒；结果见 $OUT/results.json）"
else
    step "失败（见上；结果见 $OUT/results.json，服务器日志 $OUT/gunicorn.log）"
fi
exit "$status"
