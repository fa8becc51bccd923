#!/usr/bin/env bash
# KruPD side by side with Moodle on this machine: sets both up (idempotent), starts the
# servers, runs the workloads with wrk and prints the table; stops everything it started.
#
#   bash bench/moodle/compare.sh MOODLE_SRC [drive.py options]
#   MOODLE_SRC=/opt/moodle-src bash bench/moodle/compare.sh --seconds 15 --concurrency 8,16
#
# Options (bench/moodle/drive.py): --seconds N (15), --rounds N (2), --concurrency 8,16, --warmup N (3),
# --workloads course-5,dashboard,search,self-enrol,course-20.
# Needs root, Debian's php8.2-fpm (with pgsql, intl, xml, mbstring, curl, zip, gd, soap),
# nginx, wrk and PostgreSQL; state and logs under $BENCH_DIR (/var/tmp/krupd-moodle-bench).
# DB_CONN_MAX_AGE=0 measures KruPD without persistent database connections.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,13s/^# \{0,1\}//p' "$0"
    exit 0
fi
need_root

if [[ ${1:-} != -* && -n ${1:-} ]]; then
    MOODLE_SRC=$1
    shift
fi
export MOODLE_SRC=${MOODLE_SRC:-}
for tool in "$PHP" "$PHP_FPM" nginx wrk curl; do
    command -v "$tool" >/dev/null ||
        die "$tool not found: apt-get install -y php8.2-fpm php8.2-cli php8.2-pgsql php8.2-intl php8.2-xml php8.2-mbstring php8.2-curl php8.2-zip php8.2-gd php8.2-soap nginx wrk curl"
done

DRIVER=
cleanup() {
    [[ -z $DRIVER ]] || kill -TERM "$DRIVER" 2>/dev/null || true
    "$HERE/servers.sh" stop || true
    pg_down "$BENCH_DIR/moodle-pg"
    pg_down "$BENCH_DIR/krupd-pg"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

"$HERE/setup_moodle.sh" "$MOODLE_SRC"
"$HERE/setup_krupd.sh"
"$HERE/servers.sh" start
source "$BENCH_DIR/krupd-pg/env"
export BENCH_DIR MOODLE_HTTP_PORT KRUPD_HTTP_PORT PHP
cd "$ROOT"
# The whole comparison is bounded: 10 runs of --seconds each side, plus log-ins and set-up.
# In the background, so that an interrupt stops it and the servers at once.
timeout 1800 "$PY" -m bench.moodle.drive "$@" &
DRIVER=$!
wait "$DRIVER"
