"""Sending: runs in the task worker (tasks.py) and the `send_notifications` command, never
in a request.

Each delivery is claimed with one conditional UPDATE (pending/retrying → sending) before
anything is sent, so two workers, or a task retried by the queue, never send it twice.
An email is recorded as sent, in its own transaction, the moment the SMTP server accepts it;
should the worker die between the two, the claim is left "sending" and the sweeper marks it
failed for the admin instead of sending again (SMTP has no way to ask whether a message
arrived, and a second copy is worse than a line on the dead-letter page: the notification is
in the inbox either way). A LINE push left "sending" is retried with the same retry key, and
LINE answers that it already has it.
A failure that may pass (SMTP down, LINE 429/5xx, no network) is retried with back-off; one
that will not (no address, the user blocked the Official Account, a rejected token) is
marked failed at once. Every try is logged with a Thai reason for the admin's page.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from krupd.lib.clipping import clip
from krupd.templatetags.thai import be

from . import crypto, line, ratelimit
from .kinds import Kind
from .models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    LineChannel,
    Notification,
    Recipient,
)

logger = logging.getLogger(__name__)

# Minutes to wait before try n+1 after n failures; after the last, the delivery has failed.
BACKOFF_MINUTES = [1, 5, 30, 120, 360]
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
STUCK_MINUTES = 15  # a claim older than this belongs to a worker that died mid-send
UNSURE_EMAIL = (
    "ระบบหยุดทำงานระหว่างส่งอีเมลนี้ ไม่แน่ชัดว่าถึงผู้รับแล้วหรือไม่ จึงไม่ส่งซ้ำเอง "
    "(ผู้รับเห็นเรื่องนี้ในกล่องข้อความของระบบแล้ว กด “ส่งอีกครั้ง” หากต้องการ)"
)
LOST_MINUTES = 10  # a pending delivery this old was never picked up by a task


class Postponed(Exception):
    """Not a try: the push falls in the office's quiet hours and waits until they end."""

    def __init__(self, until: dt.datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until
        self.reason = reason


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.retry_after = retry_after


def site_url(path: str) -> str:
    base = getattr(settings, "KRUPD_BASE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


FLUSH_EVERY = 50  # successes are written in batches of this many


def deliver(ids: list[int]) -> dict[str, int]:
    """Send the given deliveries that are due; returns counts by outcome.

    The due ones are claimed in one transaction (pending/retrying → sending), so another
    worker, or this task retried by the queue, skips them. Successes are recorded in batches;
    should the worker die in between, the sweeper retries those, and LINE's retry key keeps
    them from reaching a phone twice."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    claimed = _claim(ids)
    counts["skipped"] = len(set(ids)) - len(claimed)
    rows = (
        Delivery.objects.filter(pk__in=claimed)
        .select_related("notification__recipient")
        .order_by("pk")
    )
    recipients = rows.values("notification__recipient_id")
    cache = _Lookups(Recipient.objects.filter(user_id__in=recipients), _line_wanted(rows))
    sent: list[int] = []
    for d in rows.iterator(chunk_size=500):
        outcome = _send(d, cache)
        if isinstance(outcome, Postponed):
            _record_postponed(d, outcome)
            counts["retry"] += 1
        elif outcome is None and d.channel == Channel.EMAIL:
            _record_sent([d.pk])  # at once: an email cannot be taken back or deduplicated
            counts["sent"] += 1
        elif outcome is None:
            sent.append(d.pk)
            if len(sent) >= FLUSH_EVERY:
                _record_sent(sent)
                counts["sent"] += len(sent)
                sent = []
        else:
            counts[_record_failure(d, outcome)] += 1
    _record_sent(sent)
    counts["sent"] += len(sent)
    return counts


def _claim(ids: list[int]) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING])
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=due).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    return due


def _line_wanted(rows) -> set[tuple[int, str]]:
    """(user id, kind) of the batch's LINE deliveries whose recipient still takes that kind
    by LINE: their choice (or their office's default) as it is now, read once per kind."""
    from django.contrib.auth import get_user_model

    from .actions import channels_for

    by_kind: dict[str, set[int]] = {}
    pairs = rows.filter(channel=Channel.LINE).values_list(
        "notification__recipient_id", "notification__kind"
    )
    for user_id, kind in pairs:
        by_kind.setdefault(kind, set()).add(user_id)
    if not by_kind:
        return set()
    users = get_user_model().objects.in_bulk(set().union(*by_kind.values()))
    wanted = set()
    for kind, ids in by_kind.items():
        chosen = channels_for([users[i] for i in ids if i in users], kind)
        wanted |= {(i, kind) for i, channels in chosen.items() if Channel.LINE in channels}
    return wanted


class _Lookups:
    """Per-batch caches: the LINE channel of each office, the recipients' LINE links and
    which of them still take each kind by LINE."""

    def __init__(self, profiles, line_wanted: set[tuple[int, str]] = frozenset()) -> None:
        self.line_wanted = line_wanted
        self.channels: dict[int | None, LineChannel | None] = {}
        self.profiles: dict[int, Recipient] = {p.user_id: p for p in profiles}
        self.tokens: dict[int, str] = {}
        self.limits: dict[int, ratelimit.SharedLimit] = {}

    def channel(self, office_id: int | None) -> LineChannel | None:
        if office_id not in self.channels:
            self.channels[office_id] = LineChannel.objects.filter(
                office_id=office_id, enabled=True
            ).first()
        return self.channels[office_id]

    def limit(self, channel: LineChannel) -> ratelimit.SharedLimit:
        if channel.pk not in self.limits:
            self.limits[channel.pk] = ratelimit.SharedLimit(
                f"line-push:{channel.pk}", line.push_rate()
            )
        return self.limits[channel.pk]

    def token(self, channel: LineChannel) -> str:
        if channel.pk not in self.tokens:
            self.tokens[channel.pk] = crypto.decrypt(channel.token_encrypted)
        return self.tokens[channel.pk]


def _send(d: Delivery, cache: _Lookups) -> DeliveryFailed | Postponed | None:
    try:
        _refuse_closed_account(d.notification.recipient)
        if d.channel == Channel.EMAIL:
            _refuse_unsubscribed(d.notification.recipient, d.notification.kind)
            send_email(d.notification)
        else:
            send_line(d, cache)
    except (DeliveryFailed, Postponed) as outcome:
        return outcome
    except Exception:
        logger.exception("delivery %s failed unexpectedly", d.pk)
        return DeliveryFailed("เกิดข้อผิดพลาดภายในระบบระหว่างส่ง จะส่งซ้ำภายหลัง", retry=True)
    return None


def _refuse_closed_account(user) -> None:
    """An account closed after its notice was written (a transfer, a retirement) is sent
    nothing more: its retries and held digest items stop, failed with the reason on the
    admin's page. The inbox row stays, as every failed delivery's does."""
    if not user.is_active:
        raise DeliveryFailed("บัญชีผู้ใช้ถูกปิดการใช้งานแล้ว จึงไม่ส่ง", retry=False)


UNSUBSCRIBED = "ผู้รับยกเลิกการรับอีเมลเรื่องนี้แล้ว จึงไม่ส่ง"
LINE_STOPPED = "ผู้รับปิดการรับเรื่องนี้ทาง LINE แล้ว จึงไม่ส่ง"


def _email_still_wanted(user, kind: str) -> bool:
    from .actions import channels_for

    return Channel.EMAIL in channels_for([user], kind)[user.pk]


def _refuse_unsubscribed(user, kind: str) -> None:
    """An email written before its recipient stopped that topic (the one-click link, or the
    settings page) is not sent after all: a retry, or the admin's "send again"."""
    if not _email_still_wanted(user, kind):
        raise DeliveryFailed(UNSUBSCRIBED, retry=False)


def _fail(ids: list[int], reason: str) -> None:
    """Deliveries that will not be sent, with the reason on the admin's page."""
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=reason
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=pk, at=now, ok=False, detail=reason) for pk in ids
        )


def _record_sent(ids: list[int]) -> None:
    if not ids:
        return
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENT, sent_at=now, last_error="", next_attempt_at=None
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=pk, at=now, ok=True, detail="ส่งสำเร็จ") for pk in ids
        )


def _record_failure(d: Delivery, failure: DeliveryFailed) -> str:
    now = timezone.now()
    retry = failure.retry and d.attempts < MAX_ATTEMPTS
    if retry:
        wait = dt.timedelta(minutes=BACKOFF_MINUTES[min(d.attempts, MAX_ATTEMPTS - 1) - 1])
        if failure.retry_after:
            wait = max(wait, dt.timedelta(seconds=failure.retry_after))
        next_at = now + wait
        status = DeliveryStatus.RETRYING
        reason = failure.reason
    else:
        next_at = None
        status = DeliveryStatus.FAILED
        reason = failure.reason
        if failure.retry:
            reason = f"{failure.reason} — ส่งไม่สำเร็จครบ {d.attempts} ครั้งแล้ว"
    with transaction.atomic():
        Delivery.objects.filter(pk=d.pk).update(
            status=status, next_attempt_at=next_at, last_error=clip(reason, 500)
        )
        DeliveryAttempt.objects.create(delivery_id=d.pk, at=now, ok=False, detail=clip(reason, 500))
    if retry and _queue_defers():
        from .actions import enqueue_deliveries

        enqueue_deliveries([d.pk], run_after=next_at)
    return "retry" if retry else "failed"


def _record_postponed(d: Delivery, postponed: Postponed) -> None:
    """Back to waiting until the quiet hours end; the claim's count of tries is given back
    (nothing was sent), so quiet nights never use up a delivery's retries."""
    Delivery.objects.filter(pk=d.pk).update(
        status=DeliveryStatus.RETRYING,
        next_attempt_at=postponed.until,
        attempts=F("attempts") - 1,
        last_error=clip(postponed.reason, 500),
    )
    if _queue_defers():
        from .actions import enqueue_deliveries

        enqueue_deliveries([d.pk], run_after=postponed.until)


def _queue_defers() -> bool:
    from django_tasks import task_backends

    return task_backends["default"].supports_defer


# ------------------------------------------------------------------------ email


def _unsubscribe_url(user, kinds) -> str:
    from .actions import unsubscribe_token

    return site_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kinds)]))


def email_context(notification: Notification) -> dict:
    user = notification.recipient
    return {
        "name": user.get_full_name() or user.username,
        "notification": notification,
        "link": site_url(reverse("notifications:open", args=[notification.pk])),
        "unsubscribe_url": _unsubscribe_url(user, notification.kind),
        "preferences_url": site_url(reverse("notifications:preferences")),
    }


def _send_mail(*, user, subject: str, body: str, unsubscribe_url: str = "") -> None:
    if not user.email:
        raise DeliveryFailed("ผู้ใช้ไม่มีอีเมลในระบบ", retry=False)
    headers = {}
    if unsubscribe_url:
        # RFC 8058: mail apps offer their own one-click "unsubscribe" button with these.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email], headers=headers)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryFailed(f"เซิร์ฟเวอร์อีเมลไม่รับที่อยู่ {user.email}", retry=False) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(
            f"ส่งอีเมลไม่ได้: เซิร์ฟเวอร์อีเมลไม่ตอบหรือขัดข้อง ({error.__class__.__name__}) จะส่งซ้ำภายหลัง",
            retry=True,
        ) from None


def send_email(notification: Notification) -> None:
    ctx = email_context(notification)
    subject = render_to_string("notifications/email/subject.txt", ctx).strip()
    body = render_to_string("notifications/email/body.txt", ctx)
    _send_mail(
        user=notification.recipient,
        subject=" ".join(subject.split()),
        body=body,
        unsubscribe_url=ctx["unsubscribe_url"],
    )


# ------------------------------------------------------------------------ LINE


def line_text(notification: Notification) -> str:
    link = site_url(reverse("notifications:open", args=[notification.pk]))
    return f"KruPD: {notification.outside_text}\n{link}"


def quiet_hours_note(channel: LineChannel, until: dt.datetime) -> str:
    return f"อยู่ในช่วงงดส่งทาง LINE ของเขตพื้นที่ ({channel.quiet_hours}) จะส่งเมื่อ {be(until, 'medium')}"


def send_line(d: Delivery, cache: _Lookups) -> None:
    user = d.notification.recipient
    profile = cache.profiles.get(user.pk)
    if profile is None or not profile.line_user_id:
        raise DeliveryFailed("ผู้ใช้ยกเลิกการเชื่อมต่อ LINE แล้ว", retry=False)
    if profile.line_blocked_at:
        raise DeliveryFailed("ผู้ใช้บล็อกบัญชีทางการ LINE ของเขตพื้นที่", retry=False)
    channel = cache.channel(user.office_id)
    if channel is None:
        raise DeliveryFailed("เขตพื้นที่ยังไม่ได้ตั้งค่าหรือปิดการส่งทาง LINE", retry=False)
    if (user.pk, d.notification.kind) not in cache.line_wanted:
        # Written before the recipient turned this topic off for LINE: a retry after LINE
        # answered 500, or the admin's "send again", pushed it anyway (email already checked).
        raise DeliveryFailed(LINE_STOPPED, retry=False)
    if until := channel.quiet_ends_at(timezone.now()):
        raise Postponed(until, quiet_hours_note(channel, until))
    try:
        token = cache.token(channel)
    except crypto.UnreadableSecret:
        raise DeliveryFailed(
            "อ่านโทเค็น LINE ที่บันทึกไว้ไม่ได้ (คีย์ของระบบเปลี่ยน) ผู้ดูแลระบบต้องบันทึกโทเค็นใหม่",
            retry=False,
        ) from None
    cache.limit(channel).wait()
    try:
        line.push_text(
            token=token,
            to=profile.line_user_id,
            text=line_text(d.notification),
            retry_key=str(d.key),
        )
    except line.PushError as error:
        raise DeliveryFailed(
            error.reason, retry=error.retry, retry_after=error.retry_after
        ) from None


# ------------------------------------------------------------------------ sweeping


def due_ids(*, now=None) -> list[int]:
    """Deliveries to try now: retries whose wait is over, pending ones no task picked up,
    and claims of a worker that died mid-send (LINE's retry key keeps those from reaching
    a phone twice)."""
    now = now or timezone.now()
    stuck = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - dt.timedelta(minutes=STUCK_MINUTES)
    )
    _give_up_unsure_emails(stuck.filter(channel=Channel.EMAIL), now=now)
    stuck.filter(channel=Channel.LINE).update(status=DeliveryStatus.RETRYING, next_attempt_at=now)
    return list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now)
            | Q(
                status=DeliveryStatus.PENDING,
                notification__created_at__lt=now - dt.timedelta(minutes=LOST_MINUTES),
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _give_up_unsure_emails(stuck, *, now) -> None:
    with transaction.atomic():
        ids = list(stuck.select_for_update().values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=UNSURE_EMAIL
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=pk, at=now, ok=False, detail=UNSURE_EMAIL) for pk in ids
        )


# ------------------------------------------------------------------------ daily digest


def send_digests() -> dict[str, int]:
    """One email per user with everything held for the digest since the last one."""
    counts = {"emails": 0, "items": 0, "failed": 0}
    user_ids = (
        Delivery.objects.filter(status=DeliveryStatus.DIGEST)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )
    for user_id in list(user_ids):
        sent, items = _send_digest(user_id)
        if sent is None:  # every item held was of a topic the user has since stopped
            continue
        counts["emails" if sent else "failed"] += 1
        counts["items"] += items if sent else 0
    return counts


def _send_digest(user_id: int) -> tuple[bool | None, int]:
    held = Delivery.objects.filter(status=DeliveryStatus.DIGEST, notification__recipient_id=user_id)
    ids = list(held.values_list("pk", flat=True))
    claimed = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.DIGEST).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:
        return False, 0
    notifications = list(
        Notification.objects.filter(deliveries__pk__in=ids)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    user = notifications[0].recipient
    kinds = list(dict.fromkeys(n.kind for n in notifications))  # in the order they came
    # Held before the recipient stopped a topic (the one-click link): not sent after all.
    stopped = [kind for kind in kinds if user.is_active and not _email_still_wanted(user, kind)]
    if stopped:
        dropped = [n.pk for n in notifications if n.kind in stopped]
        dropped_ids = list(
            Delivery.objects.filter(pk__in=ids, notification_id__in=dropped).values_list(
                "pk", flat=True
            )
        )
        _fail(dropped_ids, UNSUBSCRIBED)
        ids = sorted(set(ids) - set(dropped_ids))
        notifications = [n for n in notifications if n.kind not in stopped]
        kinds = [kind for kind in kinds if kind not in stopped]
        if not notifications:
            return None, 0
    ctx = {
        "name": user.get_full_name() or user.username,
        "items": [(n, site_url(reverse("notifications:open", args=[n.pk]))) for n in notifications],
        "inbox_url": site_url(reverse("notifications:inbox")),
        "preferences_url": site_url(reverse("notifications:preferences")),
        # Every kind in the digest has its own one-click link, as a single notice's email has.
        "unsubscribe": [(Kind(kind).label, _unsubscribe_url(user, kind)) for kind in kinds],
    }
    subject = render_to_string("notifications/email/digest_subject.txt", ctx).strip()
    body = render_to_string("notifications/email/digest_body.txt", ctx)
    now = timezone.now()
    try:
        _refuse_closed_account(user)
        # The mail app's own button stops every kind this digest carried.
        _send_mail(
            user=user,
            subject=" ".join(subject.split()),
            body=body,
            unsubscribe_url=_unsubscribe_url(user, kinds),
        )
    except DeliveryFailed as failure:
        # Held again: tomorrow's digest carries them, unless the failure is permanent.
        status = DeliveryStatus.DIGEST if failure.retry else DeliveryStatus.FAILED
        Delivery.objects.filter(pk__in=ids).update(status=status, last_error=failure.reason)
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=pk, at=now, ok=False, detail=failure.reason) for pk in ids
        )
        return False, 0
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENT, sent_at=now, last_error=""
    )
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(delivery_id=pk, at=now, ok=True, detail="ส่งในอีเมลสรุปรายวัน") for pk in ids
    )
    return True, len(ids)
