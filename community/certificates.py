"""Award certificate PDFs, drawn with training's certificate page layout.

training.certificates.render_certificate takes only printed texts (it reads no training
model), so award certificates look like training ones (Sarabun with Thai shaping, QR to the
public verification page) without community depending on anything else of training.
"""

from __future__ import annotations

from django.urls import reverse

from training.certificates import base_url, render_certificate

from .models import AwardCertificate, AwardLevel


def verify_url(code: str, *, base: str | None = None) -> str:
    """The shared public verification page (training's view looks up both kinds)."""
    return (base or base_url()).rstrip("/") + reverse("training_verify", args=[code])


def render_pdf(cert: AwardCertificate, *, base: str | None = None) -> bytes:
    lines = [f"{AwardLevel(cert.level).label} ประจำปี พ.ศ. {cert.year}"]
    if cert.work_title:
        lines.append(f"ผลงาน “{cert.work_title}”")
    return render_certificate(
        heading=cert.office_name,
        recipient=cert.person_name,
        lead="ได้รับรางวัล",
        title=cert.programme_name,
        body_lines=lines,
        date=cert.issued_on,
        signer_name=cert.signer_name,
        signer_title=cert.signer_title,
        code=cert.code,
        number=cert.number,
        verify_url=verify_url(cert.code, base=base),
    )
