"""Reliability under faults: an import killed with SIGKILL mid-apply, the database going away
under a request, and the health check that load balancers use.

The SIGKILL test runs real processes on an SQLite file database of its own (the suite's test
database lives in memory, out of another process's reach), so it runs the same on the
SQLite and the PostgreSQL pass of CI. The child processes run ``_child`` from this file.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.backends.utils import CursorWrapper
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import *  # noqa: F403 - the users-per-role fixtures
from registry.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 300


# --------------------------------------------------------------------------------- SIGKILL


def _child_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'krupd.sqlite3'}",
        KRUPD_VAR_DIR=str(workdir / "var"),
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        DJANGO_SETTINGS_MODULE="krupd.settings",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.pop("KRUPD_TEST_VAR_DIR", None)
    return env


CHILD = (
    "import sys, django; django.setup(); from pathlib import Path; "
    "from krupd.tests.test_reliability import _child; _child(sys.argv[1], Path(sys.argv[2]))"
)


def _child(step: str, workdir: Path) -> None:  # runs in the child process
    from django.core.files import File
    from django.core.management import call_command

    from accounts.models import User
    from imports import actions
    from imports.models import ImportBatch
    from registry.models import Person

    if step == "apply-and-hang":
        from bench.personnel_sheet import write_personnel_sheet
        from registry.demo import build_demo, iter_person_rows
        from registry.models import Office, School

        call_command("migrate", verbosity=0)
        build_demo(offices=1, schools=3, people=3)
        office = Office.objects.get()
        codes = list(School.objects.values_list("obec_code", flat=True))
        user = User.objects.create(username="importer", role="office_admin", office=office)
        path = workdir / "personnel.xlsx"
        write_personnel_sheet(
            path, iter_person_rows(seed=5, people=PEOPLE, school_codes=codes, serial_offset=10**6)
        )
        with path.open("rb") as handle:
            batch = actions.start_import(
                acting_user=user, kind="personnel", uploaded_file=File(handle, path.name)
            )
        batch.refresh_from_db()
        assert batch.status == "validated" and batch.count_new == PEOPLE, batch.error_message

        def hang(batch_id, done, total):  # the rows are written, the transaction still open
            (workdir / "mid-apply.json").write_text(
                json.dumps({"batch": batch_id, "people_in_transaction": Person.objects.count()})
            )
            time.sleep(600)

        with mock.patch.object(actions.progress, "report", hang):
            actions.request_apply(acting_user=user, batch=batch)
        raise SystemExit("the apply was expected to hang until killed")

    if step == "rerun":
        batch = ImportBatch.objects.get()
        before = Person.objects.count()
        # What a restarted worker (or the officer's "ตรวจสอบใหม่" after the stall) does.
        actions.run_apply(batch_id=batch.pk, acting_user_id=batch.applied_by_id)
        batch.refresh_from_db()
        print(json.dumps({"before": before, "after": Person.objects.count(),
                          "status": batch.status}))  # fmt: skip


@pytest.mark.slow
def test_an_import_killed_mid_apply_leaves_nothing_and_can_be_rerun(tmp_path, migrated_sqlite_copy):
    env = _child_env(tmp_path)
    # The child's database starts as the suite's own did after migrating (the child's
    # migrate then has nothing to apply); on PostgreSQL runs the child migrates it itself.
    migrated_sqlite_copy(tmp_path / "krupd.sqlite3")
    script = [sys.executable, "-c", CHILD]
    child = subprocess.Popen(
        [*script, "apply-and-hang", str(tmp_path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    marker = tmp_path / "mid-apply.json"
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert child.poll() is None, child.stdout.read().decode()
        assert time.monotonic() < deadline, "the child never reached the apply"
        time.sleep(0.2)
    time.sleep(0.2)  # let the marker's writer finish and the child go to sleep
    mid = json.loads(marker.read_text())
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert mid["people_in_transaction"] == 3 + PEOPLE  # the kill came after the writes

    # Nothing of the apply survived the kill: SQLite rolls the open transaction back.
    db = sqlite3.connect(tmp_path / "krupd.sqlite3")
    try:
        assert db.execute("SELECT COUNT(*) FROM registry_person").fetchone()[0] == 3
        status = db.execute("SELECT status FROM imports_importbatch").fetchone()[0]
        assert status == "applying"  # the claim was committed before the work started
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()

    done = subprocess.run(
        [*script, "rerun", str(tmp_path)], env=env, cwd=ROOT, capture_output=True, timeout=240
    )
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert result == {"before": 3, "after": 3 + PEOPLE, "status": "applied"}


# --------------------------------------------------------------------- database unavailable


def _database_down_on(predicate):
    """Make every SQL statement for which predicate(sql) holds fail as if the server went away."""
    real = CursorWrapper.execute

    def execute(self, sql, params=None):
        if predicate(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, sql, params)

    return mock.patch.object(CursorWrapper, "execute", execute)


def test_a_write_cut_off_by_the_database_saves_nothing_and_says_so_in_thai(client_for, users):
    person = users[Role.TEACHER].person
    client = client_for(Role.TEACHER)
    audit_before = AuditEntry.objects.count()
    # The person's UPDATE goes through; the audit INSERT after it finds the database gone.
    with _database_down_on(lambda sql: sql.startswith("INSERT") and "audit" in sql):
        response = client.post(
            reverse("registry:my_contact"), {"phone": "0899999999", "email": "new@example.org"}
        )
    assert response.status_code == 503
    body = response.content.decode()
    assert "เชื่อมต่อฐานข้อมูลไม่ได้" in body and "ยังไม่ได้บันทึก" in body
    assert response["Retry-After"]
    person.refresh_from_db()
    assert person.phone == "081-234-5678" and person.email == ""  # the UPDATE was rolled back
    assert AuditEntry.objects.count() == audit_before
    # The database is back: the same request works, no repair needed.
    response = client.post(
        reverse("registry:my_contact"), {"phone": "0899999999", "email": "new@example.org"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0899999999"


def test_a_page_with_the_database_down_shows_the_thai_503_page(client_for):
    client = client_for(Role.OFFICE_ADMIN)
    # The session is read by a middleware (idle timeout) before the view runs, so the error
    # is answered by the handler, as in production, not by the view's exception hook.
    client.raise_request_exception = False
    with _database_down_on(lambda sql: True):
        response = client.get(reverse("registry:people"))
    assert response.status_code == 503
    assert "ระบบขัดข้องชั่วคราว" in response.content.decode()
    assert response["Content-Security-Policy"]


def test_the_503_page_is_also_used_when_a_middleware_meets_the_dead_database(rf):
    from krupd.middleware import server_error

    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/")).status_code == 500


# ------------------------------------------------------------------------------- /healthz


def test_healthz_reports_database_and_task_queue(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from imports import tasks

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "tasks": 0}
    tasks.validate_import.enqueue(123456)
    assert client.get("/healthz").json() == {"database": "ok", "tasks": 1}
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_healthz_says_503_when_the_database_is_down(client, db):
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
