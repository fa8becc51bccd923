"""Every write of the notifications app.

`notify(...)` is what the other apps' actions call when something happens that waits on
someone: it writes the inbox rows and one delivery per outside channel the recipient chose,
inside the caller's transaction (so a rolled-back action notifies nobody), and hands the
deliveries to the task worker once that transaction commits. Sending never happens in the
request, and a failed send never undoes the action that raised it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from krupd.lib import compiled_queries
from krupd.lib.clipping import clip
from registry import audit
from registry.models import AuditAction

from . import crypto, line
from .kinds import SENSITIVE_OUTSIDE_TEXT, Kind, is_sensitive
from .models import (
    Channel,
    Delivery,
    DeliveryStatus,
    LineChannel,
    Notification,
    OfficeDefault,
    Preference,
    Recipient,
    quiet_hours_text,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
LINK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_CODE_LENGTH = 8
LINK_CODE_MINUTES = 30
ENQUEUE_CHUNK = 200  # deliveries per worker task
TEXT_LIMIT = Notification._meta.get_field("title").max_length  # outside_text's too


class NotificationError(ValidationError):
    """A refusal the person can understand; the message is Thai."""


# ------------------------------------------------------------------------ raising events


def notify(
    *,
    kind: str,
    recipients: Iterable,
    title: str,
    outside_text: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell `recipients` (users) about one event. `title` is for the inbox (inside the system,
    may name the people involved); `outside_text` is what email and LINE carry and must
    name nobody but the recipient. Sensitive kinds never carry content outside.

    With a `dedupe_key`, a recipient who already has a notification with that key is skipped:
    scheduled commands can run twice without notifying twice.
    """
    recipients = list(recipients)
    created = _written(
        lambda: _unsaved(
            kind=kind,
            recipients=recipients,
            title=title,
            outside_text=outside_text,
            url=url,
            dedupe_key=dedupe_key,
        )
    )
    if created:
        _plan_deliveries(created, kind=kind)
    return created


def notify_many(kind: str, items: list[dict]) -> int:
    """Several `notify` calls of one kind (a scheduled command's or a batch's whole run),
    each item its arguments: all their notifications written, and their deliveries
    planned, at once."""
    items = [{**item, "recipients": list(item["recipients"])} for item in items]
    created = _written(
        lambda: [notification for item in items for notification in _unsaved(kind=kind, **item)]
    )
    if created:
        _plan_deliveries(created, kind=kind)
    return len(created)


def _written(unsaved: Callable[[], list[Notification]]) -> list[Notification]:
    """Write the notifications `unsaved()` gives. Two writes telling the same person of the
    same event at the same moment (two officers' clicks, a command run twice) can both find
    the notice not yet sent; the later insert then meets the first on the dedupe constraint.
    That must not undo the action that raised the event: the insert is tried in a savepoint
    and, on that conflict, the notices are read again (the first one's are there now) and
    only the rest written. Notices without a dedupe key cannot conflict: written at once."""
    rows = unsaved()
    if not any(row.dedupe_key for row in rows):
        return Notification.objects.bulk_create(rows)
    for last_try in (False, True):
        try:
            with transaction.atomic():
                return Notification.objects.bulk_create(rows)
        except IntegrityError:
            if last_try:
                raise
            rows = unsaved()
    return []


def _unsaved(
    *, kind: str, recipients: Iterable, title: str, outside_text: str = "", url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:  # fmt: skip
    """The notifications of one `notify` call, not yet written."""
    users = {u.pk: u for u in recipients if u is not None and u.pk and u.is_active}
    if not users:
        return []
    if dedupe_key:
        done = Notification.objects.filter(
            recipient_id__in=list(users), dedupe_key=dedupe_key
        ).values_list("recipient_id", flat=True)
        for pk in done:
            users.pop(pk, None)
        if not users:
            return []
    outside = SENSITIVE_OUTSIDE_TEXT if is_sensitive(kind) else (outside_text or title)
    # A long comment or file name in the text is shortened between whole Thai characters
    # (a cut by code points dropped a consonant's vowel and tone marks), and says it was.
    title, outside = clip(title, TEXT_LIMIT), clip(outside, TEXT_LIMIT)
    now = timezone.now()
    return [
        Notification(
            recipient=user,
            kind=kind,
            title=title,
            outside_text=outside,
            url=url,
            created_at=now,
            dedupe_key=dedupe_key,
        )
        for user in users.values()
    ]


def channels_for(users: list, kind: str) -> dict[int, set[str]]:
    """Which outside channels each user gets for `kind`: their own choice if they made one,
    else their office's default; LINE only while linked and not blocked, and only when their
    office's Official Account is set up; email only with an address. One query, whatever
    the number of users."""
    return _channels_and_digest(users, kind)[0]


def _channels_and_digest(users: list, kind: str) -> tuple[dict[int, set[str]], set[int]]:
    """channels_for, and which of the users take their email as a daily digest. The choice,
    the office default, the office's LINE account and the user's profile are joined to the
    users in one statement (each is at most one row per user): notifying is part of many
    writes (every enrolment), where four look-ups cost more than the notice itself."""
    from django.contrib.auth import get_user_model

    def build(user_ids):
        return _channel_rows(get_user_model(), user_ids, kind)

    # One recipient, the usual notice (every enrolment): compiled once per kind (a bounded
    # set), only the user's id varies.
    rows = compiled_queries.rows_for_ids(
        ("notifications.channels", kind), build, [u.pk for u in users]
    )
    found = {row[0]: row[1:] for row in rows}
    result, digest = {}, set()
    for user in users:
        row = found.get(user.pk) or (None,) * 8
        own_email, own_line, office_email, office_line, line_office, line_id, blocked, digested = (
            row
        )
        # A choice of one's own (a row: its flags are never null) wins over the office's.
        email_on, line_on = (
            (own_email, own_line) if own_email is not None else (office_email, office_line)
        )
        wanted = set()
        if email_on and user.email:
            wanted.add(Channel.EMAIL)
        if line_on and user.office_id and line_office and line_id and blocked is None:
            wanted.add(Channel.LINE)
        result[user.pk] = wanted
        if digested:
            digest.add(user.pk)
    return result, digest


def _channel_rows(user_model, user_ids, kind: str):
    """Per user: own choice (email, LINE), office default (email, LINE), the office's LINE
    account enabled, LINE user id, LINE blocked at, email digest."""
    return (
        user_model.objects.filter(pk__in=user_ids)
        .annotate(
            own_choice=FilteredRelation(
                "notification_prefs", condition=Q(notification_prefs__kind=kind)
            ),
            office_choice=FilteredRelation(
                "office__notification_defaults",
                condition=Q(office__notification_defaults__kind=kind),
            ),
        )
        .values_list(
            "pk", "own_choice__email", "own_choice__line",
            "office_choice__email", "office_choice__line",
            "office__line_channel__enabled", "notification_profile__line_user_id",
            "notification_profile__line_blocked_at", "notification_profile__email_digest",
        )
    )  # fmt: skip


def _plan_deliveries(created: list[Notification], *, kind: str) -> None:
    users = [n.recipient for n in created]
    wanted, digest_users = _channels_and_digest(users, kind)
    rows = []
    for n in created:
        for channel in sorted(wanted[n.recipient_id]):
            held = channel == Channel.EMAIL and n.recipient_id in digest_users
            rows.append(
                Delivery(
                    notification=n,
                    channel=channel,
                    status=DeliveryStatus.DIGEST if held else DeliveryStatus.PENDING,
                )
            )
    if not rows:
        return
    Delivery.objects.bulk_create(rows)
    ids = [d.pk for d in rows if d.status == DeliveryStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: enqueue_deliveries(ids))


def enqueue_deliveries(ids: list[int], *, run_after: dt.datetime | None = None) -> None:
    """Hand deliveries to the task worker. If the queue cannot be reached the deliveries stay
    pending, and `send_notifications` (run every few minutes) picks them up."""
    from . import tasks

    task = tasks.deliver_notifications
    if run_after is not None:
        task = task.using(run_after=run_after)
    try:
        for start in range(0, len(ids), ENQUEUE_CHUNK):
            task.enqueue(ids[start : start + ENQUEUE_CHUNK])
    except Exception:
        logger.exception("could not queue %d notification deliveries", len(ids))


# ------------------------------------------------------------------------ the inbox


def mark_read(*, acting_user, notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def mark_all_read(*, acting_user) -> int:
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ------------------------------------------------------------------------ preferences


@transaction.atomic
def save_preferences(*, acting_user, choices: dict[str, tuple[bool, bool]], digest: bool) -> None:
    """`choices`: kind → (email, line). Every kind is stored, so the office default no
    longer applies to a user who saved their own."""
    for kind in Kind.values:
        email, line_on = choices.get(kind, (False, False))
        Preference.objects.update_or_create(
            user=acting_user, kind=kind, defaults={"email": email, "line": line_on}
        )
    profile, _ = Recipient.objects.get_or_create(user=acting_user)
    if profile.email_digest != digest:
        profile.email_digest = digest
        profile.save(update_fields=["email_digest"])


@transaction.atomic
def save_office_defaults(*, acting_user, office, choices: dict[str, tuple[bool, bool]]) -> None:
    before = {d.kind: [d.email, d.line] for d in OfficeDefault.objects.filter(office=office)}
    for kind in Kind.values:
        email, line_on = choices.get(kind, (False, False))
        OfficeDefault.objects.update_or_create(
            office=office, kind=kind, defaults={"email": email, "line": line_on}
        )
    after = {k: list(choices.get(k, (False, False))) for k in Kind.values}
    changed = {
        Kind(k).label: [before.get(k), v]
        for k, v in after.items()
        if before.get(k, [False, False]) != v
    }
    if changed:
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            object_type="notification_defaults",
            object_id=str(office.pk),
            object_label=f"ค่าเริ่มต้นการแจ้งเตือน {office.name}",
            office=office,
            changes=changed,
        )


def unsubscribe_token(user, kinds: str | Iterable[str]) -> str:
    """The signed key of a one-click link that stops `user`'s emails of one kind (a single
    notice's email) or of several (a daily digest carries notices of several kinds)."""
    kinds = [kinds] if isinstance(kinds, str) else sorted(set(kinds))
    key = kinds[0] if len(kinds) == 1 else kinds  # one kind: the shape of links already sent
    return signing.dumps({"u": user.pk, "k": key}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user id, kinds) of a link from an email. The links do not expire: an old email's
    link must still work."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kinds = int(data["u"]), data["k"]
        kinds = [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotificationError("ลิงก์ยกเลิกการรับอีเมลไม่ถูกต้อง") from None
    if not kinds or any(kind not in Kind.values for kind in kinds):
        raise NotificationError("ลิงก์ยกเลิกการรับอีเมลไม่ถูกต้อง")
    return user_id, kinds


@transaction.atomic
def unsubscribe(*, user, kinds: list[str]) -> None:
    """Stop emails of the link's kinds (the one-click link). LINE for them stays as chosen."""
    for kind in kinds:
        line_on = channels_for([user], kind)[user.pk] & {Channel.LINE}
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": False, "line": bool(line_on)}
        )


# ------------------------------------------------------------------------ LINE


@transaction.atomic
def save_line_channel(
    *,
    acting_user,
    office,
    basic_id: str,
    secret: str,
    token: str,
    enabled: bool,
    quiet_from: dt.time | None = None,
    quiet_until: dt.time | None = None,
) -> LineChannel:
    """Store the Official Account's credentials encrypted. A blank secret or token keeps
    the stored one (the form never shows them again). quiet_from/quiet_until: the office's
    quiet hours for LINE pushes (both None: none)."""
    channel = LineChannel.objects.select_for_update().filter(office=office).first()
    if channel is None:
        if not secret.strip() or not token.strip():
            raise NotificationError("กรุณากรอก Channel secret และ Channel access token")
        channel = LineChannel(office=office)
    changes = {}
    if secret.strip():
        channel.secret_encrypted = crypto.encrypt(secret.strip())
        changes["channel_secret"] = [None, "บันทึกใหม่"]
    if token.strip():
        channel.token_encrypted = crypto.encrypt(token.strip())
        changes["access_token"] = [None, "บันทึกใหม่"]
    if channel.basic_id != basic_id.strip():
        changes["basic_id"] = [channel.basic_id, basic_id.strip()]
    if channel.pk is None or channel.enabled != enabled:
        changes["enabled"] = [None if channel.pk is None else channel.enabled, enabled]
    if (channel.quiet_from, channel.quiet_until) != (quiet_from, quiet_until):
        changes["quiet_hours"] = [
            _quiet_label(channel.quiet_from, channel.quiet_until) if channel.pk else None,
            _quiet_label(quiet_from, quiet_until),
        ]
    channel.basic_id = basic_id.strip()
    channel.enabled = enabled
    channel.quiet_from, channel.quiet_until = quiet_from, quiet_until
    channel.updated_by = acting_user
    channel.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="line_channel",
        object_id=str(channel.pk),
        object_label=f"บัญชีทางการ LINE {office.name}",
        office=office,
        changes=changes,
    )
    return channel


def _quiet_label(start: dt.time | None, end: dt.time | None) -> str:
    window = quiet_hours_text(start, end)
    return f"งดส่ง {window}" if window else "ส่งได้ทุกเวลา"


@transaction.atomic
def new_link_code(*, acting_user) -> Recipient:
    """A one-time code the user sends to the office's Official Account to link LINE."""
    profile, _ = Recipient.objects.select_for_update().get_or_create(user=acting_user)
    while True:
        code = "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        if not Recipient.objects.filter(link_code=code).exists():
            break
    profile.link_code = code
    profile.link_code_expires_at = timezone.now() + dt.timedelta(minutes=LINK_CODE_MINUTES)
    profile.save(update_fields=["link_code", "link_code_expires_at"])
    return profile


@transaction.atomic
def unlink_line(*, acting_user) -> None:
    Recipient.objects.filter(user=acting_user).update(
        line_user_id="", line_linked_at=None, line_blocked_at=None, link_code=""
    )
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="line_link",
        object_id=str(acting_user.pk),
        object_label=f"ยกเลิกการเชื่อมต่อ LINE ของ {acting_user.username}",
        office=acting_user.office,
        changes={"line": ["เชื่อมต่อ", "ยกเลิก"]},
    )


class BadSignature(Exception):
    """The webhook request was not signed with the office's channel secret."""


# What the Official Account answers in the chat. Only the person's own name, never anyone
# else's, and nothing of what the system holds about them (PDPA).
LINE_REPLY_LINKED = (
    "เชื่อมต่อ LINE กับบัญชี KruPD ของ {name} เรียบร้อยแล้ว "
    "การแจ้งเตือนที่คุณเลือกรับทาง LINE จะส่งมาที่นี่ ยกเลิกได้ที่หน้าการแจ้งเตือนในระบบ"
)
LINE_REPLY_BAD_CODE = (
    "รหัสเชื่อมต่อไม่ถูกต้องหรือหมดอายุแล้ว (ใช้ได้ {minutes} นาทีและใช้ได้ครั้งเดียว) "
    "กรุณาขอรหัสใหม่ที่หน้าการแจ้งเตือนของคุณในระบบ KruPD แล้วส่งมาอีกครั้ง"
)
LINE_REPLY_HELP = (
    "บัญชีนี้ส่งการแจ้งเตือนจากระบบ KruPD ของเขตพื้นที่ หากต้องการรับการแจ้งเตือนทาง LINE "
    "ให้เข้าสู่ระบบ KruPD เปิดหน้าการแจ้งเตือน กด “ขอรหัสเชื่อมต่อ LINE” แล้วส่งรหัส 8 ตัวมาที่นี่"
)


def handle_line_webhook(*, office, body: bytes, signature: str) -> int:
    """Apply LINE's webhook events for an office; returns how many changed something.

    * a text message equal to a live link code links that LINE account to the code's user,
      and the Official Account answers that it did; any other text is answered with why
      (a wrong or expired code) or how to link;
    * `unfollow` (the user blocked the Official Account) stops pushes to them;
    * `follow` (added again) starts them again, and is answered with how to link.
    """
    channel = LineChannel.objects.filter(office=office).first()
    if channel is None:
        raise BadSignature
    try:
        secret = crypto.decrypt(channel.secret_encrypted)
    except crypto.UnreadableSecret:
        logger.error("LINE channel secret of office %s cannot be decrypted", office.pk)
        raise BadSignature from None
    if not line.signature_valid(channel_secret=secret, body=body, signature=signature):
        raise BadSignature
    import json

    try:
        events = json.loads(body.decode()).get("events", [])
    except (ValueError, UnicodeDecodeError, AttributeError):
        return 0
    handled = 0
    replies = []
    for event in events if isinstance(events, list) else []:
        if isinstance(event, dict):
            changed, reply = _apply_line_event(office, event)
            handled += changed
            if reply and isinstance(event.get("replyToken"), str):
                replies.append((event["replyToken"], reply))
    _send_replies(channel, replies)
    return handled


def _send_replies(channel: LineChannel, replies: list[tuple[str, str]]) -> None:
    """After the events are saved: a reply that fails is logged, never undoes a link."""
    if not replies:
        return
    try:
        token = crypto.decrypt(channel.token_encrypted)
    except crypto.UnreadableSecret:
        logger.error("LINE token of office %s cannot be decrypted", channel.office_id)
        return
    for reply_token, text in replies:
        try:
            line.reply_text(token=token, reply_token=reply_token, text=text)
        except line.PushError as error:
            logger.warning("LINE reply for office %s failed: %s", channel.office_id, error.reason)


def _is_line_user_id(value: object) -> bool:
    """LINE's user ids are "U" and 32 hex digits. Anything else in a signed body (a number, a
    list, a NUL byte, a text longer than the column) is ignored: stored or looked up, it would
    be a database error, and LINE would retry the same body again and again."""
    longest = Recipient._meta.get_field("line_user_id").max_length
    return isinstance(value, str) and 0 < len(value) <= longest and value.isalnum()


def _redelivered(event: dict) -> bool:
    """LINE marks an event it sends again (webhook redelivery) in its delivery context."""
    context = event.get("deliveryContext")
    return isinstance(context, dict) and context.get("isRedelivery") is True


@transaction.atomic  # the code's row lock holds, and a link is stored with its audit or not
def _apply_line_event(office, event: dict) -> tuple[int, str]:
    """Apply one event; returns (1 if it changed something else 0, the reply to send)."""
    source = event.get("source") or {}
    line_user = source.get("userId") if isinstance(source, dict) else None
    if not _is_line_user_id(line_user) or source.get("type") != "user":
        return 0, ""
    kind = event.get("type")
    same_office = Recipient.objects.filter(line_user_id=line_user, user__office=office)
    if kind == "unfollow":
        return same_office.update(line_blocked_at=timezone.now()), ""
    if kind == "follow":
        linked = same_office.update(line_blocked_at=None)
        return linked, "" if linked else LINE_REPLY_HELP
    message = event.get("message")
    if kind != "message" or not isinstance(message, dict) or message.get("type") != "text":
        return 0, ""
    code = str(message.get("text", "")).strip().upper().replace(" ", "")
    if len(code) != LINK_CODE_LENGTH:
        return 0, LINE_REPLY_HELP
    profile = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(link_code=code, link_code_expires_at__gt=timezone.now(), user__office=office)
        .first()
    )
    if profile is None:
        if _redelivered(event) and same_office.filter(line_blocked_at__isnull=True).exists():
            # LINE sent again a message this server already took (its answer was slow or
            # lost): the link it made stands, and "wrong code" would tell the user otherwise.
            return 0, ""
        return 0, LINE_REPLY_BAD_CODE.format(minutes=LINK_CODE_MINUTES)
    # One LINE account belongs to one KruPD user of the office: a new link moves it.
    same_office.exclude(pk=profile.pk).update(line_user_id="", line_linked_at=None)
    profile.line_user_id = line_user
    profile.line_linked_at = timezone.now()
    profile.line_blocked_at = None
    profile.link_code = ""
    profile.link_code_expires_at = None
    profile.save()
    audit.record(
        actor=profile.user,
        action=AuditAction.UPDATE,
        object_type="line_link",
        object_id=str(profile.user_id),
        object_label=f"เชื่อมต่อ LINE ของ {profile.user.username}",
        office=office,
        changes={"line": [None, "เชื่อมต่อ"]},
    )
    name = profile.user.get_full_name() or profile.user.username
    return 1, LINE_REPLY_LINKED.format(name=name)


# ------------------------------------------------------------------------ dead letters


def retry_failed(*, acting_user, deliveries) -> int:
    """The admin's "send again" for failed deliveries: back to the queue, attempts reset."""
    ids = list(deliveries.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
    if not ids:
        return 0
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None
    )
    transaction.on_commit(lambda: enqueue_deliveries(ids))
    return len(ids)
