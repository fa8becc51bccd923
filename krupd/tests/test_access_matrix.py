"""The access matrix: every role × every page and API endpoint × objects of another office
or school must be refused (no IDOR), and no list, export or API list may show another
office's rows.

Everything is discovered, not listed by hand:

* pages come from the URL resolver (``get_resolver().url_patterns``, walked recursively);
* API endpoints come from the OpenAPI schema;
* a page's ``<int:…>`` argument is tied to a model by the app and the path segment in front
  of it (``OBJECT_MODELS``), and the model to its office by following foreign keys;
* the foreign office is a second full demo office of every app (``seed_demo`` and each app's
  demo builder), so every kind of object exists there; its names carry ``MARK``.

Beyond another office's ids in the address, the walk also tries, on every page it found:

* within one office, the director of one school and a teacher asking for rows that are
  another school's or another person's (another user's upload, export or notice);
* a parent's own id with a child of another parent (``/pa/<own>/pack/evidence/<other>/``);
* every form's choices (drop-downs, ticked lists, hidden ids) posted by hand with a row of
  another office: refused at the field, nothing written (each try rolled back);
* every query parameter a list page reads (found by watching it read them) set to an id of
  another office, or of another school for a director or teacher.

A new page with an object id fails ``test_every_object_page_is_classified`` until its segment
is added to ``OBJECT_MODELS`` (or, with a reason, to ``SKIP``). The foreign world is built
once for the module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.roles import ABOVE_OFFICE_ROLES, Role
from krupd.testing import (
    as_the_browser_sends,
    make_office,
    make_person,
    make_school,
    make_user,
    refresh_planner_statistics,
)
from oversight.models import Province, Region
from registry.models import LearningArea, Office
from reporting.reports import summaries

# Every page is walked for its status and HTML only (conftest.no_template_contexts).
pytestmark = pytest.mark.usefixtures("no_template_contexts")


MARK = "ZQXFOREIGN"  # ASCII, so it is found as-is in HTML, JSON, CSV and zipped XML
ANONYMOUS = "anonymous"
ROLES = [*Role.values, ANONYMOUS]
LOGIN_PATH = "/accounts/login/"

# (URL namespace, the literal path segment in front of the <int:…> argument) → model label.
OBJECT_MODELS = {
    ("accounts", "users"): "accounts.User",  # the office admin's account pages
    ("registry", "people"): "registry.Person",
    ("registry", "schools"): "registry.School",
    ("imports", "imports"): "imports.ImportBatch",
    ("imports", "files"): "imports.FileImport",  # a framework or O-NET workbook's import
    ("imports", "exports"): "imports.ListExport",  # a large list written by the worker
    ("imports", "sessions"): "training.Session",  # a session's scores and survey import
    ("imports", "rounds"): "planning.Round",  # a round's Google Forms self-assessment import
    ("staffing", "schools"): "registry.School",
    ("staffing", "rules"): "staffing.RuleSet",
    ("training", "courses"): "training.Course",
    ("training", "modules"): "training.Module",
    ("training", "sessions"): "training.Session",
    ("training", "enrolments"): "training.Enrolment",
    ("training", "days"): "training.SessionDay",
    ("training", "follow-ups"): "training.FollowUp",
    ("training", "certificates"): "training.Certificate",
    ("training", "batches"): "training.CertificateBatch",
    ("training", "people"): "registry.Person",
    ("training", "lessons"): "training.Lesson",
    ("training", "test"): "training.Module",  # courses/<course_pk>/test/<kind>/<module_pk>/
    ("planning", "frameworks"): "planning.Framework",
    ("planning", "items"): "planning.Competency",
    ("planning", "rounds"): "planning.Round",
    ("planning", "rate"): "registry.Person",
    ("planning", "strategy"): "planning.StrategicFrame",
    ("planning", "plans"): "planning.Plan",
    ("planning", "projects"): "planning.Project",
    ("planning", "id-plans"): "planning.IdPlan",
    ("community", "plc"): "community.PLCGroup",
    ("oversight", "offices"): "registry.Office",  # an office's summaries; its submission in a round
    ("community", "visits"): "community.Visit",
    ("community", "networks"): "registry.Network",
    ("community", "partners"): "community.Partner",
    ("community", "rounds"): "community.AwardRound",
    ("community", "nominations"): "community.Nomination",
    ("community", "practices"): "community.BestPractice",
    ("community", "evidence"): "community.PLCEvidence",
    ("community", "mous"): "community.MOU",
    ("career", "pa"): "career.PAAgreement",
    ("career", "requests"): "career.StandingRequest",
    ("career", "debt"): "registry.Person",
    ("career", "cases"): "career.DebtCase",
    ("career", "evidence"): "career.PAEvidence",
    ("career", "zip"): "career.PAPackExport",
    ("reporting", "sar"): "reporting.SarReport",
    ("reporting", "entries"): "reporting.SarEntry",
    ("reporting", "inspection"): "reporting.InspectionReport",
    ("reporting", "answers"): "reporting.FocusAnswer",
    ("reporting", "attachments"): "reporting.SarAttachment",
    ("reporting", "exports"): "reporting.SarExport",  # a large SAR's file written by the worker
    ("reporting", "national"): "reporting.OnetNationalMean",  # a national O-NET mean typed in
    ("oversight", "rounds"): "oversight.InspectionRound",  # a provincial inspection round
    ("notifications", "notifications"): "notifications.Notification",
    ("notifications", "webhook"): "registry.Office",  # LINE's webhook: refused unless signed
}
# API path parameters → model label.
API_PARAM_MODELS = {
    "person_id": "registry.Person",
    "school_id": "registry.School",
    "round_id": "planning.Round",
    "plan_id": "planning.Plan",
}

# Values for <str:…> arguments: one per page with an object id, every value for list pages.
STR_ARGS = {
    "registry:reference": [{"kind": k} for k in ("majors", "standings", "areas")],
    "imports:template": [{"kind": k} for k in ("schools", "personnel", "enrolment")],
    "imports:export": [{"kind": k} for k in ("schools", "personnel", "enrolment")],
    "staffing:export": [{"fmt": "xlsx"}, {"fmt": "docx"}],
    "training:checkin": [{"token": "not-a-token"}],
    "training:test": [{"kind": "pre"}],
    "training:module_test": [{"kind": "module"}],
    "planning:needs_export": [{"fmt": "xlsx"}],
    "planning:plan_transition": [{"to": "submitted"}],
    "planning:idp_decide": [{"to": "approved"}],
    "community:network_add": [{"kind": "goal"}],
    "community:partner_add": [{"kind": "mou"}],
    "career:pack_section": [{"section": "1"}],
    "reporting:sar_export": [{"fmt": "docx"}],
    "notifications:unsubscribe": [{"token": "not-a-token"}],
    "accounts:two_factor_setup_link": [{"token": "not-a-token"}],
    "reporting:summary_export": [
        {"kind": k.code, "fmt": fmt} for k in summaries.KINDS for fmt in ("xlsx", "docx")
    ],
}

# Left out on purpose, each with its reason. Keep this short.
SKIP = {
    # Public by design: anyone holding a certificate's code may verify it (QR on the paper).
    "training_verify",
    "api:verify",
    # Public by design: what outside verifiers of a signed credential fetch (the issuer's
    # profile and public keys, its revocation lists, the achievement); no personal data.
    # Tested by role in credentials/tests/test_credentials.py.
    "credentials:issuer",
    "credentials:jwks",
    "credentials:key",
    "credentials:status_list",
    "credentials:achievement",
    # Sign-in/out pages and the API's own documentation carry no office data. The second
    # sign-in step (a two-factor code) works on a session waiting for it, not on a login; the
    # two-factor set-up pages (accounts:two_factor*) stay in the list checks below and are
    # refused by role in accounts/tests/test_two_factor.py.
    "accounts:login",
    "accounts:login_code",
    "accounts:logout",
    "api:openapi-view",
    "api:api-root",
}


# ---------------------------------------------------------------------------------------------
# Discovery


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    namespace: str
    route: str  # the full pattern, e.g. "training/courses/<int:course_pk>/questions/"
    int_args: tuple[tuple[str, str], ...]  # (kwarg, model label) in path order
    str_args: tuple[str, ...]


_ARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), namespace, p.name


def discover_routes() -> tuple[list[Route], list[str]]:
    """All named pages outside Django's admin, and the object arguments no table explains."""
    routes, unknown = [], []
    for route, namespace, name in _walk(get_resolver().url_patterns):
        full = f"{namespace}:{name}" if namespace else name
        if namespace.startswith("admin") or namespace == "api":
            continue  # admin: Django's own staff check (no role user is staff); API: below
        app = namespace or name
        int_args, str_args = [], []
        segments = route.strip("/").split("/")
        for i, segment in enumerate(segments):
            for conv, kwarg in _ARG.findall(segment):
                if conv == "int":
                    literal = [s for s in segments[:i] if "<" not in s]
                    before = literal[-1] if literal else app
                    label = OBJECT_MODELS.get((app, before))
                    if label is None and full not in SKIP:
                        unknown.append(f"{full} ({route}: {kwarg})")
                    int_args.append((kwarg, label))
                else:
                    str_args.append(kwarg)
        routes.append(Route(full, app, route, tuple(int_args), tuple(str_args)))
    return routes, unknown


def api_gets() -> list[tuple[str, list[str]]]:
    from krupd.api import api

    schema = api.get_openapi_schema()
    out = []
    for path, ops in schema["paths"].items():
        if "get" in ops:
            params = [p["name"] for p in ops["get"].get("parameters", []) if p["in"] == "path"]
            out.append((path, params))
    return out


# Rows that reach their office only through a user (the walk below does not go through
# accounts): a notification belongs to its recipient's office.
# A PA evidence row belongs to its agreement's office (the shortest walk would go through
# the visit it may link to, which most rows do not have).
OFFICE_PATHS = {
    "notifications.Notification": "recipient__office",
    "imports.ListExport": "requested_by__office",
    "career.PAEvidence": "agreement__person__office",
}
# Rows above the office reach the foreign office through its province's name, not a key.
ABOVE_OFFICE_ROWS = {
    "oversight.InspectionRound": lambda office: {"province__name": office.province}
}


def foreign_rows(model, foreign: Office):
    if model._meta.label in ABOVE_OFFICE_ROWS:
        return model.objects.filter(**ABOVE_OFFICE_ROWS[model._meta.label](foreign))
    return model.objects.filter(**{office_path(model): foreign.pk})


def office_path(model) -> str | None:
    """The shortest foreign-key path from `model` to Office, e.g. "enrolment__course__office"."""
    if model is Office:
        return "pk"
    if model._meta.label in OFFICE_PATHS:
        return OFFICE_PATHS[model._meta.label]
    queue = deque([(model, "", 0)])
    while queue:
        current, path, depth = queue.popleft()
        if depth > 4:
            break
        fields = sorted(
            (f for f in current._meta.fields if f.is_relation and f.related_model),
            key=lambda f: f.null,  # required links first: they always lead somewhere
        )
        for field in fields:
            step = f"{path}__{field.name}" if path else field.name
            if field.related_model is Office:
                return step
            if field.related_model._meta.app_label not in ("accounts", "auth"):
                queue.append((field.related_model, step, depth + 1))
    return None


# ---------------------------------------------------------------------------------------------
# The world: a foreign demo office with everything, and our office with one user per role


def _build_foreign_office() -> Office:
    from career.demo import build as career_demo
    from community.demo import build as community_demo
    from imports.models import ImportBatch
    from planning.demo import build as planning_demo
    from registry import demo
    from reporting.demo import build_reporting_demo
    from training.demo import build_training_demo
    from training.models import Certificate, CertificateBatch, Course

    # The foreign office is the demo's *second* office, with users named apart: every app's
    # demo must build whole for any office, not only the first one with the demo usernames.
    demo.build_demo(offices=2, schools=4, people=28)
    first, second = demo.plan_offices(offices=2, schools=4, people=28)
    foreign = Office.objects.get(code=second.spec.code)
    assert foreign.code != first.spec.code
    demo.create_demo_users(office=foreign, prefix="foreign-")
    planning_demo(office=foreign)
    build_training_demo(office=foreign)
    # The first office gets plans and courses too: the rows another office's forms are posted
    # with by hand (test_forms_refuse_choices_from_another_office).
    neighbour = Office.objects.get(code=first.spec.code)
    demo.create_demo_users(office=neighbour, prefix="neighbour-")
    planning_demo(office=neighbour)
    build_training_demo(office=neighbour)
    community_demo(office=foreign)
    career_demo(office=foreign)
    build_reporting_demo(office=foreign)
    # What no demo makes: import batches and jobs, a large export, a certificate batch, an office's own
    # staffing rules.
    from staffing.actions import copy_rule_set
    from staffing.models import RuleSet

    national = RuleSet.objects.filter(office=None).order_by("pk").first()
    admin = User.objects.filter(office=foreign, role=Role.OFFICE_ADMIN).first()
    copy_rule_set(acting_user=admin, source=national, office=foreign, version=MARK)
    from imports.models import FileImport, ListExport

    ImportBatch.objects.create(
        office=foreign, kind="personnel", file="imports/x.xlsx", original_name=f"{MARK}.xlsx",
        uploaded_by=admin,
    )  # fmt: skip

    for kind in ("framework", "onet"):
        FileImport.objects.create(office=foreign, kind=kind, original_name=f"{MARK}.xlsx")
    ListExport.objects.create(
        requested_by=admin, kind="personnel", file_format="xlsx", status="done",
        file_name=f"{MARK}.xlsx",
    )  # fmt: skip
    from notifications.actions import notify

    notify(kind="import_finished", recipients=[admin], title=MARK, url="/")
    course = Course.objects.filter(office=foreign).first()
    CertificateBatch.objects.create(course=course, file_name=f"{MARK}.zip")
    from career.models import PAAgreement, PAEvidence, PAPackExport

    agreement = PAAgreement.objects.filter(person__office=foreign).first()
    PAEvidence.objects.create(agreement=agreement, kind="file", title=MARK, file="career/x.pdf")
    # Every agreement's pack has a piece of evidence: a teacher's own one too, whose children
    # test_a_child_id_under_a_parent_it_is_not_of_is_refused swaps for another's.
    for other in PAAgreement.objects.filter(person__office=foreign).exclude(pk=agreement.pk):
        PAEvidence.objects.create(agreement=other, kind="file", title=MARK, file="career/y.pdf")
    PAPackExport.objects.create(agreement=agreement, requested_by=admin, file_format="zip",
                                status="done", file_name=f"{MARK}.zip")  # fmt: skip
    from community.models import PLCEvidence, PLCMeeting
    from reporting.models import SarAttachment, SarEntry, SarExport

    meeting = PLCMeeting.objects.filter(group__office=foreign).first()
    PLCEvidence.objects.create(meeting=meeting, file="community/plc/x.pdf", label=MARK)
    entry = SarEntry.objects.filter(report__office=foreign).first()
    SarAttachment.objects.create(entry=entry, file="reporting/sar/x.pdf", label=MARK)
    SarExport.objects.create(report=entry.report, requested_by=admin, file_format="pdf",
                             status="done", file_name=f"{MARK}.pdf")  # fmt: skip
    assert Certificate.objects.filter(enrolment__course__office=foreign).exists()
    from oversight.inspection_demo import build_inspection_round_demo

    build_inspection_round_demo(Province.objects.get(name=foreign.province))
    _mark_names(foreign)
    return foreign


_MARKED_FIELDS = ("name", "title", "first_name", "last_name", "original_name", "topic")


def _mark_names(foreign: Office) -> None:
    """Every name-like text of the foreign office's rows carries MARK."""
    for model in apps.get_models():
        path = office_path(model)
        # Users carry their office's mark too (the account list must not show them); the
        # other sign-in tables have no names.
        if path is None or (model._meta.app_label in ("accounts", "auth") and model is not User):
            continue
        fields = [
            f.name
            for f in model._meta.fields
            if f.name in _MARKED_FIELDS
            and isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and (f.max_length or 100) >= len(MARK) + 8
        ]
        if not fields:
            continue
        rows = list(model.objects.filter(**{path: foreign.pk}))
        for row in rows:
            for name in fields:
                setattr(row, name, f"{MARK}{row.pk}")
        model.objects.bulk_update(rows, fields, batch_size=500)


@dataclass
class World:
    foreign: Office
    users: dict
    other_school: object
    other_person: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        foreign = _build_foreign_office()
        refresh_planner_statistics()
        office = make_office(code="9901", name="สพป.ทดสอบสิทธิ์ เขต 1")
        school = make_school(office, code="1099010001", name="โรงเรียนของผู้อำนวยการ")
        other_school = make_school(office, code="1099010002", name="โรงเรียนอื่นในเขตเดียวกัน")
        me = make_person(office, school, first_name="ครูผู้ใช้", last_name="ทดสอบ")
        me.areas_taught.set([LearningArea.objects.get(code="math")])
        other = make_person(office, other_school, first_name="ครูโรงเรียนอื่น", last_name="ทดสอบ")
        users = {
            Role.OFFICE_ADMIN: make_user("mx-admin", Role.OFFICE_ADMIN, office),
            Role.DEVELOPMENT_OFFICER: make_user("mx-officer", Role.DEVELOPMENT_OFFICER, office),
            Role.SUPERVISOR: make_user("mx-supervisor", Role.SUPERVISOR, office),
            Role.SCHOOL_DIRECTOR: make_user(
                "mx-director", Role.SCHOOL_DIRECTOR, office, school=school
            ),
            Role.TEACHER: make_user("mx-teacher", Role.TEACHER, office, person=me),
            Role.INSPECTOR: make_user("mx-inspector", Role.INSPECTOR, office),
            **_users_above_office(foreign),
        }
        yield World(foreign, users, other_school, other)
        transaction.set_rollback(True)


def _users_above_office(foreign: Office) -> dict:
    """Users of the levels above the office, each scoped so that the foreign office is in
    their scope: what they may see of it is aggregates on the oversight pages, and nothing on
    any office page (those are checked here like every other role)."""
    foreign_province = Province.objects.get(name=foreign.province)
    region = Region.objects.get(number=1)
    foreign_province.region = region
    foreign_province.save(update_fields=["region"])
    return {
        Role.PROVINCE_INSPECTOR: User.objects.create_user(
            "mx-province", role=Role.PROVINCE_INSPECTOR, province=foreign_province
        ),
        Role.REGION_INSPECTOR: User.objects.create_user(
            "mx-region", role=Role.REGION_INSPECTOR, region=region
        ),
        Role.OBEC_ANALYST: User.objects.create_user("mx-obec", role=Role.OBEC_ANALYST),
    }


def client_as(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def foreign_kwargs(route: Route, foreign: Office) -> dict | None:
    """Coherent ids of the foreign office for the route's int arguments (children first, so
    that /debt/<person>/cases/<case>/ gets the case's own person)."""
    kwargs: dict = {}
    picked: dict = {}
    for kwarg, label in reversed(route.int_args):
        model = apps.get_model(label)
        obj = None
        for child in picked.values():  # a later argument's row links to this one
            for f in child._meta.fields:
                if f.is_relation and f.related_model is model and getattr(child, f.attname):
                    obj = getattr(child, f.name)
                    break
            if obj is not None:
                break
        if obj is None:
            obj = foreign_rows(model, foreign).order_by("pk").first()
        if obj is None:
            return None
        picked[kwarg] = obj
        kwargs[kwarg] = obj.pk
    for values in STR_ARGS.get(route.name, [{}])[:1]:
        kwargs.update(values)
    return kwargs


def refused(response) -> bool:
    if response.status_code in (400, 401, 403, 404, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def body_text(response) -> str:
    """The response as text; zipped documents (xlsx, docx) are unpacked to their XML."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


ROUTES, UNKNOWN = discover_routes()
# Unclassified pages are reported by test_every_object_page_is_classified, not tried here.
OBJECT_ROUTES = [
    r for r in ROUTES if r.int_args and r.name not in SKIP and all(m for _, m in r.int_args)
]
LIST_ROUTES = [r for r in ROUTES if not r.int_args and r.name not in SKIP]


# ---------------------------------------------------------------------------------------------
# Tests


def test_every_object_page_is_classified():
    assert not UNKNOWN, "pages with an object id that OBJECT_MODELS does not explain: " + str(
        UNKNOWN
    )
    assert len(OBJECT_ROUTES) > 80, "the resolver walk found too few pages"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_objects_of_another_office_are_refused(world, role):
    client = client_as(world, role)
    missing, leaks = [], []
    for route in OBJECT_ROUTES:
        if role in ABOVE_OFFICE_ROLES and route.name.startswith("oversight:"):
            continue  # the foreign office is in their scope there: see oversight's own tests
        kwargs = foreign_kwargs(route, world.foreign)
        if kwargs is None:
            missing.append(route.name)
            continue
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            wrote = _tables_written(queries.captured_queries) - REFUSAL_TABLES
            if wrote or not refused(response):
                leaks.append(f"{method.upper()} {url} ({route.name}) → {response.status_code}"
                             f"{f', wrote {sorted(wrote)}' if wrote else ''}")  # fmt: skip
    assert not missing, f"no foreign object to try for: {missing}"
    assert not leaks, f"{role} reached another office's objects:\n" + "\n".join(leaks)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_people_and_schools_of_another_school_are_refused(world, role):
    """A director sees their own school only, a teacher only themselves."""
    client = client_as(world, role)
    ids = {"registry.Person": world.other_person.pk, "registry.School": world.other_school.pk}
    leaks, tried = [], 0
    for route in OBJECT_ROUTES:
        if not all(label in ids for _, label in route.int_args):
            continue
        kwargs = {kwarg: ids[label] for kwarg, label in route.int_args}
        for values in STR_ARGS.get(route.name, [{}])[:1]:
            kwargs.update(values)
        url = reverse(route.name, kwargs=kwargs)
        tried += 1
        for method in ("get", "post"):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            wrote = _tables_written(queries.captured_queries) - REFUSAL_TABLES
            if wrote or not refused(response):
                leaks.append(f"{method.upper()} {url} ({route.name}) → {response.status_code}"
                             f"{f', wrote {sorted(wrote)}' if wrote else ''}")  # fmt: skip
    assert tried >= 10
    assert not leaks, f"{role} reached another school's people or school:\n" + "\n".join(leaks)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_lists_and_exports_show_nothing_of_another_office(world, role):
    client = client_as(world, role)
    leaks, errors = [], []
    for route in LIST_ROUTES:
        if role in ABOVE_OFFICE_ROLES and route.name.startswith("oversight:"):
            continue  # the foreign office is in their scope there: see oversight's own tests
        for kwargs in STR_ARGS.get(route.name, [{}]):
            url = reverse(route.name, kwargs=kwargs or None)
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(f"GET {url} → {response.status_code}")
            elif response.status_code == 200 and MARK in body_text(response):
                leaks.append(f"GET {url} ({route.name})")
    assert not errors, errors
    assert not leaks, f"{role} sees another office's rows on:\n" + "\n".join(leaks)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_shows_nothing_of_another_office(world, role):
    client = client_as(world, role)
    leaks = []
    for path, params in api_gets():
        if any(f"{{{p}}}" in path for p in params if p not in API_PARAM_MODELS):
            continue  # only /certificates/{code}: public verification (SKIP above)
        url = path
        for param in params:
            model = apps.get_model(API_PARAM_MODELS[param])
            obj = model.objects.filter(**{office_path(model): world.foreign.pk}).first()
            url = url.replace(f"{{{param}}}", str(obj.pk))
        response = client.get(url)
        if params:
            if response.status_code not in (401, 403, 404):
                leaks.append(f"GET {url} → {response.status_code}")
        elif response.status_code >= 500 or MARK in response.content.decode():
            leaks.append(f"GET {url} → {response.status_code} with foreign rows")
        if role == ANONYMOUS and response.status_code != 401:
            leaks.append(f"GET {url} without login → {response.status_code}")
    assert not leaks, f"{role} via the API:\n" + "\n".join(leaks)


# ---------------------------------------------------------------------------------------------
# The read-only roles write nothing


READ_ONLY_ROLES = [Role.INSPECTOR, *sorted(ABOVE_OFFICE_ROLES)]
# Tables any request may write: the session and the user's last sign-in.
SIGN_IN_TABLES = {"django_session", "accounts_user"}
# What a read-only user's POST may still write, page by page, each with its reason: their own
# account and notices, and figures derived from what they read. Nothing of any office.
OWN_WRITES = {
    # A refused password change (the current password is wrong) is counted against the
    # account and audited, as a failed sign-in is.
    "accounts:password_change": {"accounts_loginfailure", "registry_auditentry"},
    "notifications:mark_all_read": {"notifications_notification"},  # their own notices
    "notifications:preferences": {"notifications_preference", "notifications_recipient"},
    "notifications:line_unlink": {"notifications_recipient", "registry_auditentry"},
    # Rebuild the comparison's aggregates (a job row of their own; the summaries it writes
    # are derived from the offices' data, which it only reads).
    "oversight:refresh": {"oversight_summaryrefresh"},
    # The staffing counts are built on the first read of a census day (a GET does the same).
    "staffing:office": {"staffing_staffcount", "staffing_staffcountsbuilt",
                        "staffing_staffvacancycount"},
}  # fmt: skip
# Rows that are the user's own (left out of the before/after comparison), by table: column.
OWN_ROWS = {
    "notifications_notification": "recipient",
    "notifications_preference": "user",
    "notifications_recipient": "user",
    "oversight_summaryrefresh": "requested_by",
}
DERIVED_TABLES = {"staffing_staffcount", "staffing_staffcountsbuilt", "staffing_staffvacancycount"}


def _fingerprint(user) -> dict[str, int]:
    """A hash of every row of every table (in primary-key order), by table, leaving out the
    user's own rows, derived counts and sign-in state."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if not model._meta.managed or model._meta.proxy or table in SIGN_IN_TABLES:
            continue
        if table in DERIVED_TABLES or table == "accounts_loginfailure":
            continue
        rows = model.objects.order_by("pk")
        if table in OWN_ROWS:
            rows = rows.exclude(**{OWN_ROWS[table]: user})
        if table == "registry_auditentry":
            rows = rows.exclude(actor=user)  # checked below: only what they read or were refused
        found[table] = hash(repr(list(rows.values_list())))
    return found


def _read_only_user(world: World, role: str) -> User:
    if role == Role.INSPECTOR:  # the foreign office's own inspector: its rows are in scope
        return User.objects.get(office=world.foreign, role=Role.INSPECTOR)
    return world.users[role]  # scoped above the foreign office's province


# A form-like body: a view that forgot the role check and reads a form gets fields to save
# (a text in every usual box, a decision, a status), not an empty form it merely refuses.
POSTED = {
    "name": "ชื่อทดสอบ", "title": "เรื่องทดสอบ", "note": "หมายเหตุ", "text": "ข้อความ",
    "decision": "approve", "status": "approved", "to": "approved", "level": "3",
    "comment": "ความเห็น", "score": "3", "hours": "3", "date": "15/03/2568",
}  # fmt: skip
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


def _tables_written(queries) -> set[str]:
    return {m.group(1) for q in queries if (m := _WRITE.match(q["sql"]))}


@pytest.mark.django_db
@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_write_nothing_through_any_post(world, role):
    """Every page, POSTed with a form-like body by each read-only role on rows within their
    own scope (the inspector's own office; the province, region and country users' province),
    writes no row of any office: no INSERT, UPDATE or DELETE outside OWN_WRITES, and every
    table but the user's own rows is as it was. Pages that only read may answer a POST as a
    GET; the audit entries the walk leaves are what they opened or were refused."""
    from registry.models import AuditAction, AuditEntry

    user = _read_only_user(world, role)
    client = Client()
    client.force_login(user)
    before = _fingerprint(user)
    audited_before = AuditEntry.objects.filter(actor=user).count()
    wrote, tried = [], 0
    for route in ROUTES:
        if route.name in SKIP:
            continue
        if route.int_args and not all(m for _, m in route.int_args):
            continue  # unclassified: test_every_object_page_is_classified reports it
        kwargs = foreign_kwargs(route, world.foreign) if route.int_args else {}
        if kwargs is None:
            continue
        for values in STR_ARGS.get(route.name, [{}])[:1]:
            kwargs.update(values)
        url = reverse(route.name, kwargs=kwargs or None)
        tried += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, POSTED)
        allowed = SIGN_IN_TABLES | OWN_WRITES.get(route.name, set())
        tables = _tables_written(queries.captured_queries) - allowed
        if tables:
            wrote.append(f"POST {url} ({route.name}) → {response.status_code}: {sorted(tables)}")
    changed = sorted(t for t, value in _fingerprint(user).items() if before.get(t) != value)
    trail = AuditEntry.objects.filter(actor=user).order_by("pk")[audited_before:]
    read_or_refused = {AuditAction.DENIED, AuditAction.VIEW_NATIONAL_ID, AuditAction.VIEW_DEBT,
                       AuditAction.VIEW_PA, AuditAction.VIEW_ASSESSMENT, AuditAction.EXPORT}  # fmt: skip
    odd_trail = [
        f"{e.action} {e.object_type}" for e in trail
        if e.action not in read_or_refused
        and not (e.object_type in ("user", "line_link") and e.object_id == str(user.pk))
    ]  # fmt: skip
    assert tried > 250, "the walk found too few pages"
    assert not wrote, f"{role}'s POSTs wrote rows:\n" + "\n".join(wrote)
    assert not changed, f"{role}'s POSTs changed rows of: {changed}"
    assert not odd_trail, f"{role}'s POSTs left audit entries of writes: {odd_trail}"


# ---------------------------------------------------------------------------------------------
# Within one office: a director of another school, a teacher who is not the owner
#
# The foreign office's own director and teacher (demo users of its first school) ask for rows
# of its other school and other people: every page whose object links to a school or a person
# (directly, or through its parents) must refuse them, as the cross-office walk does.


def _link_path(model, target) -> str | None:
    """The shortest foreign-key path from `model` to `target`, required links first, never
    through accounts (a row's author is not its owner) nor the office, or None."""
    if model is target:
        return "pk"
    queue = deque([(model, "", 0)])
    while queue:
        current, path, depth = queue.popleft()
        if depth > 3:
            break
        fields = sorted(
            (f for f in current._meta.fields if f.is_relation and f.related_model),
            key=lambda f: f.null,
        )
        for field in fields:
            step = f"{path}__{field.name}" if path else field.name
            if field.related_model is target:
                return step
            if field.related_model._meta.app_label not in ("accounts", "auth", "registry") or (
                field.related_model._meta.label in ("registry.Person", "registry.School")
            ):
                queue.append((field.related_model, step, depth + 1))
    return None


# Rows meant for everyone in their office, whoever's they are (each with its reason).
SHARED_IN_OFFICE = {
    "community.BestPractice": {"status": "published"},  # published to be shared office-wide
}


# Rows that are one user's own, by the field naming them: the office admin's upload, list
# export and notices are no one else's in the office.
USER_OWNED = {
    "imports.ImportBatch": "uploaded_by",
    "imports.ListExport": "requested_by",
    "notifications.Notification": "recipient",
}


def not_theirs(model, foreign: Office, user):
    """The foreign office's rows of `model` that are not the user's: of another school than
    the director's, of another person than the teacher's; rows that name them directly (a
    member, an attendee, a judge, their school) are left out. None: the rows belong to the
    whole office (a course, a plan), not to a school or a person."""
    from registry.models import Person, School

    rows = foreign_rows(model, foreign)
    if model._meta.label in USER_OWNED:
        owner = USER_OWNED[model._meta.label]
        return rows.exclude(**{owner: user}).exclude(**{f"{owner}__isnull": True})
    if model._meta.label in SHARED_IN_OFFICE:
        rows = rows.exclude(**SHARED_IN_OFFICE[model._meta.label])
    school_id = user.school_id or user.person.school_id
    for field in model._meta.get_fields():
        if not (field.many_to_many or field.many_to_one) or field.auto_created:
            continue
        if field.related_model is Person:
            rows = rows.exclude(**{field.name: user.person_id})
            if user.role == Role.SCHOOL_DIRECTOR:
                rows = rows.exclude(**{f"{field.name}__school": school_id})
        if field.related_model is School and user.role == Role.SCHOOL_DIRECTOR:
            rows = rows.exclude(**{field.name: school_id})
    person_path = _link_path(model, Person)
    if user.role == Role.TEACHER and person_path:
        path, value = person_path, user.person_id
    else:
        path = _link_path(model, School) or (person_path and f"{person_path}__school")
        value = school_id
    if path is None:
        return None
    return rows.exclude(**{path: value}).exclude(**{f"{path}__isnull": True})


def kwargs_for(route: Route, obj, foreign: Office) -> dict:
    """The route's arguments for `obj` (its last one), its parents taken from obj's links."""
    kwargs, picked = {route.int_args[-1][0]: obj.pk}, [obj]
    for kwarg, label in reversed(route.int_args[:-1]):
        model = apps.get_model(label)
        parent = next(
            (getattr(child, f.name) for child in picked for f in child._meta.fields
             if f.is_relation and f.related_model is model and getattr(child, f.attname)),
            None,
        ) or foreign_rows(model, foreign).order_by("pk").first()  # fmt: skip
        picked.append(parent)
        kwargs[kwarg] = parent.pk
    for values in STR_ARGS.get(route.name, [{}])[:1]:
        kwargs.update(values)
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_objects_of_another_school_or_person_in_the_office_are_refused(world, role):
    """Pages and API endpoints, GET and POST, with the id of a row of the user's own office
    that is another school's or another person's: refused, and nothing written."""
    user = User.objects.get(office=world.foreign, role=role)
    client = Client()
    client.force_login(user)
    leaks, tried = [], set()
    for route in OBJECT_ROUTES:
        rows = not_theirs(apps.get_model(route.int_args[-1][1]), world.foreign, user)
        obj = rows.order_by("pk").first() if rows is not None else None
        if obj is None:
            continue
        url = reverse(route.name, kwargs=kwargs_for(route, obj, world.foreign))
        tried.add(route.name)
        for method in ("get", "post"):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            wrote = _tables_written(queries.captured_queries) - REFUSAL_TABLES
            if wrote or not refused(response):
                leaks.append(f"{method.upper()} {url} ({route.name}) → {response.status_code}"
                             f"{f', wrote {sorted(wrote)}' if wrote else ''}")  # fmt: skip
    for path, params in api_gets():
        if not params or any(p not in API_PARAM_MODELS for p in params):
            continue
        url = path
        for param in params:
            rows = not_theirs(apps.get_model(API_PARAM_MODELS[param]), world.foreign, user)
            obj = rows.order_by("pk").first() if rows is not None else None
            if obj is None:
                break
            url = url.replace(f"{{{param}}}", str(obj.pk))
        else:
            tried.add(path)
            response = client.get(url)
            if response.status_code not in (401, 403, 404):
                leaks.append(f"GET {url} → {response.status_code}")
    # The walk must reach the kinds a school or a person owns: people, schools, enrolments,
    # certificates, ID plans, PA agreements and packs, debt, nominations, visits...
    assert len(tried) >= (45 if role == Role.TEACHER else 38), sorted(tried)
    assert not leaks, f"{role} reached another school's or person's objects:\n" + "\n".join(leaks)


def _ask(client, method: str, url: str):
    """GET, or POST when the page takes only POST; whatever it writes is undone."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        if method == "get" and response.status_code == 405:
            response = client.post(url)
        transaction.set_rollback(True)
    return response


NESTED_ROLES = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.TEACHER]


@pytest.mark.django_db
@pytest.mark.parametrize("role", NESTED_ROLES)
def test_a_child_id_under_a_parent_it_is_not_of_is_refused(world, role):
    """/parent/<id>/child/<id>/ that the user may open (their own PA pack's evidence, a
    session of theirs' day, their framework's item), asked again with a child of another
    parent (of another office where there is one): the page must load the child through the
    parent it was given, or whoever holds one parent reaches every other one's children."""
    from registry.models import Person

    user = User.objects.get(office=world.foreign, role=role)
    client = Client(raise_request_exception=False)  # a server error is a leak here too
    client.force_login(user)
    leaks, tried = [], []
    for route in OBJECT_ROUTES:
        if len(route.int_args) < 2 or route.name.startswith("oversight:"):
            continue  # oversight: an office in a round is no office's child (its own tests)
        (parent_kwarg, parent_label), (child_kwarg, child_label) = route.int_args[-2:]
        child_model, parent_model = apps.get_model(child_label), apps.get_model(parent_label)
        link = _link_path(child_model, parent_model)
        if link is None:
            continue  # /rounds/<round>/rate/<person>/: a person is no round's child
        # A child whose page this user may open: their own first, then the office's first.
        rows = foreign_rows(child_model, world.foreign).order_by("pk")
        person_path = _link_path(child_model, Person)
        own = rows.filter(**{person_path: user.person_id}) if person_path else rows.none()
        for candidate in [*own[:2], *rows[:4]]:
            kwargs = kwargs_for(route, candidate, world.foreign)
            if not refused(_ask(client, "get", reverse(route.name, kwargs=kwargs))):
                break
        else:
            continue
        others = child_model.objects.exclude(**{link: kwargs[parent_kwarg]})
        child = (
            others.exclude(**{office_path(child_model): world.foreign.pk}).order_by("pk").first()
            or others.order_by("pk").first()
        )
        if child is None:
            continue
        kwargs[child_kwarg] = child.pk
        url = reverse(route.name, kwargs=kwargs)
        tried.append(route.name)
        for method in ("get", "post"):
            response = _ask(client, method, url)
            if not refused(response) and response.status_code != 405:
                leaks.append(f"{method.upper()} {url} ({route.name}) → {response.status_code}")
    minimum = {Role.OFFICE_ADMIN: 8, Role.DEVELOPMENT_OFFICER: 6}.get(role, 2)
    assert len(tried) >= minimum, f"the walk reached too few children: {tried}"
    assert not leaks, f"{role}: a child reached through a parent it is not of:\n" + "\n".join(leaks)


# ---------------------------------------------------------------------------------------------
# Forms: a choice (a drop-down, a hidden id) posted by hand with another office's row


# The office-wide staff's forms are the office admin's, with the same choices: the admin
# stands for them; a director's and a teacher's choices are narrowed to their school, self.
FORM_ROLES = [Role.OFFICE_ADMIN, Role.SCHOOL_DIRECTOR, Role.TEACHER]
# What saving a form may write besides the office's rows: sign-in state and the audit trail.
REFUSAL_TABLES = SIGN_IN_TABLES | {"registry_auditentry", "accounts_loginfailure"}


def _forms_of(response) -> list:
    from django.forms import BaseForm
    from django.forms.formsets import BaseFormSet

    found, seen = [], set()
    for context in response.context or []:
        for layer in context.dicts if hasattr(context, "dicts") else [context]:
            for value in layer.values() if isinstance(layer, dict) else []:
                forms_ = (
                    [value]
                    if isinstance(value, BaseForm)
                    else (list(value.forms) if isinstance(value, BaseFormSet) else [])
                )
                for form in forms_:
                    if id(form) not in seen:
                        seen.add(id(form))
                        found.append(form)
    return found


def _outsider(field, foreign: Office):
    """A row of the field's model that belongs to another office than `foreign`."""
    model = field.queryset.model
    path = office_path(model)
    if path is None or model._meta.label in ABOVE_OFFICE_ROWS:
        return None
    rows = model.objects.exclude(**{path: foreign.pk}).exclude(**{f"{path}__isnull": True})
    return rows.order_by("pk").first()


def _browser_body(page: str, form, *, first: str) -> dict | None:
    """What the page's POST form that holds `form` sends untouched: found by the box `first`,
    else by any other box of the form (a list of unticked boxes sends nothing of its own)."""
    for key in [first, *(form.add_prefix(n) for n in form.fields)]:
        try:
            return as_the_browser_sends(page, having=key)
        except StopIteration:
            continue
    return None


def _is_row_id(form, name: str) -> bool:
    meta = getattr(form, "_meta", None)
    return bool(meta and meta.model and name == meta.model._meta.pk.name)


def _post_rolled_back(client, url, body, outsider):
    """The answer to a POST, the tables it wrote and whether `outsider` changed; then every
    write is undone, so the walk goes on over the same rows."""
    from django.forms.models import model_to_dict

    before = model_to_dict(outsider)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = client.post(url, body)
        after = type(outsider).objects.filter(pk=outsider.pk).first()
        changed = after is None or model_to_dict(after) != before
        transaction.set_rollback(True)
    return response, _tables_written(queries.captured_queries) - REFUSAL_TABLES, changed


@pytest.mark.django_db
@pytest.mark.parametrize("role", FORM_ROLES)
def test_forms_refuse_choices_from_another_office(world, role, monkeypatch):
    """Every form a user of an office sees, on every page, posted as the browser sends it but
    with one choice (a drop-down's value, a hidden id, a member ticked) naming a row of
    another office: refused, with a Thai message at that field, and nothing written."""
    monkeypatch.undo()  # this walk reads the forms from the page's context
    user = User.objects.get(office=world.foreign, role=role)
    client = Client()
    client.force_login(user)
    leaks, tried, done = [], [], set()
    for route in ROUTES:
        if route.name in SKIP or (route.int_args and not all(m for _, m in route.int_args)):
            continue
        kwargs = foreign_kwargs(route, world.foreign) if route.int_args else {}
        if kwargs is None:
            continue
        for values in STR_ARGS.get(route.name, [{}])[:1]:
            kwargs.update(values)
        url = reverse(route.name, kwargs=kwargs or None)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        page = response.content.decode()
        for form in _forms_of(response):
            for name, field in form.fields.items():
                if not hasattr(field, "queryset") or field.disabled:
                    continue
                outsider = _outsider(field, world.foreign)
                if outsider is None:
                    continue  # national reference data (standings, majors): every office's
                key = form.add_prefix(name)
                once = (route.name, re.sub(r"-\d+-", "-", key))
                if once in done:
                    continue  # one row of a formset stands for the others
                done.add(once)
                body = _browser_body(page, form, first=key)
                if body is None:
                    continue  # not in a POST form of the page (a filter, a picker's search)
                body[key] = (
                    [str(outsider.pk)]
                    if isinstance(body.get(key), list)
                    or (
                        field.widget.allow_multiple_selected
                        if hasattr(field.widget, "allow_multiple_selected")
                        else False
                    )
                    else str(outsider.pk)
                )
                tried.append(f"{route.name}:{key}")
                answer, wrote, changed = _post_rolled_back(client, url, body, outsider)
                if _is_row_id(form, name):
                    # A formset row's own id: Django looks it up in the formset's rows only,
                    # and a row it does not find is left out of the save. What matters is
                    # that the other office's row stays as it was.
                    if changed or outsider._meta.db_table in wrote:
                        leaks.append(
                            f"POST {url} ({route.name}) {key} changed "
                            f"{outsider._meta.label}:{outsider.pk}"
                        )
                    continue
                shown = answer.status_code == 200 and any(
                    f.prefix == form.prefix and (name in f.errors or f.non_field_errors())
                    for f in _forms_of(answer)
                )
                if changed or wrote or not (refused(answer) or shown):
                    leaks.append(
                        f"POST {url} ({route.name}) {key}={outsider._meta.label}:{outsider.pk}"
                        f" → {answer.status_code}, wrote {sorted(wrote)}"
                    )
    if role == Role.OFFICE_ADMIN:
        assert len(tried) > 40, f"the walk tried too few choices: {tried}"
    assert not leaks, f"{role}'s forms took another office's rows:\n" + "\n".join(leaks)


# ---------------------------------------------------------------------------------------------
# Query parameters: a list page asked for another office's (another school's) row by its id

# A query parameter a page reads → the model its id names.
PARAM_MODELS = {
    "school": "registry.School",
    "network": "registry.Network",
    "person": "registry.Person",
    "course": "training.Course",
    "session": "training.Session",
    "round": "planning.Round",
    "plan": "planning.Plan",
    "framework": "planning.Framework",
    "rules": "staffing.RuleSet",
    "id": None,  # the audit log's filter: an object id of any kind, matched within the office
}  # (province, region: the oversight pages' scope, for the roles above the office: their own tests)


def _reading_params(monkeypatch) -> set:
    """The names of the query parameters the pages read (from now on), gathered as they go."""
    from django.http import QueryDict

    read: set = set()
    for method in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, method)

        def spy(self, key, *args, _original=original, **kwargs):
            read.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, method, spy)
    return read


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role.values if r not in ABOVE_OFFICE_ROLES])
def test_query_parameters_naming_another_offices_rows_show_nothing_of_it(world, role, monkeypatch):
    """Every list page and API list, asked again with each id-like query parameter it reads
    set to another office's row (a director, a teacher: also their own office's other
    school or person): refused, or shows nothing of it."""
    client = client_as(world, role)
    read = _reading_params(monkeypatch)
    secrets = [MARK]
    if role in (Role.SCHOOL_DIRECTOR, Role.TEACHER):
        secrets += [world.other_school.name, world.other_person.first_name]
    pages = [(r.name, reverse(r.name, kwargs=kw or None))
             for r in LIST_ROUTES for kw in STR_ARGS.get(r.name, [{}])[:1]]  # fmt: skip
    pages += [(path, path) for path, params in api_gets() if not params]
    leaks, tried = [], []
    for name, url in pages:
        read.clear()
        if client.get(url).status_code != 200:
            continue
        for param in sorted(read & PARAM_MODELS.keys()):
            label = PARAM_MODELS[param]
            if label is None:
                continue
            row = foreign_rows(apps.get_model(label), world.foreign).order_by("pk").first()
            ids = [row.pk] if row else []
            if role in (Role.SCHOOL_DIRECTOR, Role.TEACHER):
                ids += {"registry.School": [world.other_school.pk],
                        "registry.Person": [world.other_person.pk]}.get(label, [])  # fmt: skip
            for pk in ids:
                tried.append(f"{name}?{param}")
                response = client.get(url, {param: pk})
                if response.status_code >= 500:
                    leaks.append(f"GET {url}?{param}={pk} → {response.status_code}")
                elif response.status_code == 200:
                    text = body_text(response)
                    leaks += [f"GET {url}?{param}={pk} ({name}) shows {secret}"
                              for secret in secrets if secret in text]  # fmt: skip
    if role == Role.OFFICE_ADMIN:
        assert len(tried) > 10, "too few pages read an id from their query"
    assert not leaks, f"{role} by a query parameter:\n" + "\n".join(leaks)
