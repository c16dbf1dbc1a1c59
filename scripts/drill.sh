#!/usr/bin/env bash
# Restore drill: seed a throwaway database with the demo data (and sample uploaded files), back it up, restore the
# backup into a second, scratch database, and check the copy with `manage.py drill_check` (row counts and contents
# of every table, ledger totals and balance, subsidy reconciliation, the audit hash chains, every attachment's file
# and sha256). Exits non-zero with the list of differences if anything does not match.
#
#   scripts/drill.sh            # SQLite, then PostgreSQL (a throwaway cluster via scripts/test-postgres.sh)
#   scripts/drill.sh sqlite     # SQLite only
#   scripts/drill.sh postgres   # PostgreSQL only
#
# Never touches var/ or a configured database: everything lives in a temporary directory (and, for PostgreSQL, a
# throwaway cluster), removed at the end. DRILL_PEOPLE sets the number of demo registrants (default 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export PY
PEOPLE=${DRILL_PEOPLE:-2000}
work=""

step() { echo "== 恢复演练（$1）：$2" >&2; }

# seed_and_backup LABEL BACKUP_DIR: the source database is whatever the CHUANGYE_* environment names.
seed_and_backup() {
    step "$1" "建立源数据库并加载演示数据（$PEOPLE 人）"
    "$PY" manage.py migrate --no-input >/dev/null
    "$PY" manage.py seed_demo --people "$PEOPLE" >/dev/null 2>&1
    "$PY" manage.py drill_files
    "$PY" manage.py verify_audit
    step "$1" "备份"
    "$PY" manage.py backup "$2"
}

restore_and_check() {
    step "$1" "恢复到空白的演练数据库并核对"
    "$PY" manage.py restore "$2"
    "$PY" manage.py drill_check "$2"
}

sqlite_drill() {
    work=$(mktemp -d /tmp/chuangye-drill.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    (
        export CHUANGYE_VAR_DIR="$work/source" CHUANGYE_MEDIA_ROOT="$work/source/media"
        export CHUANGYE_DATABASE_URL="sqlite:///$work/source/chuangye.sqlite3"
        seed_and_backup SQLite "$work/backup"
    )
    (
        export CHUANGYE_VAR_DIR="$work/scratch" CHUANGYE_MEDIA_ROOT="$work/scratch/media"
        export CHUANGYE_DATABASE_URL="sqlite:///$work/scratch/chuangye.sqlite3"
        restore_and_check SQLite "$work/backup"
    )
    step SQLite "通过"
}

# Runs inside scripts/test-postgres.sh, which sets CHUANGYE_DATABASE_URL to a fresh database of a throwaway cluster.
postgres_drill_inside() {
    local bindir scratch_url
    work=$(mktemp -d /tmp/chuangye-drill.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    scratch_url="${CHUANGYE_DATABASE_URL%/*}/chuangye_drill_scratch"
    (
        export CHUANGYE_VAR_DIR="$work/source" CHUANGYE_MEDIA_ROOT="$work/source/media"
        seed_and_backup PostgreSQL "$work/backup"
    )
    "$bindir/psql" --quiet --dbname="$CHUANGYE_DATABASE_URL" -c "CREATE DATABASE chuangye_drill_scratch"
    (
        export CHUANGYE_VAR_DIR="$work/scratch" CHUANGYE_MEDIA_ROOT="$work/scratch/media"
        export CHUANGYE_DATABASE_URL="$scratch_url"
        restore_and_check PostgreSQL "$work/backup"
    )
    step PostgreSQL "通过"
}

case "${1:-all}" in
    sqlite) sqlite_drill ;;
    postgres) exec bash scripts/test-postgres.sh bash scripts/drill.sh _postgres_inside ;;
    _postgres_inside) postgres_drill_inside ;;
    all)
        bash scripts/drill.sh sqlite
        bash scripts/drill.sh postgres
        ;;
    *) echo "用法：scripts/drill.sh [sqlite|postgres]" >&2; exit 2 ;;
esac
