"""Lists of people name each one's workplace: two schools of one name (common in an office)
are named with their OBEC codes wherever people of both are listed together, so two teachers
called alike at two "บ้านหนองบัว" can be told apart (the picker, a PLC group's members, a
career list)."""

import pytest

from community.queries import member_hours
from krupd.testing import make_person, make_school
from registry.labels import with_workplace_labels
from registry.models import Person
from registry.picker import results_context
from registry.queries import PickFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(office, school):
    twin = make_school(office, code="1076010009", name=school.name)
    here = make_person(office, school, first_name="สมศรี", last_name="ใจงาม")
    there = make_person(office, twin, first_name="สมศรี", last_name="ใจงาม")
    return here, there


def test_the_picker_names_namesake_schools_with_their_codes(office, school, namesakes):
    here, there = namesakes
    context = results_context(Person.objects.filter(office=office), PickFilter(q="สมศรี"), [], "p")
    details = {row.pk: row.detail for row in context["matches"]}
    assert details[here.pk].endswith(f"· {school.name} (1076010001)")
    assert details[there.pk].endswith(f"· {school.name} (1076010009)")
    # One chosen elsewhere (selected, filtered out of the matches) is worded with them.
    context = results_context(
        Person.objects.filter(office=office), PickFilter(school=str(school.pk)), [there.pk], "p"
    )
    assert context["chosen_elsewhere"][0].detail.endswith(f"{school.name} (1076010009)")
    assert any(row.detail.endswith("(1076010001)") for row in context["matches"])


def test_a_school_alone_in_a_list_keeps_its_name(office, school, other_school, namesakes):
    here, _there = namesakes
    other = make_person(office, other_school, first_name="ก", last_name="ข")
    staff = make_person(office, None, first_name="ค", last_name="ง")
    labelled = with_workplace_labels([here, other, staff])
    assert [p.workplace_label for p in labelled] == [school.name, other_school.name, office.name]


def test_a_plc_groups_members_list_tells_namesake_schools_apart(office, school, namesakes, users):
    from accounts.roles import Role
    from community import actions
    from community.models import PLCGroup, PLCLevel

    here, there = namesakes
    group = actions.save_plc_group(
        acting_user=users[Role.OFFICE_ADMIN],
        group=PLCGroup(
            office=office,
            level=PLCLevel.OFFICE,
            name="PLC เขต",
            topic="การอ่าน",
            facilitator=here,
            academic_year=2568,
        ),  # fmt: skip
        members=[here, there],
    )
    labels = {p.pk: p.workplace_label for p, _hours, _n in member_hours(group)}
    assert labels == {
        here.pk: f"{school.name} (1076010001)",
        there.pk: f"{school.name} (1076010009)",
    }
