"""The staffing list of schools shows a page of schools at a time, shortest first, with the
whole office's totals; its queries do not grow with the number of schools."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from staffing import summary as staff_counts

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db


def test_the_school_list_is_paged_and_keeps_the_office_totals(office, client_for):
    for i in range(55):
        school_with(office, f"10760192{i:02d}", students=40 + i, rooms=6,
                    teachers={"คณิตศาสตร์": i % 4})  # fmt: skip
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("staffing:schools")
    first = client.get(url, {"year": YEAR, "sort": "diff"})
    page = first.context["page"]
    assert len(page) == 50 and page.paginator.count == 56  # and the test users' own school
    diffs = [s.diff for s in page if s.diff is not None]
    assert diffs == sorted(diffs)  # shortest first
    html = first.content.decode()
    assert "หน้า 1 จาก 2" in html and "page=2" in html and "sort=diff" in html
    summary = first.context["s"]
    assert summary.schools_total == 56  # totals of every school, not the page's
    second = client.get(url, {"year": YEAR, "sort": "diff", "page": 2})
    assert len(second.context["page"]) == 6
    assert not {s.id for s in page} & {s.id for s in second.context["page"]}


def test_the_school_list_makes_the_same_queries_for_more_schools(office, client_for):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("staffing:schools")

    def queries_for_page() -> int:
        client.get(url, {"year": YEAR})  # the first visit stores the office's counts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"year": YEAR}).status_code == 200
        return len(captured)

    school_with(office, "1076019301", students=40, rooms=6, teachers={"คณิตศาสตร์": 2})
    few = queries_for_page()
    for i in range(20):
        school_with(office, f"10760194{i:02d}", students=40, rooms=6, teachers={"ภาษาไทย": 3})
    staff_counts.forget([office.pk])  # people written without the actions: counted afresh
    assert queries_for_page() == few


def test_the_school_list_is_refused_to_teachers(client_for):
    assert client_for(Role.TEACHER).get(reverse("staffing:schools")).status_code == 403


def test_the_retirement_and_out_of_field_tables_are_paged(office, client_for, monkeypatch):
    import datetime as dt

    from registry.models import LearningArea
    from staffing import views

    from .helpers import staff

    monkeypatch.setattr(views, "SCHOOLS_PER_PAGE", 1)
    for i in range(2):
        school = school_with(office, f"107601930{i}", students=40, rooms=6, teachers={})
        (teacher,) = staff(office, school, directors=0, teachers={"คณิตศาสตร์": 1},
                           birth_date=dt.date(YEAR - 543 - 59, 5, 1))  # fmt: skip
        teacher.areas_taught.set(LearningArea.objects.filter(code="arts"))
    client = client_for(Role.OFFICE_ADMIN)
    for name in ("staffing:retirements", "staffing:out_of_field"):
        pages = [client.get(reverse(name), {"year": YEAR, "schools_page": n}).content.decode()
                 for n in (1, 2)]  # fmt: skip
        assert "หน้า 1 จาก 2" in pages[0] and "หน้า 2 จาก 2" in pages[1], name
        for i in range(2):
            school = f"โรงเรียนทดสอบ 107601930{i}"
            assert sum(f">{school}</a>" in page for page in pages) == 1, name
