"""Suite-wide test machinery: environment, database switching, browser-test marking.

Only machinery lives here. App fixtures (users per role, schools, people …) belong in each
app's own ``<app>/tests/conftest.py`` so that a reader finds them next to the tests that use
them.

Environment. ``krupd/settings.py`` is driven by environment variables, but pytest-django
loads the settings (``DJANGO_SETTINGS_MODULE`` in pyproject.toml) *before* pytest imports
this file. So the test environment is applied twice:

* ``os.environ`` is set at import time, for every process started after this point:
  pytest-xdist workers, and subprocesses a test starts (``manage.py db_worker`` …), load
  the settings with it from the start;
* ``pytest_configure`` overrides the already-loaded settings of this process the supported
  way (``override_settings``, which sends ``setting_changed``: django-tasks rebuilds its
  backends on it).

Database switching. The suite runs on SQLite by default and on PostgreSQL when
``DATABASE_URL`` points at one (``.ci/run`` starts a throwaway server with
``scripts/pg-start.sh``). Tests that need PostgreSQL behaviour carry
``@pytest.mark.postgres_only`` and are skipped on SQLite; ``db_vendor`` tells a test which
engine it runs on.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"

# Tasks run inline in tests: no worker process, results visible at once.
os.environ.setdefault("TASKS_BACKEND", IMMEDIATE_TASKS)

# Uploads, generated documents and the like go to a throwaway directory, never to var/.
# The first process of a run creates it and removes it at exit; xdist workers inherit it.
if "KRUPD_TEST_VAR_DIR" not in os.environ:
    os.environ["KRUPD_TEST_VAR_DIR"] = tempfile.mkdtemp(prefix="krupd-test-var-")
    atexit.register(shutil.rmtree, os.environ["KRUPD_TEST_VAR_DIR"], ignore_errors=True)
# Each xdist worker writes in its own part of it: files named by a row's id (a batch's error
# file "1-…") were another worker's to replace or delete, both databases giving out the same
# ids, and a test's file vanished under it.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ["KRUPD_VAR_DIR"] = os.path.join(os.environ["KRUPD_TEST_VAR_DIR"], _worker)
os.environ.pop("MEDIA_ROOT", None)


def _hypothesis_profile() -> None:
    """Property tests never fail for being slow, and in CI they are reproducible.

    Two cores shared by two xdist workers make a 200 ms example deadline a coin toss, so the
    deadline is off everywhere. In CI the examples are derived from each test's name rather
    than drawn at random: a submission passes or fails on its code, not on the draw.
    Locally the draw stays random, so repeated runs keep exploring new input.
    """
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "krupd",
        deadline=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.load_profile("krupd")


_hypothesis_profile()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.test import override_settings

    if not settings.configured:
        return
    var_dir = Path(os.environ["KRUPD_VAR_DIR"])
    (var_dir / "media").mkdir(parents=True, exist_ok=True)
    override_settings(
        TASKS={"default": {"BACKEND": os.environ["TASKS_BACKEND"]}},
        VAR_DIR=var_dir,
        MEDIA_ROOT=var_dir / "media",
        # The real hasher costs ~0.5 s a password by design; a test suite creates hundreds.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        where = "sqlite, test database in memory"
    else:
        where = f"{db['ENGINE'].rsplit('.', 1)[-1]} on {db.get('HOST')}:{db.get('PORT')}"
    return [
        f"database: {where}",
        f"tasks: {settings.TASKS['default']['BACKEND']}; var dir: {settings.VAR_DIR}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests_browser/ is a browser test, marked or not; and
    ``postgres_only`` tests are skipped when the suite runs on SQLite."""
    from django.db import connection

    browser_dir = Path(__file__).parent / "tests_browser"
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL; .ci/run does)")
    for item in items:
        if browser_dir in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def db_vendor() -> str:
    """``"sqlite"`` or ``"postgresql"``: the engine this run's test database uses."""
    from django.db import connection

    return connection.vendor


@pytest.fixture(autouse=True)
def django_db_serialized_rollback() -> None:
    """Every transactional test (threads, live_server) gets serialized rollback.

    A transactional test ends by flushing the database, which would wipe the rows the data
    migrations load (learning areas, standings, staffing rules, KPI targets, award
    programmes…) for every test after it. With serialized rollback Django restores them
    instead, and skips re-creating content types, which would otherwise clash with the
    restored ones. pytest-django runs transactional tests last, so plain tests never see a
    flushed database. Overriding pytest-django's fixture of the same name turns it on for all.
    A test marked django_db(transaction=True) also says serialized_rollback=True in its mark:
    pytest-django decides whether to serialize the database when it creates it from the marks
    alone, so a run of only marked tests would otherwise have nothing to restore.
    """


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and on SQLite a file copy of it as migrations left it.

    The copy is taken before any test writes, so it holds exactly what ``migrate`` gives a
    fresh database (schema, data-migration rows, content types). Tests that start another
    process on an SQLite file of its own (``migrated_sqlite_copy``) begin from it instead of
    migrating again: a full ``migrate`` costs each process 30-50 s of CPU.
    """
    from django.db import connection

    _migrated_snapshot_path().unlink(missing_ok=True)  # none from an earlier run's database
    if connection.vendor == "sqlite":
        import sqlite3

        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(_migrated_snapshot_path())
            try:
                connection.connection.backup(target)
            finally:
                target.close()
    yield


def _migrated_snapshot_path() -> Path:
    return Path(os.environ["KRUPD_VAR_DIR"]) / "migrated.sqlite3"


@pytest.fixture
def migrated_sqlite_copy(django_db_setup):
    """``copy_to(path)``: writes the freshly migrated SQLite database to ``path`` and says
    True; False on PostgreSQL (no SQLite copy), where the caller migrates as before."""

    def copy_to(path: Path) -> bool:
        source = _migrated_snapshot_path()
        if not source.exists():
            return False
        shutil.copyfile(source, path)
        return True

    return copy_to


def _record_template_names_only(store, signal, sender, template, context, **kwargs):
    store.setdefault("templates", []).append(template)


@pytest.fixture
def no_template_contexts(monkeypatch):
    """The test client keeps the templates a response rendered, not a copy of each one's
    context (``response.context`` is None).

    Django's client copies the whole context at every template it sees rendered, each
    widget and each <option> of a form included: on a long form (a rating sheet, a rule
    table) that doubled the time to render the page. The tests that walk every page and
    form (they read status codes and the HTML, never a context) take this fixture.
    """
    import django.test.client

    monkeypatch.setattr(django.test.client, "store_rendered_templates", _record_template_names_only)
