"""Since when a certificate has been under the office's review: "under review" alone does
not tell a verifier whether the office flagged it yesterday or months ago. Every path that
flags a certificate records the moment in the same transaction, and every way its review ends
(kept, revoked, its holder's result supporting it again) clears it; the verification page,
the officer's list, the API, the batch CSV, the PDF stamp and the holder's pages show the day
as people read it. Certificates already under review get the day from the audit log."""

import datetime as dt
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from credentials import documents, verification
from registry.models import AuditAction, AuditEntry
from training import actions
from training.models import Certificate, Enrolment, Question, ResultStatus, TrainingRules

pytestmark = pytest.mark.django_db


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
def test_every_path_that_flags_a_certificate_records_since_when(
    users, course, passed, certificate, path
):
    """The holder's result judged again on its evidence (none here: it no longer supports the
    certificate), by each way a result is judged: one participant, the whole course after its
    criteria changed, its post-test removed, the nightly judging."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    assert certificate.review_flagged_at is None
    before = timezone.now()
    path(officer, passed, course)
    certificate.refresh_from_db()
    assert certificate.needs_review and certificate.standing == "under_review"
    assert before <= certificate.review_flagged_at <= timezone.now()
    assert verification.verify_stored(certificate.code).state == "under_review"
    # The officer keeps it: the date is cleared with the flag.
    actions.keep_certificate(acting_user=officer, certificate=certificate, note="ตามเกณฑ์เดิม")
    certificate.refresh_from_db()
    assert certificate.review_flagged_at is None
    assert verification.verify_stored(certificate.code).ok


def test_a_second_judging_keeps_the_day_it_was_first_flagged(users, passed, certificate):
    """Judged again while still under review: it has been under review since the first flag."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.refresh_result(passed, acting_user=officer)
    certificate.refresh_from_db()
    first = certificate.review_flagged_at
    actions.refresh_result(passed, acting_user=officer)
    certificate.refresh_from_db()
    assert certificate.needs_review and certificate.review_flagged_at == first


def test_a_result_that_supports_it_again_clears_the_day(users, passed, certificate):
    """Flagged, then the holder's result is corrected back to what was printed: the flag and
    its day clear together, without the officer."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    supported = Enrolment.objects.select_related("course__office").get(pk=passed.pk)
    actions.refresh_result(passed, acting_user=officer)
    certificate.refresh_from_db()
    assert certificate.review_flagged_at is not None
    actions._review_certificates([supported], acting_user=officer)  # the result as printed
    certificate.refresh_from_db()
    assert not certificate.needs_review and certificate.review_flagged_at is None


def test_revoking_one_under_review_clears_the_day(users, passed, certificate):
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.refresh_result(passed, acting_user=officer)
    actions.revoke_certificate(acting_user=officer, certificate=certificate, reason="ไม่ผ่านเกณฑ์")
    certificate.refresh_from_db()
    assert certificate.review_flagged_at is None
    assert verification.verify_stored(certificate.code).state == "revoked"


def test_certificates_already_under_review_get_the_day_from_the_audit_log(users, certificate):
    """The data migration: the day taken from the audit log's latest flag entry; one with no
    such entry keeps no day rather than a made-up one."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("training.migrations.0019_backfill_review_flagged_at")
    Certificate.objects.filter(pk=certificate.pk).update(needs_review=True, review_reason="x")
    migration.backfill_review_flagged_at(apps, None)
    certificate.refresh_from_db()
    assert certificate.review_flagged_at is None  # no flag entry in the log
    for days_ago in (10, 3):
        entry = AuditEntry.objects.create(
            action=AuditAction.UPDATE,
            object_type="certificate",
            object_id=str(certificate.pk),
            changes={"needs_review": [False, True], "review_reason": ["", "x"]},
        )
        flagged_at = timezone.now() - dt.timedelta(days=days_ago)
        AuditEntry.objects.filter(pk=entry.pk).update(at=flagged_at)
    migration.backfill_review_flagged_at(apps, None)
    certificate.refresh_from_db()
    assert certificate.review_flagged_at == flagged_at


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
    assert (
        f'<td class="review-since" data-label="ตั้งให้ตรวจสอบเมื่อ">{day}</td>' in listing
    )  # the flagged table


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
