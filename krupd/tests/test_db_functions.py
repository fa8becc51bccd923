"""The checks done in SQL agree with their Python definitions on the database in use."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.lib import thai_id
from krupd.lib.db_functions import NationalIdIsValid, age_span
from krupd.testing import make_office, make_person
from registry.models import Person

pytestmark = pytest.mark.django_db

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"


def _valid_id(draw_digits: str) -> str:
    return draw_digits + str(thai_id.check_digit(draw_digits))


national_ids = st.one_of(
    st.text(alphabet="0123456789", min_size=12, max_size=12).map(_valid_id),
    st.text(alphabet="0123456789", min_size=13, max_size=13),
    st.text(alphabet="0123456789" + THAI_DIGITS + " -xก", min_size=0, max_size=13),
)


@pytest.fixture
def person(db):
    return make_person(make_office(), None)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=national_ids, allow=st.booleans())
def test_the_sql_national_id_check_agrees_with_the_python_one(person, value, allow):
    Person.objects.filter(pk=person.pk).update(national_id=value)
    in_sql = (
        Person.objects.filter(pk=person.pk)
        .annotate(ok=NationalIdIsValid("national_id", allow_leading_zero_or_nine=allow))
        .values_list("ok", flat=True)
        .get()
    )
    assert bool(in_sql) == thai_id.is_valid_national_id(value, allow_leading_zero_or_nine=allow)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(birth=dates, on=dates, years=st.integers(min_value=0, max_value=80))
def test_the_sql_age_comparison_agrees_with_whole_years_of_age(person, birth, on, years):
    Person.objects.filter(pk=person.pk).update(birth_date=birth, appointment_date=on)
    span = (
        Person.objects.filter(pk=person.pk)
        .annotate(span=age_span("birth_date", "appointment_date"))
        .values_list("span", flat=True)
        .get()
    )
    assert (span >= years * 10_000) == (_age(birth, on) >= years)


def test_a_29_february_birthday_is_reached_on_1_march_in_a_common_year(person):
    Person.objects.filter(pk=person.pk).update(
        birth_date=dt.date(2008, 2, 29), appointment_date=dt.date(2026, 2, 28)
    )
    row = Person.objects.annotate(span=age_span("birth_date", "appointment_date")).get(pk=person.pk)
    assert row.span < 18 * 10_000
    Person.objects.filter(pk=person.pk).update(appointment_date=dt.date(2026, 3, 1))
    row = Person.objects.annotate(span=age_span("birth_date", "appointment_date")).get(pk=person.pk)
    assert row.span >= 18 * 10_000
