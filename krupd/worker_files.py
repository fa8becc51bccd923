"""Files the task worker writes for someone: a list too long to write while the browser
waits (imports.ListExport), a large office's SAR (reporting.SarExport), a teacher's PA
evidence pack as a ZIP (career.PAPackExport).

They share one life: the request queues a row; one worker claims it and writes the file
with progress, under a name only the row knows; the person who asked downloads it (or, for
a PA pack, whoever may read the pack); an older file of the same thing is dropped when a
newer one is done; every file goes a day after it was asked for (a convenience copy, not an
archive; a list may hold national IDs). This module is that life once. Each kind says what
it writes, where, and who may ask.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404
from django.utils import timezone

# A job that has not reported progress for this long is taken as interrupted (its worker
# died); asking again is safe.
STALL_AFTER = dt.timedelta(minutes=10)
KEPT_FOR = dt.timedelta(days=1)

logger = logging.getLogger(__name__)


class FileStatus(models.TextChoices):
    QUEUED = "queued", "รอเริ่ม"
    RUNNING = "running", "กำลังเตรียมไฟล์"
    DONE = "done", "พร้อมดาวน์โหลด"
    FAILED = "failed", "เตรียมไฟล์ไม่สำเร็จ"


RUNNING = (FileStatus.QUEUED, FileStatus.RUNNING)


class WorkerFile(models.Model):
    """The row of one file written by the worker. A kind adds what it is a file of, and
    names its directory (under MEDIA_ROOT) in FILES_UNDER."""

    FILES_UNDER: tuple[str, ...] = ()

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(max_length=4)
    status = models.CharField(
        "สถานะ", max_length=10, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    file_name = models.CharField(max_length=200, blank=True)  # in the kind's directory
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)  # Thai, for the page
    created_at = models.DateTimeField("ขอเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @classmethod
    def directory(cls) -> Path:
        return Path(settings.MEDIA_ROOT).joinpath(*cls.FILES_UNDER)

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    def is_stalled(self, *, now: dt.datetime | None = None) -> bool:
        """Queued or running but silent for too long: the worker died; asking again is safe."""
        return self.is_running and (now or timezone.now()) - self.updated_at > STALL_AFTER

    def is_expired(self, *, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) - self.created_at > KEPT_FOR

    @property
    def size_text(self) -> str:
        from krupd.uploads import size_label

        return size_label(self.size)


def running_job(jobs, *, alike: Callable = lambda job: True):
    """The job of these (the same file for the same person) a worker is still on, if any;
    `alike` checks what the database cannot compare (a JSON field, whose key order varies)."""
    for job in jobs.filter(status__in=RUNNING):
        if alike(job) and not job.is_stalled():
            return job
    return None


def still_kept(jobs, count: int = 5) -> list:
    """Of these jobs (a person's files of one thing), the newest still kept."""
    return list(jobs.filter(created_at__gte=timezone.now() - KEPT_FOR)[:count])


def claim(model: type[WorkerFile], pk: int) -> bool:
    """Only one worker gets a queued job: the status update is the claim."""
    return bool(
        model.objects.filter(pk=pk, status=FileStatus.QUEUED).update(
            status=FileStatus.RUNNING, updated_at=timezone.now()
        )
    )


def write(job: WorkerFile, write_to: Callable, *, failed_message: str, refused: tuple = (),
          refused_message: str = "") -> bool:  # fmt: skip
    """Run `write_to(out)` into the job's file and record how it ended. `refused` are the
    exceptions that mean the asker may no longer have the file (their message is
    `refused_message`); a kind whose file is checked only at download has none. Anything
    else is logged and shown as `failed_message`. The file appears under its final name
    only when whole."""
    rows = type(job).objects.filter(pk=job.pk)
    name = f"{job.pk}-{secrets.token_hex(8)}.{job.file_format}"
    path = type(job).directory() / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with open(partial, "wb") as out:
            write_to(out)
        os.replace(partial, path)  # the download never sees half a file
    except refused:
        rows.update(status=FileStatus.FAILED, error=refused_message, finished_at=timezone.now())
        return False
    except Exception:
        logger.exception("%s %s failed", type(job).__name__, job.pk)
        rows.update(status=FileStatus.FAILED, error=failed_message, finished_at=timezone.now())
        return False
    rows.update(status=FileStatus.DONE, file_name=name, size=path.stat().st_size,
                finished_at=timezone.now())  # fmt: skip
    return True


def drop_older(job: WorkerFile, same) -> None:
    """One finished file per person and thing: `same` (the jobs of the same file) older than
    this one are out of date."""
    delete(same.filter(pk__lt=job.pk).exclude(status__in=RUNNING))


def delete(jobs) -> int:
    """The jobs and every file named after them: the finished file, or the part file a
    worker killed mid-write left behind (it holds what was written so far)."""
    directory = jobs.model.directory()
    for pk in jobs.values_list("pk", flat=True):
        for leftover in directory.glob(f"{int(pk)}-*"):
            leftover.unlink(missing_ok=True)
    return jobs.delete()[0]


def purge_expired(model: type[WorkerFile], *, now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - KEPT_FOR
    return delete(model.objects.filter(created_at__lt=cutoff))


def purge_every_kind(*, now: dt.datetime | None = None) -> int:
    """The daily purge (manage.py purge_import_rows): every kind's files past their keep time."""
    from django.apps import apps

    kinds = [model for model in apps.get_models() if issubclass(model, WorkerFile)]
    return sum(purge_expired(model, now=now) for model in kinds)


def download(job: WorkerFile, *, filename: str, content_type: str) -> FileResponse:
    """The finished file, to the person the caller has checked may have it."""
    if job.status != FileStatus.DONE or job.is_expired():
        raise Http404
    try:
        handle = open(type(job).directory() / job.file_name, "rb")  # noqa: SIM115 (closed by the response)
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
