"""A national session day: reminders for every participant queued and pushed to LINE (a
local fake LINE server), against a bare HTTP loop posting the same messages."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from decimal import Decimal

from .core import Result


def _build(count: int):
    """An office with `count` teachers, each with a LINE link and a seat in tomorrow's
    session; LINE reminders on by the office default. Built in bulk: setup is not timed."""
    from accounts.models import User
    from krupd.testing import make_office, make_school, valid_national_id
    from notifications import actions
    from notifications.kinds import Kind
    from notifications.models import OfficeDefault, Recipient
    from registry.models import Person
    from training.models import Course, Enrolment, EnrolmentStatus, Session

    stamp = str(int(time.time()))[-4:]
    office = make_office(code=f"N{stamp}", name=f"เขตทดสอบการแจ้งเตือน {stamp}")
    school = make_school(office, code=f"98{stamp}0000"[:10], name="โรงเรียนทดสอบ")
    first_id = int(stamp) * 100_000
    people = Person.objects.bulk_create(
        Person(office=office, school=school, national_id=valid_national_id(first_id + i),
               title="นาง", first_name=f"ครู{i}", last_name="ทดสอบ", gender="female",
               birth_date=dt.date(1985, 1, 1), personnel_type="teacher", position="ครู")
        for i in range(count)
    )  # fmt: skip
    users = User.objects.bulk_create(
        User(username=f"n{stamp}-{p.pk}", role="teacher", office=office, person=p) for p in people
    )
    Recipient.objects.bulk_create(Recipient(user=u, line_user_id=f"U{u.pk:032d}") for u in users)
    admin = User.objects.create_user(username=f"n{stamp}-admin", role="office_admin", office=office)
    actions.save_line_channel(acting_user=admin, office=office, basic_id="@bench",
                              secret="s" * 32, token="t" * 40, enabled=True)  # fmt: skip
    OfficeDefault.objects.create(office=office, kind=Kind.SESSION_REMINDER, line=True)
    tomorrow = dt.date(2026, 6, 2)
    course = Course.objects.create(office=office, title="การอบรมทั้งเขตพื้นที่", mode="seminar",
                                   hours=Decimal("6"), fiscal_year=2569)  # fmt: skip
    session = Session.objects.create(course=course, start_date=tomorrow, end_date=tomorrow,
                                     capacity=count, place="หอประชุมเขตพื้นที่")  # fmt: skip
    Enrolment.objects.bulk_create(
        Enrolment(course=course, session=session, person=p, status=EnrolmentStatus.ENROLLED)
        for p in people
    )
    return tomorrow - dt.timedelta(days=1)


def _bare_loop(base: str, count: int, text: str) -> float:
    """What a competent engineer would write with no queue, log or retry: POST each message."""
    started = time.perf_counter()
    for i in range(count):
        body = json.dumps(
            {"to": f"U{i:032d}", "messages": [{"type": "text", "text": text}]}, ensure_ascii=False
        ).encode()
        request = urllib.request.Request(
            base + "/v2/bot/message/push", data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": "Bearer t",
                     "X-Line-Retry-Key": f"00000000-0000-0000-0000-{i:012d}"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
    return time.perf_counter() - started


def reminders(*, database: str, count: int) -> list[Result]:
    from django.conf import settings
    from django.urls import reverse

    from notifications import fakes, scheduled
    from notifications.models import Delivery, DeliveryStatus

    fake, server = fakes.start_line()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINE_API_BASE = base
    # LINE allows 2,000 pushes a second per channel; the local server has no limit, and
    # neither does the baseline: the shared limiter runs (its reservations in the database
    # are part of the time) but at a rate that never makes it wait.
    settings.LINE_PUSH_PER_SECOND = 1e9
    try:
        today = _build(count)
        reverse("home")  # load the URL configuration (every app's views) before the clock starts
        started = time.perf_counter()
        queued = scheduled.session_reminders(today=today)
        seconds = time.perf_counter() - started
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        pushed = len(fake.requests)
        text = fake.requests[0]["json"]["messages"][0]["text"] if fake.requests else "x" * 200
        baseline = _bare_loop(base, count, text)
    finally:
        server.shutdown()
        server.server_close()
    return [
        Result(
            database=database,
            workload="session reminders queued and pushed to a local LINE",
            size=count,
            unit="messages",
            seconds=seconds,
            baseline="bare urllib loop posting the same messages",
            baseline_seconds=baseline,
            extra={"notified": queued, "sent": sent, "requests": pushed},
        )
    ]
