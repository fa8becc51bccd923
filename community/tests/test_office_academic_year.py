"""Every page that shows "this academic year" for an office reads the office's own term-1
opening (community.queries.academic_year_of_office), not the default 16 May: an office whose
term 1 opens on 1 June is still in last year on 20 May."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from community.models import CommunityRules
from krupd.testing import make_school

pytestmark = pytest.mark.django_db

BEFORE_OPENING = dt.date(2026, 5, 20)  # 16 May has passed (2569 by default); 1 June has not


@pytest.fixture
def opens_in_june(office, monkeypatch):
    CommunityRules.objects.create(office=office, term_one_opens="01/06")
    monkeypatch.setattr(timezone, "localdate", lambda *a: BEFORE_OPENING)
    return office


def test_the_home_page_names_the_id_plan_of_the_offices_year(client_for, opens_in_june):
    html = client_for(Role.TEACHER).get("/").content.decode()
    assert "ID Plan ปีการศึกษา 2568" in html and "ID Plan ปีการศึกษา 2569" not in html


def test_the_id_plan_pages_default_to_the_offices_year(client_for, opens_in_june):
    school = client_for(Role.SCHOOL_DIRECTOR).get("/planning/id-plans/school/")
    assert school.context["year"] == 2568
    summary = client_for(Role.OFFICE_ADMIN).get("/planning/id-plans/summary/")
    assert summary.context["year"] == 2568
    # A year asked for is still the one shown.
    asked = client_for(Role.OFFICE_ADMIN).get("/planning/id-plans/summary/?year=2569")
    assert asked.context["year"] == 2569


def test_a_new_assessment_round_starts_in_the_offices_year(client_for, opens_in_june):
    form = client_for(Role.OFFICE_ADMIN).get("/planning/rounds/new/").context["form"]
    assert form["year"].value() == 2568


def test_a_first_enrolment_starts_in_the_offices_year(client_for, opens_in_june):
    school = make_school(opens_in_june, code="1076000099", name="โรงเรียนใหม่")
    form = client_for(Role.OFFICE_ADMIN).get(f"/registry/schools/{school.pk}/enrolment/")
    assert form.context["form"]["academic_year"].value() == 2568
    assert form.context["form"]["census_date"].value() == dt.date(2025, 6, 10)


def test_an_office_on_the_default_opening_is_in_the_new_year(client_for, office, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: BEFORE_OPENING)
    html = client_for(Role.TEACHER).get("/").content.decode()
    assert "ID Plan ปีการศึกษา 2569" in html
    form = client_for(Role.OFFICE_ADMIN).get("/planning/rounds/new/").context["form"]
    assert form["year"].value() == 2569
    assert not CommunityRules.objects.filter(office=office).exists()  # read, not written
