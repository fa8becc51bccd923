"""Certificates and enrolment, reported through the shared table (bench/training_workloads.py)."""

from __future__ import annotations

import subprocess
import tempfile
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
            baseline="one document, template background drawn once, only the per-person "
            "fields drawn per page",
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


def _template_background(cert, workdir: Path) -> Path:
    """The certificate with its per-person fields blanked out, as one page image: what a
    mail-merge template is. Drawn once per batch."""
    from training import certificates

    pdf = certificates.new_pdf()
    certificates.draw_certificate(pdf, cert, base=BASE)
    pdf.set_fill_color(255, 255, 255)
    w, h = pdf.w, pdf.h
    for x, y, width, height in _template_blanks(w, h):
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
    """Areas of the per-person fields on a page (see training.certificates.draw_page)."""
    return [(20, 55, w - 40, 18), (22, h - 58, 34, 34), (58, h - 51, 78, 23)]


def template_floor(count: int) -> float:
    """The honest floor for bulk certificates: one document, the fonts and a template
    background (the page without its per-person fields) loaded once, and per page only the
    variable fields drawn: name, QR, number, code and link."""
    from bench.training_workloads import _certificates
    from training import certificates

    certs = _certificates(count)
    workdir = Path(tempfile.mkdtemp(prefix="krupd-bench-template-"))
    with timed() as elapsed:
        background = _template_background(certs[0], workdir)
        pdf = certificates.new_pdf()
        w, h = pdf.w, pdf.h
        for cert in certs:
            url = certificates.verify_url(cert.code, base=BASE)
            pdf.add_page()
            pdf.image(str(background), 0, 0, w, h)  # embedded once, referenced per page
            pdf.set_font("Sarabun", "B", 30)
            pdf.set_text_color(*certificates.NAVY)
            pdf.set_xy(20, 58)
            pdf.cell(w - 40, 15, cert.person_name, align="C")
            certificates.draw_verification(pdf, number=cert.number, code=cert.code, verify_url=url)
        (workdir / "certificates.pdf").write_bytes(bytes(pdf.output()))
    return elapsed()
