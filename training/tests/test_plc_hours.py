"""PLC meetings logged in community count in the PD record under the PLC hour type, next to
PLC-mode courses, each counted once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.roles import Role
from community import actions as community_actions
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person, pdf_text
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


def test_the_transcript_lines_add_up_to_its_total_with_plc_meetings(
    client_for, office, plc_meeting, teacher_person
):
    """The record counted a logged PLC meeting in its total but listed courses only: its
    lines added up to 12 hours under a total of 14.5. Each meeting is now a line of the page,
    the XLSX and the PDF, and the page's table ends with the total it adds up to."""
    from io import BytesIO

    from openpyxl import load_workbook

    from training import exports

    _passed(office, teacher_person, mode="workshop", hours="12")
    t = queries.transcript(teacher_person, fiscal_year=2569, target=D("20"))
    assert t.total_hours == D("14.5") and [m.pk for m in t.plc_meetings] == [plc_meeting.pk]

    html = (
        client_for(Role.TEACHER)
        .get(reverse("training:transcript", args=[teacher_person.pk]), {"fy": 2569})
        .content.decode()
    )
    assert "บันทึกกิจกรรม PLC: PLC อ่านออกเขียนได้" in html
    assert "20/11/2568" in html  # the meeting's day, in BE
    total_row = html.split('id="transcript-total"')[1].split("</tr>")[0]
    assert ">14.5<" in total_row

    sheet = load_workbook(BytesIO(exports.transcript_xlsx(t))).active
    lines = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in lines] == ["หลักสูตร workshop", "บันทึกกิจกรรม PLC: PLC อ่านออกเขียนได้"]
    assert sum(r[-1] for r in lines) == 14.5
    (total,) = [r for r in sheet.iter_rows(values_only=True) if r[1] == "รวมชั่วโมงพัฒนา"]
    assert total[-1] == 14.5

    text = pdf_text(
        exports.transcript_pdf(t, signer_name="", signer_title="", today=dt.date(2026, 3, 1))
    )
    flat = "".join(text.split())
    assert "บันทึกกิจกรรมPLC:PLCอ่านออกเขียนได้" in flat


def test_a_transcript_without_lines_says_so(client_for, teacher_person):
    html = (
        client_for(Role.TEACHER)
        .get(reverse("training:transcript", args=[teacher_person.pk]), {"fy": 2569})
        .content.decode()
    )
    assert "ยังไม่มีการพัฒนาในปีงบประมาณนี้" in html and 'id="transcript-total"' not in html
