"""{% page_url 'registry:people' %}: the address of a page that takes no arguments, reversed
once per process rather than on every request (the menu of base.html reversed 15 of them per
page, about a third of its rendering).

{% static_url 'krupd/krupd.css' %}: what {% static %} gives, worked out once per process: the
layout's nine style sheets, scripts and icon asked the storage on every page (in production the
hashed name from the manifest), about a tenth of a signed-in page's fixed cost. The manifest is
read when a worker starts, so a worker already gives the same address for its whole life."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.templatetags.static import static
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


@lru_cache(maxsize=256)
def _static(path: str, static_url: str, storages: str) -> str:
    # Keyed by what the address depends on besides the path (tests may change them).
    return static(path)


@register.simple_tag
def static_url(path: str) -> str:
    """What `{% static path %}` gives (escaped the same way, as a simple tag's output is)."""
    return _static(path, settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))
