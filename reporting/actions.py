"""Every reporting write: O-NET import, office targets, SAR drafts and entries, inspection
report drafts. Atomic, audited, and each takes the acting user."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from krupd import worker_files
from krupd.lib import thai_dates
from notifications import events
from registry.audit import diff, record, snapshot
from registry.models import AuditAction, School

from . import inspection, queries
from .models import (
    FocusAnswer,
    FocusQuestion,
    InspectionPolicy,
    InspectionReport,
    InspectionSubmission,
    InspectionVersion,
    KpiTarget,
    OnetNationalMean,
    OnetResult,
    ProblemSolution,
    ProgressAnswer,
    SarAttachment,
    SarEdition,
    SarEntry,
    SarItem,
    SarReport,
    SubmissionStatus,
)
from .onet import Parsed, grade_code
from .reports import inspection as inspection_report


def _audit(user, action: str, *, instance=None, label: str = "", kind: str = "", changes=None):
    plain = {k: [str(a) if a is not None else None, str(b) if b is not None else None]
             for k, (a, b) in (changes or {}).items()}  # fmt: skip
    record(actor=user, action=action, instance=instance, object_type=kind, object_label=label,
           office=user.office, changes=plain)  # fmt: skip


@dataclass
class ImportOutcome:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


@transaction.atomic
def import_onet(*, acting_user, parsed: Parsed) -> ImportOutcome:
    """All rows or none: refused while the sheet has any error; re-importing the same sheet
    changes nothing."""
    if parsed.errors:
        raise ValidationError(parsed.errors)
    office = acting_user.office
    schools = dict(School.objects.filter(office=office).values_list("obec_code", "pk"))
    # Rows imported before grades were kept as codes hold the grade as their sheet wrote it
    # ("ป.6"): matched by its code, and given the code when the sheet comes again.
    existing = {
        (r.school_id, r.academic_year, grade_code(r.grade) or r.grade, r.subject): r
        for r in OnetResult.objects.of_office(office).filter(
            academic_year__in={r.academic_year for r in parsed.rows}
        )
    }
    out = ImportOutcome()
    new = []
    for row in parsed.rows:
        key = (schools[row.school_code], row.academic_year, row.grade, row.subject)
        current = existing.get(key)
        if current is None:
            new.append(OnetResult(school_id=key[0], academic_year=key[1], grade=key[2],
                                  subject=key[3], mean=row.mean))  # fmt: skip
            out.created += 1
        elif current.mean != row.mean or current.grade != row.grade:
            current.mean, current.grade = row.mean, row.grade
            current.save(update_fields=["mean", "grade", "imported_at"])
            out.changed += 1
        else:
            out.unchanged += 1
    OnetResult.objects.bulk_create(new, batch_size=2000)
    if out.created or out.changed:
        _audit(acting_user, AuditAction.IMPORT, kind="onetresult", label="ผลการทดสอบ O-NET",
               changes={"created": [0, out.created], "changed": [0, out.changed]})  # fmt: skip
    return out


NATIONAL_FIELDS = ["academic_year", "grade", "subject", "mean", "source"]


@transaction.atomic
def save_national_mean(*, acting_user, row: OnetNationalMean) -> OnetNationalMean:
    """A national O-NET mean the office typed from NIETS' results: one row per year, grade
    and subject (typing an existing one again corrects it); every change is audited."""
    if row.office_id != acting_user.office_id:
        raise ValidationError("แก้ไขได้เฉพาะข้อมูลของเขตพื้นที่ตนเอง")
    same = OnetNationalMean.objects.filter(
        office_id=row.office_id, academic_year=row.academic_year, grade=row.grade,
        subject=row.subject,
    ).exclude(pk=row.pk).first()  # fmt: skip
    if same is not None:
        if row.pk:
            raise ValidationError(
                f"มีค่าเฉลี่ยของ{row.get_grade_display()} วิชา{row.subject} "
                f"ปีการศึกษา {row.academic_year} อยู่แล้ว"
            )
        same.mean, same.source = row.mean, row.source
        row = same
    before = snapshot(OnetNationalMean.objects.get(pk=row.pk), NATIONAL_FIELDS) if row.pk else {}
    is_new = row.pk is None
    row.full_clean()
    row.save()
    changes = diff(before, snapshot(row, NATIONAL_FIELDS))
    if is_new or changes:
        _audit(acting_user, AuditAction.CREATE if is_new else AuditAction.UPDATE, instance=row,
               label=f"ค่าเฉลี่ย O-NET ระดับประเทศ {row}", changes=changes)  # fmt: skip
    return row


@transaction.atomic
def delete_national_mean(*, acting_user, row: OnetNationalMean) -> None:
    if row.office_id != acting_user.office_id:
        raise ValidationError("แก้ไขได้เฉพาะข้อมูลของเขตพื้นที่ตนเอง")
    _audit(acting_user, AuditAction.DELETE, instance=row,
           label=f"ค่าเฉลี่ย O-NET ระดับประเทศ {row}",
           changes={"mean": [row.mean, None]})  # fmt: skip
    row.delete()


def import_onet_file(*, acting_user, path: str, report) -> tuple[str, None]:
    """The task worker's part of an O-NET upload (imports/actions.py runs it): read the stored
    sheet, then write every row in one transaction, or nothing while any row has an error."""
    from .onet import parse_onet

    codes = set(
        School.objects.filter(office=acting_user.office).values_list("obec_code", flat=True)
    )
    parsed = parse_onet(path, school_codes=codes, report=report)
    report(parsed.lines_read, parsed.lines_read, final=True)
    out = import_onet(acting_user=acting_user, parsed=parsed)
    summary = (
        f"นำเข้าผล O-NET แล้ว: เพิ่ม {out.created} แถว แก้ไข {out.changed} แถว "
        f"ไม่เปลี่ยนแปลง {out.unchanged} แถว"
    )
    if parsed.year_from_title:  # no preview here: where the year came from is said after
        summary += f" · ปีการศึกษา {parsed.year_from_title} อ่านจากชื่อตาราง (ไฟล์ไม่มีคอลัมน์ปีการศึกษา)"
    if parsed.hidden_lines:  # no preview here: said with the result, rows named
        hidden = parsed.hidden_lines
        from imports import readers

        title = readers.hidden_rows_title(len(hidden), imported=True)
        summary += f" · {title}: {readers.row_list(hidden)}"
    return summary, None


@transaction.atomic
def save_office_target(*, acting_user, code: str, target, active: bool = True) -> KpiTarget:
    """The office's own target for a KPI: a copy of the default with its own value."""
    office = acting_user.office
    base = KpiTarget.objects.filter(office=None, code=code).first()
    own = KpiTarget.objects.filter(office=office, code=code).first()
    if own is None:
        if base is None:
            raise ValidationError("ไม่พบตัวชี้วัดนี้")
        own = KpiTarget(
            office=office, code=code, name=base.name, formula=base.formula, kind=base.kind,
            params=base.params, source=base.source, sort_order=base.sort_order, target=target,
        )  # fmt: skip
    before = str(own.target) if own.pk else ""
    own.target = target
    own.active = active
    own.save()
    _audit(acting_user, AuditAction.UPDATE, instance=own, changes={"target": [before, target]})
    return own


# ------------------------------------------------------------------------------ SAR


def _refuse_far_year(fiscal_year: int) -> None:
    """A report is about a fiscal year near today: ?fy=2600 in the address creates none."""
    refusal = thai_dates.fiscal_year_refusal(fiscal_year, current=queries.current_fiscal_year())
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def start_sar(
    *, acting_user, edition: SarEdition, fiscal_year: int, round_number: int = 2
) -> SarReport:
    """The office's SAR for a half-year round of the year (created once), with an empty entry
    per item."""
    _refuse_far_year(fiscal_year)
    report, created = SarReport.objects.get_or_create(
        office=acting_user.office,
        edition=edition,
        fiscal_year=fiscal_year,
        round_number=round_number,
        defaults={"created_by": acting_user},
    )
    items = SarItem.objects.filter(indicator__standard__edition=edition)
    have = set(report.entries.values_list("item_id", flat=True))
    SarEntry.objects.bulk_create(
        [SarEntry(report=report, item=i, updated_by=acting_user) for i in items if i.pk not in have]
    )
    if created:
        _audit(acting_user, AuditAction.CREATE, instance=report)
    return report


SAR_TEXT_FIELDS = (
    "office_data", "success_factors", "problems", "points_to_develop", "guidelines",
    "extra_evidence",
)  # fmt: skip


@transaction.atomic
def save_sar_entry(
    *, acting_user, entry: SarEntry, values: dict, suggested_level: int | None
) -> SarEntry:
    """Narratives and the officer's level; the suggestion of the moment is kept beside it."""
    level = values.get("officer_level")
    if level is not None and level not in (1, 2, 3, 4):
        raise ValidationError("ระดับคุณภาพต้องเป็น 1–4")
    changes = {}
    for name in (*SAR_TEXT_FIELDS, "officer_level"):
        if name in values and getattr(entry, name) != values[name]:
            changes[name] = [getattr(entry, name), values[name]]
            setattr(entry, name, values[name])
    entry.suggested_level = suggested_level
    entry.updated_by = acting_user
    entry.save()
    if changes:
        _audit(
            acting_user, AuditAction.UPDATE, instance=entry, label=str(entry.item), changes=changes
        )
    return entry


@transaction.atomic
def attach_sar_document(*, acting_user, entry: SarEntry, label: str, file) -> SarAttachment:
    doc = SarAttachment.objects.create(entry=entry, label=label, file=file)
    _audit(acting_user, AuditAction.CREATE, instance=doc)
    return doc


# ------------------------------------------------------------------------ inspection


def questions_year(fiscal_year: int) -> int | None:
    """The fiscal year whose inspection policies and questions a report of fiscal_year uses:
    the latest set up to it. When it is an earlier year, the pages say so."""
    return (
        InspectionPolicy.objects.filter(fiscal_year__lte=fiscal_year)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def policies_for(fiscal_year: int):
    """The latest set of inspection policies in force in the year (None if there is none)."""
    year = questions_year(fiscal_year)
    if year is None:
        return InspectionPolicy.objects.none()
    return InspectionPolicy.objects.filter(fiscal_year=year).prefetch_related("points__questions")


@transaction.atomic
def start_inspection(*, acting_user, fiscal_year: int) -> InspectionReport:
    """The office's inspection report for the year, with progress pre-filled from data."""
    _refuse_far_year(fiscal_year)
    report, created = InspectionReport.objects.get_or_create(
        office=acting_user.office, fiscal_year=fiscal_year, defaults={"created_by": acting_user}
    )
    if queries.is_locked(queries.submission_for(report)):
        return report  # as sent to the province: no focus points added behind its back
    have = set(report.answers.values_list("point_id", flat=True))
    new_points = [
        point
        for policy in policies_for(fiscal_year)
        for point in policy.points.all()
        if point.pk not in have
    ]
    texts = inspection.prefills(
        (q.prefill_key for point in new_points for q in point.questions.all()),
        report.office,
        fiscal_year,
    )
    for point in new_points:
        answer = FocusAnswer.objects.create(report=report, point=point)
        ProgressAnswer.objects.bulk_create(
            ProgressAnswer(
                answer=answer, question=q, text=texts[q.prefill_key], prefilled=texts[q.prefill_key]
            )
            for q in point.questions.all()
        )
    if created:
        _audit(acting_user, AuditAction.CREATE, instance=report)
    return report


@transaction.atomic
def save_inspection_front(
    *, acting_user, report: InspectionReport, round_number: int, foreword: str
) -> InspectionReport:
    """The report's front matter: which inspection round it answers and its foreword. Once
    the province accepted a round, the office may only move the report on to another round."""
    submission = queries.submission_for(report)
    moving_on = (
        submission is not None
        and submission.status == SubmissionStatus.ACCEPTED
        and round_number != report.round_number
    )
    if not moving_on:
        ensure_editable(report)
    if moving_on and foreword.strip() != report.foreword:
        raise ValidationError("เปลี่ยนรอบที่ก่อน แล้วจึงแก้ไขคำนำของรอบใหม่")
    before = {"round_number": report.round_number, "foreword": report.foreword}
    report.round_number, report.foreword = round_number, foreword.strip()
    report.save(update_fields=["round_number", "foreword", "updated_at"])
    changes = {k: (v, getattr(report, k)) for k, v in before.items() if v != getattr(report, k)}
    if changes:
        _audit(acting_user, AuditAction.UPDATE, instance=report, changes=changes)
    return report


@transaction.atomic
def refresh_prefill(*, acting_user, answer: FocusAnswer) -> int:
    """Re-read the data; text an officer has not edited follows it, edited text is kept.
    Returns how many progress items changed."""
    ensure_editable(answer.report)
    changed = 0
    office, fy = answer.report.office, answer.report.fiscal_year
    progress_items = list(answer.progress.select_related("question"))
    texts = inspection.prefills((p.question.prefill_key for p in progress_items), office, fy)
    for progress in progress_items:
        fresh = texts[progress.question.prefill_key]
        if fresh != progress.prefilled:
            if progress.text == progress.prefilled:
                progress.text = fresh
            progress.prefilled = fresh
            progress.save()
            changed += 1
    return changed


@transaction.atomic
def save_focus_answer(
    *,
    acting_user,
    answer: FocusAnswer,
    values: dict,
    progress: dict[int, str],
    problems: list[tuple[str, str]],
) -> FocusAnswer:
    ensure_editable(answer.report)
    for name in (
        "success_factors", "best_practice", "best_practice_ref", "area_suggestions",
        "policy_suggestions",
    ):  # fmt: skip
        if name in values:
            setattr(answer, name, values[name])
    answer.save()
    questions = {q.pk for q in FocusQuestion.objects.filter(point=answer.point_id)}
    for p in answer.progress.all():
        if p.question_id in progress and p.question_id in questions:
            p.text = progress[p.question_id]
            p.save(update_fields=["text"])
    answer.problems.all().delete()
    ProblemSolution.objects.bulk_create(
        [
            ProblemSolution(answer=answer, order=i, problem=pr.strip(), solution=so.strip())
            for i, (pr, so) in enumerate(problems, 1)
            if pr.strip()
        ]
    )
    _audit(acting_user, AuditAction.UPDATE, instance=answer, label=str(answer.point))
    return answer


# ---------------------------------------------- submitting the inspection report to the province


def ensure_editable(report: InspectionReport) -> None:
    """A report sent to the province (or accepted by it) is read there as sent: no edits
    until the province returns it."""
    submission = queries.submission_for(report)
    if not queries.is_locked(submission):
        return
    if submission.status == SubmissionStatus.ACCEPTED:
        raise ValidationError(
            f"จังหวัดรับรายงานรอบที่ {report.round_number} แล้ว จึงแก้ไขไม่ได้ "
            "หากต้องรายงานรอบถัดไป ให้เปลี่ยนรอบที่ในส่วนรอบการตรวจราชการและคำนำ"
        )
    raise ValidationError(
        f"รายงานรอบที่ {report.round_number} ส่งจังหวัดแล้ว จึงแก้ไขไม่ได้ แก้ไขได้อีกเมื่อจังหวัดส่งกลับให้แก้ไข"
    )


def _open_round(report: InspectionReport):
    """The provincial round the report answers (oversight app), or None."""
    from oversight.inspection_queries import round_for

    return round_for(report.office, report.fiscal_year, report.round_number)


@transaction.atomic
def submit_inspection(*, acting_user, report: InspectionReport) -> InspectionVersion:
    """Send the report to the province: the text is kept as a numbered version and the
    report is locked until the province returns it."""
    report = (
        InspectionReport.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=report.pk)
    )
    submission = queries.submission_for(report)
    if queries.is_locked(submission):
        ensure_editable(report)  # raises the message that says why
    if _open_round(report) is None:
        raise ValidationError(
            f"จังหวัด{report.office.province}ยังไม่ได้เปิดการตรวจราชการรอบที่ {report.round_number} "
            f"ปีงบประมาณ {report.fiscal_year} จึงยังส่งรายงานไม่ได้"
        )
    content = inspection_report.snapshot(report)
    if not content["points"]:
        raise ValidationError("รายงานยังไม่มีจุดเน้นให้ส่ง")
    now = timezone.now()
    version = InspectionVersion.objects.create(
        report=report, number=_latest_version(report) + 1, round_number=report.round_number,
        content=content, submitted_by=acting_user, submitted_at=now,
    )  # fmt: skip
    before = queries.status_label(submission)
    if submission is None:
        submission = InspectionSubmission(report=report, round_number=report.round_number)
    submission.status, submission.comment = SubmissionStatus.SUBMITTED, ""
    submission.submitted_by, submission.submitted_at = acting_user, now
    submission.reviewed_by = submission.reviewed_at = None
    submission.save()
    _audit(acting_user, AuditAction.UPDATE, instance=submission,
           label=f"ส่งรายงานผลการตรวจราชการรอบที่ {report.round_number} ฉบับที่ {version.number}",
           changes={"status": (before, submission.get_status_display())})  # fmt: skip
    events.inspection_submitted(submission)
    return version


@transaction.atomic
def review_inspection(
    *, acting_user, submission: InspectionSubmission, accept: bool, comment: str
) -> InspectionSubmission:
    """The province's answer to a submitted report: accepted, or returned with comments
    (which unlocks it for the office). Only a report waiting for an answer can be answered."""
    submission = (
        InspectionSubmission.objects.select_for_update(of=("self", "report"))
        .select_related("report__office")
        .get(pk=submission.pk)
    )
    comment = comment.strip()
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(f"รายงานนี้{submission.get_status_display()}ไปแล้ว จึงพิจารณาซ้ำไม่ได้")
    if not accept and not comment:
        raise ValidationError("กรุณาเขียนความเห็นว่าต้องแก้ไขอะไร ก่อนส่งกลับให้หน่วยงาน")
    outcome = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.status, submission.comment = outcome, comment
    submission.reviewed_by, submission.reviewed_at = acting_user, timezone.now()
    submission.save()
    submission.report.versions.filter(number=_latest_version(submission.report)).update(
        outcome=outcome, comment=comment
    )
    record(actor=acting_user, action=AuditAction.UPDATE, instance=submission,
           office=submission.report.office,
           object_label=f"{outcome.label} รายงานผลการตรวจราชการรอบที่ {submission.round_number}",
           changes={"status": [SubmissionStatus.SUBMITTED.label, outcome.label],
                    **({"comment": [None, comment]} if comment else {})})  # fmt: skip
    events.inspection_reviewed(submission)
    return submission


def _latest_version(report: InspectionReport) -> int:
    return report.versions.order_by("-number").values_list("number", flat=True).first() or 0


# ---------------------------------------------------------------------- large SAR files
# A large SAR's file is written by the task worker (krupd.worker_files): the request queues
# it, the worker writes it with progress, the person who asked downloads it.

SAR_EXPORT_NOT_ALLOWED = "ผู้ขอไม่มีสิทธิ์ดูรายงาน SAR นี้แล้ว จึงไม่ได้เตรียมไฟล์"


def sar_export_failed_message() -> str:
    from imports.actions import INTERNAL_ERROR

    return INTERNAL_ERROR.format(what="เตรียมไฟล์รายงาน SAR")


@transaction.atomic
def start_sar_export(*, acting_user, report: SarReport, file_format: str, thai_digits: bool):
    """Queue a large SAR's file for the task worker. The same file already being written for
    this person is not queued twice, unless its worker died (stalled)."""
    from .models import SarExport

    purge_expired_sar_exports()
    running = worker_files.running_job(
        _same_sar_file(acting_user.pk, report.pk, file_format, thai_digits)
    )
    if running:
        return running
    export = SarExport.objects.create(
        report=report, requested_by=acting_user, file_format=file_format, thai_digits=thai_digits
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.build_sar_export.enqueue(export.pk))
    return export


def run_sar_export(*, export_id: int) -> None:
    """Task body: gather the SAR and write its file with progress on the export's row, or
    record why not. The asker's right to read the SAR is checked again here: it may have
    been taken away since they asked."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from . import access
    from .models import SarExport
    from .render.pdf import sar_pdf
    from .reports import sar as sar_report

    if not worker_files.claim(SarExport, export_id):
        return
    export = SarExport.objects.select_related("requested_by").get(pk=export_id)
    rows = SarExport.objects.filter(pk=export_id)

    def progress(done: int, total: int, pages: int = 0) -> None:
        rows.update(done_steps=done, total_steps=total, pages=pages, updated_at=timezone.now())

    def write_sar(out) -> None:
        report = access.sar_for_view(export.requested_by, export.report_id)
        document = sar_report.build(report)
        if export.file_format == "pdf":
            out.write(sar_pdf(document, thai_digits=export.thai_digits, progress=progress))
        else:
            out.write(
                sar_report.sar_docx(document, thai_digits=export.thai_digits, progress=progress)
            )

    written = worker_files.write(
        export, write_sar, refused=(PermissionDenied, Http404),
        refused_message=SAR_EXPORT_NOT_ALLOWED, failed_message=sar_export_failed_message(),
    )  # fmt: skip
    if written:  # one finished file per person, SAR and format: an older one is out of date
        worker_files.drop_older(
            export, _same_sar_file(export.requested_by_id, export.report_id,
                                   export.file_format, export.thai_digits),
        )  # fmt: skip


def _same_sar_file(user_id: int, report_id: int, file_format: str, thai_digits: bool):
    from .models import SarExport

    return SarExport.objects.filter(
        requested_by_id=user_id, report_id=report_id, file_format=file_format,
        thai_digits=thai_digits,
    )  # fmt: skip


def purge_expired_sar_exports(*, now=None) -> int:
    """Delete SAR files once they are past their keep time: a convenience copy of a report
    that keeps changing, not an archive."""
    from .models import SarExport

    return worker_files.purge_expired(SarExport, now=now)
