import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load every page's code and the URL map now, as the worker starts, not during the first
    request it serves: left to that request (anyone's home page after a deploy or a worker's
    recycling, see gunicorn.conf.py max_requests) it took 3-4 s of CPU."""
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # imports every app's urls and views  # noqa: B018
    pending = [resolver]
    while pending:  # reverse()'s maps, of every namespace ("registry:quality" …)
        current = pending.pop()
        current.reverse_dict  # noqa: B018
        pending.extend(sub for _, sub in current.namespace_dict.values())
    # The Thai word dictionary that PDF line breaks and search use, built on first use: 1-1.5 s
    # of CPU (62,000 words into a trie) that made a worker's first sign-in sheet or
    # certificate take ~2 s.
    from pythainlp.tokenize import word_tokenize

    word_tokenize("ใบลงชื่อผู้เข้ารับการพัฒนา", engine="newmm")


def _freeze_what_lasts() -> None:
    """Everything loaded by now (modules, the URL map, the word dictionary) lives as long as
    the worker: keep it out of the garbage collector's full passes, which scanned its ~235,000
    objects every few requests and added 0.13-0.15 s of CPU to one request in two or three of
    a large office's pages. Objects made later are collected as before."""
    gc.collect()  # nothing already dead is frozen
    gc.freeze()


def _no_connection_to_share() -> None:
    """gunicorn forks its workers from the process that loaded the app (preload_app): a
    database connection opened while loading would be one socket shared by every worker."""
    from django.db import connections

    connections.close_all()


_warm_up()
_no_connection_to_share()
_freeze_what_lasts()
