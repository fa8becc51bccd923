import hashlib
import hmac

import pyotp
from django.conf import settings
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
    # The scope of a user above the office (see roles.ABOVE_OFFICE_ROLES): a province for a
    # provincial inspector, a region for a regional inspector; an OBEC analyst has neither.
    province = models.ForeignKey(
        "oversight.Province",
        verbose_name="จังหวัดที่รับผิดชอบ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        "oversight.Region",
        verbose_name="ภาคที่รับผิดชอบ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Set when someone else chose the password (a new account, a reset by the office admin):
    # until the user picks their own, every page sends them to the password page.
    must_change_password = models.BooleanField("ต้องเปลี่ยนรหัสผ่านเมื่อเข้าสู่ระบบ", default=False)

    class Meta:
        verbose_name = "ผู้ใช้"
        verbose_name_plural = "ผู้ใช้"

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role

    @property
    def signed_name(self) -> str:
        """The name a document prints under this user's signature: their personnel record's
        full name with its title ("นางอรลักษณ์ ศักดิ์พันธ์", as the teacher's own line above
        it reads), else the account's name."""
        if self.person_id:
            return self.person.full_name
        return self.get_full_name() or self.username


class LoginStage(models.TextChoices):
    """Which step of signing in failed: the password, or the second-step code."""

    PASSWORD = "password", "รหัสผ่าน"
    CODE = "code", "รหัสยืนยันตัวตนขั้นที่สอง"


class LoginFailure(models.Model):
    """One failed login, kept for throttling. Old rows are ignored by the window and pruned."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Wrong passwords and wrong second-step codes are counted apart: a correct password clears
    # the password failures, and must not wipe the count of wrong codes with it.
    stage = models.CharField(max_length=10, choices=LoginStage.choices, default=LoginStage.PASSWORD)

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M}"


TOTP_ISSUER = "KruPD"
# Codes of the step before and after the current one are accepted: phone clocks drift, and
# a code typed in its last seconds arrives in the next step.
TOTP_DRIFT_STEPS = 1


class TOTPDevice(models.Model):
    """A user's authenticator app (time-based one-time codes, RFC 6238). One per user; the row
    exists only while two-factor sign-in is on.

    The secret is stored as it is, not hashed: every code is computed from the shared secret,
    so the server must be able to read it. Whoever holds a copy of the database can make
    codes, so deployments must protect database backups as they protect the live database.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)  # base32, as shown to the user
    # The newest time step whose code was accepted. A code of that step or an older one is
    # refused, so a code seen over someone's shoulder cannot be used again.
    last_used_step = models.BigIntegerField(null=True, blank=True)
    enabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "แอปยืนยันตัวตน"
        verbose_name_plural = "แอปยืนยันตัวตน"

    def __str__(self) -> str:
        return f"TOTP {self.user}"

    def matching_step(self, code: str, *, at: float) -> int | None:
        """The time step (near `at`, Unix seconds) whose code is `code`, or None."""
        return matching_step(self.secret, code, at=at)


def totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def provisioning_uri(secret: str, *, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return totp(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def matching_step(secret: str, code: str, *, at: float) -> int | None:
    generator = totp(secret)
    current = generator.timecode(at)
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if hmac.compare_digest(generator.generate_otp(step), code):
            return step
    return None


# Recovery codes: letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_LENGTH = 12  # 31**12: about 59 random bits
RECOVERY_CODE_COUNT = 10


def recovery_code_hash(user_id: int, code: str) -> str:
    """Recovery codes are long and random, so one fast hash suffices (a slow password hash
    would make every attempt check ten of them for seconds). `code` is normalised."""
    return hashlib.sha256(f"{user_id}:{code}".encode()).hexdigest()


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (phone lost or flat).
    Only its hash is kept; the user saw the code once, when it was made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "รหัสสำรอง"
        verbose_name_plural = "รหัสสำรอง"
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code of {self.user} ({'used' if self.used_at else 'unused'})"


def setup_link_hash(token: str) -> str:
    """Links are long and random: one fast hash suffices (as for recovery codes)."""
    return hashlib.sha256(f"2fa-setup:{token}".encode()).hexdigest()


class TwoFactorSetupLink(models.Model):
    """A one-time link an office admin hands a user whose role must use two-factor sign-in
    and who has not set it up yet. The password alone does not sign such a user in: whoever
    learnt it could otherwise enrol their own authenticator. With the link (and the password)
    the user signs in once, straight to the set-up page. Only the link's hash is kept; a link
    works once, until it expires, and a newer link replaces an unused older one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ลิงก์ตั้งค่าการยืนยันตัวตนสองขั้นตอน"
        verbose_name_plural = "ลิงก์ตั้งค่าการยืนยันตัวตนสองขั้นตอน"

    def __str__(self) -> str:
        return f"2FA set-up link of {self.user} ({'used' if self.used_at else 'unused'})"
