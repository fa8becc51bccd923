#!/usr/bin/env bash
# `make run`: migrate, load the demo office, then serve with the background task worker.
# Both servers stop together: Ctrl-C (or either one dying) stops the other.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo

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

# django-tasks-db worker: runs imports, bulk certificates and big reports queued by the pages.
"$PY" manage.py db_worker &
pids+=($!)
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=($!)

echo
echo "KruPD: http://$HOST:$PORT/  (Ctrl-C stops the server and the task worker)"
echo

# Whichever stops first (Ctrl-C, a crash), the EXIT trap stops the other.
wait -n
