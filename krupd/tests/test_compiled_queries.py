"""Queries compiled once and run for many offices give what the ORM gives for each office."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Case, Count, DecimalField, IntegerField, Max, Q, Sum, Value, When
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.lib import compiled_queries
from krupd.testing import make_office, make_person, make_school
from registry.models import Office, OfficeRules, Person, School

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offices(db):
    first, second = make_office("7601", "สพป.หนึ่ง"), make_office("7602", "สพป.สอง")
    a = make_school(first, code="76010001", name="บ้านหนึ่ง")
    b = make_school(first, code="76010002", name="บ้านสอง")
    c = make_school(second, code="76020001", name="บ้านสาม")
    School.objects.filter(pk=a.pk).update(latitude=Decimal("13.123456"))
    for school, n in ((a, 2), (b, 1), (c, 3)):
        for _ in range(n):
            make_person(school.office, school)
    return first, second


def _schools(office_id):
    return (
        School.objects.filter(office_id=office_id)
        .order_by("obec_code")
        .values_list("id", "name", "latitude")
    )


def _people_per_school(office_id):
    return (
        Person.objects.filter(office_id=office_id)
        .values_list("school_id")
        .annotate(n=Count("id"))
        .order_by("school_id")
    )


@pytest.mark.parametrize("build", [_schools, _people_per_school])
def test_rows_are_the_orms_for_every_office(two_offices, build):
    for office in two_offices:
        rows = compiled_queries.rows_for(("test", build.__name__), build, office.pk)
        assert rows == list(build(office.pk))
    assert compiled_queries.rows_for(("test", build.__name__), build, -1) == []


def test_values_are_converted_as_the_orm_converts_them(two_offices):
    first, _ = two_offices
    (_, _, latitude), *_ = compiled_queries.rows_for(("test", "schools"), _schools, first.pk)
    assert latitude == Decimal("13.123456")
    assert isinstance(latitude, Decimal)


def test_objects_are_the_orms_instances(two_offices):
    for office in two_offices:
        OfficeRules.objects.get_or_create(office=office, defaults={"retirement_age": 61})

    def build(office_id):
        return OfficeRules.objects.filter(office_id=office_id)

    for office in two_offices:
        (rules,) = compiled_queries.objects_for(("test", "rules"), build, office.pk)
        expected = OfficeRules.objects.get(office=office)
        assert rules == expected
        assert [getattr(rules, f.attname) for f in OfficeRules._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in OfficeRules._meta.concrete_fields
        ]
        assert rules.office == office  # a relation loads as on any instance


def test_a_query_without_the_id_is_refused_and_none_reads_nothing(two_offices):
    with pytest.raises(ValueError):
        compiled_queries.rows_for(("test", "all"), lambda _: Office.objects.values_list("id"), 1)
    assert compiled_queries.rows_for(("test", "none"), lambda _: Office.objects.none(), 1) == []
    # A query with no varying parameter, asked for as such.
    codes = compiled_queries.rows_for(
        ("test", "codes"), lambda _: Office.objects.order_by("code").values_list("code"), None
    )
    assert codes == [("7601",), ("7602",)]


def test_several_ids_each_get_a_stand_in_of_their_own(two_offices):
    first, second = two_offices

    def build(office_id, school_office_id):
        return Person.objects.filter(office_id=office_id, school__office_id=school_office_id)

    def ids(found):
        return sorted(p.pk for p in found)

    for a, b in ((first.pk, first.pk), (first.pk, second.pk), (second.pk, second.pk)):
        found = compiled_queries.objects_for(("test", "two ids"), build, (a, b))
        assert ids(found) == ids(build(a, b))


def test_joined_rows_are_built_as_select_related_builds_them(two_offices):
    first, _ = two_offices
    make_person(first, None)  # no school: the LEFT JOIN finds nothing

    def build(office_id):
        return Person.objects.filter(office_id=office_id).select_related("school__office")

    found = compiled_queries.objects_for(("test", "joined"), build, first.pk)
    expected = {p.pk: p for p in build(first.pk)}
    assert len(found) == len(expected) == 4
    for person in found:
        orm = expected[person.pk]
        with django_assert_no_queries():
            school = person.school
            office = school.office if school is not None else None
        assert (school and school.pk, office and office.pk) == (
            orm.school_id,
            orm.school and orm.school.office_id,
        )
        if school is not None:
            assert school.name == orm.school.name and office.name == orm.school.office.name


def django_assert_no_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    class _Check(CaptureQueriesContext):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            assert len(self) == 0, self.captured_queries

    return _Check(connection)


def _people_of_schools(office_id, school_ids):
    return (
        Person.objects.filter(office_id=office_id, school_id__in=school_ids)
        .order_by("pk")
        .values_list("pk", "school_id")
    )


def test_reads_by_a_list_of_ids_are_the_orms_for_one_and_for_many(
    two_offices, django_assert_num_queries
):
    first, _ = two_offices
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))
    for office in two_offices:
        for ids in ([schools[0]], [schools[2]], schools, [], [-5]):
            expected = list(_people_of_schools(office.pk, ids))
            got = compiled_queries.rows_for_ids(
                "test.people_of_schools", _people_of_schools, ids, fixed=(office.pk,)
            )
            assert got == expected
    people = compiled_queries.objects_for_ids(
        "test.people_objects",
        lambda ids: Person.objects.filter(school_id__in=ids).order_by("pk"),
        [schools[0]],
    )
    assert people == list(Person.objects.filter(school_id=schools[0]).order_by("pk"))
    # One id: the kept SQL, one statement and nothing built.
    with django_assert_num_queries(1):
        compiled_queries.rows_for_ids(
            "test.people_of_schools", _people_of_schools, {schools[1]}, fixed=(first.pk,)
        )


def test_lists_of_ids_are_kept_per_length_and_give_the_orms_rows(
    two_offices, django_assert_num_queries
):
    """Several ids: padded to a kept length (repeating the last id), one statement compiled
    per length; duplicates, unknown ids and every length up to the longest give the ORM's
    rows, and longer lists are the ORM's own query."""
    first, _ = two_offices
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    schools = list(School.objects.order_by("pk").values_list("pk", flat=True))

    def named(ids):
        return Person.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "school_id")

    for ids in (people[:2], people[:3], people, people[::-1], [people[0], people[0], -5],
                [-5, -6, -7], people[1:5] + [10**9]):  # fmt: skip
        got = compiled_queries.rows_for_ids("test.named", named, ids)
        assert got == list(named(ids)), ids
    # Five ids and seven: both padded to eight, one statement and nothing compiled again.
    compiled_queries.rows_for_ids("test.named", named, people[:5])
    kept = len(compiled_queries._kept)
    with django_assert_num_queries(1):
        got = compiled_queries.rows_for_ids("test.named", named, [*people[:6], -1])
    assert got == list(named(people[:6]))
    assert len(compiled_queries._kept) == kept
    # A list in two filters, with fixed ids before it; instances too.
    got = compiled_queries.objects_for_ids(
        "test.in_two", lambda office_id, ids: Person.objects.filter(
            Q(school_id__in=ids) | Q(pk__in=ids), office_id=office_id).order_by("pk"),
        schools, fixed=(first.pk,),
    )  # fmt: skip
    expected = Person.objects.filter(Q(school_id__in=schools) | Q(pk__in=schools), office=first)
    assert got and got == list(expected.order_by("pk"))
    # Longer than the longest kept length: the ORM's query.
    longest = compiled_queries.KEPT_LIST_LENGTHS[-1]
    many = people + [-n for n in range(1, longest + 1)]
    assert compiled_queries.rows_for_ids("test.named", named, many) == list(named(many))


def test_a_list_used_otherwise_than_in_an_in_filter_is_refused(two_offices):
    """Only the first id of the list in the SQL: the other places would be lost."""
    with pytest.raises(ValueError, match="every stand-in"):
        compiled_queries.rows_for_ids(
            "test.first_only",
            lambda ids: Person.objects.filter(pk=ids[0]).values_list("pk"),
            [1, 2, 3],
        )


# ------------------------------------------------------------------------------ plain_rows


def _born_by_decade(people):
    """A count, a CASE of whole numbers and a birth date (a date: its conversion is kept)."""
    decade = Case(
        When(birth_date__lt=dt.date(1970, 1, 1), then=Value(1960)),
        When(birth_date__lt=dt.date(1980, 1, 1), then=Value(1970)),
        default=Value(None),
        output_field=IntegerField(),
    )
    return (
        people.annotate(decade=decade)
        .values_list("school_id", "decade")
        .annotate(n=Count("id"), born=Max("birth_date"))
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: _born_by_decade(Person.objects.order_by()).order_by("school_id", "decade"),
        lambda: School.objects.order_by("obec_code").values_list("id", "latitude", "name"),
        lambda: Person.objects.filter(school_id__in=[]).values_list("id"),  # runs nothing
        lambda: Office.objects.none().values_list("id"),
        # DISTINCT selects the column it orders by too; the ORM drops it from the rows.
        lambda: School.objects.order_by("-name").values_list("office_id").distinct(),
    ],
)
def test_plain_rows_are_the_orms_rows(two_offices, build):
    make_person(two_offices[0], None, birth_date=dt.date(1965, 3, 1))
    make_person(two_offices[0], None, birth_date=None)
    expected = list(build())
    assert compiled_queries.plain_rows(build()) == expected
    assert [tuple(map(type, row)) for row in compiled_queries.plain_rows(build())] == [
        tuple(map(type, row)) for row in expected
    ]


def test_only_conversions_that_cannot_change_a_value_are_skipped(two_offices):
    from django.db import connection

    query = _born_by_decade(Person.objects.order_by()).query
    compiler = query.get_compiler(connection=connection)
    compiler.as_sql()
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    kept = {
        pos
        for pos, (functions, expression) in converters.items()
        if compiled_queries._changes_values(expression, functions)
    }
    # school_id has none; the CASE of whole numbers and the COUNT had only int(), skipped;
    # the date keeps its backend's (SQLite's text to date; PostgreSQL's driver needs none).
    assert {1, 2} <= set(converters)
    assert kept == {3} & set(converters)
    assert not compiled_queries._gives_int(Sum("salary"))  # a numeric on PostgreSQL
    assert not compiled_queries._gives_int(Value(0, output_field=DecimalField()))
    assert compiled_queries._gives_int(Value(0)) and compiled_queries._gives_int(Value(None))


def test_plain_rows_reads_only_tuples(two_offices):
    with pytest.raises(ValueError):
        compiled_queries.plain_rows(School.objects.values_list("id", flat=True))
    with pytest.raises(ValueError):
        compiled_queries.plain_rows(School.objects.values("id"))


def test_annotations_are_set_on_the_instances_as_the_orm_sets_them(two_offices):
    from django.db.models import Q

    first, second = two_offices
    make_person(first, None)

    def build(office_id):
        return (
            School.objects.filter(office_id=office_id)
            .select_related("office")
            .annotate(
                n_people=Count("people"),
                active=Count("people", filter=Q(people__status="active")),
            )
            .order_by("pk")
        )

    for office in (first, second):
        found = compiled_queries.objects_for(("test", "annotated"), build, office.pk)
        expected = list(build(office.pk))
        assert [(s.pk, s.n_people, s.active, s.office.name) for s in found] == [
            (s.pk, s.n_people, s.active, s.office.name) for s in expected
        ]


def _people_born_in(office_id, first_day, last_day):
    return (
        Person.objects.filter(office_id=office_id, birth_date__range=(first_day, last_day))
        .order_by("pk")
        .values_list("pk")
    )


def _schools_confirmed_after(office_id, moment):
    return (
        School.objects.filter(office_id=office_id, data_confirmed_at__gt=moment)
        .order_by("pk")
        .values_list("pk", "data_confirmed_at")
    )


def test_days_and_instants_are_put_in_place_as_the_orm_prepares_them(two_offices):
    first, second = two_offices
    people = list(Person.objects.filter(office=first).order_by("pk"))
    for n, person in enumerate(people):
        Person.objects.filter(pk=person.pk).update(birth_date=dt.date(1970 + n, 10, 1))
    noon = dt.datetime(2026, 6, 10, 5, 0, tzinfo=dt.UTC)
    School.objects.filter(office=first).update(data_confirmed_at=noon)
    windows = [
        (dt.date(1970, 1, 1), dt.date(1970, 12, 31)),
        (dt.date(1970, 10, 1), dt.date(1971, 10, 1)),
        (dt.date(1969, 1, 1), dt.date(1969, 12, 31)),
    ]
    for office in (first, second):
        for window in windows:
            args = (office.pk, *window)
            rows = compiled_queries.rows_for(("test", "born"), _people_born_in, args)
            assert rows == list(_people_born_in(*args))
        for moment in (noon - dt.timedelta(microseconds=1), noon, noon.astimezone(None)):
            args = (office.pk, moment)
            rows = compiled_queries.rows_for(("test", "confirmed"), _schools_confirmed_after, args)
            assert rows == list(_schools_confirmed_after(*args))
    assert compiled_queries.rows_for(
        ("test", "confirmed"), _schools_confirmed_after, (first.pk, noon - dt.timedelta(days=1))
    )


def test_a_day_computed_from_a_stand_in_is_refused_not_kept(two_offices):
    first, _ = two_offices

    def next_sixty_days(office_id, today):
        return _people_born_in(office_id, today, today + dt.timedelta(days=60))

    with pytest.raises(ValueError, match="computed from a stand-in"):
        compiled_queries.rows_for(("test", "sixty"), next_sixty_days, (first.pk, dt.date.today()))


def _schools_matching(office_id, word, code):
    return (
        School.objects.filter(office_id=office_id)
        .filter(Q(name__icontains=word) | Q(obec_code__startswith=code) | Q(district=word))
        .order_by("pk")
        .values_list("pk")
    )


# No NUL: PostgreSQL refuses it in any text (a query string's is taken out before it gets here).
# Text a request can carry: UTF-8, so no lone surrogate (a random run drew "\ud800", which
# neither database driver can encode, for the ORM's query as for the kept one).
@given(
    word=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6),
    code=st.text(alphabet="0123456789%_\\", max_size=4),
)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
def test_texts_are_put_in_place_as_the_orm_puts_them(two_offices, word, code):
    """A searched text, in a LIKE pattern (escaped: % _ \\ match themselves) or compared
    whole, gives the ORM's rows, whatever it holds."""
    first, _ = two_offices
    School.objects.filter(office=first).update(district="บ้าน%_\\")
    for text in (word, "บ้าน", "%", "_", "\\", "76010"):
        args = (first.pk, text, code)
        rows = compiled_queries.rows_for(("test", "matching"), _schools_matching, args)
        assert rows == list(_schools_matching(*args))


def test_a_text_used_where_it_cannot_be_kept_is_refused(two_offices):
    first, _ = two_offices

    def twice(office_id, word):  # a pattern of two texts' making: no one place to put it
        return School.objects.filter(office_id=office_id, name__contains=word + word).values_list(
            "pk"
        )

    with pytest.raises(ValueError, match="cannot be kept"):
        compiled_queries.rows_for(("test", "twice"), twice, (first.pk, "ก"))


def test_instances_are_built_by_the_orm_when_something_listens_for_their_init(two_offices):
    """Kept rows skip Model.__init__ only while no pre/post_init receiver is connected."""
    from django.db.models.signals import post_init

    first, _ = two_offices
    seen = []

    def heard(sender, instance, **kwargs):
        seen.append(instance)

    build = lambda office_id: School.objects.filter(office_id=office_id)  # noqa: E731
    found = compiled_queries.objects_for(("test", "init"), build, first.pk)
    assert found and not seen
    post_init.connect(heard, sender=School)
    try:
        again = compiled_queries.objects_for(("test", "init"), build, first.pk)
    finally:
        post_init.disconnect(heard, sender=School)
    assert [s.pk for s in seen] == [s.pk for s in again]
    assert [(s.pk, s.name, s._state.adding, s._state.db) for s in found] == [
        (s.pk, s.name, s._state.adding, s._state.db) for s in again
    ]


def test_an_id_compared_with_an_annotation_is_put_in_its_place(two_offices):
    """On PostgreSQL Django hands an integer compared with an expression to psycopg typed
    (Int4, an int subclass): it is the stand-in all the same, put in place of it, typed as
    it was. It stayed in the SQL, and the kept query read no row for any school (the stored
    staff counts of a school recounted after a move lost its people)."""
    first, _second = two_offices

    def build(office_id, school_id):
        return (
            Person.objects.filter(office_id=office_id)
            .annotate(
                at=Case(
                    When(school__isnull=False, then="school_id"),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )  # fmt: skip
            .filter(at__in=[school_id])
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    for school in School.objects.filter(office=first):
        assert compiled_queries.rows_for(
            ("annotation id", "test"), build, (first.pk, school.pk)
        ) == [(pk,) for pk in build(first.pk, school.pk)]


class _Typed(int):
    """An int typed for the database driver, as psycopg's Int4."""


def test_a_typed_stand_in_is_found_and_a_typed_id_put_in_its_place():
    stand_in = compiled_queries.STAND_IN_ID
    slots = compiled_queries._slots([7, _Typed(stand_in)], (stand_in,), connection=None)
    assert slots == ((1, 0, "id"),)
