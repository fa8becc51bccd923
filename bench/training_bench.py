"""Certificates and enrolment, reported through the shared table (bench/training_workloads.py)."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

from .core import Result, cpu_timed, timed

BASE = "http://127.0.0.1:8000/"


def certificates(*, database: str, count: int) -> list[Result]:
    from bench.training_workloads import bench_certificates

    r = bench_certificates(count)
    row = {"database": database, "workload": "bulk certificates (one zip)", "size": r["n"],
           "unit": "certs", "seconds": r["bulk_seconds"]}  # fmt: skip
    with cpu_timed() as earlier_cpu:
        earlier_floor = template_floor(count, every_field=False)
    with cpu_timed() as floor_cpu:
        floor = template_floor(count)
    cpu = f"{r['bulk_cpu_seconds']:.1f} / {{:.1f}}"  # beside wall time on a shared machine
    return [
        Result(
            **row,
            baseline=f"bare fpdf2, one document per certificate (timed on {r['bare_sample']})",
            baseline_seconds=r["bare_fpdf2_seconds"],
            extra={"zip MiB": round(r["zip_bytes"] / 2**20, 1)},
        ),
        Result(
            **row,
            baseline="one document, template background drawn once, per page only the name "
            "and the verification block (earlier runs' floor: hours and dates in the template)",
            baseline_seconds=earlier_floor,
            extra={"CPU s (this / floor)": cpu.format(earlier_cpu())},
        ),
        Result(
            **row,
            baseline="one document, template background drawn once, per page only what "
            "differs per person (name, hours, dates, QR, number, code, link), same zip",
            baseline_seconds=floor,
            honest=True,
            extra={"CPU s (this / floor)": cpu.format(floor_cpu())},
        ),
    ]


def certificate_batch(*, database: str, count: int) -> list[Result]:
    """A course's certificate batch as the task worker runs it, on this database: issue the
    certificates of everyone who passed (rows, audit entries, each participant's notice),
    sign their credentials, draw them all into the zip. Reported with its queries; the
    drawing alone is compared with its floor in the rows above."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training import actions

    batch = _passed_course(count)
    with CaptureQueriesContext(connection) as queries, timed() as elapsed, cpu_timed() as cpu:
        actions.run_certificate_batch(batch_id=batch.pk)
    return [
        Result(
            database=database,
            workload="certificate batch (issue, sign, zip)",
            size=count,
            unit="certs",
            seconds=elapsed(),
            extra={"queries": len(queries.captured_queries), "CPU s": round(cpu(), 1)},
        )
    ]


def _passed_course(count: int):
    """A course whose `count` participants (each with an account) all passed, and the
    batch an officer asked for."""
    import datetime as dt
    from decimal import Decimal

    from accounts.models import User
    from accounts.roles import Role
    from credentials import keys
    from krupd.testing import make_office, make_person, make_school, valid_national_id
    from registry.models import Person
    from training.models import (
        CertificateBatch,
        Course,
        Enrolment,
        EnrolmentSource,
        EnrolmentStatus,
        ResultStatus,
        Session,
    )

    office = make_office(code="B9902", name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 2")
    school = make_school(office, code="9990290000", name="โรงเรียนวัดเขาทะโมน")
    officer = User.objects.create_user(
        username="bench-batch-officer", role=Role.DEVELOPMENT_OFFICER, office=office
    )
    first = make_person(office, school, national_id=valid_national_id(9_902_000_000))
    fields = [f.attname for f in Person._meta.concrete_fields if f.attname != "id"]
    people = [Person(**{name: getattr(first, name) for name in fields}) for _ in range(count)]
    for i, person in enumerate(people):
        person.national_id = valid_national_id(9_902_000_001 + i)
        person.first_name = f"กุ้งนภา{i}"
    people = Person.objects.bulk_create(people)
    User.objects.bulk_create(
        User(username=f"bench-batch-{i}", role=Role.TEACHER, office=office, person=p)
        for i, p in enumerate(people)
    )
    course = Course.objects.create(
        office=office,
        title="ประชุมสัมมนาทางวิชาการแลกเปลี่ยนเรียนรู้ พัฒนาครูทั้งระบบ ปี 2569",
        mode="workshop",
        hours=Decimal("6"),
        fiscal_year=2569,
    )
    day = dt.date(2026, 8, 20)
    session = Session.objects.create(
        course=course, start_date=day, end_date=day, capacity=count, hours_per_day=6
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            course=course,
            session=session,
            person=p,
            status=EnrolmentStatus.ENROLLED,
            source=EnrolmentSource.OFFICE,
            approved=True,
            passed=True,
            result=ResultStatus.PASSED,
            hours_credited=Decimal("6"),
            completed_on=day,
        )
        for p in people
    )
    keys.signing_key(office)  # an office's key is made once in its life, not per batch
    return CertificateBatch.objects.create(course=course, requested_by=officer, base_url=BASE)


def enrolment(*, database: str, threads: int, people: int) -> list[Result]:
    from bench.training_workloads import bench_enrolment

    r = bench_enrolment(threads, people)
    serial_seconds = r["people"] / r["serial_per_second"]
    return [
        Result(
            database=database,
            workload=f"enrolment, {r['threads']} concurrent threads",
            size=r["people"],
            unit="clicks",
            seconds=r["people"] / r["concurrent_per_second"],
            baseline="the same enrolments one by one",
            baseline_seconds=serial_seconds,
            extra={
                "seats": r["capacity"],
                "enrolled / wait-listed": f"{r['enrolled']} / {r['waitlisted']}",
                "lock retries": r["retries"],
            },
        )
    ]


def _template_background(cert, workdir: Path, *, every_field: bool) -> Path:
    """The certificate with its per-person fields blanked out, as one page image: what a
    mail-merge template is. Drawn once per batch."""
    from training import certificates

    pdf = certificates.new_pdf()
    certificates.draw_certificate(pdf, cert, base=BASE)
    pdf.set_fill_color(255, 255, 255)
    blanks = _template_blanks(pdf.w, pdf.h)
    if every_field:
        blanks.append((20, _body_top(pdf, cert) - 1, pdf.w - 40, 41))
    for x, y, width, height in blanks:
        pdf.rect(x, y, width, height, style="F")
    blank = workdir / "template.pdf"
    blank.write_bytes(bytes(pdf.output()))
    subprocess.run(
        # JPEG: PDF embeds it as it is, where a PNG would be decoded and recompressed.
        ["pdftoppm", "-jpeg", "-r", "150", "-singlefile", str(blank), str(workdir / "template")],
        check=True,
    )
    return workdir / "template.jpg"


def _template_blanks(w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Areas of the name and the verification block (see training.certificates.draw_page)."""
    return [(20, 55, w - 40, 18), (22, h - 58, 34, 34), (58, h - 51, 78, 23)]


def _body_top(pdf, cert) -> float:
    """Where the hours and date lines start: under the course title's lines (draw_page)."""
    from training import certificates

    title_lines = certificates._wrapped(pdf, cert.course_title, pdf.w - 60, "B", 20)
    return max(92 + 10 * len(title_lines) + 2, 104)


def template_floor(count: int, *, every_field: bool = True) -> float:
    """The honest floor for bulk certificates: one document, the fonts and a template
    background (the page without its per-person fields) loaded once, and per page only the
    fields that differ from person to person drawn: the name, the hours, the dates (passed,
    valid until, issued; each certificate has its own), the QR, number, code and link; then
    the same zip as the product's, the PDF beside the list of numbers, names, codes and
    links. `every_field=False` is the floor of earlier runs, which printed the hours and
    dates in the template and wrote the PDF alone."""
    from bench.training_workloads import _certificates
    from krupd.lib.thai_dates import format_thai_date
    from training import certificates

    certs = _certificates(count)
    workdir = Path(tempfile.mkdtemp(prefix="krupd-bench-template-"))
    with timed() as elapsed:
        background = _template_background(certs[0], workdir, every_field=every_field)
        pdf = certificates.new_pdf()
        w, h = pdf.w, pdf.h
        body_top = _body_top(pdf, certs[0])
        rows = ["เลขที่,ชื่อ-สกุล,รหัสตรวจสอบ,ลิงก์ตรวจสอบ,สถานะ"]
        for cert in certs:
            url = certificates.verify_url(cert.code, base=BASE)
            pdf.add_page()
            pdf.image(str(background), 0, 0, w, h)  # embedded once, referenced per page
            pdf.set_font("Sarabun", "B", 30)
            pdf.set_text_color(*certificates.NAVY)
            pdf.set_xy(20, 58)
            pdf.cell(w - 40, 15, cert.person_name, align="C")
            if every_field:
                issued = f"ให้ไว้ ณ วันที่ {format_thai_date(cert.issued_on, style='long')}"
                pdf.set_text_color(40, 40, 40)
                lines = [*certificates.certificate_lines(cert), issued]
                for i, text in enumerate(lines):  # 18 pt, then 16 pt; 11 then 10 mm apart
                    size = 18 if i == 0 else 16
                    pdf.set_font("Sarabun", "", size)
                    pdf.set_xy(20, body_top + (0, 11, 21, 31)[i])
                    pdf.cell(w - 40, size * 0.5, text, align="C")
            certificates.draw_verification(pdf, number=cert.number, code=cert.code, verify_url=url)
            name = cert.person_name.replace('"', "'")
            rows.append(f'{cert.number},"{name}",{cert.code},{url},{cert.get_standing_display()}')
        data = bytes(pdf.output())
        if every_field:
            with zipfile.ZipFile(workdir / "certificates.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("certificates.pdf", data, compress_type=zipfile.ZIP_STORED)
                zf.writestr("certificates.csv", "\ufeff" + "\n".join(rows) + "\n")
        else:
            (workdir / "certificates.pdf").write_bytes(data)
    return elapsed()
