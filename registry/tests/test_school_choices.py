"""School drop-downs tell namesakes apart (several "บ้านหนองบัว" in one office, told apart by
their OBEC code): picking one by its name alone filed a person, or gave an account, under
whichever of them the user guessed."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_school

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


@pytest.mark.parametrize(
    ("url", "fields"),
    [("registry:person_create", ["school", "secondment_school"]),
     ("accounts:user_create", ["school"]), ("accounts:school_accounts", ["school"])],
)  # fmt: skip
def test_the_school_drop_downs_name_namesakes_with_their_codes(
    client, users, office, school, other_school, url, fields
):
    make_school(office, code="1076010009", name=school.name)
    client.force_login(users[Role.OFFICE_ADMIN])
    html = client.get(reverse(url)).content.decode()
    for field in fields:
        options = _options(html, field)
        assert f"{school.name} (1076010001)" in options
        assert f"{school.name} (1076010009)" in options
        assert other_school.name in options and school.name not in options
