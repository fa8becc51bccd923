#!/usr/bin/env bash
# Moodle for the comparison: its own PostgreSQL cluster, config.php, a non-interactive
# install and the bench's courses and students. Idempotent: a second run only starts the
# database and checks that the data is there.
#
#   bench/moodle/setup_moodle.sh MOODLE_SRC      (or MOODLE_SRC=... in the environment)
#
# Leaves Moodle's PostgreSQL running (compare.sh stops it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root

MOODLE_SRC=$(readlink -f "${1:-${MOODLE_SRC:-}}") || true
[[ -n $MOODLE_SRC && -f $MOODLE_SRC/version.php && -f $MOODLE_SRC/lib/setup.php ]] ||
    die "give Moodle's source directory (argument or MOODLE_SRC), e.g. a 4.4.x release unpacked in /opt/moodle-src"
log "Moodle $(sed -n "s/^\$release *= *'\([^']*\)'.*/\1/p" "$MOODLE_SRC/version.php") in $MOODLE_SRC"

mkdir -p "$BENCH_DIR"
chmod 755 "$BENCH_DIR"
pg_up "$BENCH_DIR/moodle-pg" "$MOODLE_PG_PORT"
url=$(sed -n 's/^export DATABASE_URL=//p' "$BENCH_DIR/moodle-pg/env")

DATAROOT=$BENCH_DIR/moodledata
mkdir -p "$DATAROOT"
chown "$WEB_USER:" "$DATAROOT"

# Moodle reads config.php from its own directory. Written only there (never in this
# repository); a config.php someone else wrote is left alone.
MARK="// Written by KruPD's comparison bench (bench/moodle/setup_moodle.sh)."
if [[ -f $MOODLE_SRC/config.php ]] && ! grep -qF "$MARK" "$MOODLE_SRC/config.php"; then
    die "$MOODLE_SRC/config.php exists and was not written by this bench; use an untouched copy of Moodle"
fi
cat >"$MOODLE_SRC/config.php" <<PHP
<?php
$MARK
unset(\$CFG);
global \$CFG;
\$CFG = new stdClass();
\$CFG->dbtype    = 'pgsql';
\$CFG->dblibrary = 'native';
\$CFG->dbhost    = '127.0.0.1';
\$CFG->dbname    = '$(url_part "$url" name)';
\$CFG->dbuser    = '$(url_part "$url" user)';
\$CFG->dbpass    = '$(url_part "$url" password)';
\$CFG->prefix    = 'mdl_';
// Persistent connections (pg_pconnect), as KruPD keeps its connections (DB_CONN_MAX_AGE).
\$CFG->dboptions = ['dbpersist' => ${MOODLE_DBPERSIST:-1}, 'dbport' => $(url_part "$url" port)];
\$CFG->wwwroot   = 'http://127.0.0.1:$MOODLE_HTTP_PORT';
\$CFG->dataroot  = '$DATAROOT';
\$CFG->admin     = 'admin';
\$CFG->directorypermissions = 02777;
require_once(__DIR__ . '/lib/setup.php');
PHP
chmod 644 "$MOODLE_SRC/config.php"

if [[ ! -f $BENCH_DIR/moodle-installed ]]; then
    log "installing Moodle into its database (several minutes) ..."
    moodle_php "$MOODLE_SRC/admin/cli/install_database.php" --agree-license --lang=en \
        --adminuser=admin --adminpass="$MOODLE_ADMIN_PASSWORD" --adminemail=admin@example.invalid \
        --fullname="Moodle (comparison bench)" --shortname=bench >"$BENCH_DIR/moodle-install.log" 2>&1 ||
        { tail -30 "$BENCH_DIR/moodle-install.log" >&2; die "Moodle's install failed; delete $BENCH_DIR/moodle-pg and $BENCH_DIR/moodledata (its database stopped) to start over"; }
    # Production settings: no debugging, no designer mode; the logged-in pages as a site shows them.
    moodle_php "$MOODLE_SRC/admin/cli/cfg.php" --name=debug --set=0
    moodle_php "$MOODLE_SRC/admin/cli/cfg.php" --name=cachejs --set=1
    moodle_php "$MOODLE_SRC/admin/cli/cfg.php" --name=themedesignermode --set=0
    moodle_php "$MOODLE_SRC/admin/cli/cfg.php" --name=enablecompletion --set=1
    touch "$BENCH_DIR/moodle-installed"
fi

log "courses and students (a few minutes the first time) ..."
install -m 644 "$HERE/moodle_data.php" "$BENCH_DIR/moodle_data.php"
moodle_php "$BENCH_DIR/moodle_data.php" "$MOODLE_SRC" site | tail -n 1 >"$BENCH_DIR/moodle-state.tmp"
mv "$BENCH_DIR/moodle-state.tmp" "$BENCH_DIR/moodle-state.json"
echo "$MOODLE_SRC" >"$BENCH_DIR/moodle-src"
log "Moodle ready"
