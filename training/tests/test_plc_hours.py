"""PLC meetings logged in community count in the PD record under the PLC hour type, next to
PLC-mode courses, each counted once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.roles import Role
from community import actions as community_actions
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person
from training import queries
from training.models import Course, Enrolment, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def plc_meeting(office, school, users, teacher_person):
    """One 2.5-hour PLC meeting in FY2569 (1 Oct 2025 – 30 Sep 2026) attended by the teacher."""
    facilitator = make_person(office, school, first_name="วิไล", last_name="นำทาง")
    group = community_actions.save_plc_group(
        acting_user=users[Role.SCHOOL_DIRECTOR],
        group=PLCGroup(
            office=office,
            level=PLCLevel.SCHOOL,
            school=school,
            name="PLC อ่านออกเขียนได้",
            topic="อ่านไม่คล่อง",
            facilitator=facilitator,
            academic_year=2568,
        ),
        members=[teacher_person],
    )
    return community_actions.log_plc_meeting(
        acting_user=users[Role.TEACHER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 11, 20), hours=D("2.5")),
        attendees=[teacher_person],
    )


def _passed(office, person, *, mode: str, hours: str) -> Enrolment:
    course = Course.objects.create(
        office=office, title=f"หลักสูตร {mode}", mode=mode, hours=D(hours), fiscal_year=2569
    )
    session = Session.objects.create(
        course=course,
        start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 12),
        capacity=10,
    )
    return Enrolment.objects.create(
        course=course,
        session=session,
        person=person,
        status="enrolled",
        source="office",
        passed=True,
        hours_credited=D(hours),
    )


def test_a_plc_meeting_appears_in_the_transcript_as_plc_hours(
    client_for, plc_meeting, teacher_person
):
    t = queries.transcript(teacher_person, fiscal_year=2569, target=D("20"))
    assert t.hours_by_type["plc"] == D("2.5") and t.plc_logged_hours == D("2.5")
    assert t.total_hours == D("2.5")
    assert queries.transcript(teacher_person, fiscal_year=2568, target=D("20")).total_hours == 0
    url = reverse("training:transcript", args=[teacher_person.pk])
    html = client_for(Role.TEACHER).get(url, {"fy": 2569}).content.decode()
    assert "รวมบันทึกกิจกรรม PLC 2.5 ชม." in html


def test_plc_mode_courses_and_plc_meetings_each_count_once(office, plc_meeting, teacher_person):
    _passed(office, teacher_person, mode="plc", hours="6")
    _passed(office, teacher_person, mode="workshop", hours="12")
    t = queries.transcript(teacher_person, fiscal_year=2569, target=D("20"))
    assert t.hours_by_type == {"training": D("12"), "plc": D("8.5"), "other": D("0")}
    assert t.total_hours == D("20.5") and t.met_target


def test_office_percent_developed_counts_plc_meetings(
    users, office, other_school, plc_meeting, teacher_person
):
    make_person(office, other_school, first_name="ยังไม่พัฒนา")
    officer = users[Role.DEVELOPMENT_OFFICER]
    report = queries.developed_report(officer, fiscal_year=2569, min_hours=D("2"))
    # The facilitator attended nothing; the teacher's 2.5 PLC hours reach the 2-hour bar.
    assert [(r.total, r.developed) for r in report["total"]] == [(3, 1)]
    report = queries.developed_report(officer, fiscal_year=2569, min_hours=D("3"))
    assert [(r.total, r.developed) for r in report["total"]] == [(3, 0)]
    # A PLC-mode course adds to the same person's hours once, not twice.
    _passed(office, teacher_person, mode="plc", hours="1")
    report = queries.developed_report(officer, fiscal_year=2569, min_hours=D("3.5"))
    assert [(r.total, r.developed) for r in report["total"]] == [(3, 1)]
    report = queries.developed_report(officer, fiscal_year=2569, min_hours=D("4"))
    assert [(r.total, r.developed) for r in report["total"]] == [(3, 0)]
