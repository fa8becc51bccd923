"""Signed Open Badges 3.0 credentials: checked by an independent verifier written here with
`cryptography`, base64, gzip and json only (not the code that signed them, not PyJWT),
against the public key and status list KruPD publishes, fetched like an outsider would."""

import datetime as dt
import json
import os
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.roles import Role
from credentials import keys, verification
from credentials.models import Credential, SigningKey
from krupd.testing import make_office, make_user
from training import actions

from .verifier import b64, b64e, independent_verify, status_bit

pytestmark = pytest.mark.django_db

VC = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def token_of(certificate) -> str:
    return Credential.objects.get(code=certificate.code).token


def upload(client, data: bytes, name: str = "credential.jwt"):
    return client.post(
        "/credentials/verify/", {"credential": SimpleUploadedFile(name, data)}, follow=False
    )


# ---------------------------------------------------------------------- shape and signature


def test_an_issued_certificate_is_a_signed_open_badge_an_outsider_can_verify(
    client, office, certificate
):
    payload = independent_verify(client, token_of(certificate))
    assert payload["@context"] == [VC, OB]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["id"].endswith(f"/verify/{certificate.code}/")  # opens the verification page
    assert payload["name"] == f"เกียรติบัตร: {certificate.course_title}"
    issuer = payload["issuer"]
    assert issuer["type"] == ["Profile"] and issuer["name"] == office.name
    profile = client.get(urlsplit(issuer["id"]).path).json()
    assert profile["id"] == issuer["id"] and profile["name"] == office.name
    assert payload["validFrom"].startswith(certificate.issued_on.isoformat())
    assert "validUntil" not in payload  # the course sets no validity
    subject = payload["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "นางสมศรี ใจดี",
        }
    ]
    assert subject["creditsEarned"] == 12.0 and subject["activityEndDate"].startswith("2026-01-13")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["achievementType"] == "Course"
    assert achievement["name"] == certificate.course_title
    assert achievement["creditsAvailable"] == 12.0
    assert "ร้อยละ 80" in achievement["criteria"]["narrative"]
    assert [a["targetName"] for a in achievement["alignment"]] == [
        "การออกแบบการเรียนรู้เชิงรุก",
        "การใช้คำถามระดับการคิดขั้นสูง",
    ]
    published = client.get(urlsplit(achievement["id"]).path).json()
    assert published["name"] == achievement["name"]
    status = payload["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["id"] == f"{status['statusListCredential']}#{status['statusListIndex']}"
    # The JWT claims Open Badges 3.0 maps from the credential.
    assert payload["iss"] == issuer["id"] and payload["jti"] == payload["id"]
    assert payload["nbf"] == int(dt.datetime.fromisoformat(payload["validFrom"]).timestamp())


def test_a_tampered_credential_fails_the_signature(client, certificate):
    token = token_of(certificate)
    header, payload, signature = token.split(".")
    claims = json.loads(b64(payload))
    claims["credentialSubject"]["creditsEarned"] = 120.0
    forged = f"{header}.{b64e(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(InvalidSignature):
        independent_verify(client, forged)
    verdict = verification.verify_token(forged)
    assert verdict.state == "tampered"
    page = upload(client, forged.encode()).content.decode()
    assert "ลายมือชื่อดิจิทัลไม่ถูกต้อง" in page and "ถูกแก้ไข" in page
    assert "120" not in page  # nothing the forger wrote is shown as fact


def test_revoking_a_certificate_flips_its_bit_in_the_published_list(client, users, certificate):
    payload = independent_verify(client, token_of(certificate))
    assert status_bit(client, payload["credentialStatus"]) == (0, 0)
    assert verification.verify_token(token_of(certificate)).state == "valid"
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, reason="ชื่อผิด"
    )
    assert status_bit(client, payload["credentialStatus"]) == (1, 1)
    page = upload(client, token_of(certificate).encode()).content.decode()
    assert "ถูกเพิกถอนแล้ว" in page
    verify_page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert verify_page.count("ถูกเพิกถอนแล้ว") == 2  # the record and its credential agree


def test_the_public_page_says_revoked_and_when_but_not_why(client_for, client, users, certificate):
    """The reason is the office's note about a person (copied work, a wrong name); anyone
    with the code learns only that the certificate is void and since when."""
    reason = "ตรวจพบว่าคัดลอกผลงานของผู้อื่น"
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, reason=reason
    )
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "ถูกเพิกถอนแล้ว" in page and "เพิกถอนเมื่อ" in page
    assert reason not in page
    office_page = client_for(Role.DEVELOPMENT_OFFICER).get(
        f"/training/courses/{certificate.enrolment.course_id}/certificates/"
    )
    assert office_page.status_code == 200 and reason in office_page.content.decode()


def test_a_replaced_certificate_is_revoked_in_the_list_and_the_new_one_is_signed(
    client, users, certificate
):
    new = actions.reissue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate
    )
    old_payload = independent_verify(client, token_of(certificate))
    assert status_bit(client, old_payload["credentialStatus"])[0] == 1
    new_payload = independent_verify(client, token_of(new))
    assert status_bit(client, new_payload["credentialStatus"])[0] == 0
    assert verification.verify_token(token_of(new)).state == "valid"


def test_a_credential_signed_by_a_key_nobody_published_is_unknown(client, office, certificate):
    claims = json.loads(b64(token_of(certificate).split(".")[1]))
    stranger = Ed25519PrivateKey.generate()
    forged = jwt.encode(
        claims, stranger, algorithm="EdDSA", headers={"kid": "https://x.example/keys/abc/"}
    )
    assert verification.verify_token(forged).state == "unknown_key"
    assert "กุญแจที่ไม่ได้ออกโดย" in upload(client, forged.encode()).content.decode()
    # A real key of another office, claiming to be this office: the issuer does not own it.
    other = make_office("7602", "สพป.เพชรบุรี เขต 2")
    key, private = keys.signing_key(other)
    forged = jwt.encode(
        claims, private, algorithm="EdDSA", headers={"kid": f"http://t/credentials/keys/{key.kid}/"}
    )
    assert verification.verify_token(forged).state == "unknown_key"


def test_a_credential_the_office_never_issued_fails_even_with_its_real_key(office, certificate):
    """What a leaked key could make: a valid signature, a free status bit, no issue record."""
    key, private = keys.signing_key(office)
    claims = json.loads(b64(token_of(certificate).split(".")[1]))
    claims["credentialSubject"]["creditsEarned"] = 120.0
    header = {"kid": f"http://t/credentials/keys/{key.kid}/", "typ": "vc+jwt"}
    forged = jwt.encode(claims, private, algorithm="EdDSA", headers=header)
    verdict = verification.verify_token(forged)
    assert verdict.state == "unknown_key" and "ทะเบียนการออก" in verdict.headline


def test_an_expired_certificate_says_so(client, users, course, passed):
    course.certificate_valid_years = 2
    course.save()
    cert = actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=passed)
    # Two years from the day the holder passed (13 January 2026), not from the issue.
    assert cert.valid_until == dt.date(2028, 1, 13)
    payload = independent_verify(client, token_of(cert))
    assert payload["validUntil"].startswith(cert.valid_until.isoformat())
    assert payload["exp"] == int(dt.datetime.fromisoformat(payload["validUntil"]).timestamp())
    assert verification.verify_token(token_of(cert)).state == "valid"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3 * 366)
    verdict = verification.verify_token(token_of(cert), now=later)
    assert verdict.state == "expired" and "หมดอายุ" in verdict.headline


def test_a_leap_day_validity_ends_on_the_28th():
    from training.models import Course

    course = Course(certificate_valid_years=1)
    assert actions.valid_until(course, dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


# ------------------------------------------------------------------------- uploads


def test_an_uploaded_credential_says_what_was_issued_to_whom_by_whom(client, office, certificate):
    page = upload(client, token_of(certificate).encode()).content.decode()
    assert "ลายมือชื่อดิจิทัลถูกต้อง" in page and "ยังใช้ได้" in page
    for text in ("นางสมศรี ใจดี", certificate.course_title, office.name, certificate.code):
        assert text in page
    # The JSON form (a VC 2.0 EnvelopedVerifiableCredential) verifies the same.
    envelope = {
        "@context": VC,
        "id": f"data:application/vc+jwt,{token_of(certificate)}",
        "type": "EnvelopedVerifiableCredential",
    }
    page = upload(client, json.dumps(envelope).encode(), "credential.json").content.decode()
    assert "ลายมือชื่อดิจิทัลถูกต้อง" in page


def test_the_certificate_pdf_carries_its_credential_and_verifies_when_uploaded(
    client_for, client, certificate
):
    pdf = client_for(Role.TEACHER).get(f"/training/certificates/{certificate.pk}/pdf/").content
    assert token_of(certificate).encode() in pdf  # in the XMP metadata
    assert f"credential-{certificate.code}.jwt".encode() in pdf  # and as an attachment
    client.logout()
    page = upload(client, pdf, "certificate.pdf").content.decode()
    assert "ลายมือชื่อดิจิทัลถูกต้อง" in page


@pytest.mark.parametrize(
    "data, says",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "ไม่ใช่ไฟล์ข้อความ"),
        (b"", "ไฟล์ว่างเปล่า"),
        (b"hello", "ไม่ใช่เครดเดนเชียลแบบ JWT"),
        (b"{not json", "อ่านไม่ได้"),
        (b"[1, 2, 3]", "ต้องเป็นออบเจ็กต์"),
        (b'{"type": "EnvelopedVerifiableCredential", "id": 5}', "ไม่มีลายมือชื่อ"),
        (b'{"type": "EnvelopedVerifiableCredential", "id": "data:text/plain,x"}', "ห่อข้อมูล"),
        (b'{"type": ["VerifiableCredential"], "proof": {}}', "Data Integrity"),
        (b"%PDF-1.4 no credential here", "ไม่มีเครดเดนเชียลดิจิทัลฝังอยู่"),
        (b"a.b.c", "อ่านไม่ได้"),
        (b"[" * 50_000 + b"]" * 50_000, "อ่านไม่ได้"),
    ],
)
def test_malformed_uploads_get_a_thai_verdict_not_a_500(client, certificate, data, says):
    response = upload(client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ไม่ใช่เครดเดนเชียลดิจิทัลที่ตรวจสอบได้" in page and says in page


def test_a_signed_credential_with_wrong_types_is_malformed(client, office, certificate):
    """Signed by the office's real key, but not the shape KruPD issues: still no 500."""
    key, private = keys.signing_key(office)
    kid = f"http://t/credentials/keys/{key.kid}/"
    good = json.loads(b64(token_of(certificate).split(".")[1]))
    broken = [
        {**good, "credentialSubject": "นางสมศรี"},
        {**good, "type": "OpenBadgeCredential"},
        {**good, "issuer": ["x"]},
        {**good, "validFrom": 20260101},
        {**good, "credentialStatus": {**good["credentialStatus"], "statusListIndex": "-1"}},
        {**good, "credentialStatus": {**good["credentialStatus"], "statusListIndex": "9999999"}},
        {**good, "credentialStatus": {**good["credentialStatus"], "statusListCredential": "x"}},
        {**good, "credentialSubject": {**good["credentialSubject"], "identifier": []}},
    ]
    for claims in broken:
        token = jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": kid})
        assert verification.verify_token(token).state == "malformed", claims
        assert upload(client, token.encode()).status_code == 200


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, certificate):
    big = b" " * (verification.MAX_UPLOAD_BYTES + 1)
    page = upload(client, big).content.decode()
    assert "ไฟล์ใหญ่เกินไป" in page and "ไม่เกิน 2 MB" in page


def test_no_file_chosen_says_so(client):
    response = client.post("/credentials/verify/", {})
    assert response.status_code == 200 and "กรุณาเลือกไฟล์" in response.content.decode()


# ---------------------------------------------------------------------- keys and rotation


def test_rotation_keeps_old_credentials_verifiable(client, office, users, passed, certificate):
    old_token = token_of(certificate)
    old_kid = SigningKey.objects.get(office=office).kid
    call_command("credential_keys", "rotate", "--office", office.code)
    new_key = SigningKey.objects.get(office=office, retired_at__isnull=True)
    assert new_key.kid != old_kid
    jwks = client.get(f"/credentials/issuers/{office.code}/jwks/").json()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_key.kid}
    independent_verify(client, old_token)
    assert verification.verify_token(old_token).state == "valid"
    new = actions.reissue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate
    )
    assert new_key.kid in json.loads(b64(token_of(new).split(".")[0]))["kid"]
    independent_verify(client, token_of(new))


def test_private_keys_live_in_files_never_in_the_database(office, certificate):
    key = SigningKey.objects.get(office=office)
    assert set(key.public_jwk) == {"kty", "crv", "x", "kid"}  # no "d"
    path = keys.key_path(key.kid)
    assert path.exists() and (os.stat(path).st_mode & 0o777) == 0o600
    assert b"PRIVATE KEY" in path.read_bytes()


def test_without_automatic_keys_certificates_still_issue_and_the_command_makes_the_key(
    settings, client_for, users, office, passed
):
    settings.KRUPD_CREDENTIAL_KEYS_AUTO = False
    cert = actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=passed)
    assert not Credential.objects.filter(code=cert.code).exists()
    client = client_for(Role.TEACHER)
    response = client.get(f"/training/certificates/{cert.pk}/credential/", follow=True)
    assert "ยังไม่มีกุญแจลงนาม" in response.content.decode()
    assert client.get(f"/training/certificates/{cert.pk}/pdf/").status_code == 200  # still
    call_command("credential_keys", "generate", "--office", office.code)
    with pytest.raises(CommandError):
        call_command("credential_keys", "generate", "--office", office.code)
    with pytest.raises(CommandError):
        call_command("credential_keys", "generate", "--office", "0000")
    response = client.get(f"/training/certificates/{cert.pk}/credential/")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"


def test_a_missing_key_file_with_automatic_keys_rotates_instead_of_failing(office, certificate):
    key = SigningKey.objects.get(office=office)
    keys.key_path(key.kid).unlink()
    keys._LOADED.clear()
    new_key, _ = keys.signing_key(office)
    assert new_key.kid != key.kid
    key.refresh_from_db()
    assert key.retired_at is not None  # still published, no longer signing
    assert verification.verify_token(token_of(certificate)).state == "valid"


# ------------------------------------------------------------------------------- access


def test_the_credential_downloads_for_its_holder_and_managers_only(
    client, client_for, users, office, other_office, other_teacher, certificate
):
    url = f"/training/certificates/{certificate.pk}/credential/"
    for role in (Role.TEACHER, Role.DEVELOPMENT_OFFICER):
        response = client_for(role).get(url)
        assert response.status_code == 200 and response.content.decode() == token_of(certificate)
        assert f"credential-{certificate.code}.jwt" in response["Content-Disposition"]
        as_json = client_for(role).get(url + "?format=json")
        assert json.loads(as_json.content)["type"] == "EnvelopedVerifiableCredential"
    client.force_login(make_user("teacher2", Role.TEACHER, office, person=other_teacher))
    assert client.get(url).status_code in (403, 404)
    client.force_login(make_user("officer_x", Role.DEVELOPMENT_OFFICER, other_office))
    assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302  # login first


def test_the_public_documents_are_open_to_anyone_and_read_only(client, office, certificate):
    payload = json.loads(b64(token_of(certificate).split(".")[1]))
    addresses = [
        urlsplit(payload["issuer"]["id"]).path,
        f"/credentials/issuers/{office.code}/jwks/",
        urlsplit(json.loads(b64(token_of(certificate).split(".")[0]))["kid"]).path,
        urlsplit(payload["credentialStatus"]["statusListCredential"]).path,
        urlsplit(payload["credentialSubject"]["achievement"]["id"]).path,
    ]
    for address in addresses:
        assert client.get(address).status_code == 200, address
        assert client.post(address).status_code == 405, address  # nothing to write
    for missing in (
        "/credentials/issuers/0000/",
        "/credentials/keys/nope/",
        f"/credentials/status/{office.code}/99/",
        "/credentials/achievements/course/999999/",
        "/credentials/achievements/other/1/",
    ):
        assert client.get(missing).status_code == 404, missing
    assert client.get("/credentials/verify/").status_code == 200
    assert client.put("/credentials/verify/").status_code == 405


def test_the_verification_page_shows_the_credential_check(client, certificate):
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "ลายมือชื่อดิจิทัลถูกต้อง" in page and 'action="/credentials/verify/"' in page


def test_credentials_issued_together_are_stored_exactly_as_signed(office, course):
    """Many at once is one insert (on PostgreSQL an UNNEST of lists, sent in binary form):
    every token, index and validity is stored as signed, and the connection's other
    statements keep psycopg's usual form for lists."""
    from django.db import connection

    from credentials import actions as credential_actions
    from training import certificates
    from training.models import Certificate

    day = dt.date(2026, 1, 13)
    certs = [
        Certificate(
            code=f"TOGETHER{n:03d}",
            number=f"2569/{n}",
            person_name=f"ครู คนที่ {n}",
            course_title=course.title,
            office_name=office.name,
            hours=12,
            completed_on=day,
            issued_on=day,
            valid_until=dt.date(2028, 1, 13) if n % 2 else None,
        )  # fmt: skip
        for n in range(40)
    ]
    issued = credential_actions.issue(certificates.credential_claim(c, course) for c in certs)
    assert len(issued) == 40
    stored = {c.code: c for c in Credential.objects.filter(code__startswith="TOGETHER")}
    for credential in issued:
        row = stored[credential.code]
        assert (row.token, row.status_index, row.valid_until) == (
            credential.token,
            credential.status_index,
            credential.valid_until,
        )
        assert jwt.decode(row.token, options={"verify_signature": False})["jti"]
    assert len({c.status_index for c in issued}) == 40
    assert (
        stored["TOGETHER001"].valid_until is not None and stored["TOGETHER000"].valid_until is None
    )
    if connection.vendor == "postgresql":
        from psycopg.adapt import PyFormat
        from psycopg.types.array import ListDumper

        auto = connection.connection.adapters.get_dumper(list, PyFormat.AUTO)
        assert auto is ListDumper


def test_a_draft_course_is_not_published_until_a_certificate_names_it(client, office, certificate):
    from training.models import Course, CourseStatus

    draft = Course.objects.create(office=office, title="ร่างหลักสูตรลับ", mode="online", hours=6,
                                  fiscal_year=2570, status=CourseStatus.DRAFT)  # fmt: skip
    assert client.get(f"/credentials/achievements/course/{draft.pk}/").status_code == 404
    # A course set back to draft after issuing keeps answering: its credentials point at it.
    course = certificate.enrolment.course
    course.status = CourseStatus.DRAFT
    course.save(update_fields=["status"])
    assert client.get(f"/credentials/achievements/course/{course.pk}/").status_code == 200
