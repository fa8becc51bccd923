"""The people picker: the one way a page lets someone choose people (nominating for a course,
PLC members, people visited, award nominees, best-practice owners) or accounts (a PA
evaluator, an award round's judges, the officer handling a debt case).

A form declares ``PeoplePickerField(queryset=candidates)`` (or ``PersonPickerField`` for one
person); the page shows a search box and filters (school, position, academic standing,
learning area, open development need), the matching people as a checkbox list that works on a
phone, and "select all filtered". Filtering is an htmx GET to the page itself, answered by
``picker_response`` before the view does anything else, so the candidates (and so the
permission scope) are exactly the form's.

What is chosen among is a ``PickSource``: person records here, accounts in accounts/picker.py.
A source says how the filter narrows its rows, which filter menus it offers and how one row
reads; the widget, the templates and "select all" are the same for both.

"Select all filtered" is resolved on the server from the submitted filter, so it takes every
match, also those beyond the rows shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django import forms
from django.apps import apps
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from krupd.forms import ThaiModelMultipleChoiceField, option_tags
from krupd.lib import query_params

from .labels import school_filter_labels, workplace_labels
from .models import AcademicStanding, LearningArea, Person, PersonnelType, School
from .queries import PickFilter, pick_people

# Rows shown at once; a bigger match is taken whole by "select all filtered" or narrowed.
SHOWN = 100
FILTER_FIELDS = tuple(PickFilter.__dataclass_fields__)


@dataclass(frozen=True)
class Row:
    """One choosable line: who, and what tells two namesakes apart (position, workplace)."""

    pk: int
    name: str
    detail: str


@dataclass(frozen=True)
class Menu:
    """One filter drop-down. Shown only when it can narrow: at least ``shown_from`` choices."""

    key: str  # the PickFilter field it sets
    label: str
    everyone: str
    choices: list[tuple[object, str]]
    shown_from: int = 2

    @property
    def options(self) -> SafeString:
        """The menu's options as HTML in one pass: an office's thousand schools through the
        template's loop cost more than all of the picker's queries."""
        return option_tags(self.choices)


class PickSource:
    """What a picker chooses among. Subclasses answer for one kind of row."""

    related: tuple[str, ...] = ()  # what a row reads, loaded with the rows
    search_hint = "ค้นหาชื่อ นามสกุล หรือเลขประจำตัวประชาชน"
    unit = "คน"  # the classifier the counts read with ("พบ 12 คน")
    none_found = "ไม่พบบุคลากรตามตัวกรองนี้"

    def match(self, candidates: QuerySet, f: PickFilter) -> QuerySet:
        raise NotImplementedError

    def order(self, rows: QuerySet) -> QuerySet:
        raise NotImplementedError

    def row(self, obj) -> Row:
        raise NotImplementedError

    def rows(self, objs: list) -> list[Row]:
        """The rows of objects shown together (a source may word one by the others)."""
        return [self.row(obj) for obj in objs]

    def menus(self, candidates: QuerySet) -> list[Menu]:
        raise NotImplementedError

    def first(self, matches: QuerySet, limit: int) -> list:
        """The first ``limit`` matches in their order."""
        return list(matches[:limit])


# Up to this many candidates a picker reads them all for its menus and first rows (cheap at
# this size, and SQLite then picks no index that walks the office); past it, index probes.
FEW = 5000


def is_few(rows: QuerySet) -> bool:
    """Whether there are fewer than FEW rows: a count that stops at FEW."""
    return rows.order_by()[:FEW].count() < FEW


def one_office(rows: QuerySet) -> int | None:
    """The office all these rows belong to, or None when they span several (or there are
    none): the lowest and the highest office id, two index probes instead of a pass."""
    ids = rows.values_list("office_id", flat=True)
    low = ids.order_by("office_id").first()
    return low if low is not None and low == ids.order_by("-office_id").first() else None


def schools_of(people: QuerySet[Person], office_id: int | None) -> QuerySet[School]:
    """The schools where some of these people work. Within one office, each of its schools
    is probed for one such person (an index look-up per school), so the cost follows the
    office's schools, not its 100,000 people."""
    if office_id is None:
        return School.objects.filter(pk__in=people.order_by().values("school_id"))
    present = Exists(people.order_by().filter(school_id=OuterRef("pk")))
    return School.objects.filter(present, office_id=office_id)


def school_menu(schools: QuerySet[School]) -> Menu:
    # Namesake schools (a school's name is not unique) in a fixed order, whichever way the
    # schools were found: by name alone the database may return them either way round.
    # Namesakes are shown with their OBEC codes, so the menu says which is which; a school
    # closed (or merged into another) whose people are still chosen among says so, as every
    # school filter does (labels.school_filter_labels).
    rows = schools.order_by("name", "pk").values_list("id", "name", "obec_code", "closed_on")
    shown = school_filter_labels(rows, timezone.localdate())
    return Menu("school", "สถานศึกษา", "ทุกสถานศึกษา", list(shown.items()))


def standing_menu(standings: QuerySet[AcademicStanding]) -> Menu:
    rows = [(s.pk, s.name) for s in standings]
    return Menu("standing", "วิทยฐานะ", "ทุกวิทยฐานะ", rows, shown_from=1)


def learning_area_menu() -> Menu:
    rows = [(a.pk, a.name) for a in LearningArea.objects.all()]
    return Menu("learning_area", "กลุ่มสาระการเรียนรู้", "ทุกกลุ่มสาระ", rows, shown_from=1)


class PeopleSource(PickSource):
    """Person records of the register."""

    related = ("school", "office", "academic_standing")

    def match(self, candidates, f):
        return pick_people(candidates, f)

    def order(self, rows):
        return rows.order_by("first_name", "last_name", "pk")

    def row(self, person: Person) -> Row:
        return self.rows([person])[0]

    def rows(self, people: list) -> list[Row]:
        # Two teachers of one name at two schools of one name read alike: namesake schools
        # among those shown are named with their codes (registry.labels).
        workplaces = workplace_labels(people)
        return [self._row(person, workplaces[person.pk]) for person in people]

    @staticmethod
    def _row(person: Person, workplace: str) -> Row:
        standing = f" {person.academic_standing.name}" if person.academic_standing_id else ""
        return Row(person.pk, person.full_name, f"{person.position}{standing} · {workplace}")

    def first(self, matches, limit):
        """The first matches in their order (school name, then first name), without sorting
        every match as ``matches[:limit]`` does (0.2 s of a 100,000-person office, for each
        picker of a page): the people without a school, then those of the office's first 16
        schools by name, of the next 128 …, each group sorted alone, until there are enough.
        Only ids are sorted; the rows are then read by id."""
        ids: list[int] = []

        def take(where: Q) -> None:
            ids.extend(matches.filter(where).values_list("pk", flat=True)[: limit - len(ids)])

        office_id = None if is_few(matches) else one_office(matches)
        if office_id is None:  # few to sort (or several offices)
            take(Q())
            return self._by_id(ids)
        schools = list(
            School.objects.filter(office_id=office_id)
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
        # Where the database sorts the people without a school: first (SQLite), last (PostgreSQL).
        nulls_last = connections[matches.db].features.nulls_order_largest
        if not nulls_last:
            take(Q(school__isnull=True))
        start, size = 0, 16
        while len(ids) < limit and start < len(schools):
            end = min(start + size, len(schools))
            while end < len(schools) and schools[end][1] == schools[end - 1][1]:
                end += 1  # namesake schools together: their people interleave by first name
            take(Q(school_id__in=[pk for pk, _ in schools[start:end]]))
            start, size = end, size * 8
        if nulls_last and len(ids) < limit:
            take(Q(school__isnull=True))
        return self._by_id(ids)

    def _by_id(self, ids: list[int]) -> list[Person]:
        # By id alone: with the candidates' filters SQLite walked the office's index instead.
        found = Person.objects.select_related(*self.related).in_bulk(ids)
        return [found[pk] for pk in ids]

    def menus(self, candidates):
        """Limited to what the candidates actually have, each choice probed for one such
        person through an index (a fixed few queries, none reading every candidate)."""
        plain = candidates.order_by()
        if is_few(plain):  # read them all: a probe per choice could walk the whole office
            office_id = None
            present = set(plain.values_list("personnel_type", flat=True).distinct())
            standings = AcademicStanding.objects.filter(pk__in=plain.values("academic_standing_id"))
        else:
            office_id = one_office(plain)
            present = {t for t in PersonnelType.values if plain.filter(personnel_type=t).exists()}
            standings = AcademicStanding.objects.filter(
                Exists(plain.filter(academic_standing_id=OuterRef("pk")))
            )
        types = [(value, label) for value, label in PersonnelType.choices if value in present]
        menus = [
            school_menu(schools_of(plain, office_id)),
            Menu("personnel_type", "ตำแหน่ง", "ทุกตำแหน่ง", types),
            standing_menu(standings),
            learning_area_menu(),
        ]
        if office_id is None:  # few candidates, or several offices: the first one's topics
            office_id = plain.values_list("office_id", flat=True).first()
        if office_id and apps.is_installed("planning"):
            from planning.queries import need_topics

            topics = [(t.pk, f"ต้องการพัฒนา: {t.name}") for t in need_topics(office_id)]
            menus.append(Menu("need", "ความต้องการพัฒนา", "ทุกความต้องการพัฒนา", topics, 1))
        return menus


PEOPLE = PeopleSource()


def filter_from(data, name: str) -> PickFilter:
    """The filter a picker named ``name`` submitted (``people__q``, ``people__school`` …)."""
    return PickFilter(**{f: str(data.get(f"{name}__{f}", "")).strip()[:100] for f in FILTER_FIELDS})


def _selected_ids(values) -> list[int]:
    return list(dict.fromkeys(i for v in values if (i := query_params.object_id(v))))


def results_context(
    candidates,
    f: PickFilter,
    selected,
    name: str,
    *,
    single: bool = False,
    optional: bool = False,
    source: PickSource = PEOPLE,
) -> dict:
    """The list part of the picker: who is already chosen, and the current matches. An
    optional single choice (a network's secretary) also offers "nobody"."""
    selected_ids = _selected_ids(selected)
    rows = candidates.select_related(*source.related)

    def find():
        matches = source.match(rows, f)
        return matches.count(), source.first(matches, SHOWN)

    total, shown = _shared(candidates, (source, f), find)
    shown_ids = {obj.pk for obj in shown}
    chosen_elsewhere = [
        obj for obj in source.order(rows.filter(pk__in=selected_ids)) if obj.pk not in shown_ids
    ]
    # Worded together: a source may tell one row from the others shown (namesake schools).
    worded = source.rows([*shown, *chosen_elsewhere])
    return {
        "name": name,
        "single": single,
        "optional": single and optional,
        "shown_filter": [(k, getattr(f, k)) for k in FILTER_FIELDS],
        "matches": worded[: len(shown)],
        "total": total,
        "more": max(0, total - len(shown)),
        "chosen_elsewhere": worded[len(shown) :],
        "selected_ids": set(selected_ids),
        "selected_count": len(selected_ids),
        "unit": source.unit,
        "none_found": source.none_found,
    }


def options_context(candidates, source: PickSource = PEOPLE) -> dict:
    """The filter menus that can narrow these candidates."""
    menus = _shared(candidates, (source, "menus"), lambda: source.menus(candidates))
    menus = [m for m in menus if len(m.choices) >= m.shown_from]
    return {"menus": menus, "search_hint": source.search_hint}


# What pickers with the very same candidates (one queryset given to several fields of a form:
# a network's chair, secretary and committee) compute once: it lives as long as that queryset.
_SHARED: WeakKeyDictionary = WeakKeyDictionary()


def _shared(candidates: QuerySet, key, compute):
    if not isinstance(candidates, QuerySet) or candidates is PeoplePicker.candidates:
        return compute()  # a manager, or the class's own "nobody": shared by every form
    found = _SHARED.setdefault(candidates, {})
    if key not in found:
        found[key] = compute()
    return found[key]


class PeoplePicker(forms.Widget):
    """Checkboxes, or radio buttons when exactly one is chosen (``single``).

    ``candidates`` are the rows shown and searched; the field's queryset (what a submitted
    choice is checked against) is the same unless a form widens it on purpose, so that a
    refusal can say why (accounts/forms.py). ``include`` is a selector of another input of the
    form that the candidates follow (the account's school): a filter request sends it along,
    and changing it asks for the rows again, in the same queue as the search, so a slower
    answer never replaces a newer one and the search box keeps what was typed."""

    template_name = "registry/_picker.html"
    allow_multiple_selected = True
    candidates = Person.objects.none()

    def __init__(self, attrs=None, *, single: bool = False, source: PickSource = PEOPLE):
        super().__init__(attrs)
        self.single = single
        self.source = source
        self.include = ""
        self.allow_multiple_selected = not single

    def value_from_datadict(self, data, files, name):
        if self.single:
            return data.get(name)
        chosen = [str(v) for v in data.getlist(name)] if hasattr(data, "getlist") else []
        if data.get(f"{name}__all"):
            # The filter of the rows on screen when the box was ticked, not the inputs'
            # current text (which may have changed without a new search yet).
            matches = self.source.match(self.candidates, filter_from(data, f"{name}__shown"))
            chosen += [str(pk) for pk in matches.values_list("pk", flat=True)]
        return list(dict.fromkeys(chosen))

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty choice is a choice (nobody), never "field not on the form"

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values]

    def _render(self, template_name, context, renderer=None):
        # The project's templates, not only Django's form templates (the default renderer's).
        return mark_safe(render_to_string(template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {
            **results_context(
                self.candidates,
                PickFilter(),
                context["widget"]["value"],
                name,
                single=self.single,
                optional=not self.is_required,
                source=self.source,
            ),
            **options_context(self.candidates, self.source),
            "include": self.include,
        }
        return context


class _Picks:
    """What both picker fields share: the widget follows the field's candidates."""

    source: PickSource = PEOPLE
    single = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PeoplePicker(single=self.single, source=self.source))
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        forms.ModelChoiceField._set_queryset(self, queryset)
        # The queryset given, not the field's copy of it: fields given the same one share
        # their picker's counts, rows and menus (registry.picker._shared).
        self.widget.candidates = self.queryset if queryset is None else queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class PeoplePickerField(_Picks, ThaiModelMultipleChoiceField):
    default_error_messages = {
        "required": "ยังไม่ได้เลือกบุคลากร",
        "invalid_choice": "มีรายชื่อที่เลือกไม่ได้ในหน้านี้ (ลำดับที่ %(value)s) โปรดค้นหาและเลือกใหม่",
        "invalid_pk_value": "รายชื่อที่ส่งมาไม่ถูกต้อง",
        "invalid_list": "รายชื่อที่ส่งมาไม่ถูกต้อง",
    }


class PersonPickerField(_Picks, forms.ModelChoiceField):
    """One person, chosen with the same search and filters: an award nominee, a PLC's
    facilitator, a network's chair, the person an account belongs to."""

    single = True
    default_error_messages = {
        "required": "ยังไม่ได้เลือกบุคลากร",
        "invalid_choice": "เลือกบุคลากรคนนี้ไม่ได้ในหน้านี้ โปรดค้นหาและเลือกใหม่",
    }


PICKER_FIELDS = (PeoplePickerField, PersonPickerField)


def picker_response(request, form: forms.Form) -> HttpResponse | None:
    """Answer a picker's filter request (htmx GET ``?picker=<field>``) from the form's own
    candidates, or None when the request is not one."""
    name = request.GET.get("picker", "")
    field = form.fields.get(name) if request.method == "GET" else None
    if not isinstance(field, PICKER_FIELDS):
        return None
    widget = field.widget
    context = results_context(
        widget.candidates,
        filter_from(request.GET, name),
        request.GET.getlist(name),
        name,
        single=widget.single,
        optional=not field.required,
        source=widget.source,
    )
    return render(request, "registry/_picker_results.html", {"picker": context})
