"""A school closed or merged into another (ปิด/ยุบรวม): recorded, undone, refused, listed."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from registry import actions, queries
from registry.forms import PersonForm, SchoolClosureForm
from registry.models import AuditEntry, Person, PositionChange, School

from .conftest import make_person, make_school

CLOSED = dt.date(2025, 5, 16)
EDITORS = [Role.OFFICE_ADMIN]
REFUSED = [
    Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER,
    Role.INSPECTOR, Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST,
]  # fmt: skip
MOVERS = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER]
NOT_MOVERS = [r for r in [*EDITORS, *REFUSED] if r not in MOVERS]


def _close(school, into=None, day=CLOSED, *, user=None):
    return actions.close_school(
        acting_user=user, school=school, closed_on=day, merged_into=into, reason="นักเรียนน้อย"
    )


# -- recording and undoing


@pytest.mark.parametrize("role", EDITORS)
def test_it_records_a_merger_with_the_audit(role, users, client_for, school, other_school):
    response = client_for(role).post(
        reverse("registry:school_close", args=[school.pk]),
        {"closed_on": "16/05/2568", "merged_into": other_school.pk, "reason": "นักเรียนน้อย"},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.closed_on, school.merged_into, school.closure_reason) == (
        CLOSED, other_school, "นักเรียนน้อย"
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="school", object_id=str(school.pk)).latest("pk")
    assert entry.actor == users[role]
    assert entry.changes["closed_on"] == [None, "2025-05-16"]
    assert entry.changes["merged_into"] == [None, other_school.name]
    labels = [label for label, _old, _new in entry.readable_changes()]
    assert "วันที่ปิด/ยุบรวม" in labels and "ยุบรวมกับสถานศึกษา" in labels


@pytest.mark.parametrize("role", REFUSED)
def test_it_refuses_recording_or_undoing_to_other_roles(role, client_for, school, other_school):
    client = client_for(role)
    close = reverse("registry:school_close", args=[school.pk])
    assert client.get(close).status_code in (403, 404)
    assert client.post(close, {"closed_on": "16/05/2568"}).status_code in (403, 404)
    _close(school)
    assert client.post(reverse("registry:school_reopen", args=[school.pk])).status_code in (
        403, 404,
    )  # fmt: skip
    school.refresh_from_db()
    assert school.closed_on == CLOSED


@pytest.mark.parametrize("role", EDITORS)
def test_it_undoes_a_closing_with_the_audit(role, client_for, school, other_school):
    _close(school, other_school)
    response = client_for(role).post(reverse("registry:school_reopen", args=[school.pk]))
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.closed_on, school.merged_into, school.closure_reason) == (None, None, None)
    entry = AuditEntry.objects.filter(object_type="school", object_id=str(school.pk)).latest("pk")
    assert entry.changes["closed_on"] == ["2025-05-16", None]
    assert entry.changes["merged_into"] == [other_school.name, None]


def test_undoing_needs_a_post(client_for, school):
    _close(school)
    response = client_for(Role.OFFICE_ADMIN).get(
        reverse("registry:school_reopen", args=[school.pk])
    )
    assert response.status_code == 405


def test_it_refuses_merging_into_itself_a_closed_school_or_another_offices(
    client_for, school, other_school, other_office
):
    elsewhere = make_school(other_office, code="1076020009", name="โรงเรียนเขตอื่น")
    closed = make_school(school.office, code="1076010009", name="โรงเรียนปิดแล้ว")
    _close(closed)
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:school_close", args=[school.pk])
    for target, words in (
        (school, "เลือกสถานศึกษาเดียวกับที่ปิดไม่ได้"),
        (closed, "โรงเรียนปิดแล้ว ปิด/ยุบรวมแล้ว"),
        (elsewhere, "โรงเรียนเขตอื่น อยู่ในสังกัดเขตพื้นที่อื่น"),
    ):
        response = client.post(url, {"closed_on": "16/05/2568", "merged_into": target.pk})
        assert response.status_code == 200
        message = " ".join(response.context["form"].errors["merged_into"])
        assert message.startswith("ยุบรวมกับสถานศึกษา:") and words in message
    school.refresh_from_db()
    assert school.closed_on is None
    assert not AuditEntry.objects.filter(object_type="school", object_id=str(school.pk)).exists()


def test_the_action_refuses_as_the_form_does(school, other_school, other_office):
    elsewhere = make_school(other_office, code="1076020009", name="โรงเรียนเขตอื่น")
    for target in (school, elsewhere):
        with pytest.raises(actions.ClosureRefused) as refused:
            _close(school, target)
        assert refused.value.field == "merged_into"
    _close(other_school)
    with pytest.raises(actions.ClosureRefused, match="ปิด/ยุบรวมแล้ว"):
        _close(school, other_school)
    school.refresh_from_db()
    assert school.closed_on is None


def test_the_form_offers_the_offices_open_schools_only(school, other_school, other_office):
    make_school(other_office, code="1076020009", name="โรงเรียนเขตอื่น")
    closed = make_school(school.office, code="1076010009", name="โรงเรียนปิดแล้ว")
    _close(closed)
    form = SchoolClosureForm(school=school)
    offered = [value for value, _label in form.fields["merged_into"].widget.choices if value]
    assert offered == [other_school.pk]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    closed_on=st.one_of(st.text(max_size=30), st.sampled_from(["16/05/2568", "๑๖/๐๕/๒๕๖๘", ""])),
    merged_into=st.one_of(
        st.text(max_size=25), st.integers(min_value=-(10**20), max_value=10**20).map(str)
    ),
    reason=st.text(max_size=400),
)
@example(closed_on="\x00", merged_into="\x00", reason="ก\x00ข")
@example(closed_on="16/05/2568", merged_into="99999999999999999999", reason=" ")
@example(closed_on="29/02/2567", merged_into="-1", reason="ก" * 301)
def test_any_typed_closing_is_read_or_refused_in_thai(school, closed_on, merged_into, reason):
    form = SchoolClosureForm(
        {"closed_on": closed_on, "merged_into": merged_into, "reason": reason}, school=school
    )
    if form.is_valid():
        data = form.cleaned_data
        assert isinstance(data["closed_on"], dt.date)
        assert data["merged_into"] is None or (
            data["merged_into"].office_id == school.office_id
            and data["merged_into"].pk != school.pk
        )
        assert len(data["reason"]) <= 300
    else:
        for messages in form.errors.values():
            for message in messages:
                assert any("\u0e00" <= ch <= "\u0e7f" for ch in message), message


# -- what a closed school is from its closing day on


def test_new_records_are_not_offered_a_closed_school(users, school, other_school, teacher_person):
    _close(other_school, day=dt.date(2020, 1, 1))
    rules = actions.rules_for(school.office)
    office_schools = queries.schools_visible_to(users[Role.OFFICE_ADMIN])
    new = PersonForm(instance=Person(office=school.office), schools=office_schools, rules=rules)
    assert list(new.fields["school"].queryset) == [school]
    assert other_school not in new.fields["secondment_school"].queryset
    # Someone still placed there keeps it on their own form until moved.
    stays = make_person(school.office, other_school, first_name="ยังอยู่")
    kept = PersonForm(instance=stays, schools=office_schools, rules=rules)
    assert other_school in kept.fields["school"].queryset


def test_a_school_closing_later_is_still_offered(users, school, other_school):
    _close(other_school, day=dt.date(2999, 1, 1))
    rules = actions.rules_for(school.office)
    form = PersonForm(
        instance=Person(office=school.office),
        schools=queries.schools_visible_to(users[Role.OFFICE_ADMIN]),
        rules=rules,
    )
    assert other_school in form.fields["school"].queryset


def test_the_people_filter_keeps_a_closed_school_and_says_it_is_closed(
    client_for, school, other_school
):
    """Its people and records stay findable by it, so it stays in the people page's school
    filter; its name says it is closed, so it does not read as one of the office's schools
    today. One closing on a day still to come reads as open."""
    _close(other_school, school)
    later = make_school(school.office, code="1076019990", name="โรงเรียนปิดภายหลัง")
    _close(later, day=dt.date(2999, 1, 1))
    page = client_for(Role.OFFICE_ADMIN).get(reverse("registry:people")).content.decode()
    assert f">{other_school.name} (ปิด/ยุบรวม)</option>" in page
    assert f">{school.name}</option>" in page and ">โรงเรียนปิดภายหลัง</option>" in page


def test_the_schools_list_hides_closed_schools_unless_asked(client_for, school, other_school):
    _close(other_school, school)
    client = client_for(Role.OFFICE_ADMIN)
    listed = client.get(reverse("registry:schools")).content.decode()
    assert school.name in listed and other_school.name not in listed
    shown = client.get(reverse("registry:schools") + "?closed=all").content.decode()
    assert other_school.name in shown and "ปิด/ยุบรวม</span>" in shown
    only = client.get(reverse("registry:schools") + "?closed=only").content.decode()
    assert other_school.name in only and f">{school.name}<" not in only
    # The search (not compiled) filters alike.
    searched = client.get(reverse("registry:schools") + "?q=โรงเรียน").content.decode()
    assert other_school.name not in searched


def test_the_schools_list_keeps_its_query_count_with_closed_schools(
    client_for, school, other_school, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:schools") + "?closed=all"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(8):
        closing = make_school(school.office, code=f"10760100{n + 20}", name=f"ปิด {n}")
        _close(closing, school)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert "ปิด 7" in client.get(url).content.decode()


def test_history_stays_with_the_closed_school(school, other_school, teacher_person):
    _close(school, other_school)
    teacher_person.refresh_from_db()
    assert teacher_person.school == school  # nobody is moved by the closing itself
    assert School.objects.filter(pk=school.pk).exists()


# -- moving the people still placed there


@pytest.mark.parametrize("role", MOVERS)
def test_it_moves_the_people_to_the_receiving_school(
    role, users, client_for, school, other_school, teacher_person
):
    _close(school, other_school)
    client = client_for(role)
    page = client.get(reverse("registry:school_detail", args=[school.pk])).content.decode()
    assert "บุคลากรในสถานศึกษาที่ปิดแล้ว 1 คน" in page
    assert reverse("registry:school_move_staff", args=[school.pk]) in page
    form = client.get(reverse("registry:school_move_staff", args=[school.pk]))
    assert form.context["form"].initial == {"to_school": other_school.pk, "effective_date": CLOSED}
    response = client.post(
        reverse("registry:school_move_staff", args=[school.pk]),
        {"to_school": other_school.pk, "effective_date": "16/05/2568"},
    )
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.school == other_school
    change = PositionChange.objects.get(person=teacher_person, field="สถานศึกษา")
    assert (change.effective_date, change.old_school, change.new_value) == (
        CLOSED, school, other_school.name
    )  # fmt: skip
    assert change.recorded_by == users[role]


@pytest.mark.parametrize("role", NOT_MOVERS)
def test_it_refuses_moving_to_other_roles(role, client_for, school, other_school, teacher_person):
    _close(school, other_school)
    client = client_for(role)
    url = reverse("registry:school_move_staff", args=[school.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"to_school": other_school.pk, "effective_date": "16/05/2568"})
    assert response.status_code in (403, 404)
    teacher_person.refresh_from_db()
    assert teacher_person.school == school


def test_it_refuses_moving_into_a_closed_school(client_for, school, other_school, teacher_person):
    _close(school)
    _close(other_school)
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:school_move_staff", args=[school.pk]),
        {"to_school": other_school.pk, "effective_date": "16/05/2568"},
    )
    assert response.status_code == 200
    assert "ย้ายไปสถานศึกษา:" in response.context["form"].errors["to_school"][0]
    teacher_person.refresh_from_db()
    assert teacher_person.school == school


def test_an_open_school_has_no_one_to_move(client_for, school, teacher_person):
    response = client_for(Role.OFFICE_ADMIN).get(
        reverse("registry:school_move_staff", args=[school.pk])
    )
    assert response.status_code == 302


def test_the_quality_page_lists_people_at_closed_schools(client_for, school, other_school,
                                                         teacher_person):  # fmt: skip
    client = client_for(Role.OFFICE_ADMIN)
    assert "บุคลากรในสถานศึกษาที่ปิดแล้ว" not in client.get(reverse("registry:quality")).content.decode()
    _close(school, other_school)
    page = client.get(reverse("registry:quality")).content.decode()
    assert "บุคลากรในสถานศึกษาที่ปิดแล้ว" in page
    assert "ยังมีบุคลากร 1 คน" in page
    assert reverse("registry:school_move_staff", args=[school.pk]) in page
    assert f"ย้ายบุคลากรไป{other_school.name}" in page
    inspector = client_for(Role.INSPECTOR).get(reverse("registry:quality")).content.decode()
    assert "ยังมีบุคลากร 1 คน" in inspector
    assert reverse("registry:school_move_staff", args=[school.pk]) not in inspector
