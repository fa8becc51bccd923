"""The read replica for reports (krupd/db_router.py, docs/deploy.md §4).

The suite runs without a replica (as CI does: DATABASE_REPLICA_URL unset). These tests add a
``replica`` alias themselves, configured like the one settings.py makes (``TEST: {"MIRROR":
"default"}``), and install the router. For the tests that send real queries, the alias's
connection wrapper shares the test database's own connection, so it sees the rows the test
made inside its transaction, while CaptureQueriesContext still tells which alias each query
went through. (A second real connection would only see committed rows; a transactional test
would flush the database under the browser tests that run after it.)
"""

from __future__ import annotations

import copy
import runpy
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from krupd.db_router import REPLICA, ReportReplicaRouter, reads_from_replica, report_reads
from krupd.testing import make_office, make_school, make_user
from registry import quality_counts
from registry.models import AuditEntry, OfficeRules, School

ROUTER = "krupd.db_router.ReportReplicaRouter"
SETTINGS_FILE = Path(__file__).resolve().parents[1] / "settings.py"


@contextmanager
def _replica_alias():
    """A ``replica`` alias on the test database, and the router installed."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    alias = copy.deepcopy(primary)
    alias["TEST"] = {**alias.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = alias
    try:
        with override_settings(DATABASE_ROUTERS=[ROUTER]):
            yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica():
    with _replica_alias() as connection:
        yield connection


def _tables(queries) -> str:
    return "\n".join(q["sql"] for q in queries)


# ------------------------------------------------------------------------------- settings


def test_settings_add_the_replica_and_router_only_when_the_url_is_set(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    plain = runpy.run_path(str(SETTINGS_FILE))
    assert set(plain["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in plain

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://krupd_ro:pw@db-replica:5432/krupd")
    with_replica = runpy.run_path(str(SETTINGS_FILE))
    replica = with_replica["DATABASES"]["replica"]
    assert replica["HOST"] == "db-replica" and replica["USER"] == "krupd_ro"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert with_replica["DATABASE_ROUTERS"] == [ROUTER]


# ------------------------------------------------------------------------- the router alone


def test_reads_go_to_the_replica_only_inside_a_report_scope(replica):
    router = ReportReplicaRouter()
    assert router.db_for_read(School) == "default"
    with report_reads():
        assert router.db_for_read(School) == "replica"
        with report_reads():  # nested: still the same scope
            assert router.db_for_read(School) == "replica"
        assert router.db_for_read(School) == "replica"
    assert router.db_for_read(School) == "default"


def test_writes_always_go_to_the_primary(replica):
    router = ReportReplicaRouter()
    assert router.db_for_write(School) == "default"
    with report_reads():
        assert router.db_for_write(School) == "default"
        assert router.db_for_write(AuditEntry) == "default"


def test_without_a_replica_everything_reads_the_primary():
    router = ReportReplicaRouter()
    assert REPLICA not in connections
    with report_reads():
        assert router.db_for_read(School) == "default"
        assert router.db_for_write(School) == "default"


def test_sessions_and_the_task_queue_are_never_read_from_the_replica(replica):
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    router = ReportReplicaRouter()
    with report_reads():
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(DBTaskResult) == "default"


def test_relations_between_primary_and_replica_are_allowed_and_the_replica_never_migrated():
    router = ReportReplicaRouter()
    on_primary, on_replica, elsewhere = School(), School(), School()
    on_primary._state.db, on_replica._state.db, elsewhere._state.db = "default", "replica", "x"
    assert router.allow_relation(on_primary, on_replica) is True
    assert router.allow_relation(on_replica, on_primary) is True
    assert router.allow_relation(on_primary, elsewhere) is None
    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is None


def test_the_decorator_leaves_writing_methods_on_the_primary(replica, rf):
    seen = {}

    @reads_from_replica
    def view(request):
        seen[request.method] = ReportReplicaRouter().db_for_read(School)
        return None

    view(rf.get("/"))
    view(rf.head("/"))
    view(rf.post("/"))
    assert seen == {"GET": "replica", "HEAD": "replica", "POST": "default"}


# --------------------------------------------------------------------------- real queries


@pytest.fixture
def replica_db(db):
    """The replica alias on the test database's own connection (see the module docstring).
    Made after the test case is set up, so pytest-django leaves the alias alone."""
    with _replica_alias() as replica:
        primary = connections[DEFAULT_DB_ALIAS]
        primary.ensure_connection()
        replica.connection = primary.connection
        try:
            yield replica
        finally:
            replica.connection = None


def test_reads_inside_a_transaction_or_after_a_write_stay_on_the_primary(replica_db):
    office = make_office()
    router = ReportReplicaRouter()
    with report_reads():
        assert router.db_for_read(School) == "replica"
        with transaction.atomic():
            assert router.db_for_read(School) == "default"
        assert router.db_for_read(School) == "replica"
        with CaptureQueriesContext(replica_db) as on_replica:
            school = make_school(office, code="1076010001", name="โรงเรียนใหม่")
            # The row just written is read back from the primary, not a lagging copy.
            assert router.db_for_read(School) == "default"
            assert School.objects.get(pk=school.pk).name == "โรงเรียนใหม่"
    assert on_replica.captured_queries == []
    with report_reads():  # a new scope starts on the replica again
        assert router.db_for_read(School) == "replica"


def test_a_report_page_reads_from_the_replica_and_writes_nothing_there(replica_db, client):
    office = make_office()
    make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    OfficeRules.objects.create(office=office)
    # Its stored data-quality counts built (by the nightly command, or the first page).
    quality_counts.rebuild(office)
    client.force_login(make_user("admin1", Role.OFFICE_ADMIN, office))
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica_db) as on_replica,
    ):
        response = client.get(reverse("registry:quality"))
    assert response.status_code == 200
    assert "โรงเรียนบ้านหนองไผ่" in response.content.decode()
    report_sql = _tables(on_replica.captured_queries)
    assert '"registry_school"' in report_sql and '"registry_qualitycount"' in report_sql
    # Reads only (PostgreSQL reads large results through a server-side cursor: DECLARE … SELECT).
    reads = ("SELECT", "DECLARE")
    assert all(q["sql"].lstrip().upper().startswith(reads) for q in on_replica.captured_queries)
    # The primary only loaded the session and the user, before the view's scope began.
    assert '"registry_school"' not in _tables(on_primary.captured_queries)


def test_a_report_page_that_writes_reads_its_own_write_from_the_primary(replica_db, client):
    office = make_office()  # no OfficeRules yet: the page creates them with the defaults
    client.force_login(make_user("admin1", Role.OFFICE_ADMIN, office))
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(replica_db) as on_replica,
    ):
        response = client.get(reverse("registry:quality"))
    assert response.status_code == 200
    assert OfficeRules.objects.filter(office=office).exists()
    assert 'INSERT INTO "registry_officerules"' in _tables(on_primary.captured_queries)
    assert "INSERT" not in _tables(on_replica.captured_queries).upper()
    # Everything after the write was read from the primary.
    assert '"registry_school"' in _tables(on_primary.captured_queries)
    assert '"registry_school"' not in _tables(on_replica.captured_queries)


def test_a_report_post_or_an_ordinary_page_never_touches_the_replica(replica_db, client):
    office = make_office()
    OfficeRules.objects.create(office=office)
    client.force_login(make_user("admin1", Role.OFFICE_ADMIN, office))
    with CaptureQueriesContext(replica_db) as on_replica:
        assert client.get(reverse("registry:schools")).status_code == 200
        client.post(reverse("staffing:office"))
    assert on_replica.captured_queries == []


def test_the_heavy_report_views_read_from_the_replica():
    from registry import quality_views
    from reporting import views as reporting_views
    from staffing import views as staffing_views

    decorated = [
        reporting_views.dashboard,
        reporting_views.summaries_page,
        reporting_views.summary_export,
        staffing_views.office,
        staffing_views.schools,
        staffing_views.school,
        staffing_views.problems,
        staffing_views.export,
        staffing_views.out_of_field,
        staffing_views.retirements,
        staffing_views.transfers,
        quality_views.office_quality,
        quality_views.school_quality,
    ]
    missing = [v.__name__ for v in decorated if not _reads_from_replica(v)]
    assert missing == []
    # Pages that edit, or are read right after an edit, stay on the primary.
    for view in (reporting_views.targets, reporting_views.sar_detail, staffing_views.rule_set):
        assert not _reads_from_replica(view)


def _reads_from_replica(view) -> bool:
    while view is not None:
        if getattr(view, "reads_from_replica", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False
