"""Querysets compiled once and run for many offices (or rule sets, snapshots...).

Building and compiling a queryset with nested conditions (the staffing analysis's census-day
service test holds two EXISTS subqueries, the vacancy query holds it twice) costs the ORM more
than the database's work for an office of a few thousand people: recounting every office
nationally spent over half its time in Django's query building. The SQL depends only on the
shape of the query, not on which office it is for, so it is compiled once with a stand-in
id, kept, and run with each office's id put where the stand-in stood.

The queryset is built by the same code as the uncompiled path (see `rows_for`), so there is
still one definition of each condition; only its SQL text is reused.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Count, Model, QuerySet
from django.db.models.query import ModelIterable

# The stand-in id: no table holds it (ids are positive) and no other parameter of these
# queries can equal it by chance. It fits a 32-bit integer column on PostgreSQL.
STAND_IN_ID = -2_000_000_011

# A few shapes per census day and role; the bound only guards against a caller keying by
# something unbounded.
MAX_KEPT = 256


def reading(model: type[Model]) -> str:
    """The database the ORM would read `model` from (the report replica inside its scope)."""
    return router.db_for_read(model) or DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the queryset can match no row (e.g. .none())
    params: tuple
    slots: tuple[int, ...]  # positions of the stand-in id in params
    convert: Callable[[list[tuple], Any], list[tuple]] | None  # (rows, connection)
    model: type[Model] | None = None  # for a queryset of model instances: their class
    attnames: tuple[str, ...] = ()  # and the fields the columns hold


_kept: dict[tuple, _Compiled] = {}


def _compile(queryset: QuerySet, using: str, *, with_id: bool) -> _Compiled:
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled(None, (), (), None)
    slots = tuple(i for i, p in enumerate(params) if type(p) is int and p == STAND_IN_ID)
    if with_id and not slots:
        raise ValueError("the queryset does not use the stand-in id")
    # The same value conversions the ORM applies to the rows (none for ids, text and counts).
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    # COUNT gives an integer on every backend: its converter would only call int() on it,
    # once per row (a thousand grouped rows an office).
    converters = {
        pos: conversion
        for pos, conversion in compiler.get_converters(fields).items()
        if not isinstance(fields[pos], Count)
    }
    convert = None
    if converters:
        # As SQLCompiler.apply_converters, with the connection of the thread running it.
        def convert(rows: list[tuple], connection) -> list[tuple]:
            out = []
            for row in rows:
                row = list(row)
                for pos, (functions, expression) in converters.items():
                    value = row[pos]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[pos] = value
                out.append(tuple(row))
            return out

    model, attnames = None, ()
    if queryset._iterable_class is ModelIterable:
        # Model instances: only the model's own columns (no select_related, no annotations).
        info = compiler.klass_info
        if info.get("related_klass_infos") or len(compiler.select) != len(info["select_fields"]):
            raise ValueError("only plain querysets of one model can be compiled")
        model = info["model"]
        attnames = tuple(compiler.select[i][0].target.attname for i in info["select_fields"])
    return _Compiled(sql, tuple(params), slots, convert, model, attnames)


def _run(key: Hashable, build: Callable[[int], QuerySet], id_: int | None,
         using: str) -> tuple[_Compiled, list[tuple]]:  # fmt: skip
    kept_key = (using, key)
    compiled = _kept.get(kept_key)
    if compiled is None:
        compiled = _compile(build(STAND_IN_ID), using, with_id=id_ is not None)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[kept_key] = compiled
    if compiled.sql is None:
        return compiled, []
    params: list[Any] = list(compiled.params)
    for i in compiled.slots:
        params[i] = id_
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    return compiled, compiled.convert(rows, connection) if compiled.convert else rows


def rows_for(
    key: Hashable, build: Callable[[int], QuerySet], id_: int | None, *, using: str = "default"
) -> list[tuple]:
    """The rows of `build(id_)` (a values_list queryset), as tuples.

    `build` is called once per `key` (and database) with the stand-in id, and must give the
    same SQL for every id: `key` names everything else the queryset depends on (dates,
    options, the role whose scope it reads). `id_` None: the query has no varying parameter
    (build ignores its argument)."""
    return _run(key, build, id_, using)[1]


def objects_for(
    key: Hashable, build: Callable[[int], QuerySet], id_: int | None, *, using: str = "default"
) -> list[Model]:
    """Like rows_for, for a plain queryset of model instances (no select_related)."""
    compiled, rows = _run(key, build, id_, using)
    if compiled.sql is None:
        return []
    if compiled.model is None:
        raise ValueError("objects_for needs a queryset of model instances; rows_for reads rows")
    return [compiled.model.from_db(using, compiled.attnames, row) for row in rows]
