#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for tests, listening on 127.0.0.1 only.
#
#   eval "$(scripts/pg-start.sh)"     # sets DATABASE_URL and KRUPD_PG_DIR
#   ...                                # run anything against $DATABASE_URL
#   scripts/pg-stop.sh "$KRUPD_PG_DIR" # stop the server, delete its files
#
# Prints only shell `export` lines on stdout; progress goes to stderr. Installs Debian's
# postgresql package when no initdb/pg_ctl is found (as root only). PostgreSQL refuses to
# run as root, so as root the server runs as the `postgres` system user (or a dedicated
# `krupd-pg` user when there is none). The database `krupd` belongs to the user `krupd`,
# who may create databases: pytest-django creates `test_krupd` (and one per xdist worker).
#
# Environment: KRUPD_PG_PORT (first port to try, default 54329), KRUPD_PG_DIR (data
# directory parent; default a new temp dir).
set -euo pipefail

log() { echo "pg-start: $*" >&2; }
die() { log "$*"; exit 1; }

find_bindir() {
    local initdb dir
    if initdb=$(command -v initdb) && command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$initdb")"
        return 0
    fi
    # Debian keeps the server binaries off PATH: /usr/lib/postgresql/<major>/bin.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! BINDIR=$(find_bindir); then
    [[ $(id -u) == 0 ]] || die "PostgreSQL server binaries not found; install them with: sudo apt-get install -y postgresql"
    log "installing Debian's postgresql package ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BINDIR=$(find_bindir) || die "postgresql installed, but initdb/pg_ctl still not found"
fi
log "using $("$BINDIR/postgres" --version) from $BINDIR"

# Who runs the server: ourselves, or (as root) an unprivileged system user.
RUN_AS=()
if [[ $(id -u) == 0 ]]; then
    PGUSER_OS=postgres
    if ! id -u "$PGUSER_OS" >/dev/null 2>&1; then
        PGUSER_OS=krupd-pg
        id -u "$PGUSER_OS" >/dev/null 2>&1 ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PGUSER_OS"
    fi
    RUN_AS=(runuser -u "$PGUSER_OS" --)
fi

PGROOT=${KRUPD_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/krupd-pg.XXXXXX")}
mkdir -p "$PGROOT"
chmod 700 "$PGROOT"
[[ ${#RUN_AS[@]} == 0 ]] || chown "$PGUSER_OS" "$PGROOT"
DATA=$PGROOT/data
# Run from a directory the server's user can read (root's home is not one).
cd "$PGROOT"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${KRUPD_PG_PORT:-54329}
for _ in $(seq 1 50); do
    port_in_use "$PORT" || break
    PORT=$((PORT + 1))
done
port_in_use "$PORT" && die "no free port found from ${KRUPD_PG_PORT:-54329} on"

PASSWORD=krupd-$(od -An -N8 -tx8 /dev/urandom | tr -d ' \n')

LOCALE_ARGS=(--locale=C.UTF-8)
locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || LOCALE_ARGS=(--no-locale)
log "initdb in $DATA"
"${RUN_AS[@]}" "$BINDIR/initdb" --pgdata="$DATA" --username=postgres --encoding=UTF8 \
    "${LOCALE_ARGS[@]}" --auth-local=trust --auth-host=scram-sha-256 >"$PGROOT/initdb.log" 2>&1 ||
    { cat "$PGROOT/initdb.log" >&2; die "initdb failed"; }

# Test server: durability is traded for speed (the data is thrown away anyway).
log "starting on 127.0.0.1:$PORT"
"${RUN_AS[@]}" "$BINDIR/pg_ctl" --pgdata="$DATA" --log="$PGROOT/server.log" --wait --timeout=60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { cat "$PGROOT/server.log" >&2; die "the server did not start"; }

psql_super() {
    "${RUN_AS[@]}" "$BINDIR/psql" --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
        -h "$PGROOT" -p "$PORT" -U postgres -d postgres "$@" >&2
}
psql_super -c "CREATE ROLE krupd LOGIN CREATEDB PASSWORD '$PASSWORD'"
psql_super -c "CREATE DATABASE krupd OWNER krupd"

echo "$BINDIR" >"$PGROOT/bindir"
cat >"$PGROOT/env" <<ENV
export KRUPD_PG_DIR=$PGROOT
export DATABASE_URL=postgres://krupd:$PASSWORD@127.0.0.1:$PORT/krupd
ENV
chmod 644 "$PGROOT/env"
log "ready: postgres://krupd:***@127.0.0.1:$PORT/krupd (stop with scripts/pg-stop.sh $PGROOT)"
cat "$PGROOT/env"
