"""A certificate under the office's review, as a verifier reading only the published status
lists sees it: only revocation was published, so an outside verifier took one under review
for valid. Each credential now names a second list (statusPurpose "suspension") at the same
index; every path that flags a certificate sets its bit in the same transaction and keeping,
revoking or replacing it clears the bit. Credentials signed before that list existed name the
revocation list only and keep verifying."""

import datetime as dt
import json
import zipfile

import jwt
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from credentials import documents, keys, verification
from credentials.models import Credential
from registry.models import AuditAction, AuditEntry
from training import actions
from training.models import Certificate, Enrolment, Question, ResultStatus, TrainingRules

from .verifier import b64, independent_verify, status_bit

pytestmark = pytest.mark.django_db


def payload_of(certificate) -> dict:
    return json.loads(b64(Credential.objects.get(code=certificate.code).token.split(".")[1]))


def published(client, certificate) -> dict[str, int]:
    """purpose → the certificate's bit, read only from the lists its credential names, as an
    outside verifier reads them (signature checked with the published key)."""
    independent_verify(client, Credential.objects.get(code=certificate.code).token)
    status = payload_of(certificate)["credentialStatus"]
    return {p: status_bit(client, status, p)[0] for p in ("revocation", "suspension")}


def _refresh(officer, enrolment, course):
    actions.refresh_result(enrolment, acting_user=officer)


def _recompute(officer, enrolment, course):
    actions.recompute_course(course, acting_user=officer)


def _post_test_removed(officer, enrolment, course):
    Question.objects.create(course=course, order=1, text="ข้อ ๑", choices=["ก", "ข"], correct=0)
    actions.save_questions(acting_user=officer, course=course, module=None, rows=[])


def _nightly(officer, enrolment, course):
    Enrolment.objects.filter(pk=enrolment.pk).update(result=ResultStatus.PENDING)
    actions.judge_lapsed_results(everything=True)


@pytest.mark.parametrize(
    "path", [_refresh, _recompute, _post_test_removed, _nightly], ids=lambda f: f.__name__
)
def test_every_path_that_flags_a_certificate_suspends_it_in_the_published_list(
    client, users, course, passed, certificate, path
):
    """The holder's result judged again on its evidence (none here: it no longer supports the
    certificate), by each way a result is judged: one participant, the whole course after its
    criteria changed, its post-test removed, the nightly judging."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    assert published(client, certificate) == {"revocation": 0, "suspension": 0}
    before = timezone.now()
    path(officer, passed, course)
    certificate.refresh_from_db()
    assert certificate.needs_review and certificate.standing == "under_review"
    assert before <= certificate.review_flagged_at <= timezone.now()
    assert published(client, certificate) == {"revocation": 0, "suspension": 1}
    assert verification.verify_stored(certificate.code).state == "under_review"
    # The officer keeps it: the bit is cleared at once, the date with it.
    actions.keep_certificate(acting_user=officer, certificate=certificate, note="ตามเกณฑ์เดิม")
    certificate.refresh_from_db()
    assert certificate.review_flagged_at is None
    assert published(client, certificate) == {"revocation": 0, "suspension": 0}
    assert verification.verify_stored(certificate.code).ok


def test_a_result_that_supports_it_again_clears_the_bit(client, users, passed, certificate):
    """Flagged, then the holder's result is corrected back to what was printed: the flag and
    the bit clear together, without the officer."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    supported = Enrolment.objects.select_related("course__office").get(pk=passed.pk)
    actions.refresh_result(passed, acting_user=officer)
    assert published(client, certificate) == {"revocation": 0, "suspension": 1}
    actions._review_certificates([supported], acting_user=officer)  # the result as printed
    certificate.refresh_from_db()
    assert not certificate.needs_review and certificate.review_flagged_at is None
    assert published(client, certificate) == {"revocation": 0, "suspension": 0}


def test_a_failed_flag_leaves_neither_the_flag_nor_the_bit(users, passed, certificate, monkeypatch):
    """The flag and the bit are one transaction: a failure after the bit leaves neither."""
    from credentials import actions as credential_actions

    def broken(codes):
        raise RuntimeError("boom")

    monkeypatch.setattr(credential_actions, "suspend", broken)
    with pytest.raises(RuntimeError):
        actions.refresh_result(passed, acting_user=users[Role.DEVELOPMENT_OFFICER])
    certificate.refresh_from_db()
    assert not certificate.needs_review and certificate.review_flagged_at is None
    assert Credential.objects.get(code=certificate.code).suspended_at is None


def test_revoking_or_replacing_one_under_review_publishes_revocation_not_suspension(
    client, users, passed, certificate
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.refresh_result(passed, acting_user=officer)
    actions.revoke_certificate(acting_user=officer, certificate=certificate, reason="ไม่ผ่านเกณฑ์")
    assert published(client, certificate) == {"revocation": 1, "suspension": 0}
    assert verification.verify_stored(certificate.code).state == "revoked"


def test_the_replacement_of_a_certificate_under_review_is_not_suspended(
    client, users, passed, certificate
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    Certificate.objects.filter(pk=certificate.pk).update(needs_review=True, review_reason="x")
    Credential.objects.filter(code=certificate.code).update(suspended_at=timezone.now())
    new = actions.reissue_certificate(acting_user=officer, certificate=certificate)
    assert published(client, certificate) == {"revocation": 1, "suspension": 0}
    assert published(client, new) == {"revocation": 0, "suspension": 0}


def test_our_own_verifier_reads_the_suspension_list(client, certificate):
    """Suspended in the published list though the register reads valid: the office's own
    check says what an outside verifier reads, not "valid"."""
    Credential.objects.filter(code=certificate.code).update(suspended_at=timezone.now())
    verdict = verification.verify_stored(certificate.code)
    assert not verdict.ok and verdict.state == "under_review"
    assert "ระงับ" in verdict.headline
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "สำนักงานระงับการใช้ไว้ระหว่างการตรวจสอบ" in page


def test_a_credential_signed_before_the_suspension_list_keeps_verifying(
    client, office, users, certificate
):
    """Its credentialStatus is the one revocation entry it was signed with: it verifies valid,
    is revoked by the list, and reads the register for a review."""
    document = payload_of(certificate)
    revocation = document["credentialStatus"][0]
    assert revocation["statusPurpose"] == "revocation"
    old = {**document, "credentialStatus": revocation}
    key, private = keys.signing_key(office)
    token = jwt.encode(
        old,
        private,
        algorithm="EdDSA",
        headers={"typ": "vc+jwt", "cty": "vc", "kid": documents.key_url(key.kid)},
    )
    Credential.objects.filter(code=certificate.code).update(token=token)
    assert verification.verify_token(token).ok
    assert status_bit(client, old["credentialStatus"]) == (0, 0)
    actions.refresh_result(certificate.enrolment, acting_user=users[Role.DEVELOPMENT_OFFICER])
    assert verification.verify_token(token).state == "under_review"
    # Its bit in the suspension list is set all the same (the list is the office's).
    assert Credential.objects.get(code=certificate.code).suspended_at is not None


def test_a_credential_signed_after_its_certificate_was_flagged_is_suspended(
    settings, client, users, office, passed
):
    """Issued while the office could not sign, flagged, then signed when first downloaded:
    it had no bit to set when it was flagged."""
    settings.KRUPD_CREDENTIAL_KEYS_AUTO = False
    certificate = actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=passed)
    actions.refresh_result(passed, acting_user=users[Role.DEVELOPMENT_OFFICER])
    call_command("credential_keys", "generate", "--office", office.code)
    certificate.refresh_from_db()
    actions.certificate_credential(certificate)
    assert published(client, certificate) == {"revocation": 0, "suspension": 1}


def test_certificates_under_review_before_the_list_existed_are_suspended_by_the_migration(
    users, certificate
):
    """The data migration: the bit set, the day taken from the audit log's flag entry."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("training.migrations.0019_suspend_certificates_under_review")
    Certificate.objects.filter(pk=certificate.pk).update(needs_review=True, review_reason="x")
    entry = AuditEntry.objects.create(
        action=AuditAction.UPDATE,
        object_type="certificate",
        object_id=str(certificate.pk),
        changes={"needs_review": [False, True], "review_reason": ["", "x"]},
    )
    flagged_at = timezone.now() - dt.timedelta(days=3)
    AuditEntry.objects.filter(pk=entry.pk).update(at=flagged_at)
    migration.suspend_under_review(apps, None)
    certificate.refresh_from_db()
    assert certificate.review_flagged_at == flagged_at
    assert Credential.objects.get(code=certificate.code).suspended_at is not None


# --------------------------------------------------------------- since when, as people read it


def _flag(users, passed, certificate, *, on: dt.datetime | None = None) -> str:
    actions.refresh_result(passed, acting_user=users[Role.DEVELOPMENT_OFFICER])
    if on is not None:
        Certificate.objects.filter(pk=certificate.pk).update(review_flagged_at=on)
    certificate.refresh_from_db()
    return certificate.code


FLAGGED_ON = dt.datetime(2026, 12, 5, 9, 30, tzinfo=documents.BANGKOK)


@pytest.mark.parametrize("thai", [False, True])
def test_the_day_it_was_flagged_shows_wherever_under_review_shows(
    client, client_for, users, office, passed, certificate, thai
):
    TrainingRules.objects.update_or_create(office=office, defaults={"thai_digits": thai})
    code = _flag(users, passed, certificate, on=FLAGGED_ON)
    day = "๕ ธันวาคม ๒๕๖๙" if thai else "5 ธันวาคม 2569"
    page = client.get(f"/verify/{code}/").content.decode()
    assert f"อยู่ระหว่างการตรวจสอบตั้งแต่วันที่ {day}" in page
    assert "2026" not in page and "None" not in page
    answer = client.get(f"/api/training/certificates/{code}").json()
    assert answer["under_review_since"] == "2026-12-05"
    assert answer["under_review_since_label"] == day
    officer = client_for(Role.DEVELOPMENT_OFFICER)
    listing = officer.get(f"/training/courses/{passed.course_id}/certificates/").content.decode()
    assert f"ตั้งแต่วันที่ {day}" in listing  # the badge in the list
    assert f'<td class="review-since">{day}</td>' in listing  # the flagged table


def test_a_certificate_not_under_review_shows_no_day(client, users, passed, certificate):
    _flag(users, passed, certificate, on=FLAGGED_ON)
    actions.keep_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=certificate, note="ตามเกณฑ์เดิม"
    )
    answer = client.get(f"/api/training/certificates/{certificate.code}").json()
    assert answer["under_review_since"] is None and answer["under_review_since_label"] == ""
    assert "ตั้งแต่วันที่" not in client.get(f"/verify/{certificate.code}/").content.decode()


def test_the_batch_csv_says_since_when(tmp_path, users, office, passed, certificate):
    from training.certificates import render_many_to_zip

    TrainingRules.objects.update_or_create(office=office, defaults={"thai_digits": True})
    _flag(users, passed, certificate, on=FLAGGED_ON)
    path = render_many_to_zip([certificate], tmp_path / "c.zip", thai_digits=True)
    with zipfile.ZipFile(path) as zf:
        csv = zf.read("certificates.csv").decode("utf-8-sig")
    assert csv.splitlines()[1].endswith(",อยู่ระหว่างการตรวจสอบ ตั้งแต่วันที่ ๕ ธันวาคม ๒๕๖๙")


def test_the_certificate_list_with_its_days_is_the_office_s_only(client_for, passed, certificate):
    address = f"/training/courses/{passed.course_id}/certificates/"
    assert client_for(Role.DEVELOPMENT_OFFICER).get(address).status_code == 200
    assert client_for(Role.TEACHER).get(address).status_code in (403, 404)


# ------------------------------------------------------------------------ read once


@pytest.mark.parametrize("flagged", [False, True])
def test_the_verification_page_reads_the_certificate_once(
    client, users, passed, certificate, flagged
):
    if flagged:
        _flag(users, passed, certificate)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/verify/{certificate.code}/").status_code == 200
    reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "training_certificate"' in q["sql"]
    ]
    assert len(reads) == 1, reads


def test_the_pdf_stamp_and_the_holder_s_pages_say_since_when(
    client_for, users, passed, certificate
):
    from krupd.testing import pdf_text
    from training.certificates import render_pdf

    from .test_certificate_standing import bare

    _flag(users, passed, certificate, on=FLAGGED_ON)
    text = bare(pdf_text(render_pdf(certificate)))
    assert bare("อยู่ระหว่างการตรวจสอบของสำนักงานตั้งแต่วันที่ 5 ธันวาคม 2569") in text
    teacher = client_for(Role.TEACHER)
    course_page = teacher.get(f"/training/courses/{passed.course_id}/").content.decode()
    assert "ตั้งแต่วันที่ 5 ธันวาคม 2569" in course_page
    transcript = teacher.get(f"/training/people/{passed.person_id}/transcript/?fy=2569")
    assert transcript.status_code == 200
    assert "ตั้งแต่วันที่ 5 ธันวาคม 2569" in transcript.content.decode()
