"""Competency frameworks, assessment rounds and needs, the strategic frame, plans, ID plans.

A framework row is one *version*: rounds point at the version they were opened with, so
answers always keep the items and scale they were given on. A version that has answers is
never edited in place; the office copies it into a new version instead (actions.py).
"""

from django.conf import settings
from django.db import models

from krupd.lib.clipping import clip
from registry.models import (
    AcademicStanding,
    LearningArea,
    Office,
    Person,
    PersonnelType,
    School,
)
from training.models import ResultSource

# ---------------------------------------------------------------------------------------------
# Competency frameworks


class Framework(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="frameworks")
    code = models.CharField("รหัสกรอบ", max_length=30)
    version = models.CharField("ฉบับ", max_length=30)
    name = models.CharField("ชื่อกรอบสมรรถนะ", max_length=200)
    source = models.CharField("ที่มา/อ้างอิง", max_length=300, blank=True)
    scale_min = models.PositiveSmallIntegerField("คะแนนต่ำสุด", default=1)
    scale_max = models.PositiveSmallIntegerField("คะแนนสูงสุด", default=5)
    # One label per scale point, lowest first, e.g. ["น้อยที่สุด", …, "มากที่สุด"].
    scale_labels = models.JSONField("ความหมายของแต่ละระดับ", default=list, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "กรอบสมรรถนะ"
        verbose_name_plural = "กรอบสมรรถนะ"
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code", "version"], name="framework_unique_version"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="framework_scale_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (ฉบับ {self.version})"

    @property
    def scale(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def scale_label(self, value: int) -> str:
        i = value - self.scale_min
        return self.scale_labels[i] if 0 <= i < len(self.scale_labels) else str(value)


class Domain(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    code = models.CharField("รหัสด้าน", max_length=20)
    name = models.CharField("ด้าน/องค์ประกอบ", max_length=200)
    sort_order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "ด้านสมรรถนะ"
        verbose_name_plural = "ด้านสมรรถนะ"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """A rated item: a competency or indicator. Its level descriptors are CompetencyLevel rows."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField("รหัส", max_length=20)
    name = models.CharField("สมรรถนะ/ตัวชี้วัด", max_length=300)
    description = models.TextField("คำอธิบาย", blank=True)
    sort_order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "สมรรถนะ/ตัวชี้วัด"
        verbose_name_plural = "สมรรถนะ/ตัวชี้วัด"
        ordering = ["domain__sort_order", "domain_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="competency_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CompetencyLevel(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField("ระดับ")
    descriptor = models.TextField("คำอธิบายระดับ")

    class Meta:
        ordering = ["value"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "value"], name="level_unique_value")
        ]

    # ---------------------------------------------------------------------------------------------
    # Needs-survey catalogue and assessment rounds

    def __str__(self) -> str:
        return f"{self.value}: {clip(self.descriptor, 50)}"


class Mode(models.TextChoices):
    WORKSHOP = "workshop", "อบรมเชิงปฏิบัติการ"
    ONLINE = "online", "อบรมออนไลน์"
    COACHING = "coaching", "การโค้ช/พี่เลี้ยง"
    PLC = "plc", "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)"
    STUDY_VISIT = "study_visit", "ศึกษาดูงาน"


class Topic(models.Model):
    """A development topic the office offers in the needs survey (the catalogue it edits)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="need_topics")
    name = models.CharField("หัวข้อการพัฒนา", max_length=200)
    competency_code = models.CharField(
        "รหัสสมรรถนะที่เกี่ยวข้อง",
        max_length=20,
        blank=True,
        help_text="ใช้เสนอหัวข้อใน ID Plan จากช่องว่างสมรรถนะ (รหัสเดียวกันทุกฉบับของกรอบ)",
    )
    active = models.BooleanField("ใช้ในแบบสำรวจ", default=True)
    sort_order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "หัวข้อการพัฒนา"
        verbose_name_plural = "หัวข้อการพัฒนา"
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="topic_unique")]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """One yearly assessment + needs survey (the KA Model: every July)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="assessment_rounds")
    year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    name = models.CharField("ชื่อรอบ", max_length=200)
    framework = models.ForeignKey(
        Framework, verbose_name="กรอบสมรรถนะ (ฉบับ)", on_delete=models.PROTECT, related_name="rounds"
    )
    opens = models.DateField("เปิดรับ")
    closes = models.DateField("ปิดรับ")
    target_types = models.JSONField("กลุ่มเป้าหมาย", default=list, help_text="ประเภทบุคลากรที่ต้องประเมิน")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "รอบการประเมิน"
        verbose_name_plural = "รอบการประเมิน"
        ordering = ["-year", "-opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="round_window_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today) -> bool:
        return self.opens <= today <= self.closes

    @property
    def target_labels(self) -> list[str]:
        labels = dict(PersonnelType.choices)
        return [labels.get(t, t) for t in self.target_types]


class RaterKind(models.TextChoices):
    SELF = "self", "ประเมินตนเอง"
    DIRECTOR = "director", "ผู้บริหารประเมิน"


class Response(models.Model):
    """One person's answers in a round, by themself or by their director.

    School, type, standing and learning area are copied at submission so later transfers or
    promotions do not move old answers between groups.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    rater_kind = models.CharField(max_length=10, choices=RaterKind.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    personnel_type = models.CharField(max_length=24, choices=PersonnelType.choices)
    standing = models.ForeignKey(AcademicStanding, on_delete=models.SET_NULL, null=True, blank=True)
    learning_area = models.ForeignKey(
        LearningArea, on_delete=models.SET_NULL, null=True, blank=True
    )
    modes = models.JSONField("รูปแบบการพัฒนาที่ต้องการ", default=list, blank=True)
    # What a form's "อื่นๆ" answer to the modes question says, as typed ("ศึกษาด้วยตนเอง"):
    # a mode the survey does not offer, kept beside the modes rather than dropped.
    other_modes = models.JSONField("รูปแบบการพัฒนาอื่นที่ระบุเอง", default=list, blank=True)
    reasons = models.TextField("เหตุผล/ความต้องการเพิ่มเติม", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Answered in the system, or brought in from a Google Forms responses file (imports).
    source = models.CharField(
        "ที่มา", max_length=10, choices=ResultSource.choices, default=ResultSource.ONLINE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "แบบประเมิน"
        verbose_name_plural = "แบบประเมิน"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "rater_kind"], name="response_unique_rater"
            )
        ]
        indexes = [models.Index(fields=["round", "rater_kind", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.round_id} ({self.rater_kind})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Rating(models.Model):
    """Current level (D) and expected/importance level (I) of one item."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    current = models.PositiveSmallIntegerField("สภาพปัจจุบัน (D)")
    expected = models.PositiveSmallIntegerField("สภาพที่คาดหวัง (I)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "competency"], name="rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: D={self.current} I={self.expected}"


class TopicAnswer(models.Model):
    """A topic the person wants to develop: from the catalogue, or typed in (free text)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True)
    free_text = models.CharField(max_length=200, blank=True)
    current = models.PositiveSmallIntegerField("ความรู้ปัจจุบัน (D)", null=True, blank=True)
    expected = models.PositiveSmallIntegerField("ความต้องการ (I)", null=True, blank=True)

    # ---------------------------------------------------------------------------------------------
    # Strategic frame (the plan)

    def __str__(self) -> str:
        return self.free_text or str(self.topic_id)


class StrategicFrame(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="strategic_frames")
    name = models.CharField("ชื่อ", max_length=200)
    start_year = models.PositiveSmallIntegerField("ตั้งแต่ปีงบประมาณ (พ.ศ.)")
    end_year = models.PositiveSmallIntegerField("ถึงปีงบประมาณ (พ.ศ.)")
    vision = models.TextField("วิสัยทัศน์", blank=True)
    source = models.CharField("ที่มา", max_length=300, blank=True)

    class Meta:
        verbose_name = "กรอบยุทธศาสตร์"
        verbose_name_plural = "กรอบยุทธศาสตร์"
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return self.name

    def sections(self) -> list[tuple[str, list]]:
        """(heading, items) in the frame's reading order; uses prefetched items if any."""
        items = list(self.items.all())
        return [
            (kind.label, [i for i in items if i.kind == kind])
            for kind in FRAME_ORDER
            if any(i.kind == kind for i in items)
        ]


class ItemKind(models.TextChoices):
    MISSION = "mission", "พันธกิจ"
    GOAL = "goal", "เป้าประสงค์"
    STRATEGY = "strategy", "กลยุทธ์"
    MEASURE = "measure", "มาตรการ"
    GUIDELINE = "guideline", "แนวทางการดำเนินงาน"


# The order a frame is read in (the plan): vision, then these, then the success indicators.
FRAME_ORDER = [
    ItemKind.MISSION,
    ItemKind.GOAL,
    ItemKind.STRATEGY,
    ItemKind.MEASURE,
    ItemKind.GUIDELINE,
]


class FrameItem(models.Model):
    frame = models.ForeignKey(StrategicFrame, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("ประเภท", max_length=10, choices=ItemKind.choices)
    number = models.PositiveSmallIntegerField("ข้อ")
    text = models.TextField("ข้อความ")
    details = models.TextField("รายละเอียด (บรรทัดละข้อ)", blank=True)

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "kind", "number"], name="frame_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}. {self.text}"

    @property
    def detail_lines(self) -> list[str]:
        return [line.strip(" -") for line in self.details.splitlines() if line.strip(" -")]


class Kpi(models.Model):
    frame = models.ForeignKey(StrategicFrame, on_delete=models.CASCADE, related_name="kpis")
    number = models.PositiveSmallIntegerField("ข้อ")
    text = models.CharField("ตัวชี้วัด", max_length=300)
    baseline = models.DecimalField("ค่าฐาน", max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(
        "ค่าเป้าหมาย", max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField("หน่วย", max_length=50, blank=True)
    year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", null=True, blank=True)
    # The dashboard indicator (reporting KpiTarget code) that measures this one from data:
    # the frame's typed target and the computed result are then shown side by side.
    measure = models.CharField("วัดผลด้วยตัวชี้วัดในแดชบอร์ด", max_length=40, blank=True)
    strategy = models.ForeignKey(
        FrameItem,
        verbose_name="กลยุทธ์",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": ItemKind.STRATEGY},
    )

    class Meta:
        ordering = ["number"]

    # ---------------------------------------------------------------------------------------------
    # Plans: 3-year HR development plan and the annual action plan

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class PlanKind(models.TextChoices):
    HR_3Y = "hr3y", "แผนพัฒนาทรัพยากรบุคคล 3 ปี"
    ANNUAL = "annual", "แผนปฏิบัติการประจำปี"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "เสนออนุมัติ"
    APPROVED = "approved", "อนุมัติแล้ว"


class Plan(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="dev_plans")
    kind = models.CharField("ประเภทแผน", max_length=10, choices=PlanKind.choices)
    title = models.CharField("ชื่อแผน", max_length=300)
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    end_year = models.PositiveSmallIntegerField("ถึงปีงบประมาณ (พ.ศ.)")
    frame = models.ForeignKey(
        StrategicFrame,
        verbose_name="กรอบยุทธศาสตร์",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    needs_round = models.ForeignKey(
        Round,
        verbose_name="ผลการประเมินความต้องการที่ใช้",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    introduction = models.TextField("หลักการและเหตุผล", blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "แผนพัฒนา"
        verbose_name_plural = "แผนพัฒนา"
        ordering = ["-fiscal_year", "kind", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.end_year != self.fiscal_year:
            return f"{self.fiscal_year}–{self.end_year}"
        return str(self.fiscal_year)


class PlanEvent(models.Model):
    """Workflow history of a plan or an ID plan (exactly one of the two is set)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    id_plan = models.ForeignKey(
        "IdPlan", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def _label(self, status: str) -> str:
        labels = dict(IdPlanStatus.choices if self.id_plan_id else PlanStatus.choices)
        return labels.get(status, status)

    @property
    def from_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)


class Project(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField("ลำดับ", default=1)
    name = models.CharField("ชื่อโครงการ", max_length=300)
    rationale = models.TextField("หลักการและเหตุผล", blank=True)
    objectives = models.TextField("วัตถุประสงค์ (บรรทัดละข้อ)", blank=True)
    target_groups = models.CharField("กลุ่มเป้าหมาย", max_length=300, blank=True)
    target_count = models.PositiveIntegerField("จำนวนเป้าหมาย (คน)", null=True, blank=True)
    expected_results = models.TextField("ผลที่คาดว่าจะได้รับ", blank=True)
    owner = models.CharField("ผู้รับผิดชอบ", max_length=200, blank=True)
    strategies = models.ManyToManyField(
        FrameItem, verbose_name="กลยุทธ์ที่ตอบสนอง", blank=True, related_name="projects"
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name="ความต้องการจำเป็น (สมรรถนะ)", blank=True, related_name="projects"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name="ความต้องการจำเป็น (หัวข้อ)", blank=True, related_name="projects"
    )

    class Meta:
        verbose_name = "โครงการ"
        verbose_name_plural = "โครงการ"
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Activity(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField("กิจกรรม", max_length=300)
    mode = models.CharField("รูปแบบ", max_length=12, choices=Mode.choices, blank=True)
    starts = models.DateField("เริ่ม", null=True, blank=True)
    ends = models.DateField("สิ้นสุด", null=True, blank=True)
    participants = models.PositiveIntegerField("ผู้เข้าร่วม (คน)", null=True, blank=True)

    class Meta:
        ordering = ["starts", "id"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField("รายการ", max_length=300)
    amount = models.DecimalField("งบประมาณ (บาท)", max_digits=12, decimal_places=2)
    source = models.CharField("แหล่งงบประมาณ", max_length=100, blank=True)
    actual = models.DecimalField(
        "ใช้จริง (บาท)", max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ProjectKpi(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpis")
    text = models.CharField("ตัวชี้วัด", max_length=300)
    target = models.DecimalField(
        "ค่าเป้าหมาย", max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField("หน่วย", max_length=50, blank=True)
    actual = models.DecimalField("ผลจริง", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]

    # ---------------------------------------------------------------------------------------------
    # Individual development plans (ว 22/2560)

    def __str__(self) -> str:
        return self.text


class ProjectReport(models.Model):
    """The written parts of a project's results report, which only the project team knows:
    the summary, qualitative results, what made it work, problems and suggestions. The
    figures of the report (courses held, people, passes, KPI and budget results against
    their targets) are computed each time (planning.queries.project_results)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField("สรุปผลการดำเนินงาน", blank=True)
    quality_results = models.TextField("ผลสำเร็จเชิงคุณภาพ", blank=True)
    success_factors = models.TextField("รูปแบบ/เทคนิคที่ทำให้เกิดความสำเร็จ", blank=True)
    problems = models.TextField("ปัญหา/อุปสรรค", blank=True)
    suggestions = models.TextField("ข้อเสนอแนะ", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "รายงานผลการดำเนินงานโครงการ"
        verbose_name_plural = "รายงานผลการดำเนินงานโครงการ"

    def __str__(self) -> str:
        return f"รายงานผล {self.project}"


class IdPlanStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "รอผู้บริหารพิจารณา"
    RETURNED = "returned", "ส่งกลับให้แก้ไข"
    APPROVED = "approved", "อนุมัติแล้ว"


class IdPlan(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="id_plans")
    year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=IdPlanStatus.choices, default=IdPlanStatus.DRAFT
    )
    goal = models.TextField("เป้าหมายการพัฒนาตนเอง", blank=True)
    director_comment = models.TextField("ความเห็นผู้บริหาร", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "แผนพัฒนาตนเองรายบุคคล (ID Plan)"
        verbose_name_plural = "แผนพัฒนาตนเองรายบุคคล (ID Plan)"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="idplan_one_per_year")
        ]

    def __str__(self) -> str:
        return f"ID Plan {self.year} ({self.person_id})"


class IdPlanItem(models.Model):
    plan = models.ForeignKey(IdPlan, on_delete=models.CASCADE, related_name="items")
    competency = models.ForeignKey(Competency, on_delete=models.SET_NULL, null=True, blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField("เรื่องที่จะพัฒนา", max_length=300)
    mode = models.CharField("วิธีการพัฒนา", max_length=12, choices=Mode.choices, blank=True)
    period = models.CharField("ช่วงเวลา", max_length=100, blank=True)
    expected_outcome = models.CharField("ผลที่คาดว่าจะได้รับ", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
