#!/usr/bin/env bash
# Run a command (the test suite) against a throwaway PostgreSQL cluster.
#
# The cluster comes from scripts/lib/pg.sh: the machine's PostgreSQL server binaries (Debian's `postgresql` package
# installed if they are missing), run as an unprivileged system user (PostgreSQL refuses root), in a temporary
# directory on a free loopback port, with fsync off (nothing here needs to survive a crash), and stopped and removed
# whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg.sh
trap pg_stop EXIT INT TERM
PG_FAST=1 pg_start
export CHUANGYE_DATABASE_URL="$PG_URL"
"$@"
