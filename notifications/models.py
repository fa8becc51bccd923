"""Notifications: the inbox row every recipient gets, one delivery per outside channel
(email, LINE) with its attempts, preferences per user and kind, office defaults, and the
office's LINE Official Account (credentials stored encrypted)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .kinds import Kind


class Notification(models.Model):
    """One message to one user. The inbox shows `title`; email and LINE send only
    `outside_text`, which names nobody but the recipient (PDPA) and, for sensitive kinds,
    says only that something waits in the system."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("เรื่อง", max_length=32, choices=Kind.choices)
    title = models.CharField("ข้อความ", max_length=300)
    outside_text = models.CharField("ข้อความทางอีเมลและ LINE", max_length=300)
    url = models.CharField("ลิงก์", max_length=500, blank=True)
    created_at = models.DateTimeField("เมื่อ", default=timezone.now)
    read_at = models.DateTimeField("อ่านเมื่อ", null=True, blank=True)
    # Scheduled events (reminders, deadlines, weekly summaries) carry a key, so running the
    # daily command twice never notifies twice.
    dedupe_key = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "การแจ้งเตือน"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notif_dedupe_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "email", "อีเมล"
    LINE = "line", "LINE"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "รอส่ง"
    DIGEST = "digest", "รอรวมส่งในอีเมลสรุปรายวัน"
    SENDING = "sending", "กำลังส่ง"
    RETRYING = "retrying", "รอส่งซ้ำ"
    SENT = "sent", "ส่งแล้ว"
    FAILED = "failed", "ส่งไม่สำเร็จ"


class Delivery(models.Model):
    """Sending one notification through one outside channel. Exactly one row per
    (notification, channel): a retried task finds it already claimed or sent."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("ช่องทาง", max_length=8, choices=Channel.choices)
    status = models.CharField(
        "สถานะ", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("จำนวนครั้งที่ส่ง", default=0)
    next_attempt_at = models.DateTimeField("ส่งซ้ำได้เมื่อ", null=True, blank=True)
    last_error = models.CharField("สาเหตุล่าสุด", max_length=500, blank=True)
    sent_at = models.DateTimeField("ส่งเมื่อ", null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Sent as LINE's X-Line-Retry-Key: LINE accepts one push per key, so even a send whose
    # answer was lost cannot reach the phone twice.
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        verbose_name = "การส่งการแจ้งเตือน"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.notification_id})"


class DeliveryAttempt(models.Model):
    """The delivery log: every try, with the outcome in Thai."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField(default=False)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.detail}"


class Preference(models.Model):
    """A user's own choice for one kind. The inbox always receives; email and LINE only
    when chosen here, or by the office default while the user has not chosen."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.BooleanField(default=False)
    line = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notif_pref_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class OfficeDefault(models.Model):
    """What the office turns on for users who have not chosen for a kind."""

    office = models.ForeignKey(
        "registry.Office", on_delete=models.CASCADE, related_name="notification_defaults"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.BooleanField(default=False)
    line = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="notif_office_default_once")
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.kind}"


class Recipient(models.Model):
    """A user's channels: the email digest choice and the linked LINE account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_profile"
    )
    email_digest = models.BooleanField(
        "รวมอีเมลเป็นฉบับเดียววันละครั้ง",
        default=False,
        help_text="ส่งอีเมลสรุปวันละหนึ่งฉบับแทนการส่งทันทีทุกเรื่อง",
    )
    line_user_id = models.CharField(max_length=64, blank=True, db_index=True)
    line_linked_at = models.DateTimeField(null=True, blank=True)
    # Set by LINE's unfollow event: the person blocked the Official Account. Pushes stop
    # until they add it again (the follow event clears it).
    line_blocked_at = models.DateTimeField(null=True, blank=True)
    link_code = models.CharField(max_length=12, blank=True, db_index=True)
    link_code_expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"channels of {self.user_id}"

    @property
    def line_active(self) -> bool:
        return bool(self.line_user_id) and self.line_blocked_at is None


def quiet_hours_text(start: dt.time | None, end: dt.time | None) -> str:
    """A quiet-hours window as offices write times: "21.00–06.00 น."; "" for none."""
    if start is None or end is None:
        return ""
    return f"{start:%H.%M}–{end:%H.%M} น."


class LineChannel(models.Model):
    """An office's LINE Official Account (Messaging API channel). The secret and token are
    stored encrypted (notifications/crypto.py), never shown again once saved."""

    office = models.OneToOneField(
        "registry.Office", on_delete=models.CASCADE, related_name="line_channel"
    )
    basic_id = models.CharField(
        "LINE ID ของบัญชีทางการ",
        max_length=40,
        help_text="เช่น @krupd-pbi1 ผู้ใช้ค้นหาชื่อนี้ในแอป LINE เพื่อเพิ่มเพื่อน",
    )
    secret_encrypted = models.TextField()
    token_encrypted = models.TextField()
    enabled = models.BooleanField("เปิดส่งทาง LINE", default=True)
    # The office's quiet hours: a LINE push due in them (an officer approving late at night,
    # a retry's back-off) waits until they end. Both empty: none.
    quiet_from = models.TimeField("งดส่งทาง LINE ตั้งแต่เวลา", null=True, blank=True)
    quiet_until = models.TimeField("ถึงเวลา", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    def __str__(self) -> str:
        return self.basic_id

    @property
    def quiet_hours(self) -> str:
        """The quiet hours as the settings page, the audit log and a postponed push write
        them: "21.00–06.00 น."; "" when the office set none."""
        return quiet_hours_text(self.quiet_from, self.quiet_until)

    def quiet_ends_at(self, moment: dt.datetime) -> dt.datetime | None:
        """When the quiet hours `moment` falls in end (local time); None outside them, or
        when the office set none. A window may run past midnight (21:00–07:00)."""
        if self.quiet_from is None or self.quiet_until is None:
            return None
        local = timezone.localtime(moment)
        now = local.time()
        start, end = self.quiet_from, self.quiet_until
        inside = start <= now < end if start < end else now >= start or now < end
        if not inside:
            return None
        ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        return ends if ends > local else ends + dt.timedelta(days=1)


class RateLimit(models.Model):
    """A sending limit shared by every worker process (ratelimit.py): the moment the next
    message may go out under it. One row per limit, e.g. one per LINE channel."""

    key = models.CharField(max_length=100, unique=True)
    next_free_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
