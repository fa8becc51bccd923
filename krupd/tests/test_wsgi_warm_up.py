"""A worker loads every page's code and the URL map as it starts (krupd/wsgi.py), so that the
first request after a deploy or a worker's recycling does not pay for them; also the Thai word
dictionary of PDF line breaks (a worker's first sign-in sheet took ~2 s building it). What it
loaded then is frozen out of the garbage collector's full passes."""

import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
import krupd.wsgi
from django.urls import get_resolver
resolver = get_resolver()
from pythainlp.tokenize import word_dict_trie
from django.db import connections
print("training.views" in sys.modules, resolver._populated,
      all(sub._populated for _, sub in resolver.namespace_dict.values()),
      word_dict_trie.cache_info().currsize == 1, gc.get_freeze_count() > 100_000,
      all(c.connection is None for c in connections.all(initialized_only=True)))
"""


def test_importing_the_wsgi_application_loads_the_pages_and_the_url_map():
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True"] * 6


def _gunicorn_settings(**environ) -> dict:
    import os
    import runpy

    root = Path(__file__).resolve().parents[2]
    saved = {k: os.environ.get(k) for k in environ}
    os.environ.update(environ)
    try:
        return runpy.run_path(str(root / "gunicorn.conf.py"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_workers_are_forked_from_a_loaded_app_unless_turned_off():
    """A recycled worker (max_requests) starts by forking the master, which loaded the app
    once, instead of loading it again; GUNICORN_PRELOAD=0 turns that off."""
    settings = _gunicorn_settings()
    assert settings["preload_app"] is True and settings["max_requests"] > 0
    assert _gunicorn_settings(GUNICORN_PRELOAD="0")["preload_app"] is False
