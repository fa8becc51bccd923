"""The SAR page's evidence tables' rows, built here rather than by a template loop: a large
office's round lists thousands of courses twice (the methods annex and the results table),
some 45,000 cells that cost the page about half a second through `{% for %}` and `{{ }}`.
The markup is the one the loops gave, byte for byte."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def table_rows(rows) -> str:
    """`<tr><td>…</td>…</tr>` for each row, each value shown as `{{ value }}` shows it
    (localized, then escaped)."""
    # The tables repeat their counts, percentages and labels: each distinct int or str is
    # localized and escaped once per table (only those two types: equal values of others
    # can show differently, Decimal("1.0") and Decimal("1.00"), or True and 1).
    shown: dict[tuple[type, object], str] = {}

    def cell(v) -> str:
        kind = type(v)
        if kind is not int and kind is not str:
            return f"<td>{conditional_escape(localize(v))}</td>"
        html = shown.get((kind, v))
        if html is None:
            html = shown[kind, v] = f"<td>{conditional_escape(localize(v))}</td>"
        return html

    return mark_safe("".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows))
