"""{% page_url %} gives what {% url %} gives, also under a script prefix."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.urls import set_script_prefix

BASE = Path(settings.BASE_DIR) / "templates" / "base.html"


def _names() -> list[str]:
    return re.findall(r"\{% page_url '([a-z_:]+)' %\}", BASE.read_text())


def _both(name: str) -> tuple[str, str]:
    new = Template("{% load links %}{% page_url '" + name + "' %}").render(Context())
    return new, Template("{% url '" + name + "' %}").render(Context())


def test_it_gives_what_the_url_tag_gives_for_every_link_of_the_menu():
    assert len(_names()) > 10
    for name in _names():
        new, old = _both(name)
        assert new == old, name


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/krupd/")
        new, old = _both("registry:people")
        assert new == old == "/krupd/registry/people/"
    finally:
        set_script_prefix("/")
    assert _both("registry:people") == ("/registry/people/", "/registry/people/")
