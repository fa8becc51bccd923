"""Bulk inserts store every value exactly as the ORM stores it."""

import datetime as dt
import json

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.bulk import insert_rows
from imports.models import ImportBatch, ImportRow
from registry.audit import JsonText
from registry.models import Person, PositionChange

from .conftest import national_id

SOME = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
# PostgreSQL's json type refuses the escape of a NUL character ("\u0000"), through the ORM as
# through a bulk insert, and no sheet or CSV the importers accept carries one. No lone
# surrogate either: no database driver encodes one, the ORM's included (a random run drew one).
no_nul = st.characters(codec="utf-8", exclude_characters="\x00")
json_text = st.text(no_nul, max_size=8)
json_keys = st.text(no_nul, max_size=5)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**12), 10**12), json_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(json_keys, inner, max_size=3)
    ),
    max_leaves=8,
)


def _stored(queryset, *leave_out):
    return [
        {k: v for k, v in row.items() if k not in ("id", *leave_out)}
        for row in queryset.order_by("pk").values()
    ]


containers = st.one_of(
    st.lists(json_values, max_size=3), st.dictionaries(json_keys, json_values, max_size=3)
)


@SOME
@given(values=containers, errors=containers, changes=containers)
def test_json_columns_read_back_as_the_orm_wrote_them(office, values, errors, changes):
    batch = ImportBatch.objects.create(office=office, kind="personnel", original_name="a.xlsx")
    row = {"batch_id": batch.pk, "status": "new", "values": values, "errors": errors}
    ImportRow.objects.create(row_number=1, changes=changes, **row)
    insert_rows(ImportRow, [{"row_number": 2, "changes": changes, **row}])
    # A value already written as JSON text (the import's audit changes) is stored as such.
    text = JsonText(json.dumps(changes))
    insert_rows(ImportRow, [{**row, "row_number": 3, "changes": text}])
    by_orm, in_bulk, as_text = _stored(ImportRow.objects.filter(batch=batch), "row_number")
    assert in_bulk == by_orm
    assert as_text == by_orm
    batch.delete()


@SOME
@given(
    salary=st.one_of(st.none(), st.decimals("0", "9999999.99", places=2)),
    birth=st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31))),
    # No NUL: PostgreSQL stores no NUL in text, by the ORM or in bulk alike (and no sheet or
    # CSV the importers accept can carry one).
    title=st.text(no_nul, max_size=10),
    when=st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1)),
)
def test_dates_moments_and_money_are_stored_as_the_orm_stores_them(
    office, school_a, admin, salary, birth, title, when
):
    moment = timezone.make_aware(when, dt.UTC)
    person = {
        "office_id": office.pk, "school_id": school_a.pk, "title": title, "first_name": "ก",
        "last_name": "ข", "gender": "female", "birth_date": birth, "salary": salary,
        "personnel_type": "teacher", "position": "ครู", "created_at": moment,
        "updated_at": moment,
    }  # fmt: skip
    Person.objects.create(national_id=national_id(1), **person)
    insert_rows(Person, [{"national_id": national_id(2), **person}])
    by_orm, in_bulk = _stored(Person.objects.all(), "national_id", "created_at", "updated_at")
    assert in_bulk == by_orm
    stored = Person.objects.get(national_id=national_id(2))
    assert (stored.created_at, stored.updated_at) == (moment, moment)
    history = {"person_id": stored.pk, "effective_date": birth or dt.date(2020, 1, 1),
               "field": "ตำแหน่ง", "recorded_by_id": admin.pk, "recorded_at": moment}  # fmt: skip
    insert_rows(PositionChange, [history, history])
    assert set(PositionChange.objects.values_list("effective_date", "recorded_at")) == {
        (history["effective_date"], moment)
    }
    Person.objects.all().delete()
