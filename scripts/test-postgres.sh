#!/usr/bin/env bash
# Run a command (the test suite) against a throwaway PostgreSQL cluster.
#
# Uses the machine's PostgreSQL server binaries, installing Debian's `postgresql` package if they are missing.
# PostgreSQL refuses to run as root, so the cluster runs as an unprivileged system user (`postgres` if the package
# created it, else `chuangye-pg`). The cluster lives in a temporary directory, listens on a free loopback port,
# and is stopped and removed whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

find_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
    echo "PostgreSQL server not found; installing it from the system package manager" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    BINDIR=$(find_bindir)
fi

RUN_AS=""
if [ "$(id -u)" = "0" ]; then
    if id postgres >/dev/null 2>&1; then
        RUN_AS=postgres
    else
        id chuangye-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin chuangye-pg
        RUN_AS=chuangye-pg
    fi
fi
as_pg() { if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi; }

DIR=$(mktemp -d /tmp/chuangye-pg.XXXXXX)
chmod 755 "$DIR"
[ -n "$RUN_AS" ] && chown "$RUN_AS" "$DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
    as_pg "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

as_pg "$BINDIR/initdb" -D "$DIR/data" -U chuangye -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
    "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $DIR)" >&2

export CHUANGYE_DATABASE_URL="postgres://chuangye@127.0.0.1:$PORT/chuangye"
as_pg "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U chuangye chuangye
"$@"
