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


class StaffCount(models.Model):
    """How many people of one school, in service on the office's census day, share one
    secondment, secondment school, employment, personnel type and learning area of their
    major: the rows of the staffing analysis's grouped count (staffing.queries), stored.

    Rows are keyed by the people's own school (`school`, 0 for the office's own staff), so a
    write recounts the schools its people were in and are in (staffing.summary); the school
    they are seconded to or from is a column, read when the rows are folded into per-school
    counts. Plain numbers, not foreign keys: 0 stands for none, which a unique key cannot
    hold as NULL."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    school = models.IntegerField()
    secondment = models.CharField(max_length=3)
    secondment_school = models.IntegerField()  # 0: none
    employment = models.CharField(max_length=16)
    personnel_type = models.CharField(max_length=24)
    learning_area = models.IntegerField()  # 0: no major, or one not mapped to an area
    people = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "school", "secondment", "secondment_school", "employment",
                        "personnel_type", "learning_area"],
                name="staff_count_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.office_id}/{self.school} {self.personnel_type}: {self.people}"


class StaffVacancyCount(models.Model):
    """Vacant position numbers of one school on the census day (staffing.queries._vacancies),
    stored with the office's StaffCount rows."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    school = models.IntegerField()
    vacant = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "school"], name="staff_vacancy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.school}: {self.vacant}"


class StaffCountsBuilt(models.Model):
    """An office whose StaffCount and StaffVacancyCount rows were built from a full count, for
    which census day and retirement age. Until then, or for another day or age, its pages
    count from the people rows (and build it again for the current year's census day)."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="+")
    census_date = models.DateField()
    retirement_age = models.PositiveSmallIntegerField()
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.office_id} {format_thai_date(self.census_date)}"
