"""Levels above the office: regions (ศึกษาธิการภาค) and provinces (ศึกษาธิการจังหวัด), and the
yearly summary of each office that every view above the office reads.

An office belongs to the province whose name it carries (`Office.province`, the name printed
on its documents); the province belongs to a region. Users above the office hold a scope at
one level (accounts.User.province / .region; OBEC analysts see the whole country).
"""

from django.conf import settings
from django.db import models


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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class RoundPointSummary(models.Model):
    """What the provincial inspector writes for one focus point: the province's overall
    progress, and (when written) the province's own success factors and suggestions that
    replace the offices' texts in the report."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="summaries")
    point = models.ForeignKey("reporting.FocusPoint", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField("สรุปภาพรวมระดับจังหวัด", blank=True)
    success_factors = models.TextField("ปัจจัยขับเคลื่อนสู่ความสำเร็จ (ระดับจังหวัด)", blank=True)
    area_suggestions = models.TextField("ข้อเสนอแนะระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", blank=True)
    policy_suggestions = models.TextField("ข้อเสนอแนะระดับนโยบาย", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
    order = models.PositiveSmallIntegerField(default=1)
    problem = models.TextField("ปัญหา/อุปสรรค")
    solution = models.TextField("วิธีการ/แนวทางการแก้ไขปัญหา", blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.problem[:60]
