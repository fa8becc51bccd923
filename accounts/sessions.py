"""Django's database sessions (SESSION_ENGINE), with the session's row read by SQL compiled
once per process.

Every signed-in request starts by reading its session: Django builds and compiles
`Session.objects.get(session_key=key, expire_date__gt=now)` anew each time, which cost the ORM
more CPU than the database spent answering it (about a quarter of what a signed-in request
costs before its view runs). Here that same queryset is a kept query
(krupd.lib.compiled_queries), the request's key and time its arguments.

Nothing else changes: the rows are Django's own (django_session), written and deleted by
Django's code, so signing out, a password change (the session's auth hash) and the idle
timeout (accounts.middleware) end a session exactly as before, on every app server at once.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from krupd.lib import compiled_queries


def session_data(session_key: str) -> str | None:
    """The encoded data of the unexpired session `session_key`, or None: what Django's
    database store reads, with the same query."""
    rows = compiled_queries.rows_for(
        "accounts.session_data",
        lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
            "session_data"
        ),
        (session_key, timezone.now()),
        using=compiled_queries.reading(Session),
    )
    return rows[0][0] if rows else None


class SessionStore(db.SessionStore):
    def load(self):
        data = session_data(self.session_key) if self.session_key else None
        if data is None:
            self._session_key = None  # as Django's store: a new key if anything is saved
            return {}
        return self.decode(data)
