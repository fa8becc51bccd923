"""The conditions a long import task runs under (the benchmark's floors use them too)."""

import gc

import pytest
from django.db import connection

from imports.actions import SQLITE_IMPORT_CACHE_KIB, import_conditions


def cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_it_collects_cycles_less_often_and_on_sqlite_caches_more_then_restores_both():
    threshold = gc.get_threshold()
    sqlite = connection.vendor == "sqlite"
    before = cache_size() if sqlite else None
    with import_conditions():
        assert gc.get_threshold()[0] > threshold[0]
        if sqlite:
            assert cache_size() == -SQLITE_IMPORT_CACHE_KIB
    assert gc.get_threshold() == threshold
    if sqlite:
        assert cache_size() == before
