#!/usr/bin/env bash
# Back up the database that CHUANGYE_DATABASE_URL names (SQLite or PostgreSQL) and the uploaded files (MEDIA_ROOT).
#
#   scripts/backup.sh DIR      # DIR must be new or empty; writes database.sqlite3 or database.dump,
#                              # media.tar.gz and manifest.json (checksums and a fingerprint for drill_check)
#
# SQLite is copied with the online backup API (safe while the platform runs); PostgreSQL with
# `pg_dump --format=custom` (one consistent snapshot). Set CHUANGYE_PG_BINDIR to choose the PostgreSQL client
# programs; by default the newest /usr/lib/postgresql/*/bin, else the PATH. Run it with the same CHUANGYE_*
# environment as the platform.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ $# -eq 1 ] || { echo "用法：scripts/backup.sh 备份目录" >&2; exit 2; }
exec "$PY" manage.py backup "$1"
