"""Reads for the import pages: always scoped to the user's office (and a director's own batches)."""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup, QuerySet
from django.db.models.lookups import In
from django.utils import timezone

from accounts.roles import IMPORT_DATA, Role, can
from krupd import worker_files
from krupd.lib import compiled_queries

from .importers import importer_for
from .models import (
    BatchStatus,
    FileImport,
    FileImportStatus,
    ImportBatch,
    ImportRow,
    ListExport,
    RowStatus,
)


def batch_scope(user) -> tuple[int, ...] | None:
    """Which import batches a user sees, as ids: (office,) the office's, (office, user) a
    director's own uploads; None: none. A query compiled once per shape (compiled_queries)
    takes the number of ids as its shape."""
    if not can(user, IMPORT_DATA) or not user.office_id:
        return None
    if user.role == Role.SCHOOL_DIRECTOR:
        return user.office_id, user.pk
    return (user.office_id,)


def _batches_in(office_id: int, uploader_id: int | None = None) -> QuerySet[ImportBatch]:
    batches = ImportBatch.objects.filter(office_id=office_id)
    return batches if uploader_id is None else batches.filter(uploaded_by_id=uploader_id)


def batches_visible_to(user) -> QuerySet[ImportBatch]:
    scope = batch_scope(user)
    if scope is None:
        return ImportBatch.objects.none()
    return _batches_in(*scope).select_related("uploaded_by", "applied_by", "scope_school")


def count_batches_waiting(user) -> int:
    """Batches checked and waiting for someone to apply (or fix) them, of those the user
    sees: the home page's line, its SQL compiled once per shape."""
    scope = batch_scope(user)
    if scope is None:
        return 0
    return compiled_queries.count_for(
        ("imports.count_batches_waiting", len(scope)),
        lambda *ids: _batches_in(*ids).filter(
            status__in=[BatchStatus.VALIDATED, BatchStatus.NEEDS_MAPPING]
        ),
        scope,
        using=compiled_queries.reading(ImportBatch),
    )


def batch_rows(batch: ImportBatch, status: str) -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch)
    if status in RowStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("row_number").only(
        "row_number", "status", "key", "label", "errors", "changes", "target_id"
    )


def rows_for_display(batch: ImportBatch, rows) -> list[dict]:
    """Rows of one page with their changes labelled by the column headers people know."""
    labels = importer_for(batch).field_labels(batch.office)
    shown = []
    for row in rows:
        changes = [
            {"column": labels.get(key, key), "before": before, "after": after}
            for key, (before, after) in row.changes.items()
        ]
        shown.append({"row": row, "changes": changes})
    return shown


def error_messages_by_row(batch: ImportBatch):
    """(row number, errors) of every row with errors, in row order, streamed."""
    return (
        ImportRow.objects.filter(batch=batch, status=RowStatus.ERROR)
        .order_by("row_number")
        .values_list("row_number", "errors")
        .iterator(chunk_size=2000)
    )


def progress_of(batch: ImportBatch) -> dict:
    """What the progress bar shows: rows done, rows expected, and the phase in words."""
    from . import progress
    from .models import BatchStatus

    if batch.status == BatchStatus.APPLYING:
        reported = progress.read(batch.pk)
        total = batch.count_new + batch.count_changed + batch.count_unchanged
        done = reported[0] if reported else 0
        return {"phase": "กำลังบันทึกข้อมูลลงระบบ", "done": done, "total": total}
    if batch.status == BatchStatus.UPLOADED:
        return {"phase": "รอเริ่มตรวจสอบ", "done": 0, "total": 0}
    return {
        "phase": "กำลังตรวจสอบข้อมูลทีละแถว",
        "done": batch.processed_rows,
        "total": max(batch.total_rows, batch.processed_rows),
    }


def sample_values(batch: ImportBatch) -> dict[int, list[str]]:
    """A few values under each header, so the mapping page shows what a column holds. Taken
    by the background validation (actions._samples): no page opens the uploaded file."""
    return {int(index): values for index, values in (batch.samples or {}).items()}


def apply_heartbeat(batch: ImportBatch):
    """When a running apply last reported progress (None when it never did)."""
    import datetime as dt

    from . import progress
    from .models import BatchStatus

    if batch.status != BatchStatus.APPLYING:
        return None
    reported = progress.read(batch.pk)
    if reported is None:
        return None
    return timezone.now() - dt.timedelta(seconds=reported[2])


# ---------------------------------------------------------------------------- retention


def retention_days(office_id: int) -> int:
    """How long the office keeps an import's row data once the batch is finished."""
    from registry.models import DEFAULT_IMPORT_RETENTION_DAYS, OfficeRules

    days = (
        OfficeRules.objects.filter(office_id=office_id)
        .values_list("import_retention_days", flat=True)
        .first()
    )
    return days or DEFAULT_IMPORT_RETENTION_DAYS


def finished_at(batch: ImportBatch):
    """When the retention period starts: the apply, or the last activity of an abandoned batch."""
    return batch.applied_at or batch.updated_at


def purge_due_at(batch: ImportBatch, days: int):
    """When the daily purge will remove the batch's row data (None when it never will)."""
    import datetime as dt

    if not batch.may_purge_rows:
        return None
    return finished_at(batch) + dt.timedelta(days=days)


def batches_due_for_purge(*, now) -> list[tuple[ImportBatch, int]]:
    """Finished or abandoned batches older than their office's retention period, each with that
    period in days. Oldest first."""
    import datetime as dt

    from django.db.models.functions import Coalesce

    from registry.models import DEFAULT_IMPORT_RETENTION_DAYS, OfficeRules

    from .models import PURGEABLE

    days_by_office = dict(OfficeRules.objects.values_list("office_id", "import_retention_days"))
    shortest = min([DEFAULT_IMPORT_RETENTION_DAYS, *days_by_office.values()])
    candidates = (
        ImportBatch.objects.filter(PURGEABLE)
        .annotate(finished=Coalesce("applied_at", "updated_at"))
        .filter(finished__lt=now - dt.timedelta(days=shortest))
        .order_by("finished", "pk")
    )
    due = []
    for batch in candidates:
        days = days_by_office.get(batch.office_id) or DEFAULT_IMPORT_RETENTION_DAYS
        if batch.finished < now - dt.timedelta(days=days):
            due.append((batch, days))
    return due


def stored_row_count(batch: ImportBatch) -> int:
    return ImportRow.objects.filter(batch_id=batch.pk).count()


def session_batches(user, session, *, limit: int = 5):
    """The latest results files imported for a session, for its upload page."""
    return batches_visible_to(user).filter(session=session)[:limit]


def round_batches(user, rnd, limit: int = 5):
    """The latest self-assessment files of an assessment round, for its upload page."""
    return batches_visible_to(user).filter(round=rnd)[:limit]


def file_imports_visible_to(user, kinds) -> QuerySet[FileImport]:
    """The office's whole-workbook imports of these kinds (the caller checked the rights)."""
    return FileImport.objects.filter(office_id=user.office_id, kind__in=kinds).select_related(
        "uploaded_by"
    )


def recent_file_imports(user, kind: str, count: int = 5) -> list[FileImport]:
    """The latest imports of one kind, for the kind's upload page."""
    return list(file_imports_visible_to(user, [kind])[:count])


def file_import_progress(job: FileImport) -> dict:
    """What the job page's progress bar says: the phase, and rows read of the estimate."""
    if job.status == FileImportStatus.QUEUED:
        return {"phase": "รอเริ่มตรวจไฟล์", "done": 0, "total": 0}
    if job.total_rows and job.processed_rows >= job.total_rows:
        return {"phase": "ตรวจครบทุกแถวแล้ว กำลังบันทึกข้อมูลลงระบบ", "done": 0, "total": 0}
    return {
        "phase": "กำลังตรวจข้อมูลทีละแถว",
        "done": job.processed_rows,
        "total": job.total_rows,
    }


def recent_list_exports(user, kind: str, count: int = 5) -> list[ListExport]:
    """The person's own files of this list that are still kept, newest first."""
    return worker_files.still_kept(ListExport.objects.filter(requested_by=user, kind=kind), count)


class AnyOf(Lookup):
    """`field__in=values` with the values as one parameter: an array on PostgreSQL
    (`field = ANY(%s)`), a JSON list on SQLite (`field IN (SELECT value FROM json_each(%s))`).
    An import's chunk looks up 2,000 people by ID at a time, and 2,000 placeholders cost
    Django (each value prepared again) and the driver or SQLite (the query parsed for them)
    more than the database takes to find the people. Other databases get the IN list.
    Use: `filter(AnyOf(F(name), values))`; the values are the column's own (text or
    integers, as the database stores them)."""

    prepare_rhs = False

    def get_prep_lookup(self):
        return [value for value in self.rhs if value is not None]  # as IN: NULL matches nothing

    def as_sql(self, compiler, connection):
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)

    def as_sqlite(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        values = json.dumps(self.rhs)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*params, values)
