"""The office's quiet hours for LINE: a push due at night (an officer approving late, a
retry's back-off) waits until they end instead of ringing a teacher's phone; the inbox gets
the notice at once. With no quiet hours set (every office before this), pushes go at once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications import actions, delivery
from notifications.forms import LineChannelForm
from notifications.kinds import Kind
from notifications.models import DeliveryStatus, LineChannel, Recipient

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")


def _at(hour: int, minute: int = 0, day: int = 7) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=BANGKOK)


def _quiet(channel: LineChannel, start: str, end: str) -> LineChannel:
    channel.quiet_from = dt.time.fromisoformat(start)
    channel.quiet_until = dt.time.fromisoformat(end)
    channel.save()
    return channel


def _line_notice(users):
    teacher = users[Role.TEACHER]
    Recipient.objects.update_or_create(user=teacher, defaults={"line_user_id": "U123"})
    actions.save_preferences(
        acting_user=teacher, choices={Kind.CERTIFICATE_ISSUED: (False, True)}, digest=False
    )
    note = actions.notify(
        kind=Kind.CERTIFICATE_ISSUED, recipients=[teacher], title="เกียรติบัตรพร้อมแล้ว", url="/"
    )[0]
    return note.deliveries.get()


@pytest.mark.parametrize(
    ("start", "end", "moment", "ends"),
    [
        ("21:00", "07:00", _at(23, 30), _at(7, day=8)),  # across midnight, before it
        ("21:00", "07:00", _at(2, 15), _at(7)),  # across midnight, after it
        ("21:00", "07:00", _at(21), _at(7, day=8)),  # its first minute
        ("21:00", "07:00", _at(7), None),  # its end is outside
        ("21:00", "07:00", _at(12), None),
        ("12:00", "13:00", _at(12, 30), _at(13)),  # a lunch hour
        ("12:00", "13:00", _at(13, 5), None),
    ],
)
def test_quiet_hours_end_at_the_next_end_time(line_channel, start, end, moment, ends):
    assert _quiet(line_channel, start, end).quiet_ends_at(moment) == ends


def test_a_channel_without_quiet_hours_is_never_quiet(line_channel):
    assert line_channel.quiet_ends_at(_at(3)) is None


def test_a_push_at_night_waits_until_the_quiet_hours_end_without_using_a_try(
    users, line_channel, fake_line, monkeypatch
):
    _quiet(line_channel, "21:00", "06:00")
    d = _line_notice(users)
    monkeypatch.setattr(timezone, "now", lambda: _at(22, 40))
    assert delivery.deliver([d.pk])["retry"] == 1
    assert fake_line.requests == []  # nothing reached the phone at 22:40
    d.refresh_from_db()
    assert d.status == DeliveryStatus.RETRYING and d.attempts == 0
    assert d.next_attempt_at == _at(6, day=8)
    assert "ช่วงงดส่งทาง LINE" in d.last_error and "8 ธ.ค. 2569 06:00 น." in d.last_error
    assert not d.log.exists()  # no try was made
    # The sweeper leaves it until then, and sends it once the night is over.
    assert d.pk not in delivery.due_ids(now=_at(23))
    assert d.pk in delivery.due_ids(now=_at(6, day=8))
    monkeypatch.setattr(timezone, "now", lambda: _at(6, 1, day=8))
    assert delivery.deliver([d.pk])["sent"] == 1
    assert len(fake_line.accepted_keys) == 1


def test_without_quiet_hours_a_push_at_night_goes_at_once(
    users, line_channel, fake_line, monkeypatch
):
    d = _line_notice(users)
    monkeypatch.setattr(timezone, "now", lambda: _at(22, 40))
    assert delivery.deliver([d.pk])["sent"] == 1


def test_the_office_admin_sets_quiet_hours_as_offices_write_times(client_for, office, users):
    client = client_for(Role.OFFICE_ADMIN)
    response = client.post(
        "/notifications/office/",
        {
            "part": "line",
            "basic_id": "@krupd-pbi1",
            "secret": "s" * 32,
            "token": "t" * 40,
            "enabled": "on",
            "quiet_from": "๒๑.๐๐ น.",
            "quiet_until": "6.30",
        },
    )
    assert response.status_code == 302
    channel = LineChannel.objects.get(office=office)
    assert (channel.quiet_from, channel.quiet_until) == (dt.time(21), dt.time(6, 30))
    page = client.get("/notifications/office/").content.decode()
    assert 'value="21.00"' in page and 'value="06.30"' in page
    assert "งดส่ง 21.00–06.30 น." in page


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("21.00", "", "quiet_until", "ทั้งสองช่อง"),
        ("", "06.00", "quiet_from", "ทั้งสองช่อง"),
        ("25.00", "06.00", "quiet_from", "ไม่ใช่เวลา"),
        ("21.75", "06.00", "quiet_from", "ไม่ใช่เวลา"),
        ("สามทุ่ม", "06.00", "quiet_from", "ไม่ใช่เวลา"),
        ("21.00", "21:00", "quiet_until", "เวลาเดียวกับเวลาเริ่ม"),
    ],
)
def test_quiet_hours_that_are_no_window_are_refused_in_thai(start, end, field, message):
    form = LineChannelForm(
        {"basic_id": "@krupd-pbi1", "enabled": "on", "quiet_from": start, "quiet_until": end}
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_blank_quiet_hours_are_none():
    form = LineChannelForm({"basic_id": "@krupd-pbi1", "enabled": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quiet_from"] is None and form.cleaned_data["quiet_until"] is None
