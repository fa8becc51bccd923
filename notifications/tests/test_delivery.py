"""Delivery by email and LINE against local fake servers, retries, idempotency, the webhook,
unsubscribe links, encryption of credentials, and the pages with allowed and refused roles."""

import base64
import datetime as dt
import hashlib
import hmac
import json
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from notifications import actions, crypto, delivery
from notifications.kinds import Kind
from notifications.models import Delivery, DeliveryStatus, LineChannel, Notification, Recipient

from .conftest import LINE_SECRET, LINE_TOKEN

TEACHER, ADMIN = Role.TEACHER, Role.OFFICE_ADMIN


def _notify(user, kind=Kind.CERTIFICATE_ISSUED):
    return actions.notify(kind=kind, recipients=[user], title="เกียรติบัตรพร้อมแล้ว", url="/training/")[
        0
    ]


def _choose(user, kind=Kind.CERTIFICATE_ISSUED, *, email=False, line=False, digest=False):
    actions.save_preferences(acting_user=user, choices={kind: (email, line)}, digest=digest)


def _link(user, line_user="U123"):
    Recipient.objects.update_or_create(user=user, defaults={"line_user_id": line_user})


def _signed(body: dict) -> tuple[bytes, str]:
    raw = json.dumps(body).encode()
    sig = base64.b64encode(hmac.new(LINE_SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, sig


def test_the_inbox_always_receives_and_outside_channels_only_when_chosen(users):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _notify(teacher)
    assert not Delivery.objects.exists()
    _choose(teacher, email=True)
    _notify(teacher)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_email_goes_through_smtp_with_a_one_click_unsubscribe(users, fake_smtp):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _choose(teacher, email=True)
    note = _notify(teacher)
    d = note.deliveries.get()
    assert delivery.deliver([d.pk]) == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}
    assert delivery.deliver([d.pk])["skipped"] == 1  # a retried task never sends twice
    assert len(fake_smtp.messages) == 1
    raw = fake_smtp.messages[0].decode()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.log.get().ok


def test_a_worker_dying_after_the_smtp_server_took_the_email_never_sends_it_again(users, fake_smtp):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _choose(teacher, email=True)
    d = _notify(teacher).deliveries.get()

    class WorkerKilled(BaseException):
        pass

    # The worker is killed right after the server accepted the message, before it is recorded.
    with mock.patch.object(delivery, "_record_sent", side_effect=WorkerKilled):
        with pytest.raises(WorkerKilled):
            delivery.deliver([d.pk])
    assert len(fake_smtp.messages) == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENDING
    # The queue retries the task: the claim is still held, nothing is sent.
    assert delivery.deliver([d.pk])["skipped"] == 1
    # The sweeper finds the old claim: an email in doubt is not sent again but shown to
    # the admin, with the reason.
    later = timezone.now() + dt.timedelta(minutes=delivery.STUCK_MINUTES + 1)
    assert d.pk not in delivery.due_ids(now=later)
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and "ไม่แน่ชัดว่าถึงผู้รับ" in d.last_error
    assert delivery.deliver([d.pk])["skipped"] == 1
    assert len(fake_smtp.messages) == 1


def test_each_email_is_recorded_as_sent_before_the_next_is_sent(users, fake_smtp):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _choose(teacher, email=True)
    first = _notify(teacher).deliveries.get()
    second = actions.notify(kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="อีกเรื่อง",
                            url="/training/")[0].deliveries.get()  # fmt: skip
    seen = []
    real_send = delivery.send_email

    def send_and_look(notification):
        seen.append(dict(Delivery.objects.values_list("pk", "status")))
        real_send(notification)

    with mock.patch.object(delivery, "send_email", side_effect=send_and_look):
        assert delivery.deliver([first.pk, second.pk])["sent"] == 2
    assert seen[1][first.pk] == DeliveryStatus.SENT


def test_smtp_down_is_retried_with_a_thai_reason_and_the_action_still_succeeded(users, settings):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _choose(teacher, email=True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    d = _notify(teacher).deliveries.get()
    assert delivery.deliver([d.pk])["retry"] == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.RETRYING and "ส่งอีเมลไม่ได้" in d.last_error
    assert d.next_attempt_at is not None
    assert delivery.deliver([d.pk])["skipped"] == 1  # not due yet
    # After the last back-off the delivery is failed, kept for the admin's page.
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        Delivery.objects.filter(pk=d.pk).update(next_attempt_at=None)
        delivery.deliver([d.pk])
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.attempts == delivery.MAX_ATTEMPTS
    assert d.log.count() == delivery.MAX_ATTEMPTS


def test_the_digest_sends_one_email_a_day(users):
    teacher = users[TEACHER]
    teacher.email = "somsri@example.org"
    teacher.save()
    _choose(teacher, email=True, digest=True)
    _notify(teacher)
    _notify(teacher)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DIGEST}
    assert delivery.send_digests() == {"emails": 1, "items": 2, "failed": 0}
    assert delivery.send_digests()["emails"] == 0
    assert len(mail.outbox) == 1 and "2 เรื่อง" in mail.outbox[0].subject


def test_an_account_closed_before_the_send_is_sent_nothing_and_keeps_its_inbox(
    client, users, line_channel, fake_line
):
    """A retry, a held digest item or a queued push of a notice written while the account
    was open: once the account is closed (a transfer, a retirement) nothing goes out; each
    delivery fails at once with a Thai reason the office admin reads, and the notice stays
    in the inbox. An open account's delivery of the same batch is sent."""
    teacher, admin = users[TEACHER], users[ADMIN]
    for user in (teacher, admin):
        user.email = f"{user.username}@example.org"
        user.save()
        _link(user, line_user=f"U-{user.username}")
    _choose(teacher, email=True, line=True)
    _choose(admin, line=True)
    queued = [d.pk for d in Delivery.objects.filter(notification=_notify(teacher))]
    _choose(teacher, Kind.ENROLMENT_CONFIRMED, email=True, digest=True)
    held = _notify(teacher, kind=Kind.ENROLMENT_CONFIRMED)
    open_one = _notify(admin).deliveries.get()
    teacher.is_active = False
    teacher.save()
    counts = delivery.deliver([*queued, open_one.pk])
    assert counts["failed"] == 2 and counts["sent"] == 1
    assert delivery.send_digests() == {"emails": 0, "items": 0, "failed": 1}
    assert len(mail.outbox) == 0 and len(fake_line.accepted_keys) == 1
    closed = Delivery.objects.filter(notification__recipient=teacher)
    assert set(closed.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert {d.last_error for d in closed} == {"บัญชีผู้ใช้ถูกปิดการใช้งานแล้ว จึงไม่ส่ง"}
    assert held.deliveries.get().status == DeliveryStatus.FAILED
    assert Notification.objects.filter(recipient=teacher).count() == 2
    client.force_login(admin)
    page = client.get("/notifications/office/deliveries/", {"status": "failed"}).content.decode()
    assert "บัญชีผู้ใช้ถูกปิดการใช้งานแล้ว" in page
    client.force_login(users[Role.SCHOOL_DIRECTOR])
    assert client.get("/notifications/office/deliveries/").status_code == 403


def test_line_push_retries_a_500_and_never_delivers_twice(users, line_channel, fake_line):
    teacher = users[TEACHER]
    _link(teacher)
    _choose(teacher, line=True)
    d = _notify(teacher).deliveries.get()
    fake_line.script = [500]
    assert delivery.deliver([d.pk])["retry"] == 1
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=None)
    assert delivery.deliver([d.pk])["sent"] == 1
    first, second = fake_line.requests
    assert first["key"] == second["key"] == str(d.key)  # the same retry key both times
    assert first["auth"] == f"Bearer {LINE_TOKEN}"
    assert first["json"]["to"] == "U123"
    assert "/notifications/" in first["json"]["messages"][0]["text"]
    # A worker that died after LINE accepted: the retry gets 409 and counts it as sent.
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.RETRYING, next_attempt_at=None)
    assert delivery.deliver([d.pk])["sent"] == 1
    assert len(fake_line.accepted_keys) == 1


def test_a_line_push_waiting_for_its_retry_stops_when_the_user_turns_line_off(
    users, line_channel, fake_line
):
    """Email re-read the recipient's choice before sending; LINE did not: a push that waited
    for its retry after LINE answered 500 (or that the admin sent again) reached the phone
    of someone who had since turned that topic off. It now fails with a Thai reason; other
    topics she keeps on LINE are still pushed."""
    teacher = users[TEACHER]
    _link(teacher)
    _choose(teacher, line=True)
    d = _notify(teacher).deliveries.get()
    fake_line.script = [500]
    assert delivery.deliver([d.pk])["retry"] == 1
    _choose(teacher, line=False)  # she turns certificate notices off for LINE meanwhile
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=None)

    assert delivery.deliver([d.pk])["failed"] == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.last_error == delivery.LINE_STOPPED
    assert len(fake_line.accepted_keys) == 0
    assert actions.retry_failed(acting_user=users[ADMIN], deliveries=Delivery.objects.all()) == 1
    assert delivery.deliver([d.pk])["failed"] == 1 and len(fake_line.accepted_keys) == 0
    # Another kind she still takes by LINE goes out in the same batch.
    _choose(teacher, Kind.ENROLMENT_PROMOTED, line=True)
    other = _notify(teacher, Kind.ENROLMENT_PROMOTED).deliveries.get()
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.PENDING)
    assert delivery.deliver([d.pk, other.pk]) == {"sent": 1, "retry": 0, "failed": 1, "skipped": 0}
    assert len(fake_line.accepted_keys) == 1


def test_an_invalid_token_fails_at_once_with_a_thai_reason(users, line_channel, fake_line):
    teacher = users[TEACHER]
    _link(teacher)
    _choose(teacher, line=True)
    d = _notify(teacher).deliveries.get()
    fake_line.script = [401]
    assert delivery.deliver([d.pk])["failed"] == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and "โทเค็น" in d.last_error


def test_linking_by_code_and_blocking_through_the_webhook(client, users, office, line_channel):
    teacher = users[TEACHER]
    profile = actions.new_link_code(acting_user=teacher)
    url = f"/notifications/line/webhook/{office.pk}/"
    message = {"events": [{"type": "message", "source": {"type": "user", "userId": "Uabc"},
                           "message": {"type": "text", "text": profile.link_code.lower()}}]}  # fmt: skip
    raw, sig = _signed(message)
    assert (
        client.post(
            url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE="bad"
        ).status_code
        == 403
    )
    assert not Recipient.objects.get(user=teacher).line_user_id
    assert (
        client.post(
            url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig
        ).status_code
        == 200
    )
    profile.refresh_from_db()
    assert profile.line_user_id == "Uabc" and profile.link_code == "" and profile.line_active
    # The code was for one use: sending it again links nobody else.
    raw, sig = _signed(
        {"events": [{"type": "unfollow", "source": {"type": "user", "userId": "Uabc"}}]}
    )
    client.post(url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
    profile.refresh_from_db()
    assert profile.line_blocked_at is not None and not profile.line_active
    _choose(teacher, line=True)
    _notify(teacher)
    assert not Delivery.objects.exists()  # blocked: LINE is not even tried


def test_the_official_account_answers_a_link_a_wrong_code_and_a_new_follower(
    client, users, office, line_channel, fake_line
):
    teacher = users[TEACHER]
    teacher.first_name, teacher.last_name = "สมศรี", "ใจดี"
    teacher.save()
    profile = actions.new_link_code(acting_user=teacher)
    url = f"/notifications/line/webhook/{office.pk}/"

    def event(kind, token, **extra):
        return {"type": kind, "replyToken": token,
                "source": {"type": "user", "userId": "Unew"}, **extra}  # fmt: skip

    raw, sig = _signed(
        {
            "events": [
                event("follow", "r-follow"),
                event("message", "r-wrong", message={"type": "text", "text": "ZZZZ2222"}),
                event("message", "r-code", message={"type": "text", "text": profile.link_code}),
            ]
        }
    )
    answer = client.post(url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
    assert answer.status_code == 200
    replies = {r["json"]["replyToken"]: r for r in fake_line.requests}
    assert all(r["path"] == "/v2/bot/message/reply" for r in fake_line.requests)
    assert all(r["auth"] == f"Bearer {LINE_TOKEN}" for r in fake_line.requests)
    text = {k: r["json"]["messages"][0]["text"] for k, r in replies.items()}
    assert "ขอรหัสเชื่อมต่อ LINE" in text["r-follow"]
    assert "ไม่ถูกต้องหรือหมดอายุ" in text["r-wrong"]
    assert "สมศรี ใจดี" in text["r-code"] and "เรียบร้อยแล้ว" in text["r-code"]
    profile.refresh_from_db()
    assert profile.line_user_id == "Unew"


def test_a_failing_reply_never_undoes_the_link(client, users, office, line_channel, fake_line):
    profile = actions.new_link_code(acting_user=users[TEACHER])
    fake_line.script = [500]
    raw, sig = _signed({"events": [{"type": "message", "replyToken": "r1",
                                    "source": {"type": "user", "userId": "U9"},
                                    "message": {"type": "text", "text": profile.link_code}}]})  # fmt: skip
    url = f"/notifications/line/webhook/{office.pk}/"
    assert client.post(url, raw, content_type="application/json",
                       HTTP_X_LINE_SIGNATURE=sig).status_code == 200  # fmt: skip
    profile.refresh_from_db()
    assert profile.line_user_id == "U9"


def test_unsubscribe_link_stops_one_kind_of_email(client, users):
    teacher = users[TEACHER]
    _choose(teacher, email=True)
    token = actions.unsubscribe_token(teacher, Kind.CERTIFICATE_ISSUED)
    assert client.get(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert (
        actions.channels_for([teacher], Kind.CERTIFICATE_ISSUED)[teacher.pk] == set()
    )  # no address
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    assert teacher.notification_prefs.get(kind=Kind.CERTIFICATE_ISSUED).email is False
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/notifications/unsubscribe/{tampered}/").status_code == 400


def test_line_credentials_are_stored_encrypted(line_channel, settings):
    stored = LineChannel.objects.get(pk=line_channel.pk)
    assert LINE_SECRET not in stored.secret_encrypted and LINE_TOKEN not in stored.token_encrypted
    assert crypto.decrypt(stored.token_encrypted) == LINE_TOKEN
    settings.SECRET_KEY = "another-key-another-key-another-key-0000"
    with pytest.raises(crypto.UnreadableSecret):
        crypto.decrypt(stored.token_encrypted)


# ------------------------------------------------------------------------ pages


def test_the_bell_and_inbox_show_only_ones_own(client_for, users):
    other = users[ADMIN]
    mine = _notify(users[TEACHER])
    theirs = _notify(other)
    client = client_for(TEACHER)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "เกียรติบัตรพร้อมแล้ว" in page.content.decode()
    assert 'class="bell-count">1<' in page.content.decode()
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    response = client.get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/training/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    _notify(users[TEACHER])
    client.post("/notifications/all-read/")
    assert not Notification.objects.filter(recipient=users[TEACHER], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_costs_one_query_whatever_the_count(
    client_for, users, django_assert_max_num_queries
):
    client = client_for(TEACHER)
    client.get("/notifications/preferences/")
    for _ in range(30):
        _notify(users[TEACHER])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/preferences/")
    for _ in range(60):
        _notify(users[TEACHER])
    with CaptureQueriesContext(connection) as more:
        client.get("/notifications/preferences/")
    assert len(more) == len(few)
    assert sum("notifications_notification" in q["sql"] for q in more.captured_queries) == 1


def test_anonymous_users_are_sent_to_login(client):
    for url in ("/notifications/", "/notifications/preferences/", "/notifications/office/"):
        assert client.get(url).status_code == 302


def test_preferences_save_for_every_role(client_for, users):
    for role in Role.values:
        client = client_for(role)
        assert client.get("/notifications/preferences/").status_code == 200
        response = client.post("/notifications/preferences/", {f"email_{Kind.TEST_OPEN}": "on"})
        assert response.status_code == 302
        assert users[role].notification_prefs.get(kind=Kind.TEST_OPEN).email


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.DEVELOPMENT_OFFICER, Role.INSPECTOR]
)
def test_office_pages_refuse_everyone_but_the_office_admin(client_for, role):
    client = client_for(role)
    assert client.get("/notifications/office/").status_code == 403
    assert client.get("/notifications/office/deliveries/").status_code == 403
    assert client.post("/notifications/office/deliveries/retry/").status_code == 403


def test_the_office_admin_sets_up_line_and_retries_dead_letters(client_for, users, office):
    client = client_for(ADMIN)
    assert client.get("/notifications/office/").status_code == 200
    response = client.post(
        "/notifications/office/",
        {
            "part": "line",
            "basic_id": "@krupd-pbi1",
            "secret": "s" * 32,
            "token": "t" * 40,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    channel = LineChannel.objects.get(office=office)
    assert crypto.decrypt(channel.secret_encrypted) == "s" * 32
    page = client.get("/notifications/office/").content.decode()
    assert "s" * 32 not in page and "t" * 40 not in page  # never shown again
    teacher = users[TEACHER]
    _link(teacher)
    _choose(teacher, line=True)
    d = _notify(teacher).deliveries.get()
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED, last_error="ทดสอบ")
    assert "ทดสอบ" in client.get("/notifications/office/deliveries/?status=failed").content.decode()
    client.post("/notifications/office/deliveries/retry/")
    d.refresh_from_db()
    assert d.status in (DeliveryStatus.PENDING, DeliveryStatus.FAILED) and d.attempts == 0


@pytest.mark.parametrize("posted", ["99999999999999999999", "abc", "๑", "-1"])
def test_retrying_deliveries_with_posted_ids_that_are_none_retries_nothing(client_for, posted):
    """Ticked rows come back from the browser: an id past the database's integer was a
    server error; no such id retries nothing and says so."""
    client = client_for(ADMIN)
    response = client.post("/notifications/office/deliveries/retry/", {"delivery": [posted]})
    assert response.status_code == 302
    assert "ส่งใหม่ 0 รายการ" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "event",
    [
        {"type": "unfollow", "source": {"type": "user", "userId": ["U1"]}},
        {"type": "follow", "source": {"type": "user", "userId": {"id": "U1"}}},
        {"type": "unfollow", "source": {"type": "user", "userId": "U\x00abc"}},
        {"type": "follow", "source": {"type": "user", "userId": "U" + "a" * 200}},
        {"type": "message", "source": {"type": "user", "userId": "U1"}, "message": "ABCD1234"},
        {"type": "message", "source": {"type": "user", "userId": "U1"}, "message": ["text"]},
        {"type": "message", "source": "U1", "message": {"type": "text", "text": "x"}},
    ],
)
def test_a_signed_event_of_an_odd_shape_is_ignored_not_a_server_error(
    client, office, line_channel, event
):
    raw, sig = _signed({"events": [event]})
    url = f"/notifications/line/webhook/{office.pk}/"
    answer = client.post(url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
    assert answer.status_code == 200
    assert not Recipient.objects.exclude(line_user_id="").exists()


def test_a_line_code_and_unlinking_are_each_users_own_and_only_by_post(client, users, line_channel):
    teacher = users[TEACHER]
    for url in ("/notifications/preferences/line-code/", "/notifications/preferences/line-unlink/"):
        anonymous = client.post(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        client.force_login(teacher)
        assert client.get(url).status_code == 405
        client.logout()
    client.force_login(teacher)
    assert client.post("/notifications/preferences/line-code/").status_code == 302
    code = Recipient.objects.get(user=teacher).link_code
    assert code
    # Another user's request makes their own code, never touches the teacher's.
    client.force_login(users[Role.PROVINCE_INSPECTOR])  # no office: no LINE channel
    assert client.post("/notifications/preferences/line-code/").status_code == 302
    assert Recipient.objects.get(user=teacher).link_code == code
    _link(teacher, "Uteacher")
    client.force_login(users[ADMIN])
    client.post("/notifications/preferences/line-unlink/")
    assert Recipient.objects.get(user=teacher).line_user_id == "Uteacher"
    client.force_login(teacher)
    client.post("/notifications/preferences/line-unlink/")
    assert Recipient.objects.get(user=teacher).line_user_id == ""


@pytest.mark.django_db(transaction=True)
def test_a_link_is_stored_with_its_audit_or_not_at_all(client, users, office, line_channel):
    """The webhook runs outside any request transaction: the code's row lock needs one (on
    PostgreSQL a lock outside a transaction is an error, so linking failed there), and a
    link whose audit entry could not be written must not stay half made."""
    teacher = users[TEACHER]
    profile = actions.new_link_code(acting_user=teacher)
    message = {"events": [{"type": "message", "source": {"type": "user", "userId": "Uabc"},
                           "message": {"type": "text", "text": profile.link_code}}]}  # fmt: skip
    raw, sig = _signed(message)
    with (
        mock.patch("notifications.actions.audit.record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        client.post(
            f"/notifications/line/webhook/{office.pk}/", raw,
            content_type="application/json", HTTP_X_LINE_SIGNATURE=sig,
        )  # fmt: skip
    profile.refresh_from_db()
    assert profile.line_user_id == "" and profile.link_code  # nothing written; code still good


def test_a_redelivered_link_message_is_not_answered_as_a_wrong_code(
    client, users, office, line_channel, fake_line
):
    """LINE sends a webhook again when the first answer was slow: the code it carries was
    used by the first delivery, and the user, linked, must not then read "wrong code"."""
    profile = actions.new_link_code(acting_user=users[TEACHER])
    code = profile.link_code
    url = f"/notifications/line/webhook/{office.pk}/"

    def body(token, *, again):
        return _signed({"events": [{
            "type": "message", "replyToken": token, "webhookEventId": "01HEVENT",
            "deliveryContext": {"isRedelivery": again},
            "source": {"type": "user", "userId": "Ulinked"},
            "message": {"type": "text", "text": code},
        }]})  # fmt: skip

    for token, again in (("r-first", False), ("r-again", True)):
        raw, sig = body(token, again=again)
        answer = client.post(url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
        assert answer.status_code == 200
    assert [r["json"]["replyToken"] for r in fake_line.requests] == ["r-first"]
    profile.refresh_from_db()
    assert profile.line_user_id == "Ulinked" and profile.line_active
    # Someone else typing a used code by hand is still told it is not valid.
    raw, sig = _signed({"events": [{"type": "message", "replyToken": "r-other",
                                    "source": {"type": "user", "userId": "Uother"},
                                    "message": {"type": "text", "text": code}}]})  # fmt: skip
    client.post(url, raw, content_type="application/json", HTTP_X_LINE_SIGNATURE=sig)
    other = [r for r in fake_line.requests if r["json"]["replyToken"] == "r-other"]
    assert "ไม่ถูกต้องหรือหมดอายุ" in other[0]["json"]["messages"][0]["text"]


@pytest.mark.django_db(transaction=True)
def test_a_notice_sent_meanwhile_by_another_write_does_not_undo_this_one(users):
    """Two writes telling the same person of the same event at once both find the notice not
    yet sent; the later insert meets the first on the dedupe constraint. The action that
    raised the event must go on (its own rows kept), with the notice sent once."""
    from django.db import transaction

    from registry.models import Office

    teacher = users[Role.TEACHER]
    actions.notify(
        kind=Kind.CERTIFICATE_ISSUED,
        recipients=[teacher],
        title="ได้รับเกียรติบัตร",
        dedupe_key="certificate:1",
    )  # the other write's notice, committed before this one looks
    real = actions._unsaved
    calls = []

    def read_before_the_other_commit(**kwargs):
        if calls:
            return real(**kwargs)
        calls.append(1)  # the first look did not see the other write's notice yet
        rows = real(**{**kwargs, "dedupe_key": ""})
        for row in rows:
            row.dedupe_key = kwargs["dedupe_key"]
        return rows

    with mock.patch.object(actions, "_unsaved", side_effect=read_before_the_other_commit):
        with transaction.atomic():
            Office.objects.filter(pk=teacher.office_id).update(name="สพป. ทดสอบ")
            created = actions.notify(
                kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="ได้รับเกียรติบัตร",
                dedupe_key="certificate:1",
            )  # fmt: skip
    assert created == []
    assert Notification.objects.filter(recipient=teacher, dedupe_key="certificate:1").count() == 1
    assert Office.objects.get(pk=teacher.office_id).name == "สพป. ทดสอบ"
