# Shell functions for a throwaway PostgreSQL cluster on loopback; `source` this file (bash).
#
#   pg_start            initdb + start; sets PG_DIR, PG_PORT, PG_URL (postgres://chuangye@127.0.0.1:PORT/chuangye)
#   pg_createdb NAME    create another database in the cluster
#   pg_restart [MODE]   stop (fast, or MODE: smart|fast|immediate) and start again on the same port
#   pg_stop             stop and remove the cluster (safe to call twice; use it in an EXIT trap)
#   pg_psql ARGS...     psql as the cluster's superuser
#
# Uses the machine's PostgreSQL server binaries, installing Debian's `postgresql` package if they are missing.
# PostgreSQL refuses to run as root, so the cluster runs as an unprivileged system user (`postgres` if the package
# created it, else `chuangye-pg`). PG_FAST=1 turns off fsync and friends (tests that never crash the server).

_pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

_pg_prepare() {
    PG_BINDIR=$(_pg_bindir || true)
    if [ -z "$PG_BINDIR" ] || [ ! -x "$PG_BINDIR/initdb" ]; then
        echo "PostgreSQL server not found; installing it from the system package manager" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        PG_BINDIR=$(_pg_bindir)
    fi
    PG_RUN_AS=""
    if [ "$(id -u)" = "0" ]; then
        if id postgres >/dev/null 2>&1; then
            PG_RUN_AS=postgres
        else
            id chuangye-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin chuangye-pg
            PG_RUN_AS=chuangye-pg
        fi
    fi
}

_pg_as() { if [ -n "$PG_RUN_AS" ]; then runuser -u "$PG_RUN_AS" -- "$@"; else "$@"; fi; }

_pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_pg_ctl_start() {
    local options="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=${PG_MAX_CONNECTIONS:-200}"
    if [ "${PG_FAST:-0}" = "1" ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    _pg_as "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o "$options" start >/dev/null
}

pg_start() {
    PG_FAST=${PG_FAST:-0}; export PG_FAST
    _pg_prepare
    PG_DIR=$(mktemp -d /tmp/chuangye-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    [ -n "$PG_RUN_AS" ] && chown "$PG_RUN_AS" "$PG_DIR"
    PG_PORT=$(_pg_free_port)
    _pg_as "$PG_BINDIR/initdb" -D "$PG_DIR/data" -U chuangye -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    _pg_ctl_start
    _pg_as "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U chuangye chuangye
    PG_URL="postgres://chuangye@127.0.0.1:$PG_PORT/chuangye"
    export PG_DIR PG_PORT PG_URL
    echo "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)" >&2
}

pg_createdb() { _pg_as "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U chuangye "$@"; }

pg_psql() { _pg_as "$PG_BINDIR/psql" -h 127.0.0.1 -p "$PG_PORT" -U chuangye -v ON_ERROR_STOP=1 -q "$@"; }

pg_restart() {
    _pg_as "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w stop >/dev/null
    _pg_ctl_start
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
        _pg_as "$PG_BINDIR/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
    PG_DIR=""
}
