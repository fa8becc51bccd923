"""An id posted by a form comes back from the browser as typed: a word, a negative or a huge
number, Thai digits. Every view reads it with ``query_params.object_id`` (0 matches no row),
so the answer is "not found", never a server error."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.roles import Role
from krupd.testing import (  # noqa: F401 - fixtures
    network,
    office,
    school,
    teacher_person,
    users,
)
from planning.models import Domain, Framework
from training.models import Course, Module

NOT_IDS = ["abc", "-1", "9" * 25, "1.5", "๑x", "' OR 1=1--"]


@pytest.fixture
def admin(users):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.OFFICE_ADMIN])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_IDS)
def test_a_posted_id_that_is_no_id_is_not_found(admin, office, value):  # noqa: F811
    framework = Framework.objects.create(office=office, code="K", version="1", name="กรอบ")
    domain = Domain.objects.create(framework=framework, code="D1", name="ด้านที่ 1")
    course = Course.objects.create(
        office=office, title="อบรม", mode="online", hours=Decimal(3), fiscal_year=2569
    )
    Module.objects.create(course=course, order=1, title="หน่วยที่ 1")

    answers = {
        "SAR edition": admin.post("/reporting/sar/", {"edition": value, "fy": "2569"}),
        "framework domain": admin.post(
            f"/planning/frameworks/{framework.pk}/domains/",
            {"id": value, "code": "D9", "name": "ด้านใหม่", "sort_order": "2"},
        ),
        "course lesson": admin.post(
            f"/training/courses/{course.pk}/modules/",
            {"add_lesson": "1", "module": value, "l-order": "1", "l-title": "บทที่ 1"},
        ),
    }

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 404)
    domain.refresh_from_db()
    assert domain.name == "ด้านที่ 1" and not Domain.objects.filter(code="D9").exists()
