"""Shared by backup_sqlite and restore_sqlite: where the SQLite database is, and checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

SKIP_TABLES = ("sqlite_%", "django_migrations", "django_content_type", "auth_permission")


def default_database_path() -> Path:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        raise CommandError(
            "ฐานข้อมูลหลักไม่ใช่ SQLite: สำรองข้อมูล PostgreSQL ด้วย pg_dump หรือ WAL archiving "
            "(ดู docs/deploy.md)"
        )
    name = str(db["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError("ฐานข้อมูลอยู่ในหน่วยความจำ ไม่มีไฟล์ให้สำรอง")
    return Path(name)


def integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def row_count(path: Path) -> int:
    """Rows in the application's tables (reference tables of migrations aside)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        where = " AND ".join("name NOT LIKE ?" for _ in SKIP_TABLES)
        tables = [
            r[0]
            for r in db.execute(
                f"SELECT name FROM sqlite_master WHERE type='table' AND {where}", SKIP_TABLES
            )
        ]
        return sum(db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables)


def copy(source: Path, target: Path, *, pages: int = 4096) -> None:
    """sqlite3's online backup: consistent even while other connections write to `source`
    (a write during the copy makes SQLite restart the remaining steps)."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=pages)
    finally:
        dst.close()
        src.close()
