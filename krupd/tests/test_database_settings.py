"""The PostgreSQL connection settings every process gets (krupd/settings.py)."""

import pytest
from django.db import connection


def test_postgres_connections_do_not_jit_compile_unless_asked(monkeypatch):
    from krupd import settings

    monkeypatch.delenv("DB_JIT", raising=False)
    assert settings._postgres_options(60)["options"] == "-c jit=off"
    monkeypatch.setenv("DB_JIT", "true")
    assert "options" not in settings._postgres_options(60)


def test_a_urls_own_server_settings_are_kept_beside_ours(monkeypatch):
    from krupd import settings

    monkeypatch.delenv("DB_JIT", raising=False)
    database = {"OPTIONS": {"sslmode": "require", "options": "-c statement_timeout=30000"}}
    settings._add_postgres_options(database)
    assert database["OPTIONS"]["sslmode"] == "require"
    assert database["OPTIONS"]["options"] == "-c statement_timeout=30000 -c jit=off"
    assert database["OPTIONS"]["server_side_binding"] is True


@pytest.mark.django_db
def test_the_server_runs_the_apps_statements_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
