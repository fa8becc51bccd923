"""The shared form layout (templates/_form.html, _field.html, _row_errors.html): how wide
each field sits, and a table of rows' errors named by row."""

import html

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Widgets that need the whole row: several lines of text or a list of options.
WIDE_WIDGETS = {"textarea", "checkboxselectmultiple", "radioselect", "selectmultiple"}
# A one-line text box this long (a course title, an address) reads better across the row.
WIDE_TEXT_LENGTH = 200


@register.filter
def field_layout(bound_field) -> str:
    """CSS classes of a field's box in the form grid: ``field-check`` puts a checkbox before its
    label, ``field-wide`` spans the row; number, year and date boxes are narrowed by their own
    classes (krupd/forms.py)."""
    kind = bound_field.widget_type
    if kind == "checkbox":
        return "field field-check"
    max_length = getattr(bound_field.field, "max_length", None) or 0
    if kind in WIDE_WIDGETS or (kind == "text" and max_length >= WIDE_TEXT_LENGTH):
        return "field field-wide"
    return "field"


@register.simple_tag
def options(items, selected="", value="id", label="name"):
    """The `<option>`s of a filter drop-down, built here rather than by a template loop (a list
    of a hundred schools cost the people page about 14,000 Python calls that way).

    `items` are (value, label) pairs, such as a model field's choices, or objects whose
    `value` and `label` attributes (or keys) give them; the option whose value equals
    `selected` (compared as text, as it arrives in the query string) is marked selected.
    Values and labels are escaped."""
    chosen = "" if selected is None else str(selected)
    out = []
    for item in items:
        if isinstance(item, (tuple, list)):
            key, text = item[0], item[1]
        elif isinstance(item, dict):
            key, text = item[value], item[label]
        else:
            key, text = getattr(item, value), getattr(item, label)
        key = str(key)
        mark = " selected" if key == chosen else ""
        out.append(f'<option value="{html.escape(key)}"{mark}>{html.escape(str(text))}</option>')
    return mark_safe("".join(out))


@register.filter
def row_errors(formset) -> list[str]:
    """Every error of a table of rows, each naming its row and box ("แถวที่ 2 · หักต่อเดือน
    (บาท): กรุณากรอกตัวเลข"), for the summary above the table: on a phone the table is a
    column of cards, and a message under one box far down the page is easily missed. Rows
    marked to be deleted are left out, as the formset's own check leaves them out."""
    if formset is None or not formset.is_bound:
        return []
    out = []
    for number, form in enumerate(formset.forms, start=1):
        errors = form.errors  # checks the row, if the view has not (its other form failed)
        # Django's own rule for a row ticked "delete" (BaseFormSet.is_valid uses it too).
        if formset.can_delete and formset._should_delete_form(form):
            continue
        for name, messages in errors.items():
            field = form.fields.get(name)
            where = f"แถวที่ {number} · {field.label}" if field and field.label else f"แถวที่ {number}"
            out.extend(f"{where}: {message}" for message in messages)
    return out
