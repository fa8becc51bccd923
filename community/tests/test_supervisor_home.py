"""The supervisor's home lists the visits she has booked and counts the appointments past
their day with no record; every count is the length of the list it links to."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from community.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


def _visit(office, school, visitor, *, days: int, status=VisitStatus.PLANNED, focus="อ่านออกเขียนได้"):
    return Visit.objects.create(
        office=office,
        school=school,
        kind="supervision",
        status=status,
        date=timezone.localdate() + dt.timedelta(days=days),
        visitor=visitor,
        visitor_name=visitor.username,
        focus=focus,
    )


@pytest.fixture
def visits(office, school, other_school, users):
    supervisor, officer = users[Role.SUPERVISOR], users[Role.DEVELOPMENT_OFFICER]
    return {
        "soon": _visit(office, school, supervisor, days=3, focus="การจัดการเรียนรู้เชิงรุก"),
        "later": _visit(office, other_school, supervisor, days=20, focus="การวัดผลตามสภาพจริง"),
        "overdue": _visit(office, school, supervisor, days=-4, focus="ค้างบันทึก"),
        "done": _visit(office, school, supervisor, days=-10, status=VisitStatus.DONE),
        "someone_else": _visit(office, school, officer, days=5, focus="ของเจ้าหน้าที่"),
    }


def test_supervisor_home_lists_own_visits_and_counts_match_the_lists(client_for, visits):
    client = client_for(Role.SUPERVISOR)
    home = client.get(reverse("home")).content.decode()
    assert "การนิเทศที่ท่านนัดไว้ 60 วันข้างหน้า" in home
    assert "การจัดการเรียนรู้เชิงรุก" in home and "การวัดผลตามสภาพจริง" in home
    assert "ของเจ้าหน้าที่" not in home  # another person's appointment
    assert "ดูการนิเทศของฉันทั้งหมด (2 รายการ)" in home
    assert "นัดนิเทศที่เลยวันแล้ว ยังไม่บันทึกผล" in home

    mine = client.get(reverse("community:visits") + "?show=mine")
    assert len(mine.context["upcoming"]) == 2
    to_record = client.get(reverse("community:visits") + "?show=to_record")
    assert [v.pk for v in to_record.context["page"]] == [visits["overdue"].pk]
    action = next(a for a in home_actions(client) if a.label.startswith("นัดนิเทศที่เลยวัน"))
    assert action.count == 1 == len(to_record.context["page"].object_list)


def home_actions(client):
    return client.get(reverse("home")).context["needs_action"]


def test_recording_the_overdue_visit_clears_the_line(client_for, visits):
    client = client_for(Role.SUPERVISOR)
    Visit.objects.filter(pk=visits["overdue"].pk).update(status=VisitStatus.DONE)
    assert not any(a.label.startswith("นัดนิเทศที่เลยวัน") for a in home_actions(client))


def test_a_teacher_sees_no_visit_calendar_nor_anyone_elses_appointments(client_for, visits):
    client = client_for(Role.TEACHER)
    assert "การนิเทศที่ท่านนัดไว้" not in client.get(reverse("home")).content.decode()
    page = client.get(reverse("community:visits") + "?show=to_record")
    assert page.status_code == 200
    assert list(page.context["page"]) == []  # only appointments she makes herself


def test_someone_without_an_account_in_the_office_is_sent_to_sign_in(client, visits):
    response = client.get(reverse("community:visits") + "?show=mine")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_pa_evaluations_waiting_for_the_supervisor_are_named_on_her_home(
    client_for, users, teacher_person
):
    from career.models import PAAgreement, PAEvaluation, PAStatus
    from career.queries import active_edition

    agreement = PAAgreement.objects.create(
        person=teacher_person, edition=active_edition(), fiscal_year=2570, status=PAStatus.APPROVED
    )
    PAEvaluation.objects.create(agreement=agreement, evaluator=users[Role.SUPERVISOR], seat=1)
    home = client_for(Role.SUPERVISOR).get(reverse("home")).content.decode()
    assert f"ประเมิน PA ของ {teacher_person.full_name} ปีงบประมาณ 2570" in home
    assert reverse("career:pa_evaluate", args=[agreement.pk]) in home
    officer_home = client_for(Role.DEVELOPMENT_OFFICER).get(reverse("home")).content.decode()
    assert "ประเมิน PA ของ" not in officer_home  # not appointed
