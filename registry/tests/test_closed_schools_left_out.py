"""A school closed or merged into another (ปิด/ยุบรวม) is left out of where only open schools
belong (the home page's count of schools, the data-quality checks once it is empty), and a
person seconded to one is told on the data-quality page."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry import actions

from .conftest import make_person, make_school

CLOSED = dt.date(2025, 5, 16)


def _close(school, into=None, day=CLOSED):
    actions.close_school(
        acting_user=None, school=school, closed_on=day, merged_into=into, reason="นักเรียนน้อย"
    )


# -- the home page's count of schools


def test_the_home_page_counts_open_schools_only(client_for, office, school, other_school):
    client = client_for(Role.OFFICE_ADMIN)
    assert client.get("/").context["school_count"] == 2
    _close(other_school, into=school)
    assert client.get("/").context["school_count"] == 1
    # A closing set for a day still to come: open today, still counted.
    third = make_school(office, code="1076010003", name="โรงเรียนบ้านนา")
    _close(third, day=dt.date(2999, 1, 1))
    assert client.get("/").context["school_count"] == 2


def test_a_director_of_a_closed_school_counts_no_open_school(client_for, school):
    _close(school)
    assert client_for(Role.SCHOOL_DIRECTOR).get("/").context["school_count"] == 0


def test_the_home_page_is_refused_to_no_one_logged_out(client):
    assert client.get("/").status_code == 302


# -- the data-quality page: people seconded to a closed school

QUALITY = reverse("registry:quality")


def _seconded(office, school, to, *, way="out", until=None, **fields):
    return make_person(office, school, secondment=way, secondment_school=to,
                       secondment_until=until, **fields)  # fmt: skip


def test_people_seconded_to_a_closed_school_are_named_with_what_to_do(
    client_for, office, school, other_school
):
    out = _seconded(office, school, other_school, first_name="ไปช่วย", last_name="ราชการ")
    came = _seconded(office, school, other_school, way="in", first_name="มาช่วย",
                     last_name="ราชการ")  # fmt: skip
    client = client_for(Role.OFFICE_ADMIN)
    assert "seconded-closed" not in client.get(QUALITY).content.decode()  # open: nothing to do
    _close(other_school, into=school)
    html = client.get(QUALITY).content.decode()
    assert "ช่วยราชการกับสถานศึกษาที่ปิดแล้ว 2 คน" in html
    assert "บันทึกวันที่สิ้นสุดการช่วยราชการ" in html
    for person in (out, came):
        assert reverse("registry:person_detail", args=[person.pk]) in html
    assert f"ไปช่วยราชการที่{other_school.name}" in html
    assert f"ยุบรวมกับ{school.name}" in html


def test_a_secondment_ended_before_the_closing_or_a_leaver_is_not_listed(
    client_for, office, school, other_school
):
    _seconded(office, school, other_school, until=CLOSED - dt.timedelta(days=1))
    _seconded(office, school, other_school, status="retired")
    _seconded(office, school, other_school, until=CLOSED, first_name="ถึงวันปิด")
    _close(other_school)
    html = client_for(Role.OFFICE_ADMIN).get(QUALITY).content.decode()
    assert "ช่วยราชการกับสถานศึกษาที่ปิดแล้ว 1 คน" in html and "ถึงวันปิด" in html


def test_an_inspector_is_told_how_many_without_names(client_for, office, school, other_school):
    _seconded(office, school, other_school, first_name="ไม่แสดงชื่อ")
    _close(other_school)
    html = client_for(Role.INSPECTOR).get(QUALITY).content.decode()
    assert "ช่วยราชการกับสถานศึกษาที่ปิดแล้ว 1 คน" in html and "ไม่แสดงชื่อ" not in html


@pytest.mark.parametrize("role", [Role.TEACHER])
def test_the_data_quality_page_stays_refused(client_for, role):
    assert client_for(role).get(QUALITY).status_code == 403


# -- the data-quality checks: a closed school left empty has no data to keep


def test_a_closed_school_left_empty_is_no_row_of_the_data_quality_page(
    client_for, office, school, other_school
):
    third = make_school(office, code="1076010003", name="โรงเรียนบ้านนา")
    make_person(office, third, first_name="ยังอยู่")
    _close(other_school, into=school)  # no one there
    _close(third, into=school)  # someone still there: their records are still kept
    report = client_for(Role.OFFICE_ADMIN).get(QUALITY).context["report"]
    assert {unit.school_id for unit in report.schools} == {school.pk, third.pk}


def test_the_home_page_counts_no_closed_school_short_of_pupil_numbers(
    client_for, office, school, other_school
):
    label = "โรงเรียนที่ไม่มีข้อมูลนักเรียนปีการศึกษาปัจจุบัน"

    def lines():
        response = client_for(Role.OFFICE_ADMIN).get("/")
        return {a.label: a.count for a in response.context["needs_action"]}

    assert lines()[label] == 2
    _close(other_school)
    assert lines()[label] == 1


def test_the_data_readiness_kpi_scores_no_closed_school_left_empty(office, school, other_school):
    from reporting.kpis import KpiData

    make_person(office, school)
    _close(other_school, into=school)
    assert set(KpiData(office, []).readiness) == {school.pk}
