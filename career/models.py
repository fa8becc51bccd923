"""PA (ก.ค.ศ. ว 9/2564) agreements and evaluations, academic-standing readiness and
requests, and teacher debt support.

The PA structure (indicators, points per item, level → % conversion) is a versioned
PAEdition row with its indicators; the pass mark and the net-salary threshold are office
settings (CareerRules). Debt rows are the most sensitive data in the system: they are read
only through career.access, which writes an audit entry on every read.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from krupd import worker_files
from krupd.uploads import EVIDENCE, UploadFileField
from registry.models import AcademicStanding, Office, Person, School


class CareerRules(models.Model):
    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="career_rules")
    pa_pass_pct = models.DecimalField(
        "เกณฑ์ผ่าน PA ต่อผู้ประเมินแต่ละคน (ร้อยละ)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        help_text="ว 9/2564: ผู้ประเมินแต่ละคนให้คะแนนไม่น้อยกว่าร้อยละ 70",
    )
    debt_net_min_pct = models.DecimalField(
        "เงินเดือนคงเหลือสุทธิขั้นต่ำ (ร้อยละของเงินเดือน)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
        help_text="มติ ครม. 19 ธ.ค. 2566: เงินเดือนคงเหลือหลังหักชำระหนี้ไม่น้อยกว่าร้อยละ 30",
    )

    class Meta:
        verbose_name = "การตั้งค่า PA และหนี้สิน"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"การตั้งค่า {self.office_id}"


# ------------------------------------------------------------------------------------- PA


class PAEdition(models.Model):
    """One version of the PA rules: what each item is worth and how levels convert."""

    code = models.CharField("รหัส", max_length=30, unique=True)
    name = models.CharField("ชื่อ", max_length=200)
    source = models.CharField("ที่มา", max_length=300)
    indicator_points = models.DecimalField(
        "คะแนนต่อตัวชี้วัด (ส่วนที่ 1)", max_digits=5, decimal_places=2, default=Decimal("4")
    )
    challenge_method_points = models.DecimalField(
        "ประเด็นท้าทาย: วิธีการ", max_digits=5, decimal_places=2, default=Decimal("20")
    )
    challenge_quant_points = models.DecimalField(
        "ประเด็นท้าทาย: ผลลัพธ์เชิงปริมาณ", max_digits=5, decimal_places=2, default=Decimal("10")
    )
    challenge_qual_points = models.DecimalField(
        "ประเด็นท้าทาย: ผลลัพธ์เชิงคุณภาพ", max_digits=5, decimal_places=2, default=Decimal("10")
    )
    level_pcts = models.JSONField(
        "ร้อยละของคะแนนตามระดับ 1–4",
        default=list,
        help_text="ระดับ 1, 2, 3, 4 ได้ร้อยละ 25, 50, 75, 100 ของคะแนนข้อนั้น",
    )
    active = models.BooleanField("ใช้อยู่", default=True)

    class Meta:
        verbose_name = "หลักเกณฑ์ PA"
        verbose_name_plural = "หลักเกณฑ์ PA"

    def __str__(self) -> str:
        return self.name

    def level_pct(self, level: int) -> Decimal:
        pcts = self.level_pcts or [25, 50, 75, 100]
        return Decimal(str(pcts[level - 1]))


class PAArea(models.IntegerChoices):
    LEARNING = 1, "ด้านการจัดการเรียนรู้"
    SUPPORT = 2, "ด้านการส่งเสริมและสนับสนุนการจัดการเรียนรู้"
    PROFESSIONAL = 3, "ด้านการพัฒนาตนเองและวิชาชีพ"


class PAIndicator(models.Model):
    edition = models.ForeignKey(PAEdition, on_delete=models.CASCADE, related_name="indicators")
    area = models.PositiveSmallIntegerField("ด้าน", choices=PAArea.choices)
    number = models.PositiveSmallIntegerField("ลำดับ")
    text = models.CharField("ตัวชี้วัด", max_length=300)

    class Meta:
        verbose_name = "ตัวชี้วัด PA"
        verbose_name_plural = "ตัวชี้วัด PA"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="pa_indicator_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class PAStatus(models.TextChoices):
    DRAFT = "draft", "ร่าง"
    SUBMITTED = "submitted", "เสนอผู้อำนวยการ"
    RETURNED = "returned", "ส่งกลับแก้ไข"
    APPROVED = "approved", "ผู้อำนวยการอนุมัติ"
    EVALUATED = "evaluated", "ประเมินครบแล้ว"


class PAAgreement(models.Model):
    """แบบ PA 1/ส: a teacher's agreement for one fiscal year."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pa_agreements")
    edition = models.ForeignKey(PAEdition, on_delete=models.PROTECT)
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True)
    standing = models.ForeignKey(
        AcademicStanding, verbose_name="วิทยฐานะ", on_delete=models.SET_NULL, null=True, blank=True
    )
    teaching_hours = models.DecimalField(
        "ชั่วโมงสอนตามตารางสอน/สัปดาห์", max_digits=4, decimal_places=1, default=0
    )
    support_hours = models.DecimalField(
        "งานส่งเสริมและสนับสนุนการจัดการเรียนรู้/สัปดาห์", max_digits=4, decimal_places=1, default=0
    )
    quality_hours = models.DecimalField(
        "งานพัฒนาคุณภาพการจัดการศึกษาของสถานศึกษา/สัปดาห์", max_digits=4, decimal_places=1, default=0
    )
    policy_hours = models.DecimalField(
        "งานตอบสนองนโยบายและจุดเน้น/สัปดาห์", max_digits=4, decimal_places=1, default=0
    )
    challenge_title = models.CharField("ประเด็นท้าทาย", max_length=300, blank=True)
    challenge_problem = models.TextField("สภาพปัญหา", blank=True)
    challenge_method = models.TextField("วิธีการดำเนินการให้บรรลุผล", blank=True)
    challenge_quant = models.TextField("ผลลัพธ์ที่คาดหวัง: เชิงปริมาณ", blank=True)
    challenge_qual = models.TextField("ผลลัพธ์ที่คาดหวัง: เชิงคุณภาพ", blank=True)
    # What actually happened, reported at the end of the cycle (the self-report's part 2).
    challenge_actual_quant = models.TextField("ผลลัพธ์ที่เกิดขึ้นจริง: เชิงปริมาณ", blank=True)
    challenge_actual_qual = models.TextField("ผลลัพธ์ที่เกิดขึ้นจริง: เชิงคุณภาพ", blank=True)
    status = models.CharField(
        "สถานะ", max_length=10, choices=PAStatus.choices, default=PAStatus.DRAFT
    )
    director_note = models.TextField("ความเห็นผู้อำนวยการ", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ข้อตกลงในการพัฒนางาน (PA)"
        verbose_name_plural = verbose_name
        ordering = ["-fiscal_year", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "fiscal_year"], name="pa_once_per_year")
        ]

    def __str__(self) -> str:
        return f"PA {self.fiscal_year} {self.person}"

    @property
    def total_hours(self) -> Decimal:
        return self.teaching_hours + self.support_hours + self.quality_hours + self.policy_hours


class PAItem(models.Model):
    agreement = models.ForeignKey(PAAgreement, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(PAIndicator, on_delete=models.PROTECT)
    tasks = models.TextField("งาน (Tasks)", blank=True)
    outcomes = models.TextField("ผลลัพธ์การเรียนรู้ของผู้เรียน (Outcomes)", blank=True)
    measures = models.TextField("ตัวชี้วัด (Indicators)", blank=True)
    # What was done for this indicator in the cycle (the self-report).
    report = models.TextField("ผลการดำเนินงาน", blank=True)

    class Meta:
        ordering = ["indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "indicator"], name="pa_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.indicator_id}"


class WorkloadKind(models.TextChoices):
    """The four workload groups of form PA 1/ส, in the form's order."""

    TEACHING = "teaching", "ชั่วโมงสอนตามตารางสอน"
    SUPPORT = "support", "งานส่งเสริมและสนับสนุนการจัดการเรียนรู้"
    QUALITY = "quality", "งานพัฒนาคุณภาพการจัดการศึกษาของสถานศึกษา"
    POLICY = "policy", "งานตอบสนองนโยบายและจุดเน้น"


# The agreement's total field each workload group adds up into (pages and the office's
# summary read the totals; the lines are what the teacher edits).
WORKLOAD_TOTAL_FIELD = {
    WorkloadKind.TEACHING: "teaching_hours",
    WorkloadKind.SUPPORT: "support_hours",
    WorkloadKind.QUALITY: "quality_hours",
    WorkloadKind.POLICY: "policy_hours",
}


class PAWorkload(models.Model):
    """One line of the PA 1/ส workload tables: a course taught or a duty, hours per week."""

    agreement = models.ForeignKey(PAAgreement, on_delete=models.CASCADE, related_name="workload")
    kind = models.CharField("กลุ่มภาระงาน", max_length=10, choices=WorkloadKind.choices)
    title = models.CharField("รายวิชา/งาน", max_length=300)
    hours = models.DecimalField("ชั่วโมง/สัปดาห์", max_digits=4, decimal_places=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ภาระงานตามข้อตกลง"
        verbose_name_plural = verbose_name
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(hours__lte=60), name="pa_workload_hours"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceKind(models.TextChoices):
    CERTIFICATE = "certificate", "เกียรติบัตร/วุฒิบัตร"
    PLC = "plc", "บันทึกกิจกรรม PLC"
    VISIT = "visit", "บันทึกการนิเทศ/โค้ช"
    PRACTICE = "practice", "ผลงานเด่น/แนวปฏิบัติที่ดี"
    AWARD = "award", "เกียรติบัตรรางวัล"
    FILE = "file", "ไฟล์ที่อัปโหลด"
    LINK = "link", "ลิงก์ (วีดิทัศน์/เอกสารออนไลน์)"


class PAEvidence(models.Model):
    """A piece of evidence the teacher attached to one indicator, or (indicator empty) to
    the challenge issue. Records of KruPD are linked, not copied; files and links are hers."""

    agreement = models.ForeignKey(PAAgreement, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(PAIndicator, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField("ประเภทหลักฐาน", max_length=12, choices=EvidenceKind.choices)
    title = models.CharField("ชื่อหลักฐาน", max_length=300)
    certificate = models.ForeignKey(
        "training.Certificate", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    plc_meeting = models.ForeignKey(
        "community.PLCMeeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        "community.Visit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    practice = models.ForeignKey(
        "community.BestPractice", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    award_certificate = models.ForeignKey(
        "community.AwardCertificate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    file = UploadFileField("ไฟล์", upload_to="career/evidence/%Y/", blank=True, kind=EVIDENCE.key)
    url = models.URLField("ลิงก์", max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "หลักฐานตามข้อตกลง"
        verbose_name_plural = verbose_name
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="certificate", certificate__isnull=False)
                    | models.Q(kind="plc", plc_meeting__isnull=False)
                    | models.Q(kind="visit", visit__isnull=False)
                    | models.Q(kind="practice", practice__isnull=False)
                    | models.Q(kind="award", award_certificate__isnull=False)
                    | models.Q(kind="file")
                    | models.Q(kind="link")
                ),
                name="pa_evidence_kind_has_record",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PAPackExport(worker_files.WorkerFile):
    """One build of the evidence pack ZIP for the DPA system, written by the task worker with
    progress (krupd.worker_files). Everyone who may read the pack sees and downloads the
    newest build: the teacher, her director and her evaluators build the same ZIP."""

    FILES_UNDER = ("career", "packs")

    agreement = models.ForeignKey(PAAgreement, on_delete=models.CASCADE, related_name="exports")
    thai_digits = models.BooleanField(default=False)
    # Progress: the files of the ZIP rendered so far, of all of them.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta(worker_files.WorkerFile.Meta):
        verbose_name = "แฟ้มหลักฐาน PA (ZIP)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"แฟ้มหลักฐาน PA {self.agreement_id} #{self.pk}"


class PAEvaluation(models.Model):
    """One evaluator's marks; totals are computed by career.scoring and stored on submit."""

    agreement = models.ForeignKey(PAAgreement, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ประเมิน",
        on_delete=models.PROTECT,
        related_name="pa_evaluations",
    )
    seat = models.PositiveSmallIntegerField("ผู้ประเมินคนที่")
    indicator_levels = models.JSONField("ระดับรายตัวชี้วัด", default=dict, blank=True)
    challenge_method_level = models.PositiveSmallIntegerField(null=True, blank=True)
    challenge_quant_level = models.PositiveSmallIntegerField(null=True, blank=True)
    challenge_qual_level = models.PositiveSmallIntegerField(null=True, blank=True)
    part1 = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    part2 = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    comment = models.TextField("ข้อเสนอแนะ", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ผลการประเมิน PA"
        verbose_name_plural = verbose_name
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seat"], name="pa_evaluator_seat"),
            models.UniqueConstraint(fields=["agreement", "evaluator"], name="pa_evaluator_once"),
            models.CheckConstraint(
                condition=models.Q(seat__gte=1, seat__lte=3), name="pa_three_evaluators"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} ผู้ประเมินคนที่ {self.seat}"


# ---------------------------------------------------------------------- academic standing


class StandingRule(models.Model):
    """Tenure conditions for applying to the next standing, as data citing its circular."""

    from_standing = models.ForeignKey(
        AcademicStanding, verbose_name="จากวิทยฐานะ", on_delete=models.CASCADE, related_name="+"
    )
    to_standing = models.ForeignKey(
        AcademicStanding, verbose_name="ขอวิทยฐานะ", on_delete=models.CASCADE, related_name="+"
    )
    min_years = models.PositiveSmallIntegerField("ดำรงวิทยฐานะเดิมอย่างน้อย (ปี)")
    min_years_with_masters = models.PositiveSmallIntegerField(
        "กรณีปริญญาโท (ปี)", null=True, blank=True
    )
    min_years_with_doctorate = models.PositiveSmallIntegerField(
        "กรณีปริญญาเอก (ปี)", null=True, blank=True
    )
    source = models.CharField("ที่มา", max_length=300)

    class Meta:
        verbose_name = "เงื่อนไขการขอมี/เลื่อนวิทยฐานะ"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["from_standing"], name="standing_rule_once")]

    def __str__(self) -> str:
        return f"{self.from_standing_id} → {self.to_standing_id}"


class RequestStatus(models.TextChoices):
    PREPARING = "preparing", "เตรียมเอกสาร"
    SUBMITTED = "submitted", "ยื่นคำขอแล้ว"
    EVALUATING = "evaluating", "อยู่ระหว่างประเมิน"
    APPROVED = "approved", "อนุมัติ"
    REJECTED = "rejected", "ไม่อนุมัติ"


class StandingRequest(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="standing_requests")
    to_standing = models.ForeignKey(
        AcademicStanding, verbose_name="ขอวิทยฐานะ", on_delete=models.PROTECT
    )
    submitted_on = models.DateField("วันที่ยื่น", null=True, blank=True)
    status = models.CharField(
        "สถานะ", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PREPARING
    )
    note = models.CharField("หมายเหตุ", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "คำขอมี/เลื่อนวิทยฐานะ"
        verbose_name_plural = verbose_name
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_standing_id}"


# ---------------------------------------------------------------------------------- debt


class DebtProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="debt_profile")
    gross_salary = models.DecimalField("เงินเดือน (บาท/เดือน)", max_digits=10, decimal_places=2)
    other_income = models.DecimalField(
        "เงินเพิ่ม/ค่าตอบแทนอื่นที่รับผ่านเงินเดือน (บาท)", max_digits=10, decimal_places=2, default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ข้อมูลรายได้และหนี้สิน"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"debt {self.person_id}"


class CreditorKind(models.TextChoices):
    COOPERATIVE = "coop", "สหกรณ์ออมทรัพย์ครู"
    GSB = "gsb", "ธนาคารออมสิน"
    KTB = "ktb", "ธนาคารกรุงไทย"
    OTHER_BANK = "bank", "ธนาคาร/สถาบันการเงินอื่น"
    WELFARE = "welfare", "ช.พ.ค./ช.พ.ส./กองทุน"
    OTHER = "other", "อื่น ๆ"


class Deduction(models.Model):
    profile = models.ForeignKey(DebtProfile, on_delete=models.CASCADE, related_name="deductions")
    creditor_kind = models.CharField("ประเภทเจ้าหนี้", max_length=8, choices=CreditorKind.choices)
    creditor = models.CharField("เจ้าหนี้", max_length=200)
    monthly = models.DecimalField("หักต่อเดือน (บาท)", max_digits=10, decimal_places=2)
    outstanding = models.DecimalField(
        "ยอดหนี้คงเหลือ (บาท)", max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = "รายการหักชำระหนี้"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly__gte=0), name="deduction_not_neg")
        ]

    def __str__(self) -> str:
        return self.creditor


class CaseOutcome(models.TextChoices):
    PENDING = "pending", "รอดำเนินการ"
    RESTRUCTURED = "restructured", "ปรับโครงสร้างหนี้แล้ว"
    CONSOLIDATED = "consolidated", "รวมหนี้แล้ว"
    REFUSED = "refused", "เจ้าหนี้ไม่รับปรับโครงสร้าง"
    CLOSED = "closed", "ปิดเรื่อง"


class DebtCase(models.Model):
    """A request to the office's debt clinic (สถานีแก้หนี้ครู)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="debt_cases")
    opened_on = models.DateField("วันที่ยื่นคำขอ")
    creditor_kind = models.CharField("ประเภทเจ้าหนี้", max_length=8, choices=CreditorKind.choices)
    request = models.TextField("คำขอ/ความต้องการ")
    outcome = models.CharField(
        "ผลการดำเนินการ", max_length=12, choices=CaseOutcome.choices, default=CaseOutcome.PENDING
    )
    outcome_note = models.TextField("รายละเอียดผล", blank=True)
    # The office's debt officer who handles the case; only they are told when it is assigned.
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="เจ้าหน้าที่ผู้รับผิดชอบ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "คำขอแก้ไขหนี้"
        verbose_name_plural = verbose_name
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"case {self.pk}"
