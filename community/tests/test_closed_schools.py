"""A school closed or merged into another (ปิด/ยุบรวม) is offered to no new PLC group,
supervision visit or best practice; a record that already names it keeps it."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry import actions
from registry.queries import schools_offered

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(school, other_school):
    actions.close_school(acting_user=None, school=other_school, closed_on=dt.date(2020, 1, 1),
                         merged_into=school)  # fmt: skip
    return other_school


@pytest.mark.parametrize("name", ["community:plc_create", "community:visit_create"])
def test_new_records_are_not_offered_a_closed_school(name, client_for, school, closed):
    form = client_for(Role.SUPERVISOR).get(reverse(name)).context["form"]
    offered = list(form.fields["school"].queryset)
    assert school in offered and closed not in offered


def test_a_record_naming_a_closed_school_keeps_it(users, school, closed):
    user = users[Role.SUPERVISOR]
    assert closed not in schools_offered(user)
    assert closed in schools_offered(user, keep=closed.pk)
