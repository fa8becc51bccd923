"""The system administrator's pages for the levels above the office: every list answers,
the rows that are an audit trail cannot be edited there, and a round's front matter edited
there is audited like on the round page."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import format_thai_date
from krupd.testing import PASSWORD, make_office, make_user
from oversight.inspection_demo import build_inspection_round_demo
from oversight.models import (
    InspectionRound,
    OfficeSummary,
    Province,
    Region,
    RoundPointSummary,
    SummaryRefresh,
)
from registry.models import AuditEntry
from reporting.models import InspectionSubmission, InspectionVersion

ADMIN_MODELS = [Region, Province, InspectionRound, OfficeSummary, SummaryRefresh,
                InspectionSubmission, InspectionVersion]  # fmt: skip
# Rows written only by the product's actions: shown, never added, edited or deleted here.
READ_ONLY_MODELS = [OfficeSummary, SummaryRefresh, InspectionSubmission, InspectionVersion]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def demo_round(db):
    province = Province.objects.get(name="เพชรบุรี")
    province.region = Region.objects.get(number=1)
    province.save()
    for code in ("7601", "7602"):
        office = make_office(code=code, name=f"สพป.เพชรบุรี เขต {code[-1]}")
        make_user(f"officer{code}", Role.DEVELOPMENT_OFFICER, office)
    User.objects.create_user(
        "province1", password=PASSWORD, role=Role.PROVINCE_INSPECTOR, province=province
    )
    return build_inspection_round_demo(province)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password=PASSWORD)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_it_answers_every_list_for_a_superuser(client, superuser, demo_round, model):
    client.force_login(superuser)
    response = client.get(changelist(model))
    assert response.status_code == 200
    assert model._meta.verbose_name_plural in response.content.decode()


def test_lists_filter_and_search(client, superuser, demo_round):
    client.force_login(superuser)
    body = client.get(changelist(Province), {"region__isnull": "True", "q": "ตาก"}).content
    assert "ตาก" in body.decode()
    body = client.get(changelist(InspectionSubmission), {"status__exact": "returned"}).content
    assert "สพป.เพชรบุรี เขต 2" in body.decode() and "สพป.เพชรบุรี เขต 1" not in body.decode()
    body = client.get(changelist(InspectionRound), {"q": "เพชรบุรี"}).content.decode()
    assert demo_round.title in body


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda m: m.__name__)
def test_audit_trail_rows_are_read_only(client, superuser, demo_round, model):
    office = InspectionSubmission.objects.first().report.office
    OfficeSummary.objects.create(
        office=office, fiscal_year=demo_round.fiscal_year, computed_at="2026-12-01T00:00Z"
    )
    SummaryRefresh.objects.create(requested_by=superuser, fiscal_year=demo_round.fiscal_year)
    client.force_login(superuser)
    row = model.objects.first()
    page = client.get(change(row))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change(row), {}).status_code == 403
    meta = model._meta
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_a_round_edited_by_the_administrator_is_audited(client, superuser, demo_round):
    client.force_login(superuser)
    page = client.get(change(demo_round)).content.decode()
    assert format_thai_date(demo_round.created_at) in page  # dates in BE, as on every page
    assert RoundPointSummary.objects.get(round=demo_round).summary in page  # read-only inline
    data = {
        "title": "การตรวจราชการ รอบที่ 1 (แก้ไข)", "due_date": "31/03/2570",
        "foreword": "", "summaries-TOTAL_FORMS": "1", "summaries-INITIAL_FORMS": "1",
        "summaries-MIN_NUM_FORMS": "0", "summaries-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    assert client.post(change(demo_round), data).status_code == 302
    demo_round.refresh_from_db()
    assert demo_round.title == "การตรวจราชการ รอบที่ 1 (แก้ไข)"
    assert demo_round.due_date == dt.date(2027, 3, 31)  # written in BE, stored in CE
    entry = AuditEntry.objects.filter(object_type="inspectionround").latest("pk")
    assert entry.actor == superuser and "title" in entry.changes
    # Province, year and round number stay as opened; rounds are opened on the round page.
    assert demo_round.province.name == "เพชรบุรี"
    assert client.get(reverse("admin:oversight_inspectionround_add")).status_code == 403


def test_office_users_are_refused(client, demo_round):
    officer = User.objects.get(username="officer7601")
    client.force_login(officer)
    for model in ADMIN_MODELS:
        assert client.get(changelist(model)).status_code == 302  # to the sign-in page
