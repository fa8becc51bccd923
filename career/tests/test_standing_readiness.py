"""Readiness for the next academic standing decided by the database equals the rule computed
in Python for each person, in the same order, and its queries do not grow with the office."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from career import queries
from krupd.testing import make_person
from registry.models import AcademicStanding, Person, PositionChange


@given(
    start=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31)),
    as_of=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
    years=st.integers(min_value=0, max_value=20),
)
@settings(max_examples=80)
def test_the_tenure_cutoff_is_the_whole_years_rule(start, as_of, years):
    assert (queries._years_between(start, as_of) >= years) == (
        start <= queries._tenure_cutoff(as_of, years)
    )


def in_python(people, as_of):
    """The readiness as it was computed before: every person read and decided in Python."""
    rules = {r.from_standing_id: r for r in queries.StandingRule.objects.all()}
    out = []
    for p in people.filter(academic_standing_id__in=rules, status="active"):
        last = p.position_changes.filter(field="วิทยฐานะ").order_by("-effective_date").first()
        since = last.effective_date if last else p.appointment_date
        years = queries._years_between(since, as_of) if since else None
        required = queries._required(rules[p.academic_standing_id], p.highest_degree)
        ready = years is not None and years >= required
        out.append((not ready, p.first_name, p.pk, since, years, required))
    return sorted(out)


@pytest.mark.django_db
def test_readiness_and_its_order_are_those_of_python(office, school):
    standings = list(AcademicStanding.objects.filter(code__in=["k1", "k2", "k3"]))
    names = ["ก้อง", "เอื้อ", "adam", "Bob", "กานดา", "zoe", "อร", "Zed"]
    for i in range(24):
        p = make_person(
            office, school, academic_standing=standings[i % 3], first_name=names[i % 8],
            appointment_date=dt.date(2008 + i % 16, 2 if i % 4 == 0 else 6, 29 if i % 4 == 0 else 1)
            if i % 9 else None,
            highest_degree=["bachelor", "master", "doctorate"][i % 3 if i % 2 else 0],
        )  # fmt: skip
        if i % 5 == 0:
            PositionChange.objects.create(person=p, effective_date=dt.date(2016 + i % 7, 3, 1),
                                          field="วิทยฐานะ", new_value="ชำนาญการ")  # fmt: skip
    people = Person.objects.filter(office=office)
    for as_of in (dt.date(2024, 2, 29), dt.date(2025, 6, 1), dt.date(2031, 2, 28)):
        rows = queries.standing_readiness(people, as_of=as_of)
        expected = in_python(people, as_of)
        assert rows.ready == sum(not r[0] for r in expected) > 0
        for size in (1, 5, 100):
            pages = Paginator(rows, size)
            shown = [r for n in pages.page_range for r in pages.page(n)]
            assert [(not r.ready, r.first_name, r.person_id, r.since, r.years, r.required)
                    for r in shown] == expected  # fmt: skip


@pytest.mark.django_db
def test_a_page_of_readiness_makes_the_same_queries_for_more_people(office, school):
    k1 = AcademicStanding.objects.get(code="k1")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = queries.standing_readiness(Person.objects.filter(office=office),
                                              as_of=dt.date(2025, 6, 1))  # fmt: skip
            list(Paginator(rows, 2).page(1))
        return len(ctx.captured_queries)

    make_person(office, school, academic_standing=k1)
    few = count()
    for i in range(12):
        make_person(office, school, academic_standing=k1, appointment_date=dt.date(2010 + i, 1, 1))
    assert count() == few
