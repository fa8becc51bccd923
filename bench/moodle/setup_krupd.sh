#!/usr/bin/env bash
# KruPD for the comparison: its own PostgreSQL cluster, migrations, static files and the
# bench's office, courses and logins (bench/moodle/krupd_side.py). Idempotent.
# Leaves KruPD's PostgreSQL running (compare.sh stops it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root

mkdir -p "$BENCH_DIR"
chmod 755 "$BENCH_DIR"
pg_up "$BENCH_DIR/krupd-pg" "$KRUPD_PG_PORT_BENCH"
source "$BENCH_DIR/krupd-pg/env"
cd "$ROOT"
log "KruPD: migrations and static files ..."
"$PY" manage.py migrate --noinput -v 0
KRUPD_PRODUCTION=1 DEBUG=false SECRET_KEY=$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=127.0.0.1 \
    "$PY" manage.py collectstatic --noinput -v 0
log "KruPD: office, courses and logins (a few minutes the first time) ..."
KRUPD_DEMO_CACHE=off "$PY" -m bench.moodle.krupd_side prepare "$BENCH_DIR/krupd-state.json" >/dev/null
log "KruPD ready"
