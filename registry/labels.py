"""Labels of rows that reports group by record (a school, a network, a person, a course).

A report keys its rows by the record's id, never by its name: one office often has several
schools called "บ้านหนองบัว" (told apart by their 10-digit OBEC code), two teachers of one
name, a course title run again every fiscal year. The label people read must then tell such
rows apart too: a name that more than one of the rows shown shares is followed by what tells
them apart (the OBEC code, a network's or office's code, the course's fiscal year...).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

from krupd.lib.numerals import clean_text

K = TypeVar("K", bound=Hashable)

# The label of people who belong to no school (the office's own staff), as every report
# names them.
OFFICE_STAFF_LABEL = "สำนักงานเขตพื้นที่"


def name_key(name: str) -> str:
    """What two names are compared by: spaces and letter case as typed do not tell schools
    apart ("บ้านหนองบัว" and "บ้านหนองบัว " are read as one name)."""
    return clean_text(name).casefold()


def distinct_labels(rows: Iterable[tuple[K, str, str]]) -> dict[K, str]:
    """{key: label} from (key, name, detail) rows: the name, followed by "(detail)" where
    another row has the same name. Details are expected to differ (a code, a year)."""
    rows = list(rows)
    shared = Counter(name_key(name) for _key, name, _detail in rows)
    return {
        key: f"{name} ({detail})" if shared[name_key(name)] > 1 and detail else name
        for key, name, detail in rows
    }


# What a school filter's drop-down prints after the name of a school closed (or merged into
# another): it stays in the filter, since its people and records stay findable by it, and
# says so, so that it does not read as one of the office's schools today.
CLOSED_SCHOOL_MARK = "(ปิด/ยุบรวม)"


def school_filter_labels(
    rows: Iterable[tuple[K, str, str, dt.date | None]], today: dt.date
) -> dict[K, str]:
    """{school id: label} of a school filter's drop-down, in the rows' order, from (id, name,
    OBEC code, closing day) rows: the name (with its OBEC code where a namesake is listed
    too, distinct_labels), followed by "(ปิด/ยุบรวม)" when the school is closed (or merged
    into another) by `today`. One closing on a day still to come reads as open."""
    rows = list(rows)
    shown = distinct_labels((pk, name, code) for pk, name, code, _closed_on in rows)
    return {
        pk: f"{shown[pk]} {CLOSED_SCHOOL_MARK}"
        if closed_on is not None and closed_on <= today
        else shown[pk]
        for pk, _name, _code, closed_on in rows
    }


def school_labels(school_ids: Iterable[int | None]) -> dict[int | None, str]:
    """{school id: label} for these schools (None: the office's own staff): the school's
    name, with its OBEC code where another of these schools has the same name."""
    from .models import School

    ids = {pk for pk in school_ids if pk is not None}
    rows = School.objects.filter(pk__in=ids).values_list("pk", "name", "obec_code")
    labels: dict[int | None, str] = distinct_labels(rows)
    labels[None] = OFFICE_STAFF_LABEL
    return labels


def name_school_choices(field) -> None:
    """Make a school drop-down (a ModelChoiceField over schools, its queryset set) name two
    schools of one name with their OBEC codes: picking the wrong "บ้านหนองบัว" files a
    person, or gives an account, under another school."""
    shown = distinct_labels(field.queryset.values_list("pk", "name", "obec_code"))
    field.label_from_instance = lambda school: shown.get(school.pk, school.name)


def with_workplace_labels(people: Iterable) -> list:
    """The people as a list, each with `workplace_label` set (workplace_labels): what a list
    of people prints beside each name instead of `workplace_name`, which names two schools
    of one name alike."""
    people = list(people)
    shown = workplace_labels(people)
    for person in people:
        person.workplace_label = shown[person.pk]
    return people


def workplace_labels(people: Iterable) -> dict[int, str]:
    """{person id: where they work, as a list of them prints it}: their school's name, with
    its OBEC code where another of these people's schools has the same name, or their
    office's name. The people's school (and office) are expected loaded."""
    people = list(people)
    schools = {p.school_id: p.school for p in people if p.school_id}
    shown = distinct_labels((s.pk, s.name, s.obec_code) for s in schools.values())
    return {p.pk: shown[p.school_id] if p.school_id else p.workplace_name for p in people}


def school_label(school) -> str:
    """A school's name as a page or document about one person (or one record of theirs)
    names it: with its OBEC code where another school of its office has the same name.

    A list tells apart the schools it shows (workplace_labels); one person's page shows no
    other school, so the office's schools are what a reader could take it for (the
    office's two "บ้านหนองบัว" on a PA agreement sent up the line)."""
    from .models import School

    key = name_key(school.name)
    others = (
        School.objects.filter(office_id=school.office_id)
        .exclude(pk=school.pk)
        .values_list("name", flat=True)
    )
    if any(name_key(name) == key for name in others):
        return f"{school.name} ({school.obec_code})"
    return school.name


def person_workplace_label(person) -> str:
    """Where one person works, as their own pages and documents name it: their school
    (school_label), or their office's name."""
    return school_label(person.school) if person.school_id else person.workplace_name


def with_workplace_label(person):
    """The person with `workplace_label` set (person_workplace_label), the attribute a list's
    people carry (with_workplace_labels): one person's pages print the same."""
    person.workplace_label = person_workplace_label(person)
    return person
