#!/usr/bin/env bash
# Production-style app server: gunicorn (config/gunicorn.conf.py) in production mode. Configuration only through
# CHUANGYE_* environment variables (docs/deployment.md); migrations are a separate step (`make migrate`), run once
# per release, not by every app server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export CHUANGYE_ENV=${CHUANGYE_ENV:-production}
if [ -z "${CHUANGYE_DATABASE_URL:-}" ]; then
    echo "CHUANGYE_DATABASE_URL is not set: the production server runs on PostgreSQL (see docs/deployment.md)." >&2
    exit 2
fi
"$PY" manage.py check --deploy --fail-level ERROR >/dev/null
"$PY" manage.py collectstatic --no-input -v 0
exec "$(dirname "$PY")/gunicorn" --config config/gunicorn.conf.py config.wsgi:application
