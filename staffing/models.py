"""Staffing criteria (เกณฑ์อัตรากำลัง ก.ค.ศ.) as versioned, editable data.

A rule set is one version of the criterion, citing its circular and the date it takes
effect. Its rows say, per school level and band (of pupils or of classrooms), how many
administrators, deputies and teachers a school is entitled to. Area weights say how the
required teachers of a level split over learning areas, where the criterion has such a
split. The analysis reads only these rows: no number of the criterion lives in Python.
"""

from django.db import models

from krupd.lib.thai_dates import format_thai_date
from registry.models import LearningArea, Office, SchoolLevel


class RuleSet(models.Model):
    office = models.ForeignKey(
        Office,
        verbose_name="เขตพื้นที่",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staffing_rule_sets",
        help_text="เว้นว่าง = ค่าเริ่มต้นที่ใช้ร่วมกันทุกเขต (แก้ไขไม่ได้ ให้คัดลอกเป็นฉบับของเขต)",
    )
    name = models.CharField("ชื่อเกณฑ์", max_length=200)
    version = models.CharField("ฉบับ/รุ่นของเกณฑ์", max_length=50)
    source = models.CharField("หนังสือเวียน/ที่มา", max_length=300)
    effective_date = models.DateField("มีผลตั้งแต่")
    to_verify = models.BooleanField(
        "ต้องตรวจสอบ", default=True, help_text="ยังไม่ได้ยืนยันกับหนังสือเวียนฉบับจริง"
    )
    count_contract_staff = models.BooleanField(
        "นับพนักงานราชการ/ครูอัตราจ้าง/ลูกจ้างเป็นอัตรากำลังครู",
        default=False,
        help_text="ค่าเริ่มต้น: ไม่นับ (แสดงแยกเป็นข้อมูลประกอบ)",
    )
    contract_staff_to_verify = models.BooleanField(
        "การนับพนักงานราชการ/ครูอัตราจ้างต้องตรวจสอบ",
        default=True,
        help_text="ยังไม่ได้ยืนยันกับหนังสือเวียนว่าเกณฑ์นับหรือไม่นับ",
    )
    notes = models.TextField("หมายเหตุ", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "เกณฑ์อัตรากำลัง"
        verbose_name_plural = "เกณฑ์อัตรากำลัง"
        ordering = ["-effective_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "version"], name="ruleset_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def label(self) -> str:
        """How every result cites the rule it used."""
        flag = " [ต้องตรวจสอบ]" if self.to_verify else ""
        since = format_thai_date(self.effective_date, style="long")
        return f"{self.name} ฉบับ {self.version} (มีผล {since}){flag}"

    @property
    def citation(self) -> str:
        """How an official document cites the rule: its name, and its circular once the
        office has confirmed it. Whether a rule still needs checking is the admin's business,
        flagged on the staffing pages; it is never printed into a report the office signs."""
        return self.name if self.to_verify else f"{self.name} ({self.source})"

    @property
    def contract_staff_label(self) -> str:
        """How results say whether contract staff were counted toward the criterion."""
        counted = "นับ" if self.count_contract_staff else "ไม่นับ"
        flag = " [ต้องตรวจสอบ]" if self.contract_staff_to_verify else ""
        return f"{counted}พนักงานราชการ/ครูอัตราจ้าง/ลูกจ้างเป็นอัตรากำลังครู{flag}"


class Basis(models.TextChoices):
    STUDENTS = "students", "จำนวนนักเรียน"
    CLASSROOMS = "classrooms", "จำนวนห้องเรียน"


class RuleRow(models.Model):
    """One band: a school of `level` whose pupils (or rooms) fall in [band_min, band_max].

    Required administrators = administrators + deputies.
    Required teachers = teachers + ⌈teachers_per_room × classrooms⌉
                        + ⌈students ÷ students_per_teacher⌉ (when set).
    """

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rows")
    level = models.CharField("ระดับสถานศึกษา", max_length=10, choices=SchoolLevel.choices)
    basis = models.CharField("ช่วงตาม", max_length=10, choices=Basis.choices, default=Basis.STUDENTS)
    band_min = models.PositiveIntegerField("ตั้งแต่")
    band_max = models.PositiveIntegerField("ถึง", null=True, blank=True, help_text="ว่าง = ไม่จำกัด")
    administrators = models.PositiveSmallIntegerField("ผู้อำนวยการ", default=1)
    deputies = models.PositiveSmallIntegerField("รองผู้อำนวยการ", default=0)
    teachers = models.PositiveSmallIntegerField("ครู (คงที่)", default=0)
    teachers_per_room = models.DecimalField(
        "ครูต่อห้องเรียน", max_digits=5, decimal_places=2, default=0
    )
    students_per_teacher = models.PositiveSmallIntegerField(
        "นักเรียนต่อครู 1 คน", null=True, blank=True, help_text="ว่าง = ไม่ใช้อัตราส่วนนี้"
    )
    to_verify = models.BooleanField("ต้องตรวจสอบ", default=True)
    note = models.CharField("หมายเหตุ", max_length=200, blank=True)

    class Meta:
        verbose_name = "ช่วงเกณฑ์"
        verbose_name_plural = "ช่วงเกณฑ์"
        ordering = ["level", "basis", "band_min", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.band_label}"

    @property
    def band_label(self) -> str:
        unit = "คน" if self.basis == Basis.STUDENTS else "ห้อง"
        top = f"{self.band_max:,}" if self.band_max is not None else "ขึ้นไป"
        sep = "–" if self.band_max is not None else " "
        return f"{self.band_min:,}{sep}{top} {unit}"


class AreaWeight(models.Model):
    """Share of a level's required teachers that belongs to one learning area (a weight)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="area_weights")
    level = models.CharField("ระดับสถานศึกษา", max_length=10, choices=SchoolLevel.choices)
    learning_area = models.ForeignKey(
        LearningArea, verbose_name="กลุ่มสาระ", on_delete=models.CASCADE, related_name="+"
    )
    weight = models.DecimalField("น้ำหนัก", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "สัดส่วนครูตามกลุ่มสาระ"
        verbose_name_plural = "สัดส่วนครูตามกลุ่มสาระ"
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "level", "learning_area"], name="areaweight_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.learning_area_id}: {self.weight}"


class StaffCountSnapshot(models.Model):
    """An office's staff counts per school on one census day, stored so that a large office's
    staffing pages read one row instead of grouping 100,000 people at every request.

    `fingerprint` is the state of the office's people data the counts were computed from
    (staffing.summary): counts are used only while it matches, and recomputed otherwise.

    `counts` holds one list per school with staff: school id; civil servants by register
    (จ.18 positions held), seconded out and in; vacant position numbers; civil administrators
    and civil teachers by learning area; contract staff, their administrators and teachers by
    learning area (staffing.summary.STORED_COLUMNS). Learning areas are keyed by id ("" =
    teachers without a major mapped to an area). One document, not a row per school: writing
    a thousand rows (and encoding two JSON values each) cost a recount more than its queries.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    census_date = models.DateField("วันนับจำนวน")
    retirement_age = models.PositiveSmallIntegerField("อายุเกษียณ")
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField("คำนวณเมื่อ", auto_now=True)
    counts = models.JSONField("จำนวนรายโรงเรียน", default=list)

    class Meta:
        verbose_name = "สรุปจำนวนบุคลากรรายโรงเรียน"
        verbose_name_plural = "สรุปจำนวนบุคลากรรายโรงเรียน"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "census_date", "retirement_age"], name="staff_snapshot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} {format_thai_date(self.census_date)}"
