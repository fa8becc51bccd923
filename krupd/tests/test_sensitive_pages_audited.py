"""Every page that shows someone's sensitive data (a full national ID, debt figures, PA scores,
competency ratings) writes an audit row naming who looked (PDPA). The pages are listed here;
a new form or template that shows a full national ID fails the guard below until its page is
added to the list."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client

from accounts.models import User
from krupd.testing import refresh_planner_statistics
from registry.models import AuditAction, AuditEntry, Office, Person

# Every page is walked for its status and HTML only (conftest.no_template_contexts).
pytestmark = pytest.mark.usefixtures("no_template_contexts")


@dataclass(frozen=True)
class World:
    office: Office
    ids: dict[str, int]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from career.demo import build as career_demo
    from career.models import DebtCase, PAAgreement, PAEvaluation, PAStatus
    from planning.demo import build as planning_demo
    from planning.models import Round
    from registry import demo

    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.build_demo(schools=2, people=14)
        office = Office.objects.get(code=summary.demo_office_code)
        demo.create_demo_users(office=office)
        planning_demo(office=office)
        career_demo(office=office)
        refresh_planner_statistics()
        users = {u.username: u for u in User.objects.filter(office=office)}
        director, teacher = users["director"], users["teacher"]
        case = DebtCase.objects.filter(person__office=office).exclude(person=teacher.person)[0]
        agreement = PAAgreement.objects.filter(person__office=office).exclude(
            person=teacher.person
        )[0]
        # An evaluator still to score (a complete committee's result is locked: its evaluate
        # page sends the evaluator back to the agreement).
        evaluation = PAEvaluation.objects.filter(
            agreement__status=PAStatus.APPROVED,
            agreement__person__office=office,
            submitted_at__isnull=True,
        ).select_related("evaluator")[0]
        rated = (
            Person.objects.filter(school=director.school, personnel_type="teacher")
            .exclude(pk=director.person_id)
            .first()
        )
        ids = {
            "batch": _batch_with_rejected_rows(users["officer"]).pk,
            "person": case.person_id,
            "case": case.pk,
            "agreement": agreement.pk,
            "evaluated": evaluation.agreement_id,
            "round": Round.objects.filter(office=office).order_by("-pk")[0].pk,
            "rated": rated.pk,
        }
        yield World(office, ids | {"evaluator": evaluation.evaluator_id})
        transaction.set_rollback(True)


def _batch_with_rejected_rows(officer):
    """A personnel file whose one row is rejected (a national ID with a wrong check digit)."""
    from imports.actions import start_import
    from imports.tests.conftest import upload_file, xlsx_bytes
    from imports.tests.test_personnel import HEADER, person_row

    school = officer.office.schools.order_by("pk")[0]
    row = person_row(1, **{"เลขประจำตัวประชาชน": "1234567890123", "รหัสสถานศึกษา": school.obec_code})
    batch = start_import(
        acting_user=officer,
        kind="personnel",
        uploaded_file=upload_file("personnel.xlsx", xlsx_bytes([HEADER, row])),
    )
    batch.refresh_from_db()
    assert batch.count_error == 1, batch.error_message
    return batch


# (who, method, url, the audit action the page must write)
SENSITIVE_PAGES = [
    # A full national ID: the reveal button, the edit form (its field holds the whole ID) and
    # the personnel export with full IDs.
    ("officer", "post", "/registry/people/{person}/national-id/", AuditAction.VIEW_NATIONAL_ID),
    ("officer", "get", "/registry/people/{person}/edit/", AuditAction.VIEW_NATIONAL_ID),
    ("director", "get", "/registry/people/{rated}/edit/", AuditAction.VIEW_NATIONAL_ID),
    ("officer", "get", "/imports/export/personnel/", AuditAction.EXPORT),
    ("officer", "get", "/imports/export/personnel/?format=csv", AuditAction.EXPORT),
    # The rejected rows of an import, as the uploader sent them (national IDs included).
    ("officer", "get", "/imports/{batch}/errors.xlsx", AuditAction.EXPORT),
    # Debt figures.
    ("admin", "get", "/career/debt/", AuditAction.VIEW_DEBT),
    ("admin", "get", "/career/debt/{person}/", AuditAction.VIEW_DEBT),
    ("admin", "get", "/career/debt/{person}/edit/", AuditAction.VIEW_DEBT),
    ("admin", "get", "/career/debt/{person}/cases/new/", AuditAction.VIEW_DEBT),
    ("admin", "get", "/career/debt/{person}/cases/{case}/", AuditAction.VIEW_DEBT),
    ("teacher", "get", "/career/debt/mine/", AuditAction.VIEW_DEBT),
    # Someone else's PA scores.
    ("admin", "get", "/career/pa/{agreement}/", AuditAction.VIEW_PA),
    ("admin", "get", "/career/pa/{agreement}/export/", AuditAction.VIEW_PA),
    ("admin", "get", "/career/pa/status/", AuditAction.VIEW_PA),
    ("admin", "get", "/career/pa/status/?format=xlsx", AuditAction.VIEW_PA),
    ("{evaluator}", "get", "/career/pa/{evaluated}/evaluate/", AuditAction.VIEW_PA),
    # Competency ratings of a member of staff.
    ("director", "get", "/planning/rounds/{round}/rate/{rated}/", AuditAction.VIEW_ASSESSMENT),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "method", "url", "action"), SENSITIVE_PAGES)
def test_every_page_showing_sensitive_data_audits_the_view(world, who, method, url, action):
    if who == "{evaluator}":
        user = User.objects.get(pk=world.ids["evaluator"])
    else:
        user = User.objects.get(username=who, office=world.office)
    client = Client()
    client.force_login(user)
    before = AuditEntry.objects.filter(actor=user, action=action).count()
    response = getattr(client, method)(url.format(**world.ids))
    assert response.status_code == 200, (url, response.status_code)
    assert AuditEntry.objects.filter(actor=user, action=action).count() > before, url


def test_no_other_form_or_template_shows_a_full_national_id():
    """The pages above are all that show a whole national ID: the only form with the field is
    the person form (its edit page is listed), the only template printing it unmasked is the
    reveal answer. Anything new fails here until its page writes an audit row and is listed."""
    forms_with_id = set()
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in vars(module).items():
            if isinstance(form, type) and "national_id" in getattr(form, "base_fields", {}):
                forms_with_id.add(f"{form.__module__}.{name}")
    assert forms_with_id == {"registry.forms.PersonForm"}

    unmasked = re.compile(r"national_id(?!_masked)(?!\w)(?!\|national_id_masked)")
    printing = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for tag in re.findall(r"{{[^}]*}}", template.read_text()):
            if unmasked.search(tag) and "mask" not in tag:
                printing.add(template.relative_to(Path(settings.BASE_DIR, "templates")).as_posix())
    assert printing == {"registry/_national_id.html"}
