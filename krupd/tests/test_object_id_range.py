"""An object id in an address past what a database id holds is "not found", on every page.

``<int:pk>`` matches any run of digits. Django checks the range of a ``pk=`` lookup, not of a
lookup through a foreign key, so /career/pa/<31 digits>/evaluate/ (``agreement_id=pk``) was a
server error (SQLite: OverflowError). The sweep over every page is in
test_hostile_query_params."""

import pytest

from accounts.roles import Role
from krupd.lib.query_params import MAX_ID
from krupd.testing import *  # noqa: F403 (fixtures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.TEACHER])
@pytest.mark.parametrize("pk", [MAX_ID + 1, 10**30])
def test_an_id_past_the_range_is_a_thai_not_found_page(client_for, role, pk):
    client = client_for(role)
    for url in (
        f"/career/pa/{pk}/evaluate/",
        f"/career/pa/{pk}/pack/zip/1/",
        f"/career/pa/{pk}/pack/zip/1/download/",
        f"/career/pa/1/pack/zip/{pk}/",
        f"/registry/people/{pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


@pytest.mark.django_db
def test_the_largest_id_a_database_holds_still_reaches_the_view(client_for):
    response = client_for(Role.TEACHER).get(f"/career/pa/{MAX_ID}/evaluate/")
    assert response.status_code == 404  # the view's own answer: no such evaluation
