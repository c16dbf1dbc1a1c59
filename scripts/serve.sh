#!/usr/bin/env bash
# Production-style app server: gunicorn (config/gunicorn.conf.py) in production mode. Configuration only through
# CHUANGYE_* environment variables (docs/deployment.md). Migrations and static files are a release step run once,
# not by every app server (`make migrate`, scripts/release.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export CHUANGYE_ENV=${CHUANGYE_ENV:-production}
if [ -z "${CHUANGYE_DATABASE_URL:-}" ] && [ -z "${CHUANGYE_DATABASE_URL_FILE:-}" ]; then
    echo "CHUANGYE_DATABASE_URL is not set: the production server runs on PostgreSQL (see docs/deployment.md)." >&2
    exit 2
fi
"$PY" manage.py check --deploy --fail-level ERROR >/dev/null
STATIC_ROOT=$("$PY" -c 'import os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings"); django.setup(); from django.conf import settings; print(settings.STATIC_ROOT)')
if [ ! -f "$STATIC_ROOT/staticfiles.json" ]; then
    echo "No collected static files in $STATIC_ROOT: run 'make migrate' (scripts/release.sh) for this release first." >&2
    exit 2
fi
exec "$(dirname "$PY")/gunicorn" --config config/gunicorn.conf.py config.wsgi:application
