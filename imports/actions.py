"""Every write of the imports app: start a batch, map its columns, validate it, apply it,
and purge its row data once the office's retention period is over.

Validation and apply run as background tasks (tasks.py calls `run_validation` and
`run_apply`). Validation streams the file, writes one ImportRow per data row in chunks and
touches nothing else; a row that would change nothing keeps no values, only what the preview
lists. Apply is one transaction: it compares every row that writes with the database again
(anything different from the preview aborts it and validation runs afresh), then writes in
bulk with audit entries and position history. Killed half-way, it leaves nothing.
"""

from __future__ import annotations

import gc
import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from krupd import worker_files
from krupd.lib import compiled_queries
from krupd.lib.clipping import clip
from notifications import events
from registry import audit
from registry.models import AuditAction

from . import access, exporters, progress, queries, readers
from .bulk import insert_rows
from .importers import (
    FORMULA,
    CellError,
    HeaderGuess,
    HeaderRepeats,
    SummaryRows,
    importer_for,
    memo_key,
)
from .importers.base import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Context,
    Importer,
    Writer,
    not_mapped,
)
from .models import (
    PURGEABLE,
    BatchStatus,
    FileImport,
    FileImportKind,
    FileImportStatus,
    ImportBatch,
    ImportKind,
    ImportRow,
    ListExport,
)
from .queries import apply_heartbeat
from .readers import ImportFileError

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000

STALE_NOTICE = (
    "ข้อมูลในระบบเปลี่ยนไปหลังการตรวจสอบครั้งก่อน จึงไม่ได้นำเข้าและตรวจสอบใหม่แล้ว "
    "กรุณาดูผลการตรวจสอบล่าสุดก่อนยืนยันนำเข้าอีกครั้ง"
)
INTERNAL_ERROR = "เกิดข้อผิดพลาดในระบบระหว่าง{what} กรุณาลองใหม่ หากยังไม่ได้ให้แจ้งผู้ดูแลระบบ"
PURGED = "ลบข้อมูลรายแถวและไฟล์ที่อัปโหลดของการนำเข้านี้แล้ว กรุณาอัปโหลดไฟล์ใหม่"


class ApplyRefused(Exception):
    """The batch cannot be applied now; the message is Thai."""


# ---------------------------------------------------------------------------- user actions


def start_import(
    *,
    acting_user,
    kind: str,
    uploaded_file,
    file_format: str | None = None,
    session=None,
    rnd=None,
) -> ImportBatch:
    """Store an uploaded file as a new batch and start validating it in the background.

    `file_format` is what `readers.sniff` said about the file, when the caller already asked.
    `session`: the course session a results file is for (and only for that kind); `rnd`: the
    assessment round a self-assessment file is for (and only for that kind).
    """
    access.require_import_kind(acting_user, kind)
    access.require_session_for_kind(acting_user, kind, session)
    access.require_round_for_kind(acting_user, kind, rnd)
    scope_school = access.import_scope_school(acting_user)
    if file_format not in readers.SUFFIXES:
        file_format = readers.sniff(uploaded_file, uploaded_file.name)
    with transaction.atomic():
        batch = ImportBatch(
            office_id=acting_user.office_id,
            kind=kind,
            uploaded_by=acting_user,
            scope_school=scope_school,
            original_name=(uploaded_file.name or "ไฟล์")[-255:],
            file_format=file_format,
            session=session,
            round=rnd,
        )
        uploaded_file.seek(0)
        batch.file.save(uploaded_file.name or "upload", uploaded_file, save=False)
        batch.save()
    _enqueue_validation(batch)
    return batch


def save_mapping(*, acting_user, batch: ImportBatch, mapping: dict[int, str]) -> ImportBatch:
    """Remember which file column feeds which field, then validate with it."""
    access.require_import_kind(acting_user, batch.kind)
    if batch.status not in (BatchStatus.NEEDS_MAPPING, BatchStatus.VALIDATED, BatchStatus.FAILED):
        raise ApplyRefused("แก้ไขการจับคู่คอลัมน์ได้เมื่อยังไม่ได้นำเข้าเท่านั้น")
    if batch.rows_purged:
        raise ApplyRefused(PURGED)
    if not batch.headers:
        raise ApplyRefused("ยังอ่านหัวตารางของไฟล์นี้ไม่ได้")
    updated = ImportBatch.objects.filter(
        pk=batch.pk,
        status__in=[BatchStatus.NEEDS_MAPPING, BatchStatus.VALIDATED, BatchStatus.FAILED],
        rows_purged_at__isnull=True,
    ).update(
        mapping={str(k): v for k, v in mapping.items()},
        status=BatchStatus.UPLOADED,
        error_message="",
        notice="",
        updated_at=timezone.now(),
    )
    if not updated:
        raise ApplyRefused("สถานะของไฟล์เปลี่ยนไปแล้ว กรุณาโหลดหน้าใหม่")
    ImportRow.objects.filter(batch=batch).delete()
    batch.refresh_from_db()
    _enqueue_validation(batch)
    return batch


def revalidate(*, acting_user, batch: ImportBatch) -> ImportBatch:
    """Validate again: after an interruption, a failure, or to compare with today's data."""
    access.require_import_kind(acting_user, batch.kind)
    allowed = batch.status in (BatchStatus.VALIDATED, BatchStatus.FAILED) or batch.is_stalled(
        last_activity=apply_heartbeat(batch)
    )
    if batch.rows_purged:
        raise ApplyRefused(PURGED)
    if not allowed:
        raise ApplyRefused("ตรวจสอบใหม่ไม่ได้ในสถานะนี้")
    updated = ImportBatch.objects.filter(pk=batch.pk, rows_purged_at__isnull=True).update(
        status=BatchStatus.UPLOADED, error_message="", notice="", updated_at=timezone.now()
    )
    if not updated:
        raise ApplyRefused(PURGED)
    ImportRow.objects.filter(batch=batch).delete()
    batch.refresh_from_db()
    _enqueue_validation(batch)
    return batch


def request_apply(*, acting_user, batch: ImportBatch) -> ImportBatch:
    """Queue the apply. Refused while any row has an error: imports are all-or-nothing."""
    access.require_import_kind(acting_user, batch.kind)
    if batch.status != BatchStatus.VALIDATED:
        raise ApplyRefused("นำเข้าได้เฉพาะไฟล์ที่ตรวจสอบเสร็จแล้ว")
    if batch.count_error:
        raise ApplyRefused(
            f"ยังมีข้อผิดพลาด {batch.count_error:,} แถว ต้องแก้ไขให้ครบก่อน "
            "(ดาวน์โหลดไฟล์พร้อมคอลัมน์ข้อผิดพลาด แก้ไข แล้วอัปโหลดใหม่)"
        )
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status=BatchStatus.VALIDATED, count_error=0, rows_purged_at__isnull=True
    ).update(
        status=BatchStatus.APPLYING,
        applied_by=acting_user,
        processed_rows=0,
        notice="",
        updated_at=timezone.now(),
    )
    if not claimed:
        raise ApplyRefused("ไฟล์นี้กำลังนำเข้าหรือนำเข้าไปแล้ว")
    progress.clear(batch.pk)
    from . import tasks

    tasks.apply_import.enqueue(batch.pk, acting_user.pk)
    batch.refresh_from_db()
    return batch


# Lists that carry people's records: every file of them is audited (PDPA), with full or
# masked national IDs alike (a masked list still names each person, their school, birth
# date and standing). A list of schools or classroom counts names no one.
PERSONAL_EXPORT_KINDS = frozenset({ImportKind.PERSONNEL})


def record_export(*, acting_user, kind: str, params: dict, full_ids: bool) -> None:
    """A list of people left the system: remember who took it, with which filter and whether
    its national IDs were whole."""
    if kind not in PERSONAL_EXPORT_KINDS and not full_ids:
        return
    what = dict(ImportKind.choices)[kind]
    ids = "เลขประจำตัวประชาชนเต็ม" if full_ids else "เลขประจำตัวประชาชนแบบปิดบางส่วน"
    audit.record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        object_type="export",
        object_id=kind,
        object_label=f"ส่งออก{what} ({ids})",
        office=acting_user.office,
        changes={
            "ตัวกรอง": [None, {k: str(v) for k, v in params.items() if v} or "ทั้งหมด"],
            "เลขประจำตัวประชาชน": [None, "แสดงเต็ม" if full_ids else "ปิดบางส่วน"],
        },
    )


def record_error_file(*, acting_user, batch: ImportBatch) -> None:
    """The rejected rows of a batch left the system as a file: the uploader's own rows, with
    national IDs and whatever else the file held, so the download is audited like an export."""
    audit.record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        object_type="importbatch",
        object_id=str(batch.pk),
        object_label=f"ดาวน์โหลดไฟล์ข้อผิดพลาดของการนำเข้า {batch.original_name}",
        office=batch.office,
        changes={"แถวที่ผิดพลาด": [None, batch.count_error]},
    )


def _enqueue_validation(batch: ImportBatch) -> None:
    from . import tasks

    tasks.validate_import.enqueue(batch.pk)


# ---------------------------------------------------------------------------- validation


@dataclass
class PendingRow:
    """A row read from the file, waiting for its chunk to be compared and stored."""

    row_number: int
    values: dict[str, Any]
    errors: list[dict[str, str]]
    key: str | None
    warnings: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def _fewer_collections():
    """Python's cycle collector paused for what existed before a long import, and run less
    often on what it allocates. Every 700 new objects it walked all of Django's long-lived
    objects again: a quarter of a 100,000-row import's time. Undone afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


# SQLite's page cache while an import validates or applies, in KiB (its default is 2 MiB).
# A 100,000-row import writes as many people, audit entries and preview rows, each into
# tables with several indexes; with the default cache every index page went out to the
# database file and came back many times: inserting 100,000 people took 9.6 s of CPU, 6.1 s
# with this cache. Only the pages used are allocated; the default is restored afterwards.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def _import_page_cache():
    """A larger SQLite page cache on this connection for the length of one import task."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def import_conditions():
    """What a long import task gives itself for its length: fewer cycle collections and, on
    SQLite, a larger page cache, both undone afterwards. The benchmark runs its floors under
    the same conditions, so that neither side has an advantage the other lacks."""
    with _fewer_collections(), _import_page_cache():
        yield


def run_validation(*, batch_id: int) -> None:
    """Background task body: read the whole file, check every row, store the results."""
    with import_conditions():
        _run_validation(batch_id)


def _run_validation(batch_id: int) -> None:
    batch = (
        ImportBatch.objects.filter(pk=batch_id)
        .select_related("office", "scope_school", "session__course", "round__framework")
        .first()
    )
    if batch is None or batch.status not in (BatchStatus.UPLOADED, BatchStatus.VALIDATING):
        return
    try:
        _validate(batch)
    except ImportFileError as error:
        _fail(batch, str(error))
    except Exception:
        logger.exception("validation of import batch %s failed", batch_id)
        _fail(batch, INTERNAL_ERROR.format(what="ตรวจสอบไฟล์"))
    run_error_file(batch_id=batch_id)
    events.import_finished(batch_id)


def run_error_file(*, batch_id: int) -> None:
    """Task body: write the error file of a validated batch with errors, so that downloading
    it is only serving a file (no page request reads the upload again)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if (
        batch is None
        or batch.rows_purged
        or not batch.count_error
        or batch.status not in (BatchStatus.VALIDATED, BatchStatus.APPLIED)
    ):
        exporters.delete_error_files(batch_id)  # an earlier validation's, now wrong
        return
    try:
        exporters.store_error_file(batch)
    except Exception:  # the download asks for it again; the validation result stands
        logger.exception("error file of import batch %s failed", batch_id)


def request_error_file(batch: ImportBatch) -> None:
    """Queue the error file of a batch validated before it was written by the validation, or
    whose writing failed."""
    from . import tasks

    tasks.build_error_file.enqueue(batch.pk)


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, error_message=message, updated_at=timezone.now()
    )


def inspect_file(book: readers.Book, importer: Importer) -> tuple[str, HeaderGuess]:
    """Pick the sheet and header row that best match the kind's columns."""
    best: tuple[str, HeaderGuess] | None = None
    for name in book.sheet_names():
        sheet = book.sheet(name)
        guess = importer.spec.detect_header(sheet.head())
        if best is None or guess.score > best[1].score:
            best = (sheet.name, guess)
    if best is None:
        raise ImportFileError("ไม่พบแผ่นงานในไฟล์")
    return best


SAMPLE_ROWS = 3


def _samples(sheet: readers.Sheet, *, start: int) -> dict[str, list[str]]:
    """The first few values under each header, for the column-mapping page."""
    from krupd.lib.numerals import clean_text

    samples: dict[str, list[str]] = {}
    taken = 0
    for _number, cells in sheet.rows(start=start):
        if not any(c not in (None, "") for c in cells):
            continue
        for index, value in enumerate(cells):
            text = clip(clean_text(value), 40) if value not in (None, "", FORMULA) else ""
            samples.setdefault(str(index), []).append(text)
        taken += 1
        if taken >= SAMPLE_ROWS:
            break
    return samples


def _validate(batch: ImportBatch) -> None:
    importer = importer_for(batch)
    if batch.scope_school_id and not importer.allowed_for_director:
        raise ImportFileError("ผู้อำนวยการสถานศึกษานำเข้าข้อมูลประเภทนี้ไม่ได้")
    with readers.open_book(batch.file.path, batch.file_format) as book:
        _validate_book(batch, importer, book)


def _validate_book(batch: ImportBatch, importer: Importer, book: readers.Book) -> None:
    if not batch.mapping:
        sheet_name, guess = inspect_file(book, importer)
        importer.complete_mapping(guess, batch.office)
        if not guess.headers:
            raise ImportFileError("ไม่พบข้อมูลในไฟล์ (ไฟล์ว่างหรือไม่มีหัวตาราง)")
        batch.sheet_name = clip(sheet_name, 100)
        batch.header_row = guess.row_number
        batch.headers = guess.headers
        batch.samples = _samples(book.sheet(sheet_name), start=guess.row_number + 1)
        batch.mapping = {str(k): v for k, v in guess.mapping.items()}
        batch.title_values = _title_values(book.sheet(sheet_name), batch.header_row, importer)
        given = not_mapped(batch.title_values, guess.mapping)
        problems = importer.mapping_problems([*guess.mapping.values(), *given])
        if problems:
            batch.status = BatchStatus.NEEDS_MAPPING
            batch.notice = " · ".join(problems)
            batch.save()
            return
        batch.save()

    mapping = {int(k): v for k, v in batch.mapping.items()}
    # The title's values are read with the header, once: a new mapping changes neither.
    given = not_mapped(batch.title_values or {}, mapping)
    problems = importer.mapping_problems([*mapping.values(), *given])
    if problems:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.NEEDS_MAPPING, notice=" · ".join(problems)
        )
        return
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.VALIDATING,
        preview_notes=[],
        notice="",
        processed_rows=0,
        total_rows=0,
        count_new=0,
        count_changed=0,
        count_unchanged=0,
        count_error=0,
        error_message="",
        updated_at=timezone.now(),
    )
    ImportRow.objects.filter(batch=batch).delete()

    ctx = importer.context(office=batch.office, scope_school=batch.scope_school)
    ctx.session = batch.session
    ctx.headers = {key: _header(batch, idx, importer) for idx, key in mapping.items()}
    ctx.given = given
    columns = [
        (idx, column, {} if column.memo else None)  # the memo: each distinct cell read once
        for idx, key in sorted(mapping.items())
        if (column := importer.spec.by_key.get(key)) is not None and not column.informational
    ]
    summaries = SummaryRows(importer.summary_column(mapping), mapping)
    sheet = book.sheet(batch.sheet_name)
    column_notes = _read_whole_columns(sheet, batch.header_row, importer, mapping, ctx)
    header_copies = HeaderRepeats(
        [cells for _n, cells in sheet.head(batch.header_row)], importer.summary_column(mapping)
    )
    repeated_headers: list[int] = []
    seen: dict[str, int] = {}
    repeats: dict[int, list[int]] = {}  # first row of a key → the later rows with the same key
    sent: dict[int, Any] = {}  # row → its `latest_by` value, for kinds that keep the latest
    skipped: list[str] = []
    counts: Counter = Counter()
    pending: list[PendingRow] = []
    estimate = max(0, (sheet.total_estimate or 0) - batch.header_row)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=estimate)
    consumed = 0
    hidden = set(sheet.hidden_rows())
    hidden_read: list[int] = []  # hidden rows read as data: imported too, so the preview says
    warned: list[str] = []  # doubtful cells of rows imported as they are (a totals mismatch)
    for number, cells in sheet.all_rows(start=batch.header_row + 1):
        consumed = number - batch.header_row
        if header_copies.matches(cells):
            repeated_headers.append(number)
            continue
        summary = summaries.text(cells)
        if summary is not None:
            skipped.append(f"แถวที่ {number:,} “{clip(summary, 60)}”")
            continue
        row = read_row(number, cells, columns, importer, ctx)
        if row is None:
            continue
        if number in hidden:
            hidden_read.append(number)
        for warning in row.warnings:
            warned.append(f"แถวที่ {number:,} คอลัมน์ {warning['column']}: {warning['message']}")
        if row.key is not None:
            first = seen.setdefault(row.key, number)
            if importer.latest_by:
                sent[number] = row.values.get(importer.latest_by) or ""
            if first != number:
                repeats.setdefault(first, []).append(number)
            if first != number and not importer.latest_by:  # else the latest is kept
                message = importer.duplicate_message([first])
                row.errors.append(ctx.error(importer.spec, importer.key_field, message))
        pending.append(row)
        if len(pending) >= CHUNK_SIZE:
            # One commit per chunk: outside a transaction every stored row was a commit of
            # its own, which took longer than reading and checking it.
            with transaction.atomic():
                _store(batch, pending, importer, ctx, counts)
                ImportBatch.objects.filter(pk=batch.pk).update(
                    processed_rows=consumed,
                    total_rows=max(estimate, consumed),
                    updated_at=timezone.now(),
                    **_count_fields(counts),
                )
            pending = []
    if not pending and not counts:
        raise ImportFileError(_no_rows_message(batch, skipped))
    with transaction.atomic():
        _store(batch, pending, importer, ctx, counts)
        if importer.latest_by:
            set_aside = _keep_latest(batch, repeats, sent, counts)
        else:
            set_aside = []
            _flag_first_of_repeats(batch, repeats, importer, ctx, counts)
        ImportBatch.objects.filter(pk=batch.pk).update(
            preview_notes=_title_note(importer, ctx)
            + column_notes
            + set_aside
            + _preview_notes(
                batch, importer, mapping, skipped, repeated_headers, hidden_read, warned
            ),
            status=BatchStatus.VALIDATED,
            processed_rows=sum(counts.values()),
            total_rows=sum(counts.values()),
            validated_at=timezone.now(),
            updated_at=timezone.now(),
            **_count_fields(counts),
        )


def _read_whole_columns(
    sheet: readers.Sheet, header_row: int, importer: Importer, mapping: dict, ctx: Context
) -> list[dict]:
    """The columns the kind reads through before its rows (Importer.whole_columns), in one
    pass over the sheet; the preview's notes on them."""
    wanted = {idx: key for idx, key in mapping.items() if key in importer.whole_columns}
    if not wanted:
        return []
    cells: dict[int, list] = {idx: [] for idx in wanted}
    for number, row in sheet.all_rows(start=header_row + 1):
        for idx, found in cells.items():
            if idx < len(row) and row[idx] not in (None, ""):
                found.append((number, row[idx]))
    notes = []
    for idx, key in wanted.items():
        header = ctx.headers.get(key) or importer.spec.by_key[key].header
        notes += importer.read_whole_column(key, cells[idx], ctx, header)
    return notes


def _title_values(sheet: readers.Sheet, header_row: int, importer: Importer) -> dict[str, Any]:
    """What the sheet's title, above its header row, says for the whole sheet
    (Importer.title_values)."""
    title = [
        cell for number, cells in sheet.head(header_row) if number < header_row for cell in cells
    ]
    return importer.title_values(title)


def _title_note(importer: Importer, ctx: Context) -> list[dict]:
    """The preview says which values came from the title, not from a column."""
    if not ctx.given:
        return []
    title = "อ่านจากชื่อตารางเหนือหัวตาราง (ไฟล์ไม่มีคอลัมน์นี้ ใช้กับทุกแถว)"
    return [{"title": title, "items": importer.title_lines(ctx.given)}]


def _no_rows_message(batch: ImportBatch, skipped: list[str]) -> str:
    """A file with a header and nothing under it (or only totals and signatures) is refused
    as a whole: "imported 0 rows" would read like success."""
    sheet = f" ในแผ่นงาน “{batch.sheet_name}”" if batch.sheet_name else ""
    only = f" (มีเพียงแถวสรุปหรือหมายเหตุ {len(skipped):,} แถว)" if skipped else ""
    return (
        f"ไม่พบแถวข้อมูลใต้หัวตาราง (แถวที่ {batch.header_row:,}){sheet}{only} "
        "กรุณาตรวจสอบว่าเลือกไฟล์ถูกต้องและกรอกข้อมูลแล้ว"
    )


def _flag_first_of_repeats(
    batch: ImportBatch, repeats: dict[int, list[int]], importer: Importer, ctx: Context, counts
) -> None:
    """The first of rows sharing a key is as wrong as the later ones: flag it too, naming them.

    It may already be stored (an earlier chunk), so it is updated in place, with the counts.
    """
    firsts = list(repeats)
    for start in range(0, len(firsts), CHUNK_SIZE):
        numbers = firsts[start : start + CHUNK_SIZE]
        rows = list(ImportRow.objects.filter(batch=batch, row_number__in=numbers))
        for row in rows:
            counts[row.status] -= 1
            counts[ERROR] += 1
            message = importer.duplicate_message(repeats[row.row_number])
            row.errors = [*row.errors, ctx.error(importer.spec, importer.key_field, message)]
            row.status = ERROR
            row.changes = {}
        ImportRow.objects.bulk_update(rows, ["errors", "status", "changes"])


def _keep_latest(
    batch: ImportBatch, repeats: dict[int, list[int]], sent: dict[int, Any], counts
) -> list[dict]:
    """Of rows sharing a key (one person's form sent again), the one sent last is imported;
    the others are taken out of the batch, errors and all, and the preview says which row
    was kept for whom. Sent times compare as the reader wrote them (ISO text); a row without
    one counts as sent first, and of equal times the lower row wins (Google Forms appends).
    The rows set aside are counted and deleted a chunk at a time, not a person at a time."""
    set_aside: dict[int, list[int]] = {}  # the row kept → the rows set aside for it
    for first, later in repeats.items():
        numbers = [first, *later]
        kept = max(numbers, key=lambda n: (sent.get(n) or "", n))
        set_aside[kept] = sorted(n for n in numbers if n != kept)
    if not set_aside:
        return []
    dropped = [n for numbers in set_aside.values() for n in numbers]
    for start in range(0, len(dropped), CHUNK_SIZE):
        rows = ImportRow.objects.filter(
            batch=batch, row_number__in=dropped[start : start + CHUNK_SIZE]
        )
        for status, n in Counter(rows.values_list("status", flat=True)).items():
            counts[status] -= n
        rows.delete()
    shown = list(set_aside.items())[:20]
    labels = dict(
        ImportRow.objects.filter(batch=batch, row_number__in=[kept for kept, _ in shown])
        .values_list("row_number", "label")
    )  # fmt: skip
    items = [
        f"{labels.get(kept) or 'แถวที่ ' + format(kept, ',')}: ใช้แถวที่ {kept:,} "
        f"ไม่ใช้แถวที่ {', '.join(f'{n:,}' for n in numbers)}"
        for kept, numbers in shown
    ]
    title = (
        f"ส่งแบบฟอร์มซ้ำ {len(set_aside):,} คน: ใช้คำตอบที่ส่งล่าสุด (ตามประทับเวลา) คำตอบที่ส่งก่อนหน้าไม่นำเข้า"
    )
    more = [f"และอีก {len(set_aside) - 20:,} คน"] if len(set_aside) > 20 else []
    return [{"title": title, "items": items + more}]


def _preview_notes(
    batch: ImportBatch,
    importer: Importer,
    mapping: dict[int, str],
    skipped: list[str],
    repeated_headers: list[int] = (),  # type: ignore[assignment]
    hidden_rows: list[int] = (),  # type: ignore[assignment]
    warned: list[str] = (),  # type: ignore[assignment]
) -> list[dict]:
    """What the import leaves aside without blocking it, said on the preview."""
    notes = []
    if warned:
        more = f" และอีก {len(warned) - 20:,} รายการ" if len(warned) > 20 else ""
        notes.append(
            {
                "title": importer.warnings_title.format(count=f"{len(warned):,}"),
                "items": warned[:20] + ([more.strip()] if more else []),
            }
        )
    if hidden_rows:
        # Rows a filter (or Hide) left out of sight in Excel: the officer saw fewer rows than
        # the file holds. They are imported like the others, neither dropped nor taken in
        # silently: the preview lists them, to go back and delete them if they were not meant.
        notes.append(
            {
                "title": readers.hidden_rows_title(len(hidden_rows)),
                "items": [readers.row_list(hidden_rows)],
            }
        )
    if repeated_headers:
        rows = ", ".join(f"{n:,}" for n in repeated_headers[:20])
        more = f" และอีก {len(repeated_headers) - 20:,} แถว" if len(repeated_headers) > 20 else ""
        notes.append(
            {
                "title": f"ข้ามหัวตารางที่พิมพ์ซ้ำ {len(repeated_headers):,} แถว (ไม่นำเข้า)",
                "items": [f"แถวที่ {rows}{more}"],
            }
        )
    if skipped:
        notes.append(
            {
                "title": f"ข้ามแถวสรุปหรือหมายเหตุ {len(skipped):,} แถว (ไม่ใช่ข้อมูลรายการ ไม่นำเข้า)",
                "items": skipped[:20]
                + ([f"และอีก {len(skipped) - 20:,} แถว"] if len(skipped) > 20 else []),
            }
        )
    ignored = []
    for index, header in enumerate(batch.headers or []):
        key = mapping.get(index)
        column = importer.spec.by_key.get(key) if key else None
        if not header or (column is not None and not column.informational):
            continue
        if column is not None and column.key in ("seq", "_errors"):
            continue
        reason = (
            column.help
            if column is not None and column.help
            else ("ไม่ได้จับคู่กับข้อมูลใดของระบบ" if column is None else "ใส่ไว้เพื่ออ่านง่าย")
        )
        ignored.append(f"“{header}” — {reason}")
    if ignored:
        notes.append({"title": "คอลัมน์ที่ไม่ได้นำเข้า", "items": ignored})
    return notes


def _header(batch: ImportBatch, idx: int, importer: Importer) -> str:
    headers = batch.headers or []
    key = batch.mapping.get(str(idx))
    text = headers[idx] if idx < len(headers) else ""
    return text or (importer.spec.by_key[key].header if key in importer.spec.by_key else "")


def _count_fields(counts: Counter) -> dict[str, int]:
    return {
        "count_new": counts[NEW],
        "count_changed": counts[CHANGED],
        "count_unchanged": counts[UNCHANGED],
        "count_error": counts[ERROR],
    }


def read_row(
    number: int, cells: tuple, columns: list, importer: Importer, ctx: Context
) -> PendingRow | None:
    """One spreadsheet row → values and errors; None for a blank row.

    `columns`: (file column index, Column, its memo or None) for each column read."""
    width = len(cells)
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    empty = True
    # One pass, no list of readings or generator per row: this runs for every row of a file.
    # A column's memo answers most of its cells here, without a call (Column.read_cell).
    for idx, column, memo in columns:
        raw = cells[idx] if idx < width else None
        if memo is not None and (hit := memo.get(memo_key(raw))) is not None:
            blank, value = hit
            if value.__class__ is list:
                value = list(value)  # each row its own list: values are changed later
        else:
            blank, value = column.read_cell(raw, ctx, memo)
        if not blank:
            empty = False
        if isinstance(value, CellError):
            header = ctx.headers.get(column.key, column.header)
            errors.append({"column": header, "message": str(value)})
        else:
            values[column.key] = value
    if empty:
        return None
    if ctx.given:
        values.update(ctx.given)
    importer.check_row(values, errors, ctx)
    warnings = importer.row_warnings(values, ctx)
    key_failed = False
    if errors:
        key_header = ctx.headers.get(importer.key_field)
        key_failed = any(e["column"] == key_header for e in errors)
    key = None if key_failed else importer.row_key(values)
    return PendingRow(row_number=number, values=values, errors=errors, key=key, warnings=warnings)


def _store(
    batch: ImportBatch, pending: list[PendingRow], importer: Importer, ctx: Context, counts: Counter
) -> None:
    if not pending:
        return
    keys = [r.key for r in pending if r.key]
    existing = importer.existing(keys, ctx) if keys else {}
    objects: list[dict] = []
    for row in pending:
        outcome = importer.classify(row.values, existing.get(row.key), ctx) if row.key else None
        if outcome is not None:
            row.errors.extend(outcome.errors)
        errors = _one_per_column(row.errors) if row.errors else []
        status = ERROR if errors or outcome is None else outcome.status
        values = row.values
        if status == UNCHANGED:
            # Listed on the preview, but nothing is written for it: it keeps only what the
            # apply still reads (a re-import of a whole unchanged list stored every value of
            # every row for nothing).
            values = importer.kept_unchanged(values)
        objects.append(
            {
                "batch_id": batch.pk,
                "row_number": row.row_number,
                "status": status,
                "key": (row.key or "")[:50],
                "label": importer.row_label(row.values, ctx),
                "values": values,
                "errors": errors,
                "target_id": outcome.target_id if outcome else None,
                "changes": outcome.changes if outcome and status != ERROR else {},
            }
        )
        counts[status] += 1
    insert_rows(ImportRow, objects)


def _one_per_column(errors: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: set[str] = set()
    kept = []
    for error in errors:
        if error["column"] not in seen:
            seen.add(error["column"])
            kept.append(error)
    return kept


# ---------------------------------------------------------------------------- apply


@dataclass
class StoredRow:
    """An ImportRow as the apply reads it (no model instances: 100,000 of them add up)."""

    FIELDS = ("pk", "row_number", "status", "key", "values", "target_id", "changes")
    pk: int
    row_number: int
    status: str
    key: str
    values: dict
    target_id: int | None
    changes: dict


class Stale(Exception):
    """The database no longer matches what the preview showed for this row."""

    def __init__(self, row_number: int) -> None:
        super().__init__(row_number)
        self.row_number = row_number


def run_apply(*, batch_id: int, acting_user_id: int | None) -> None:
    """Background task body: apply a validated batch in one transaction."""
    with import_conditions():
        _run_apply(batch_id, acting_user_id)


def _run_apply(batch_id: int, acting_user_id: int | None) -> None:
    batch = (
        ImportBatch.objects.filter(pk=batch_id)
        .select_related("office", "scope_school", "session__course", "round__framework")
        .first()
    )
    if batch is None or batch.status != BatchStatus.APPLYING:
        return
    user = get_user_model().objects.filter(pk=acting_user_id).first()
    try:
        _apply(batch, user)
    except (Stale, IntegrityError) as error:
        # Someone changed the data since the preview; nothing was written. Show a fresh preview.
        logger.info("import batch %s stale at apply: %r", batch_id, error)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.UPLOADED, updated_at=timezone.now()
        )
        batch.refresh_from_db()
        run_validation(batch_id=batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(notice=STALE_NOTICE)
    except (ImportFileError, ApplyRefused) as error:
        _fail(batch, str(error))
    except Exception:
        logger.exception("apply of import batch %s failed", batch_id)
        _fail(batch, INTERNAL_ERROR.format(what="นำเข้า") + " (ไม่มีข้อมูลใดถูกบันทึก)")
    finally:
        progress.clear(batch.pk)
    events.import_finished(batch_id, applied_only=True)


def _apply(batch: ImportBatch, user) -> None:
    importer = importer_for(batch)
    total = batch.count_new + batch.count_changed + batch.count_unchanged
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.APPLYING:
            return
        if locked.rows.filter(status=ERROR).exists():
            raise ApplyRefused("ยังมีแถวที่ผิดพลาด")
        ctx = importer.context(office=batch.office, scope_school=batch.scope_school)
        ctx.session = batch.session
        ctx.headers = {
            key: _header(batch, int(idx), importer) for idx, key in batch.mapping.items()
        }
        writer = Writer(
            office=batch.office, actor=user, source=f"นำเข้าจากไฟล์ {batch.original_name}"
        )
        done, last_pk = 0, 0
        while True:
            # Fetched at once, as the ORM gives them (its JSON decoded) without its iteration.
            rows = [
                StoredRow(*values)
                for values in compiled_queries.plain_rows(
                    ImportRow.objects.filter(batch=batch, pk__gt=last_pk)
                    .order_by("pk")
                    .values_list(*StoredRow.FIELDS)[:CHUNK_SIZE]
                )
            ]
            if not rows:
                break
            last_pk = rows[-1].pk
            # Only rows that write are compared again (and their records locked): an unchanged
            # row writes nothing, and kept none of its values to compare (`_store`).
            written = [r for r in rows if r.status != UNCHANGED]
            existing = importer.existing([r.key for r in written], ctx, for_update=True)
            for row in written:
                outcome = importer.classify(row.values, existing.get(row.key), ctx)
                if (
                    outcome.errors
                    or outcome.status != row.status
                    or outcome.target_id != row.target_id
                    or _befores(outcome.changes) != _befores(row.changes)
                ):
                    raise Stale(row.row_number)
            importer.apply(rows, existing, ctx, writer)
            writer.flush()
            done += len(rows)
            progress.report(batch.pk, done, total)
        importer.finish(ctx, writer)
        if writer.wrote:
            writer.audit(
                action=AuditAction.IMPORT,
                instance=batch,
                object_label=f"นำเข้า{importer.label}จากไฟล์ {batch.original_name}",
                changes={
                    "ไฟล์": [None, batch.original_name],
                    "เพิ่มใหม่": [None, batch.count_new],
                    "เปลี่ยนแปลง": [None, batch.count_changed],
                    "ไม่เปลี่ยนแปลง": [None, batch.count_unchanged],
                },
            )
            writer.flush()
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.APPLIED,
            applied_at=timezone.now(),
            processed_rows=done,
            notice="" if writer.wrote else "ข้อมูลตรงกับในระบบทั้งหมด จึงไม่มีการเปลี่ยนแปลงข้อมูล",
            updated_at=timezone.now(),
        )


def _befores(changes: dict) -> dict:
    return {key: pair[0] for key, pair in changes.items()}


# ---------------------------------------------------------------------------- retention (PDPA)


class PurgeRefused(Exception):
    """The batch's row data cannot be purged now; the message is Thai."""


@dataclass
class PurgeReport:
    batches: int = 0
    rows: int = 0


def purge_batch_rows(*, acting_user, batch: ImportBatch) -> int:
    """An office admin deletes one finished or abandoned batch's row data now, before its
    retention period ends. Returns the number of rows deleted."""
    if not access.may_purge_rows(acting_user) or batch.office_id != acting_user.office_id:
        raise PermissionDenied
    return _purge(batch, actor=acting_user, reason="ผู้ดูแลระบบสั่งลบก่อนครบระยะเก็บรักษา")


def purge_expired_rows(*, now=None, dry_run: bool = False) -> PurgeReport:
    """The daily purge (manage.py purge_import_rows): every batch finished or abandoned longer
    ago than its office's retention period loses its row data and uploaded file. With
    `dry_run`, only counts what would go."""
    now = now or timezone.now()
    report = PurgeReport()
    for batch, days in queries.batches_due_for_purge(now=now):
        if dry_run:
            rows = queries.stored_row_count(batch)
        else:
            try:
                rows = _purge(batch, actor=None, reason=f"ครบระยะเก็บรักษา {days} วัน")
            except PurgeRefused:
                continue  # picked up again (re-validated, purged) since the list was read
        report.batches += 1
        report.rows += rows
    return report


def _purge(batch: ImportBatch, *, actor, reason: str) -> int:
    """Delete the batch's rows and uploaded file; keep the batch, its counts and its summary.
    One transaction with its audit entry; the file goes once that has committed."""
    upload = batch.file.name
    storage = batch.file.storage
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(PURGEABLE, pk=batch.pk).update(
            rows_purged_at=timezone.now(), file="", samples={}
        )
        if not claimed:
            raise PurgeRefused("ลบข้อมูลรายแถวไม่ได้ระหว่างที่ระบบกำลังตรวจสอบหรือนำเข้าไฟล์นี้")
        rows, _ = ImportRow.objects.filter(batch_id=batch.pk).delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=batch,
            object_label=f"ข้อมูลรายแถวของการนำเข้า {batch.original_name} ({reason})",
            office=batch.office,
            changes={
                "ข้อมูลรายแถว": [f"{rows:,} แถว", "ลบแล้ว"],
                "ไฟล์ที่อัปโหลด": [batch.original_name, "ลบแล้ว" if upload else "—"],
            },
        )
        if upload:
            transaction.on_commit(lambda: _delete_upload(storage, upload))
        transaction.on_commit(lambda: exporters.delete_error_files(batch.pk))
    batch.refresh_from_db()
    return rows


def _delete_upload(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("could not delete the purged import file %s", name, exc_info=True)


# ---------------------------------------------------------------------------- whole workbooks

# What reads and writes each kind of whole-workbook import, in the app that owns the data:
# fn(*, acting_user, path, report) → (Thai summary of what was written, id of the record
# made or None). It raises ValidationError with one Thai message per problem and writes
# nothing then; `report(done, total)` tells the job page how far reading has got, and
# `report(n, n, final=True)` that reading is over and writing begins.
FILE_IMPORT_RUNNERS = {
    FileImportKind.FRAMEWORK: "planning.actions.import_framework_file",
    FileImportKind.ONET: "reporting.actions.import_onet_file",
}
PROGRESS_EVERY_ROWS = 500


def start_file_import(
    *, acting_user, kind: str, uploaded_file, file_format: str = readers.XLSX
) -> FileImport:
    """Store a workbook the upload form has looked at (its first bytes and zip directory only,
    krupd/uploads.py) and queue the import; nothing in the request opens the workbook.
    `file_format`: what the form's `readers.sniff` found (an .xls, .ods or CSV is kept under
    its own suffix, which the reader of .xls and .ods goes by)."""
    access.require_file_import(acting_user, kind)
    job = FileImport(
        office_id=acting_user.office_id,
        kind=kind,
        uploaded_by=acting_user,
        original_name=(uploaded_file.name or "ไฟล์")[-255:],
    )
    uploaded_file.seek(0)
    job.file.save(f"upload{readers.SUFFIXES[file_format]}", uploaded_file, save=False)
    job.save()
    from . import tasks

    tasks.run_file_import.enqueue(job.pk)
    return job


def run_file_import(*, job_id: int) -> None:
    """Task body: read the stored workbook and write it whole, or record why nothing was
    written. Only one worker gets a queued job (the status update is the claim)."""
    claimed = FileImport.objects.filter(pk=job_id, status=FileImportStatus.QUEUED).update(
        status=FileImportStatus.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = FileImport.objects.select_related("uploaded_by", "office").get(pk=job_id)
    fields: dict[str, Any] = {"status": FileImportStatus.FAILED}
    try:
        if job.uploaded_by is None or not access.may_file_import(job.uploaded_by, job.kind):
            raise ValidationError(FILE_IMPORT_NOT_ALLOWED)
        runner = import_string(FILE_IMPORT_RUNNERS[job.kind])
        summary, result_id = runner(
            acting_user=job.uploaded_by, path=job.file.path, report=_file_progress(job.pk)
        )
    except ValidationError as error:
        fields["errors"] = error.messages
    except Exception:
        logger.exception("file import %s failed", job_id)
        fields["errors"] = [INTERNAL_ERROR.format(what="นำเข้าไฟล์")]
    else:
        fields.update(status=FileImportStatus.DONE, summary=summary, result_id=result_id)
    stored = job.file.name
    FileImport.objects.filter(pk=job_id).update(
        **fields, file="", finished_at=timezone.now(), updated_at=timezone.now()
    )
    if stored:
        _delete_upload(job.file.storage, stored)  # read once; the job keeps what it found
    events.file_import_finished(job_id)


FILE_IMPORT_NOT_ALLOWED = "ผู้อัปโหลดไม่มีสิทธิ์นำเข้าข้อมูลนี้แล้ว จึงไม่ได้บันทึกอะไร"


def _file_progress(job_id: int):
    """`report(done, total)` for a runner: writes the job row every few hundred rows. Reading
    happens before the write transaction, so this never waits on it."""
    last = [-PROGRESS_EVERY_ROWS]

    def report(done: int, total: int, *, final: bool = False) -> None:
        if final or done - last[0] >= PROGRESS_EVERY_ROWS:
            last[0] = done
            FileImport.objects.filter(pk=job_id).update(
                processed_rows=done, total_rows=max(done, total), updated_at=timezone.now()
            )

    return report


# ---------------------------------------------------------------------------- large exports

EXPORT_NOT_ALLOWED = "ผู้ขอไม่มีสิทธิ์ส่งออกข้อมูลนี้แล้ว จึงไม่ได้เตรียมไฟล์"


@transaction.atomic
def start_list_export(
    *, acting_user, kind: str, file_format: str, params: dict, full_ids: bool
) -> ListExport:
    """Queue a long list's file for the task worker. The same list already being written
    for this person is not queued twice. Taking a list of people is audited now, when it is
    asked for."""
    purge_expired_exports()
    same = ListExport.objects.filter(
        requested_by=acting_user, kind=kind, file_format=file_format, full_ids=full_ids
    )
    running = worker_files.running_job(same, alike=lambda job: job.params == params)
    if running:
        return running
    record_export(acting_user=acting_user, kind=kind, params=params, full_ids=full_ids)
    export = ListExport.objects.create(
        requested_by=acting_user, kind=kind, file_format=file_format, params=params,
        full_ids=full_ids,
    )  # fmt: skip
    from . import tasks

    transaction.on_commit(lambda: tasks.build_list_export.enqueue(export.pk))
    return export


def run_list_export(*, export_id: int) -> None:
    """Task body: write the list to a file with progress on the export's row, or record why
    not (krupd.worker_files)."""
    if not worker_files.claim(ListExport, export_id):
        return
    export = ListExport.objects.select_related("requested_by__office").get(pk=export_id)
    rows = ListExport.objects.filter(pk=export_id)
    user = export.requested_by

    def write_list(out) -> None:
        kind = access.export_kind(user, export.kind)  # the right may have gone since
        full_ids = export.full_ids and access.can_see_full_national_id(user)
        total = exporters.export_size(user=user, kind=kind, params=export.params)
        rows.update(total_rows=total, updated_at=timezone.now())

        def progress(done: int) -> None:
            rows.update(processed_rows=done, total_rows=max(done, total), updated_at=timezone.now())

        exporters.write_list(
            out, user=user, kind=kind, params=export.params, full_ids=full_ids,
            file_format=export.file_format, progress=progress,
        )  # fmt: skip

    written = worker_files.write(
        export, write_list, refused=(PermissionDenied, Http404),
        refused_message=EXPORT_NOT_ALLOWED,
        failed_message=INTERNAL_ERROR.format(what="เตรียมไฟล์ส่งออก"),
    )  # fmt: skip
    if written:  # one finished file per person, list and format: an older one is out of date
        worker_files.drop_older(export, ListExport.objects.filter(
            requested_by_id=export.requested_by_id, kind=export.kind,
            file_format=export.file_format,
        ))  # fmt: skip


def purge_expired_exports(*, now=None) -> int:
    """Delete export files (they may hold national IDs) once they are past their keep time."""
    return worker_files.purge_expired(ListExport, now=now)
