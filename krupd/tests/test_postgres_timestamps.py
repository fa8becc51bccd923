"""PostgreSQL timestamps read by psycopg's C loader (krupd.postgres_timestamps) are the values
Django's own loader gives, zone object included."""

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd import postgres_timestamps

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

TIMESTAMPTZ_OID = 1184

aware = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=7)),
                               dt.timezone(dt.timedelta(hours=-9, minutes=-30))]),
)  # fmt: skip


def _read(value: dt.datetime, *, djangos: bool) -> dt.datetime:
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        if djangos:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT %s::timestamptz", [value])
        return cursor.fetchone()[0]


def test_new_connections_read_timestamps_with_the_c_loader():
    connection.ensure_connection()
    from psycopg.pq import Format

    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert loader is postgres_timestamps.UtcTimestamptzLoader


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=aware)
def test_the_c_loader_reads_what_djangos_reads(value):
    ours, djangos = _read(value, djangos=False), _read(value, djangos=True)
    assert ours == djangos == value
    assert ours.tzinfo is djangos.tzinfo is dt.UTC


def test_orm_values_keep_their_instant_and_zone(django_user_model):
    user = django_user_model.objects.create(username="t", last_login=dt.datetime(
        2567 - 543, 2, 29, 23, 59, 59, 999_999, tzinfo=dt.timezone(dt.timedelta(hours=7))))  # fmt: skip
    read = django_user_model.objects.values_list("last_login", flat=True).get(pk=user.pk)
    assert read == dt.datetime(2024, 2, 29, 16, 59, 59, 999_999, tzinfo=dt.UTC)
    assert read.tzinfo is dt.UTC
