"""The shared cast, a course with one small session, and local fake servers for LINE's
Messaging API and for SMTP (no test reaches the outside network)."""

import datetime as dt
from decimal import Decimal

import pytest

from krupd.testing import *  # noqa: F401,F403
from notifications import actions as notify_actions
from notifications import fakes
from training import actions as training_actions
from training.models import Course, Session


@pytest.fixture
def course(office, users):
    return Course.objects.create(
        office=office,
        title="การจัดการเรียนรู้เชิงรุก",
        mode="workshop",
        hours=Decimal("6"),
        fiscal_year=2569,
        min_attendance_pct=80,
        min_post_test_pct=0,
        self_enrol=True,
        status="open",
        created_by=users["development_officer"],
    )


@pytest.fixture
def session(course, users):
    s = Session(
        course=course,
        name="รุ่นที่ 1",
        start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 12),
        capacity=1,
        hours_per_day=Decimal("6"),
        place="ห้องประชุมเพชรพัฒนา",
    )
    return training_actions.save_session(acting_user=users["development_officer"], session=s)


@pytest.fixture
def fake_line(settings):
    fake, server = fakes.start_line()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_smtp(settings):
    fake, server = fakes.start_smtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.server_address[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield fake
    server.shutdown()
    server.server_close()


LINE_SECRET = "0123456789abcdef0123456789abcdef"
LINE_TOKEN = "test-access-token"


@pytest.fixture
def line_channel(office, users):
    return notify_actions.save_line_channel(
        acting_user=users["office_admin"],
        office=office,
        basic_id="@krupd-test",
        secret=LINE_SECRET,
        token=LINE_TOKEN,
        enabled=True,
    )
