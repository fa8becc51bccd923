#!/usr/bin/env bash
# Stop a server started by scripts/pg-start.sh and delete its files.
#   scripts/pg-stop.sh "$KRUPD_PG_DIR"
set -euo pipefail

PGROOT=${1:-${KRUPD_PG_DIR:-}}
[[ -n $PGROOT ]] || { echo "usage: $0 PG_DIR (the KRUPD_PG_DIR printed by pg-start.sh)" >&2; exit 2; }
[[ -d $PGROOT ]] || exit 0
# Refuse to delete anything that pg-start.sh did not make.
[[ -f $PGROOT/env && -d $PGROOT/data ]] || { echo "pg-stop: $PGROOT is not a pg-start.sh directory" >&2; exit 2; }

DATA=$PGROOT/data
owner=$(stat -c %U "$DATA")
RUN_AS=()
[[ $(id -u) == 0 && $owner != root ]] && RUN_AS=(runuser -u "$owner" --)

pg_ctl=$(cat "$PGROOT/bindir" 2>/dev/null)/pg_ctl
[[ -x $pg_ctl ]] || pg_ctl=$(command -v pg_ctl)

if [[ -f $DATA/postmaster.pid ]]; then
    (cd "$PGROOT" && "${RUN_AS[@]}" "$pg_ctl" --pgdata="$DATA" --mode=fast --wait stop >&2) ||
        echo "pg-stop: pg_ctl stop failed; see $PGROOT/server.log" >&2
fi
rm -rf "$PGROOT"
echo "pg-stop: stopped and removed $PGROOT" >&2
