"""Table cells written by Python template tags instead of `{% for %}` loops (a large table's
loop costs more than its query): a value shown as `{{ value }}` shows it, and the formatting
of values that repeat from row to row done once per table."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape


def shown(value) -> str:
    """`{{ value }}` as a template renders it (localized, then escaped). Plain text, most
    cells, is only escaped (localize returns it as it is; Django's escape is html.escape):
    the general path cost a table of fifty schools 450 calls through both."""
    if type(value) is str:
        return html.escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)  # what localize gives a whole number without digit grouping
    return conditional_escape(localize(value))


def once_per_table(function: Callable[[object], str]) -> Callable[[object], str]:
    """`function` remembering its result for each value within one table (make one per
    table): counts, scores and labels repeat, and formatting is the dearest part of a row.

    Only values whose equality means they show the same are remembered: None, int and str by
    type and value (True is not 1), a float by its repr (-0.0 is not 0.0). Others are
    formatted each time: equal Decimals can show differently (1.0 and 1.00)."""
    remembered: dict[tuple, str] = {}

    def call(value) -> str:
        kind = type(value)
        if kind is int or kind is str or value is None:
            key = (kind, value)
        elif kind is float:
            key = (kind, repr(value))
        else:
            return function(value)
        result = remembered.get(key)
        if result is None:
            result = remembered[key] = function(value)
        return result

    return call


# An id no row has, to reverse a page's URL once and put each row's id in its place.
_ANY_ID = 987654321987


def url_parts(name: str) -> tuple[str, str]:
    """The URL of page `name` (one id argument) before and after the id: a row's link is
    before + id + after, reversed once per table instead of once per row."""
    before, after = reverse(name, args=[_ANY_ID]).split(str(_ANY_ID))
    return before, after


@functools.cache
def choice_labels(model, field_name: str) -> dict:
    """{stored value: label} of a model field's choices: what `get_<field>_display()` shows,
    which rebuilds this dict at every call (6-8 µs; a table of fifty rows, 0.3-0.4 ms).
    A value outside the choices shows as itself, as there."""
    return dict(model._meta.get_field(field_name).flatchoices)


def grouped_int(value) -> str:
    """`{{ value|intcomma }}` of a whole number (Thai grouping: 1,234,567), without Django's
    localisation machinery (9 µs a cell); anything else goes through intcomma itself."""
    if type(value) is int:
        return f"{value:,}"
    from django.contrib.humanize.templatetags.humanize import intcomma

    return intcomma(value)
