"""{% page_url %} gives what {% url %} gives, also under a script prefix; {% static_url %}
gives what {% static %} gives, also when the static settings change."""

import re
from pathlib import Path

import pytest
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


def _static_paths() -> list[str]:
    return re.findall(r"\{% static_url '([^']+)' %\}", BASE.read_text())


def _both_static(path: str) -> tuple[str, str]:
    new = Template("{% load links %}{% static_url '" + path + "' %}").render(Context())
    return new, Template("{% load static %}{% static '" + path + "' %}").render(Context())


def test_static_url_gives_what_the_static_tag_gives_for_every_file_of_the_layout():
    assert len(_static_paths()) > 5
    for path in _static_paths():
        new, old = _both_static(path)
        assert new == old, path


def test_static_url_follows_the_static_settings(settings, tmp_path):
    assert _both_static("krupd/krupd.css") == ("/static/krupd/krupd.css",) * 2
    settings.STATIC_URL = "/assets/"
    assert _both_static("krupd/krupd.css") == ("/assets/krupd/krupd.css",) * 2
    settings.STATIC_URL = "/static/"
    settings.STATIC_ROOT = tmp_path  # empty: a `collectstatic` of this checkout has no say
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with pytest.raises(ValueError):  # no manifest here: the same refusal as {% static %}
        _both_static("krupd/krupd.css")
