"""Template filters for Thai display: Buddhist Era dates, Thai digits, national IDs."""

import datetime as dt

from django import template
from django.utils import timezone

from krupd.lib import clipping, numerals, thai_dates, thai_id

register = template.Library()


@register.filter
def be(value, style: str = "short", *, tz=None) -> str:
    """{{ person.birth_date|be }} → 15/03/2530; {{ d|be:"long" }} → 15 มีนาคม 2530.

    tz: the current time zone, when a table's tag looked it up once for all its rows
    (timezone.localtime looks it up at each call: half of a moment's cost)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, tz) if timezone.is_aware(value) else value
        return f"{thai_dates.format_thai_date(value.date(), style=style)} {value:%H:%M} น."
    return thai_dates.format_thai_date(value, style=style)


@register.filter
def be_year(value) -> str:
    """{{ plan.fiscal_year|be_year }} → 2570, never "2,570" whatever the number format."""
    return thai_dates.year_label(value)


@register.filter
def thai_digits(value) -> str:
    return numerals.to_thai_digits("" if value is None else str(value))


@register.filter
def national_id(value: str) -> str:
    return thai_id.format_national_id(value or "")


@register.filter
def masked_id(value: str) -> str:
    return thai_id.mask_national_id(value or "")


@register.filter
def get_item(mapping, key):
    """{{ labels|get_item:code }}: look up a dict entry by a variable key."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def hours(value) -> str:
    """{{ course.hours|hours }} → 12 or 12.5 (never 12.0), the office's way of writing hours."""
    return numerals.format_hours(value)


@register.filter
def percent(value, places: int = 2) -> str:
    """{{ goal.value|percent }} → 75.00; "—" when there is no figure."""
    return numerals.format_percent(value, int(places))


@register.filter
def clip(value, limit: int) -> str:
    """{{ text|clip:120 }}: at most `limit` characters, cut between whole Thai characters
    (a consonant keeps its vowel and tone marks) and ending in "…" when cut."""
    return clipping.clip(str(value or ""), int(limit))
