"""The SAR page's evidence tables' rows, built here rather than by a template loop: a large
office's round lists thousands of courses twice (the methods annex and the results table),
some 45,000 cells that cost the page about half a second through `{% for %}` and `{{ }}`.
The markup is the one the loops gave, byte for byte."""

from django import template
from django.utils.safestring import mark_safe

from krupd.lib.table_cells import once_per_table, shown

register = template.Library()


@register.simple_tag
def table_rows(rows) -> str:
    """`<tr><td>…</td>…</tr>` for each row, each value shown as `{{ value }}` shows it; the
    tables repeat their counts, percentages and labels, each formatted once per table."""
    cell = once_per_table(lambda value: f"<td>{shown(value)}</td>")
    return mark_safe("".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows))
