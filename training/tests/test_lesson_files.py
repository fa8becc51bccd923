"""Lesson attachments: downloadable by the course's enrolled learners (module unlocked) and
the office that runs it, refused to everyone else, never served from a public /media/ URL."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from krupd.testing import make_user
from training import actions
from training.models import Course, Lesson, Module, Session

pytestmark = pytest.mark.django_db

T, OF, A = Role.TEACHER, Role.DEVELOPMENT_OFFICER, Role.OFFICE_ADMIN
PDF = b"%PDF-1.4 lesson handout"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def course(office, users):
    course = Course.objects.create(
        office=office, title="e-Training สื่อดิจิทัล", mode="online", hours=6, fiscal_year=2569
    )
    first = Module.objects.create(course=course, order=1, title="หน่วย 1")
    second = Module.objects.create(course=course, order=2, title="หน่วย 2")
    Lesson.objects.create(
        module=first, order=1, title="บทนำ", file=SimpleUploadedFile("ใบงาน 1.pdf", PDF)
    )
    Lesson.objects.create(
        module=second, order=1, title="บทที่ 2", file=SimpleUploadedFile('notes"2.pdf', PDF)
    )
    Lesson.objects.create(module=first, order=2, title="ไม่มีไฟล์")
    # A second (locked) module needs a quiz on the first one to stay locked.
    first.questions.create(course=course, text="ข้อใดถูก", choices=["ก", "ข"], correct=1)
    session = actions.save_session(
        acting_user=users[OF],
        session=Session(course=course, start_date=dt.date(2026, 1, 1),
                        end_date=dt.date(2026, 1, 1), capacity=1),
    )  # fmt: skip
    return course, session


def lessons(course):
    return {lesson.title: lesson for lesson in Lesson.objects.filter(module__course=course)}


def url(lesson):
    return f"/training/lessons/{lesson.pk}/file/"


def test_an_enrolled_learner_downloads_the_file_under_a_safe_name(
    client_for, users, teacher_person, course
):
    course, session = course
    actions.enrol(acting_user=users[T], session=session, person=teacher_person)
    intro = lessons(course)["บทนำ"]
    response = client_for(T).get(url(intro))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition and "%E0%B9%83" in disposition  # ใ, encoded
    assert "/" not in disposition.split("''", 1)[1]  # no folder from the storage path
    assert response["Cache-Control"] == "private, no-store"
    lesson_page = client_for(T).get(f"/training/lessons/{intro.pk}/").content.decode()
    assert url(intro) in lesson_page and "/media/" not in lesson_page


@pytest.mark.parametrize("role", [OF, A])
def test_the_office_downloads_every_lesson_file_even_a_locked_one(client_for, course, role):
    course, _ = course
    locked = lessons(course)["บทที่ 2"]
    response = client_for(role).get(url(locked))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and '\\"' not in disposition
    assert 'filename="notes2.pdf"' in disposition  # the quote is dropped, not escaped


def test_a_locked_module_file_is_refused_to_the_learner(client_for, users, teacher_person, course):
    course, session = course
    actions.enrol(acting_user=users[T], session=session, person=teacher_person)
    assert client_for(T).get(url(lessons(course)["บทที่ 2"])).status_code == 403


def test_people_who_are_not_enrolled_are_refused(
    client, client_for, users, office, other_teacher, teacher_person, course
):
    course, session = course
    intro = lessons(course)["บทนำ"]
    assert client_for(T).get(url(intro)).status_code == 403  # sees the course, not enrolled
    for role in (Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.INSPECTOR):
        assert client_for(role).get(url(intro)).status_code == 403
    # Wait-listed (the only seat is taken) is not enrolled either.
    actions.enrol(acting_user=users[T], session=session, person=teacher_person)
    waiting = make_user("teacher2", T, office, person=other_teacher)
    enrolment = actions.enrol(acting_user=waiting, session=session, person=other_teacher)
    assert enrolment.status == "waitlisted"
    client.force_login(waiting)
    assert client.get(url(intro)).status_code == 403


def test_out_of_scope_missing_and_anonymous_requests_get_nothing(
    client, client_for, users, other_office, course
):
    course, _ = course
    intro = lessons(course)["บทนำ"]
    client.force_login(make_user("officer_x", OF, other_office))
    assert client.get(url(intro)).status_code == 404  # another office's course
    client.logout()
    anonymous = client.get(url(intro))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    officer = client_for(OF)
    assert officer.get(url(lessons(course)["ไม่มีไฟล์"])).status_code == 404
    assert officer.get("/training/lessons/999999/file/").status_code == 404
    intro.file.storage.delete(intro.file.name)
    assert officer.get(url(intro)).status_code == 404  # file gone from disk: 404, not 500


def test_media_files_are_not_served_publicly(client, course, media):
    course, _ = course
    intro = lessons(course)["บทนำ"]
    assert (media / intro.file.name).exists()
    assert client.get(f"/media/{intro.file.name}").status_code == 404
