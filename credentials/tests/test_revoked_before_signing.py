"""A certificate issued while its office could not sign has no credential yet, so revoking
(or replacing) it had no status-list bit to set. Its credential, signed later when the PDF
or the credential is downloaded, is revoked as it is signed: it never verifies as valid,
and the PDF of a certificate that is no longer valid says so across its face."""

import subprocess

import pytest
from django.core.management import call_command

from accounts.roles import Role
from credentials import verification
from credentials.models import Credential
from training import actions

pytestmark = pytest.mark.django_db


def _issue_unsigned(settings, users, passed):
    settings.KRUPD_CREDENTIAL_KEYS_AUTO = False
    cert = actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=passed)
    assert not Credential.objects.filter(code=cert.code).exists()
    return cert


@pytest.mark.parametrize("download", ["pdf", "credential"])
def test_a_certificate_revoked_before_its_office_could_sign_never_verifies(
    settings, client_for, users, office, passed, download
):
    cert = _issue_unsigned(settings, users, passed)
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.revoke_certificate(acting_user=officer, certificate=cert, reason="ชื่อสกุลผิด")
    call_command("credential_keys", "generate", "--office", office.code)
    client = client_for(Role.TEACHER)
    assert client.get(f"/training/certificates/{cert.pk}/{download}/").status_code == 200
    verdict = verification.verify_stored(cert.code)
    assert verdict is not None and verdict.state == "revoked"
    page = client.get(f"/verify/{cert.code}/").content.decode()
    assert "ถูกเพิกถอนแล้ว" in page and "ยังใช้ได้" not in page


def test_the_replaced_certificate_s_late_credential_is_revoked_too(settings, users, office, passed):
    cert = _issue_unsigned(settings, users, passed)
    officer = users[Role.DEVELOPMENT_OFFICER]
    call_command("credential_keys", "generate", "--office", office.code)
    new = actions.reissue_certificate(acting_user=officer, certificate=cert)
    cert.refresh_from_db()
    assert verification.verify_stored(new.code).state == "valid"
    actions.certificate_credential(cert)
    assert verification.verify_stored(cert.code).state == "revoked"


def test_the_pdf_of_a_revoked_certificate_says_it_is_void(client_for, users, certificate):
    client = client_for(Role.TEACHER)
    valid = client.get(f"/training/certificates/{certificate.pk}/pdf/").content
    assert "ใช้อ้างอิงไม่ได้" not in _text(valid)
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, reason="ผิดคน"
    )
    revoked = client.get(f"/training/certificates/{certificate.pk}/pdf/").content
    assert "เพิกถอนแล้วใช้อ้างอิงไม่ได้" in _text(revoked)  # pdftotext reorders marks


def _text(pdf: bytes) -> str:
    """The PDF's text without whitespace (pdftotext splits shaped Thai syllables)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return "".join(out.stdout.decode().split())
