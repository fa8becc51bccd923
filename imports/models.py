"""An uploaded file (batch) and what validation found in each of its rows."""

import datetime as dt
import os

from django.conf import settings
from django.db import models
from django.utils import timezone

from krupd import worker_files
from krupd.uploads import SPREADSHEET, WORKBOOK, UploadFileField
from registry.models import Office, School

# A validation or apply that has not reported progress for this long is taken as interrupted;
# the same wait as for a file the worker writes.
STALL_AFTER = worker_files.STALL_AFTER


class ImportKind(models.TextChoices):
    PERSONNEL = "personnel", "ข้อมูลบุคลากร"
    SCHOOLS = "schools", "ข้อมูลสถานศึกษา"
    ENROLMENT = "enrolment", "ข้อมูลนักเรียนและห้องเรียน"
    RESULTS = "results", "คะแนนทดสอบและแบบประเมินความพึงพอใจ"
    ASSESSMENT = "assessment", "แบบประเมินสมรรถนะตนเอง (Google Forms)"


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", "รอตรวจสอบ"
    NEEDS_MAPPING = "needs_mapping", "รอจับคู่คอลัมน์"
    VALIDATING = "validating", "กำลังตรวจสอบ"
    VALIDATED = "validated", "ตรวจสอบแล้ว"
    APPLYING = "applying", "กำลังนำเข้า"
    APPLIED = "applied", "นำเข้าแล้ว"
    FAILED = "failed", "ไม่สำเร็จ"


RUNNING = (BatchStatus.UPLOADED, BatchStatus.VALIDATING, BatchStatus.APPLYING)

# Batches whose row data (national IDs, salaries) may be purged: applied, failed, left waiting
# for a column mapping, or validated but never applied (with or without errors: a clean batch
# nobody applied within the retention period is abandoned too, and its IDs must not stay
# forever; applying it afterwards is refused, the file can be uploaded again). Never a batch
# while it is being validated or applied.
PURGEABLE_STATUSES = (
    BatchStatus.APPLIED, BatchStatus.FAILED, BatchStatus.NEEDS_MAPPING, BatchStatus.VALIDATED,
)  # fmt: skip
PURGEABLE = models.Q(rows_purged_at__isnull=True, status__in=PURGEABLE_STATUSES)


class RowStatus(models.TextChoices):
    NEW = "new", "เพิ่มใหม่"
    CHANGED = "changed", "เปลี่ยนแปลง"
    UNCHANGED = "unchanged", "ไม่เปลี่ยนแปลง"
    ERROR = "error", "ผิดพลาด"


def _stored_name(folder: str, office_id: int, suffix: str) -> str:
    """Where an uploaded file is kept: by month, named by office and moment (one clock read,
    so the month folder and the time stamp always agree), never by the uploader's name."""
    now = timezone.now()
    return f"{folder}/{now:%Y/%m}/{office_id}-{now:%d%H%M%S%f}{suffix}"


def upload_path(batch: "ImportBatch", filename: str) -> str:
    from .readers import SUFFIXES

    return _stored_name("imports", batch.office_id, SUFFIXES[batch.file_format])


class ImportBatch(models.Model):
    """One uploaded file on its way through upload → validate → preview → apply."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="import_batches")
    kind = models.CharField("ประเภทข้อมูล", max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        "สถานะ", max_length=16, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้นำเข้า",
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_batches",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ยืนยันนำเข้า",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A school director's batch may only touch their school; kept here so the background
    # validation applies the same limit the upload page did.
    scope_school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The course session a results batch records scores and answers for.
    session = models.ForeignKey(
        "training.Session",
        verbose_name="รุ่น",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    # The assessment round an assessment batch records self-assessment answers into.
    round = models.ForeignKey(
        "planning.Round",
        verbose_name="รอบการประเมิน",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    file = UploadFileField("ไฟล์", upload_to=upload_path, max_length=255, kind=SPREADSHEET.key)
    original_name = models.CharField("ชื่อไฟล์", max_length=255)
    file_format = models.CharField(max_length=4)
    sheet_name = models.CharField("ชีต", max_length=100, blank=True)
    header_row = models.PositiveIntegerField("แถวหัวตาราง", default=0)
    headers = models.JSONField(default=list, blank=True)  # header text per file column
    mapping = models.JSONField(default=dict, blank=True)  # {"column index": field key}
    # A few values under each header for the column-mapping page, taken by the background
    # validation so that no page reads the uploaded file: {"column index": [text, …]}.
    # Row data: cleared with the rows when they are purged.
    samples = models.JSONField(default=dict, blank=True)
    # Values the sheet's title gave for a column the file does not have ({"year": 2568}),
    # taken by the validation (Importer.title_values) for every row and the mapping page.
    title_values = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    count_new = models.PositiveIntegerField("เพิ่มใหม่", default=0)
    count_changed = models.PositiveIntegerField("เปลี่ยนแปลง", default=0)
    count_unchanged = models.PositiveIntegerField("ไม่เปลี่ยนแปลง", default=0)
    count_error = models.PositiveIntegerField("ผิดพลาด", default=0)
    error_message = models.TextField(blank=True)
    notice = models.TextField(blank=True)
    # What validation set aside without blocking the import, shown on the preview: summary
    # and notes rows skipped, file columns not imported. [{"title": ..., "items": [...]}]
    preview_notes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField("อัปโหลดเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField("นำเข้าเมื่อ", null=True, blank=True)
    # Set when the rows and the uploaded file were deleted (retention, PDPA); counts remain.
    rows_purged_at = models.DateTimeField("ลบข้อมูลรายแถวแล้วเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การนำเข้าข้อมูล"
        verbose_name_plural = "การนำเข้าข้อมูล"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def counted_rows(self) -> int:
        return self.count_new + self.count_changed + self.count_unchanged + self.count_error

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def can_apply(self) -> bool:
        return (
            self.status == BatchStatus.VALIDATED
            and self.count_error == 0
            and (self.count_new + self.count_changed) > 0
        )

    @property
    def rows_purged(self) -> bool:
        return self.rows_purged_at is not None

    @property
    def may_purge_rows(self) -> bool:
        """Finished or abandoned with its row data still held (the same test as PURGEABLE)."""
        return not self.rows_purged and self.status in PURGEABLE_STATUSES

    @property
    def percent(self) -> int | None:
        if not self.total_rows:
            return None
        return min(100, round(100 * self.processed_rows / self.total_rows))

    def is_stalled(self, *, now: dt.datetime | None = None, last_activity=None) -> bool:
        """Running, but silent for too long: the worker died. The data is untouched (one
        transaction per apply), so the batch may be validated again."""
        if not self.is_running:
            return False
        now = now or timezone.now()
        last = max(filter(None, [self.updated_at, last_activity]))
        return now - last > STALL_AFTER


class ImportRow(models.Model):
    """One data row of a batch: values as read, what is wrong, and what applying would change."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField("แถวที่")
    status = models.CharField("ผล", max_length=10, choices=RowStatus.choices)
    key = models.CharField(max_length=50, blank=True)
    label = models.CharField(max_length=200, blank=True)
    values = models.JSONField(default=dict)
    errors = models.JSONField(default=list, blank=True)  # [{"column": header, "message": text}]
    target_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field key: [before, after]}

    class Meta:
        verbose_name = "แถวข้อมูลนำเข้า"
        verbose_name_plural = "แถวข้อมูลนำเข้า"
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="importrow_unique_number")
        ]
        indexes = [models.Index(fields=["batch", "status", "row_number"])]

    def __str__(self) -> str:
        return f"แถว {self.row_number}"


# ---------------------------------------------------------------------------- whole workbooks


class FileImportKind(models.TextChoices):
    """Workbooks an office gets back whole from its own export or a national source. Each
    kind is read and written by its own app (imports/actions.py names the function)."""

    FRAMEWORK = "framework", "กรอบสมรรถนะ"
    ONET = "onet", "ผลการทดสอบ O-NET"


class FileImportStatus(models.TextChoices):
    QUEUED = "queued", "รอเริ่ม"
    RUNNING = "running", "กำลังตรวจและนำเข้า"
    DONE = "done", "นำเข้าแล้ว"
    FAILED = "failed", "นำเข้าไม่ได้"


def file_import_path(job: "FileImport", filename: str) -> str:
    """`filename` is the name `start_file_import` gives (its suffix the format the content
    was found to be, which python-calamine goes by), never the uploader's."""
    from .readers import SUFFIXES

    suffix = os.path.splitext(filename)[1].lower()
    known = suffix in SUFFIXES.values()
    return _stored_name("imports/files", job.office_id, suffix if known else ".xlsx")


class FileImport(models.Model):
    """One uploaded workbook that is imported whole: the upload request only checks its first
    bytes and stores it; the task worker reads it within the import limits and writes every
    row in one transaction, or nothing, and lists each problem by sheet, row and column.
    The stored file is deleted once the worker is done with it."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="file_imports")
    kind = models.CharField("ประเภทข้อมูล", max_length=10, choices=FileImportKind.choices)
    status = models.CharField(
        "สถานะ", max_length=10, choices=FileImportStatus.choices, default=FileImportStatus.QUEUED
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้นำเข้า",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    file = UploadFileField(
        "ไฟล์", upload_to=file_import_path, max_length=255, blank=True, kind=WORKBOOK.key
    )
    original_name = models.CharField("ชื่อไฟล์", max_length=255)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # Thai, one per problem
    summary = models.TextField(blank=True)  # what was written, in Thai
    result_id = models.BigIntegerField(null=True, blank=True)  # e.g. the framework created
    created_at = models.DateTimeField("อัปโหลดเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การนำเข้าไฟล์"
        verbose_name_plural = "การนำเข้าไฟล์"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_running(self) -> bool:
        return self.status in (FileImportStatus.QUEUED, FileImportStatus.RUNNING)

    def is_stalled(self, *, now: dt.datetime | None = None) -> bool:
        """Queued or running but silent for too long: the worker died. Nothing was written
        (one transaction), so uploading the file again is safe."""
        return self.is_running and (now or timezone.now()) - self.updated_at > STALL_AFTER


# ---------------------------------------------------------------------------- large exports


class ListExport(worker_files.WorkerFile):
    """A list too long to write while the browser waits (a large office's personnel), written
    to a file by the task worker with progress; only the person who asked downloads it.
    Short lists are written straight into the response and leave no row here."""

    FILES_UNDER = ("imports", "exports")

    kind = models.CharField("ประเภทข้อมูล", max_length=10, choices=ImportKind.choices)
    params = models.JSONField(default=dict, blank=True)  # the list page's filters
    full_ids = models.BooleanField(default=False)  # national IDs unmasked (audited on request)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)

    class Meta(worker_files.WorkerFile.Meta):
        verbose_name = "ไฟล์ส่งออก"
        verbose_name_plural = "ไฟล์ส่งออก"
        indexes = [models.Index(fields=["requested_by", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_format.upper()} #{self.pk}"
