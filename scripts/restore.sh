#!/usr/bin/env bash
# Restore a backup directory written by scripts/backup.sh into the database that CHUANGYE_DATABASE_URL names and
# into MEDIA_ROOT, then check the result against the backup's manifest.
#
#   scripts/restore.sh DIR             # into an empty database (a new SQLite file, or a new PostgreSQL database)
#   scripts/restore.sh DIR --replace   # overwrite a database that already has tables (destroys its data)
#
# The checksums of the backup files are verified before anything is written. Stop the platform first. For
# PostgreSQL, create the target database beforehand (`createdb`); the dump carries no owners or privileges, so the
# tables belong to the user in CHUANGYE_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ $# -ge 1 ] || { echo "用法：scripts/restore.sh 备份目录 [--replace]" >&2; exit 2; }
"$PY" manage.py restore "$@"
"$PY" manage.py drill_check "$1"
