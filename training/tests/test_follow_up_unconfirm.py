"""A follow-up confirmation taken back by the office ("ยกเลิกการยืนยัน"): a confirmed report is
read-only and sent only once, so a confirmation given by mistake could not be undone at all.
The office admin or a development officer takes it back with a reason, audited; the result is
judged again, a certificate it no longer supports goes under review, and the report is open
again for the participant to send and for a director or supervisor to confirm."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_user
from registry.models import AuditEntry
from training import actions
from training.models import Certificate, Enrolment, FollowUp, ResultStatus

pytestmark = pytest.mark.django_db

OFFICE = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER]
REFUSED = [Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR, Role.SUPERVISOR]


@pytest.fixture
def confirmed(users, session, teacher_person):
    """A participant who passed on a confirmed follow-up report, with a certificate."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    course = session.course
    course.requires_follow_up = True
    actions.save_course(acting_user=officer, course=course)
    learner = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})
    follow_up = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=learner, use_level=4, report="ใช้ในชั้นเรียน"
    )
    actions.confirm_follow_up(
        acting_user=users[Role.SCHOOL_DIRECTOR], follow_up=follow_up, note="เห็นผลจริง"
    )
    learner.refresh_from_db()
    assert learner.passed
    certificate = actions.issue_certificate(acting_user=officer, enrolment=learner)
    assert not certificate.needs_review
    return FollowUp.objects.get(pk=follow_up.pk)


def _url(follow_up) -> str:
    return reverse("training:follow_up_unconfirm", args=[follow_up.pk])


def _said(client, response) -> list[str]:
    return [str(m) for m in client.get(response.url).context["messages"]]


@pytest.mark.parametrize("role", OFFICE)
def test_the_office_takes_a_confirmation_back_with_its_reason(client_for, users, confirmed, role):
    client = client_for(role)
    course_page = reverse("training:follow_ups", args=[confirmed.enrolment.course_id])
    assert _url(confirmed) in client.get(course_page).content.decode()
    reason = "ผู้อำนวยการกดรับรองผิดคน"
    response = client.post(_url(confirmed), {"reason": f"  {reason} "})
    assert response.status_code == 302 and response.url == course_page
    said = _said(client, response)
    assert any("ยกเลิกการยืนยันรายงานการนำไปใช้ของ" in m and "สมศรี ใจดี แล้ว" in m for m in said)
    follow_up = FollowUp.objects.get(pk=confirmed.pk)
    assert (follow_up.confirmed_at, follow_up.confirmed_by, follow_up.confirmer_note) == (
        None, None, "",
    )  # fmt: skip
    assert (follow_up.use_level, follow_up.report) == (4, "ใช้ในชั้นเรียน")  # the report stays
    entry = AuditEntry.objects.filter(object_type="followup", object_id=str(follow_up.pk)).latest(
        "pk"
    )
    assert entry.actor == users[role]
    assert entry.changes["confirmed"] == [True, False]
    assert entry.changes["reason"] == [None, reason]
    assert entry.changes["confirmer_note"] == ["เห็นผลจริง", None]
    assert entry.changes["confirmed_by"] == ["director1", None]
    # Judged again through the one path: no longer passed, the certificate under review.
    learner = Enrolment.objects.get(pk=confirmed.enrolment_id)
    assert not learner.passed and learner.result == ResultStatus.PENDING
    certificate = Certificate.objects.get(enrolment=learner)
    assert certificate.needs_review and certificate.review_flagged_at is not None
    assert certificate.review_reason == learner.result_text
    # The course's page offers the confirmation again, and no longer the taking back.
    page = client.get(course_page).content.decode()
    assert _url(confirmed) not in page
    assert reverse("training:follow_up_confirm", args=[confirmed.pk]) in page


def test_the_participant_can_edit_and_send_the_report_again(client_for, users, confirmed):
    teacher = client_for(Role.TEACHER)
    page_url = reverse("training:follow_up", args=[confirmed.enrolment.course_id])
    before = teacher.get(page_url).content.decode()
    assert "follow-up-confirmed" in before and 'name="report"' not in before
    client_for(Role.OFFICE_ADMIN).post(_url(confirmed), {"reason": "รับรองก่อนกำหนด"})
    teacher = client_for(Role.TEACHER)
    page = teacher.get(page_url).content.decode()
    assert "follow-up-confirmed" not in page and 'name="report"' in page
    assert "ใช้ในชั้นเรียน" in page  # what was sent, to edit rather than retype
    sent = teacher.post(page_url, {"use_level": "5", "report": "ขยายผลให้เพื่อนครู"})
    assert sent.status_code == 302
    follow_up = FollowUp.objects.get(pk=confirmed.pk)
    assert (follow_up.use_level, follow_up.report, follow_up.confirmed_at) == (
        5, "ขยายผลให้เพื่อนครู", None,
    )  # fmt: skip
    # Confirmed again: passed again, and the certificate's review follows the result.
    director = client_for(Role.SCHOOL_DIRECTOR)
    director.post(reverse("training:follow_up_confirm", args=[follow_up.pk]), {"note": ""})
    learner = Enrolment.objects.get(pk=confirmed.enrolment_id)
    assert learner.passed
    assert FollowUp.objects.get(pk=confirmed.pk).confirmed_at is not None


@pytest.mark.parametrize("role", REFUSED)
def test_others_may_not_take_a_confirmation_back(client_for, confirmed, role):
    client = client_for(role)
    audited = AuditEntry.objects.count()
    response = client.post(_url(confirmed), {"reason": "ไม่เห็นด้วย"})
    assert response.status_code == 403
    follow_up = FollowUp.objects.get(pk=confirmed.pk)
    assert follow_up.confirmed_at == confirmed.confirmed_at
    assert AuditEntry.objects.count() == audited
    assert Enrolment.objects.get(pk=confirmed.enrolment_id).passed
    assert not Certificate.objects.get(enrolment_id=confirmed.enrolment_id).needs_review
    if role in (Role.SCHOOL_DIRECTOR, Role.SUPERVISOR):  # they see the page, not the control
        course_page = reverse("training:follow_ups", args=[confirmed.enrolment.course_id])
        page = client.get(course_page).content.decode()
        assert "รับรองแล้ว" in page and _url(confirmed) not in page


def test_another_offices_admin_finds_no_such_report(client, other_office, confirmed):
    client.force_login(make_user("admin2", Role.OFFICE_ADMIN, other_office))
    assert client.post(_url(confirmed), {"reason": "ผิด"}).status_code == 404
    assert FollowUp.objects.get(pk=confirmed.pk).confirmed_at is not None


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(client_for, confirmed, reason):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    audited = AuditEntry.objects.count()
    response = client.post(_url(confirmed), {"reason": reason})
    assert response.status_code == 302
    said = _said(client, response)
    assert any("สมศรี ใจดี" in m and "กรุณาระบุเหตุผลที่ยกเลิกการยืนยัน" in m for m in said)
    assert FollowUp.objects.get(pk=confirmed.pk).confirmed_at is not None
    assert AuditEntry.objects.count() == audited


def test_a_report_not_confirmed_is_not_taken_back_twice(client_for, confirmed):
    client = client_for(Role.OFFICE_ADMIN)
    assert client.post(_url(confirmed), {"reason": "ผิดคน"}).status_code == 302
    audited = AuditEntry.objects.count()
    again = client.post(_url(confirmed), {"reason": "ผิดคน"})  # a double click
    assert any("ยังไม่ได้รับการรับรอง" in m for m in _said(client, again))
    assert AuditEntry.objects.count() == audited


def test_taking_back_is_a_post(client_for, confirmed):
    assert client_for(Role.OFFICE_ADMIN).get(_url(confirmed)).status_code == 405
