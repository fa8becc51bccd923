"""Checks done inside the database, in native SQL on SQLite and PostgreSQL.

Django's date extracts (ExtractYear, ...) run as Python functions on SQLite, one call per
row and field, and a check done in Python needs every value streamed out of the database;
for an office of 100,000 people either took seconds per page. These expressions keep the
work in the database engine on both backends.
"""

from __future__ import annotations

from django.db.models import BooleanField, Func, IntegerField
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear


class DateNumber(Func):
    """A date as the integer YYYYMMDD (NULL stays NULL).

    Differences of two such numbers compare like ages: someone born on B is at least N years
    old on D exactly when DateNumber(D) − DateNumber(B) ≥ N × 10,000 (29 February included),
    because month and day only ever move the difference by less than 10,000.
    """

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores dates as 'YYYY-MM-DD' text.
        return self.as_sql(
            compiler, connection, template="CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)"
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is not None:
            return super().as_sql(compiler, connection, template=template, **extra)
        (field,) = self.get_source_expressions()
        number = ExtractYear(field) * 10_000 + ExtractMonth(field) * 100 + ExtractDay(field)
        return compiler.compile(number.resolve_expression(compiler.query))


def age_span(birth: str, on: str):
    """DateNumber(on) − DateNumber(birth): at least N × 10,000 exactly when the age on `on`
    is at least N whole years."""
    return DateNumber(on) - DateNumber(birth)


# Weights of the first 12 digits of a Thai national ID (see krupd.lib.thai_id).
_ID_WEIGHTS = range(13, 1, -1)


def national_id_valid_sql(column: str, *, vendor: str, allow_leading_zero_or_nine: bool) -> str:
    """SQL true when `column` holds a valid Thai national ID: the same rule as
    krupd.lib.thai_id.national_id_problem (13 ASCII digits, optionally not starting with 0
    or 9, check digit right). The digits are only read after the shape is checked, so no
    backend is asked to cast a non-digit. A literal % is written %% (driver escaping)."""
    if vendor == "postgresql":
        shape = f"{column} ~ '^[0-9]{{13}}$'"
    else:
        shape = f"LENGTH({column}) = 13 AND {column} NOT GLOB '*[^0-9]*'"
    if not allow_leading_zero_or_nine:
        shape += f" AND SUBSTR({column}, 1, 1) NOT IN ('0', '9')"
    total = " + ".join(
        f"CAST(SUBSTR({column}, {i}, 1) AS INTEGER) * {w}" for i, w in enumerate(_ID_WEIGHTS, 1)
    )
    check = f"(11 - ({total}) %% 11) %% 10 = CAST(SUBSTR({column}, 13, 1) AS INTEGER)"
    return f"(CASE WHEN {shape} THEN ({check}) ELSE FALSE END)"


class NationalIdIsValid(Func):
    """True when the field holds a valid Thai national ID (national_id_valid_sql)."""

    output_field = BooleanField()
    arity = 1
    conditional = True

    def __init__(self, field, *, allow_leading_zero_or_nine: bool = True):
        super().__init__(field)
        self.allow_leading_zero_or_nine = allow_leading_zero_or_nine

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.get_source_expressions()[0])
        if params:
            raise ValueError("NationalIdIsValid checks a column, not a computed value")
        sql = national_id_valid_sql(
            column,
            vendor=connection.vendor,
            allow_leading_zero_or_nine=self.allow_leading_zero_or_nine,
        )
        return sql, params
