"""The PA status by school keeps schools of one name apart (several "บ้านหนองบัว" in one
office, told apart by their OBEC code): a row each, named with its code, on the page's
figures and in the API."""

import pytest

from accounts.roles import Role
from career import actions, queries
from krupd.testing import make_person, make_school, make_user

pytestmark = pytest.mark.django_db


def test_two_schools_of_one_name_are_two_rows_named_with_their_codes(
    client, users, office, school, teacher_person
):
    twin = make_school(office, code="1076010009", name=school.name)
    make_person(office, twin, first_name="แฝด")
    actions.start_agreement(acting_user=users[Role.TEACHER], person=teacher_person,
                            fiscal_year=2568)  # fmt: skip
    rows = queries.pa_status(users[Role.OFFICE_ADMIN], fiscal_year=2568)
    by_school = {r.label: (r.teachers, r.by_status["draft"]) for r in rows}
    assert by_school == {f"{school.name} (1076010001)": (1, 1),
                         f"{school.name} (1076010009)": (1, 0)}  # fmt: skip
    client.force_login(users[Role.INSPECTOR])
    body = client.get("/api/career/pa/status?fy=2568").json()
    assert {r["school"] for r in body["rows"]} == set(by_school)
    assert body["teachers"] == sum(r.teachers for r in rows) == 2


def test_the_pa_list_and_workbook_name_each_teachers_school_with_its_code(
    client, users, office, school, teacher_person
):
    """Two teachers of one name at two schools of one name: each row says which school."""
    import io

    from openpyxl import load_workbook

    twin = make_school(office, code="1076010009", name=school.name)
    namesake = make_person(office, twin, first_name=teacher_person.first_name,
                           last_name=teacher_person.last_name)  # fmt: skip
    twin_user = make_user("teacher_twin", Role.TEACHER, office, person=namesake)
    for user, person in ((users[Role.TEACHER], teacher_person), (twin_user, namesake)):
        actions.start_agreement(acting_user=user, person=person, fiscal_year=2568)
    client.force_login(users[Role.OFFICE_ADMIN])
    page = client.get("/career/pa/status/?fy=2568").content.decode()
    assert f"{school.name} (1076010001)" in page and f"{school.name} (1076010009)" in page
    book = client.get("/career/pa/status/?fy=2568&format=xlsx").content
    rows = list(load_workbook(io.BytesIO(book)).active.iter_rows(min_row=3, values_only=True))
    assert sorted(r[2] for r in rows) == [f"{school.name} (1076010001)",
                                          f"{school.name} (1076010009)"]  # fmt: skip
