"""Award certificate PDFs, drawn with training's certificate page layout.

training.certificates.render_certificate takes only printed texts (it reads no training
model), so award certificates look like training ones (Sarabun with Thai shaping, QR to the
public verification page) without community depending on anything else of training.
"""

from __future__ import annotations

from django.urls import reverse

from credentials.documents import Claim, achievement_url, issuer_id
from credentials.models import CredentialKind
from training.certificates import base_url, render_certificate

from .models import AwardCertificate, AwardLevel, AwardProgramme


def verify_url(code: str, *, base: str | None = None) -> str:
    """The shared public verification page (training's view looks up both kinds)."""
    return (base or base_url()).rstrip("/") + reverse("training_verify", args=[code])


def render_pdf(cert: AwardCertificate, *, base: str | None = None, credential: str = "") -> bytes:
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
        credential=credential,
    )


def programme_achievement_document(programme: AwardProgramme) -> dict:
    """The award as an Open Badges Achievement (achievementType Award)."""
    return {
        "id": achievement_url("award", programme.pk),
        "type": ["Achievement"],
        "achievementType": "Award",
        "name": programme.name,
        "description": programme.description.strip() or programme.name,
        "criteria": {
            "narrative": (
                f"ได้รับการคัดเลือกโดยคณะกรรมการตามเกณฑ์การให้คะแนนของรอบการคัดเลือก "
                f"รางวัล “{programme.name}” ซึ่ง{programme.organiser}เป็นผู้จัด"
            )
        },
        "creator": {
            "id": issuer_id(programme.office),
            "type": ["Profile"],
            "name": programme.office.name,
        },
        "inLanguage": "th",
    }


def award_achievement(pk: int) -> dict | None:
    """The public achievement address's document for an award (credentials.achievements)."""
    programme = AwardProgramme.objects.select_related("office").filter(pk=pk).first()
    return programme_achievement_document(programme) if programme else None


def credential_claim(cert: AwardCertificate, programme: AwardProgramme) -> Claim:
    """What the award certificate states, for its signed credential."""
    level = AwardLevel(cert.level).label
    subject = {"narrative": f"ผลงาน “{cert.work_title}”"} if cert.work_title else {}
    return Claim(
        code=cert.code,
        kind=CredentialKind.AWARD,
        office=cert.office,
        recipient_name=cert.person_name,
        name=f"เกียรติบัตรรางวัล: {cert.programme_name} {level} ประจำปี พ.ศ. {cert.year}",
        achievement={**programme_achievement_document(programme), "name": cert.programme_name},
        issued_on=cert.issued_on,
        activity_end=cert.announced_on,
        verify_url=verify_url(cert.code),
        extra_subject=subject,
    )
