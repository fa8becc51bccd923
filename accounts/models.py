from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Role


class User(AbstractUser):
    """A person who logs in. Scope follows the role: office, school, or one person record."""

    role = models.CharField("บทบาท", max_length=32, choices=Role.choices, default=Role.TEACHER)
    office = models.ForeignKey(
        "registry.Office", verbose_name="เขตพื้นที่", on_delete=models.PROTECT, null=True, blank=True
    )
    school = models.ForeignKey(
        "registry.School",
        verbose_name="สถานศึกษา",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="สำหรับผู้อำนวยการสถานศึกษา: โรงเรียนที่ดูแล",
    )
    person = models.OneToOneField(
        "registry.Person",
        verbose_name="ข้อมูลบุคลากรของผู้ใช้",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )

    class Meta:
        verbose_name = "ผู้ใช้"
        verbose_name_plural = "ผู้ใช้"

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class LoginFailure(models.Model):
    """One failed login, kept for throttling. Old rows are ignored by the window and pruned."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"
