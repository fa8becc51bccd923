"""Levels above the office: regions (ศึกษาธิการภาค) and provinces (ศึกษาธิการจังหวัด), and the
yearly summary of each office that every view above the office reads.

An office belongs to the province whose name it carries (`Office.province`, the name printed
on its documents); the province belongs to a region. Users above the office hold a scope at
one level (accounts.User.province / .region; OBEC analysts see the whole country).
"""

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
