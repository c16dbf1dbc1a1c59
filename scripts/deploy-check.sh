#!/usr/bin/env bash
# `manage.py check --deploy` in production mode must give no warning. Throwaway secrets are generated for this
# run only; nothing is written anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
gen() { "$PY" -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"; }
export CHUANGYE_ENV=production
export CHUANGYE_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export CHUANGYE_PII_KEYS="k1:$(gen)"
export CHUANGYE_PII_INDEX_KEY="$(gen)"
export CHUANGYE_ALLOWED_HOSTS="chuangye.example.gov.cn"
export CHUANGYE_SMS_BACKEND=file
export CHUANGYE_VAR_DIR="$(mktemp -d)"
trap 'rm -rf "$CHUANGYE_VAR_DIR"' EXIT
"$PY" manage.py check --deploy --fail-level WARNING
