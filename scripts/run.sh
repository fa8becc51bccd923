#!/usr/bin/env bash
# `make run`: migrate, load the demo office, then serve with the background task worker.
# Both servers stop together: Ctrl-C (or either one dying) stops the other.
#
# The first run builds the demo database (a few minutes) and keeps a copy in
# ~/.cache/krupd/ (KRUPD_DEMO_CACHE=off: no copy). A fresh clone on the same machine, the same
# day and with the same migrations and demo code starts from that copy instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR_DIR=${KRUPD_VAR_DIR:-var}
DATABASE_FILE="$VAR_DIR/krupd.sqlite3"
export DJANGO_RUNSERVER_HIDE_WARNING=true  # the "development server" banner: this *is* one
# People try the product here: an unexpected error shows the Thai 500 page (the traceback goes
# to this console), as in production (krupd.middleware.ThaiErrorPagesMiddleware).
export DEVELOPER_ERROR_PAGES=${DEVELOPER_ERROR_PAGES:-false}
# Served to other computers (HOST=0.0.0.0 or this machine's address): answer to the names they
# use, or Django refuses every request with "400 Bad Request".
if [[ -z "${ALLOWED_HOSTS:-}" && "$HOST" != "127.0.0.1" && "$HOST" != "localhost" ]]; then
    if [[ "$HOST" == "0.0.0.0" ]]; then
        export ALLOWED_HOSTS="*"
    else
        export ALLOWED_HOSTS="127.0.0.1,localhost,$HOST"
    fi
fi

# The demo-data loaders after seed_demo (which creates the office and the users they belong
# to), each with what it loads.
LOADERS=(
    "seed_planning_demo|กรอบสมรรถนะ ผลการประเมิน ความต้องการ และแผนพัฒนา"
    "seed_training_demo|หลักสูตร ผู้เข้าอบรม ผลทดสอบ และเกียรติบัตร"
    "seed_community_demo|PLC นิเทศ เครือข่าย ภาคี และรางวัล"
    "seed_career_demo|PA วิทยฐานะ และสถานีแก้หนี้ครู"
    "seed_reporting_demo|ผล O-NET ร่าง SAR และรายงานการตรวจราชการ"
    "seed_oversight_demo|เขตพื้นที่ข้างเคียงและข้อมูลสรุประดับจังหวัด ภาค และประเทศ"
)

# A copy of the demo database is reusable only by a clone with the same schema and demo code,
# and only on the day it was built (the demo's courses and rounds are dated from today).
cache_file=""
if [[ -z "${DATABASE_URL:-}" && "${KRUPD_DEMO_CACHE:-on}" != "off" ]]; then
    key=$( { date +%F; cat ./*/migrations/*.py ./*/demo.py ./*/management/commands/seed_*.py \
        registry/management/app_demo.py; } | sha256sum | cut -c1-16)
    cache_file="${XDG_CACHE_HOME:-$HOME/.cache}/krupd/demo-$key.sqlite3"
fi

restored=""
if [[ -n "$cache_file" && -s "$cache_file" && -s "$cache_file.logins" && ! -s "$DATABASE_FILE" ]]; then
    echo "ใช้ฐานข้อมูลสาธิตที่สร้างไว้แล้ว ($cache_file)"
    mkdir -p "$VAR_DIR"
    cp "$cache_file" "$DATABASE_FILE.partial" && mv "$DATABASE_FILE.partial" "$DATABASE_FILE"
    restored=1
fi

if [[ -n "$restored" ]]; then
    echo "เตรียมฐานข้อมูล ..."
    "$PY" manage.py migrate --noinput -v 0
    logins=$(cat "$cache_file.logins")
else
    # migrate, seed_demo and the loaders in one Python process: each manage.py start spends
    # seconds importing Django and the apps before it does anything.
    logins_file=$(mktemp)
    "$PY" - "$logins_file" "${LOADERS[@]}" <<'PYTHON'
import io
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
import django

django.setup()
from django.core.management import call_command


class Tee(io.StringIO):
    """Prints what a command writes (indented) and keeps it."""

    def __init__(self, indent=""):
        super().__init__()
        self.indent = indent

    def write(self, text):
        sys.stdout.write("".join(self.indent + line for line in text.splitlines(True)))
        sys.stdout.flush()
        return super().write(text)


logins_file, loaders = sys.argv[1], sys.argv[2:]
steps = len(loaders) + 1
print("เตรียมฐานข้อมูล ...", flush=True)
call_command("migrate", interactive=False, verbosity=0)
print(f"[1/{steps}] สร้างข้อมูลสาธิต: เขตพื้นที่ สถานศึกษา บุคลากร และบัญชีผู้ใช้ ...", flush=True)
seed_output = Tee()
call_command("seed_demo", stdout=seed_output)
# seed_demo ends with the login table: a blank line, then the table.
with open(logins_file, "w") as out:
    out.write(seed_output.getvalue().rstrip("\n").split("\n\n")[-1] + "\n")
for step, loader in enumerate(loaders, start=2):
    command, label = loader.split("|", 1)
    print(f"[{step}/{steps}] สร้างข้อมูลสาธิต: {label} ...", flush=True)
    call_command(command, stdout=Tee("      "))
PYTHON
    logins=$(cat "$logins_file")
    rm -f "$logins_file"
    if [[ -n "$cache_file" ]]; then
        mkdir -p "$(dirname "$cache_file")"
        # backup_sqlite writes a consistent copy next to the target and renames it when whole.
        if "$PY" manage.py backup_sqlite "$cache_file" --force >/dev/null; then
            printf '%s\n' "$logins" >"$cache_file.logins"
        fi
        rm -f "$cache_file".partial*
    fi
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

echo "เปิดเว็บเซิร์ฟเวอร์และตัวประมวลผลงานเบื้องหลัง ..."
# django-tasks-db worker: runs imports, bulk certificates and big reports queued by the pages.
# Its log goes to a file, so the login table stays the last thing on screen.
worker_log="$VAR_DIR/worker.log"
mkdir -p "$VAR_DIR"
"$PY" manage.py db_worker >>"$worker_log" 2>&1 &
pids+=($!)
"$PY" manage.py runserver "$HOST:$PORT" &
pids+=($!)

# The servers print their start-up lines first; the login table comes once the web server
# answers, so it is the last thing on screen.
probe_host=$HOST
[[ "$probe_host" == "0.0.0.0" ]] && probe_host=127.0.0.1
for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/$probe_host/$PORT") 2>/dev/null; then
        break
    fi
    sleep 0.5
done
sleep 1

echo
echo "$logins"
echo
echo "บันทึกของตัวประมวลผลงานเบื้องหลัง (นำเข้าไฟล์ ออกเกียรติบัตร ส่งการแจ้งเตือน): $worker_log"
echo "KruPD พร้อมใช้งานที่ http://$HOST:$PORT/  (กด Ctrl-C เพื่อหยุดเว็บเซิร์ฟเวอร์และตัวประมวลผลงานเบื้องหลัง)"
echo

# Whichever stops first (Ctrl-C, a crash), the EXIT trap stops the other.
wait -n
