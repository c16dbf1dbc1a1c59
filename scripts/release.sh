#!/usr/bin/env bash
# Once per release, on one machine, before (re)starting the app servers: apply the database migrations and collect
# the static files (hashed names and pre-compressed copies, served by nginx or whitenoise). `make migrate` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export CHUANGYE_ENV=${CHUANGYE_ENV:-production}
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input -v 0
