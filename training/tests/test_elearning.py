"""Self-paced online courses: sequential unlocking, saved progress, attempt limits that
survive leaving, and completion issuing the certificate."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from training import actions, results
from training.actions import TrainingError
from training.models import Certificate, Course, Lesson, Module, Question, Session
from training.models import TestKind as Kind

from .conftest import study

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(office, users, teacher_person):
    course = Course.objects.create(office=office, title="e-Training การออกแบบการเรียนรู้",
                                   mode="online", hours=20, fiscal_year=2569,
                                   test_days_after_end=3650)  # fmt: skip
    for order in (1, 2):
        module = Module.objects.create(
            course=course, order=order, title=f"หน่วย {order}", quiz_attempts=2
        )
        Lesson.objects.create(module=module, order=1, title=f"บทเรียน {order}", body="เนื้อหา")
        Question.objects.create(
            course=course, module=module, text="ข้อใดถูก", choices=["ก", "ข"], correct=1
        )
    Question.objects.create(course=course, text="สอบปลายหลักสูตร", choices=["ถูก", "ผิด"], correct=0)
    session = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(
            course=course,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 1, 1),
            capacity=100,
        ),
    )
    enrolment = actions.enrol(
        acting_user=users[Role.TEACHER], session=session, person=teacher_person
    )
    return course, enrolment


def pass_module(user, enrolment, module):
    for lesson in module.lessons.all():
        study(user, enrolment, lesson, minutes=enrolment.course.min_lesson_minutes)
        actions.complete_lesson(acting_user=user, enrolment=enrolment, lesson=lesson)
    attempt = actions.start_attempt(
        acting_user=user, enrolment=enrolment, kind=Kind.MODULE, module=module
    )
    q = module.questions.get()
    return actions.submit_attempt(acting_user=user, attempt=attempt, answers={str(q.pk): q.correct})


def test_it_unlocks_modules_in_order_and_issues_the_certificate_on_completion(users, online):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    first, second = course.modules.all()
    with pytest.raises(TrainingError):
        actions.complete_lesson(
            acting_user=teacher, enrolment=enrolment, lesson=second.lessons.get()
        )
    pass_module(teacher, enrolment, first)
    assert actions.module_done(enrolment, first) and actions.module_unlocked(enrolment, second)
    pass_module(teacher, enrolment, second)
    final = actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    q = course.questions.get(module__isnull=True)
    actions.submit_attempt(acting_user=teacher, attempt=final, answers={str(q.pk): 0})
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.hours_credited == 20
    assert Certificate.objects.get(enrolment=enrolment).status == "valid"


def test_reviewing_a_lesson_after_a_revocation_issues_no_new_certificate(users, online):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    for module in course.modules.all():
        pass_module(teacher, enrolment, module)
    final = actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    q = course.questions.get(module__isnull=True)
    actions.submit_attempt(acting_user=teacher, attempt=final, answers={str(q.pk): 0})
    cert = Certificate.objects.get(enrolment=enrolment)
    actions.revoke_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=cert, reason="ให้ผู้อื่นเรียนแทน"
    )
    lesson = course.modules.first().lessons.get()
    actions.complete_lesson(acting_user=teacher, enrolment=enrolment, lesson=lesson)  # ทบทวน
    assert list(enrolment.certificates.values_list("status", flat=True)) == ["revoked"]


def test_it_holds_attempt_limits_when_the_learner_leaves_and_returns(users, online):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    module = course.modules.first()
    study(teacher, enrolment, module.lessons.get(), minutes=course.min_lesson_minutes)
    actions.complete_lesson(acting_user=teacher, enrolment=enrolment, lesson=module.lessons.get())
    for _ in range(2):
        attempt = actions.start_attempt(
            acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
        )
        # Leaving and opening the quiz again continues the same attempt.
        assert (
            actions.start_attempt(
                acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
            ).pk
            == attempt.pk
        )
        actions.submit_attempt(acting_user=teacher, attempt=attempt, answers={})
    with pytest.raises(TrainingError, match="ครบ"):
        actions.start_attempt(
            acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
        )


def test_it_serves_module_pages_to_the_learner_only(client_for, users, online):
    course, enrolment = online
    first, second = course.modules.all()
    client = client_for(Role.TEACHER)
    assert client.get(reverse("training:module", args=[first.pk])).status_code == 200
    assert client.get(reverse("training:module", args=[second.pk])).status_code == 302  # locked
    lesson = first.lessons.get()
    assert client.get(reverse("training:lesson", args=[lesson.pk])).status_code == 200
    assert client.post(reverse("training:lesson_time", args=[lesson.pk])).json() == {
        "minutes_left": course.min_lesson_minutes,
        "watched_pct": None,
        "unmet": ["ยังอ่านเนื้อหาไม่ถึงท้ายบท"],
        "ready": False,
    }
    refused = client.post(reverse("training:lesson_done", args=[lesson.pk]), follow=True)
    assert "ต้องเรียนอย่างน้อย" in refused.content.decode()
    assert enrolment.lessons_done.get().completed_at is None
    study(users[Role.TEACHER], enrolment, lesson, minutes=course.min_lesson_minutes)
    client.post(reverse("training:lesson_done", args=[lesson.pk]))
    assert enrolment.lessons_done.get().completed_at is not None
    assert (
        client.get(
            reverse("training:module_test", args=[course.pk, "module", first.pk])
        ).status_code
        == 200
    )
    assert (
        client_for(Role.SUPERVISOR).get(reverse("training:module", args=[first.pk])).status_code
        == 403
    )
    supervisor = client_for(Role.SUPERVISOR)
    assert supervisor.get(reverse("training:lesson", args=[lesson.pk])).status_code == 403
    assert supervisor.post(reverse("training:lesson_time", args=[lesson.pk])).status_code == 403


def _final_tests(enrolment) -> actions.FinalTests:
    """actions.final_tests, checked to say the same from the enrolment's evidence."""
    tests = actions.final_tests(enrolment)
    assert actions.final_tests(enrolment, results.gather(enrolment)) == tests
    return tests


def test_the_course_page_counts_pre_and_post_test_attempts_left(users, online, client_for):
    """actions.final_tests (one query) agrees with attempts_left, and closes the pre-test
    once the post-test is started; from the evidence the course page has read (no query of
    its own) it says the same."""
    course, enrolment = online
    teacher = users[Role.TEACHER]
    assert _final_tests(enrolment) == actions.FinalTests(
        pre_done=False, pre_left=1, post_left=course.post_test_attempts
    )
    pre = actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.PRE)
    assert _final_tests(enrolment).pre_done is False  # opened, not yet submitted
    actions.submit_attempt(acting_user=teacher, attempt=pre, answers={})
    tests = _final_tests(enrolment)
    assert (tests.pre_done, tests.pre_left) == (True, actions.attempts_left(enrolment, Kind.PRE))
    assert tests.post_left == actions.attempts_left(enrolment, Kind.POST)
    for module in course.modules.all():
        pass_module(teacher, enrolment, module)
    actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    tests = _final_tests(enrolment)
    assert tests.post_left == actions.attempts_left(enrolment, Kind.POST)
    assert tests.post_left == course.post_test_attempts - 1
    page = client_for(Role.TEACHER).get(reverse("training:course_detail", args=[course.pk]))
    assert f"เหลือ {tests.post_left} ครั้ง" in page.content.decode()


def test_a_passed_module_leads_to_the_next_one_and_the_last_back_to_the_final_test(
    client_for, users, online
):
    course, enrolment = online
    first, second = course.modules.all()
    client = client_for(Role.TEACHER)
    assert (
        'id="next-step"'
        not in client.get(reverse("training:module", args=[first.pk])).content.decode()
    )
    pass_module(users[Role.TEACHER], enrolment, first)
    html = client.get(reverse("training:module", args=[first.pk])).content.decode()
    assert f'href="{reverse("training:module", args=[second.pk])}">ไปหน่วยที่ 2 หน่วย 2</a>' in html
    pass_module(users[Role.TEACHER], enrolment, second)
    html = client.get(reverse("training:module", args=[second.pk])).content.decode()
    back = reverse("training:course_detail", args=[course.pk])
    assert f'href="{back}#my-enrolment">ผ่านครบทุกหน่วยแล้ว ไปทำแบบทดสอบหลังเรียน</a>' in html
    course_page = client.get(back).content.decode()
    assert course_page.count(">ทบทวน</a>") == 2


def test_the_officer_builds_a_course_on_one_page_and_opens_it_there(client_for, office):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(
        reverse("training:course_create"),
        {"title": "การใช้ AI ช่วยออกแบบการสอน", "mode": "online", "hours": "๖",
         "fiscal_year": "2570", "min_attendance_pct": "80", "min_post_test_pct": "60",
         "post_test_attempts": "2", "self_enrol": "on", "status": "open"},
    )  # fmt: skip
    course = Course.objects.get(title="การใช้ AI ช่วยออกแบบการสอน")
    page = reverse("training:modules_manage", args=[course.pk])
    assert response["Location"] == page and course.status == "draft"
    # The course page tells the officer that it is a draft, what it lacks, and where to go.
    html = client.get(reverse("training:course_detail", args=[course.pk])).content.decode()
    assert "หลักสูตรนี้ยังเป็นร่าง" in html and "ยังไม่มีหน่วยการเรียน" in html
    html = client.get(page).content.decode()
    assert "ยังไม่มีหน่วยการเรียน" in html and 'name="open_course"' not in html
    assert 'name="m-order" value="1"' in html  # the next number, not a blank box
    client.post(page, {"add_module": "1", "m-order": "1", "m-title": "รู้จัก AI",
                       "m-quiz_pass_pct": "60", "m-quiz_attempts": "3"})  # fmt: skip
    client.post(page, {"add_module": "1", "m-order": "2", "m-title": "AI ในห้องเรียน",
                       "m-quiz_pass_pct": "60", "m-quiz_attempts": "3"})  # fmt: skip
    first, second = course.modules.all()
    html = client.get(page).content.decode()
    assert f'<option value="{second.pk}" selected>' in html and 'name="m-order" value="3"' in html
    # A refused lesson keeps the module it was for.
    refused = client.post(page, {"add_lesson": "1", "module": str(first.pk), "l-order": "1",
                                 "l-title": "วิดีโอแนะนำ", "l-video_url": "not a url"})  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 200 and f'<option value="{first.pk}" selected>' in html
    for module in (first, second):
        client.post(page, {"add_lesson": "1", "module": str(module.pk), "l-order": "1",
                           "l-title": "บทเรียน", "l-body": "เนื้อหา"})  # fmt: skip
        saved = client.post(
            reverse("training:module_questions", args=[course.pk, module.pk]),
            {"text": "1. ข้อใดถูก\n*ก. ถูก\nข. ผิด"},
        )
        assert saved["Location"] == page  # back to building the course
    html = client.get(page).content.decode()
    assert "ยังไม่มีแบบทดสอบหลังเรียน" in html and 'name="open_course"' not in html
    saved = client.post(
        reverse("training:questions", args=[course.pk]), {"text": "1. ข้อใดถูก\n*ก. ถูก\nข. ผิด"}
    )
    assert saved["Location"] == page
    html = client.get(page).content.decode()
    assert "ก่อนเปิดรับสมัคร" not in html and 'name="open_course"' in html
    opened = client.post(page, {"open_course": "1"})
    assert opened["Location"] == reverse("training:session_create", args=[course.pk])
    course.refresh_from_db()
    assert course.status == "open"


def test_a_module_or_lesson_number_taken_is_refused_in_thai(client_for, online):
    """A double click on "เพิ่มหน่วย" added the module twice (one more to complete), and two
    modules numbered 1 read the same in every result's reasons."""
    course, enrolment = online
    page = reverse("training:modules_manage", args=[course.pk])
    client = client_for(Role.DEVELOPMENT_OFFICER)
    posted = {"add_module": "1", "m-order": "๒", "m-title": "หน่วยซ้ำ", "m-quiz_pass_pct": "60",
              "m-quiz_attempts": "3"}  # fmt: skip
    html = client.post(page, posted).content.decode()
    assert "หลักสูตรนี้มีหน่วยที่ 2 แล้ว (“หน่วย 2”) ใช้ลำดับอื่น" in html and 'value="หน่วยซ้ำ"' in html
    first = course.modules.first()
    lesson = {"add_lesson": "1", "module": str(first.pk), "l-order": "1", "l-title": "บทซ้ำ"}
    html = client.post(page, lesson).content.decode()
    assert "หน่วยที่ 1 มีบทที่ 1 แล้ว (“บทเรียน 1”) ใช้ลำดับอื่น" in html
    assert course.modules.count() == 2 and first.lessons.count() == 1


def test_only_the_office_builds_courses(client_for, online):
    course, _enrolment = online
    page = reverse("training:modules_manage", args=[course.pk])
    for role in (Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.SUPERVISOR):
        assert client_for(role).post(page, {"open_course": "1"}).status_code in (403, 404)


def test_the_post_test_opens_when_every_module_is_done(client_for, users, online):
    """The post-test ends an online course: taken first, it could pass the course on the test
    alone. Refused (action and page) naming the modules left, until they are all done."""
    course, enrolment = online
    teacher = users[Role.TEACHER]
    first, second = course.modules.all()
    with pytest.raises(TrainingError, match="ยังเหลือหน่วยที่ 1, 2"):
        actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    client = client_for(Role.TEACHER)
    page = reverse("training:course_detail", args=[course.pk])
    post_test = reverse("training:test", args=[course.pk, "post"])
    html = client.get(page).content.decode()
    assert 'id="post-test-locked"' in html and f'href="{post_test}"' not in html
    pass_module(teacher, enrolment, first)
    followed = client.get(post_test, follow=True).content.decode()
    assert "ยังเหลือหน่วยที่ 2)" in followed
    assert not enrolment.attempts.filter(kind=Kind.POST).exists()
    pass_module(teacher, enrolment, second)
    html = client.get(page).content.decode()
    assert 'id="post-test-locked"' not in html and f'href="{post_test}"' in html
    assert actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
