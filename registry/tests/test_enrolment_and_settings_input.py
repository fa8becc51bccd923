"""The enrolment and office-settings forms refuse numbers and days that cannot be right, on
the field, in Thai, and save nothing; the census day has one reading everywhere."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib import thai_dates
from registry import quality
from registry.actions import rules_for
from registry.models import AuditEntry, Enrolment, OfficeRules, census_date, census_day_parts
from staffing import queries as staffing

pytestmark = pytest.mark.django_db


def _enrol(client, school, **fields):
    data = {"academic_year": "2569", "census_date": "10/06/2569", **fields}
    return client.post(reverse("registry:school_enrolment", args=[school.pk]), data)


def _refused(response, field: str, words: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors.get(field, [])), errors
    assert not Enrolment.objects.exists()


def test_it_refuses_a_census_day_outside_the_academic_year(client_for, school):
    response = _enrol(
        client_for(Role.OFFICE_ADMIN), school, census_date="10/06/2560", p1_students="20",
        p1_rooms="1",
    )  # fmt: skip
    _refused(response, "census_date", "ไม่อยู่ในปีการศึกษา 2569 (16 พ.ค. 2569 – 15 พ.ค. 2570)")


def test_it_takes_the_november_count_of_the_same_academic_year(client_for, school):
    response = _enrol(
        client_for(Role.OFFICE_ADMIN), school, census_date="10/11/2569", p1_students="๒๐",
        p1_rooms="๑",
    )  # fmt: skip
    assert response.status_code == 302
    assert Enrolment.objects.get().census_date == dt.date(2026, 11, 10)


def test_it_refuses_more_rooms_than_pupils(client_for, school):
    response = _enrol(client_for(Role.OFFICE_ADMIN), school, p1_students="2", p1_rooms="5")
    _refused(response, "p1_rooms", "ป.1: ห้องเรียน 5 ห้องมากกว่านักเรียน 2 คน")


def test_an_empty_form_does_not_wipe_the_years_counts(client_for, school):
    Enrolment.objects.create(school=school, academic_year=2569, census_date=dt.date(2026, 6, 10),
                             grade="p1", students=20, classrooms=1)  # fmt: skip
    response = _enrol(client_for(Role.OFFICE_ADMIN), school)
    assert response.status_code == 200
    assert "ยังไม่ได้กรอกจำนวนนักเรียนชั้นใดเลย" in response.content.decode()
    assert Enrolment.objects.get().students == 20


def test_a_first_enrolment_starts_from_the_offices_census_day(client_for, school, office):
    rules = rules_for(office)
    rules.census_day = "01/07"
    rules.save()
    form = (
        client_for(Role.OFFICE_ADMIN)
        .get(reverse("registry:school_enrolment", args=[school.pk]))
        .context["form"]
    )
    year = form.initial["academic_year"]
    assert form.initial["census_date"] == dt.date(year - 543, 7, 1)


@pytest.mark.parametrize("typed", ["31/02", "29/02", "10-06", "abc", "32/1", "0/6"])
def test_the_settings_refuse_a_census_day_that_is_not_a_day_of_every_year(
    client_for, office, typed
):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:settings"),
        {"retirement_age": "60", "freshness_days": "180", "census_day": typed,
         "import_retention_days": "90"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "วันนับข้อมูลนักเรียนต้องเป็นวันที่ที่มีทุกปี" in str(response.context["form"].errors["census_day"])
    assert rules_for(office).census_day == "10/06"
    assert not AuditEntry.objects.filter(object_type="officerules").exists()


def test_the_settings_take_a_census_day_in_thai_digits(client_for, office):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:settings"),
        {"retirement_age": "60", "freshness_days": "180", "census_day": "๑/๗",
         "import_retention_days": "90"},
    )  # fmt: skip
    assert response.status_code == 302
    assert rules_for(office).census_day == "01/07"


def test_a_stored_impossible_census_day_reads_as_10_june_not_an_error(client_for, office, school):
    # Written before the settings form checked it: every staffing page failed on it.
    rules_for(office)  # created with defaults
    OfficeRules.objects.filter(office=office).update(census_day="31/02")
    assert staffing.census_date_for(office, 2569) == dt.date(2026, 6, 10)
    for name in ("staffing:office", "registry:quality"):
        assert client_for(Role.OFFICE_ADMIN).get(reverse(name)).status_code == 200


@given(day=st.integers(0, 40), month=st.integers(0, 14), year=st.integers(2500, 2700))
def test_a_census_day_is_read_as_the_date_it_names_or_10_june(day, month, year):
    text = f"{day}/{month}"
    try:
        dt.date(2001, month, day)
        named = True
    except ValueError:
        named = False
    assert (census_day_parts(text) is not None) is named
    expected = dt.date(year - 543, month, day) if named else dt.date(year - 543, 6, 10)
    assert census_date(text, year) == expected
    assert thai_dates.academic_year(census_date("10/06", year)) == year


@given(
    today=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    day=st.sampled_from(["10/06", "16/05", "01/07", "10/11", "31/12", "01/01"]),
)
def test_the_counted_year_is_the_latest_whose_census_day_has_come(today, day):
    counted = OfficeRules(census_day=day).counted_academic_year(today)
    # The year that opened (16 May) once its census day came; before that, the one before.
    opened = thai_dates.academic_year(today)
    assert counted == (opened if census_date(day, opened) <= today else opened - 1)


def test_the_staffing_pages_show_last_years_counts_until_the_census_day(
    client_for, office, school, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 6, 9))
    assert staffing.default_year(office) == 2568
    assert quality.context_for(office, today=dt.date(2026, 6, 9)).academic_year == 2568
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 6, 10))
    assert staffing.default_year(office) == 2569
    assert quality.context_for(office, today=dt.date(2026, 6, 10)).academic_year == 2569
