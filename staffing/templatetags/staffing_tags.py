"""Small display filters for staffing pages."""

from django import template

from krupd.lib.numerals import format_percent
from staffing.queries import LEVEL_SHORT

register = template.Library()


@register.filter
def level_label(value: str) -> str:
    return LEVEL_SHORT.get(value, value)


@register.filter
def absval(value):
    return None if value is None else abs(value)


@register.filter
def signed(value) -> str:
    """+3 / −2 / 0, the way staffing tables write surplus and shortage."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value:,}"
    if value < 0:
        return f"−{-value:,}"
    return "0"


@register.filter
def signed_percent(value) -> str:
    """A surplus (+) or shortage (−) as a percentage, signed as `signed` writes the
    difference beside it: +50.00 / −33.33 / 0.00, "—" for none."""
    if value is None or value == "":
        return "—"
    text = format_percent(abs(value))
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
