"""What a recipient reads: long Thai texts shortened between whole characters, email subjects
as typed (no HTML escapes), and a daily digest that can be stopped per topic in one click,
by its own links only."""

import unicodedata

import pytest
from django.core import mail, signing
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib.clipping import ELLIPSIS, clip
from notifications import actions, delivery
from notifications.kinds import Kind
from notifications.models import Delivery, DeliveryStatus, Notification

TEACHER = Role.TEACHER
MARKS = "\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"
LEADING = "เแโใไ"


def _with_email(user, address="somsri@example.org"):
    user.email = address
    user.save()
    return user


def _whole(text: str) -> bool:
    """No Thai mark without its consonant at the cut, no leading vowel left alone."""
    body = text.removesuffix(ELLIPSIS)
    return not body or (body[-1] not in LEADING)


# ------------------------------------------------------------------- shortening Thai texts


def test_a_long_thai_comment_is_cut_between_whole_characters(users):
    """A director's long comment on a returned plan: the inbox text ends with whole words'
    characters and "…", never a consonant stripped of its vowel and tone marks."""
    teacher = users[TEACHER]
    title = "ก" + "ที่" * 200  # 601 code points; a cut at 300 fell inside the 100th ที่
    actions.notify(kind=Kind.APPROVAL_RETURNED, recipients=[teacher], title=title)
    note = Notification.objects.get(recipient=teacher)
    assert note.title.endswith(ELLIPSIS) and len(note.title) <= 300
    kept = note.title.removesuffix(ELLIPSIS)
    assert kept == "ก" + "ที่" * ((len(kept) - 1) // 3)
    assert note.outside_text == note.title


def test_a_text_that_fits_is_kept_as_written(users):
    teacher = users[TEACHER]
    title = "น้ำ" * 100  # exactly 300 code points
    actions.notify(kind=Kind.APPROVAL_RETURNED, recipients=[teacher], title=title)
    assert Notification.objects.get(recipient=teacher).title == title


thai_text = st.text(
    alphabet=st.sampled_from(list("กขคงจนมยรลวสหอ" + MARKS + LEADING + " ๑2a-😀\u200d")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(text=thai_text, limit=st.integers(min_value=1, max_value=60))
def test_clip_keeps_whole_characters_whatever_the_text(text, limit):
    out = clip(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
        return
    assert out.endswith(ELLIPSIS)
    kept = out.removesuffix(ELLIPSIS)
    assert text.startswith(kept)
    rest = text[len(kept) :]
    if kept and rest:
        first = rest[0]
        # what was dropped starts a new character (or is a space), not the marks of the
        # last one kept; the kept text ends in no space before the "…"
        assert not kept[-1].isspace()
        assert unicodedata.category(first) not in ("Mn", "Mc", "Me") and first != "\u0e33"
        assert first != "\u200d" and kept[-1] != "\u200d"
    assert _whole(out)


def test_the_email_subject_is_the_text_as_typed_and_shortened_whole(users):
    teacher = _with_email(users[TEACHER])
    actions.save_preferences(
        acting_user=teacher, choices={Kind.IMPORT_FINISHED: (True, False)}, digest=False
    )
    text = "บันทึกข้อมูลจากไฟล์ ครู & บุคลากร 'ปี 2569' <ชุดที่ 1>.xlsx เรียบร้อยแล้ว " + "ที่" * 60
    note = actions.notify(kind=Kind.IMPORT_FINISHED, recipients=[teacher], title=text)[0]
    delivery.deliver([note.deliveries.get().pk])
    subject = mail.outbox[0].subject
    assert "ครู & บุคลากร 'ปี 2569' <ชุดที่ 1>.xlsx" in subject
    assert "&amp;" not in subject and "&#x27;" not in subject and "&lt;" not in subject
    assert subject.endswith(ELLIPSIS) and _whole(subject)
    assert subject.removesuffix(ELLIPSIS).removeprefix("[KruPD] ") in text


# ------------------------------------------------------------- the digest's unsubscribe links


def _two_kinds_held_for_the_digest(users):
    """A teacher taking two topics by daily digest, with one notice of each held."""
    teacher = _with_email(users[TEACHER])
    actions.save_preferences(
        acting_user=teacher,
        choices={Kind.CERTIFICATE_ISSUED: (True, False), Kind.ENROLMENT_CONFIRMED: (True, False)},
        digest=True,
    )
    actions.notify(kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="ได้รับเกียรติบัตร")
    actions.notify(kind=Kind.ENROLMENT_CONFIRMED, recipients=[teacher], title="ลงทะเบียนแล้ว")
    return teacher


def _digest_of_two_kinds(users):
    teacher = _two_kinds_held_for_the_digest(users)
    assert delivery.send_digests()["emails"] == 1
    return teacher, mail.outbox[-1]


def _path(url: str) -> str:
    return url[url.index("/notifications/") :]


def _email_on(user, kind) -> bool:
    return actions.channels_for([user], kind)[user.pk] == {"email"}


def test_each_topic_of_the_digest_has_its_own_one_click_link(client, users):
    teacher, message = _digest_of_two_kinds(users)
    links = [line for line in message.body.splitlines() if "/notifications/unsubscribe/" in line]
    assert len(links) == 2
    certificate = next(line for line in links if Kind.CERTIFICATE_ISSUED.label in line)
    url = certificate.split(": ", 1)[1].strip()
    page = client.get(_path(url))
    assert page.status_code == 200 and Kind.CERTIFICATE_ISSUED.label in page.content.decode()
    assert client.post(_path(url)).status_code == 200
    assert not _email_on(teacher, Kind.CERTIFICATE_ISSUED)
    assert _email_on(teacher, Kind.ENROLMENT_CONFIRMED)  # the other topic is untouched


def test_the_mail_apps_button_stops_every_topic_the_digest_carried(client, users):
    teacher, message = _digest_of_two_kinds(users)
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.post(_path(header), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not _email_on(teacher, Kind.CERTIFICATE_ISSUED)
    assert not _email_on(teacher, Kind.ENROLMENT_CONFIRMED)


def test_a_link_stops_only_its_own_users_email(client, users):
    teacher = _with_email(users[TEACHER])
    director = _with_email(users[Role.SCHOOL_DIRECTOR], "director@example.org")
    for user in (teacher, director):
        actions.save_preferences(
            acting_user=user, choices={Kind.CERTIFICATE_ISSUED: (True, False)}, digest=False
        )
    token = actions.unsubscribe_token(teacher, Kind.CERTIFICATE_ISSUED)
    client.force_login(director)  # whoever clicks, the link is the teacher's
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert not _email_on(teacher, Kind.CERTIFICATE_ISSUED)
    assert _email_on(director, Kind.CERTIFICATE_ISSUED)


def test_forged_and_odd_links_change_nothing(client, users):
    teacher = _with_email(users[TEACHER])
    actions.save_preferences(
        acting_user=teacher, choices={Kind.CERTIFICATE_ISSUED: (True, False)}, digest=False
    )
    salt = actions.UNSUBSCRIBE_SALT
    forged = [
        signing.dumps({"u": teacher.pk, "k": Kind.CERTIFICATE_ISSUED}, salt="another"),
        signing.dumps({"u": teacher.pk, "k": Kind.CERTIFICATE_ISSUED}, key="x" * 50, salt=salt),
        signing.dumps({"u": teacher.pk, "k": ["certificate_issued", "no_such_kind"]}, salt=salt),
        signing.dumps({"u": teacher.pk, "k": []}, salt=salt),
        signing.dumps({"u": teacher.pk, "k": {"a": 1}}, salt=salt),
        signing.dumps({"u": "x", "k": Kind.CERTIFICATE_ISSUED}, salt=salt),
        signing.dumps([teacher.pk, Kind.CERTIFICATE_ISSUED], salt=salt),
        "not-a-token",
    ]
    for token in forged:
        response = client.post(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400, token
        assert "ลิงก์ยกเลิกการรับอีเมลไม่ถูกต้อง" in response.content.decode()
    assert _email_on(teacher, Kind.CERTIFICATE_ISSUED)


# ------------------------------------------------- stopping a topic stops what is waiting too


def test_a_topic_stopped_before_the_digest_leaves_it_out(client, users):
    """Clicked at ten in the morning, the link keeps that topic out of the evening's digest
    (its items had been held since the morning); the other topic still goes."""
    teacher = _two_kinds_held_for_the_digest(users)
    token = actions.unsubscribe_token(teacher, Kind.CERTIFICATE_ISSUED)
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert delivery.send_digests() == {"emails": 1, "items": 1, "failed": 0}
    body = mail.outbox[-1].body
    assert "ลงทะเบียนแล้ว" in body and "ได้รับเกียรติบัตร" not in body
    stopped = Delivery.objects.get(notification__kind=Kind.CERTIFICATE_ISSUED)
    assert stopped.status == DeliveryStatus.FAILED and stopped.last_error == delivery.UNSUBSCRIBED


def test_a_digest_of_stopped_topics_only_is_not_sent(client, users):
    teacher = _with_email(users[TEACHER])
    actions.save_preferences(
        acting_user=teacher, choices={Kind.CERTIFICATE_ISSUED: (True, False)}, digest=True
    )
    actions.notify(kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="ได้รับเกียรติบัตร")
    actions.unsubscribe(user=teacher, kinds=[Kind.CERTIFICATE_ISSUED])
    assert delivery.send_digests() == {"emails": 0, "items": 0, "failed": 0}
    assert mail.outbox == []


def test_an_email_waiting_for_a_retry_is_not_sent_after_the_topic_was_stopped(client, users):
    teacher = _with_email(users[TEACHER])
    actions.save_preferences(
        acting_user=teacher, choices={Kind.CERTIFICATE_ISSUED: (True, False)}, digest=False
    )
    note = actions.notify(kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="พร้อมแล้ว")[0]
    d = note.deliveries.get()
    actions.unsubscribe(user=teacher, kinds=[Kind.CERTIFICATE_ISSUED])
    assert delivery.deliver([d.pk])["failed"] == 1
    assert mail.outbox == []
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.last_error == delivery.UNSUBSCRIBED


def test_the_link_of_a_closed_account_says_so_instead_of_page_not_found(client, users):
    teacher = _with_email(users[TEACHER])
    token = actions.unsubscribe_token(teacher, Kind.CERTIFICATE_ISSUED)
    teacher.is_active = False
    teacher.save()
    for method in (client.get, client.post):
        page = method(f"/notifications/unsubscribe/{token}/")
        assert page.status_code == 200
        assert "ถูกปิดการใช้งานแล้ว" in page.content.decode()
    assert not teacher.notification_prefs.exists()


def test_a_broken_unsubscribe_link_says_where_to_stop_the_emails_instead(client, users):
    """A link the mail app cut short said only "ลิงก์ยกเลิกการรับอีเมลไม่ถูกต้อง": the person
    was left with the emails and no way forward."""
    token = actions.unsubscribe_token(users[Role.TEACHER], Kind.CERTIFICATE_ISSUED)
    response = client.get(f"/notifications/unsubscribe/{token[:-5]}/")
    html = response.content.decode()
    assert response.status_code == 400 and "ลิงก์ยกเลิกการรับอีเมลไม่ถูกต้อง" in html
    assert 'href="/notifications/preferences/"' in html and "หน้าตั้งค่าการแจ้งเตือน" in html


@pytest.mark.parametrize(
    "role", [Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST]
)
def test_an_account_above_the_office_is_not_told_its_office_lacks_line(client, office, role):
    """A provincial, regional or national account belongs to no office: its settings page
    said "เขตพื้นที่ยังไม่ได้ตั้งค่าบัญชีทางการ LINE" and to ask "ผู้ดูแลระบบของเขตพื้นที่" for
    an email, as if an office could fix either; LINE can never reach it."""
    from krupd.testing import users_above_office

    user = users_above_office(office)[role]
    client.force_login(user)
    html = client.get("/notifications/preferences/").content.decode()
    assert 'id="line-unavailable"' in html and "ไม่ได้สังกัดเขตพื้นที่" in html
    assert "เขตพื้นที่ยังไม่ได้ตั้งค่าบัญชีทางการ LINE" not in html
    assert "ผู้ดูแลระบบของเขตพื้นที่" not in html
    answer = client.post("/notifications/preferences/line-code/", follow=True)
    assert "รับการแจ้งเตือนทาง LINE ไม่ได้" in answer.content.decode()


def test_an_office_user_still_hears_that_the_office_has_no_line_account(client_for):
    html = client_for(TEACHER).get("/notifications/preferences/").content.decode()
    assert "เขตพื้นที่ยังไม่ได้ตั้งค่าบัญชีทางการ LINE" in html
    assert 'id="line-unavailable"' not in html
