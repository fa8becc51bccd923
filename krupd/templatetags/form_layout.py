"""The shared form layout (templates/_form.html, _field.html): how wide each field sits."""

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
