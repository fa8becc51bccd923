#!/usr/bin/env bash
# `make venv` and `make run`: install a requirements file (requirements-dev.txt unless named) into
# .venv with one progress line instead of pip's silence (-qq looked hung for minutes) or its
# hundreds of lines. pip's full output goes to
# .venv/pip-install.log and is shown if the install fails.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
LOG=.venv/pip-install.log
REQUIREMENTS=${1:-requirements-dev.txt}
echo "ติดตั้งแพ็กเกจ Python ลงใน .venv (ครั้งแรกใช้เวลาสักครู่; บันทึกทั้งหมดอยู่ที่ $LOG) ..."
# --no-compile: Python compiles what is imported, on first use; compiling every module of every
# package up front spent install time on modules the product never imports.
"$PY" -m pip install --disable-pip-version-check --progress-bar off --no-compile \
    -r "$REQUIREMENTS" 2>&1 |
    tee "$LOG" |
    awk '
        /^Collecting / { n++; printf "\r  ตรวจแพ็กเกจที่ %d: %-45.45s", n, $2; fflush() }
        /^Installing collected packages/ { printf "\n  กำลังติดตั้ง ...\n"; fflush() }
        /^Successfully installed/ { installed = 1 }
        END { if (n && !installed) printf "\n"; if (installed) print "  ติดตั้งเสร็จ" }
    '
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then
    echo "ติดตั้งแพ็กเกจ Python ไม่สำเร็จ (รายละเอียดท้าย $LOG):" >&2
    tail -n 25 "$LOG" >&2
    exit "$status"
fi
