#!/usr/bin/env bash
# The rules-engine benchmark: our engine and OpenFisca-Core side by side on the same rules and population.
# Usage: bash bench/run.sh [python]   (make bench passes the virtualenv's interpreter). Writes bench/README.md.
#
# Every parameter snapshot reads the LPR table (rates published after the shipped history), so the benchmark runs
# against a throwaway SQLite database, migrated, which seeds the LPR history, rather than against whatever local
# database exists, or none: the read is then the one the platform makes, and the same on every machine. A
# configured database (CHUANGYE_DATABASE_URL) is set aside, so the benchmark never migrates it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE=config.settings
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
unset CHUANGYE_DATABASE_URL CHUANGYE_DATABASE_URL_FILE
CHUANGYE_VAR_DIR="$(mktemp -d)"
export CHUANGYE_VAR_DIR
trap 'rm -rf "$CHUANGYE_VAR_DIR"' EXIT
"$PY" manage.py migrate --verbosity 0
"$PY" bench/compare.py --write bench/README.md
