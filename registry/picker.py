"""The people picker: the one way a page lets someone choose people (nominating for a course,
PLC members, people visited, award nominees, best-practice owners).

A form declares ``PeoplePickerField(queryset=candidates)``; the page shows a search box and
filters (school, position, academic standing, learning area, open development need), the
matching people as a checkbox list that works on a phone, and "select all filtered". Filtering
is an htmx GET to the page itself, answered by ``picker_response`` before the view does
anything else, so the candidates (and so the permission scope) are exactly the form's.

"Select all filtered" is resolved on the server from the submitted filter, so it takes every
match, also those beyond the rows shown.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .models import AcademicStanding, LearningArea, Person, PersonnelType, School
from .queries import PickFilter, pick_people

# Rows shown at once; a bigger match is taken whole by "select all filtered" or narrowed.
SHOWN = 100
FILTER_FIELDS = tuple(PickFilter.__dataclass_fields__)


def filter_from(data, name: str) -> PickFilter:
    """The filter a picker named ``name`` submitted (``people__q``, ``people__school`` …)."""
    return PickFilter(**{f: str(data.get(f"{name}__{f}", "")).strip()[:100] for f in FILTER_FIELDS})


def _selected_ids(values) -> list[int]:
    return list(dict.fromkeys(int(v) for v in values if str(v).isdigit() and len(str(v)) < 19))


def results_context(
    candidates, f: PickFilter, selected, name: str, *, single: bool = False, optional: bool = False
) -> dict:
    """The list part of the picker: who is already chosen, and the current matches. An
    optional single choice (a network's secretary) also offers "nobody"."""
    selected_ids = _selected_ids(selected)
    rows = candidates.select_related("school", "office", "academic_standing")
    matches = pick_people(rows, f)
    total = matches.count()
    shown = list(matches[:SHOWN])
    shown_ids = {p.pk for p in shown}
    chosen_elsewhere = [
        p for p in rows.filter(pk__in=selected_ids).order_by("first_name") if p.pk not in shown_ids
    ]
    return {
        "name": name,
        "single": single,
        "optional": single and optional,
        "shown_filter": [(k, getattr(f, k)) for k in FILTER_FIELDS],
        "matches": shown,
        "total": total,
        "more": max(0, total - len(shown)),
        "chosen_elsewhere": chosen_elsewhere,
        "selected_ids": set(selected_ids),
        "selected_count": len(selected_ids),
    }


def options_context(candidates) -> dict:
    """The filter menus, limited to what the candidates actually have (a fixed few queries)."""
    types = dict(PersonnelType.choices)
    present_types = candidates.order_by().values_list("personnel_type", flat=True).distinct()
    office_id = candidates.order_by().values_list("office_id", flat=True).first()
    topics = []
    if office_id and apps.is_installed("planning"):
        from planning.queries import need_topics

        topics = list(need_topics(office_id))
    return {
        "schools": School.objects.filter(pk__in=candidates.order_by().values("school_id"))
        .only("id", "name")
        .order_by("name"),
        "types": [(t, types.get(t, t)) for t in sorted(present_types, key=list(types).index)],
        "standings": AcademicStanding.objects.filter(
            pk__in=candidates.order_by().values("academic_standing_id")
        ),
        "areas": LearningArea.objects.all(),
        "topics": topics,
    }


class PeoplePicker(forms.Widget):
    """Checkboxes, or radio buttons when exactly one person is chosen (``single``)."""

    template_name = "registry/_picker.html"
    allow_multiple_selected = True
    candidates = Person.objects.none()

    def __init__(self, attrs=None, *, single: bool = False):
        super().__init__(attrs)
        self.single = single
        self.allow_multiple_selected = not single

    def value_from_datadict(self, data, files, name):
        if self.single:
            return data.get(name)
        chosen = [str(v) for v in data.getlist(name)] if hasattr(data, "getlist") else []
        if data.get(f"{name}__all"):
            # The filter of the rows on screen when the box was ticked, not the inputs'
            # current text (which may have changed without a new search yet).
            matches = pick_people(self.candidates, filter_from(data, f"{name}__shown"))
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
            ),
            **options_context(self.candidates),
        }
        return context


class PeoplePickerField(forms.ModelMultipleChoiceField):
    widget = PeoplePicker
    default_error_messages = {
        "required": "ยังไม่ได้เลือกบุคลากร",
        "invalid_choice": "มีรายชื่อที่เลือกไม่ได้ในหน้านี้ (ลำดับที่ %(value)s) โปรดค้นหาและเลือกใหม่",
        "invalid_pk_value": "รายชื่อที่ส่งมาไม่ถูกต้อง",
        "invalid_list": "รายชื่อที่ส่งมาไม่ถูกต้อง",
    }

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.candidates = self.queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)


class PersonPickerField(forms.ModelChoiceField):
    """One person, chosen with the same search and filters: an award nominee, a PLC's
    facilitator, a network's chair, the person an account belongs to."""

    default_error_messages = {"invalid_choice": "เลือกบุคลากรคนนี้ไม่ได้ในหน้านี้ โปรดค้นหาและเลือกใหม่"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PeoplePicker(single=True))
        kwargs.setdefault("error_messages", {"required": "ยังไม่ได้เลือกบุคลากร"})
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.candidates = self.queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


PICKER_FIELDS = (PeoplePickerField, PersonPickerField)


def picker_response(request, form: forms.Form) -> HttpResponse | None:
    """Answer a picker's filter request (htmx GET ``?picker=<field>``) from the form's own
    candidates, or None when the request is not one."""
    name = request.GET.get("picker", "")
    field = form.fields.get(name) if request.method == "GET" else None
    if not isinstance(field, PICKER_FIELDS):
        return None
    context = results_context(
        field.queryset,
        filter_from(request.GET, name),
        request.GET.getlist(name),
        name,
        single=field.widget.single,
        optional=not field.required,
    )
    return render(request, "registry/_picker_results.html", {"picker": context})
