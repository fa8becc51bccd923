# Shared settings and helpers of the Moodle comparison (sourced, not run).
#
# Everything lives under $BENCH_DIR (outside the repository and outside Moodle's source):
# two PostgreSQL clusters, Moodle's data directory, the nginx and PHP-FPM configuration,
# the logs, the prepared state and the session cookies. Every server listens on 127.0.0.1.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/moodle
BENCH_DIR=${BENCH_DIR:-/var/tmp/krupd-moodle-bench}
MOODLE_PG_PORT=${MOODLE_PG_PORT:-55440}
KRUPD_PG_PORT_BENCH=${KRUPD_PG_PORT_BENCH:-55441}
MOODLE_HTTP_PORT=${MOODLE_HTTP_PORT:-18080}
KRUPD_HTTP_PORT=${KRUPD_HTTP_PORT:-18081}
GUNICORN_PORT=${GUNICORN_PORT:-18091}
WORKERS=${WORKERS:-3}
MOODLE_ADMIN_PASSWORD=${MOODLE_ADMIN_PASSWORD:-Bench-admin-1}
PHP=${PHP:-php8.2}
PHP_FPM=${PHP_FPM:-php-fpm8.2}
PY=${PY:-$ROOT/.venv/bin/python}
WEB_USER=www-data # PHP-FPM's pool and Moodle's CLI run as nginx's user

log() { echo "moodle-bench: $*" >&2; }
die() { log "$*"; exit 1; }

need_root() { [[ $(id -u) == 0 ]] || die "run as root: PostgreSQL, PHP-FPM and nginx run as system users"; }

pg_is_running() { [[ -f $1/data/postmaster.pid ]] && kill -0 "$(head -1 "$1/data/postmaster.pid")" 2>/dev/null; }

# pg_up DIR PORT: a loopback cluster in DIR (created once by scripts/pg-start.sh, with the
# same server options as our test clusters), started if it is not running. Prints nothing;
# DIR/env holds DATABASE_URL.
pg_up() {
    local dir=$1 port=$2
    if [[ ! -f $dir/env ]]; then
        rm -rf "$dir"
        mkdir -p "$(dirname "$dir")"
        KRUPD_PG_DIR=$dir KRUPD_PG_PORT=$port "$ROOT/scripts/pg-start.sh" >/dev/null
        return
    fi
    pg_is_running "$dir" && return
    local owner
    owner=$(stat -c %U "$dir/data")
    port=$(sed -n 's#.*@127.0.0.1:\([0-9]*\)/.*#\1#p' "$dir/env")
    (cd "$dir" && runuser -u "$owner" -- "$(cat "$dir/bindir")/pg_ctl" --pgdata="$dir/data" \
        --log="$dir/server.log" --wait --timeout=60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >&2)
}

# pg_down DIR: stop the cluster, keep its data for the next run.
pg_down() {
    local dir=$1
    pg_is_running "$dir" || return 0
    (cd "$dir" && runuser -u "$(stat -c %U "$dir/data")" -- "$(cat "$dir/bindir")/pg_ctl" \
        --pgdata="$dir/data" --mode=fast --wait stop >&2) || true
}

# url_part URL FIELD: user, password, port or name of a postgres:// URL.
url_part() {
    "$PY" - "$1" "$2" <<'PY'
import sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
print({"user": u.username, "password": u.password, "port": u.port, "name": u.path.lstrip("/")}[sys.argv[2]])
PY
}

moodle_php() { runuser -u "$WEB_USER" -- "$PHP" -d max_input_vars=5000 -d memory_limit=1G "$@"; }
