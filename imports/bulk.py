"""Bulk inserts and updates without model instances, for the import's hot paths.

`bulk_create` builds a model instance per row and compiles every value through the SQL
compiler; on SQLite it also splits inserts into ~40-row statements (999 parameters). For a
100,000-row import that overhead dominates. These helpers send one prepared statement with
`executemany` instead. Every concrete column of the model is written (missing values take
the field's default, `auto_now`/`auto_now_add` fields the current time), so a field another
app adds later is still filled in; text, numbers and None go as they are, dates, moments and
JSON straight to the backend's adapter, anything else through `get_db_prep_save`, so every
value is stored exactly as the ORM would store it.
No signals are sent and `save()` is not called: the same as `bulk_create`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from registry.audit import JsonText

BATCH = 2000
_PLAIN = (str, int, bool, type(None))
_JSON = (dict, list, str, int, float, bool)


def _json_text(value: Any, encoder) -> str:
    """A JSON value as the text SQLite stores (BaseDatabaseOperations.adapt_json_value)."""
    return json.dumps(value, cls=encoder)


def _preparer(field: models.Field, *, copy: bool = False) -> Callable[[Any], Any]:
    """How one column's values are made ready for the database, decided once per column (a
    per-value check of the field's class cost as much as the insert for small rows).

    The common Python types go straight to the backend's adapter, which is where the field's
    own preparation ends for them too; anything else takes the field's whole path. `copy`:
    for PostgreSQL's COPY (`_sender`), which reads every value as text."""
    ops = connection.ops

    def through_field(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    if isinstance(field, models.JSONField):
        encoder = field.encoder
        # COPY gets JSON as its text, which the jsonb column reads as the ORM's own value
        # would be stored: psycopg's Jsonb wrapper encoded each value again as the row went
        # out, an empty list or mapping included.
        adapt = _json_text if copy else ops.adapt_json_value
        # Most rows of a batch carry an empty list or mapping (no errors, no changes):
        # encoded once, not once per row.
        empty = {list: adapt([], encoder), dict: adapt({}, encoder)}

        def json_value(value: Any) -> Any:
            if value is None:
                return None
            if value.__class__ is JsonText:
                return value  # already the text json.dumps writes (registry.audit.JsonText)
            if not value and value.__class__ in empty:
                return empty[value.__class__]
            if isinstance(value, _JSON):
                return adapt(value, encoder)
            return through_field(value)

        return json_value
    if isinstance(field, models.DateTimeField):
        # A batch stamps thousands of rows with the same moment: adapted once, not per row.
        last: list[Any] = [None, None]

        def moment(value: Any) -> Any:
            if value is last[0] and value is not None:
                return last[1]
            if type(value) is dt.datetime and value.tzinfo is not None:
                last[0], last[1] = value, ops.adapt_datetimefield_value(value)
                return last[1]
            return value if value is None else through_field(value)

        return moment
    if isinstance(field, models.DecimalField):
        # Money on every new person: what the field's own path gives a finite Decimal (it
        # checks and copies it twice, then adapts it), without that path per value.
        places = field.max_digits, field.decimal_places

        def money(value: Any) -> Any:
            if type(value) is Decimal and value.is_finite():
                return ops.adapt_decimalfield_value(value, *places)
            return value if value is None else through_field(value)

        return money
    if isinstance(field, models.DateField):

        def day(value: Any) -> Any:
            if type(value) is dt.date:
                return ops.adapt_datefield_value(value)
            return value if value is None else through_field(value)

        return day

    def plain_or_through_field(value: Any) -> Any:
        return value if isinstance(value, _PLAIN) else through_field(value)

    return plain_or_through_field


_ABSENT = object()
_PLAIN_TYPES = frozenset(_PLAIN)


_NONE_TYPE = frozenset({type(None)})


def _as_is(field: models.Field) -> frozenset:
    """The exact types `_preparer` passes through unchanged for this field (None for all)."""
    if isinstance(field, (models.JSONField, models.DateField, models.DecimalField)):
        return _NONE_TYPE
    return _PLAIN_TYPES


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if f is not model._meta.pk]


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """INSERT one row per dict (keys: field attnames, e.g. "person_id"). Returns the count."""
    fields = _columns(model)
    now = timezone.now()
    static: dict[str, Any] = {}
    dynamic: list[models.Field] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            static[field.attname] = now
        elif field.has_default() and callable(field.default):
            dynamic.append(field)
        else:
            static[field.attname] = field.get_default()
    send = _sender(model, fields)
    copy = connection.vendor == "postgresql"  # as `_sender` sends the rows
    preparers = {f.attname: _preparer(f, copy=copy) for f in fields}
    # A value every row shares (a default, the batch's moment) is made ready once.
    ready = {name: preparers[name](value) for name, value in static.items()}
    # Per column: its name, its value when a row has none, how a value is made ready, and
    # the types that go as they are (text, numbers, None for most columns), tested inline:
    # a call per value was most of the time spent here.
    column_values = [
        (f.attname, ready.get(f.attname), preparers[f.attname], _as_is(f)) for f in fields
    ]
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            for field in dynamic:
                if field.attname not in row:
                    row[field.attname] = field.get_default()
            batch.append(
                [
                    default
                    if (value := row.get(name, _ABSENT)) is _ABSENT
                    else value
                    if value.__class__ in as_is
                    else prep(value)
                    for name, default, prep, as_is in column_values
                ]
            )
            if len(batch) >= BATCH:
                send(cursor, batch)
                count += len(batch)
                batch = []
        if batch:
            send(cursor, batch)
            count += len(batch)
    return count


def _sender(model: type[models.Model], fields: list[models.Field]) -> Callable[[Any, list], None]:
    """How a batch of prepared rows goes to the database: COPY on PostgreSQL (one statement
    for the batch, as the benchmark's floor loads rows; an INSERT per row, even pipelined,
    took twice as long), one prepared INSERT with executemany elsewhere."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {table} ({columns}) FROM STDIN"

        def copy_rows(cursor, batch: list) -> None:
            # Errors as Django's own (an IntegrityError sends a stale import back to validation).
            with connection.wrap_database_errors, cursor.copy(copy_sql) as copy:
                for values in batch:
                    copy.write_row(values)

        return copy_rows
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"

    def insert(cursor, batch: list) -> None:
        cursor.executemany(sql, batch)

    return insert


def update_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[tuple[int, Sequence[Any]]]
) -> None:
    """UPDATE the named fields of rows given as (pk, values in the order of `names`)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    preparers = [_preparer(f) for f in fields]
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for pk, values in rows:
            batch.append([*(prep(v) for prep, v in zip(preparers, values, strict=True)), pk])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
