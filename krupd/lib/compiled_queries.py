"""Querysets compiled once and run for many offices (or rule sets, snapshots...).

Building and compiling a queryset with nested conditions (the staffing analysis's census-day
service test holds two EXISTS subqueries, the vacancy query holds it twice) costs the ORM more
than the database's work for an office of a few thousand people: recounting every office
nationally spent over half its time in Django's query building. The SQL depends only on the
shape of the query, not on which office it is for, so it is compiled once with a stand-in
id, kept, and run with each office's id put where the stand-in stood.

The queryset is built by the same code as the uncompiled path (see `rows_for`), so there is
still one definition of each condition; only its SQL text is reused.

`plain_rows` runs a queryset's SQL once, compiled afresh (for a query whose SQL changes each
time, e.g. with a list of ids): what it shares with the kept queries is how rows are read,
without the ORM's conversions that would not change a value (`_changes_values`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    IntegerField,
    Model,
    QuerySet,
    Value,
    signals,
)
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, ValuesListIterable

# The stand-in id: no table holds it (ids are positive) and no other parameter of these
# queries can equal it by chance. It fits a 32-bit integer column on PostgreSQL.
STAND_IN_ID = -2_000_000_011
# A query that varies by several ids (a session and the user's office) gets one stand-in each.
STAND_IN_IDS = (
    STAND_IN_ID, -2_000_000_017, -2_000_000_029, -2_000_000_041, -2_000_000_053,
    -2_000_000_059,
)  # fmt: skip
# A query may also vary by a day (today, the end of a window) or an instant (now less the
# office's freshness limit): no record is dated in the year 1111, so these cannot be mistaken
# for a real value, and a day or instant *computed* from one inside the query's builder
# (a stand-in plus 60 days), which would be kept in the SQL as a constant, is recognised by
# its year and refused (`_derived_from_stand_in`).
STAND_IN_YEAR = 1111
# ... or by a text (a searched word): characters of Unicode's private use area, which no
# typed text holds. A text compared whole is put in its place as it is; within a LIKE
# pattern (contains, startswith, endswith and their i- forms: the stand-in with % around
# it) it is escaped as the ORM escapes it. Not for iexact (SQLite compares it by LIKE with
# no % around it: the text would not be escaped).
STAND_IN_TEXT_MARK = "\ue000kept"
STAND_IN_TEXTS = tuple(f"{STAND_IN_TEXT_MARK}{n}\ue001" for n in range(1, 7))
STAND_IN_DAYS = tuple(dt.date(STAND_IN_YEAR, 1, day) for day in (11, 17, 23, 29))
STAND_IN_INSTANTS = tuple(
    dt.datetime(STAND_IN_YEAR, 2, 3, 4, 5, second, 789012, tzinfo=dt.UTC)
    for second in (11, 17, 23, 29)
)
# ... or by a list of ids filtered "in" (rows_for_ids: a page's courses, a roster's
# enrolments): its SQL holds one parameter per id, so it is kept per length, the list padded
# to the next of KEPT_LIST_LENGTHS by repeating its last id (which an IN list ignores). Each
# place gets a stand-in of its own, below every other stand-in id; ids past the longest length
# are read by the ORM.
KEPT_LIST_LENGTHS = (2, 4, 8, 16, 32, 64, 128, 256, 512)
STAND_IN_LIST = tuple(-2_000_100_000 - n for n in range(KEPT_LIST_LENGTHS[-1]))

# A few shapes per census day and role; the bound only guards against a caller keying by
# something unbounded.
MAX_KEPT = 256


def reading(model: type[Model]) -> str:
    """The database the ORM would read `model` from (the report replica inside its scope)."""
    return router.db_for_read(model) or DEFAULT_DB_ALIAS


@dataclass(frozen=True)
class _Shape:
    """Where one model's instance is in a row of a queryset of instances, and (for a model
    joined by select_related) how it hangs on its parent: as Django's RelatedPopulator."""

    model: type[Model]
    attnames: tuple[str, ...]
    start: int
    end: int
    pk_index: int  # within start:end; a LEFT JOIN that found nothing leaves it None
    local_setter: Callable | None = None
    remote_setter: Callable | None = None
    children: tuple[_Shape, ...] = ()

    def build(self, using: str, row: tuple) -> Model | None:
        values = row[self.start : self.end]
        if values[self.pk_index] is None:
            return None
        instance = _from_db(self.model, using, self.attnames, values)
        for child in self.children:
            related = child.build(using, row)
            child.local_setter(instance, related)
            if related is not None:
                child.remote_setter(related, instance)
        return instance


def _from_db(model: type[Model], using: str, attnames: tuple[str, ...], values) -> Model:
    """`model.from_db(using, attnames, values)`, without its __init__ when nothing listens for
    it: a page of fifty people, each with the school, office, standing, major and learning area
    joined to them, is 300 instances, and Model.__init__ walks every field of each (a person has
    over forty) to leave the deferred ones unset. The instance is the same: the loaded values
    in its __dict__, the rest deferred (read on first use), its state "from this database"."""
    # Any init receiver at all (none is connected in this project; has_listeners per model
    # cost as much as the building it would spare), or a from_db of the model's own: the ORM's.
    if (
        signals.pre_init.receivers
        or signals.post_init.receivers
        or model.from_db.__func__ is not Model.from_db.__func__
    ):
        return model.from_db(using, attnames, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = using
    return instance


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the queryset can match no row (e.g. .none())
    params: tuple
    # (position in params, which argument, how it is prepared) of each stand-in
    slots: tuple[tuple[int, int, str], ...]
    convert: Callable[[list[tuple], Any], list[tuple]] | None  # (rows, connection)
    shape: _Shape | None = None  # for a queryset of model instances: how to build them
    # ... and its annotations: (attribute, column) set on each instance, as the ORM sets them
    annotations: tuple[tuple[str, int], ...] = ()


_kept: dict[tuple, _Compiled] = {}


def _gives_int(expression) -> bool:
    """Whether both databases (SQLite, PostgreSQL) and their drivers give `expression`'s
    values as Python int (or None) already: a COUNT, a whole number written in the SQL, and
    a CASE choosing only between those, each typed as an integer (a whole number given as a
    decimal is converted to Decimal). Not SUM (PostgreSQL's sum of bigints is a numeric,
    read as Decimal), nor anything else: for those the ORM's conversion is kept."""
    if isinstance(expression, Count):
        return True
    if isinstance(expression, Value) and expression.value is None:
        return True  # NULL, of whatever type
    if not isinstance(expression, Value | Case):
        return False
    if not isinstance(expression.output_field, IntegerField):
        return False
    if isinstance(expression, Value):
        return type(expression.value) is int
    outcomes = [when.result for when in expression.cases] + [expression.default]
    return all(_gives_int(outcome) for outcome in outcomes)


def _changes_values(expression, functions: list[Callable]) -> list[Callable]:
    """Of the ORM's conversions of `expression`'s column, those that can change a value.

    The one left out is an integer expression's own int() (BaseExpression.convert_value) of
    values the driver already gives as int (`_gives_int`): a call per row and column that
    returns its argument, 43,000 of them for the retirements of a 100,000-person office.
    Plain columns (ids, text, integers) have no conversion on SQLite or PostgreSQL at all;
    dates, decimals and booleans keep theirs."""
    if _gives_int(expression):
        return [function for function in functions if function != expression.convert_value]
    return functions


def _converter(compiler) -> Callable[[list[tuple], Any], list[tuple]] | None:
    """A function converting fetched rows as the ORM would (SQLCompiler.apply_converters, with
    the connection of the thread running it), less what `_changes_values` leaves out; None
    when nothing is left. Call after compiling (as_sql)."""
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = {}
    for pos, (functions, expression) in compiler.get_converters(fields).items():
        if kept := _changes_values(expression, functions):
            converters[pos] = (kept, expression)
    if not converters:
        return None

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

    return convert


def _sql(compiler) -> tuple[str, list] | None:
    """The compiled SQL and parameters; None when the query can match no row (e.g. .none(), or
    a filter "in" an empty list: the ORM then runs nothing either)."""
    try:
        return compiler.as_sql()
    except EmptyResultSet:
        return None


def _compile(queryset: QuerySet, using: str, *, stand_ins: tuple) -> _Compiled:
    compiler = queryset.query.get_compiler(using=using)
    compiled = _sql(compiler)
    if compiled is None:
        return _Compiled(None, (), (), None)
    sql, params = compiled
    slots = _slots(params, stand_ins, connections[using])
    used = {(n, kind) for _, n, kind in slots if kind.startswith("item:")}
    if {n for _, n, _ in slots} != set(range(len(stand_ins))) or any(
        type(stand_in) is list and len(stand_in) != sum(m == n for m, _ in used)
        for n, stand_in in enumerate(stand_ins)
    ):
        raise ValueError("the queryset does not use every stand-in")
    shape, annotations = None, ()
    if queryset._iterable_class is ModelIterable:
        # Model instances, with the models select_related joins and the annotations.
        shape, columns = _shape(compiler, compiler.klass_info)
        annotations = tuple(compiler.annotation_col_map.items())
        if columns + len(annotations) != len(compiler.select):
            raise ValueError("only querysets of models and their joined models can be compiled")
    return _Compiled(sql, tuple(params), slots, _converter(compiler), shape, annotations)


# How the ORM hands a day or an instant to the database (a string on SQLite, the value
# itself on PostgreSQL): what is put in a stand-in's place is prepared the same way.
# (One field of each kind, made once: a field's constructor runs on every call otherwise.)
_PREPARE = {
    "day": DateField().get_db_prep_value,
    "instant": DateTimeField().get_db_prep_value,
}


def _kind(value) -> str:
    if type(value) is list:
        return f"ids:{len(value)}"
    if isinstance(value, dt.datetime):
        return "instant"
    if isinstance(value, dt.date):
        return "day"
    if type(value) is int:
        return "id"
    if type(value) is str:
        return "text"
    raise TypeError(
        f"a kept query varies by ids, lists of ids, days, instants and texts, not {type(value)}"
    )


def _stand_ins_for(args: tuple) -> tuple:
    """A stand-in for each argument, of its kind, the first of each kind first."""
    pools = {
        "id": iter(STAND_IN_IDS),
        "day": iter(STAND_IN_DAYS),
        "instant": iter(STAND_IN_INSTANTS),
        "text": iter(STAND_IN_TEXTS),
    }
    if sum(type(arg) is list for arg in args) > 1:
        raise ValueError("a kept query varies by one list of ids at most")
    try:
        return tuple(
            list(STAND_IN_LIST[: len(arg)]) if type(arg) is list else next(pools[_kind(arg)])
            for arg in args
        )
    except StopIteration:
        raise ValueError("too many arguments of one kind") from None


def _slots(params, stand_ins: tuple, connection) -> tuple[tuple[int, int, str], ...]:
    prepared, texts = {}, {}
    for n, stand_in in enumerate(stand_ins):
        kind = _kind(stand_in)
        if type(stand_in) is list:  # each place of the list: "item:<its index>"
            for place, item in enumerate(stand_in):
                prepared[(int, item)] = (n, f"item:{place}")
            continue
        value = stand_in if kind in ("id", "text") else _PREPARE[kind](stand_in, connection)
        prepared[(type(value), value)] = (n, kind)
        if kind == "text":
            texts[stand_in] = n
    slots = []
    for i, param in enumerate(params):
        found = prepared.get(_plain_key(param)) if _hashable(param) else None
        if found is not None:
            slots.append((i, *found))
        elif isinstance(param, str) and STAND_IN_TEXT_MARK in param:
            slots.append((i, *_pattern_slot(param, texts)))
        elif _derived_from_stand_in(param):
            raise ValueError(
                "a day or time computed from a stand-in would be kept in the SQL: "
                "pass it to the builder as an argument of its own"
            )
    return tuple(slots)


def _plain_key(param) -> tuple:
    """(type, value) of a parameter, an integer as int: on PostgreSQL Django hands an integer
    compared with an expression (an annotation) to psycopg typed (Int4, an int subclass), so
    the database knows its type; it is the same stand-in id all the same."""
    if isinstance(param, int) and not isinstance(param, bool):
        return int, int(param)
    return type(param), param


def _pattern_slot(param: str, texts: dict[str, int]) -> tuple[int, str]:
    """(which argument, how to put it) for a LIKE pattern made of one text stand-in with %
    before and/or after it: "pattern:<before>|<after>"."""
    for stand_in, n in texts.items():
        before, found, after = param.partition(stand_in)
        if found and {before, after} <= {"", "%"} and (before or after):
            return n, f"pattern:{before}|{after}"
    raise ValueError(f"a text stand-in used in a way that cannot be kept: {param!r}")


def _put(kind: str, value, connection):
    """An argument as it goes in its stand-in's place."""
    if kind in ("id", "text"):
        return value
    if kind.startswith("item:"):
        return value[int(kind.removeprefix("item:"))]
    if kind.startswith("pattern:"):
        before, after = kind.removeprefix("pattern:").split("|")
        return f"{before}{connection.ops.prep_for_like_query(value)}{after}"
    return _PREPARE[kind](value, connection)


def _hashable(param) -> bool:
    try:
        hash(param)
    except TypeError:
        return False
    return True


def _derived_from_stand_in(param) -> bool:
    """A day or instant (or its text, on SQLite) in the stand-ins' year that is not one of
    them: the builder computed it from a stand-in."""
    if isinstance(param, dt.date):
        return param.year == STAND_IN_YEAR
    return isinstance(param, str) and param.startswith(f"{STAND_IN_YEAR}-")


def _shape(compiler, info: dict) -> tuple[_Shape, int]:
    """The shape of `info`'s model and of those joined to it; and how many columns they take."""
    fields = info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    if info.get("from_parent") or list(fields) != list(range(start, end)):
        raise ValueError("a model's columns must be contiguous (no multi-table inheritance)")
    attnames = tuple(compiler.select[i][0].target.attname for i in range(start, end))
    model = info["model"]
    children, columns = [], end - start
    for related in info.get("related_klass_infos") or []:
        child, child_columns = _shape(compiler, related)
        children.append(child)
        columns += child_columns
    shape = _Shape(
        model=model,
        attnames=attnames,
        start=start,
        end=end,
        pk_index=attnames.index(model._meta.pk.attname),
        local_setter=info.get("local_setter"),
        remote_setter=info.get("remote_setter"),
        children=tuple(children),
    )
    return shape, columns


# What a kept query varies by: one argument, a tuple of them (ids, texts, days, instants), or
# nothing (None).
Arg = int | str | dt.date | dt.datetime
Ids = Arg | tuple[Arg, ...] | None


def _run(key: Hashable, build: Callable[..., QuerySet], id_: Ids, using: str,
         *, counted: bool = False, window: tuple[int, int] | None = None,
         ) -> tuple[_Compiled, list[tuple]]:  # fmt: skip
    """Run the kept SQL of `build`; `counted`: how many rows it has instead (its rows are
    counted by the database, the query as a subquery: DISTINCT and joins count as they
    select); `window` (limit, offset): only those rows, the same SQL for every page."""
    args = id_ if isinstance(id_, tuple) else () if id_ is None else (id_,)
    kept_key = (using, key, tuple(_kind(arg) for arg in args), counted, window is not None)
    compiled = _kept.get(kept_key)
    if compiled is None:
        stand_ins = _stand_ins_for(args)
        queryset = build(*stand_ins) if args else build(STAND_IN_ID)
        if counted:
            queryset = queryset.order_by().values_list("pk")
        compiled = _compile(queryset, using, stand_ins=stand_ins)
        if compiled.sql is not None and counted:
            sql = f"SELECT COUNT(*) FROM ({compiled.sql}) kept_rows"
            compiled = _Compiled(sql, compiled.params, compiled.slots, None)
        elif compiled.sql is not None and window:
            compiled = replace(compiled, sql=f"{compiled.sql} LIMIT %s OFFSET %s")
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[kept_key] = compiled
    if compiled.sql is None:
        return compiled, [(0,)] if counted else []
    connection = connections[using]
    params: list[Any] = list(compiled.params)
    for i, n, kind in compiled.slots:
        value = _put(kind, args[n], connection)
        typed = type(compiled.params[i])  # an id typed for psycopg (Int4) stays so typed
        wrapped = typed is not int and issubclass(typed, int) and type(value) is int
        params[i] = typed(value) if wrapped else value
    if window:
        params.extend(window)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    return compiled, compiled.convert(rows, connection) if compiled.convert else rows


def rows_for(
    key: Hashable, build: Callable[..., QuerySet], id_: Ids, *, using: str = "default"
) -> list[tuple]:
    """The rows of `build(id_)` (a values_list queryset), as tuples.

    `build` is called once per `key` (and database) with the stand-in id, and must give the
    same SQL for every id: `key` names everything else the queryset depends on (options, the
    role whose scope it reads). `id_` None: the query has no varying parameter (build ignores
    its argument). A tuple: `build(*id_)`, each argument a stand-in of its own: ids and texts
    (at most six of each), days (dt.date) and instants (dt.datetime; four of each); a day or
    instant is put in its place prepared as the ORM prepares it for a date or date-time
    column, a text as STAND_IN_TEXTS says."""
    return _run(key, build, id_, using)[1]


def objects_for(
    key: Hashable,
    build: Callable[..., QuerySet],
    id_: Ids,
    *,
    using: str = "default",
    window: tuple[int, int] | None = None,
) -> list[Model]:
    """Like rows_for, for a queryset of model instances, with the models it select_related
    joined on them and its annotations set on them (as the ORM would; no prefetch).
    `window` (limit, offset): only those of them."""
    compiled, rows = _run(key, build, id_, using, window=window)
    if compiled.sql is None:
        return []
    if compiled.shape is None:
        raise ValueError("objects_for needs a queryset of model instances; rows_for reads rows")
    found = [compiled.shape.build(using, row) for row in rows]
    for name, column in compiled.annotations:
        for instance, row in zip(found, rows, strict=True):
            setattr(instance, name, row[column])
    return found


def count_for(
    key: Hashable, build: Callable[..., QuerySet], id_: Ids, *, using: str = "default"
) -> int:
    """How many rows `build(id_)` has (as its .count()), with SQL kept as rows_for keeps it."""
    return _run(key, build, id_, using, counted=True)[1][0][0]


class KeptPages:
    """A kept queryset of model instances as Django's Paginator reads it: its count and one
    page of it, each by SQL compiled once per key (the page's LIMIT and OFFSET are parameters,
    so every page shares one statement). For the busiest lists (the people and schools
    pages), whose ORM building cost more than the database's work."""

    ordered = True  # the queryset's own order (the Paginator warns of an unordered list)

    def __init__(self, key: Hashable, build: Callable[..., QuerySet], id_: Ids, *,
                 using: str = "default") -> None:  # fmt: skip
        self.key, self.build, self.id_, self.using = key, build, id_, using

    def count(self) -> int:
        return count_for(self.key, self.build, self.id_, using=self.using)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Model]:
        if not isinstance(window, slice) or window.step or window.start is None:
            raise TypeError("a page of a kept list is read by a slice [start:stop]")
        limit, offset = window.stop - window.start, window.start
        return objects_for(self.key, self.build, self.id_, using=self.using, window=(limit, offset))


def _for_ids(run: Callable, key: Hashable, build: Callable[..., QuerySet], fixed: tuple[int, ...],
             ids: Iterable[int], using: str) -> list:  # fmt: skip
    ids = list(dict.fromkeys(ids))  # as the ORM's IN list: each id once, in order
    if not ids:
        # Filtered by none of them: no row, and nothing to build (a queryset that matches
        # nothing still costs the ORM its whole construction).
        return []
    if len(ids) == 1:
        return run(
            key, lambda *stand_ins: build(*stand_ins[:-1], [stand_ins[-1]]), (*fixed, ids[0]),
            using=using,
        )  # fmt: skip
    length = next((n for n in KEPT_LIST_LENGTHS if n >= len(ids)), None)
    if length is None:
        # Longer than any kept length: the ORM builds it.
        return list(build(*fixed, ids))
    padded = ids + [ids[-1]] * (length - len(ids))
    return run(key, build, (*fixed, padded), using=using)


def rows_for_ids(
    key: Hashable,
    build: Callable[..., QuerySet],
    ids: Iterable[int],
    *,
    fixed: tuple[int, ...] = (),
    using: str = "default",
) -> list[tuple]:
    """The rows of `build(*fixed, list_of_ids)` (a values_list queryset filtered by the ids:
    none without ids).

    A write that reads about one record (a self-enrolment's person, session days and notice
    recipient) is the busiest case: with exactly one id the SQL is compiled once per `key`
    and kept (see rows_for), `fixed` ids (at most three) and the one id varying. Several ids
    (a page's courses, a roster's enrolments) are kept per length, padded as STAND_IN_LIST
    says; `build` may use the list only in "in" filters. Past the longest kept length the ORM
    builds the query as usual."""
    return _for_ids(rows_for, key, build, fixed, ids, using)


def objects_for_ids(
    key: Hashable,
    build: Callable[..., QuerySet],
    ids: Iterable[int],
    *,
    fixed: tuple[int, ...] = (),
    using: str = "default",
) -> list[Model]:
    """rows_for_ids, for a queryset of model instances (see objects_for)."""
    return _for_ids(objects_for, key, build, fixed, ids, using)


def plain_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list queryset (not flat), as list(queryset) gives them, fetched at
    once: without the ORM's iteration in chunks and its conversions that would not change a
    value (`_changes_values`), which cost more than SQLite's own work for an office's 100,000
    rows. For a query run once (its SQL varies); rows_for keeps the SQL of a repeated one."""
    if queryset._iterable_class is not ValuesListIterable:
        raise ValueError("plain_rows reads a values_list queryset (not flat, not named)")
    using = queryset.db
    compiler = queryset.query.get_compiler(using=using)
    compiled = _sql(compiler)
    if compiled is None:
        return []
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        rows = cursor.fetchall()
    if compiler.has_extra_select:  # columns DISTINCT orders by, which the ORM drops too
        rows = [row[: compiler.col_count] for row in rows]
    convert = _converter(compiler)
    return convert(rows, connection) if convert else rows
