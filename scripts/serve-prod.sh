#!/usr/bin/env bash
# Production start: static files, migrations, then gunicorn and the background task worker.
# Both stop together (Ctrl-C, SIGTERM from systemd, or either one dying).
#
#   SECRET_KEY=... ALLOWED_HOSTS=krupd.example.go.th DATABASE_URL=postgres://... scripts/serve-prod.sh
#
# Environment: see docs/deploy.md. KRUPD_PRODUCTION=1 is set here; settings then refuse to
# start without SECRET_KEY and ALLOWED_HOSTS. SKIP_MIGRATE=1 on all but one app server when
# several start at once; RUN_WORKER=0 on app servers that should not run db_worker.
set -euo pipefail
cd "$(dirname "$0")/.."

export KRUPD_PRODUCTION=1
export DEBUG=false
PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

"$PY" manage.py check --deploy --fail-level ERROR
"$PY" manage.py collectstatic --noinput --verbosity 0
if [[ ${SKIP_MIGRATE:-0} != 1 ]]; then
    "$PY" manage.py migrate --noinput
fi

pids=()
stop() {
    trap - EXIT INT TERM HUP
    if ((${#pids[@]})); then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [[ ${RUN_WORKER:-1} == 1 ]]; then
    "$PY" manage.py db_worker &
    pids+=($!)
fi
"$GUNICORN" --config gunicorn.conf.py &
pids+=($!)

wait -n
