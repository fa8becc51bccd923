"""The office's data-quality page lists its schools worst first, a page at a time."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person, make_school

pytestmark = pytest.mark.django_db


def test_the_school_list_is_paged_worst_first_and_keeps_the_other_list_page(office, client_for):
    for i in range(60):
        school = make_school(office, code=f"10760191{i:02d}", name=f"โรงเรียนทดสอบ {i:02d}")
        make_person(office, school, phone="" if i % 3 else "0812345678")
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:quality")

    first = client.get(url)
    listed = list(first.context["schools_page"])
    assert len(listed) == 50
    assert first.context["report"].schools[:50] == listed  # worst first
    page = first.content.decode()
    assert "หน้า 1 จาก 2" in page and "&schools=2" in page

    # 61 schools in all: these 60 and the one the test users work at.
    second = client.get(url, {"schools": 2, "page": 1})
    assert list(second.context["schools_page"]) == second.context["report"].schools[50:]
    assert len(second.context["schools_page"]) == 11
    assert "page=1" in second.context["schools_query"]
