"""Only an enrolled participant who passed is certified. A pass is a completed development:
the participant can no longer cancel it away, and a stale pass on an enrolment that is no
longer enrolled (cancelled, refused, waiting) is never certified, one by one or in bulk."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from training import actions
from training.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Lesson,
    Module,
    Question,
    Session,
)
from training.models import TestKind as Kind

from .conftest import on_day, study

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users):
    return users[Role.DEVELOPMENT_OFFICER]


@pytest.fixture
def passed_online(users, office, teacher_person):
    """A self-paced course that passes on a confirmed follow-up: passed, no certificate yet
    (nothing issues one by itself at the confirmation), and no attendance."""
    teacher = users[Role.TEACHER]
    course = Course.objects.create(office=office, title="e-Training การวัดผลเพื่อพัฒนา",
                                   mode="online", hours=10, fiscal_year=2569,
                                   test_days_after_end=3650, requires_follow_up=True)  # fmt: skip
    module = Module.objects.create(course=course, order=1, title="หน่วย 1", quiz_attempts=2)
    lesson = Lesson.objects.create(module=module, order=1, title="บทเรียน 1", body="เนื้อหา")
    quiz = Question.objects.create(
        course=course, module=module, text="ก?", choices=["ก", "ข"], correct=0
    )
    final = Question.objects.create(course=course, text="สอบ", choices=["ถูก", "ผิด"], correct=0)
    session = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, start_date=dt.date(2026, 1, 1),
                        end_date=dt.date(2026, 1, 1), capacity=10),
    )  # fmt: skip
    enrolment = actions.enrol(acting_user=teacher, session=session, person=teacher_person)
    study(teacher, enrolment, lesson, minutes=course.min_lesson_minutes)
    actions.complete_lesson(acting_user=teacher, enrolment=enrolment, lesson=lesson)
    for kind, module_, question in ((Kind.MODULE, module, quiz), (Kind.POST, None, final)):
        attempt = actions.start_attempt(
            acting_user=teacher, enrolment=enrolment, kind=kind, module=module_
        )
        actions.submit_attempt(acting_user=teacher, attempt=attempt, answers={str(question.pk): 0})
    follow_up = actions.submit_follow_up(
        acting_user=teacher, enrolment=enrolment, use_level=4, report="นำไปใช้ในห้องเรียน"
    )
    actions.confirm_follow_up(
        acting_user=users[Role.SCHOOL_DIRECTOR], follow_up=follow_up, note="รับรอง"
    )
    enrolment.refresh_from_db()
    assert enrolment.passed and not enrolment.certificates.exists()
    assert not enrolment.attendance.exists() and FollowUp.objects.filter(enrolment=enrolment)
    return course, enrolment


def test_a_participant_who_passed_cannot_cancel_the_pass_away(client_for, passed_online):
    course, enrolment = passed_online
    page = client_for(Role.TEACHER).post(
        reverse("training:enrolment_cancel", args=[enrolment.pk]), follow=True
    )
    assert "ผ่านการพัฒนาหลักสูตรนี้แล้ว ยกเลิกไม่ได้" in page.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED and enrolment.passed


@pytest.mark.parametrize(
    "status", [EnrolmentStatus.CANCELLED, EnrolmentStatus.REJECTED, EnrolmentStatus.PENDING]
)
def test_a_stale_pass_of_an_enrolment_no_longer_enrolled_is_never_certified(
    officer, passed_online, status
):
    course, enrolment = passed_online
    # The status changed by a write that did not judge again (a bulk update, an old row).
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    enrolment.refresh_from_db()
    with pytest.raises(actions.TrainingError):
        actions.issue_certificate(acting_user=officer, enrolment=enrolment)
    assert actions.issue_missing_certificates(acting_user=officer, course=course) == []
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_cancelling_judges_the_enrolment_again(users, session, teacher_person):
    enrolment = actions.enrol(
        acting_user=users[Role.TEACHER], session=session, person=teacher_person
    )
    actions.cancel_enrolment(acting_user=users[Role.TEACHER], enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED and not enrolment.passed
    assert enrolment.result_reasons == ["สถานะการลงทะเบียน: ยกเลิก"]


def test_a_certificate_number_is_never_given_twice(users, office, school, session):
    """Certificates of a deleted person record keep their numbers (and still verify): the next
    one issued in the course takes a new number, one by one and in bulk."""
    from krupd.testing import make_person

    officer = users[Role.DEVELOPMENT_OFFICER]
    session.capacity = 10
    session.save()
    people = [make_person(office, school, first_name=f"ผู้เข้าร่วม{i}") for i in range(4)]
    enrolments = [actions.enrol(acting_user=officer, session=session, person=p) for p in people]
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={e.pk for e in enrolments})
    first = actions.issue_certificate(acting_user=officer, enrolment=enrolments[0])
    second = actions.issue_certificate(acting_user=officer, enrolment=enrolments[1])
    people[0].delete()  # a record typed twice by mistake: its certificate stays, unlinked
    assert Certificate.objects.get(pk=first.pk).enrolment is None
    third = actions.issue_certificate(acting_user=officer, enrolment=enrolments[2])
    (fourth,) = actions.issue_missing_certificates(acting_user=officer, course=session.course)
    numbers = [c.number for c in (first, second, third, fourth)]
    assert len(set(numbers)) == 4, numbers
    assert third.number.endswith("/0003") and fourth.number.endswith("/0004")


def test_a_replaced_certificate_is_not_replaced_twice(client_for, users, session, teacher_person):
    """Reissuing, revoking the new one, then reissuing the first again was a server error (a
    certificate is replaced by one other at most): it is refused with the reason."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    learner = actions.enrol(acting_user=officer, session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})
    first = actions.issue_certificate(acting_user=officer, enrolment=learner)
    second = actions.reissue_certificate(acting_user=officer, certificate=first)
    actions.revoke_certificate(acting_user=officer, certificate=second, reason="พิมพ์ชื่อผิด")
    page = client_for(Role.DEVELOPMENT_OFFICER).post(
        reverse("training:certificate_reissue", args=[first.pk]), follow=True
    )
    assert page.status_code == 200
    assert "ให้ออกใหม่จากฉบับล่าสุด" in page.content.decode()
    third = actions.reissue_certificate(
        acting_user=officer, certificate=second, reason="แก้ชื่อถูกต้องแล้ว"
    )
    assert third.replaces_id == second.pk and third.status == "valid"


def test_a_kept_certificate_stays_kept_until_the_result_changes_again(
    users, session, teacher_person
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    learner = actions.enrol(acting_user=officer, session=session, person=teacher_person)
    first, last = session.days.all()
    for day in (first, last):
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    actions.roll_call(acting_user=officer, day=last, present_ids=set())  # 50 %: flagged
    cert.refresh_from_db()
    assert cert.needs_review
    actions.keep_certificate(acting_user=officer, certificate=cert, note="ผ่านตามเกณฑ์เดิม")
    # The session judged again with the same result (its capacity edited): still kept.
    session.refresh_from_db()
    session.capacity = 30
    actions.save_session(acting_user=officer, session=session)
    cert.refresh_from_db()
    assert not cert.needs_review and cert.review_reason.startswith("คงไว้: ผ่านตามเกณฑ์เดิม")
    # The result changes again (the other day corrected too): flagged anew, with the reason.
    actions.roll_call(acting_user=officer, day=first, present_ids=set())
    cert.refresh_from_db()
    assert cert.needs_review and "0%" in cert.review_reason


def test_a_person_holding_a_valid_certificate_is_not_deleted_until_it_is_revoked(
    client_for, officer, passed_online, teacher_person
):
    """Deleting the record cleared the certificate's link to it: the certificate verified as
    valid for good, and no course page listed it any more to revoke it from."""
    course, enrolment = passed_online
    certificate = actions.issue_certificate(acting_user=officer, enrolment=enrolment)
    admin = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_delete", args=[teacher_person.pk])
    page = admin.get(url).content.decode()
    assert "มีเกียรติบัตรที่ยังใช้ได้ 1 ฉบับ" in page and "ยืนยันการลบ" not in page
    refused = admin.post(url)
    assert refused.status_code == 200 and "ให้เปลี่ยนสถานะแทนการลบ" in refused.content.decode()
    assert Certificate.objects.filter(enrolment__person=teacher_person).exists()
    actions.revoke_certificate(acting_user=officer, certificate=certificate, reason="บันทึกผิดคน")
    assert "ยืนยันการลบ" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"  # kept, and verifies as revoked


def test_validity_runs_from_the_pass_so_a_late_issue_or_a_reissue_does_not_extend_it(
    users, session, teacher_person
):
    """A course whose certificates count two years: the session ended 13 January 2026. Issued
    a year late, the certificate ran to 2029; reissued to correct a name near its end, it ran
    two years more. It counts until 13 January 2028 whenever it is issued or reissued."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    course = session.course
    course.certificate_valid_years = 2
    course.save()
    learner = actions.enrol(acting_user=officer, session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})
    learner.refresh_from_db()
    assert learner.passed and learner.completed_on == dt.date(2026, 1, 13)
    with on_day(dt.date(2027, 3, 1)):
        first = actions.issue_certificate(acting_user=officer, enrolment=learner)
    assert first.issued_on == dt.date(2027, 3, 1) and first.valid_until == dt.date(2028, 1, 13)
    with on_day(dt.date(2027, 12, 20)):
        second = actions.reissue_certificate(acting_user=officer, certificate=first)
        assert second.standing == "valid"
    assert second.valid_until == dt.date(2028, 1, 13)
    with on_day(dt.date(2028, 1, 14)):
        assert second.standing == "expired"
