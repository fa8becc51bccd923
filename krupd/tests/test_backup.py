"""backup_sqlite / restore_sqlite: an online backup taken while the app writes, restored
round trip, refused over live data without --force, and refused from a damaged file."""

import sqlite3
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _make_database(path, rows=2000):
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE registry_person (id INTEGER PRIMARY KEY, name TEXT)")
    db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
    db.execute("INSERT INTO django_migrations (app) VALUES ('registry')")
    db.executemany(
        "INSERT INTO registry_person (name) VALUES (?)",
        [(f"ครู {i} " + "x" * 200,) for i in range(rows)],
    )
    db.commit()
    db.close()


def _count(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM registry_person").fetchone()[0]


def test_round_trip_while_the_app_writes(tmp_path):
    live, backup, restored = (
        tmp_path / "live.sqlite3",
        tmp_path / "b.sqlite3",
        tmp_path / "r.sqlite3",
    )
    _make_database(live)
    stop = threading.Event()
    written = []

    def writer():  # the app, inserting one row at a time in its own transactions
        db = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            db.execute("INSERT INTO registry_person (name) VALUES ('ระหว่างสำรอง')")
            db.commit()
            written.append(1)
            time.sleep(0.001)
        db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        before = 2000 + len(written)
        call_command("backup_sqlite", str(backup), "--database", str(live))
        after = 2000 + len(written)
    finally:
        stop.set()
        thread.join()
    # A consistent snapshot from some moment during the backup, intact.
    assert before <= _count(backup) <= after
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    call_command("restore_sqlite", str(backup), "--database", str(restored))
    assert _count(restored) == _count(backup)


def test_restore_refuses_to_overwrite_data_without_force(tmp_path):
    live, backup = tmp_path / "live.sqlite3", tmp_path / "b.sqlite3"
    _make_database(live, rows=10)
    call_command("backup_sqlite", str(backup), "--database", str(live))
    with sqlite3.connect(live) as db:
        db.execute("INSERT INTO registry_person (name) VALUES ('หลังสำรอง')")
    with pytest.raises(CommandError, match="--force"):
        call_command("restore_sqlite", str(backup), "--database", str(live))
    assert _count(live) == 11
    call_command("restore_sqlite", str(backup), "--database", str(live), "--force")
    assert _count(live) == 10


def test_backup_refuses_to_overwrite_and_restore_refuses_a_damaged_file(tmp_path):
    live, backup = tmp_path / "live.sqlite3", tmp_path / "b.sqlite3"
    _make_database(live, rows=10)
    call_command("backup_sqlite", str(backup), "--database", str(live))
    with pytest.raises(CommandError, match="--force"):
        call_command("backup_sqlite", str(backup), "--database", str(live))
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(backup.read_bytes()[:4096] + b"\x00garbage" * 2000)
    with pytest.raises((CommandError, sqlite3.DatabaseError)):
        call_command("restore_sqlite", str(damaged), "--database", str(tmp_path / "new.sqlite3"))
    assert not (tmp_path / "new.sqlite3").exists() or _count_safe(tmp_path / "new.sqlite3") == 0


def _count_safe(path):
    try:
        return _count(path)
    except sqlite3.DatabaseError:
        return 0


def test_backup_of_postgresql_points_to_pg_dump(monkeypatch):
    from django.conf import settings

    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup_sqlite", "/tmp/never.sqlite3")
