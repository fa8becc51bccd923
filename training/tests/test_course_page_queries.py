"""The course page and a module page read a fixed number of rows whatever the number of
modules and lessons (a 20-module course was seen at 668 queries)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from training import actions
from training.models import Course, Lesson, Module, Question, Session

pytestmark = pytest.mark.django_db


def _course(office, users, teacher_person, modules: int):
    course = Course.objects.create(office=office, title=f"e-Training {modules} หน่วย",
                                   mode="online", hours=20, fiscal_year=2569,
                                   test_days_after_end=3650)  # fmt: skip
    for order in range(1, modules + 1):
        module = Module.objects.create(course=course, order=order, title=f"หน่วย {order}")
        for n in (1, 2):
            Lesson.objects.create(module=module, order=n, title=f"บท {order}.{n}", body="เนื้อหา")
        Question.objects.create(course=course, module=module, text="ข้อใดถูก",
                                choices=["ก", "ข"], correct=1)  # fmt: skip
    Question.objects.create(course=course, text="สอบปลายหลักสูตร", choices=["ถูก", "ผิด"], correct=0)
    session = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, start_date=dt.date(2026, 1, 1),
                        end_date=dt.date(2026, 1, 1), capacity=100),
    )  # fmt: skip
    actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    return course


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_course_and_module_pages_do_not_grow_with_modules(
    client_for, office, users, teacher_person
):
    client = client_for(Role.TEACHER)
    small = _course(office, users, teacher_person, 2)
    large = _course(office, users, teacher_person, 20)
    client.get(reverse("training:course_detail", args=[small.pk]))  # the session's first read
    assert _queries(client, reverse("training:course_detail", args=[large.pk])) == _queries(
        client, reverse("training:course_detail", args=[small.pk])
    )
    first_small, first_large = small.modules.first(), large.modules.first()
    assert _queries(client, reverse("training:module", args=[first_large.pk])) == _queries(
        client, reverse("training:module", args=[first_small.pk])
    )


def test_the_course_page_reads_the_modules_and_the_follow_up_once(
    client_for, office, users, teacher_person
):
    """The module list the page shows is the one the learner's evidence is judged on, the
    follow-up the evidence read is the one the page shows, and the test buttons count the
    attempts the evidence read."""
    client = client_for(Role.TEACHER)
    course = _course(office, users, teacher_person, 3)
    url = reverse("training:course_detail", args=[course.pk])
    client.get(url)  # the session's first read
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "training_module"' in sql for sql in sqls) == 1
    assert sum('FROM "training_followup"' in sql for sql in sqls) == 1
    # The attempts themselves, read once (the session's statement asks only whether the
    # course has a recorded post-test, inside an EXISTS).
    assert sum(sql.startswith('SELECT "training_testattempt".') for sql in sqls) == 1
