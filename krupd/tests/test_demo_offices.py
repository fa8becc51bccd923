"""Every app's demo builds whole for any office it is given: a second office (users named
apart, other school codes) gets the same kinds of rows as the first, and building it leaves
the first office's rows alone."""

import pytest
from django.apps import apps

from accounts.models import User
from registry import demo
from registry.models import Office

from .test_access_matrix import office_path

pytestmark = pytest.mark.django_db(transaction=False)

# Rows every office's demo must have, app by app (the demos' main objects).
EXPECTED = {
    "planning.Round", "planning.Rating", "planning.IdPlan", "planning.Plan",
    "training.Course", "training.Enrolment", "training.Certificate",
    "community.PLCGroup", "community.PLCMeeting", "community.Partner", "community.AwardRound",
    "community.Nomination", "community.Visit",
    "career.PAAgreement", "career.DebtCase",
    "reporting.SarReport", "reporting.OnetResult",
}  # fmt: skip


def build_every_app(office: Office) -> None:
    from career.demo import build as career_demo
    from community.demo import build as community_demo
    from planning.demo import build as planning_demo
    from reporting.demo import build_reporting_demo
    from training.demo import build_training_demo

    planning_demo(office=office)
    build_training_demo(office=office)
    community_demo(office=office)
    career_demo(office=office)
    build_reporting_demo(office=office)


def rows_by_model(office: Office) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        path = office_path(model)
        if path is None or model._meta.app_label in ("accounts", "auth", "notifications"):
            continue
        lookup = "pk" if model is Office else path
        count = model.objects.filter(**{lookup: office.pk}).count()
        if count:
            counts[model._meta.label] = count
    return counts


def test_a_second_office_gets_the_full_demo_of_every_app():
    demo.build_demo(offices=2, schools=4, people=40)
    first_plan, second_plan = demo.plan_offices(offices=2, schools=4, people=40)
    first = Office.objects.get(code=first_plan.spec.code)
    second = Office.objects.get(code=second_plan.spec.code)
    demo.create_demo_users(office=first)
    build_every_app(first)
    before = rows_by_model(first)

    logins = demo.create_demo_users(office=second, prefix="b-")
    build_every_app(second)

    assert {login.username for login in logins} >= {"b-admin", "b-director", "b-teacher"}
    assert not User.objects.filter(office=second, username="admin").exists()
    assert User.objects.get(username="admin").office == first
    assert rows_by_model(first) == before  # the second office's demo took nothing from it
    built = rows_by_model(second)
    assert EXPECTED <= set(before), EXPECTED - set(before)
    assert set(built) == set(before), set(before) ^ set(built)
