import pytest
from django.core.management.base import CommandError

from accounts.roles import Role
from krupd.testing import make_office, make_user
from registry.demo import demo_office
from registry.management.app_demo import office_or_error

pytestmark = pytest.mark.django_db


def test_it_prefers_the_demo_admins_office():
    first = make_office(code="1001", name="เขตหนึ่ง")
    second = make_office(code="2002", name="เขตสอง")
    assert demo_office() == first
    make_user("admin", Role.OFFICE_ADMIN, second)
    assert demo_office() == second
    assert demo_office("1001") == first


def test_it_explains_a_missing_office_in_thai():
    with pytest.raises(CommandError, match="seed_demo"):
        office_or_error(None)
    make_office(code="1001", name="เขตหนึ่ง")
    with pytest.raises(CommandError):
        office_or_error("9999")
