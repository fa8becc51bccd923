"""The shared cast, a course, and a teacher who passed it (results set directly: how a
result is reached is training's business, tested there)."""

import datetime as dt
from decimal import Decimal

import pytest

from krupd.testing import *  # noqa: F401,F403
from training import actions
from training.models import Course, Session


@pytest.fixture
def course(office):
    return Course.objects.create(
        office=office,
        title="การจัดการเรียนรู้เชิงรุก (Active Learning) ที่เน้นการคิดขั้นสูง",
        mode="workshop",
        hours=Decimal("12"),
        fiscal_year=2569,
        competencies="การออกแบบการเรียนรู้เชิงรุก\nการใช้คำถามระดับการคิดขั้นสูง",
    )


@pytest.fixture
def passed(users, course, teacher_person):
    """The teacher's enrolment, passed with 12 hours on 13 January 2026."""
    session = actions.save_session(
        acting_user=users["development_officer"],
        session=Session(
            course=course,
            name="รุ่นที่ 1",
            start_date=dt.date(2026, 1, 12),
            end_date=dt.date(2026, 1, 13),
            capacity=5,
            hours_per_day=Decimal("6"),
        ),
    )
    enrolment = actions.enrol(acting_user=users["teacher"], session=session, person=teacher_person)
    enrolment.passed = True
    enrolment.hours_credited = Decimal("12")
    enrolment.completed_on = dt.date(2026, 1, 13)
    enrolment.save()
    return enrolment


@pytest.fixture
def certificate(users, passed):
    return actions.issue_certificate(acting_user=users["teacher"], enrolment=passed)
