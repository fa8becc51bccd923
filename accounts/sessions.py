"""Django's database sessions (SESSION_ENGINE), with the session's row read by SQL compiled
once per process.

Every signed-in request starts by reading its session: Django builds and compiles
`Session.objects.get(session_key=key, expire_date__gt=now)` anew each time, which cost the ORM
more CPU than the database spent answering it (about a quarter of what a signed-in request
costs before its view runs). Here that same queryset is compiled once per database, with
stand-in values, and run with the request's key and time in their places.

Nothing else changes: the rows are Django's own (django_session), written and deleted by
Django's code, so signing out, a password change (the session's auth hash) and the idle
timeout (accounts.middleware) end a session exactly as before, on every app server at once.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

# Values no real session has, so their places among the compiled query's parameters are known.
_STAND_IN_KEY = "stand-in-session-key-never-issued"
_STAND_IN_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC)

_kept: dict[str, tuple[str, list, int, int]] = {}  # database alias: sql, params, key/time slots


def _compiled(using: str) -> tuple[str, list, int, int]:
    if using not in _kept:
        queryset = Session.objects.filter(
            session_key=_STAND_IN_KEY, expire_date__gt=_STAND_IN_TIME
        ).values_list("session_data")
        sql, params = queryset.query.get_compiler(using).as_sql()
        params = list(params)
        key_slot = params.index(_STAND_IN_KEY)
        time_slot = params.index(_prepared_time(_STAND_IN_TIME, using))
        _kept[using] = (sql, params, key_slot, time_slot)
    return _kept[using]


def _prepared_time(moment: dt.datetime, using: str):
    """`moment` as the ORM hands it to this database (a string on SQLite)."""
    field = Session._meta.get_field("expire_date")
    return field.get_db_prep_value(moment, connections[using], prepared=False)


def session_data(session_key: str) -> str | None:
    """The encoded data of the unexpired session `session_key`, or None: what Django's
    database store reads, with the same query."""
    using = router.db_for_read(Session)
    sql, stand_in_params, key_slot, time_slot = _compiled(using)
    params = list(stand_in_params)
    params[key_slot] = session_key
    params[time_slot] = _prepared_time(timezone.now(), using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


class SessionStore(db.SessionStore):
    def load(self):
        data = session_data(self.session_key) if self.session_key else None
        if data is None:
            self._session_key = None  # as Django's store: a new key if anything is saved
            return {}
        return self.decode(data)
