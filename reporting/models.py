"""Reporting: KPI targets, student results, ESA standards and SAR drafts, MOE inspection
policies and report drafts.

Everything that comes from a circular or a plan (targets, standards, rubrics, inspection
questions) is data citing its source, loaded by migrations and editable by the office.
Computed values are not stored here, with one exception: DevelopedHours, the "developed"
people of each school kept as a histogram, and PersonHours, each person's development hours
of a year, kept in the same transaction as every write that changes them (developed.py) and
checked against a full recount nightly. Everything else kpis.py and
evidence.py compute from the other apps' data each time.
"""

from django.conf import settings
from django.db import models

from krupd import worker_files
from krupd.lib.clipping import clip
from krupd.lib.thai_dates import HALF_YEAR_ROUNDS, fiscal_half, period_label
from krupd.uploads import DOCUMENT, UploadFileField
from registry.models import Office, Person, School

from .onet import ONET_GRADES

# --------------------------------------------------------------------------- KPI targets


class KpiKind(models.TextChoices):
    LEVEL = "level", "ระดับ (ร้อยละไม่น้อยกว่าเป้าหมาย)"
    GROWTH = "growth", "การเพิ่มขึ้นต่อปี (ร้อยละเทียบปีก่อน)"


class KpiTarget(models.Model):
    """One success indicator with its target. office empty = the default every office uses
    until it saves its own row with the same code."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, related_name="kpi_targets"
    )
    code = models.SlugField("รหัส", max_length=40)
    name = models.CharField("ตัวชี้วัด", max_length=300)
    formula = models.CharField("สูตรคำนวณ", max_length=40)
    kind = models.CharField("ชนิด", max_length=8, choices=KpiKind.choices, default=KpiKind.LEVEL)
    target = models.DecimalField("เป้าหมาย (ร้อยละ)", max_digits=6, decimal_places=2)
    params = models.JSONField("ค่าที่สูตรใช้", default=dict, blank=True)
    source = models.CharField("ที่มา", max_length=300)
    sort_order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    active = models.BooleanField("ใช้งาน", default=True)

    class Meta:
        verbose_name = "เป้าหมายตัวชี้วัด"
        verbose_name_plural = "เป้าหมายตัวชี้วัด"
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="kpi_target_unique_code"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(office=None), name="kpi_default_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OnetResultQuerySet(models.QuerySet):
    def of_office(self, office: Office) -> "OnetResultQuerySet":
        """The office's rows, selected by its schools' ids: joined to the school table instead,
        SQLite read every school's rows of the years asked for through the (year, school)
        index and threw away the other offices' (150 ms instead of 4 nationally)."""
        return self.filter(school_id__in=School.objects.filter(office=office).values("id"))


class OnetResult(models.Model):
    """O-NET mean score of one school, subject (and grade) in one academic year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="onet_results")
    academic_year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    grade = models.CharField("ชั้น", max_length=10, blank=True)
    subject = models.CharField("วิชา", max_length=100)
    mean = models.DecimalField("คะแนนเฉลี่ย", max_digits=5, decimal_places=2)
    imported_at = models.DateTimeField(auto_now=True)

    objects = OnetResultQuerySet.as_manager()

    class Meta:
        verbose_name = "ผลการทดสอบ O-NET"
        verbose_name_plural = "ผลการทดสอบ O-NET"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade", "subject"], name="onet_unique_row"
            )
        ]
        indexes = [models.Index(fields=["academic_year", "school"])]

    # ------------------------------------------------------------------- ESA standards / SAR

    def __str__(self) -> str:
        return f"{self.school_id} {self.academic_year} {self.subject}"


class OnetNationalMean(models.Model):
    """The national (สพฐ./ประเทศ) O-NET mean of one grade and subject in one academic year, as
    NIETS (สทศ.) publishes it. The office types it from the published results; nothing is
    assumed. Network goals compare their schools' means with it (community.goal_measures)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="onet_national")
    academic_year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    grade = models.CharField("ชั้น", max_length=2, choices=ONET_GRADES)
    subject = models.CharField("วิชา", max_length=100)
    mean = models.DecimalField("ค่าเฉลี่ยระดับประเทศ", max_digits=5, decimal_places=2)
    source = models.CharField(
        "ที่มา", max_length=300, blank=True, help_text="เช่น ประกาศผลการทดสอบ O-NET ของ สทศ."
    )
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "ค่าเฉลี่ย O-NET ระดับประเทศ"
        verbose_name_plural = "ค่าเฉลี่ย O-NET ระดับประเทศ"
        ordering = ["-academic_year", "grade", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "academic_year", "grade", "subject"],
                name="onet_national_unique_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.subject} {self.academic_year}"


class SarEdition(models.Model):
    code = models.SlugField("รหัส", max_length=30, unique=True)
    name = models.CharField("ชื่อ", max_length=300)
    source = models.CharField("ที่มา", max_length=300)
    to_verify = models.BooleanField(
        "ถ้อยคำระดับคุณภาพต้องตรวจสอบกับมาตรฐานฉบับจริง",
        default=False,
        help_text="แสดงเป็นคำเตือนในหน้า SAR ให้ผู้ดูแลระบบตรวจสอบ ไม่พิมพ์ลงในรายงาน",
    )
    active = models.BooleanField("ใช้งาน", default=True)

    class Meta:
        verbose_name = "มาตรฐานสำนักงานเขตพื้นที่ (ฉบับ)"
        verbose_name_plural = "มาตรฐานสำนักงานเขตพื้นที่ (ฉบับ)"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SarStandard(models.Model):
    edition = models.ForeignKey(SarEdition, on_delete=models.CASCADE, related_name="standards")
    number = models.CharField("ที่", max_length=10)
    title = models.CharField("มาตรฐาน/ประเด็น", max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class SarIndicator(models.Model):
    standard = models.ForeignKey(SarStandard, on_delete=models.CASCADE, related_name="indicators")
    number = models.CharField("ที่", max_length=10)
    title = models.CharField("ตัวบ่งชี้", max_length=500)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"ตัวบ่งชี้ที่ {self.number} {self.title}"


class SarItem(models.Model):
    """A numbered item (ข้อ/ประเด็นพิจารณา) rated on the indicator's levels."""

    indicator = models.ForeignKey(SarIndicator, on_delete=models.CASCADE, related_name="items")
    number = models.CharField("ข้อ", max_length=10)
    title = models.CharField("ประเด็นพิจารณา", max_length=500)
    requirement = models.CharField(
        "เงื่อนไข", max_length=300, blank=True, help_text="เช่น “ครบทุกข้อ” “ครบทั้ง 2 ข้อ”"
    )
    follow_up_key = models.CharField(
        "หลักฐานการนำผลการติดตามมาปรับกระบวนการ",
        max_length=40,
        blank=True,
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SarPoint(models.Model):
    """A sub-point of an item (the ☐ boxes of the SAR) and where its evidence comes from."""

    item = models.ForeignKey(SarItem, on_delete=models.CASCADE, related_name="points")
    text = models.CharField("ประเด็นย่อย", max_length=300)
    evidence_key = models.CharField("แหล่งหลักฐาน", max_length=40)
    params = models.JSONField("เกณฑ์ของหลักฐาน", default=dict, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.text


class Coverage(models.TextChoices):
    ALL = "all", "ทุกประเด็นย่อย"
    ANY = "any", "อย่างน้อย 1 ประเด็นย่อย"
    NONE = "", "ไม่กำหนด"


class SarLevelRule(models.Model):
    """One quality level of an indicator: its rubric text and the explicit rule used to
    suggest it. A level is suggested when every condition holds; the highest such level wins."""

    indicator = models.ForeignKey(SarIndicator, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField("ระดับ")
    description = models.TextField("คำอธิบายคุณภาพ")
    evidence_in = models.CharField(
        "มีร่องรอยหลักฐาน", max_length=3, choices=Coverage.choices, blank=True
    )
    clear_in = models.CharField(
        "หลักฐานชัดเจน ตรวจสอบได้", max_length=3, choices=Coverage.choices, blank=True
    )
    needs_follow_up = models.BooleanField("ต้องนำผลการติดตามมาปรับกระบวนการ", default=False)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="sar_level_unique")
        ]

    def __str__(self) -> str:
        return f"ระดับ {self.level}"


class SarReport(models.Model):
    """An office's SAR draft for one half-year round of a fiscal year against one edition:
    the SAR reports "การดำเนินงานในรอบ 6 เดือนแรก" and "รอบ 6 เดือนหลัง" separately, and the
    evidence of a round is computed from that round's months (thai_dates.fiscal_half)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="sar_reports")
    edition = models.ForeignKey(SarEdition, on_delete=models.PROTECT, related_name="reports")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    round_number = models.PositiveSmallIntegerField(
        "รอบการรายงาน", default=2, choices=sorted(HALF_YEAR_ROUNDS.items())
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "รายงานการประเมินตนเอง (SAR)"
        verbose_name_plural = "รายงานการประเมินตนเอง (SAR)"
        ordering = ["-fiscal_year", "-round_number", "edition__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "edition", "fiscal_year", "round_number"],
                name="sar_report_unique_round",
            )
        ]

    def __str__(self) -> str:
        return f"SAR {self.fiscal_year} {self.round_label} {self.edition}"

    @property
    def round_label(self) -> str:
        return HALF_YEAR_ROUNDS[self.round_number]

    @property
    def period(self) -> tuple:
        return fiscal_half(self.fiscal_year, self.round_number)

    @property
    def period_label(self) -> str:
        return period_label(*self.period)


class SarEntry(models.Model):
    """What the officers wrote for one item, and the level they decided."""

    report = models.ForeignKey(SarReport, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(SarItem, on_delete=models.PROTECT, related_name="+")
    office_data = models.TextField("ข้อมูลสารสนเทศเพิ่มเติม", blank=True)
    success_factors = models.TextField("ปัจจัย/วิธีการที่ทำให้สำเร็จ / Best Practice", blank=True)
    problems = models.TextField("ปัญหา/อุปสรรค/ข้อจำกัด", blank=True)
    points_to_develop = models.TextField("จุดที่ควรพัฒนา", blank=True)
    guidelines = models.TextField("แนวทางการพัฒนา", blank=True)
    extra_evidence = models.TextField("เอกสาร/หลักฐานอ้างอิงเพิ่มเติม (บรรทัดละรายการ)", blank=True)
    officer_level = models.PositiveSmallIntegerField("ระดับคุณภาพที่เจ้าหน้าที่ตัดสิน", null=True, blank=True)
    suggested_level = models.PositiveSmallIntegerField(
        "ระดับที่ระบบเสนอ (ณ วันที่บันทึก)", null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="sar_entry_unique")]

    def __str__(self) -> str:
        return f"SAR {self.report_id} ข้อ {self.item_id}"


class SarAttachment(models.Model):
    entry = models.ForeignKey(SarEntry, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField("ชื่อเอกสาร", max_length=300)
    file = UploadFileField("ไฟล์", upload_to="reporting/sar/%Y/", kind=DOCUMENT.key)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------- MOE inspection report


class InspectionPolicy(models.Model):
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    number = models.PositiveSmallIntegerField("นโยบายที่")
    title = models.CharField("นโยบาย", max_length=500)
    source = models.CharField("ที่มา", max_length=300, blank=True)

    class Meta:
        verbose_name = "นโยบายการตรวจราชการ"
        verbose_name_plural = "นโยบายการตรวจราชการ"
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="policy_unique")
        ]

    def __str__(self) -> str:
        return f"นโยบายที่ {self.number} {self.title}"


class FocusPoint(models.Model):
    policy = models.ForeignKey(InspectionPolicy, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField("จุดเน้นที่")
    title = models.CharField("จุดเน้น", max_length=500)
    best_practice_topic = models.CharField("หัวข้อนวัตกรรม/Best Practice", max_length=500, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.policy.number}.{self.number} {self.title}"


class FocusQuestion(models.Model):
    """A progress item (ความก้าวหน้า ๑) ๒) …) and, if KruPD holds data on it, the key of the
    function in reporting/inspection.py that pre-fills it."""

    point = models.ForeignKey(FocusPoint, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("ข้อ")
    text = models.TextField("ประเด็นความก้าวหน้า")
    prefill_key = models.CharField("ข้อมูลที่เติมให้", max_length=40, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}) {clip(self.text, 60)}"


class InspectionReport(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="inspection_reports")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    round_number = models.PositiveSmallIntegerField(
        "รอบที่", default=1, choices=[(1, "รอบที่ 1"), (2, "รอบที่ 2")]
    )
    foreword = models.TextField(
        "คำนำ", blank=True, help_text="เว้นว่าง = ใช้คำนำมาตรฐานที่มีชื่อหน่วยงาน รอบ และปีงบประมาณ"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "รายงานผลการตรวจราชการ"
        verbose_name_plural = "รายงานผลการตรวจราชการ"
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="inspection_unique")
        ]

    def __str__(self) -> str:
        return f"รายงานผลการตรวจราชการ {self.fiscal_year}"


class FocusAnswer(models.Model):
    report = models.ForeignKey(InspectionReport, on_delete=models.CASCADE, related_name="answers")
    point = models.ForeignKey(FocusPoint, on_delete=models.PROTECT, related_name="+")
    success_factors = models.TextField("ปัจจัยขับเคลื่อนสู่ความสำเร็จ", blank=True)
    best_practice = models.TextField("นวัตกรรม/รูปแบบ/แนวทาง (Best Practice)", blank=True)
    best_practice_ref = models.PositiveIntegerField(
        "ผลงานในคลัง Best Practice", null=True, blank=True
    )
    area_suggestions = models.TextField("ข้อเสนอแนะระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", blank=True)
    policy_suggestions = models.TextField("ข้อเสนอแนะระดับนโยบาย", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "point"], name="focus_answer_unique")
        ]

    def __str__(self) -> str:
        return f"รายงาน {self.report_id} จุดเน้น {self.point_id}"


class ProgressAnswer(models.Model):
    answer = models.ForeignKey(FocusAnswer, on_delete=models.CASCADE, related_name="progress")
    question = models.ForeignKey(FocusQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("ผลการดำเนินงาน", blank=True)
    prefilled = models.TextField("ข้อความที่ระบบเติมจากข้อมูล", blank=True)

    class Meta:
        ordering = ["question__number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="progress_unique")
        ]

    def __str__(self) -> str:
        return f"ความก้าวหน้า {self.question_id}"


class ProblemSolution(models.Model):
    answer = models.ForeignKey(FocusAnswer, on_delete=models.CASCADE, related_name="problems")
    order = models.PositiveSmallIntegerField(default=1)
    problem = models.TextField("ปัญหา/อุปสรรค")
    solution = models.TextField("วิธีการ/แนวทางการแก้ไขปัญหา", blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return clip(self.problem, 60)


# ------------------------------------------------- submitting the inspection report to the province


class SubmissionStatus(models.TextChoices):
    """Where an office's inspection report stands with its province for one round. A report
    with no submission for its round is a draft (ร่าง)."""

    SUBMITTED = "submitted", "ส่งแล้ว"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    ACCEPTED = "accepted", "รับแล้ว"


DRAFT_LABEL = "ร่าง"
# Submitted and accepted reports are locked: the province reads what was sent.
LOCKED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class InspectionSubmission(models.Model):
    """The office's report sent to its province for one inspection round, and the province's
    answer (returned with comments, or accepted). One row per report and round."""

    report = models.ForeignKey(
        InspectionReport,
        verbose_name="รายงานผลการตรวจราชการ",
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    round_number = models.PositiveSmallIntegerField("รอบที่")
    status = models.CharField("สถานะ", max_length=10, choices=SubmissionStatus.choices)
    comment = models.TextField("ความเห็นของจังหวัด", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ส่ง",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("ส่งเมื่อ")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้พิจารณา",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("จังหวัดตอบเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การส่งรายงานผลการตรวจราชการ"
        verbose_name_plural = "การส่งรายงานผลการตรวจราชการ"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "round_number"], name="inspection_submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report.office} รอบที่ {self.round_number} ({self.get_status_display()})"


class InspectionVersion(models.Model):
    """What the office sent, as it was when sent: the report's text as JSON, numbered 1, 2, …
    per report. The province reads and exports these, never the draft being edited."""

    report = models.ForeignKey(
        InspectionReport,
        verbose_name="รายงานผลการตรวจราชการ",
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField("ฉบับที่")
    round_number = models.PositiveSmallIntegerField("รอบที่")
    content = models.JSONField("ข้อความที่ส่ง")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ส่ง",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("ส่งเมื่อ")
    # The province's answer to this version (blank while it waits).
    outcome = models.CharField(
        "ผลการพิจารณา", max_length=10, choices=SubmissionStatus.choices, blank=True
    )
    comment = models.TextField("ความเห็นของจังหวัด", blank=True)

    class Meta:
        verbose_name = "ฉบับที่ส่งของรายงานผลการตรวจราชการ"
        verbose_name_plural = "ฉบับที่ส่งของรายงานผลการตรวจราชการ"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="inspection_version_unique")
        ]

    def __str__(self) -> str:
        return f"ฉบับที่ {self.number} (รอบที่ {self.round_number})"


# ------------------------------------------------------------------ developed people (kept)


class DevelopedHours(models.Model):
    """How many active people of the office, of a school and personnel type, had exactly
    `hours` development hours (passed course hours wherever the course ran plus PLC meetings
    attended) in a fiscal year: a histogram, so any "developed" threshold is a sum
    of its rows with hours ≥ threshold. `bucket` 0 is the whole year; 6 and 12 count only hours
    passed by the end of that fiscal month (the SAR's half-year rounds, developed.CUTOFF_MONTHS).

    Kept by reporting.developed in the transaction of every write that changes someone's
    hours, school, type or status; rebuilt and verified by `manage.py rebuild_developed_hours`.
    Rows whose count fell to 0 stay until the next rebuild (readers skip them)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    # The person's school id; 0 for people not attached to a school (an office's own staff).
    # A plain number, not a foreign key: a NULL could not take part in the unique key the
    # counts are added to (INSERT … ON CONFLICT).
    school = models.IntegerField()
    fiscal_year = models.PositiveSmallIntegerField()
    bucket = models.PositiveSmallIntegerField()
    personnel_type = models.CharField(max_length=24)
    hours = models.DecimalField(max_digits=9, decimal_places=1)
    people = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year", "bucket", "school", "personnel_type", "hours"],
                name="developed_hours_unique",
            )
        ]
        indexes = [
            # The dashboard's read (developed.developed_counts) from the index alone: the
            # unique key lacks `people`, so reading an office's four years (66,000 rows for
            # 100,000 people) also looked up every row in the table.
            models.Index(
                fields=[
                    "office",
                    "fiscal_year",
                    "bucket",
                    "school",
                    "personnel_type",
                    "hours",
                    "people",
                ],
                name="developed_hours_read_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year}/{self.bucket} {self.school} {self.personnel_type} {self.hours}"


class PersonHours(models.Model):
    """One person's development hours of a fiscal year: passed course hours credited in it,
    whichever office ran the course, plus the PLC meetings they attended in it (the hours
    training.queries.developed_report adds up). A row exists when the person has any such
    record in the year, even of 0 hours.

    Per person, not per school or academic standing: the "% developed" report groups people
    by their school, type and standing as they are when it is read, so a promotion, transfer
    or status change (save_person, the personnel import) changes no stored row; only writes
    that change hours do, and they run inside reporting.developed.keeping, which recounts
    the named people's rows. Rebuilt and verified with DevelopedHours."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hours_by_year")
    fiscal_year = models.PositiveSmallIntegerField()
    hours = models.DecimalField(max_digits=9, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "fiscal_year"], name="person_hours_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.fiscal_year} {self.hours}"


class DevelopedHoursBuilt(models.Model):
    """An office whose DevelopedHours rows were built from a full count (every year at once:
    from then on every write keeps them). Until then its pages count from the records."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()
    # Its people's PersonHours rows were built too. False for offices built before that table
    # existed: the "% developed" report counts from the records until the next rebuild.
    person_hours = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.office_id} {self.built_at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------- large SAR files


class SarExport(worker_files.WorkerFile):
    """A SAR too large to write while the browser waits (a large office's annex has thousands
    of courses), written to a PDF or DOCX file by the task worker with progress; only the
    person who asked downloads it, while they may still read the SAR. A small SAR is written
    straight into the response and leaves no row here."""

    FILES_UNDER = ("reporting", "sar-exports")

    report = models.ForeignKey(SarReport, on_delete=models.CASCADE, related_name="exports")
    thai_digits = models.BooleanField(default=False)  # the file's "?digits=thai"
    # Progress: the items and the rows of their tables written, of all of them.
    total_steps = models.PositiveIntegerField(default=0)
    done_steps = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)  # PDF pages written so far

    class Meta(worker_files.WorkerFile.Meta):
        verbose_name = "ไฟล์รายงาน SAR"
        verbose_name_plural = "ไฟล์รายงาน SAR"
        indexes = [models.Index(fields=["requested_by", "report", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.report} {self.file_format.upper()} #{self.pk}"

    @property
    def format_label(self) -> str:
        label = self.file_format.upper()
        return f"{label} (เลขไทย)" if self.thai_digits else label
