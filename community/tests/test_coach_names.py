"""The people a visit's "supervisor/coach" box names, as offices type it: "ศน.ก และคณะ",
"นายสมชาย ใจดี และคณะ", "ศน.ก, ศน.ข", "ศน.ก และ ศน.ข". Each named person is matched to the
office's people as a single coach is (titles, "ศน.", spacing ignored); "และคณะ" (and team)
keeps the rest as the typed text the page shows; a name that is nobody or two people is said
in Thai naming the box, never guessed."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from community.coaches import coach_names, name_without_titles
from community.models import Visit
from krupd.lib.numerals import to_thai_digits
from krupd.testing import make_person

THAI_NAME = st.text(alphabet="กขคงจฉชซญดตถทธนบปผพฟมยรลวสหอฮะาิีเแโใไ่้", min_size=2, max_size=8).filter(
    lambda t: (
        t[0] in "กขคงจฉชซญดตถทธนบปผพฟมยรลวสหอฮเแโใไ"
        and not any(word in t for word in ("และ", "กับ", "คณะ", "ทีม"))
        and not t.startswith(("นาย", "นาง", "ครู"))
    )
)
TITLE = st.sampled_from(["", "ศน.", "ศน. ", "นาย", "นางสาว", "ศึกษานิเทศก์", "ดร.", "ศน.ดร."])
SEPARATOR = st.sampled_from([", ", ",", " และ ", " กับ ", " / ", "\u00a0และ\u00a0"])
TEAM = st.sampled_from(["", " และคณะ", "และคณะ", " และคณะฯ", " กับคณะ"])


@given(
    people=st.lists(
        st.tuples(TITLE, THAI_NAME, st.one_of(st.just(""), THAI_NAME)), min_size=1, max_size=4
    ),
    separator=SEPARATOR,
    team=TEAM,
    digit=st.sampled_from(["", "1", "๑"]),
)
def test_each_name_a_coach_box_holds_is_read_with_and_team(people, separator, team, digit):
    written = [f"{title}{first}{digit} {last}".strip() for title, first, last in people]
    read = coach_names(separator.join(written) + team)
    assert read.team == bool(team)
    assert [name_without_titles(n) for n in read.names] == [name_without_titles(w) for w in written]
    if digit == "๑":
        assert all(to_thai_digits("1") not in n for n in read.names)


def test_a_box_of_and_team_alone_names_nobody():
    assert coach_names(" และคณะ ").names == ()
    assert coach_names("ศน.สมใจ").names == ("ศน.สมใจ",)


@pytest.fixture
def supervisor(users):
    client = Client()
    client.force_login(users[Role.SUPERVISOR])
    return client


def _visit(school, **changed):
    return {"school": school.pk, "kind": "coaching", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.สมใจ", "focus": "การอ่าน", **changed}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "box",
    [
        "ศน.{first} {last} และคณะ",
        "นางสาว{first} {last}และคณะ",
        "ศน.อื่น ทดสอบ, ศน.{first} {last}",
        "ศน.อื่น ทดสอบ และ ศน. {first}  {last}",
    ],
)
def test_a_coach_named_with_her_team_among_those_she_coached_is_refused(
    supervisor, office, school, box
):
    """ "ศน.มานี มีนา และคณะ" coaching มานี มีนา herself was saved: only a box naming her alone
    (with or without title) was compared with the people coached."""
    coach = make_person(office, school, first_name="มานี", last_name="มีนา")
    data = _visit(school, visitor_name=box.format(first="มานี", last="มีนา"), people=[coach.pk])
    refused = supervisor.post("/community/visits/new/", data)
    assert refused.status_code == 200
    assert "นิเทศหรือโค้ชตนเองไม่ได้" in refused.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_named_coaches_who_are_nobody_or_two_people_are_said_and_the_box_kept(
    supervisor, office, school
):
    make_person(office, None, first_name="สมใจ", last_name="ใจดี")
    make_person(office, school, first_name="สมใจ", last_name="มีสุข")
    make_person(office, None, first_name="สมปอง", last_name="รักดี")
    box = "ศน.สมใจ, ศน.สมปอง รักดี, ศน.ไม่มี ตัวตน และคณะ"
    response = supervisor.post(
        "/community/visits/new/", _visit(school, visitor_name=box), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert Visit.objects.get().visitor_name == box  # kept as typed, shown on the page
    assert "ชื่อผู้นิเทศ/โค้ช: “ศน.สมใจ” ตรงกับบุคลากร 2 คน" in page
    assert "ชื่อผู้นิเทศ/โค้ช: “ศน.ไม่มี ตัวตน” ไม่ตรงกับบุคลากรคนใดในเขตพื้นที่" in page
    assert "“ศน.สมปอง รักดี”" not in page  # one person: matched, nothing to say


@pytest.mark.django_db
def test_a_named_lead_who_is_one_person_gives_no_warning(supervisor, office, school):
    make_person(office, None, first_name="สมชาย", last_name="ใจดี")
    response = supervisor.post(
        "/community/visits/new/", _visit(school, visitor_name="นายสมชาย  ใจดี และคณะ"), follow=True
    )
    assert "ไม่ตรงกับบุคลากร" not in response.content.decode()
    assert "ตรงกับบุคลากร" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role, allowed", [(Role.SUPERVISOR, True), (Role.SCHOOL_DIRECTOR, False)])
def test_only_those_who_record_visits_post_a_coach_box(client, users, school, role, allowed):
    client.force_login(users[role])
    response = client.post("/community/visits/new/", _visit(school, visitor_name="ศน.ก และคณะ"))
    assert (response.status_code == 302) is allowed
    assert Visit.objects.exists() is allowed
