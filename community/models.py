"""PLC groups and logs, supervision visits, network profiles, partners and MOUs, awards,
best practices.

Registry owns the school network itself (Network, School.network); this app adds what a
network does (NetworkProfile and its goals, activities and budget). What an office sets for
itself (PLC hours a year, term dates) is a row in CommunityRules; the partnership growth target
is the plan's KPI target (reporting.KpiTarget "partnerships").
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from krupd.uploads import DOCUMENT, EVIDENCE, UploadFileField
from registry.models import LearningArea, Network, Office, Person, School
from reporting.onet import ONET_GRADES

from .goal_measures import MEASURE_CHOICES


class CommunityRules(models.Model):
    """What an office decides for itself; defaults cite where they come from."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="community_rules")
    plc_hour_target = models.DecimalField(
        "เป้าหมายชั่วโมง PLC ต่อคนต่อปี",
        max_digits=5,
        decimal_places=1,
        default=Decimal("50"),
        help_text="เกณฑ์เดิม: PLC อย่างน้อย 50 ชั่วโมงต่อปี (ปรับตามนโยบายของเขต)",
    )
    term_one_opens = models.CharField(
        "วันเปิดภาคเรียนที่ 1 (วว/ดด)",
        max_length=5,
        default="16/05",
        help_text="วันเริ่มปีการศึกษา (ปกติ 16 พ.ค.); ใช้นับโรงเรียนที่ยังไม่ได้รับการนิเทศในภาคเรียน",
    )
    term_two_opens = models.CharField(
        "วันเปิดภาคเรียนที่ 2 (วว/ดด)",
        max_length=5,
        default="01/11",
        help_text="ปกติประมาณ 1 พ.ย.; ใช้นับโรงเรียนที่ยังไม่ได้รับการนิเทศในภาคเรียน",
    )

    class Meta:
        verbose_name = "การตั้งค่างานชุมชนการเรียนรู้และเครือข่าย"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"การตั้งค่า {self.office_id}"

    def term_opening(self, term: int) -> tuple[int, int]:
        """(month, day) the term opens, from the office's วว/ดด setting."""
        day, month = (
            int(x) for x in (self.term_one_opens if term == 1 else self.term_two_opens).split("/")
        )
        return month, day


# ---------------------------------------------------------------------------------- PLC


class PLCLevel(models.TextChoices):
    SCHOOL = "school", "ระดับสถานศึกษา"
    NETWORK = "network", "ระดับเครือข่าย"
    OFFICE = "office", "ระดับเขตพื้นที่"


class PLCGroup(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="plc_groups")
    level = models.CharField("ระดับ", max_length=8, choices=PLCLevel.choices)
    school = models.ForeignKey(
        School,
        verbose_name="สถานศึกษา",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plc_groups",
    )
    network = models.ForeignKey(
        Network,
        verbose_name="เครือข่าย",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plc_groups",
    )
    name = models.CharField("ชื่อกลุ่ม", max_length=200)
    topic = models.CharField("ประเด็น/หัวข้อ", max_length=300)
    target_learners = models.CharField(
        "กลุ่มเป้าหมายผู้เรียน", max_length=200, blank=True, help_text="เช่น นักเรียน ป.4–6 ที่อ่านไม่คล่อง"
    )
    learning_area = models.ForeignKey(
        LearningArea, verbose_name="กลุ่มสาระ", on_delete=models.SET_NULL, null=True, blank=True
    )
    facilitator = models.ForeignKey(
        Person,
        verbose_name="ผู้อำนวยความสะดวก (Facilitator)",
        on_delete=models.PROTECT,
        related_name="plc_facilitated",
    )
    members = models.ManyToManyField(Person, verbose_name="สมาชิก", related_name="plc_groups")
    academic_year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "กลุ่ม PLC"
        verbose_name_plural = "กลุ่ม PLC"
        ordering = ["-academic_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level="school", school__isnull=False)
                    | models.Q(level="network", network__isnull=False)
                    | models.Q(level="office")
                ),
                name="plc_group_level_has_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_name(self) -> str:
        if self.level == PLCLevel.SCHOOL and self.school_id:
            return self.school.name
        if self.level == PLCLevel.NETWORK and self.network_id:
            return self.network.name
        return self.office.name


class PLCMeeting(models.Model):
    """One meeting of a PLC cycle, logged step by step; attendees earn its hours."""

    group = models.ForeignKey(PLCGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("วันที่")
    hours = models.DecimalField("จำนวนชั่วโมง", max_digits=4, decimal_places=1)
    problem = models.TextField("ปัญหา/ความต้องการ (Problem)", blank=True)
    plan = models.TextField("วางแผน/ออกแบบ (Plan)", blank=True)
    action = models.TextField("ปฏิบัติ (Action)", blank=True)
    observation = models.TextField("สังเกต (Observation)", blank=True)
    reflection = models.TextField("สะท้อนผล (Reflection)", blank=True)
    attendees = models.ManyToManyField(Person, verbose_name="ผู้เข้าร่วม", related_name="plc_meetings")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "บันทึกกิจกรรม PLC"
        verbose_name_plural = "บันทึกกิจกรรม PLC"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="plc_meeting_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.date}"


class PLCEvidence(models.Model):
    meeting = models.ForeignKey(PLCMeeting, on_delete=models.CASCADE, related_name="evidence")
    file = UploadFileField("ไฟล์หลักฐาน", upload_to="community/plc/%Y/", kind=EVIDENCE.key)
    label = models.CharField("คำอธิบาย", max_length=200, blank=True)

    class Meta:
        verbose_name = "หลักฐาน PLC"
        verbose_name_plural = "หลักฐาน PLC"

    def __str__(self) -> str:
        return self.label or self.file.name


# ---------------------------------------------------------------------------- supervision


class VisitKind(models.TextChoices):
    SUPERVISION = "supervision", "นิเทศ ติดตาม"
    COACHING = "coaching", "การโค้ช"
    MENTORING = "mentoring", "พี่เลี้ยง (Mentoring)"
    FOLLOW_UP = "follow_up", "ติดตามผลหลังการอบรม"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "นัดหมาย"
    DONE = "done", "ดำเนินการแล้ว"
    CANCELLED = "cancelled", "ยกเลิก"


class Visit(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="visits")
    school = models.ForeignKey(
        School, verbose_name="สถานศึกษา", on_delete=models.CASCADE, related_name="visits"
    )
    kind = models.CharField("ประเภท", max_length=12, choices=VisitKind.choices)
    status = models.CharField(
        "สถานะ", max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    date = models.DateField("วันที่")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้นิเทศ/โค้ช",
        on_delete=models.SET_NULL,
        null=True,
        related_name="visits",
    )
    visitor_name = models.CharField("ชื่อผู้นิเทศ/โค้ช", max_length=200)
    people = models.ManyToManyField(
        Person, verbose_name="ผู้รับการนิเทศ", blank=True, related_name="visits"
    )
    focus = models.CharField("ประเด็นการนิเทศ", max_length=300)
    findings = models.TextField("ผลการนิเทศ/สิ่งที่พบ", blank=True)
    follow_up = models.TextField("ข้อตกลงร่วม/สิ่งที่ต้องติดตาม", blank=True)
    next_visit = models.DateField("นัดครั้งต่อไป", null=True, blank=True)
    # The course whose follow-up this visit is part of. A lazy reference, so community's
    # models and queries import nothing of training (training.queries imports
    # community.queries for PLC hours; an import back would make a cycle).
    course = models.ForeignKey(
        "training.Course",
        verbose_name="หลักสูตรที่ติดตามผล (ถ้ามี)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_visits",
        help_text="หลักสูตรอบรมที่การนิเทศนี้ติดตามผลการนำไปใช้",
    )
    # What was typed before visits linked to a course; kept as written (migration 0002 links
    # the visit to the course when the text names one exactly) and shown when no course is set.
    course_ref = models.CharField(
        "หลักสูตรที่ติดตามผล (ข้อความเดิม)",
        max_length=200,
        blank=True,
        help_text="ชื่อหรือรหัสหลักสูตรอบรมที่การนิเทศนี้ติดตามผล",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "การนิเทศ/โค้ช"
        verbose_name_plural = "การนิเทศ/โค้ช"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["office", "status", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.school}"


# ------------------------------------------------------------------------------ networks


class NetworkKind(models.TextChoices):
    CLUSTER = "cluster", "เครือข่ายยกระดับคุณภาพการศึกษา (กลุ่มโรงเรียน)"
    ACADEMIC_CENTRE = "centre", "ศูนย์เครือข่ายพัฒนาวิชาการ"


class NetworkProfile(models.Model):
    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="profile")
    kind = models.CharField(
        "ประเภท", max_length=8, choices=NetworkKind.choices, default=NetworkKind.CLUSTER
    )
    chair = models.ForeignKey(
        Person,
        verbose_name="ประธานเครือข่าย",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secretary = models.ForeignKey(
        Person,
        verbose_name="เลขานุการ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    committee = models.ManyToManyField(
        Person, verbose_name="กรรมการเครือข่าย", blank=True, related_name="network_committees"
    )
    supervisor = models.ForeignKey(
        Person,
        verbose_name="ศึกษานิเทศก์ผู้รับผิดชอบ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField("แนวทางการดำเนินงาน", blank=True)

    class Meta:
        verbose_name = "ข้อมูลเครือข่าย"
        verbose_name_plural = "ข้อมูลเครือข่าย"

    def __str__(self) -> str:
        return str(self.network_id)


class NetworkGoal(models.Model):
    """A network's goal for an academic year. A goal of a measurable kind (measure) is computed
    from the network's schools' data each time it is shown (goal_measures), with its target
    as a percentage of schools; the others are written and judged by the officers."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="goals")
    academic_year = models.PositiveSmallIntegerField("ปีการศึกษา (พ.ศ.)")
    measure = models.CharField(
        "ตัวชี้วัดที่คำนวณจากข้อมูล", max_length=30, blank=True, choices=MEASURE_CHOICES
    )
    subject = models.CharField("วิชา", max_length=100, blank=True)
    grade = models.CharField("ชั้น", max_length=2, blank=True, choices=ONET_GRADES)
    target_percent = models.DecimalField(
        "เป้าหมาย (ร้อยละของโรงเรียน)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    students_per_teacher = models.PositiveSmallIntegerField(
        "นักเรียนต่อครู 1 คน ไม่เกิน (คน)", null=True, blank=True
    )
    text = models.CharField("เป้าหมาย", max_length=300)
    target = models.CharField(
        "ค่าเป้าหมาย", max_length=100, help_text="เช่น 100% ผ่าน, > ค่าเฉลี่ย สพฐ., 1:20"
    )
    actual = models.CharField("ผลที่ได้", max_length=100, blank=True)
    achieved = models.BooleanField("บรรลุเป้าหมาย", null=True, blank=True)

    class Meta:
        verbose_name = "เป้าหมายเครือข่าย"
        verbose_name_plural = "เป้าหมายเครือข่าย"
        ordering = ["-academic_year", "id"]

    def __str__(self) -> str:
        return self.text


class NetworkActivity(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField("วันที่")
    title = models.CharField("กิจกรรม", max_length=300)
    participants = models.PositiveIntegerField("ผู้เข้าร่วม (คน)", default=0)
    cost = models.DecimalField("ค่าใช้จ่าย (บาท)", max_digits=12, decimal_places=2, default=0)
    notes = models.TextField("ผลการดำเนินงาน", blank=True)

    class Meta:
        verbose_name = "กิจกรรมเครือข่าย"
        verbose_name_plural = "กิจกรรมเครือข่าย"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class NetworkBudget(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="budgets")
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    amount = models.DecimalField("งบประมาณที่ได้รับ (บาท)", max_digits=12, decimal_places=2)
    source = models.CharField("แหล่งงบประมาณ", max_length=200)

    class Meta:
        verbose_name = "งบประมาณเครือข่าย"
        verbose_name_plural = "งบประมาณเครือข่าย"
        ordering = ["-fiscal_year", "id"]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.amount}"


# ------------------------------------------------------------------------------ partners


class PartnerKind(models.TextChoices):
    UNIVERSITY = "university", "สถาบันอุดมศึกษา"
    AGENCY = "agency", "หน่วยงานภาครัฐ"
    COMPANY = "company", "ภาคเอกชน/บริษัท"
    LOCAL_GOV = "local_gov", "องค์กรปกครองส่วนท้องถิ่น"
    COMMUNITY = "community", "ชุมชน/มูลนิธิ/องค์กรไม่แสวงหากำไร"


class Partner(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("ชื่อหน่วยงาน", max_length=200)
    kind = models.CharField("ประเภท", max_length=10, choices=PartnerKind.choices)
    contact = models.CharField("ผู้ประสานงาน/ติดต่อ", max_length=200, blank=True)
    since = models.DateField("เริ่มร่วมมือ")

    class Meta:
        verbose_name = "ภาคีเครือข่าย"
        verbose_name_plural = "ภาคีเครือข่าย"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="partner_unique_name",
                violation_error_message="มีภาคีเครือข่ายชื่อนี้ในเขตพื้นที่อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MOU(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="mous")
    title = models.CharField("ชื่อบันทึกข้อตกลง", max_length=300)
    signed_on = models.DateField("วันที่ลงนาม")
    starts = models.DateField("เริ่ม")
    ends = models.DateField("สิ้นสุด", null=True, blank=True)
    scope = models.TextField("ขอบเขตความร่วมมือ")
    file = UploadFileField("ไฟล์ MOU", upload_to="community/mou/%Y/", blank=True, kind=DOCUMENT.key)

    class Meta:
        verbose_name = "บันทึกข้อตกลงความร่วมมือ (MOU)"
        verbose_name_plural = verbose_name
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__isnull=True) | models.Q(ends__gte=models.F("starts")),
                name="mou_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class JointActivity(models.Model):
    """Something done with a partner; what it brought in, in cash and in kind (valued)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="joint_activities")
    partner = models.ForeignKey(
        Partner, verbose_name="ภาคี", on_delete=models.CASCADE, related_name="activities"
    )
    mou = models.ForeignKey(
        MOU, verbose_name="ตาม MOU", on_delete=models.SET_NULL, null=True, blank=True
    )
    network = models.ForeignKey(
        Network, verbose_name="เครือข่าย", on_delete=models.SET_NULL, null=True, blank=True
    )
    date = models.DateField("วันที่")
    title = models.CharField("กิจกรรม", max_length=300)
    cash = models.DecimalField("เงินสนับสนุน (บาท)", max_digits=12, decimal_places=2, default=0)
    in_kind_value = models.DecimalField(
        "มูลค่าสิ่งของ/บริการ (บาท)", max_digits=12, decimal_places=2, default=0
    )
    in_kind = models.CharField("สิ่งของ/บริการที่ได้รับ", max_length=300, blank=True)

    class Meta:
        verbose_name = "กิจกรรมร่วมกับภาคี"
        verbose_name_plural = "กิจกรรมร่วมกับภาคี"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cash__gte=0) & models.Q(in_kind_value__gte=0),
                name="joint_activity_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title


# -------------------------------------------------------------------------------- awards


class AwardLevel(models.TextChoices):
    AREA = "area", "ระดับเขตพื้นที่"
    REGION = "region", "ระดับภาค"
    NATIONAL = "national", "ระดับชาติ"


class AwardProgramme(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="award_programmes")
    name = models.CharField("ชื่อรางวัล/โครงการ", max_length=200)
    organiser = models.CharField("หน่วยงานผู้จัด", max_length=200)
    highest_level = models.CharField(
        "ระดับสูงสุด", max_length=8, choices=AwardLevel.choices, default=AwardLevel.NATIONAL
    )
    description = models.TextField("รายละเอียด", blank=True)

    class Meta:
        verbose_name = "รางวัล"
        verbose_name_plural = "รางวัล"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"],
                name="award_programme_unique",
                violation_error_message="มีรางวัลชื่อนี้ในเขตพื้นที่อยู่แล้ว",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    OPEN = "open", "เปิดรับการเสนอชื่อ"
    JUDGING = "judging", "กรรมการพิจารณา"
    CLOSED = "closed", "ประกาศผลแล้ว"


class AwardRound(models.Model):
    programme = models.ForeignKey(AwardProgramme, on_delete=models.CASCADE, related_name="rounds")
    year = models.PositiveSmallIntegerField("ประจำปี (พ.ศ.)")
    title = models.CharField("ชื่อรอบการคัดเลือก", max_length=300)
    status = models.CharField(
        "สถานะ", max_length=8, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    closes_on = models.DateField("ปิดรับการเสนอชื่อ", null=True, blank=True)
    allow_self = models.BooleanField("เปิดให้เสนอตนเอง", default=False)
    winners = models.PositiveSmallIntegerField(
        "จำนวนผู้ได้รับคัดเลือกระดับเขต", default=3, help_text="คะแนนเฉลี่ยสูงสุดกี่คนผ่านระดับเขต"
    )
    min_score = models.DecimalField(
        "คะแนนขั้นต่ำ (ร้อยละ)", max_digits=5, decimal_places=2, default=Decimal("60")
    )
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="คณะกรรมการ", blank=True, related_name="award_rounds"
    )

    class Meta:
        verbose_name = "รอบการคัดเลือก"
        verbose_name_plural = "รอบการคัดเลือก"
        ordering = ["-year", "programme__name"]

    def __str__(self) -> str:
        return self.title

    def accepts_nominations(self, today) -> bool:
        """Open, and its closing day (the last day nominations are taken) not yet past: an
        office that forgets to move the round on must not take late nominations."""
        return self.status == RoundStatus.OPEN and (
            self.closes_on is None or today <= self.closes_on
        )


class AwardCriterion(models.Model):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField("ลำดับ", default=1)
    name = models.CharField("เกณฑ์", max_length=300)
    weight = models.DecimalField("น้ำหนัก", max_digits=5, decimal_places=2)
    max_score = models.DecimalField("คะแนนเต็ม", max_digits=5, decimal_places=2, default=10)

    class Meta:
        verbose_name = "เกณฑ์การพิจารณา"
        verbose_name_plural = "เกณฑ์การพิจารณา"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0) & models.Q(max_score__gt=0),
                name="award_criterion_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name


class NominationSource(models.TextChoices):
    SCHOOL = "school", "สถานศึกษาเสนอ"
    SELF = "self", "เสนอตนเอง"
    OFFICE = "office", "เขตพื้นที่เสนอ"


class Nomination(models.Model):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(
        Person,
        verbose_name="ผู้ได้รับการเสนอชื่อ",
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField("เสนอโดย", max_length=6, choices=NominationSource.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    work_title = models.CharField("ผลงาน/เหตุผลที่เสนอ", max_length=300)
    statement = models.TextField("สรุปผลงาน", blank=True)
    file = UploadFileField(
        "เอกสารประกอบ", upload_to="community/awards/%Y/", blank=True, kind=DOCUMENT.key
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept in step with the judges' scores by actions.score_nomination (under a row lock).
    judges_scored = models.PositiveSmallIntegerField("กรรมการที่ให้คะแนนครบ", default=0)
    average = models.DecimalField(
        "คะแนนเฉลี่ย (ร้อยละ)", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "การเสนอชื่อ"
        verbose_name_plural = "การเสนอชื่อ"
        ordering = ["-average", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="nomination_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.round}"


class Score(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    criterion = models.ForeignKey(AwardCriterion, on_delete=models.CASCADE)
    score = models.DecimalField("คะแนน", max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "คะแนน"
        verbose_name_plural = "คะแนน"
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "judge", "criterion"], name="score_once_per_judge"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.judge_id}/{self.criterion_id}"


class ResultOutcome(models.TextChoices):
    WINNER = "winner", "ได้รับรางวัล/ได้รับการคัดเลือก"
    HONOURABLE = "honourable", "ชมเชย"
    NOT_SELECTED = "not_selected", "ไม่ผ่านการคัดเลือก"


class AwardResult(models.Model):
    """The outcome of a nomination at one level: area (decided here), region or national
    (recorded when announced elsewhere)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="results")
    level = models.CharField("ระดับ", max_length=8, choices=AwardLevel.choices)
    outcome = models.CharField("ผล", max_length=12, choices=ResultOutcome.choices)
    announced_on = models.DateField("วันที่ประกาศ")
    note = models.CharField("หมายเหตุ", max_length=200, blank=True)

    class Meta:
        verbose_name = "ผลการคัดเลือก"
        verbose_name_plural = "ผลการคัดเลือก"
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "level"], name="result_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.level} {self.outcome}"


class AwardCertificateStatus(models.TextChoices):
    VALID = "valid", "ใช้ได้"
    REVOKED = "revoked", "เพิกถอนแล้ว"


class AwardCertificate(models.Model):
    """A certificate for a winning result, frozen at issue time: the PDF is drawn from these
    fields and the public page /verify/<code>/ shows them, so an edited PDF no longer
    matches. Survives the deletion of its result (the link is cleared)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    result = models.ForeignKey(
        AwardResult, on_delete=models.SET_NULL, null=True, related_name="certificates"
    )
    code = models.CharField("รหัสตรวจสอบ", max_length=16, unique=True)
    number = models.CharField("เลขที่", max_length=40)
    person_name = models.CharField(max_length=300)
    programme_name = models.CharField(max_length=200)
    round_title = models.CharField(max_length=300)
    level = models.CharField("ระดับ", max_length=8, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField("ประจำปี (พ.ศ.)")
    work_title = models.CharField(max_length=300, blank=True)
    office_name = models.CharField(max_length=200)
    announced_on = models.DateField()
    issued_on = models.DateField()
    signer_name = models.CharField("ผู้ลงนาม", max_length=150, blank=True)
    signer_title = models.CharField("ตำแหน่งผู้ลงนาม", max_length=200, blank=True)
    status = models.CharField(
        max_length=10,
        choices=AwardCertificateStatus.choices,
        default=AwardCertificateStatus.VALID,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField("เหตุผล", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "เกียรติบัตรรางวัล"
        verbose_name_plural = "เกียรติบัตรรางวัล"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["result"],
                condition=models.Q(status="valid"),
                name="award_certificate_one_valid_per_result",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person_name}"


# ------------------------------------------------------------------------- best practices


class PracticeLevel(models.TextChoices):
    SCHOOL = "school", "ระดับสถานศึกษา"
    AREA = "area", "ระดับเขตพื้นที่"
    REGION = "region", "ระดับภาค"
    NATIONAL = "national", "ระดับชาติ"


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "รอตรวจ"
    PUBLISHED = "published", "เผยแพร่แล้ว"


class BestPractice(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="best_practices")
    title = models.CharField("ชื่อผลงาน", max_length=300)
    owners = models.ManyToManyField(Person, verbose_name="เจ้าของผลงาน", related_name="practices")
    school = models.ForeignKey(
        School, verbose_name="สถานศึกษา", on_delete=models.SET_NULL, null=True, blank=True
    )
    learning_area = models.ForeignKey(
        LearningArea, verbose_name="กลุ่มสาระ", on_delete=models.SET_NULL, null=True, blank=True
    )
    level = models.CharField(
        "ระดับที่ได้รับการยอมรับ",
        max_length=8,
        choices=PracticeLevel.choices,
        default=PracticeLevel.SCHOOL,
    )
    year = models.PositiveSmallIntegerField("ปี (พ.ศ.)")
    summary = models.TextField("สรุปผลงาน")
    tags = models.CharField("คำสำคัญ", max_length=300, blank=True, help_text="คั่นด้วยจุลภาค")
    file = UploadFileField(
        "ไฟล์ผลงาน", upload_to="community/practices/%Y/", blank=True, kind=EVIDENCE.key
    )
    status = models.CharField(
        "สถานะ", max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    # Words of title, summary, tags, owners and school, segmented with PyThaiNLP and
    # separated by spaces, so search works the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ผลงานเด่น/แนวปฏิบัติที่ดี"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-published_at", "-id"]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]
