"""Demo training data for the demo office: courses modelled on the SAR's methods and
results table (e-Training, seminars, workshops, study visit, practicum, PLC, coaching),
with enrolments, attendance, pre/post tests, surveys, follow-ups and certificates.

Deterministic for a given seed. Runs through actions.py, like the pages do, so the demo
shows exactly what real use produces.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year
from registry.models import Office, Person, PersonnelType

from . import actions
from .models import (
    Course,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    Module,
    Question,
    Session,
    SurveyAnswer,
    SurveyResponse,
    TestAttempt,
    TestKind,
)

QUESTIONS = [
    (
        "PLC ย่อมาจากข้อใด",
        [
            "Professional Learning Community",
            "Public Learning Center",
            "Primary Level Class",
            "Personal Learning Course",
        ],
        0,
    ),  # fmt: skip
    (
        "ข้อใดเป็นลักษณะของการจัดการเรียนรู้เชิงรุก",
        ["ครูบรรยายตลอดคาบ", "ผู้เรียนลงมือทำและสะท้อนคิด", "ผู้เรียนจดตามกระดาน", "ทดสอบท้ายบทเท่านั้น"],
        1,
    ),  # fmt: skip
    (
        "คำถามข้อใดกระตุ้นการคิดขั้นสูง",
        ["ใครเป็นผู้แต่ง", "เกิดขึ้นเมื่อใด", "ถ้าเปลี่ยนเงื่อนไข ผลจะเป็นอย่างไร เพราะเหตุใด", "มีกี่ข้อ"],
        2,
    ),  # fmt: skip
    (
        "การประเมินตามสภาพจริงเน้นสิ่งใด",
        ["การสอบปรนัย", "ชิ้นงานและการปฏิบัติจริง", "การท่องจำ", "การจัดอันดับ"],
        1,
    ),  # fmt: skip
    (
        "ข้อตกลงในการพัฒนางาน (PA) ใช้รอบการประเมินใด",
        ["ปีการศึกษา", "ปีปฏิทิน", "ปีงบประมาณ", "ภาคเรียนเดียว"],
        2,
    ),  # fmt: skip
]

# (title, mode, hours, days, capacity, participants, pass rate, with tests, start offset in days)
COURSES = [
    (
        "พัฒนาข้าราชการครูและบุคลากรทางการศึกษาด้วยระบบ e-Training ระยะที่ 2",
        "online",
        20,
        0,
        400,
        220,
        1.0,
        True,
        -150,
    ),  # fmt: skip
    (
        "พัฒนาข้าราชการครูก่อนแต่งตั้งให้ดำรงตำแหน่งรองผู้บริหารสถานศึกษา",
        "workshop",
        60,
        5,
        40,
        30,
        1.0,
        True,
        -120,
    ),  # fmt: skip
    (
        "ประชุมสัมมนาการจัดทำแผนกลยุทธ์การบริหารทรัพยากรบุคคล",
        "seminar",
        6,
        1,
        30,
        17,
        1.0,
        False,
        -90,
    ),  # fmt: skip
    (
        "ประชุมสัมมนาทางวิชาการแลกเปลี่ยนเรียนรู้ พัฒนาครูทั้งระบบ",
        "seminar",
        6,
        1,
        600,
        420,
        1.0,
        False,
        -60,
    ),  # fmt: skip
    (
        "การจัดการเรียนรู้เชิงรุก (Active Learning) ที่เน้นการคิดขั้นสูง",
        "workshop",
        12,
        2,
        60,
        50,
        0.9,
        True,
        -40,
    ),  # fmt: skip
    (
        "ศึกษาดูงานโรงเรียนที่มีผลงานดีเด่น จังหวัดหนองคาย",
        "study_visit",
        12,
        2,
        45,
        44,
        1.0,
        False,
        -30,
    ),  # fmt: skip
    (
        "ฝึกประสบการณ์ ณ สถานศึกษาต้นแบบ สำหรับครูผู้ช่วย",
        "practicum",
        18,
        3,
        30,
        24,
        0.95,
        False,
        -20,
    ),  # fmt: skip
    (
        "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) กลุ่มสาระคณิตศาสตร์",
        "plc",
        10,
        5,
        40,
        28,
        0.85,
        False,
        -14,
    ),  # fmt: skip
    ("การวัดและประเมินผลตามสภาพจริง (รุ่นเปิดรับสมัคร)", "workshop", 12, 2, 40, 8, 0.0, True, 0),
]


def _officer(office: Office) -> User:
    user = User.objects.filter(office=office, role=Role.DEVELOPMENT_OFFICER).first()
    if user is None:
        user = User.objects.filter(office=office, role=Role.OFFICE_ADMIN).first()
    if user is None:
        raise ValueError("ต้องมีผู้ใช้เจ้าหน้าที่ของเขต (รัน seed_demo ก่อน)")
    return user


@transaction.atomic
def build_training_demo(*, office: Office, seed: int = 2569, reset: bool = False, stdout=None):
    if Course.objects.filter(office=office).exists():
        if not reset:
            return None
        Course.objects.filter(office=office).delete()
    rng = random.Random(seed)
    officer = _officer(office)
    rules = actions.rules_for(office)
    rules.signer_name = rules.signer_name or "นายสมศักดิ์ ตั้งใจทำ"
    rules.signer_title = f"ผู้อำนวยการ{office.name.replace('สพป.', 'สำนักงานเขตพื้นที่การศึกษาประถมศึกษา')}"
    rules.save()
    items = actions.survey_items_for(office)
    today = timezone.localdate()
    fy = fiscal_year(today)
    people = list(
        Person.objects.filter(office=office, status="active").exclude(
            personnel_type=PersonnelType.EMPLOYEE
        )
    )
    demo_teacher = User.objects.filter(office=office, role=Role.TEACHER).first()
    made = []
    for n, spec in enumerate(COURSES):
        title, mode, hours, days, capacity, count, pass_rate, tests, offset = spec
        start = today + dt.timedelta(days=offset)
        course = actions.save_course(
            acting_user=officer,
            course=Course(
                office=office,
                title=title,
                mode=mode,
                hours=Decimal(hours),
                fiscal_year=fy,
                objectives="เพื่อพัฒนาสมรรถนะครูและบุคลากรทางการศึกษาให้มีความรู้ ความสามารถ "
                "และทักษะที่จำเป็นในการจัดการศึกษาในศตวรรษที่ 21",
                competencies="การจัดการเรียนรู้ · การวัดและประเมินผล · การทำงานเป็นทีม",
                status="open",
                target_types=["director", "deputy_director"] if n == 1 else [],
                # Demo history is written today for courses held weeks ago: their tests
                # stay open long enough for that.
                test_days_after_end=max(14, 14 - offset),
            ),
        )
        if tests:
            for i, (text, choices, correct) in enumerate(QUESTIONS, start=1):
                Question.objects.create(
                    course=course, order=i, text=text, choices=choices, correct=correct
                )
        if mode == "online":
            _modules(course)
            # A self-paced course is kept as a draft until it can be completed: open it now.
            course.status = "open"
            actions.save_course(acting_user=officer, course=course)
        session = actions.save_session(
            acting_user=officer,
            session=Session(
                course=course,
                name="รุ่นที่ 1",
                start_date=start,
                end_date=start + dt.timedelta(days=max(days, 1) - 1),
                capacity=capacity,
                hours_per_day=Decimal(hours) / max(days, 1),
                place="" if mode == "online" else "ห้องประชุมเพชรพัฒนา สพป.",
                online_link="https://example.org/e-training" if mode == "online" else "",
                trainers="ศึกษานิเทศก์ กลุ่มนิเทศ ติดตามและประเมินผล",
            ),
        )
        eligible = [p for p in people if course.accepts(p)]
        chosen = rng.sample(eligible, min(count, len(eligible)))
        if demo_teacher and demo_teacher.person and n in (4, 8):
            chosen = [demo_teacher.person] + [p for p in chosen if p.pk != demo_teacher.person_id]
        enrolments, _ = actions.enrol_many(acting_user=officer, session=session, people=chosen)
        if offset >= 0:
            made.append(course)
            continue
        passing = {e.pk for e in enrolments if rng.random() < pass_rate}
        seated = {e.pk for e in enrolments if e.status == EnrolmentStatus.ENROLLED}
        for day in session.days.all():
            present = {e.pk for e in enrolments if e.pk in passing or rng.random() < 0.5}
            present &= seated  # a roll call ticks participants only (the waiting list sits out)
            actions.roll_call(acting_user=officer, day=day, present_ids=present)
        evidence = _Evidence(course, officer)
        for e in enrolments:
            if mode == "online":
                evidence.learn(e, passing=e.pk in passing)
            if tests:
                pre = rng.choice([1, 2, 2, 3])
                post = rng.choice([3, 4, 4, 5]) if e.pk in passing else rng.choice([1, 2])
                evidence.sit(e, TestKind.PRE, pre)
                evidence.sit(e, TestKind.POST, post)
            if rng.random() < 0.8:
                base = rng.choice([4, 4, 5, 5, 5, 3])
                scores = {i.pk: max(1, min(5, base + rng.choice([0, 0, 0, 1, -1]))) for i in items}
                comment = rng.choice(["", "", "อยากให้มีการอบรมต่อเนื่อง", "วิทยากรถ่ายทอดได้ดีมาก"])
                evidence.answer_survey(e, scores, comment)
        evidence.save(enrolments)
        for e in course.enrolments.filter(passed=True)[: max(1, count // 10)]:
            actions.issue_certificate(acting_user=officer, enrolment=e)
            if rng.random() < 0.6:
                f = actions.submit_follow_up(
                    acting_user=officer, enrolment=e, use_level=rng.choice([3, 4, 5]),
                    report="นำเทคนิคที่ได้ไปใช้ในการจัดการเรียนรู้ในชั้นเรียน",
                )  # fmt: skip
                if rng.random() < 0.5:
                    actions.confirm_follow_up(acting_user=officer, follow_up=f, note="")
        course.refresh_from_db()  # as stored: a form would give its hours as 20.0, not 20
        course.status = "finished"
        actions.save_course(acting_user=officer, course=course)
        made.append(course)
    if stdout:
        stdout.write(f"สร้างหลักสูตรสาธิต {len(made)} หลักสูตร ปีงบประมาณ {fy} ให้ {office.name}")
    return made


def _modules(course: Course) -> None:
    for order, title in enumerate(["หลักสูตรแกนกลางและการออกแบบการเรียนรู้", "การวัดและประเมินผล"], 1):
        module = Module.objects.create(course=course, order=order, title=title, quiz_attempts=3)
        for j in range(1, 3):
            Lesson.objects.create(
                module=module,
                order=j,
                title=f"บทที่ {j}: {title}",
                body="อ่านเนื้อหา ดูวิดีโอ แล้วกด “เรียนบทนี้แล้ว”\nเอกสารประกอบ: https://example.org/doc.pdf",
                video_url="https://example.org/video",
            )
        for i, (text, choices, correct) in enumerate(QUESTIONS[:2], start=1):
            Question.objects.create(
                course=course, module=module, order=i, text=text, choices=choices, correct=correct
            )


class _Evidence:
    """What the participants of one demo course did (lessons, tests, surveys), written in
    bulk and then judged once for all by actions.refresh_results, the rule engine the
    pages use. The rows are the ones the pages would have written one by one: the same
    answers, scores, times and survey answers."""

    def __init__(self, course: Course, officer: User):
        self.course, self.officer = course, officer
        self.now = timezone.now()
        self.questions = {
            module_id: [q for q in course.questions.all() if q.module_id == module_id]
            for module_id in {None, *course.modules.values_list("pk", flat=True)}
        }
        self.modules = list(course.modules.prefetch_related("lessons"))
        self.attempts, self.progress, self.surveys = [], [], []

    def _attempt(self, enrolment, kind, module, right: int | None) -> None:
        """A submitted attempt with the first `right` answers correct, the rest wrong (None:
        nothing answered)."""
        questions = self.questions[module.pk if module else None]
        answers = {
            str(q.pk): q.correct if i < right else (q.correct + 1) % len(q.choices)
            for i, q in enumerate(questions)
            if right is not None
        }
        self.attempts.append(
            TestAttempt(
                enrolment=enrolment,
                kind=kind,
                module=module,
                number=1,
                question_ids=[q.pk for q in questions],
                answers=answers,
                score=actions.score_answers(questions, answers),
                max_score=len(questions),
                submitted_at=self.now,
            )
        )

    def sit(self, enrolment, kind, right: int) -> None:
        self._attempt(enrolment, kind, None, right)

    def learn(self, enrolment, *, passing: bool) -> None:
        """Every lesson of a module for the course's minimum time, then its quiz."""
        minutes = self.course.min_lesson_minutes
        for module in self.modules:
            for lesson in module.lessons.all():
                self.progress.append(
                    LessonProgress(
                        enrolment=enrolment,
                        lesson=lesson,
                        opened_at=self.now - dt.timedelta(minutes=minutes),
                        last_seen_at=self.now,
                        engaged_seconds=minutes * 60,
                        read_to_end_at=self.now,  # a reading lesson counts once read to its end
                        completed_at=self.now,
                    )
                )
            # All right when passing; all unanswered when not, and the next module stays locked.
            right = len(self.questions[module.pk]) if passing else None
            self._attempt(enrolment, TestKind.MODULE, module, right)
            if not passing:
                return

    def answer_survey(self, enrolment, scores: dict[int, int], comment: str) -> None:
        self.surveys.append((SurveyResponse(enrolment=enrolment, comment=comment), scores))

    def save(self, enrolments) -> None:
        LessonProgress.objects.bulk_create(self.progress)
        TestAttempt.objects.bulk_create(self.attempts)
        SurveyResponse.objects.bulk_create([response for response, _ in self.surveys])
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, item_id=item, score=score)
            for response, scores in self.surveys
            for item, score in scores.items()
        )
        judged = actions.refresh_results(enrolments, acting_user=self.officer)
        if self.course.is_online:
            # A self-paced course gives its certificate the moment the last criterion is met.
            for enrolment in judged:
                if enrolment.passed:
                    actions.issue_certificate(acting_user=self.officer, enrolment=enrolment)
