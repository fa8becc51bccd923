"""The community API: each endpoint opened by a role allowed to and refused to another."""

import datetime as dt
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from community import actions
from community.models import (
    AwardLevel,
    AwardProgramme,
    AwardRound,
    BestPractice,
    Nomination,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Visit,
    VisitStatus,
)
from krupd.testing import make_person, make_user

ADMIN, SUPERVISOR, DIRECTOR = Role.OFFICE_ADMIN, Role.SUPERVISOR, Role.SCHOOL_DIRECTOR
TEACHER, INSPECTOR = Role.TEACHER, Role.INSPECTOR


@pytest.fixture
def data(office, school, other_school, users, teacher_person, other_teacher):
    group = actions.save_plc_group(
        acting_user=users[DIRECTOR],
        group=PLCGroup(
            office=office,
            level=PLCLevel.SCHOOL,
            school=school,
            name="PLC อ่านออก",
            topic="อ่าน",
            facilitator=make_person(office, school, first_name="วิไล"),
            academic_year=2568,
        ),
        members=[teacher_person],
    )
    actions.log_plc_meeting(
        acting_user=users[TEACHER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 1, 10), hours=D("2")),
        attendees=[teacher_person],
    )
    visit = Visit.objects.create(
        office=office,
        school=school,
        kind="coaching",
        status=VisitStatus.DONE,
        date=dt.date(2025, 6, 1),
        visitor_name="ศน.",
        focus="การอ่าน",
    )
    visit.people.set([teacher_person])
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    round_ = AwardRound.objects.create(
        programme=programme, year=2567, title="ครูดี 2567", status=RoundStatus.CLOSED
    )
    n = Nomination.objects.create(
        round=round_, person=teacher_person, source="office", work_title="ก"
    )
    n.results.create(
        level=AwardLevel.AREA, outcome=ResultOutcome.WINNER, announced_on=dt.date(2024, 5, 1)
    )
    admin = users[ADMIN]
    published = BestPractice(
        office=office,
        title="การสอนอ่านด้วยนิทานพื้นบ้าน",
        summary="นิทาน",
        year=2568,
        status=PracticeStatus.PUBLISHED,
    )
    actions.save_practice(acting_user=admin, practice=published, owners=[other_teacher])
    draft = BestPractice(office=office, title="นิทานร่างของฉัน", summary="นิทาน", year=2568)
    actions.save_practice(acting_user=admin, practice=draft, owners=[teacher_person])
    return {"group": group, "visit": visit, "published": published, "draft": draft}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_plc_groups_are_scoped_and_refused_to_inspectors(client, users, data, other_teacher):
    rows = _get(client, users[TEACHER], "/api/community/plc-groups").json()
    # Members: the teacher and the facilitator (a teacher's scope must not shrink the count).
    assert [(r["name"], r["members"], r["meetings"], float(r["hours"])) for r in rows] == [
        ("PLC อ่านออก", 2, 1, 2.0)
    ]
    outsider = make_user("t2", TEACHER, data["group"].office, person=other_teacher)
    assert _get(client, outsider, "/api/community/plc-groups").json() == []
    assert _get(client, users[INSPECTOR], "/api/community/plc-groups").status_code == 403


def test_visits_are_scoped_and_refused_to_inspectors(client, users, data, other_teacher):
    body = _get(client, users[DIRECTOR], "/api/community/visits").json()
    assert [v["id"] for v in body["items"]] == [data["visit"].pk]
    assert body["items"][0]["school"] == "โรงเรียนบ้านหนองไผ่"
    outsider = make_user("t2", TEACHER, data["group"].office, person=other_teacher)
    assert _get(client, outsider, "/api/community/visits").json()["items"] == []
    assert _get(client, users[INSPECTOR], "/api/community/visits").status_code == 403


def test_visit_coverage_counts_for_inspectors_and_refuses_directors(client, users, data):
    body = _get(client, users[INSPECTOR], "/api/community/visits/coverage").json()
    assert body["schools"] == 2 and body["visited"] + len(body["not_visited"]) == 2
    assert _get(client, users[DIRECTOR], "/api/community/visits/coverage").status_code == 403


def test_the_awards_table_opens_on_the_latest_year_with_results(client, users, data, office):
    body = _get(client, users[TEACHER], "/api/community/awards/table").json()
    assert body["year"] == 2567 and body["selected"] == 1
    assert body["rows"][0]["title"] == "ครูดี 2567" and body["rows"][0]["area"] == 1
    assert (
        _get(client, users[TEACHER], "/api/community/awards/table?year=2560").json()["rows"] == []
    )
    no_office = make_user("nobody", TEACHER, office)
    no_office.office = None
    no_office.save()
    assert _get(client, no_office, "/api/community/awards/table").status_code == 403
    client.logout()
    assert client.get("/api/community/awards/table").status_code == 401


def test_practice_search_gives_teachers_published_items_only(client, users, data, office):
    body = _get(client, users[TEACHER], "/api/community/practices?q=นิทาน").json()
    assert [p["title"] for p in body["items"]] == ["การสอนอ่านด้วยนิทานพื้นบ้าน"]
    assert body["items"][0]["owners"] == ["นายสมชาย รักเรียน"]
    body = _get(client, users[SUPERVISOR], "/api/community/practices?q=นิทาน").json()
    assert {p["title"] for p in body["items"]} == {
        "การสอนอ่านด้วยนิทานพื้นบ้าน",
        "นิทานร่างของฉัน",
    }
    no_office = make_user("nobody", TEACHER, office)
    no_office.office = None
    no_office.save()
    assert _get(client, no_office, "/api/community/practices").status_code == 403
