"""A session across 1 October (28 Sep – 2 Oct) credited all its hours to the fiscal year of
its last day. Each attended day's hours now count in that day's fiscal year (1 Oct – 30 Sep,
named by the BE year it ends in), and every place that counts hours per fiscal year counts
them so: the result, the transcript (page and documents), "% developed", the KPI dashboard's
counts, PLC hours and the per-school summary tables with their nightly verify."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from community.queries import plc_total_hours_by_person
from reporting import developed
from reporting.kpis import KpiData
from training import actions, queries
from training.exports import transcript_xlsx
from training.models import Course, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def across(office, users, teacher_person):
    """A 5-day PLC-mode course of 30 hours, 28 Sep – 2 Oct 2025 (FY2568 | FY2569), attended
    every day by the teacher: 18 hours in FY2568, 12 in FY2569."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    course = Course.objects.create(
        office=office, title="ชุมชนการเรียนรู้ข้ามปีงบประมาณ", mode="plc", hours=D("30"),
        fiscal_year=2569, min_attendance_pct=80, test_days_after_end=3650,
    )  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(
            course=course, name="รุ่นที่ 1", start_date=dt.date(2025, 9, 28),
            end_date=dt.date(2025, 10, 2), capacity=5, hours_per_day=D("6"),
        ),
    )  # fmt: skip
    developed.rebuild(office)
    enrolment = actions.enrol(acting_user=officer, session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={enrolment.pk})
    enrolment.refresh_from_db()
    return enrolment


def test_each_attended_day_counts_in_its_own_fiscal_year(across, teacher_person, office, users):
    assert across.passed and across.hours_credited == D("30")
    assert (across.credit_fiscal_year, across.prior_year_hours) == (2569, D("18"))
    assert (across.hours_in(2568), across.hours_in(2569), across.hours_in(2570)) == (
        D("18"), D("12"), D("0"),
    )  # fmt: skip

    for fy, hours in ((2568, D("18")), (2569, D("12"))):
        t = queries.transcript(teacher_person, fiscal_year=fy, target=D("20"))
        assert t.total_hours == hours and [e.hours_in_year for e in t.enrolments] == [hours]
        assert plc_total_hours_by_person([teacher_person.pk], fiscal_year=fy) == {
            teacher_person.pk: hours
        }
        # 18 hours in FY2568 reach a 15-hour target; 12 in FY2569 do not (all 30 did).
        report = queries.developed_report(
            users[Role.OFFICE_ADMIN], fiscal_year=fy, min_hours=D("15")
        )
        assert report["total"][0].developed == (1 if fy == 2568 else 0)
        data = KpiData(office, [fy])
        assert [(r["credit_year"], r["hours"]) for r in data.passed_hours()] == [(fy, hours)]
        assert sum(data.counted_developed(D("15"))[0].values()) == (1 if fy == 2568 else 0)
        assert data.developed_counts(D("15")) == data.counted_developed(D("15"))

    # The per-school tables, kept as the attendance was taken, equal a recount; the nightly
    # command finds nothing to correct.
    assert developed.stored_counts(office.pk) == developed.counts_of_office(office.pk)
    assert developed.stored_person_hours(office.pk) == {
        (teacher_person.pk, 2568): D("18"),
        (teacher_person.pk, 2569): D("12"),
    }
    call_command("rebuild_developed_hours", "--verify", "--office", office.code)


def test_the_cap_of_the_course_hours_cuts_the_last_days(across, users):
    """Attended hours above the course's hours are not credited: the last days' go first."""
    course = across.course
    course.hours = D("20")
    actions.save_course(acting_user=users[Role.DEVELOPMENT_OFFICER], course=course)
    across.refresh_from_db()
    assert (across.hours_credited, across.prior_year_hours) == (D("20"), D("18"))
    assert (across.hours_in(2568), across.hours_in(2569)) == (D("18"), D("2"))


def test_the_transcript_page_and_documents_show_the_year_s_part(across, client_for, teacher_person):
    t = queries.transcript(teacher_person, fiscal_year=2568, target=D("20"))
    sheet = load_workbook(BytesIO(transcript_xlsx(t))).active
    (line,) = [r for r in sheet.iter_rows(values_only=True) if across.course.title in r]
    assert line[-1] == 18  # the hours counted in FY2568, of the 30 attended
    page = client_for(Role.TEACHER).get(
        reverse("training:transcript", args=[teacher_person.pk]) + "?fy=2568"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "จากทั้งรุ่น 30" in html


def test_the_migration_splits_results_stored_before_the_rule(across):
    """Results judged before the rule kept every hour in the last day's year: the migration
    gives the days before 1 October to the year before, as judging again would."""
    from importlib import import_module

    from django.apps import apps

    from training.models import Enrolment

    Enrolment.objects.filter(pk=across.pk).update(prior_year_hours=0)
    migration = import_module("training.migrations.0017_enrolment_prior_year_hours")
    migration.split_sessions_across_1_october(apps, None)
    across.refresh_from_db()
    assert across.prior_year_hours == D("18")
