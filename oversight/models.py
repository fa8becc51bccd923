"""Levels above the office: regions (ศึกษาธิการภาค) and provinces (ศึกษาธิการจังหวัด), and the
yearly summary of each office that every view above the office reads.

An office belongs to the province whose name it carries (`Office.province`, the name printed
on its documents); the province belongs to a region. Users above the office hold a scope at
one level (accounts.User.province / .region; OBEC analysts see the whole country).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from krupd.lib import thai_dates
from krupd.lib.clipping import clip


class Region(models.Model):
    number = models.PositiveSmallIntegerField("ภาคที่", unique=True)
    name = models.CharField("ชื่อ", max_length=200)

    class Meta:
        verbose_name = "สำนักงานศึกษาธิการภาค"
        verbose_name_plural = "สำนักงานศึกษาธิการภาค"
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField("รหัสจังหวัด", max_length=2, unique=True)
    name = models.CharField("ชื่อจังหวัด", max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name="สังกัดศึกษาธิการภาค",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provinces",
    )

    class Meta:
        verbose_name = "จังหวัด"
        verbose_name_plural = "จังหวัด"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfficeSummary(models.Model):
    """One office's aggregates for one fiscal year: what every view above the office reads, so
    that comparing 245 offices never scans a person. Written by oversight.actions (the nightly
    command, or on demand in the task worker); `computed_at` says how fresh it is.

    KPI parts are kept as numerator and denominator, so a province or region adds up its
    offices' parts (never averages their percentages). Staffing is measured for the academic
    year of the census and kept on the summary of the fiscal year it was computed in; years
    before that carry none (the register keeps no history)."""

    office = models.ForeignKey(
        "registry.Office",
        verbose_name="หน่วยงาน",
        on_delete=models.CASCADE,
        related_name="oversight_summaries",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    computed_at = models.DateTimeField("คำนวณเมื่อ")
    data_changed_at = models.DateTimeField("ข้อมูลบุคลากรปรับปรุงล่าสุด", null=True, blank=True)
    schools = models.PositiveIntegerField("จำนวนโรงเรียน", default=0)
    people = models.PositiveIntegerField("บุคลากรที่ปฏิบัติงาน", default=0)
    teachers = models.PositiveIntegerField("ครูและผู้บริหาร (นับ PA)", default=0)
    # {kpi code: {"num": float, "den": float}} for the KPIs every office is measured on; a
    # growth KPI of a year still running also keeps "like": the same months of the year
    # before, which its growth is measured against (queries.growth_base).
    kpi_parts = models.JSONField("ตัวตั้งและตัวหารของตัวชี้วัด", default=dict)
    staffing_year = models.PositiveSmallIntegerField("ปีการศึกษาของอัตรากำลัง", null=True)
    staffing_required = models.IntegerField("อัตรากำลังตามเกณฑ์", null=True)
    staffing_actual = models.IntegerField("อัตรากำลังที่มี", null=True)
    short_positions = models.IntegerField("ขาด (อัตรา)", null=True)
    short_schools = models.IntegerField("โรงเรียนที่ขาด", null=True)
    surplus_positions = models.IntegerField("เกิน (อัตรา)", null=True)
    pa_agreements = models.PositiveIntegerField("ข้อตกลง PA ที่ส่งแล้ว", default=0)
    pa_passed = models.PositiveIntegerField("ผ่านการประเมิน PA", default=0)
    debt_profiles = models.PositiveIntegerField("ผู้มีข้อมูลหนี้สิน", default=0)
    debt_below_threshold = models.PositiveIntegerField("เงินเดือนคงเหลือต่ำกว่าเกณฑ์", default=0)
    debt_cases = models.PositiveIntegerField("คำขอแก้ไขหนี้", default=0)
    debt_cases_settled = models.PositiveIntegerField("คำขอที่แก้ไขแล้ว", default=0)

    class Meta:
        verbose_name = "ข้อมูลสรุปรายเขตพื้นที่"
        verbose_name_plural = "ข้อมูลสรุปรายเขตพื้นที่"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year"], name="office_summary_once_per_year"
            )
        ]
        indexes = [models.Index(fields=["fiscal_year", "office"])]

    def __str__(self) -> str:
        return f"{self.office_id} {self.fiscal_year}"

    @property
    def staffing_compared(self) -> int | None:
        """The actual staff the required figure is compared with: those of the schools whose
        criterion could be computed (required + surplus − shortage, the office's difference).
        staffing_actual is every school's, schools without pupils of the year included, so
        set against the required figure it would read as a surplus that is not one."""
        if self.staffing_required is None:
            return None
        return self.staffing_required + (self.surplus_positions or 0) - (self.short_positions or 0)


class RefreshStatus(models.TextChoices):
    QUEUED = "queued", "รอคิว"
    RUNNING = "running", "กำลังคำนวณ"
    DONE = "done", "เสร็จแล้ว"
    FAILED = "failed", "ไม่สำเร็จ"


class SummaryRefresh(models.Model):
    """One on-demand recomputation of the summaries of the offices in a user's scope, run in
    the task worker; the page polls it for progress."""

    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name="ผู้สั่งคำนวณ",
        on_delete=models.CASCADE,
        related_name="summary_refreshes",
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    status = models.CharField(
        "สถานะ", max_length=10, choices=RefreshStatus.choices, default="queued"
    )
    total = models.PositiveIntegerField("จำนวนหน่วยงาน", default=0)
    done = models.PositiveIntegerField("คำนวณแล้ว", default=0)
    current = models.CharField("กำลังคำนวณ", max_length=200, blank=True)
    error = models.TextField("ข้อผิดพลาด", blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "การคำนวณข้อมูลสรุปใหม่"
        verbose_name_plural = "การคำนวณข้อมูลสรุปใหม่"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"refresh {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (RefreshStatus.QUEUED, RefreshStatus.RUNNING)


# ------------------------------------------------------------- the provincial inspection round


class InspectionRound(models.Model):
    """A provincial inspection round: the provincial inspector opens it, the offices of the
    province submit their inspection reports to it (reporting.InspectionSubmission for the
    same fiscal year and round number), and she writes the province's report from them."""

    province = models.ForeignKey(
        Province, verbose_name="จังหวัด", on_delete=models.PROTECT, related_name="inspection_rounds"
    )
    fiscal_year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    round_number = models.PositiveSmallIntegerField("รอบที่", choices=[(1, "รอบที่ 1"), (2, "รอบที่ 2")])
    title = models.CharField("ชื่อรอบการตรวจราชการ", max_length=300)
    due_date = models.DateField("กำหนดส่ง")
    foreword = models.TextField(
        "คำนำ", blank=True, help_text="เว้นว่าง = ใช้คำนำมาตรฐานที่มีชื่อจังหวัด รอบ และปีงบประมาณ"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="เปิดรอบโดย",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("เปิดเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)

    class Meta:
        verbose_name = "รอบการตรวจราชการระดับจังหวัด"
        verbose_name_plural = "รอบการตรวจราชการระดับจังหวัด"
        ordering = ["-fiscal_year", "-round_number", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "fiscal_year", "round_number"], name="inspection_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} จังหวัด{self.province} รอบที่ {self.round_number}/{self.fiscal_year}"

    def clean(self) -> None:
        # The round forms (the inspector's and the admin's) say it at the field.
        if self.fiscal_year and self.due_date:
            if problem := due_date_problem(self.fiscal_year, self.due_date):
                raise ValidationError({"due_date": problem})


def due_date_problem(fiscal_year: int, due_date) -> str | None:
    """Offices report on the year's inspection during the year: a due date before the fiscal
    year begins (a CE year read as BE, the year before typed) cannot be met and shows every
    office late from the start."""
    starts = thai_dates.fiscal_year_start(fiscal_year)
    if due_date >= starts:
        return None
    return (
        f"กำหนดส่ง ({thai_dates.format_thai_date(due_date)}) ต้องไม่ก่อนวันเริ่มปีงบประมาณ "
        f"{fiscal_year} ({thai_dates.format_thai_date(starts)})"
    )


class RoundPointSummary(models.Model):
    """What the provincial inspector writes for one focus point: the province's overall
    progress, and (when written) the province's own success factors and suggestions that
    replace the offices' texts in the report."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name="รอบการตรวจราชการ",
        on_delete=models.CASCADE,
        related_name="summaries",
    )
    point = models.ForeignKey(
        "reporting.FocusPoint", verbose_name="จุดเน้น", on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField("สรุปภาพรวมระดับจังหวัด", blank=True)
    success_factors = models.TextField("ปัจจัยขับเคลื่อนสู่ความสำเร็จ (ระดับจังหวัด)", blank=True)
    area_suggestions = models.TextField("ข้อเสนอแนะระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", blank=True)
    policy_suggestions = models.TextField("ข้อเสนอแนะระดับนโยบาย", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="บันทึกโดย",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("บันทึกเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "สรุประดับจังหวัดรายจุดเน้น"
        verbose_name_plural = "สรุประดับจังหวัดรายจุดเน้น"
        constraints = [
            models.UniqueConstraint(fields=["round", "point"], name="round_point_summary_unique")
        ]

    def __str__(self) -> str:
        return f"สรุปจุดเน้น {self.point_id} ({self.round})"


class RoundProblem(models.Model):
    """A row of the province's problems ↔ solutions table for one focus point."""

    summary = models.ForeignKey(
        RoundPointSummary, on_delete=models.CASCADE, related_name="problems"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=1)
    problem = models.TextField("ปัญหา/อุปสรรค")
    solution = models.TextField("วิธีการ/แนวทางการแก้ไขปัญหา", blank=True)

    class Meta:
        verbose_name = "ปัญหาและแนวทางแก้ไขระดับจังหวัด"
        verbose_name_plural = "ปัญหาและแนวทางแก้ไขระดับจังหวัด"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return clip(self.problem, 60)
