"""Progress of an apply, told to the progress page without touching the database.

An apply is one transaction; on SQLite it holds the write lock until it commits, so it
cannot record its progress in the batch row the page reads. It writes a tiny file next
to the uploads instead (MEDIA_ROOT is shared by web and worker: the worker reads the
uploaded file from it). The file's age also tells a live apply from a killed one.
"""

import os
import time
from pathlib import Path

from django.conf import settings


def _path(batch_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{int(batch_id)}.txt"


def report(batch_id: int, done: int, total: int) -> None:
    path = _path(batch_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"{int(done)} {int(total)}")
        os.replace(tmp, path)
    except OSError:
        pass  # progress is a courtesy; the apply goes on


def read(batch_id: int) -> tuple[int, int, float] | None:
    """(done, total, seconds since last report) or None when nothing was reported."""
    path = _path(batch_id)
    try:
        done, total = (int(p) for p in path.read_text().split())
        return done, total, time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None


def clear(batch_id: int) -> None:
    try:
        _path(batch_id).unlink()
    except OSError:
        pass
