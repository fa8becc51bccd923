"""Signed credentials with their certificates, reported through the shared table.

1. A course's 1,250 certificates as the background batch makes them: each credential
   signed (VC-JWT, Ed25519), given a random bit in the office's status list and stored,
   then all PDFs drawn into one zip with the credentials beside them; against the same
   PDFs alone, timed in the same run.
2. The signing step alone, against its honest floor: the same credential documents built
   and signed with PyJWT in a loop, nothing allocated or stored.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from .core import Result, timed

BASE = "http://127.0.0.1:8000/"


def _course():
    from registry.models import Office
    from training.models import Course

    office, _ = Office.objects.get_or_create(
        code="9901",
        defaults={
            "name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
            "kind": "spp",
            "province": "เพชรบุรี",
        },
    )
    return Course.objects.create(
        office=office,
        title="ประชุมสัมมนาทางวิชาการแลกเปลี่ยนเรียนรู้ พัฒนาครูทั้งระบบ ปี 2569",
        mode="workshop",
        hours=Decimal("6"),
        fiscal_year=2569,
        competencies="การออกแบบการเรียนรู้เชิงรุก\nการวัดและประเมินผลตามสภาพจริง",
    )


def credentials(*, database: str, count: int) -> list[Result]:
    import jwt

    from bench.training_workloads import _certificates
    from credentials import actions, documents, keys
    from credentials.models import Credential, StatusList
    from training import certificates

    course = _course()
    certs = _certificates(count)
    Credential.objects.filter(code__in=[c.code for c in certs]).delete()
    key, private_key = keys.signing_key(course.office)  # made once, outside the timing
    workdir = Path(tempfile.mkdtemp(prefix="krupd-bench-credentials-"))

    with timed() as pdfs_alone:
        certificates.render_many_to_zip(certs, workdir / "pdfs.zip", base=BASE)
    with timed() as both:
        with timed() as signing:
            achievement = certificates.course_achievement_document(course)
            issued = actions.issue(
                [certificates.credential_claim(c, course, achievement=achievement) for c in certs]
            )
        tokens = {c.code: c.token for c in issued}
        certificates.render_many_to_zip(
            certs, workdir / "signed.zip", base=BASE, credentials=tokens
        )
    status_list = StatusList.objects.filter(office=course.office).first()
    with timed() as floor:
        achievement = certificates.course_achievement_document(course)
        for index, cert in enumerate(certs):
            claim = certificates.credential_claim(cert, course, achievement=achievement)
            document = documents.credential_document(claim, status_list=status_list, index=index)
            jwt.encode(
                {**document, **documents.registered_claims(document)},
                private_key,
                algorithm="EdDSA",
                headers={"kid": key.kid},
            )
    token_bytes = sum(len(t) for t in tokens.values())
    return [
        Result(
            database=database,
            workload="certificates + signed credentials (zip)",
            size=count,
            unit="certs",
            seconds=both(),
            baseline="the same certificates as PDFs alone (bulk zip, no credentials)",
            baseline_seconds=pdfs_alone(),
            extra={
                "signing s": round(signing(), 2),
                "credential KiB each": round(token_bytes / max(1, len(tokens)) / 1024, 1),
                "zip MiB (with / without)": f"{(workdir / 'signed.zip').stat().st_size / 2**20:.1f}"
                f" / {(workdir / 'pdfs.zip').stat().st_size / 2**20:.1f}",
            },
        ),
        Result(
            database=database,
            workload="credential signing + status list bits",
            size=count,
            unit="creds",
            seconds=signing(),
            baseline="the same credentials built and signed with PyJWT in a loop, "
            "nothing allocated or stored",
            baseline_seconds=floor(),
            honest=True,
        ),
    ]
