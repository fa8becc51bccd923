"""A network's dashboard breaks its KPIs down by school: two schools of one name in the
network (several "บ้านหนองบัว" in one office, told apart by their OBEC code) are a row each,
named with their codes."""

import pytest

from accounts.roles import Role
from krupd.testing import make_school
from reporting import queries

pytestmark = pytest.mark.django_db


def test_the_network_breakdown_names_namesakes_by_their_codes(users, office, school, network):
    twin = make_school(office, code="1076010009", name=school.name, network=network)
    other = make_school(office, code="1076010010", name="โรงเรียนวัดใหม่", network=network)
    user = users[Role.DEVELOPMENT_OFFICER]
    board = queries.dashboard(user, fiscal_year=2569,
                              scope=queries.scope_for(user, network_id=network.pk))  # fmt: skip
    rows = {r.label: r.url for r in board.breakdown}
    assert rows == {
        f"{school.name} (1076010001)": f"/reports/?fy=2569&school={school.pk}",
        f"{school.name} (1076010009)": f"/reports/?fy=2569&school={twin.pk}",
        other.name: f"/reports/?fy=2569&school={other.pk}",
    }
