"""LINE's rate limit is shared by every worker process: two limiters on the same key (as two
workers would hold) take turns from one schedule in the database, never each their own."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications import actions, delivery, ratelimit
from notifications.kinds import Kind
from notifications.models import RateLimit, Recipient

pytestmark = pytest.mark.django_db


def test_two_workers_share_one_schedule():
    slept: list[tuple[str, float]] = []
    first = ratelimit.SharedLimit(
        "line-push:1", 10, block=5, sleep=lambda s: slept.append(("a", s))
    )
    second = ratelimit.SharedLimit(
        "line-push:1", 10, block=5, sleep=lambda s: slept.append(("b", s))
    )
    frozen = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        for _ in range(10):  # 10 sends each, alternating: 20 sends at 10 a second
            first.wait()
            second.wait()
    # First block free; each later block waits its turn: 0.5 s per block of 5 at 10 a second,
    # whichever worker asks. A limiter per process would have let "b" start at once.
    assert slept == [("b", 0.5), ("a", 1.0), ("b", 1.5)]
    assert RateLimit.objects.get(key="line-push:1").next_free_at == frozen + dt.timedelta(seconds=2)


def test_time_that_passed_frees_the_limit_and_other_keys_are_separate():
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        assert ratelimit.reserve("line-push:1", 10, 10) == 0
        assert ratelimit.reserve("line-push:1", 10, 10) == 1.0
        assert ratelimit.reserve("line-push:2", 10, 10) == 0  # another office's channel
    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(seconds=5)):
        assert ratelimit.reserve("line-push:1", 10, 10) == 0


def test_zero_turns_the_limit_off():
    ratelimit.SharedLimit("off", 0).wait()
    assert not RateLimit.objects.exists()


def test_line_pushes_go_through_the_channels_shared_limit(users, line_channel, fake_line, settings):
    settings.LINE_PUSH_PER_SECOND = 10
    teachers = [users[Role.TEACHER]]
    Recipient.objects.update_or_create(user=teachers[0], defaults={"line_user_id": "U1"})
    actions.save_preferences(acting_user=teachers[0], choices={Kind.CERTIFICATE_ISSUED: (False, True)},
                             digest=False)  # fmt: skip
    notes = actions.notify(kind=Kind.CERTIFICATE_ISSUED, recipients=teachers, title="พร้อมแล้ว",
                           url="/training/")  # fmt: skip
    ids = [d.pk for n in notes for d in n.deliveries.all()]
    with mock.patch.object(ratelimit, "reserve", wraps=ratelimit.reserve) as reserve:
        assert delivery.deliver(ids)["sent"] == 1
    reserve.assert_called_once_with(f"line-push:{line_channel.pk}", ratelimit.BLOCK, 10.0)
    assert RateLimit.objects.filter(key=f"line-push:{line_channel.pk}").exists()
