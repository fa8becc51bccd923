"""{% page_url 'registry:people' %}: the address of a page that takes no arguments, reversed
once per process rather than on every request (the menu of base.html reversed 15 of them per
page, about a third of its rendering)."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=512)
def _reversed(name: str, prefix: str, urlconf, root_urlconf: str) -> str:
    # The address depends on the URL name and on what reverse() reads besides it: the
    # script prefix (a site served under a path), and the URL configuration in use.
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def page_url(name: str) -> str:
    """What `{% url name %}` gives (escaped the same way, as a simple tag's output is)."""
    return _reversed(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
