#!/usr/bin/env bash
# `make run`: migrate, load the demo office, then serve with the background task worker.
# Both servers stop together: Ctrl-C (or either one dying) stops the other.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py migrate --noinput
# The demo office first (it creates the demo users the other apps' demo data belongs to);
# its login table is printed again at the end so it is the last thing on screen.
logins=$("$PY" manage.py seed_demo)
echo "$logins" | head -n -8
for command in seed_planning_demo seed_training_demo seed_community_demo seed_career_demo seed_reporting_demo; do
    echo "Loading demo data: $command ..."
    "$PY" manage.py "$command"
done

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
echo "$logins" | tail -n 8
echo
echo "KruPD: http://$HOST:$PORT/  (Ctrl-C stops the server and the task worker)"
echo

# Whichever stops first (Ctrl-C, a crash), the EXIT trap stops the other.
wait -n
