"""Every training page and endpoint with a role that may and one that may not."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib.thai_dates import format_thai_date
from training import actions
from training.certificates import typed_code
from training.models import Certificate, Course
from training.models import TestKind as Kind

from .conftest import answer_key, on_day

pytestmark = pytest.mark.django_db

OFFICE = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER]
NOT_OFFICE = [Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR]
RESULTS = OFFICE + [Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.INSPECTOR]


@pytest.fixture
def passed(users, session, questions, teacher_person):
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    e = actions.enrol(acting_user=teacher, session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={e.pk})
    attempt = actions.start_attempt(acting_user=teacher, enrolment=e, kind=Kind.POST)
    actions.submit_attempt(acting_user=teacher, attempt=attempt, answers=answer_key(questions, 3))
    e.refresh_from_db()
    return e


@pytest.fixture
def cert(passed, users):
    return actions.issue_certificate(acting_user=users[Role.TEACHER], enrolment=passed)


def test_it_sends_anonymous_users_to_login_but_verification_is_public(client, cert):
    response = client.get(reverse("training:courses"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = client.get(reverse("training_verify", args=[cert.code]))
    assert page.status_code == 200 and "นางสมศรี ใจดี" in page.content.decode()


def test_it_catches_a_wrong_verification_code(client, cert):
    wrong = cert.code[:-1] + ("A" if cert.code[-1] != "A" else "B")
    page = client.get(reverse("training_verify", args=[wrong]))
    assert page.status_code == 404 and "ไม่พบเกียรติบัตร" in page.content.decode()
    assert (
        client.get(reverse("training:verify_lookup"), {"code": cert.code.lower()}).status_code
        == 302
    )


def test_a_code_typed_from_paper_finds_its_certificate(client, cert):
    """Lower case, Thai digits, groups split by spaces, dashes or dots."""
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    typed = (cert.code[:3] + ". " + cert.code[3:5] + " - " + cert.code[5:]).lower().translate(thai)
    page = client.get(reverse("training_verify", args=[typed]))
    assert page.status_code == 200 and "นางสมศรี ใจดี" in page.content.decode()
    found = client.get(reverse("training:verify_lookup"), {"code": typed})
    assert found.status_code == 302 and found["Location"].endswith(f"/verify/{cert.code}/")
    assert client.get(reverse("training_verify", args=[f"{cert.code[:-1]}1"])).status_code == 404


def test_it_shows_revocation_on_the_verification_page(client, cert, users):
    actions.revoke_certificate(
        acting_user=users[Role.OFFICE_ADMIN], certificate=cert, reason="ออกผิดคน"
    )
    html = client.get(reverse("training_verify", args=[cert.code])).content.decode()
    # That and when, not why: the reason is the office's note about a person.
    assert "เพิกถอน" in html and "เพิกถอนเมื่อ" in html and "ออกผิดคน" not in html


@pytest.mark.parametrize("role", OFFICE + NOT_OFFICE)
def test_it_lists_courses_for_every_role_in_the_office(client_for, role, course):
    html = client_for(role).get(reverse("training:courses"), {"fy": 2569}).content.decode()
    assert course.title in html


def test_it_hides_drafts_and_other_offices_courses(client_for, course, other_office):
    Course.objects.create(
        office=other_office, title="หลักสูตรเขตอื่น", mode="seminar", hours=3, fiscal_year=2569
    )
    course.status = "draft"
    course.save()
    assert (
        course.title
        not in client_for(Role.TEACHER)
        .get(reverse("training:courses"), {"fy": 2569})
        .content.decode()
    )
    html = (
        client_for(Role.DEVELOPMENT_OFFICER)
        .get(reverse("training:courses"), {"fy": 2569})
        .content.decode()
    )
    assert course.title in html and "หลักสูตรเขตอื่น" not in html
    assert (
        client_for(Role.TEACHER)
        .get(reverse("training:course_detail", args=[course.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("role", OFFICE)
def test_it_lets_the_office_create_a_course(client_for, role):
    client = client_for(role)
    assert client.get(reverse("training:course_create")).status_code == 200
    response = client.post(reverse("training:course_create"), {
        "title": "การวัดและประเมินผลตามสภาพจริง", "mode": "workshop", "hours": "๑๒", "fiscal_year": "2569",
        "min_attendance_pct": 80, "min_post_test_pct": 60, "post_test_attempts": 2,
        "test_days_after_end": 14, "min_lesson_minutes": 10,
        "self_enrol": "on", "status": "open", "target_types": ["teacher", "assistant_teacher"],
    })  # fmt: skip
    assert response.status_code == 302
    c = Course.objects.get(title="การวัดและประเมินผลตามสภาพจริง")
    assert c.hours == 12 and c.target_types == ["teacher", "assistant_teacher"]


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_it_refuses_course_editing_to_others(client_for, role, course, session):
    client = client_for(role)
    assert client.get(reverse("training:course_create")).status_code == 403
    assert client.get(reverse("training:course_edit", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:session_create", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:session_edit", args=[session.pk])).status_code == 403
    assert client.get(reverse("training:questions", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:certificates", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:settings")).status_code == 403
    assert client.get(reverse("training:modules_manage", args=[course.pk])).status_code == 403
    day = session.days.first()
    assert client.get(reverse("training:day_qr", args=[day.pk])).status_code == 403
    assert client.get(reverse("training:roll_call", args=[day.pk])).status_code == 403


def test_it_lets_the_officer_create_a_session_with_be_dates(client_for, course):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(reverse("training:session_create", args=[course.pk]), {
        "name": "รุ่นที่ 2", "start_date": "๑/๒/๒๕๖๙", "end_date": "3/2/2569", "capacity": "40",
        "hours_per_day": "6", "place": "ห้องประชุม", "trainers": "ศน.สมชาย",
    })  # fmt: skip
    assert response.status_code == 302
    s = course.sessions.get(name="รุ่นที่ 2")
    assert s.start_date.isoformat() == "2026-02-01" and s.days.count() == 3


def test_a_session_held_in_another_fiscal_year_is_saved_and_said(client_for, course):
    """A session of a FY 2569 course starting on 5 Nov 2569 (FY 2570) is saved (a course
    held early in the next year is real), and the officer is told that its hours count in
    2570 while the results table lists the course in 2569; in the course's year, nothing."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:session_create", args=[course.pk])
    form = {"capacity": "40", "hours_per_day": "6", "place": "ห้องประชุม"}
    later = client.post(url, {**form, "name": "รุ่นปลายปี", "start_date": "5/11/2569",
                              "end_date": "5/11/2569"}, follow=True)  # fmt: skip
    page = later.content.decode()
    assert course.sessions.filter(name="รุ่นปลายปี").exists()
    assert "ซึ่งอยู่ในปีงบประมาณ 2570 แต่หลักสูตรบันทึกไว้ในปีงบประมาณ 2569" in page
    same = client.post(url, {**form, "name": "รุ่นในปี", "start_date": "5/3/2569",
                             "end_date": "5/3/2569"}, follow=True)  # fmt: skip
    assert course.sessions.filter(name="รุ่นในปี").exists()
    assert "แต่หลักสูตรบันทึกไว้ในปีงบประมาณ" not in same.content.decode()


def test_a_course_or_session_posted_twice_is_created_once(client_for, course, session):
    """A double click on "บันทึก" made two of the same course (its participants and
    results split between them) or two of the same session (its seats counted twice)."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    posted = {
        "title": "การวัดและประเมินผลตามสภาพจริง", "mode": "workshop", "hours": "12",
        "fiscal_year": "2569", "min_attendance_pct": "80", "min_post_test_pct": "60",
        "post_test_attempts": "2", "test_days_after_end": "14", "min_lesson_minutes": "10",
        "min_watched_pct": "80", "status": "open",
    }  # fmt: skip
    assert client.post(reverse("training:course_create"), posted).status_code == 302
    again = client.post(reverse("training:course_create"), posted)
    html = again.content.decode()
    assert again.status_code == 200 and "บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง)" in html
    assert "ให้เพิ่มรุ่นในหลักสูตรเดิม" in html
    assert Course.objects.filter(title=posted["title"]).count() == 1
    assert client.post(reverse("training:course_create"), {**posted, "fiscal_year": "2570"})[
        "Location"
    ].endswith("/sessions/new/")  # next year's run is a course of its own
    url = reverse("training:session_create", args=[course.pk])
    fields = {"name": "รุ่นที่ 2", "start_date": "2/2/2569", "end_date": "3/2/2569",
              "capacity": "30", "hours_per_day": "6"}  # fmt: skip
    assert client.post(url, fields).status_code == 302
    html = client.post(url, fields).content.decode()
    assert "บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง) จึงไม่บันทึกซ้ำ" in html
    assert course.sessions.count() == 2
    assert client.post(url, {**fields, "name": "รุ่นที่ 3"}).status_code == 302


def test_a_session_with_a_half_day_counts_attendance_against_its_real_hours(
    client_for, users, course, teacher_person
):
    """A 15-hour workshop over two days and a morning: every day counted 6 hours (18 in
    all), so someone who missed only the last half day had 12/18 = 66.7 % and failed an
    80 % criterion they met (12/15)."""
    course.hours = 15
    course.save()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:session_create", args=[course.pk])
    fields = {
        "name": "รุ่นที่ 2", "start_date": "2/2/2569", "end_date": "4/2/2569", "capacity": "40",
        "hours_per_day": "6",
    }  # fmt: skip
    short = client.post(url, {**fields, "day_hours": "6, 6"})
    assert "รุ่นนี้มี 3 วัน แต่กรอกชั่วโมงไว้ 2 วัน" in short.content.decode()
    assert 'value="6, 6"' in short.content.decode()  # what was typed stays
    assert not course.sessions.filter(name="รุ่นที่ 2").exists()
    assert client.post(url, {**fields, "day_hours": "๖ , ๖ , ๓"}).status_code == 302
    session = course.sessions.get(name="รุ่นที่ 2")
    assert [d.hours for d in session.days.all()] == [6, 6, 3]
    edit = reverse("training:session_edit", args=[session.pk])
    assert 'value="6, 6, 3"' in client.get(edit).content.decode()
    enrolment = actions.enrol(
        acting_user=users[Role.DEVELOPMENT_OFFICER], session=session, person=teacher_person
    )
    first, second, _ = session.days.all()
    for day in (first, second):
        actions.roll_call(
            acting_user=users[Role.DEVELOPMENT_OFFICER], day=day, present_ids={enrolment.pk}
        )
    enrolment.refresh_from_db()
    assert enrolment.attendance_pct == 80 and enrolment.passed and enrolment.hours_credited == 12
    # Saved again as shown, the half day stays a half day.
    assert (
        client.post(edit, {**fields, "day_hours": "6, 6, 3", "capacity": "41"}).status_code == 302
    )
    assert [d.hours for d in session.days.all()] == [6, 6, 3]


def test_cutting_seats_below_the_enrolled_is_refused_at_the_seats_box(
    client_for, users, course, session, teacher_person, other_teacher
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    for person in (teacher_person, other_teacher):
        actions.enrol(acting_user=officer, session=session, person=person)
    client = client_for(Role.DEVELOPMENT_OFFICER)
    edit = reverse("training:session_edit", args=[session.pk])
    fields = {
        "name": session.name, "start_date": format_thai_date(session.start_date),
        "end_date": format_thai_date(session.end_date), "capacity": "๑",
        "hours_per_day": str(session.hours_per_day),
    }  # fmt: skip
    response = client.post(edit, fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ลดจำนวนที่นั่งเหลือ 1 ไม่ได้: รุ่นนี้มีผู้ได้ที่นั่งแล้ว 2 คน" in html
    session.refresh_from_db()
    assert session.capacity != 1
    assert client.post(edit, {**fields, "capacity": "๒"}).status_code == 302


@pytest.mark.parametrize(
    "typed, problem",
    [("6, หก, 3", "“หก” ไม่ใช่จำนวนชั่วโมง"), ("6, 25, 3", "25 ชั่วโมงไม่ได้"),
     ("6, 6.25, 3", "6.25 ชั่วโมงไม่ได้"), ("0, 0, 0", "อย่างน้อยหนึ่งวัน"), ("6, NaN, 3", "NaN")],
)  # fmt: skip
def test_day_hours_are_refused_in_thai_naming_the_day(typed, problem):
    from django import forms

    from training.forms import read_day_hours

    with pytest.raises(forms.ValidationError) as refused:
        read_day_hours(typed, days=3)
    assert problem in refused.value.messages[0]


def test_it_runs_the_office_pages(client_for, course, session, cert):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    day = session.days.first()
    for url in [
        reverse("training:course_detail", args=[course.pk]),
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:roster", args=[session.pk]),
        reverse("training:nominate", args=[session.pk]),
        reverse("training:day_qr", args=[day.pk]),
        reverse("training:roll_call", args=[day.pk]),
        reverse("training:questions", args=[course.pk]),
        reverse("training:evaluation", args=[course.pk]),
        reverse("training:certificates", args=[course.pk]),
        reverse("training:follow_ups", args=[course.pk]),
        reverse("training:results"),
        reverse("training:developed"),
        reverse("training:settings"),
        reverse("training:modules_manage", args=[course.pk]),
        reverse("training:certificate_pdf", args=[cert.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_it_shows_the_qr_refreshing_by_htmx(client_for, session):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    html = client.get(
        reverse("training:day_qr", args=[session.days.first().pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<svg" in html and 'hx-trigger="every' in html


@pytest.mark.parametrize("role", RESULTS)
def test_it_shows_results_to_roles_that_may(client_for, role, passed, course):
    client = client_for(role)
    html = client.get(reverse("training:results"), {"fy": 2569}).content.decode()
    assert course.title in html and "100.00" in html
    assert client.get(reverse("training:evaluation", args=[course.pk])).status_code == 200
    assert client.get(reverse("training:developed")).status_code == 200


def test_it_hides_names_from_inspectors_in_evaluation(client_for, passed, course):
    html = (
        client_for(Role.INSPECTOR)
        .get(reverse("training:evaluation", args=[course.pk]))
        .content.decode()
    )
    assert "สมศรี" not in html


def test_it_refuses_results_to_teachers(client_for, course):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("training:results")).status_code == 403
    assert client.get(reverse("training:evaluation", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:developed")).status_code == 403


def test_it_exports_the_results_table_as_xlsx(client_for, passed):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(Role.DEVELOPMENT_OFFICER).get(
        reverse("training:results"), {"fy": 2569, "format": "xlsx"}
    )
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "สพป.เพชรบุรี เขต 1"
    assert ws["A5"].value == "ที่" and ws["D5"].value == "จำนวนผู้เข้าอบรม/พัฒนา"
    assert [ws.cell(6, c).value for c in (1, 4, 5, 6)] == [1, 1, 1, 100.0]


def test_it_walks_a_teacher_through_a_course(client_for, users, course, session, questions):
    client = client_for(Role.TEACHER)
    assert client.post(reverse("training:enrol", args=[session.pk])).status_code == 302
    html = client.get(reverse("training:course_detail", args=[course.pk])).content.decode()
    assert "ลงทะเบียนแล้ว" in html
    assert client.get(reverse("training:test", args=[course.pk, "pre"])).status_code == 200
    answers = {f"q{q.pk}": str(q.correct) for q in questions[:1]}
    assert (
        client.post(reverse("training:test", args=[course.pk, "pre"]), answers).status_code == 302
    )
    token = actions.checkin_token(session.days.first())
    assert client.get(reverse("training:checkin", args=[token])).status_code == 200
    with on_day(session.days.first().date):  # scanned at the venue, on the day
        # Post, then redirect to the page showing the check-in (a refresh sends nothing).
        posted = client.post(reverse("training:checkin", args=[token]), follow=True)
    checked_in = posted.content.decode()
    assert "ลงเวลาแล้ว" in checked_in
    enrolment = course.enrolments.get()
    assert str(enrolment.pre_score_pct) == "33.3" and enrolment.hours_attended == 6
    items = actions.survey_items_for(course.office)
    data = {f"item{i.pk}": "5" for i in items} | {"comment": "ได้ความรู้มาก"}
    assert client.post(reverse("training:survey", args=[course.pk]), data).status_code == 302
    assert hasattr(course.enrolments.get(), "survey")


def test_a_test_whose_questions_are_saved_while_it_is_open_goes_on_with_the_new_ones(
    client_for, users, course, session, questions, teacher_person
):
    """The office corrects a question while a teacher has the post-test open: her answers
    were scored on questions that no longer existed (0/0, shown "(None%)") and the try was
    used up. Now she is told in Thai to answer again, on the same try."""
    enrolment = actions.enrol(
        acting_user=users[Role.TEACHER], session=session, person=teacher_person
    )
    client = client_for(Role.TEACHER)
    url = reverse("training:test", args=[course.pk, "post"])
    assert client.get(url).status_code == 200
    rows = [{"text": q.text, "choices": q.choices, "correct": q.correct} for q in questions]
    rows[1]["text"] = "ข้อใดเป็นการเรียนรู้เชิงรุก (แก้คำผิด)"
    actions.save_questions(
        acting_user=users[Role.DEVELOPMENT_OFFICER], course=course, module=None, rows=rows
    )
    stale = {f"q{q.pk}": str(q.correct) for q in questions}
    page = client.post(url, stale)
    html = page.content.decode()
    assert page.status_code == 200 and "กรุณาตอบใหม่อีกครั้ง" in html and "ครั้งที่ 1" in html
    assert "แก้คำผิด" in html
    attempt = enrolment.attempts.get()
    assert attempt.submitted_at is None
    current = list(course.questions.filter(module=None))
    assert attempt.question_ids == [q.pk for q in current]
    done = client.post(url, {f"q{q.pk}": str(q.correct) for q in current}, follow=True)
    assert "ได้ 3/3 (100%)" in done.content.decode() and "None" not in done.content.decode()
    assert enrolment.attempts.count() == 1


def test_it_asks_for_the_survey_before_the_certificate(client_for, passed, course):
    client = client_for(Role.TEACHER)
    response = client.post(reverse("training:my_certificate", args=[course.pk]))
    assert response["Location"] == reverse("training:survey", args=[course.pk])
    items = actions.survey_items_for(course.office)
    client.post(reverse("training:survey", args=[course.pk]), {f"item{i.pk}": "4" for i in items})
    client.post(reverse("training:my_certificate", args=[course.pk]))
    cert = Certificate.objects.get(enrolment=passed)
    pdf = client.get(reverse("training:certificate_pdf", args=[cert.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_revoked_certificate_is_not_issued_again_by_the_holders_button(
    client_for, users, passed, course
):
    """The course page offered "รับเกียรติบัตร" again the moment the office revoked one,
    and pressing it issued a new valid certificate."""
    client = client_for(Role.TEACHER)
    items = actions.survey_items_for(course.office)
    client.post(reverse("training:survey", args=[course.pk]), {f"item{i.pk}": "4" for i in items})
    client.post(reverse("training:my_certificate", args=[course.pk]))
    cert = Certificate.objects.get(enrolment=passed)
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=cert, reason="ทุจริตการสอบ"
    )
    page = client.get(reverse("training:course_detail", args=[course.pk])).content.decode()
    assert "ถูกเพิกถอนเมื่อ" in page and "ทุจริตการสอบ" in page and "รับเกียรติบัตร</button>" not in page
    refused = client.post(reverse("training:my_certificate", args=[course.pk]), follow=True)
    assert "ถูกเพิกถอนแล้ว (ทุจริตการสอบ)" in refused.content.decode()
    assert list(passed.certificates.values_list("status", flat=True)) == ["revoked"]
    # The office may still issue it again, as a replacement of the revoked one, with a reason.
    new = actions.reissue_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=cert, reason="ตรวจสอบแล้วไม่ทุจริต"
    )
    assert new.status == "valid" and new.replaces == cert


def test_it_keeps_certificates_private_to_their_scope(
    client_for, cert, other_teacher, users, office
):
    from krupd.testing import make_user

    other = make_user("teacher2", Role.TEACHER, office, person=other_teacher)
    client = client_for(Role.TEACHER)
    client.force_login(other)
    assert client.get(reverse("training:certificate_pdf", args=[cert.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.SCHOOL_DIRECTOR] + OFFICE)
def test_it_lets_nominators_open_the_roster(client_for, role, session):
    assert client_for(role).get(reverse("training:roster", args=[session.pk])).status_code == 200
    assert client_for(role).get(reverse("training:nominate", args=[session.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.TEACHER, Role.SUPERVISOR, Role.INSPECTOR])
def test_it_refuses_the_roster_to_others(client_for, role, session):
    assert client_for(role).get(reverse("training:roster", args=[session.pk])).status_code == 403
    assert client_for(role).get(reverse("training:nominate", args=[session.pk])).status_code == 403


def test_it_lets_a_director_nominate_their_staff_through_the_page(
    client_for, session, teacher_person, other_teacher
):
    client = client_for(Role.SCHOOL_DIRECTOR)
    html = client.get(reverse("training:nominate", args=[session.pk])).content.decode()
    assert "สมศรี" in html and "สมชาย" not in html
    client.post(reverse("training:nominate", args=[session.pk]), {"people": [teacher_person.pk]})
    assert session.enrolments.get().source == "director"
    response = client.post(
        reverse("training:nominate", args=[session.pk]), {"people": [other_teacher.pk]}
    )
    assert (
        response.status_code == 200 and not session.enrolments.filter(person=other_teacher).exists()
    )


def test_a_nomination_sent_twice_is_taken_once_and_said_so(
    client_for, session, teacher_person, other_teacher
):
    """A double click (or Back and send again) on a nomination list: the second post named
    people now in the course, which the form refused as "มีรายชื่อที่เลือกไม่ได้ในหน้านี้
    (ลำดับที่ <an internal number>)". It is taken; nobody is enrolled twice."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:nominate", args=[session.pk])
    posted = {"people": [teacher_person.pk, other_teacher.pk]}
    first = client.post(url, posted, follow=True).content.decode()
    assert "ส่งรายชื่อแล้ว: ลงทะเบียนแล้ว 2 คน" in first
    again = client.post(url, posted, follow=True)
    html = again.content.decode()
    assert again.redirect_chain and "มีชื่อในหลักสูตรนี้อยู่แล้ว 2 คน (ไม่ส่งซ้ำ)" in html
    assert "เลือกไม่ได้ในหน้านี้" not in html and "ส่งรายชื่อแล้ว" not in html
    assert session.enrolments.count() == 2
    # The picker still offers only those not yet in the course.
    page = client.get(url).content.decode()
    assert teacher_person.full_name not in page


def test_a_nomination_everyone_is_refused_from_says_so_without_a_success(
    client_for, course, session, teacher_person
):
    """A finished course refuses the list: the page said "ส่งรายชื่อแล้ว: " (with nobody
    after it) in green beside the refusal."""
    course.status = "finished"
    course.save()
    client = client_for(Role.SCHOOL_DIRECTOR)
    page = client.post(
        reverse("training:nominate", args=[session.pk]),
        {"people": [teacher_person.pk]},
        follow=True,
    )
    html = page.content.decode()
    assert f"{teacher_person.full_name}: หลักสูตรนี้ไม่รับลงทะเบียน" in html
    assert "ส่งรายชื่อแล้ว" not in html
    assert not session.enrolments.exists()


def test_it_lets_only_the_office_approve(client_for, users, session, course, teacher_person):
    course.requires_approval = True
    course.save()
    e = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    url = reverse("training:enrolment_decide", args=[e.pk])
    assert client_for(Role.SCHOOL_DIRECTOR).post(url, {"approve": "1"}).status_code == 403
    assert client_for(Role.DEVELOPMENT_OFFICER).post(url, {"approve": "1"}).status_code == 302
    e.refresh_from_db()
    assert e.status == "enrolled"


def test_it_lets_a_teacher_cancel_only_their_own(
    client_for, users, session, teacher_person, other_teacher
):
    mine = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    theirs = actions.enrol(
        acting_user=users[Role.DEVELOPMENT_OFFICER], session=session, person=other_teacher
    )
    client = client_for(Role.TEACHER)
    assert client.post(reverse("training:enrolment_cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("training:enrolment_cancel", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "cancelled"


def test_it_shows_a_transcript_to_self_and_scope_only(
    client_for, passed, teacher_person, other_teacher
):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("training:my_transcript")).status_code == 302
    url = reverse("training:transcript", args=[teacher_person.pk])
    html = client.get(url, {"fy": 2569}).content.decode()
    assert passed.course.title in html
    assert client.get(url, {"fy": 2569, "format": "xlsx"}).status_code == 200
    assert client.get(url, {"fy": 2569, "format": "pdf"}).content.startswith(b"%PDF")
    assert client.get(reverse("training:transcript", args=[other_teacher.pk])).status_code == 404
    assert client_for(Role.INSPECTOR).get(url).status_code == 404


def test_it_confirms_follow_ups_by_a_director_not_the_teacher(client_for, users, passed, course):
    item = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=passed, use_level=3, report="ใช้ในชั้นเรียน"
    )
    url = reverse("training:follow_up_confirm", args=[item.pk])
    assert client_for(Role.TEACHER).post(url).status_code == 403
    assert client_for(Role.SCHOOL_DIRECTOR).post(url, {"note": "ยืนยัน"}).status_code == 302
    item.refresh_from_db()
    assert item.confirmed_at is not None


def test_it_runs_bulk_generation_and_polls_progress(
    client_for, cert, course, django_capture_on_commit_callbacks
):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit
        assert client.post(reverse("training:batch_start", args=[course.pk])).status_code == 302
    batch = course.batches.get()
    assert batch.status == "done"  # the test task backend runs it inline
    assert (
        "ดาวน์โหลด"
        in client.get(reverse("training:batch_progress", args=[batch.pk])).content.decode()
    )
    download = client.get(reverse("training:batch_download", args=[batch.pk]))
    assert download.status_code == 200
    assert (
        client_for(Role.SCHOOL_DIRECTOR)
        .get(reverse("training:batch_download", args=[batch.pk]))
        .status_code
        == 403
    )


def test_it_revokes_and_reissues_through_the_page(client_for, cert, course):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    client.post(reverse("training:certificate_reissue", args=[cert.pk]))
    new = Certificate.objects.get(replaces=cert)
    client.post(reverse("training:certificate_revoke", args=[new.pk]), {"reason": "ซ้ำ"})
    new.refresh_from_db()
    assert new.status == "revoked"
    assert (
        client_for(Role.TEACHER)
        .post(reverse("training:certificate_revoke", args=[cert.pk]), {"reason": "x"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("reason", ["ก" * 301, "ซ้ำ\x00"])
def test_a_revoke_reason_the_database_cannot_store_is_refused_in_thai(
    client_for, cert, course, reason
):
    """Past its 300-character column, or with a NUL pasted in: PostgreSQL refused the write
    with a server error after the certificate was locked."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = client.post(
        reverse("training:certificate_revoke", args=[cert.pk]), {"reason": reason}, follow=True
    )
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert "เหตุผล: " in page.content.decode()


def test_it_serves_the_api_scoped(client_for, cert, course, client):
    officer = client_for(Role.DEVELOPMENT_OFFICER)
    rows = officer.get("/api/training/results", {"fy": 2569}).json()
    assert rows[0]["participants"] == 1 and rows[0]["passed"] == 1
    assert officer.get("/api/training/courses", {"fy": 2569}).json()[0]["title"] == course.title
    teacher = client_for(Role.TEACHER)
    assert teacher.get("/api/training/results").status_code == 403
    assert teacher.get("/api/training/me/enrolments").json()[0]["passed"] is True
    client.logout()
    assert (
        client.get(f"/api/training/certificates/{cert.code}").json()["person_name"] == "นางสมศรี ใจดี"
    )
    assert client.get("/api/training/certificates/NOPE123456").status_code == 404
    assert client.get("/api/training/courses").status_code == 401


def test_the_api_says_when_a_certificate_has_expired(client, cert):
    """The page said "หมดอายุแล้ว"; the API answered "status": "valid" and nothing else."""
    answer = client.get(f"/api/training/certificates/{cert.code}").json()
    assert (answer["valid_until"], answer["expired"]) == (None, False)
    Certificate.objects.filter(pk=cert.pk).update(valid_until=cert.issued_on.replace(year=2000))
    answer = client.get(f"/api/training/certificates/{cert.code.lower()}").json()
    assert answer["expired"] is True and answer["valid_until"] == "2000-" + cert.issued_on.strftime(
        "%m-%d"
    )
    page = client.get(reverse("training_verify", args=[cert.code])).content.decode()
    assert "หมดอายุแล้ว" in page


def test_a_ce_year_in_the_address_opens_that_be_year(client_for):
    """The course list of ?fy=2026 is fiscal year 2569's, as a BE year box reads 2026 (it
    was this year's list, without a word)."""
    response = client_for(Role.DEVELOPMENT_OFFICER).get("/training/?fy=2026")
    assert response.context["fy"] == 2569
    assert "2569" in response.content.decode()


def test_a_refused_survey_keeps_the_answers_and_the_comment(client_for, users, session, course):
    teacher = users[Role.TEACHER]
    actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    client = client_for(Role.TEACHER)
    first, *rest = actions.survey_items_for(course.office)
    data = {f"item{first.pk}": "4", "comment": "อยากให้มีตัวอย่างมากขึ้น"}  # the rest unanswered
    html = client.post(reverse("training:survey", args=[course.pk]), data).content.decode()
    missing = ", ".join(str(n) for n in range(2, len(rest) + 2))
    assert f"กรุณาตอบทุกข้อ (1–5): ยังไม่ได้ตอบข้อ {missing}" in html
    assert f'name="item{first.pk}" value="4" required checked' in html
    assert f'name="item{rest[0].pk}" value="4" required>' in html  # not ticked
    assert ">อยากให้มีตัวอย่างมากขึ้น</textarea>" in html
    assert not hasattr(course.enrolments.get(), "survey")


@pytest.mark.parametrize(
    "comment, problem",
    [("ดีมาก\x00", "อักขระที่บันทึกไม่ได้"), ("ก" * 2001, "ยาวเกิน 2,000 ตัวอักษร")],
)
def test_a_survey_comment_that_cannot_be_stored_is_refused_in_thai(
    client_for, users, session, course, comment, problem
):
    """A NUL pasted into the comment was a server error on PostgreSQL."""
    teacher = users[Role.TEACHER]
    actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    items = actions.survey_items_for(course.office)
    data = {f"item{i.pk}": "5" for i in items} | {"comment": comment}
    html = client_for(Role.TEACHER).post(reverse("training:survey", args=[course.pk]), data)
    html = html.content.decode()
    assert f"ข้อเสนอแนะ: {problem}" in html or problem in html
    assert f'name="item{items[0].pk}" value="5" required checked' in html
    assert not hasattr(course.enrolments.get(), "survey")


def test_a_director_is_told_of_reports_waiting_and_confirms_them_from_one_list(
    client_for, users, passed, course
):
    item = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=passed, use_level=4, report="ใช้ในชั้นเรียน ป.4"
    )
    waiting = reverse("training:follow_ups_waiting")
    director = client_for(Role.SCHOOL_DIRECTOR)
    home = director.get("/").content.decode()
    assert f'<a href="{waiting}">รายงานการนำไปใช้ที่รอท่านรับรอง</a> <span class="badge' in home
    html = director.get(waiting).content.decode()
    assert "ใช้ในชั้นเรียน ป.4" in html and course.title in html
    confirmed = director.post(
        reverse("training:follow_up_confirm", args=[item.pk]), {"from": "waiting"}, follow=True
    )
    assert confirmed.redirect_chain[-1][0] == waiting
    assert "ไม่มีรายงานที่รอรับรอง" in confirmed.content.decode()
    assert "รายงานการนำไปใช้ที่รอท่านรับรอง" not in director.get("/").content.decode()
    item.refresh_from_db()
    assert item.confirmed_at is not None


def test_reports_waiting_stay_in_the_directors_school_and_away_from_teachers(
    client, users, passed, office, other_school
):
    from krupd.testing import make_user

    actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=passed, use_level=4, report="ใช้ในชั้นเรียน ป.4"
    )
    waiting = reverse("training:follow_ups_waiting")
    other = make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    client.force_login(other)
    assert "ใช้ในชั้นเรียน ป.4" not in client.get(waiting).content.decode()
    client.force_login(users[Role.TEACHER])
    assert client.get(waiting).status_code == 403
    client.force_login(users[Role.SUPERVISOR])
    assert "ใช้ในชั้นเรียน ป.4" in client.get(waiting).content.decode()


def test_a_refused_check_in_says_what_to_do_and_leads_on(client_for, session):
    token = actions.checkin_token(session.days.first())
    client = client_for(Role.TEACHER)  # not enrolled in this session
    html = client.post(reverse("training:checkin", args=[token])).content.decode()
    assert "คุณไม่ได้ลงทะเบียนในรุ่นนี้" in html
    assert "แจ้งเจ้าหน้าที่ให้เช็กชื่อแทน" in html
    assert f'href="{reverse("training:courses")}">ไปที่หลักสูตรการพัฒนา</a>' in html


def test_the_transcript_offers_each_certificate_beside_its_course(client_for, cert):
    html = client_for(Role.TEACHER).get(
        reverse("training:my_transcript"), {"fy": 2569}, follow=True
    )
    row = html.content.decode().split('id="certificates"')[1]
    pdf = reverse("training:certificate_pdf", args=[cert.pk])
    assert f'<td class="tr-files"><a role="button" class="outline" href="{pdf}">PDF</a>' in row
    assert row.index(cert.enrolment.course.title) < row.index(pdf) < row.index(cert.code)


def test_the_follow_up_pages_read_a_fixed_number_of_queries(client_for, users, session, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from krupd.testing import make_person
    from training.models import FollowUp

    officer = users[Role.DEVELOPMENT_OFFICER]
    pages = [
        reverse("training:follow_ups", args=[course.pk]),
        reverse("training:follow_ups_waiting"),
    ]
    client = client_for(Role.SUPERVISOR)

    def report_by(person):
        enrolment = actions.enrol(acting_user=officer, session=session, person=person)
        FollowUp.objects.create(enrolment=enrolment, use_level=3, report=f"ใช้แล้ว {person.pk}")

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    report_by(users[Role.TEACHER].person)
    one = counts()
    for n in range(2):  # office staff: their workplace is the office, not a school
        report_by(make_person(course.office, None, first_name=f"เจ้าหน้าที่{n}"))
    assert counts() == one


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: f" {code[:5].lower()} {code[5:]} ",  # spaces, lower case
        lambda code: f"{code[:5]}-{code[5:]}",  # written in two groups
        lambda code: f"{code[:5]}\u200b{code[5:]}\u00a0",  # pasted from a PDF or a chat
    ],
)
def test_it_reads_a_verification_code_typed_as_people_type_it(client, cert, typed):
    response = client.get(reverse("training:verify_lookup"), {"code": typed(cert.code)})
    assert response.status_code == 302
    assert response["Location"] == reverse("training_verify", args=[cert.code])


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: f"https://krupd.example.go.th/verify/{code}/",  # what the QR opens
        lambda code: f"http://127.0.0.1:8000/verify/{code.lower()}",
        lambda code: f"รหัสตรวจสอบ: {code}",  # copied from the certificate with its label
        lambda code: f"รหัสตรวจสอบ {code[:5]} {code[5:]}",
        lambda code: code.translate({ord(c): ord(c) + 0xFEE0 for c in code}),  # full width
    ],
)
def test_it_reads_the_code_in_a_pasted_address_or_after_its_label(client, cert, typed):
    """The verification address pasted whole was refused as a certificate number ("… เป็น
    เลขที่เกียรติบัตร"), and the code copied with its printed label as a Thai keyboard's."""
    response = client.get(reverse("training:verify_lookup"), {"code": typed(cert.code)})
    assert response.status_code == 302
    assert response["Location"] == reverse("training_verify", args=[cert.code])


def test_an_address_with_no_code_is_not_called_a_certificate_number(client):
    response = client.get(reverse("training:verify_lookup"), {"code": "https://krupd.go.th/"})
    html = response.content.decode()
    assert response.status_code == 400 and "เป็นเลขที่เกียรติบัตร" not in html
    assert "รหัสตรวจสอบมีเฉพาะตัวอักษรภาษาอังกฤษและตัวเลข" in html


def test_it_refuses_a_certificate_number_in_the_code_box_in_thai(client, cert):
    """The number (2569/…/0001) typed where the code goes opened a server error."""
    response = client.get(reverse("training:verify_lookup"), {"code": cert.number})
    html = response.content.decode()
    assert response.status_code == 400
    assert "เป็นเลขที่เกียรติบัตร" in html and "รหัสตรวจสอบ" in html
    assert f'value="{cert.number}"' in html  # what was typed stays in the box
    assert cert.person_name not in html  # a number shows nobody's certificate


def test_it_refuses_a_code_typed_on_a_thai_keyboard_in_thai(client, cert):
    response = client.get(reverse("training:verify_lookup"), {"code": "ฟหกดเ่าสวง"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "แป้นพิมพ์เป็นภาษาอังกฤษ" in html and 'value="ฟหกดเ่าสวง"' in html


@given(
    code=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=10, max_size=12),
    gaps=st.lists(st.sampled_from([" ", "-", "\u200b", "\u00a0", "\ufeff", "\t", "–"]), max_size=4),
    lower=st.booleans(),
)
def test_typed_code_reads_any_code_with_any_gaps(code, gaps, lower):
    typed = "".join(
        ch + (gaps[i] if i < len(gaps) else "")
        for i, ch in enumerate(code.lower() if lower else code)
    )
    assert typed_code(typed) == (code, "")


def test_certificate_standing_reads_the_valid_one_or_the_last_revoked(users, passed):
    """From one statement: no certificate; the last of two revocations (a replaced one is
    neither); and once reissued, the valid one with no revoked one beside it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training import queries

    officer = users[Role.DEVELOPMENT_OFFICER]
    assert queries.certificate_standing(passed) == (None, None)
    first = actions.issue_certificate(acting_user=officer, enrolment=passed)
    actions.revoke_certificate(acting_user=officer, certificate=first, reason="ครั้งแรก")
    second = actions.reissue_certificate(acting_user=officer, certificate=first, reason="ตรวจแล้ว")
    actions.revoke_certificate(acting_user=officer, certificate=second, reason="ครั้งที่สอง")
    with CaptureQueriesContext(connection) as read:
        valid, revoked = queries.certificate_standing(passed)
    assert len(read) == 1
    assert valid is None and revoked.pk == second.pk and revoked.revoke_reason == "ครั้งที่สอง"
    third = actions.reissue_certificate(acting_user=officer, certificate=second, reason="ตรวจอีกครั้ง")
    assert queries.certificate_standing(passed) == (third, None)


def _expire(cert) -> None:
    Certificate.objects.filter(pk=cert.pk).update(valid_until=cert.issued_on.replace(year=2000))


@pytest.mark.parametrize("role", OFFICE)
def test_the_officers_list_shows_each_certificates_standing_not_valid_for_all(
    client_for, role, cert, users
):
    """A certificate waiting for review or past its validity showed a green "ใช้ได้" badge."""
    url = reverse("training:certificates", args=[cert.enrolment.course_id])
    client = client_for(role)
    assert 'data-standing="valid">ใช้ได้<' in client.get(url).content.decode()
    Certificate.objects.filter(pk=cert.pk).update(needs_review=True, review_reason="ไม่ผ่าน")
    html = client.get(url).content.decode()
    assert 'badge-warn" data-standing="under_review">อยู่ระหว่างการตรวจสอบ<' in html
    assert 'data-standing="valid"' not in html
    Certificate.objects.filter(pk=cert.pk).update(needs_review=False)
    _expire(cert)
    html = client.get(url).content.decode()
    assert 'badge-warn" data-standing="expired">หมดอายุแล้ว<' in html
    new = actions.reissue_certificate(acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=cert)
    html = client.get(url).content.decode()
    assert 'badge-bad" data-standing="replaced">ยกเลิก มีฉบับใหม่ออกแทนแล้ว<' in html
    assert new.code in html


@pytest.mark.parametrize("role", NOT_OFFICE)
def test_the_officers_certificate_list_is_refused_to_others(client_for, role, cert):
    url = reverse("training:certificates", args=[cert.enrolment.course_id])
    assert client_for(role).get(url).status_code == 403


def test_the_holder_sees_an_expired_certificate_as_expired(client_for, cert):
    """The transcript and the course page offered an expired certificate as if current."""
    _expire(cert)
    teacher = client_for(Role.TEACHER)
    record = teacher.get(reverse("training:my_transcript"), {"fy": 2569}, follow=True)
    row = record.content.decode().split('id="certificates"')[1]
    assert "หมดอายุแล้ว" in row and "ใช้ได้ถึงวันที่" in row
    course = teacher.get(reverse("training:course_detail", args=[cert.enrolment.course_id]))
    assert 'id="certificate-expired"' in course.content.decode()


def test_the_batch_list_says_each_certificates_standing(users, cert):
    import zipfile

    _expire(cert)
    batch = actions.start_certificate_batch(
        acting_user=users[Role.DEVELOPMENT_OFFICER], course=cert.enrolment.course
    )
    batch = actions.run_certificate_batch(batch_id=batch.pk)
    with zipfile.ZipFile(actions.batch_dir() / batch.file_name) as zf:
        listed = zf.read("certificates.csv").decode("utf-8-sig").splitlines()
    assert listed[0].endswith(",สถานะ")
    assert listed[1].startswith(cert.number) and listed[1].endswith(",หมดอายุแล้ว")


def test_attendance_corrected_after_issue_puts_the_verification_page_under_review(
    client, cert, users, session
):
    """The holder's attendance falls below the course's 80 % after the certificate was issued:
    the page a QR opens said "✓ … ยังใช้ได้" while the officer had not yet decided."""
    last = session.days.order_by("date").last()
    actions.roll_call(acting_user=users[Role.DEVELOPMENT_OFFICER], day=last, present_ids=set())
    cert.refresh_from_db()
    assert cert.needs_review and cert.status == "valid"
    html = client.get(reverse("training_verify", args=[cert.code])).content.decode()
    assert "อยู่ระหว่างการตรวจสอบของสำนักงาน" in html and "ยังใช้ได้" not in html
    assert "50%" not in html  # the holder's attendance is not the public's


@pytest.mark.parametrize("typed", ["ฟหกดเ่าสวง", "ABC$&*()", "<b>X"])
def test_a_code_that_cannot_be_one_in_the_address_says_why_in_thai(client, typed):
    """The QR's address typed by hand on a Thai keyboard said only "ไม่พบเกียรติบัตรรหัส …";
    the lookup form already said what is wrong with it."""
    response = client.get(f"/verify/{typed}/")
    html = response.content.decode()
    assert response.status_code == 404 and 'role="alert"' in html
    assert "รหัสตรวจสอบมีเฉพาะตัวอักษรภาษาอังกฤษและตัวเลข" in html
    assert "ไม่พบเกียรติบัตรรหัส" not in html and "<b>X" not in html


def test_a_certificate_its_result_does_not_support_is_the_officers_to_decide(
    client_for, client, cert, users
):
    """A certificate whose holder's result is not a pass, not flagged (it reached the register
    some other way than the actions): the public page says under review, so the officer's
    list says so too, lists it to decide, leaves it out of the course's batch, and keeping it
    makes it valid everywhere. It was shown as valid to the officer, with nothing to decide."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    type(cert.enrolment).objects.filter(pk=cert.enrolment_id).update(passed=False, result="failed")
    url = reverse("training:certificates", args=[cert.enrolment.course_id])
    page = client_for(Role.DEVELOPMENT_OFFICER).get(url)
    html = page.content.decode()
    assert 'data-standing="under_review"' in html and 'data-standing="valid"' not in html
    assert [c.pk for c in page.context["flagged"]] == [cert.pk]
    batch = actions.start_certificate_batch(acting_user=officer, course=cert.enrolment.course)
    assert actions.run_certificate_batch(batch_id=batch.pk).total == 0
    actions.keep_certificate(acting_user=officer, certificate=cert, note="ผ่านตามเกณฑ์เดิม")
    verify = client.get(reverse("training_verify", args=[cert.code])).content.decode()
    assert "✓ เกียรติบัตรฉบับนี้ออกโดยระบบจริงและยังใช้ได้" in verify
    assert not client_for(Role.DEVELOPMENT_OFFICER).get(url).context["flagged"]


def test_who_is_not_yet_developed_is_named_by_school(
    client_for, passed, office, school, other_teacher
):
    """ "% developed" gave a school's counts only: a director could not see who, of the staff
    it counts, was still to be developed this year. A school's row opens their names with
    their hours so far (the director's one school at once); an inspector still counts only."""
    from krupd.testing import make_person

    behind = make_person(office, school, first_name="มานี", last_name="ยังไม่อบรม")
    fy = {"fy": passed.credit_fiscal_year}
    url = reverse("training:developed")
    html = client_for(Role.SCHOOL_DIRECTOR).get(url, fy).content.decode()
    names = html[html.index('id="not-developed"') :]
    assert "ยังไม่ได้รับการพัฒนา · โรงเรียนบ้านหนองไผ่ (1 คน)" in names
    assert behind.full_name in names
    assert reverse("training:transcript", args=[behind.pk]) in names
    assert passed.person.full_name not in names and other_teacher.full_name not in names

    officer = client_for(Role.DEVELOPMENT_OFFICER)
    html = officer.get(url, fy).content.decode()
    assert f"school={other_teacher.school_id}#not-developed" in html
    assert 'id="not-developed"' not in html  # nothing opened yet
    html = officer.get(url, {**fy, "school": other_teacher.school_id}).content.decode()
    names = html[html.index('id="not-developed"') :]
    assert other_teacher.full_name in names and behind.full_name not in names

    html = client_for(Role.INSPECTOR).get(url, {**fy, "school": school.pk}).content.decode()
    assert 'id="not-developed"' not in html and behind.full_name not in html


def test_my_transcript_keeps_the_rest_of_the_link_when_it_redirects(client_for, teacher_person):
    client = client_for(Role.TEACHER)
    response = client.get(reverse("training:my_transcript"), {"format": "pdf", "digits": "thai"})
    url = reverse("training:transcript", args=[teacher_person.pk])
    assert response.status_code == 302
    assert response["Location"].startswith(f"{url}?")
    assert "format=pdf" in response["Location"] and "digits=thai" in response["Location"]
    pdf = client.get(reverse("training:my_transcript"), {"format": "pdf"}, follow=True)
    assert pdf["Content-Type"] == "application/pdf"
