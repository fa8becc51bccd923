"""A PLC meeting belongs to its group's academic year: one in the year next to it (begun the
term before, carried into the next) is recorded with a notice, one further off is refused
naming the date and the days it may take; a group's year cannot move away from its meetings."""

import datetime as dt
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from community import actions
from community.models import CommunityRules, PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person

TEACHER, DIRECTOR = Role.TEACHER, Role.SCHOOL_DIRECTOR


@pytest.fixture
def group(office, school, users, teacher_person):
    facilitator = make_person(office, school, first_name="วิไล", last_name="นำทาง")
    group = PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC อ่าน",
                     topic="อ่านไม่คล่อง", facilitator=facilitator, academic_year=2568)  # fmt: skip
    return actions.save_plc_group(
        acting_user=users[DIRECTOR], group=group, members=[teacher_person]
    )


def log(users, group, person, day):
    return actions.log_plc_meeting(
        acting_user=users[TEACHER],
        attendees=[person],
        meeting=PLCMeeting(group=group, date=day, hours=D("2"), problem="อ่านไม่คล่อง"),
    )


@pytest.mark.parametrize(
    "day",
    [dt.date(2024, 5, 15), dt.date(2020, 6, 1), dt.date(2027, 5, 16), dt.date(1482, 6, 10)],
)
def test_a_meeting_more_than_a_year_from_its_groups_year_is_refused(
    group, users, teacher_person, monkeypatch, day
):
    """Group of 2568 (16 May 2568 – 15 May 2569); a year either side may be recorded."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2030, 1, 1))
    with pytest.raises(actions.CommunityError) as refused:
        log(users, group, teacher_person, day)
    message = str(refused.value.messages[0])
    assert message.startswith("วันที่ประชุม (")
    assert "ปีการศึกษา 2568 ของกลุ่มนี้ (16 พ.ค. 2568 – 15 พ.ค. 2569)" in message
    assert "บันทึกได้ตั้งแต่ 16 พ.ค. 2567 ถึง 15 พ.ค. 2570" in message
    assert not PLCMeeting.objects.filter(group=group).exists()


@pytest.mark.parametrize(
    ("day", "noticed"),
    [
        (dt.date(2025, 5, 16), False),  # the year's first day
        (dt.date(2026, 5, 15), False),  # its last
        (dt.date(2025, 3, 1), True),  # the term before
        (dt.date(2026, 6, 1), True),  # carried into the next year
    ],
)
def test_a_meeting_in_the_year_next_to_its_groups_is_recorded_and_said(
    group, users, teacher_person, monkeypatch, day, noticed
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 12, 1))
    meeting = log(users, group, teacher_person, day)
    notice = actions.plc_meeting_year_notice(meeting)
    assert bool(notice) == noticed
    if noticed:
        assert "อยู่นอกปีการศึกษา 2568 ของกลุ่มนี้ (16 พ.ค. 2568 – 15 พ.ค. 2569)" in notice


def test_the_offices_own_term_opening_bounds_the_year(group, users, teacher_person):
    CommunityRules.objects.update_or_create(
        office=group.office, defaults={"term_one_opens": "01/06"}
    )
    meeting = log(users, group, teacher_person, dt.date(2025, 5, 20))
    assert "1 มิ.ย. 2568 – 31 พ.ค. 2569" in actions.plc_meeting_year_notice(meeting)


def test_the_log_page_refuses_a_far_date_at_the_form_and_warns_of_a_near_one(
    client, group, users, teacher_person
):
    client.force_login(users[TEACHER])
    url = f"/community/plc/{group.pk}/log/"
    data = {"date": "10/06/2563", "hours": "2", "plan": "สังเกต", "attendees": [teacher_person.pk]}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "ห่างจากปีการศึกษา 2568 ของกลุ่มนี้" in refused.content.decode()
    assert not PLCMeeting.objects.exists()
    near = client.post(url, {**data, "date": "๑๐/๐๓/๒๕๖๘"}, follow=True)
    assert "อยู่นอกปีการศึกษา 2568 ของกลุ่มนี้" in near.content.decode()
    assert PLCMeeting.objects.count() == 1


def test_a_groups_year_cannot_move_away_from_its_meetings(group, users, teacher_person):
    log(users, group, teacher_person, dt.date(2025, 6, 10))
    group.academic_year = 2566
    with pytest.raises(actions.CommunityError) as refused:
        actions.save_plc_group(acting_user=users[DIRECTOR], group=group, members=[teacher_person])
    assert "มีบันทึกการประชุม 1 ครั้งห่างจากปีนี้เกินหนึ่งปี" in refused.value.messages[0]
    group.academic_year = 2569  # the next year: the meeting stays within a year of it
    actions.save_plc_group(acting_user=users[DIRECTOR], group=group, members=[teacher_person])


@pytest.mark.parametrize("year", [2590, 2468, 2557])
def test_a_group_of_a_year_far_from_today_is_refused_naming_the_range(
    office, school, users, teacher_person, monkeypatch, year
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 12, 7))
    group = PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC",
                     topic="อ่าน", facilitator=teacher_person, academic_year=year)  # fmt: skip
    with pytest.raises(actions.CommunityError) as refused:
        actions.save_plc_group(acting_user=users[DIRECTOR], group=group, members=[])
    assert "อยู่นอกช่วงที่บันทึกได้ (ปีการศึกษา 2559–2570)" in refused.value.messages[0]
    assert not PLCGroup.objects.exists()


def test_the_group_form_says_the_range_at_the_page(client, users, school, teacher_person):
    client.force_login(users[DIRECTOR])
    response = client.post("/community/plc/new/", {
        "level": "school", "school": school.pk, "name": "PLC", "topic": "อ่าน",
        "facilitator": teacher_person.pk, "academic_year": "2600",
    })  # fmt: skip
    assert response.status_code == 200
    assert "อยู่นอกช่วงที่บันทึกได้ (ปีการศึกษา" in response.content.decode()
    assert not PLCGroup.objects.exists()
