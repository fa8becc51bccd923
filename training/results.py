"""The one rule engine for a participant's result.

A result (ผ่าน / ยังไม่ผ่าน / ไม่ผ่าน), its Thai reasons, the date the criteria were met, the
hours credited and the fiscal year they count in all follow from two things only: the
course's criteria as they are now, and the evidence (attendance, submitted tests, lesson
time and quizzes, a confirmed follow-up); of an online course, a module or lesson added
after the participant had met every criterion is not required of them (`required`).
`gather` reads the evidence, `judge` applies the criteria and touches no database, so
every rule can be tested on plain values; actions.refresh_result stores the outcome in the
same transaction as the change that caused it. Pages, certificates, transcripts and reports
read what is stored here and nothing else decides who passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone

from krupd.lib import compiled_queries
from krupd.lib.numerals import format_hours
from krupd.lib.thai_dates import fiscal_year

from . import lessons
from .models import (
    Attendance,
    Course,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    Lesson,
    LessonProgress,
    Module,
    Question,
    ResultSource,
    ResultStatus,
    Session,
    SessionDay,
    TestAttempt,
    TestKind,
    shown_pct,
)


def course_has_post_test(course: Course) -> bool:
    """A course "has a post-test" when it has questions in the system, or when the office
    recorded post-test scores from paper (or a file) for it, as a workshop's test on paper:
    then everyone must reach the post-test threshold, not only those who sat it. (Its SQL is
    compiled once: every course page and result asks it.)"""
    rows = compiled_queries.rows_for(
        "training.course_has_post_test",
        lambda pk: Course.objects.filter(_has_post_test(OuterRef("pk")), pk=pk).values_list("pk"),
        course.pk,
        using=compiled_queries.reading(Course),
    )
    return bool(rows)


def _has_post_test(course_id) -> Q:
    """The condition of course_has_post_test, on the course `course_id` refers to (an
    OuterRef in a query of courses or sessions): one definition for both."""
    in_system = Question.objects.filter(course_id=course_id, module__isnull=True)
    recorded = TestAttempt.objects.filter(
        enrolment__course_id=course_id, kind=TestKind.POST, module__isnull=True
    ).exclude(source=ResultSource.ONLINE)
    return Q(Exists(in_system)) | Q(Exists(recorded))


def _sessions_side(session_ids) -> dict[int, tuple[Decimal, bool]]:
    """{session id: (its days' hours, whether its course has a post-test)}, in one statement
    (compiled once for one session: the statement of every self-enrolment)."""

    def build(ids):
        hours = (
            SessionDay.objects.filter(session_id=OuterRef("pk"))
            .order_by()
            .values("session_id")
            .annotate(total=Sum("hours"))
            .values("total")
        )
        return Session.objects.filter(pk__in=ids).values_list(
            "pk",
            Subquery(hours, output_field=SessionDay._meta.get_field("hours")),
            ExpressionWrapper(_has_post_test(OuterRef("course_id")), output_field=BooleanField()),
        )

    rows = compiled_queries.rows_for_ids(
        "training.sessions_side", build, session_ids, using=compiled_queries.reading(Session)
    )
    return {pk: (hours or Decimal("0"), bool(post_test)) for pk, hours, post_test in rows}


@dataclass(frozen=True)
class ModuleEvidence:
    order: int
    lessons: int
    lessons_done: int
    lessons_done_on: dt.date | None  # the day the last of its lessons was completed
    quiz_questions: int
    quiz_pass_pct: int
    quiz_passed_on: dt.date | None
    quiz_attempts_left: int
    # (lesson order, % watched) of each lesson whose video the page measures
    videos: tuple[tuple[int, Decimal], ...] = ()
    # The moment its quiz was first passed.
    quiz_passed_at: dt.datetime | None = None
    # When the officer added the module to the course (None: part of it from the start).
    added_at: dt.datetime | None = None
    # (order, added at, finished at) of each lesson: added at None for a lesson part of the
    # module from the start, finished at None for one not finished.
    lesson_moments: tuple[tuple[int, dt.datetime | None, dt.datetime | None], ...] = ()

    def complete(self, min_watched_pct) -> bool:
        """Done as the completion rule judges a module (and the next one unlocks): every
        measured video watched to the course's %, every lesson finished, a quiz that has
        questions and is passed."""
        return (
            all(pct >= min_watched_pct for _, pct in self.videos)
            and self.lessons_done >= self.lessons
            and self.quiz_questions > 0
            and self.quiz_passed_on is not None
        )


@dataclass(frozen=True)
class Evidence:
    status: str
    today: dt.date
    session_end: dt.date
    test_closes: dt.date
    total_hours: Decimal
    attended: tuple[tuple[dt.date, Decimal], ...] = ()  # (day, hours), in date order
    has_final_test: bool = False
    post_attempts: tuple[tuple[dt.date, Decimal], ...] = ()  # (submitted on, %), in order
    post_submitted_at: tuple[dt.datetime, ...] = ()  # the moment of each of post_attempts
    post_attempts_left: int = 0
    # (kind, submitted) of every pre- and post-test attempt, opened or submitted, in order:
    # the course page's test buttons (actions.final_tests) read them here, not again.
    final_attempts: tuple[tuple[str, bool], ...] = ()
    modules: tuple[ModuleEvidence, ...] = ()
    follow_up_submitted: bool = False
    follow_up_confirmed_on: dt.date | None = None
    follow_up_confirmed_at: dt.datetime | None = None


@dataclass
class Outcome:
    result: str
    reasons: list[str] = field(default_factory=list)
    completed_on: dt.date | None = None
    hours_credited: Decimal = Decimal("0")
    credit_fiscal_year: int | None = None
    prior_year_hours: Decimal = Decimal("0")  # of hours_credited, in the year before
    hours_attended: Decimal = Decimal("0")
    attendance_pct: Decimal = Decimal("0")
    # Everything but the follow-up is met: the participant may now report use at work.
    ready_for_follow_up: bool = False

    @property
    def passed(self) -> bool:
        return self.result == ResultStatus.PASSED


def _attendance(course: Course, ev: Evidence, outcome: Outcome, met: list, failed: list) -> None:
    attended = sum((h for _, h in ev.attended), Decimal("0"))
    outcome.hours_attended = attended
    outcome.attendance_pct = (
        shown_pct(attended * 100 / ev.total_hours) if ev.total_hours else Decimal(0)
    )
    running = Decimal("0")
    for day, hours in ev.attended:
        running += hours
        if ev.total_hours and running * 100 >= course.min_attendance_pct * ev.total_hours:
            met.append(day)  # the day the attendance criterion was reached
            return
    reason = (
        f"เวลาเข้าร่วม {format_hours(outcome.attendance_pct)}% "
        f"ยังไม่ถึงเกณฑ์ {course.min_attendance_pct}%"
    )
    failed.append((reason, ev.session_end < ev.today))


def _final_test(course: Course, ev: Evidence, met: list, failed: list) -> None:
    if not ev.has_final_test:
        if course.is_online:  # a self-paced course is judged by its final test
            failed.append(("หลักสูตรยังไม่มีแบบทดสอบหลังเรียน (รอเจ้าหน้าที่เพิ่มข้อสอบ)", False))
        return
    passing = [day for day, pct in ev.post_attempts if pct >= course.min_post_test_pct]
    if passing:
        met.append(passing[0])
        return
    closed = ev.today > ev.test_closes
    if not ev.post_attempts:
        failed.append(("ยังไม่ได้ทำแบบทดสอบหลังเรียน", closed))
        return
    best = max(pct for _, pct in ev.post_attempts)
    failed.append(
        (
            f"คะแนนหลังเรียน {format_hours(best)}% ยังไม่ถึงเกณฑ์ {course.min_post_test_pct}%",
            closed or ev.post_attempts_left == 0,
        )
    )


def waived(course: Course, ev: Evidence) -> tuple[bool, ...]:
    """For each of ev.modules, whether it is not required of this learner (see required)."""
    return tuple(m is None for m in required(course, ev))


def required(course: Course, ev: Evidence) -> tuple[ModuleEvidence | None, ...]:
    """Each of ev.modules as it is required of this learner: None for a module the officer
    added after the learner had met every criterion of the course as it then stood, and
    without the lessons added after that moment (as Moodle keeps a completion reached before
    the criteria changed). Whoever had not finished by the moment one was added must
    complete it, and so everything added after. Judged on the moments of the evidence (a
    course finished at 09:00 stays finished when a module is added at 15:00 that day).
    Modules and lessons part of the course from the start (no moment kept) are required."""
    progress = _Finishing(course, ev)
    if progress.missing:  # the final test (or follow-up) is not met: everything is required
        return ev.modules
    modules = [False] * len(ev.modules)
    lessons = [[added is None for _, added, _ in m.lesson_moments] for m in ev.modules]
    events = sorted(
        [(m.added_at, i, -1) for i, m in enumerate(ev.modules) if m.added_at is not None]
        + [
            (added, i, j)
            for i, m in enumerate(ev.modules)
            for j, (_, added, _) in enumerate(m.lesson_moments)
            if added is not None
        ]
    )
    for i, m in enumerate(ev.modules):
        if m.added_at is None:
            modules[i] = True
            progress.add_module(i, lessons[i])
    for moment, i, j in events:
        if (finished := progress.finished_at()) is not None and finished <= moment:
            break  # finished before this was added, so before everything added later too
        if j < 0:
            modules[i] = True
            progress.add_module(i, lessons[i])
        else:
            lessons[i][j] = True
            if modules[i]:
                progress.add_lesson(i, j)
    else:
        return ev.modules
    return tuple(
        _without_lessons(m, kept) if needed else None
        for m, needed, kept in zip(ev.modules, modules, lessons, strict=True)
    )


class _Finishing:
    """The moment a learner met every criterion of an online course, kept as modules and
    lessons are counted in one by one (each in constant time): None once one of them is not
    met (or its moment is not known, so nothing is waived on a guess), on the criteria as
    they are now. A course with no module yet is not finished."""

    def __init__(self, course: Course, ev: Evidence):
        self.course, self.ev = course, ev
        self.any_module = False
        passing = [
            at
            for at, (_, pct) in zip(ev.post_submitted_at, ev.post_attempts, strict=False)
            if pct >= course.min_post_test_pct
        ]
        self.missing = (
            not ev.has_final_test
            or len(ev.post_submitted_at) != len(ev.post_attempts)
            or not passing
            or (course.requires_follow_up and ev.follow_up_confirmed_at is None)
        )
        self.latest = None
        if not self.missing:
            self._met(passing[0])
            if course.requires_follow_up:
                self._met(ev.follow_up_confirmed_at)

    def _met(self, moment) -> None:
        if moment is None:
            self.missing = True
        elif self.latest is None or moment > self.latest:
            self.latest = moment

    def add_module(self, i: int, kept: list[bool]) -> None:
        m = self.ev.modules[i]
        self.any_module = True
        self._met(m.quiz_passed_at if m.quiz_questions > 0 else None)
        for j, k in enumerate(kept):
            if k:
                self.add_lesson(i, j)

    def add_lesson(self, i: int, j: int) -> None:
        m = self.ev.modules[i]
        order, _, at = m.lesson_moments[j]
        watched = all(pct >= self.course.min_watched_pct for n, pct in m.videos if n == order)
        self._met(at if watched else None)

    def finished_at(self) -> dt.datetime | None:
        return None if self.missing or not self.any_module else self.latest


def _without_lessons(m: ModuleEvidence, kept: list[bool]) -> ModuleEvidence:
    """The module with only the lessons `kept` (the others added after the learner had
    finished the course)."""
    if all(kept):
        return m
    orders = {n for (n, _, _), k in zip(m.lesson_moments, kept, strict=True) if k}
    done = [at for (_, _, at), k in zip(m.lesson_moments, kept, strict=True) if k and at]
    return replace(
        m,
        lessons=sum(kept),
        lessons_done=len(done),
        lessons_done_on=timezone.localdate(max(done)) if done else None,
        videos=tuple((n, pct) for n, pct in m.videos if n in orders),
        lesson_moments=tuple(x for x, k in zip(m.lesson_moments, kept, strict=True) if k),
    )


def _modules(course: Course, ev: Evidence, met: list, failed: list) -> None:
    if not ev.modules:
        failed.append(("หลักสูตรยังไม่มีหน่วยการเรียน (รอเจ้าหน้าที่เพิ่ม)", False))
        return
    for m in required(course, ev):
        if m is None:
            continue
        unwatched = [(n, pct) for n, pct in m.videos if pct < course.min_watched_pct]
        for n, pct in unwatched:
            failed.append(
                (
                    f"ยังดูวิดีโอบทที่ {n} ของหน่วยที่ {m.order} ไม่ครบ {course.min_watched_pct}% "
                    f"(ดูแล้ว {pct}%)",
                    False,
                )
            )
        if unwatched:
            continue
        if m.lessons_done < m.lessons:
            failed.append((f"หน่วยที่ {m.order} เรียนแล้ว {m.lessons_done} จาก {m.lessons} บท", False))
        elif m.quiz_questions == 0:
            failed.append((f"หน่วยที่ {m.order} ยังไม่มีข้อสอบท้ายหน่วย (รอเจ้าหน้าที่เพิ่ม)", False))
        elif m.quiz_passed_on is None:
            failed.append(
                (
                    f"ยังไม่ผ่านแบบทดสอบท้ายหน่วยที่ {m.order} (เกณฑ์ {m.quiz_pass_pct}%)",
                    m.quiz_attempts_left == 0,
                )
            )
        else:
            met.extend(d for d in (m.lessons_done_on, m.quiz_passed_on) if d)


def judge(course: Course, ev: Evidence) -> Outcome:
    """Apply the course's criteria to the evidence. Pure: no queries, no clock."""
    outcome = Outcome(result=ResultStatus.PENDING)
    met: list[dt.date] = []  # the day each criterion was met
    failed: list[tuple[str, bool]] = []  # (reason, can no longer be met)
    if ev.status != EnrolmentStatus.ENROLLED:
        outcome.reasons = [f"สถานะการลงทะเบียน: {EnrolmentStatus(ev.status).label}"]
        return outcome
    if course.is_online:
        _modules(course, ev, met, failed)
    else:
        _attendance(course, ev, outcome, met, failed)
    _final_test(course, ev, met, failed)
    if course.requires_follow_up:
        outcome.ready_for_follow_up = not failed
        if ev.follow_up_confirmed_on:
            met.append(ev.follow_up_confirmed_on)
        elif ev.follow_up_submitted:
            failed.append(("รายงานการนำไปใช้รอผู้บริหาร/ศึกษานิเทศก์รับรอง", False))
        else:
            failed.append(("ยังไม่ได้รายงานการนำไปใช้ในการปฏิบัติงาน", False))
    else:
        outcome.ready_for_follow_up = not failed
    if failed:
        outcome.reasons = [reason for reason, _ in failed]
        if any(final for _, final in failed):
            outcome.result = ResultStatus.FAILED
        return outcome
    outcome.result = ResultStatus.PASSED
    # Criteria are met on the day the last of them was; never before the session began.
    outcome.completed_on = max(met) if met else ev.today
    if course.is_online:
        outcome.hours_credited = course.hours
        outcome.credit_fiscal_year = fiscal_year(outcome.completed_on)
    else:
        outcome.hours_credited = min(outcome.hours_attended, course.hours)
        outcome.credit_fiscal_year = fiscal_year(ev.attended[-1][0])
        # Each attended day's hours count in that day's fiscal year (a session of 28 Sep –
        # 2 Oct credits its September days to the year ending 30 Sep); where the course's
        # hours cap what was attended, the days count in order, so the last ones are cut.
        # A session spans two fiscal years at most in practice; any earlier day counts in
        # the year before the last one.
        before = sum(
            (h for day, h in ev.attended if fiscal_year(day) < outcome.credit_fiscal_year),
            Decimal("0"),
        )
        outcome.prior_year_hours = min(before, outcome.hours_credited)
    return outcome


def test_window(course: Course, session) -> tuple[dt.date, dt.date]:
    """First and last day a pre- or post-test of this session may be taken."""
    return session.start_date, session.end_date + dt.timedelta(days=course.test_days_after_end)


def gather(
    enrolment: Enrolment, *, today: dt.date | None = None, modules: list[Module] | None = None
) -> Evidence:
    """Read one enrolment's evidence (a fixed number of queries, whatever the course size).
    `modules`: the course's modules in order, when the caller has read them already."""
    known = {enrolment.course_id: modules} if modules is not None else None
    return gather_many([enrolment], today=today, modules=known)[enrolment.pk]


def _grouped(rows) -> dict:
    """{key: [values…]} from (key, value) pairs, keeping their order."""
    out: dict = {}
    for key, value in rows:
        out.setdefault(key, []).append(value)
    return out


def gather_many(
    enrolments,
    *,
    today: dt.date | None = None,
    modules: dict[int, list[Module]] | None = None,
) -> dict[int, Evidence]:
    """Read the evidence of many enrolments at once, by enrolment id: a fixed number of
    queries per course, however many participants. The one reader of evidence (`gather` is
    this for one enrolment), so a result judged alone or with its whole course is the same.
    `modules`: {course id: its modules in order} already read by the caller (their lessons
    are read here)."""
    enrolments = list(enrolments)
    evidence = _gather(enrolments, today, False, modules)
    return {e.pk: ev for e, ev in zip(enrolments, evidence, strict=True)}


def gather_unsaved(enrolments, *, today: dt.date | None = None) -> list[Evidence]:
    """The evidence of enrolments about to be inserted, in their order (they have no id
    yet): nothing can refer to them, so only the course's side (days, questions, modules)
    is read. Their first result is judged on it and goes in with the row itself."""
    return _gather(list(enrolments), today, True, None)


def _participants_side(enrolments: list, online: list[int]) -> tuple[dict, dict, dict, dict]:
    """What the participants did: attendance, test attempts, lesson progress (online courses)
    and follow-ups, each by enrolment id."""
    ids = [e.pk for e in enrolments]
    # One participant's (their course page, each of their actions) is read by SQL compiled
    # once (compiled_queries: kept for one id; a course's many are built by the ORM).
    attended = _grouped(
        (e, (date, hours))
        for e, date, hours in compiled_queries.rows_for_ids(
            "training.evidence.attendance",
            lambda ids: (
                Attendance.objects.filter(enrolment_id__in=ids)
                .order_by("day__date")
                .values_list("enrolment_id", "day__date", "day__hours")
            ),
            ids,
            using=compiled_queries.reading(Attendance),
        )
    )
    # Every attempt, opened or submitted: an opened one has used up a try.
    attempts = _grouped(
        (a.enrolment_id, a)
        for a in compiled_queries.objects_for_ids(
            "training.evidence.attempts",
            lambda ids: (
                TestAttempt.objects.filter(enrolment_id__in=ids)
                .only("enrolment_id", "kind", "module_id", "score", "max_score", "submitted_at")
                .order_by("submitted_at", "id")
            ),
            ids,
            using=compiled_queries.reading(TestAttempt),
        )
    )
    # Lesson progress, finished or not: a video's watched share is judged on the row too.
    progress = _grouped(
        (p.enrolment_id, p)
        for p in compiled_queries.objects_for_ids(
            "training.evidence.progress",
            lambda ids: LessonProgress.objects.filter(enrolment_id__in=ids),
            [e.pk for e in enrolments if e.course_id in online],
            using=compiled_queries.reading(LessonProgress),
        )
    )
    follow_ups = {
        f.enrolment_id: f
        for f in compiled_queries.objects_for_ids(
            "training.evidence.follow_ups",
            lambda ids: FollowUp.objects.filter(enrolment_id__in=ids),
            ids,
            using=compiled_queries.reading(FollowUp),
        )
    }
    return attended, attempts, progress, follow_ups


def _gather(
    enrolments: list,
    today: dt.date | None,
    just_created: bool,
    modules: dict[int, list[Module]] | None,
) -> list[Evidence]:
    today = today or timezone.localdate()
    courses = {e.course_id: e.course for e in enrolments}
    sessions_side = _sessions_side({e.session_id for e in enrolments})
    online = [pk for pk, course in courses.items() if course.is_online]
    # Questions per module quiz: only online courses have modules.
    question_counts: dict[tuple[int, int | None], int] = {}
    for key in compiled_queries.rows_for_ids(
        "training.question_modules",
        lambda ids: Question.objects.filter(course_id__in=ids, module__isnull=False).values_list(
            "course_id", "module_id"
        ),
        online,
        using=compiled_queries.reading(Question),
    ):
        question_counts[key] = question_counts.get(key, 0) + 1
    known = modules or {}
    unread = [pk for pk in online if pk not in known]
    modules = _grouped(
        (m.course_id, m)
        for m in (
            Module.objects.filter(course_id__in=unread).prefetch_related("lessons")
            if unread
            else ()
        )
    )
    for pk, listed in known.items():
        if len(listed) > 1:  # one course's modules: their lessons by one kept statement
            _attach_lessons(pk, listed)
        else:
            prefetch_related_objects(listed, "lessons")
        modules[pk] = listed
    # Enrolments about to be inserted have no attendance, attempts, progress or follow-up:
    # nothing is read (or built) for them.
    attended, attempts, progress, follow_ups = (
        ({}, {}, {}, {}) if just_created else _participants_side(enrolments, online)
    )
    # Kept on the enrolment as well: a page reading `enrolment.follow_up` after the evidence
    # (the course page's follow-up step) then asks the database no second time.
    follow_up_field = Enrolment._meta.get_field("follow_up")
    for e in enrolments:
        follow_up_field.set_cached_value(e, follow_ups.get(e.pk))
    out = []
    for e in enrolments:
        course, session = courses[e.course_id], e.session
        mine = attempts.get(e.pk, [])
        submitted = [a for a in mine if a.submitted_at is not None]
        follow_up = follow_ups.get(e.pk)
        out.append(Evidence(
            status=e.status,
            today=today,
            session_end=session.end_date,
            test_closes=test_window(course, session)[1],
            total_hours=sessions_side[e.session_id][0],
            attended=tuple(attended.get(e.pk, [])),
            has_final_test=sessions_side[e.session_id][1],
            post_attempts=tuple(
                (timezone.localdate(a.submitted_at), a.pct or Decimal("0"))
                for a in submitted
                if a.kind == TestKind.POST
            ),
            post_submitted_at=tuple(a.submitted_at for a in submitted if a.kind == TestKind.POST),
            post_attempts_left=max(
                0, course.post_test_attempts - sum(a.kind == TestKind.POST for a in mine)
            ),
            final_attempts=tuple(
                (a.kind, a.submitted_at is not None)
                for a in mine
                if a.module_id is None and a.kind in (TestKind.PRE, TestKind.POST)
            ),
            modules=tuple(
                _module_evidence(
                    m,
                    mine,
                    submitted,
                    {p.lesson_id: p for p in progress.get(e.pk, [])},
                    question_counts,
                )
                for m in modules.get(e.course_id, [])
            )
            if course.is_online
            else (),
            follow_up_submitted=follow_up is not None,
            follow_up_confirmed_on=(
                timezone.localdate(follow_up.confirmed_at)
                if follow_up is not None and follow_up.confirmed_at
                else None
            ),
            follow_up_confirmed_at=follow_up.confirmed_at if follow_up is not None else None,
        ))  # fmt: skip
    return out


def _attach_lessons(course_id: int, modules: list[Module]) -> None:
    """Each module's lessons as prefetch_related("lessons") leaves them (module.lessons.all()
    answers from them, each lesson's module is its module), read for the whole course by SQL
    compiled once: the prefetch builds an IN list of the modules, new SQL for each course."""
    lessons = compiled_queries.objects_for(
        "training.lessons_of_course",
        lambda course_id: Lesson.objects.filter(module__course_id=course_id),
        course_id,
        using=compiled_queries.reading(Lesson),
    )
    by_module: dict[int, list[Lesson]] = {m.pk: [] for m in modules}
    for lesson in lessons:
        by_module.setdefault(lesson.module_id, []).append(lesson)
    module_field = Lesson._meta.get_field("module")
    for module in modules:
        # As Django's prefetch keeps them: a queryset whose results are already read.
        found = Lesson._default_manager.get_queryset()
        found._result_cache, found._prefetch_done = by_module[module.pk], True
        for lesson in found._result_cache:
            module_field.set_cached_value(lesson, module)
        module.__dict__.setdefault("_prefetched_objects_cache", {})["lessons"] = found


def _module_evidence(module, attempts, submitted, progress, question_counts) -> ModuleEvidence:
    module_lessons = list(module.lessons.all())
    finished = [
        progress[lesson.pk].completed_at
        for lesson in module_lessons
        if _lesson_finished(lesson, progress.get(lesson.pk))
    ]
    passed = [
        a.submitted_at
        for a in submitted
        if a.module_id == module.pk and a.pct is not None and a.pct >= module.quiz_pass_pct
    ]
    used = sum(a.kind == TestKind.MODULE and a.module_id == module.pk for a in attempts)
    return ModuleEvidence(
        order=module.order,
        lessons=len(module_lessons),
        lessons_done=len(finished),
        lessons_done_on=timezone.localdate(max(finished)) if finished else None,
        quiz_questions=question_counts.get((module.course_id, module.pk), 0),
        quiz_pass_pct=module.quiz_pass_pct,
        quiz_passed_on=timezone.localdate(passed[0]) if passed else None,
        quiz_attempts_left=max(0, module.quiz_attempts - used),
        videos=tuple(
            (lesson.order, pct)
            for lesson in module_lessons
            if (pct := _video_pct(lesson, progress.get(lesson.pk))) is not None
        ),
        quiz_passed_at=passed[0] if passed else None,
        added_at=module.added_at,
        lesson_moments=tuple(
            (
                lesson.order,
                lesson.added_at,
                progress[lesson.pk].completed_at
                if _lesson_finished(lesson, progress.get(lesson.pk))
                else None,
            )
            for lesson in module_lessons
        ),
    )


def _lesson_finished(lesson, progress) -> bool:
    """Completed, and its text read to the end when it is a reading lesson (its video is
    judged separately, against the course's watched % as it is now)."""
    if progress is None or progress.completed_at is None:
        return False
    return progress.read_to_end_at is not None or not lessons.is_reading(lesson)


def _video_pct(lesson, progress) -> Decimal | None:
    """% watched of a measured video, for the engine. A lesson completed before any player
    reported the video's length (so before watching was measured) is not judged on it."""
    if not lessons.media(lesson).measured:
        return None
    if lesson.video_seconds is None:
        return None if progress and progress.completed_at else Decimal(0)
    return lessons.watched_pct(lesson, progress)


def online_course_gaps(course: Course) -> list[str]:
    """What a self-paced course still lacks before people may enrol: without it nobody could
    ever complete it (a module with no lesson or no quiz question, no final test)."""
    if not course.pk:
        return ["ยังไม่มีหน่วยการเรียน บทเรียน และข้อสอบ"]
    gaps = []
    modules = list(course.modules.prefetch_related("lessons", "questions"))
    if not modules:
        gaps.append("ยังไม่มีหน่วยการเรียน")
    for m in modules:
        if not m.lessons.all():
            gaps.append(f"หน่วยที่ {m.order} ยังไม่มีบทเรียน")
        if not m.questions.all():
            gaps.append(f"หน่วยที่ {m.order} ยังไม่มีข้อสอบท้ายหน่วย")
    if not course.questions.filter(module__isnull=True).exists():
        gaps.append("ยังไม่มีแบบทดสอบหลังเรียน")
    return gaps


def requirements(course: Course) -> list[str]:
    """What completing this course takes, in the words the course page shows: each criterion
    judge applies, then what passing earns."""
    hours = (
        f"{format_hours(course.hours)} ชั่วโมง"
        if course.is_online
        else f"ตามชั่วโมงที่เข้าร่วม ไม่เกิน {format_hours(course.hours)} ชั่วโมง"
    )
    return [*criteria(course), f"ผ่านครบทุกข้อแล้วได้รับเกียรติบัตรและนับชั่วโมงพัฒนา {hours}"]


def criteria(course: Course) -> list[str]:
    """The criteria judge applies to this course, one line each, in the words the course page
    and the signed credential state them. The post-test is one when judge makes it one
    (course_has_post_test: questions in the system, or scores recorded from paper or a
    file; always for a self-paced course), and only then."""
    lines = []
    if course.is_online:
        # Without a minimum time ("ไม่น้อยกว่า 0 นาที" reads as a slip), only the lessons.
        minutes = course.min_lesson_minutes
        lines.append(
            "เรียนครบทุกบทเรียนของทุกหน่วย"
            + (f" บทละไม่น้อยกว่า {minutes} นาที (นับเวลาที่เปิดหน้าบทเรียนอยู่)" if minutes else "")
        )
        lines.append(
            f"บทที่มีวิดีโอ ดูวิดีโอต่อเนื่องไม่น้อยกว่าร้อยละ {course.min_watched_pct} ของความยาว "
            "บทที่เป็นเนื้อหาให้อ่าน อ่านจนถึงท้ายบท"
        )
        lines.append("ผ่านแบบทดสอบท้ายหน่วยทุกหน่วยตามเกณฑ์ของแต่ละหน่วย")
    else:
        lines.append(f"ลงเวลาเข้าร่วมไม่น้อยกว่าร้อยละ {course.min_attendance_pct} ของชั่วโมงในรุ่น")
    if course.is_online or (course.pk and course_has_post_test(course)):
        lines.append(
            f"คะแนนแบบทดสอบหลังเรียนไม่น้อยกว่าร้อยละ {course.min_post_test_pct} "
            f"(ทำได้ {course.post_test_attempts} ครั้ง ภายใน {course.test_days_after_end} วัน"
            "หลังวันสุดท้ายของรุ่น)"
        )
    if course.requires_follow_up:
        lines.append("รายงานการนำไปใช้ในการปฏิบัติงาน และได้รับการรับรองจากผู้บริหาร/ศึกษานิเทศก์")
    return lines
