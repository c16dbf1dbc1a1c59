#!/usr/bin/env bash
# The rules-engine benchmark: our engine and OpenFisca-Core side by side on the same rules and population.
# Usage: bash bench/run.sh [python]   (make bench passes the virtualenv's interpreter). Writes bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE=config.settings
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
"$PY" bench/compare.py --write bench/README.md
