"""Satisfaction with a course is given once it has begun, whichever way it arrives: online,
typed from paper or imported (the last two were refused before the first day already)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from training import actions
from training.models import SurveyItem, SurveyResponse

pytestmark = pytest.mark.django_db


def test_the_survey_is_refused_before_the_first_day_of_the_session(
    client_for, users, office, session, teacher_person
):
    item = SurveyItem.objects.create(office=office, order=1, text="วิทยากรถ่ายทอดได้ชัดเจน")
    enrolment = actions.enrol(
        acting_user=users[Role.TEACHER], session=session, person=teacher_person
    )
    session.start_date = timezone.localdate() + dt.timedelta(days=7)
    session.end_date = session.start_date
    actions.save_session(acting_user=users[Role.DEVELOPMENT_OFFICER], session=session)
    client = client_for(Role.TEACHER)
    url = reverse("training:survey", args=[session.course_id])
    page = client.post(url, {f"item{item.pk}": "5", "comment": ""})
    assert "ก่อนวันแรกของรุ่นไม่ได้" in page.content.decode()
    assert not SurveyResponse.objects.filter(enrolment=enrolment).exists()
    session.start_date = session.end_date = timezone.localdate()
    actions.save_session(acting_user=users[Role.DEVELOPMENT_OFFICER], session=session)
    assert client.post(url, {f"item{item.pk}": "5", "comment": ""}).status_code == 302
    assert SurveyResponse.objects.filter(enrolment=enrolment).exists()
