"""The shared form layout (templates/_form.html, _field.html): how wide each field sits."""

from django import template

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
