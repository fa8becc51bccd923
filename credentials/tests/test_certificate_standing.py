"""Every state a course certificate can be in, as anyone checking it sees it: the public
verification page (a QR opens it, no login), its API answer, the credential check on that
page and the upload verifier, and the certificate's PDF. A certificate waiting for the
officer's review (its holder's result changed after issue) verified as valid everywhere."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from credentials import verification
from credentials.models import Credential
from krupd.testing import pdf_text
from training import actions
from training.certificates import render_pdf
from training.models import Certificate, CertificateStanding, EnrolmentStatus

pytestmark = pytest.mark.django_db

VALID = "✓ เกียรติบัตรฉบับนี้ออกโดยระบบจริงและยังใช้ได้"
STILL_VALID = "ยังใช้ได้"
UNDER_REVIEW = "อยู่ระหว่างการตรวจสอบของสำนักงาน"


def page(client, certificate) -> str:
    response = client.get(reverse("training_verify", args=[certificate.code]))
    assert response.status_code == 200
    return response.content.decode()


def api(client, certificate) -> dict:
    return client.get(f"/api/training/certificates/{certificate.code}").json()


def upload_verdict(certificate) -> verification.Verdict:
    token = Credential.objects.get(code=certificate.code).token
    return verification.verify_upload(SimpleUploadedFile("credential.jwt", token.encode()))


def flag_for_review(certificate, reason="ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"):
    # What actions._review_certificates leaves when the holder's result changes after issue.
    Certificate.objects.filter(pk=certificate.pk).update(needs_review=True, review_reason=reason)
    certificate.refresh_from_db()


def test_a_valid_certificate_verifies_valid_everywhere(client, certificate):
    html = page(client, certificate)
    assert VALID in html and 'data-standing="valid"' in html
    assert "✓ ลายมือชื่อดิจิทัลถูกต้อง ออกโดยหน่วยงานจริง และยังใช้ได้" in html
    answer = api(client, certificate)
    assert (answer["standing"], answer["standing_label"]) == ("valid", "ใช้ได้")
    assert upload_verdict(certificate).ok


def test_a_certificate_under_review_does_not_verify_as_valid(client, certificate):
    """The known case: the page said "✓ … ยังใช้ได้" and so did its credential check."""
    flag_for_review(certificate)
    html = page(client, certificate)
    assert VALID not in html and STILL_VALID not in html
    assert UNDER_REVIEW in html and 'data-standing="under_review"' in html
    assert 'class="bad"' in html
    # Why the result changed is about the person (their attendance): it stays with the office.
    assert "50%" not in html and "80%" not in html
    answer = api(client, certificate)
    assert answer["standing"] == "under_review" and answer["standing_label"] == "อยู่ระหว่างการตรวจสอบ"
    assert answer["status"] == "valid"  # the stored status, unchanged for existing callers
    verdict = upload_verdict(certificate)
    assert not verdict.ok and verdict.state == "under_review" and "ตรวจสอบ" in verdict.headline


def test_the_review_decided_either_way_shows_at_once(client, users, certificate):
    officer = users[Role.DEVELOPMENT_OFFICER]
    flag_for_review(certificate)
    actions.keep_certificate(acting_user=officer, certificate=certificate, note="ผ่านตามเกณฑ์เดิม")
    assert VALID in page(client, certificate) and upload_verdict(certificate).ok
    flag_for_review(certificate)
    actions.revoke_certificate(acting_user=officer, certificate=certificate, reason="ไม่ผ่านเกณฑ์")
    html = page(client, certificate)
    assert "✗ เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว" in html and "เพิกถอนเมื่อ" in html
    assert "ไม่ผ่านเกณฑ์" not in html
    assert api(client, certificate)["standing"] == "revoked"


def test_a_certificate_whose_holder_never_met_the_pass_rule_does_not_verify(
    client, certificate, passed
):
    """A certificate in the register whose enrolment's result is not a pass (reached the
    register some other way than the actions, which flag it) is not vouched for."""
    type(passed).objects.filter(pk=passed.pk).update(passed=False, result="failed")
    html = page(client, certificate)
    assert VALID not in html and UNDER_REVIEW in html
    assert api(client, certificate)["standing"] == "under_review"
    assert upload_verdict(certificate).state == "under_review"
    # Nor one whose enrolment is no longer an enrolled one.
    type(passed).objects.filter(pk=passed.pk).update(
        passed=True, result="passed", status=EnrolmentStatus.CANCELLED
    )
    assert UNDER_REVIEW in page(client, certificate)


def test_a_kept_certificate_verifies_though_the_result_changed(client, users, certificate, passed):
    flag_for_review(certificate)
    actions.keep_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, note="ตามเกณฑ์เดิม"
    )
    type(passed).objects.filter(pk=passed.pk).update(passed=False, result="failed")
    assert VALID in page(client, certificate)


def test_a_replaced_certificate_says_since_when_and_points_to_the_new_one(
    client, users, certificate
):
    new = actions.reissue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate
    )
    html = page(client, certificate)
    assert "✗ เกียรติบัตรฉบับนี้ถูกยกเลิก มีฉบับใหม่ออกแทนแล้ว" in html and 'class="bad"' in html
    assert "ออกฉบับใหม่แทนเมื่อ" in html and new.code in html
    assert api(client, certificate)["standing"] == "replaced"
    assert VALID in page(client, new)


def test_the_credential_check_of_a_replaced_certificate_says_replaced_not_revoked(
    client, users, certificate
):
    """Under the page's "ยกเลิก มีฉบับใหม่ออกแทนแล้ว", the credential check said "ถูกเพิกถอน
    แล้ว" (the status list's bit is the same for both); the upload verifier said so too."""
    actions.reissue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate
    )
    check = page(client, certificate).split('id="credential-check"')[1]
    assert "มีฉบับใหม่ออกแทนแล้ว" in check and "ถูกเพิกถอนแล้ว" not in check
    verdict = upload_verdict(certificate)
    assert verdict.state == "revoked" and "มีฉบับใหม่ออกแทนแล้ว" in verdict.headline


def test_the_credential_check_of_a_revoked_certificate_still_says_revoked(
    client, users, certificate
):
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, reason="ออกผิดคน"
    )
    check = page(client, certificate).split('id="credential-check"')[1]
    assert "✗ เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว" in check
    assert upload_verdict(certificate).headline == "✗ เกียรติบัตรฉบับนี้ถูกเพิกถอนแล้ว"


def test_an_expired_certificate_says_until_when(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=dt.date(2026, 2, 1))
    certificate.refresh_from_db()
    html = page(client, certificate)
    assert "หมดอายุแล้ว" in html and "ใช้ได้ถึงวันที่ 1 กุมภาพันธ์ 2569" in html
    assert api(client, certificate)["standing"] == "expired"
    assert certificate.standing == CertificateStanding.EXPIRED


@pytest.mark.parametrize(
    "standing, word",
    [("under_review", "ระหว่างการตรวจสอบของ"), ("expired", "หมดอายุแล้ว"), ("valid", None)],
)
def test_the_pdf_of_a_certificate_not_valid_says_so_on_its_face(certificate, standing, word):
    """A PA evidence pack and the holder's download draw the PDF: one under review printed
    clean, as if it stood."""
    if standing == "under_review":
        flag_for_review(certificate)
    elif standing == "expired":
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=dt.date(2026, 2, 1))
        certificate.refresh_from_db()
    text = bare(pdf_text(render_pdf(certificate)))
    for sentence in ("ระหว่างการตรวจสอบของ", "หมดอายุแล้ว"):
        assert (bare(sentence) in text) == (sentence == word)
    assert (bare("ใช้อ้างอิงไม่ได้") in text) == (standing == "under_review")


def bare(text: str) -> str:
    """Text without spaces and Thai marks: pdftotext puts tone marks and upper vowels of a
    large or rotated line out of place."""
    return re.sub(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", "", text)


@pytest.mark.parametrize(
    "typed",
    ["ก", "<script>alert(1)</script>", "X" * 400, "2569-12-0001", "%E0%B8", "' OR 1=1 --", "..."],
)
def test_an_unknown_or_malformed_code_gets_a_thai_page_not_an_error(client, typed):
    response = client.get(f"/verify/{typed}/")
    assert response.status_code in (400, 404)
    html = response.content.decode()
    # A code with a slash is no verification address at all: the site's own Thai 404 page.
    assert ("ตรวจสอบเกียรติบัตร" in html) or ("/" in typed and "ไม่พบ" in html)
    assert "Traceback" not in html and "Page not found" not in html
    assert "<script>alert" not in html
    if "/" in typed:
        return
    answer = client.get(f"/api/training/certificates/{typed}")
    assert answer.status_code == 404 and answer.json() == {"detail": "ไม่พบข้อมูล"}
