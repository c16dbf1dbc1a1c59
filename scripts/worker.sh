#!/usr/bin/env bash
# Task worker: runs job parts and other background tasks from the configured queue (database or Redis), and every
# CHUANGYE_JOB_SWEEP_SECONDS re-queues parts whose worker died and starts scheduled jobs that are due.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export CHUANGYE_ENV=${CHUANGYE_ENV:-production}
exec "$PY" manage.py run_worker "$@"
