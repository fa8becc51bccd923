"""The sign-in sheet and the roster workbook of a session tell apart participants of two
schools of one name (several "บ้านหนองบัว" in one office, told apart by their OBEC code), and
two participants of one name: each school is named with its code, its people listed
together, and everyone has their own row."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person, make_school, pdf_text
from training import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(users, session, office, school):
    session.capacity = 10
    session.save()
    twin = make_school(office, code="1076010009", name=school.name)
    officer = users[Role.DEVELOPMENT_OFFICER]
    people = [make_person(office, s, first_name=name, last_name="ใจดี")
              for s, name in ((twin, "กานดา"), (school, "ขวัญใจ"), (twin, "ขวัญใจ"),
                              (school, "ขวัญใจ"))]  # fmt: skip
    for p in people:
        actions.enrol(acting_user=officer, session=session, person=p)
    return school, twin


def test_the_roster_workbook_names_each_school_with_its_code(client_for, session, twins):
    school, twin = twins
    book = client_for(Role.DEVELOPMENT_OFFICER).get(reverse("training:roster_xlsx",
                                                            args=[session.pk]))  # fmt: skip
    ws = load_workbook(io.BytesIO(book.content)).active
    header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), 1) if row[0] == "ลำดับ")
    rows = [r for r in ws.iter_rows(min_row=header + 1, values_only=True) if isinstance(r[0], int)]
    first, second = f"{school.name} (1076010001)", f"{school.name} (1076010009)"
    # One school after the other (by code), its people by name; namesake people each a row.
    assert [(r[1], r[4]) for r in rows] == [
        ("นางขวัญใจ ใจดี", first), ("นางขวัญใจ ใจดี", first),
        ("นางกานดา ใจดี", second), ("นางขวัญใจ ใจดี", second),
    ]  # fmt: skip


def test_the_sign_in_sheet_names_each_school_with_its_code(client_for, session, twins):
    school, _twin = twins
    day = session.days.first()
    pdf = client_for(Role.DEVELOPMENT_OFFICER).get(
        reverse("training:day_sign_in_sheet", args=[session.pk, day.pk])
    )
    text = pdf_text(pdf.content)
    assert text.count("(1076010009)") == 2 and text.count("(1076010001)") == 2


@pytest.mark.parametrize("page", ["roster", "roll_call"])
def test_the_roster_and_roll_call_pages_name_each_school_with_its_code(
    client_for, session, twins, page
):
    school, _twin = twins
    args = [session.pk] if page == "roster" else [session.days.first().pk]
    html = client_for(Role.DEVELOPMENT_OFFICER).get(reverse(f"training:{page}", args=args))
    text = html.content.decode()
    assert f"{school.name} (1076010001)" in text and f"{school.name} (1076010009)" in text
