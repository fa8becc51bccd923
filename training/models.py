"""Development delivery and evaluation: courses, sessions, enrolment, attendance, tests,
surveys, follow-up, certificates and self-paced e-learning modules.

One-row facts live here; anything that touches several rows (enrolment with its seat
count, results, certificates) is in actions.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from krupd.lib import numerals
from krupd.lib.clipping import clip
from krupd.uploads import EVIDENCE, UploadFileField
from registry.models import Office, Person, PersonnelType


class TrainingRules(models.Model):
    """What an office decides for itself: hour target, QR lifetime, default signer."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="training_rules")
    yearly_hour_target = models.DecimalField(
        "เป้าหมายชั่วโมงพัฒนาต่อคนต่อปีงบประมาณ",
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        help_text="ใช้เทียบในรายงานการพัฒนารายบุคคล (ตั้งค่าตามนโยบายของเขต)",
    )
    developed_min_hours = models.DecimalField(
        "ถือว่า “ได้รับการพัฒนา” เมื่อมีชั่วโมงผ่านการพัฒนาอย่างน้อย",
        max_digits=5,
        decimal_places=1,
        default=Decimal("6"),
    )
    checkin_minutes = models.PositiveSmallIntegerField(
        "รหัส QR ลงเวลาใช้ได้ (นาที)", default=10, help_text="หน้าจอเจ้าหน้าที่สร้างรหัสใหม่ให้อัตโนมัติ"
    )
    follow_up_weeks = models.PositiveSmallIntegerField("ติดตามผลหลังจบหลักสูตร (สัปดาห์)", default=8)
    signer_name = models.CharField("ผู้ลงนามเกียรติบัตร", max_length=150, blank=True)
    signer_title = models.CharField(
        "ตำแหน่งผู้ลงนาม", max_length=200, default="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    )
    thai_digits = models.BooleanField(
        "ใช้เลขไทยในเกียรติบัตรและเอกสารการพัฒนา",
        default=False,
        help_text="วันที่ ชั่วโมง และตัวเลขในเกียรติบัตร ระเบียนผลการพัฒนา และตารางผลการพัฒนาเป็นเลขไทย",
    )

    class Meta:
        verbose_name = "การตั้งค่าการพัฒนา"
        verbose_name_plural = "การตั้งค่าการพัฒนา"

    def __str__(self) -> str:
        return f"การตั้งค่าการพัฒนา {self.office_id}"


class CourseMode(models.TextChoices):
    WORKSHOP = "workshop", "อบรมเชิงปฏิบัติการ"
    SEMINAR = "seminar", "ประชุมสัมมนา"
    ONLINE = "online", "ออนไลน์เรียนด้วยตนเอง (e-Training)"
    STUDY_VISIT = "study_visit", "ศึกษาดูงาน"
    COACHING = "coaching", "การโค้ช (Coaching)"
    PLC = "plc", "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)"
    PRACTICUM = "practicum", "ฝึกประสบการณ์ ณ สถานศึกษาต้นแบบ"


_MODE_LABELS = dict(CourseMode.choices)  # an enum builds its choices anew at each read


def course_mode_label(mode: str) -> str:
    """Course.get_mode_display() for a mode read as a plain value (a values_list row)."""
    return _MODE_LABELS.get(mode, mode)


class HourType(models.TextChoices):
    """How a course's hours count in a person's yearly record."""

    TRAINING = "training", "อบรม/สัมมนา/ออนไลน์"
    PLC = "plc", "PLC"
    OTHER = "other", "ดูงาน/โค้ช/ฝึกประสบการณ์"


HOUR_TYPE_OF_MODE = {
    CourseMode.WORKSHOP: HourType.TRAINING,
    CourseMode.SEMINAR: HourType.TRAINING,
    CourseMode.ONLINE: HourType.TRAINING,
    CourseMode.PLC: HourType.PLC,
    CourseMode.STUDY_VISIT: HourType.OTHER,
    CourseMode.COACHING: HourType.OTHER,
    CourseMode.PRACTICUM: HourType.OTHER,
}


class CourseStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    OPEN = "open", "เปิดรับสมัคร"
    CLOSED = "closed", "ปิดรับสมัคร"
    FINISHED = "finished", "เสร็จสิ้น"


class Course(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField("ชื่อหลักสูตร", max_length=300)
    objectives = models.TextField("วัตถุประสงค์", blank=True)
    mode = models.CharField("รูปแบบการพัฒนา", max_length=12, choices=CourseMode.choices)
    hours = models.DecimalField("จำนวนชั่วโมงตามหลักสูตร", max_digits=5, decimal_places=1)
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", db_index=True)
    target_types = models.JSONField(
        "กลุ่มเป้าหมาย (ประเภทบุคลากร)",
        default=list,
        blank=True,
        help_text="ว่าง = บุคลากรทุกประเภทในเขตสมัครได้",
    )
    target_note = models.CharField("กลุ่มเป้าหมาย (คำอธิบาย)", max_length=300, blank=True)
    competencies = models.TextField("สมรรถนะ/ประเด็นที่พัฒนา", blank=True)
    digital = models.BooleanField(
        "หลักสูตรพัฒนาสมรรถนะด้านเทคโนโลยีดิจิทัล",
        default=False,
        help_text="ผู้ผ่านหลักสูตรนี้นับเป็นครูที่มีความเชี่ยวชาญด้านเทคโนโลยีในตัวชี้วัดของเขต",
    )
    min_attendance_pct = models.PositiveSmallIntegerField("เกณฑ์เวลาเข้าร่วมขั้นต่ำ (%)", default=80)
    min_post_test_pct = models.PositiveSmallIntegerField("เกณฑ์คะแนนหลังเรียนขั้นต่ำ (%)", default=60)
    post_test_attempts = models.PositiveSmallIntegerField("ทำแบบทดสอบหลังเรียนได้ (ครั้ง)", default=2)
    test_days_after_end = models.PositiveSmallIntegerField(
        "ทำแบบทดสอบได้ถึง (วันหลังวันสุดท้ายของรุ่น)",
        default=14,
        help_text="แบบทดสอบก่อน/หลังเรียนเปิดตั้งแต่วันแรกของรุ่น และปิดเมื่อพ้นจำนวนวันนี้",
    )
    min_lesson_minutes = models.PositiveSmallIntegerField(
        "เวลาเรียนขั้นต่ำต่อบทเรียน (นาที)",
        default=10,
        help_text="หลักสูตรออนไลน์: กด “เรียนบทนี้แล้ว” ได้เมื่อเปิดเรียนบทนั้นครบเวลานี้",
    )
    min_watched_pct = models.PositiveSmallIntegerField(
        "ดูวิดีโอในบทเรียนอย่างน้อย (% ของความยาว)",
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="หลักสูตรออนไลน์: ใช้กับทุกบทที่มีวิดีโอ (ไฟล์วิดีโอหรือ YouTube) นับเฉพาะช่วงที่ดูต่อเนื่องกันโดยไม่ข้าม",
    )
    requires_follow_up = models.BooleanField(
        "ต้องรายงานการนำไปใช้และได้รับการรับรองจึงผ่าน",
        default=False,
        help_text="ถ้าเลือก ผลการพัฒนาและเกียรติบัตรรอจนผู้บริหาร/ศึกษานิเทศก์รับรองการนำไปใช้",
    )
    requires_approval = models.BooleanField("ต้องได้รับอนุมัติก่อนเข้าร่วม", default=False)
    self_enrol = models.BooleanField("เปิดให้สมัครด้วยตนเอง", default=True)
    project = models.ForeignKey(
        "planning.Project",
        verbose_name="โครงการตามแผนปฏิบัติการ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
    )
    signer_name = models.CharField("ผู้ลงนามเกียรติบัตร", max_length=150, blank=True)
    signer_title = models.CharField("ตำแหน่งผู้ลงนาม", max_length=200, blank=True)
    certificate_valid_years = models.PositiveSmallIntegerField(
        "เกียรติบัตรมีอายุ (ปี)",
        null=True,
        blank=True,
        help_text="ว่าง = ไม่มีวันหมดอายุ ถ้ากำหนด เกียรติบัตรและเครดเดนเชียลดิจิทัลระบุวันที่ใช้ได้ถึง",
    )
    status = models.CharField(
        "สถานะ", max_length=10, choices=CourseStatus.choices, default=CourseStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "หลักสูตร"
        verbose_name_plural = "หลักสูตร"
        ordering = ["-fiscal_year", "title", "id"]
        indexes = [
            models.Index(fields=["office", "fiscal_year"]),
            # The digital courses of an office's years (the technology KPI, the inspection's
            # digital pre-fills): a few of its courses, found without reading the others.
            # Partial, so only digital courses are in it (at 31,000 courses, 5 % digital: the
            # KPI's read 11.0 -> 4.2 ms, the follow-up count 6.7 -> 3.8 ms).
            models.Index(
                fields=["office", "fiscal_year"],
                condition=models.Q(digital=True),
                name="course_digital_office_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.mode == CourseMode.ONLINE

    @property
    def hour_type(self) -> str:
        return HOUR_TYPE_OF_MODE.get(self.mode, HourType.OTHER)

    def target_labels(self) -> list[str]:
        labels = dict(PersonnelType.choices)
        return [labels.get(t, t) for t in self.target_types]

    def accepts(self, person: Person) -> bool:
        """Eligibility: same office, active, and of a target type when the course names any."""
        return (
            person.office_id == self.office_id
            and person.status == "active"
            and (not self.target_types or person.personnel_type in self.target_types)
        )


class Session(models.Model):
    """One run (รุ่น) of a course: its dates, place, seats and trainers."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField("รุ่น", max_length=100, default="รุ่นที่ 1")
    start_date = models.DateField("วันเริ่ม")
    end_date = models.DateField("วันสิ้นสุด")
    place = models.CharField("สถานที่", max_length=300, blank=True)
    online_link = models.URLField("ลิงก์ออนไลน์", blank=True)
    capacity = models.PositiveIntegerField("จำนวนที่นั่ง")
    trainers = models.CharField("วิทยากร", max_length=500, blank=True)
    hours_per_day = models.DecimalField(
        "ชั่วโมงต่อวัน", max_digits=4, decimal_places=1, default=Decimal("6")
    )

    class Meta:
        verbose_name = "รุ่นการอบรม"
        verbose_name_plural = "รุ่นการอบรม"
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="session_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title} · {self.name}"


class SessionDay(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("วันที่")
    hours = models.DecimalField("ชั่วโมง", max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="session_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.date}"


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", "รออนุมัติ"
    ENROLLED = "enrolled", "ลงทะเบียนแล้ว"
    WAITLISTED = "waitlisted", "รอที่นั่ง"
    CANCELLED = "cancelled", "ยกเลิก"
    REJECTED = "rejected", "ไม่อนุมัติ"


# Statuses that take a seat; the capacity check counts them under the session's row lock.
SEAT_STATUSES = (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED)
ACTIVE_STATUSES = (*SEAT_STATUSES, EnrolmentStatus.WAITLISTED)


class EnrolmentSource(models.TextChoices):
    SELF = "self", "สมัครด้วยตนเอง"
    DIRECTOR = "director", "ผู้อำนวยการสถานศึกษาส่งรายชื่อ"
    OFFICE = "office", "เขตพื้นที่ส่งรายชื่อ"


class ResultStatus(models.TextChoices):
    PASSED = "passed", "ผ่าน"
    PENDING = "pending", "ยังไม่ผ่าน"
    FAILED = "failed", "ไม่ผ่าน"


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    # Deleting a person record (a data-entry mistake) takes their enrolments with it; issued
    # certificates survive as snapshots (their enrolment link is cleared) and still verify.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField("สถานะ", max_length=10, choices=EnrolmentStatus.choices)
    source = models.CharField("ที่มา", max_length=10, choices=EnrolmentSource.choices)
    approved = models.BooleanField("อนุมัติแล้ว", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Results, recomputed by actions.refresh_result after attendance, tests or lessons.
    hours_attended = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    attendance_pct = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    pre_score_pct = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    post_score_pct = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField("ผ่านเกณฑ์", default=False)
    hours_credited = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    completed_on = models.DateField("วันที่ผ่าน", null=True, blank=True)
    result = models.CharField(
        "ผลการพัฒนา", max_length=8, choices=ResultStatus.choices, default=ResultStatus.PENDING
    )
    # Why the result is what it is, in Thai, one line per unmet criterion (results.judge).
    result_reasons = models.JSONField(default=list, blank=True)
    # The fiscal year the credited hours count in: that of the session days attended (or of
    # completion for self-paced courses), which need not be the course's planning year.
    credit_fiscal_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    # The part of hours_credited that counts in the fiscal year before credit_fiscal_year: the
    # hours of the days attended before 1 October of a session that runs across it (28 Sep –
    # 2 Oct). Each attended day's hours count in that day's fiscal year; all of a session's
    # hours went to the year of its last day. training.queries.hours_by_credit_year reads it.
    prior_year_hours = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))

    class Meta:
        verbose_name = "การลงทะเบียน"
        verbose_name_plural = "การลงทะเบียน"
        ordering = ["requested_at", "id"]
        constraints = [
            # One live enrolment per person per course, whichever session it is in.
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=Q(status__in=["pending", "enrolled", "waitlisted"]),
                name="enrolment_one_active_per_course",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            # Covers the results table's count per course and session (who took part,
            # passed, awaits a result) without reading the enrolment rows themselves.
            models.Index(
                fields=["course", "status", "session", "passed", "result"],
                name="enrolment_results_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def result_text(self) -> str:
        """ "ผ่าน", or "ยังไม่ผ่าน: …" / "ไม่ผ่าน: …" with the unmet criteria."""
        label = self.get_result_display()
        if self.result == ResultStatus.PASSED or not self.result_reasons:
            return label
        return f"{label}: {'; '.join(self.result_reasons)}"

    def hours_in(self, fiscal_year: int) -> Decimal:
        """The passed hours that count in this fiscal year (the transcript's line): the
        days attended in it, as training.queries.hours_by_credit_year adds them up."""
        if not self.passed:
            return Decimal("0")
        year = self.credit_fiscal_year or self.course.fiscal_year
        if fiscal_year == year:
            return self.hours_credited - self.prior_year_hours
        return self.prior_year_hours if fiscal_year == year - 1 else Decimal("0")


class EnrolmentTally(models.Model):
    """The enrolled people of one session of a course, counted: how many take part, how many
    passed and how many still await a result (the results table's figures before the
    session's end date is applied). Counting them from the enrolments took a second per
    request for a large office's year (465,000 enrolments); these rows answer it from one row
    per session.

    Kept by database triggers on the enrolment table (training.tallies), so every write keeps
    them in its own statement, whatever wrote it (actions, imports, bulk updates); rebuilt
    and verified nightly with `manage.py rebuild_enrolment_tallies --verify`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="tallies")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    # Plain integers, not positive ones: a database check refusing a momentary negative
    # count would refuse the enrolment write itself.
    enrolled = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    pending = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "session"], name="enrolment_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.session_id}: {self.enrolled}"


class AttendanceMethod(models.TextChoices):
    QR = "qr", "สแกน QR"
    ROLL_CALL = "roll_call", "เจ้าหน้าที่เช็กชื่อ"


class Attendance(models.Model):
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    method = models.CharField(max_length=10, choices=AttendanceMethod.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "enrolment"], name="attendance_once_a_day")
        ]
        indexes = [
            # Counts a year's QR check-ins day by day from the index alone, without reading
            # the attendance rows (reporting.inspection.qr_check_ins).
            models.Index(fields=["day", "method"], name="attendance_day_method_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day_id}"


class Module(models.Model):
    """A unit of a self-paced online course; unlocked when the previous one is done."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField("ลำดับ")
    title = models.CharField("ชื่อหน่วย", max_length=300)
    quiz_pass_pct = models.PositiveSmallIntegerField("เกณฑ์ผ่านแบบทดสอบท้ายหน่วย (%)", default=60)
    quiz_attempts = models.PositiveSmallIntegerField("ทำแบบทดสอบได้ (ครั้ง)", default=3)
    # When the officer added it (actions.save_module); empty for a module that was part of
    # the course from the start. A learner who had already met every criterion of the
    # course as it stood then is not required to complete it (results.judge).
    added_at = models.DateTimeField("เพิ่มเมื่อ", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField("ลำดับ")
    title = models.CharField("ชื่อบทเรียน", max_length=300)
    body = models.TextField(
        "เนื้อหา",
        blank=True,
        help_text="จัดรูปแบบได้: # หัวข้อ, **ตัวหนา**, - รายการ, [ข้อความ](ลิงก์), ตาราง | a | b |",
    )
    video_url = models.URLField(
        "ลิงก์วิดีโอ",
        blank=True,
        help_text="YouTube หรือไฟล์ .mp4/.webm: ระบบวัดได้ว่าดูไปกี่ % ลิงก์อื่นเปิดในแท็บใหม่และวัดไม่ได้",
    )
    # A hand-out or a video clip the lesson plays (a video is measured like a linked one).
    file = UploadFileField(
        "ไฟล์ประกอบ", upload_to="training/lessons/", blank=True, kind=EVIDENCE.key
    )
    # The video's length in seconds, as the players of learners report it: the longest one
    # reported wins, so one short (or forged) report cannot shrink what "80 %" means.
    video_seconds = models.PositiveIntegerField(null=True, blank=True)
    # When the officer added it (actions.save_lesson); empty for a lesson that was part of
    # its module from the start. As Module.added_at: not required of a learner who had
    # already completed the course then.
    added_at = models.DateTimeField("เพิ่มเมื่อ", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class LessonProgress(models.Model):
    """A learner's time with one lesson: opened, engaged seconds counted by the lesson page
    while it is in view, and completed (only once the course's minimum time is reached)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons_done")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    engaged_seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Video: how far the learner has watched without skipping ahead (seconds from the start),
    # as the player reports it and bounded by the time that has passed (video.py).
    watched_seconds = models.PositiveIntegerField(default=0)
    watch_reported_at = models.DateTimeField(null=True, blank=True)
    # Reading: when the learner reached the end of the lesson text.
    read_to_end_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.lesson_id}"


class TestKind(models.TextChoices):
    PRE = "pre", "แบบทดสอบก่อนเรียน"
    POST = "post", "แบบทดสอบหลังเรียน"
    MODULE = "module", "แบบทดสอบท้ายหน่วย"


class Question(models.Model):
    """A multiple-choice item. Course questions (module empty) make the pre- and post-test."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("ข้อที่", default=0)
    text = models.TextField("คำถาม")
    choices = models.JSONField("ตัวเลือก", default=list)
    correct = models.PositiveSmallIntegerField("ตัวเลือกที่ถูก (เริ่มที่ 0)")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return clip(self.text, 60)


def shown_pct(exact: Decimal) -> Decimal:
    """A percentage (a score, a share of hours) to one decimal, as results, pages and
    documents show it and as the criteria are applied to it. Never rounded up onto a whole
    number it did not reach: criteria are whole percentages, and 241/402 = 59.95 % shown as
    60.0 % passed a 60 % criterion it does not meet. It shows 59.9 % instead; anything else
    rounds to the nearest tenth, a half up as reports round (66.67 % → 66.7 %,
    12.25 % → 12.3 %)."""
    shown = numerals.rounded(exact, 1)
    if shown > exact and shown == shown.to_integral_value():
        shown -= Decimal("0.1")
    return shown


class ResultSource(models.TextChoices):
    """Where a test score or survey response came from. Scores taken on paper or in a Google
    Form count in results and evaluation exactly like online ones; the source says so."""

    ONLINE = "online", "ทำในระบบ"
    PAPER = "paper", "บันทึกจากกระดาษ"
    IMPORT = "import", "นำเข้าจากไฟล์"


def whole_points_only(typed: str) -> str:
    """What a score typed with a half ("12.5", "12,5") is told, after what the score is: a
    test's score is kept in whole points (TestAttempt.score is a whole number), so the half
    cannot be recorded and is not rounded for the office."""
    return (
        f"ต้องเป็นจำนวนเต็ม (ได้ “{typed}”): ระบบบันทึกคะแนนแบบทดสอบได้เฉพาะคะแนนเต็มหน่วย "
        "ไม่บันทึกครึ่งคะแนนหรือทศนิยม กรุณาปัดตามเกณฑ์การให้คะแนนของแบบทดสอบแล้วกรอกใหม่"
    )


class TestAttempt(models.Model):
    """One sitting of a test. Created when the test is opened, so leaving and coming back
    continues the same attempt instead of granting a new one. Paper and imported scores are
    submitted attempts without questions (score and max_score only)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    kind = models.CharField(max_length=6, choices=TestKind.choices)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, blank=True)
    number = models.PositiveSmallIntegerField(default=1)
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        "ที่มา", max_length=6, choices=ResultSource.choices, default=ResultSource.ONLINE
    )

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind", "module", "number"], name="attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.number} ({self.enrolment_id})"

    @property
    def pct(self) -> Decimal | None:
        if self.score is None or not self.max_score:
            return None
        return shown_pct(Decimal(self.score) * 100 / self.max_score)


class SurveyItem(models.Model):
    """A 5-point satisfaction statement the office edits; old responses keep their item."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="survey_items")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    text = models.CharField("ข้อคำถาม", max_length=300)
    active = models.BooleanField("ใช้งาน", default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="survey")
    comment = models.TextField("ข้อเสนอแนะ", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        "ที่มา", max_length=6, choices=ResultSource.choices, default=ResultSource.ONLINE
    )

    def __str__(self) -> str:
        return f"แบบประเมิน {self.enrolment_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="survey_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


class FollowUp(models.Model):
    """Use at work, some weeks after the course: the participant reports, a director or
    supervisor confirms."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="follow_up")
    use_level = models.PositiveSmallIntegerField(
        "ระดับการนำไปใช้ (1–5)", choices=[(i, str(i)) for i in range(1, 6)]
    )
    report = models.TextField("การนำความรู้ไปใช้ในการปฏิบัติงาน")
    submitted_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmer_note = models.CharField("ความเห็นผู้รับรอง", max_length=500, blank=True)

    def __str__(self) -> str:
        return f"ติดตามผล {self.enrolment_id}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "ใช้ได้"
    REVOKED = "revoked", "เพิกถอนแล้ว"
    REPLACED = "replaced", "ออกฉบับใหม่แทนแล้ว"


class CertificateStanding(models.TextChoices):
    """What a certificate is worth today to anyone who checks it (Certificate.standing): the
    stored status alone said "valid" for one waiting for the officer's review, and every
    page, export and API answer that read it vouched for it."""

    VALID = "valid", "ใช้ได้"
    UNDER_REVIEW = "under_review", "อยู่ระหว่างการตรวจสอบ"
    EXPIRED = "expired", "หมดอายุแล้ว"
    REVOKED = "revoked", "เพิกถอนแล้ว"
    REPLACED = "replaced", "ยกเลิก มีฉบับใหม่ออกแทนแล้ว"


# How a kept certificate's review_reason starts (actions.keep_certificate): the officer looked
# at the holder's changed result and decided the certificate stays valid.
CERTIFICATE_KEPT = "คงไว้: "

# Certificate.standing's "under review" for a valid certificate, in a query: flagged by the
# actions, or its holder's result does not support it and the officer has not kept it.
CERTIFICATE_UNDER_REVIEW = Q(needs_review=True) | (
    Q(enrolment__isnull=False)
    & ~Q(enrolment__passed=True, enrolment__status="enrolled")
    & ~Q(review_reason__startswith=CERTIFICATE_KEPT)
)


class Certificate(models.Model):
    """What was issued, frozen at issue time: the PDF is rendered from these fields and the
    public verification page shows them, so an edited PDF no longer matches."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    code = models.CharField("รหัสตรวจสอบ", max_length=16, unique=True)
    number = models.CharField("เลขที่", max_length=40)
    person_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=300)
    office_name = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    completed_on = models.DateField()
    issued_on = models.DateField()
    valid_until = models.DateField("ใช้ได้ถึง", null=True, blank=True)  # when the course sets one
    signer_name = models.CharField(max_length=150, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField("เหตุผล", max_length=300, blank=True)
    # Set when the holder's result no longer supports what was printed (criteria changed, a
    # score or attendance corrected): the officer revokes or keeps it, and either is audited.
    needs_review = models.BooleanField("รอเจ้าหน้าที่ตรวจสอบ", default=False)
    review_reason = models.CharField("เหตุที่ต้องตรวจสอบ", max_length=500, blank=True)
    # When it was last put under review (needs_review set); cleared when the review ends
    # (kept, revoked, or its holder's result supports it again).
    review_flagged_at = models.DateTimeField("ตั้งให้ตรวจสอบเมื่อ", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "เกียรติบัตร"
        verbose_name_plural = "เกียรติบัตร"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status="valid"),
                name="certificate_one_valid_per_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person_name}"

    @property
    def standing(self) -> str:
        """CertificateStanding today. Revoked and replaced are final; a valid one waiting for
        the officer's review, or (when its enrolment was read with it) one whose holder's
        result no longer supports it and that the officer has not kept, is under review, not
        valid; past valid_until it has expired."""
        if self.status == CertificateStatus.REVOKED:
            return CertificateStanding.REVOKED
        if self.status == CertificateStatus.REPLACED:
            return CertificateStanding.REPLACED
        if self.needs_review or not self._result_supports():
            return CertificateStanding.UNDER_REVIEW
        if self.valid_until and self.valid_until < timezone.localdate():
            return CertificateStanding.EXPIRED
        return CertificateStanding.VALID

    def get_standing_display(self) -> str:
        return CertificateStanding(self.standing).label

    def _result_supports(self) -> bool:
        # Only with the enrolment already read (the verification page reads it): a list of
        # certificates must not read one enrolment per row. The actions flag a certificate
        # whenever its result changes; this catches one that reached the register another way.
        if not Certificate.enrolment.is_cached(self) or self.enrolment is None:
            return True
        enrolment = self.enrolment
        if enrolment.passed and enrolment.status == EnrolmentStatus.ENROLLED:
            return True
        return self.review_reason.startswith(CERTIFICATE_KEPT)


class BatchStatus(models.TextChoices):
    QUEUED = "queued", "รอคิว"
    RUNNING = "running", "กำลังสร้าง"
    DONE = "done", "เสร็จแล้ว"
    FAILED = "failed", "ล้มเหลว"


class CertificateBatch(models.Model):
    """Bulk generation for a course: issues what is missing, renders all, zips them."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="batches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default="queued")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    base_url = models.CharField(max_length=200, blank=True)  # for the QR links, from the request
    error = models.TextField(blank=True)
    # Participants who passed but whose certificate the office revoked: the batch does not
    # issue them a new one (that is reissue_certificate, per person, with a reason) and its
    # summary names them. [{"name", "number", "reason"}], in certificate-number order.
    skipped_revoked = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"ชุดเกียรติบัตร {self.course_id} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
