"""Certificates and enrolment, reported through the shared table (bench/training_workloads.py)."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

from .core import Result, timed

BASE = "http://127.0.0.1:8000/"


def certificates(*, database: str, count: int) -> list[Result]:
    from bench.training_workloads import bench_certificates

    r = bench_certificates(count)
    row = {"database": database, "workload": "bulk certificates (one zip)", "size": r["n"],
           "unit": "certs", "seconds": r["bulk_seconds"]}  # fmt: skip
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
            baseline_seconds=template_floor(count, every_field=False),
        ),
        Result(
            **row,
            baseline="one document, template background drawn once, per page only what "
            "differs per person (name, hours, dates, QR, number, code, link), same zip",
            baseline_seconds=template_floor(count),
            honest=True,
        ),
    ]


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
        rows = ["เลขที่,ชื่อ-สกุล,รหัสตรวจสอบ,ลิงก์ตรวจสอบ"]
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
            rows.append(f'{cert.number},"{name}",{cert.code},{url}')
        data = bytes(pdf.output())
        if every_field:
            with zipfile.ZipFile(workdir / "certificates.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("certificates.pdf", data, compress_type=zipfile.ZIP_STORED)
                zf.writestr("certificates.csv", "\ufeff" + "\n".join(rows) + "\n")
        else:
            (workdir / "certificates.pdf").write_bytes(data)
    return elapsed()
