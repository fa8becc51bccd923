"""The PA evidence pack as one ZIP for the DPA system: an index PDF first, the agreement and
the self-report (DOCX), then one folder per indicator (and one for the challenge issue) with
its evidence files in the order evaluators read them.

File names are what DPA and Windows accept: Thai kept, unsafe characters removed
(krupd.downloads.safe_filename), numbered so that any file manager lists them in order.
Records of KruPD become PDFs here (training and award certificates as issued, PLC logs,
supervision records);
uploaded files go in as they are; links are listed in the index only.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from krupd.downloads import safe_filename
from krupd.lib.numerals import format_hours
from krupd.lib.thai_dates import format_thai_date, year_label
from krupd.lib.thai_wrap import cell_text
from krupd.uploads import size_label
from training.exports import OfficePdf

from . import exports, queries
from .models import EvidenceKind, PAEvidence

INDEX_NAME = "00 สารบัญหลักฐาน.pdf"
AGREEMENT_NAME = "01 ข้อตกลงในการพัฒนางาน PA1ส.docx"
REPORT_NAME = "02 รายงานผลการพัฒนางานตามข้อตกลง.docx"
TITLE_CHARS = 60  # of an evidence title in its file name; DPA and Windows paths stay short


@dataclass
class PackFile:
    section: queries.PackSection | None  # None: the agreement and the self-report
    evidence: PAEvidence | None
    name: str  # path inside the ZIP
    render: Callable[[], bytes]
    size: int = 0


def folder_name(section: queries.PackSection, order: int) -> str:
    if section.item is None:
        return safe_filename(f"{order:02d} ประเด็นท้าทาย")
    return safe_filename(f"{order:02d} ตัวชี้วัดที่ {section.number}")


def _ext(name: str, default: str = "pdf") -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else default


def _file_name(n: int, title: str, ext: str) -> str:
    # A title is not a path: its slashes separate words ("ภาพ/กิจกรรม"), not folders.
    title = title.replace("/", " ").replace("\\", " ")[:TITLE_CHARS]
    return safe_filename(f"{n:02d} {title}.{ext}", f"{n:02d}.{ext}")


def plan(pack: queries.Pack, *, thai_digits: bool = False) -> list[PackFile]:
    """Every file of the ZIP with its name, in order, and how to make its bytes; the
    self-report names the files it cites from this same list."""
    files: list[PackFile] = []
    for order, section in enumerate(pack.sections, start=1):
        folder = folder_name(section, order)
        n = 0
        for e in section.evidence:
            for title, ext, render in _parts(e, thai_digits):
                n += 1
                files.append(PackFile(section, e, f"{folder}/{_file_name(n, title, ext)}", render))
    return files


def _parts(e: PAEvidence, thai_digits: bool):
    """(title, extension, render) of each file a piece of evidence becomes; links none."""
    if e.kind == EvidenceKind.CERTIFICATE:
        from training.certificates import render_pdf

        yield e.title, "pdf", lambda: render_pdf(e.certificate)
    elif e.kind == EvidenceKind.AWARD:
        from community.certificates import render_pdf as render_award_pdf

        yield e.title, "pdf", lambda: render_award_pdf(e.award_certificate)
    elif e.kind == EvidenceKind.PLC:
        meeting = e.plc_meeting
        yield e.title, "pdf", lambda: plc_log_pdf(meeting, thai_digits=thai_digits)
        for photo in meeting.evidence.all():
            yield (
                f"{e.title} {photo.label or 'หลักฐาน'}",
                _ext(photo.file.name),
                lambda photo=photo: _read(photo.file),
            )
    elif e.kind == EvidenceKind.VISIT:
        yield e.title, "pdf", lambda: visit_pdf(e.visit, thai_digits=thai_digits)
    elif e.kind == EvidenceKind.PRACTICE:
        practice = e.practice
        if practice.file:
            yield e.title, _ext(practice.file.name), lambda: _read(practice.file)
        else:
            yield e.title, "pdf", lambda: practice_pdf(practice, thai_digits=thai_digits)
    elif e.kind == EvidenceKind.FILE:
        yield e.title, _ext(e.file.name), lambda: _read(e.file)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def write_pack_zip(
    pack: queries.Pack,
    out: BinaryIO | Path,
    *,
    thai_digits: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[PackFile]:
    """Write the ZIP to `out` (the task worker's part file, krupd.worker_files.write, which
    names it only when whole): evidence files first so their sizes are known, the index PDF
    first in order."""
    files = plan(pack, thai_digits=thai_digits)
    total = len(files) + 3
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        documents = [
            (AGREEMENT_NAME, exports.agreement_docx(pack.agreement, thai_digits=thai_digits)),
            (
                REPORT_NAME,
                exports.self_report_docx(pack, evidence_file_names(files), thai_digits=thai_digits),
            ),
        ]
        # The index is the first entry a reader sees; it is written first with the sizes of
        # files rendered before it.
        rendered = []
        for n, f in enumerate(files, start=1):
            data = f.render()
            f.size = len(data)
            rendered.append((f.name, data))
            if progress and (n % 5 == 0 or n == len(files)):
                progress(n, total)
        index = index_pdf(pack, files, documents, thai_digits=thai_digits)
        zf.writestr(INDEX_NAME, index)
        for name, data in documents + rendered:
            zf.writestr(name, data)
    if progress:
        progress(total, total)
    return files


def evidence_file_names(files: list[PackFile]) -> dict[int, str]:
    """Evidence id → its first file in the ZIP (what the self-report cites)."""
    out: dict[int, str] = {}
    for f in files:
        if f.evidence is not None:
            out.setdefault(f.evidence.pk, f.name)
    return out


# ------------------------------------------------------------------------------- PDFs


def index_pdf(pack: queries.Pack, files: list[PackFile], documents, *, thai_digits=False) -> bytes:
    """One table per section: the evidence in reading order, its file in the ZIP and size;
    sections without evidence say so."""
    a = pack.agreement
    pdf = OfficePdf(office_name=a.person.office.name, thai_digits=thai_digits)
    pdf.set_title(f"สารบัญหลักฐาน PA {a.fiscal_year} {a.person.full_name}")
    pdf.add_page()
    pdf.line_text(
        f"สารบัญหลักฐานประกอบการประเมินผลการพัฒนางานตามข้อตกลง (PA) "
        f"ปีงบประมาณ พ.ศ. {year_label(a.fiscal_year)}",
        size=15,
        bold=True,
    )
    pdf.line_text(f"{a.person.full_name}  ตำแหน่ง {a.person.position}  วิทยฐานะ {a.standing or '-'}")
    pdf.line_text(f"{queries.agreement_workplace(a)}  ({queries.cycle_terms(a.fiscal_year)})")
    pdf.line_text(
        f"ชั่วโมงพัฒนาในรอบ {format_hours(pack.ledger.total_hours)} ชั่วโมง · "
        f"หลักฐาน {pack.evidence_count} รายการ · "
        f"ตัวชี้วัดที่ยังไม่มีหลักฐาน {len(pack.empty_sections)} รายการ",
        size=12,
    )
    pdf.ln(2)
    pdf.line_text("เอกสารประกอบ", bold=True)
    for name, data in documents:
        _as_is(pdf, f"   {name}  ({pdf.t(size_label(len(data)))})")
    by_evidence: dict[int, list[PackFile]] = {}
    for f in files:
        by_evidence.setdefault(f.evidence.pk, []).append(f)
    for order, section in enumerate(pack.sections, start=1):
        pdf.ln(2)
        heading = f"ตัวชี้วัดที่ {section.number} {section.title}" if section.item else section.title
        pdf.line_text(heading, bold=True, size=13)
        _as_is(pdf, f"   โฟลเดอร์: {folder_name(section, order)}")
        if not section.evidence:
            pdf.line_text(f"   {queries.NO_EVIDENCE}", size=12)
            continue
        pdf.set_font("Sarabun", "B", 11)
        widths = [8, 62, 80, 20]
        with pdf.table(
            col_widths=widths,
            text_align=("CENTER", "LEFT", "LEFT", "RIGHT"),
            line_height=5.5,
        ) as table:
            table.row(["ที่", "หลักฐาน", "ไฟล์ในแฟ้ม", "ขนาด"])
            pdf.set_font("Sarabun", "", 11)
            for n, e in enumerate(section.evidence, start=1):
                parts = by_evidence.get(e.pk, [])
                names = "\n".join(f.name.split("/", 1)[1] for f in parts) or f"ลิงก์: {e.url}"
                size = "\n".join(size_label(f.size) for f in parts) or "-"
                # File names as they are in the ZIP, never turned into Thai digits.
                # The evidence's title breaks between Thai words, not inside one.
                title = cell_text(pdf, pdf.t(f"{e.title}\n({e.get_kind_display()})"), widths[1])
                table.row([pdf.t(n), title, names, pdf.t(size)])
    total = sum(f.size for f in files) + sum(len(d) for _, d in documents)
    pdf.ln(3)
    pdf.line_text(
        f"รวม {len(files) + len(documents)} ไฟล์ ขนาดรวม {size_label(total)} (ไม่รวมสารบัญนี้)",
        bold=True,
        size=12,
    )
    return bytes(pdf.output())


def _as_is(pdf: OfficePdf, text: str) -> None:
    """A line holding file names: written without turning digits into Thai ones."""
    pdf.set_font("Sarabun", "", 11)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def plc_log_pdf(meeting, *, thai_digits: bool = False) -> bytes:
    """One PLC meeting's log as the group recorded it: the five steps and who attended."""
    group = meeting.group
    pdf = OfficePdf(office_name=group.office.name, thai_digits=thai_digits)
    pdf.add_page()
    pdf.line_text(f"บันทึกกิจกรรมชุมชนการเรียนรู้ทางวิชาชีพ (PLC) กลุ่ม {group.name}", bold=True, size=15)
    pdf.line_text(
        f"วันที่ {format_thai_date(meeting.date, style='long')} · "
        f"จำนวน {format_hours(meeting.hours)} ชั่วโมง · {group.unit_name}"
    )
    for field in ("problem", "plan", "action", "observation", "reflection"):
        pdf.line_text(meeting._meta.get_field(field).verbose_name, bold=True)
        pdf.line_text(getattr(meeting, field) or "-")
    names = ", ".join(p.full_name for p in meeting.attendees.order_by("first_name"))
    pdf.line_text("ผู้เข้าร่วม", bold=True)
    pdf.line_text(names or "-")
    return bytes(pdf.output())


def visit_pdf(visit, *, thai_digits: bool = False) -> bytes:
    """A supervision or coaching visit as recorded by the supervisor."""
    pdf = OfficePdf(office_name=visit.office.name, thai_digits=thai_digits)
    pdf.add_page()
    pdf.line_text(f"บันทึก{visit.get_kind_display()}", bold=True, size=15)
    pdf.line_text(
        f"วันที่ {format_thai_date(visit.date, style='long')} · {visit.school.name} · "
        f"ผู้นิเทศ/โค้ช {visit.visitor_name}"
    )
    for label, value in (
        ("ประเด็นการนิเทศ", visit.focus),
        ("ผลการนิเทศ/สิ่งที่พบ", visit.findings),
        ("ข้อตกลงร่วม/สิ่งที่ต้องติดตาม", visit.follow_up),
    ):
        pdf.line_text(label, bold=True)
        pdf.line_text(value or "-")
    names = ", ".join(p.full_name for p in visit.people.order_by("first_name"))
    pdf.line_text("ผู้รับการนิเทศ", bold=True)
    pdf.line_text(names or "-")
    return bytes(pdf.output())


def practice_pdf(practice, *, thai_digits: bool = False) -> bytes:
    """A best practice without an uploaded file: its record as published."""
    pdf = OfficePdf(office_name=practice.office.name, thai_digits=thai_digits)
    pdf.add_page()
    pdf.line_text(f"ผลงานเด่น/แนวปฏิบัติที่ดี: {practice.title}", bold=True, size=15)
    owners = ", ".join(p.full_name for p in practice.owners.order_by("first_name"))
    pdf.line_text(
        f"เจ้าของผลงาน {owners or '-'} · ปี {year_label(practice.year)} · "
        f"ระดับ {practice.get_level_display()}"
    )
    pdf.line_text("สรุปผลงาน", bold=True)
    pdf.line_text(practice.summary or "-")
    return bytes(pdf.output())
