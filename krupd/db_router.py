"""Report pages read from the read replica; everything else uses the primary.

Settings add a ``replica`` database and this router only when ``DATABASE_REPLICA_URL`` is set
(docs/deploy.md §4). Even then, a read goes to the replica only inside an explicit *report
reads* scope: a view decorated with ``@reads_from_replica`` (GET and HEAD only) or code run in
``with report_reads():``. Everything else — every write, every read of an ordinary page, and so
every read that follows a write in the same request — uses the primary, so a page never shows
data older than what its user just saved. A replica lags the primary by a moment (normally
under a second), which is harmless for dashboards and annual summaries only.

Inside a scope, reads stay on the primary:

* while a transaction is open on the primary (it must see its own uncommitted writes);
* once anything was written to the primary in that scope (an audit entry, a ``get_or_create``
  that created): the rest of the scope reads its own writes;
* for sessions and the task queue, which are never read from a copy.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Apps whose rows must always be read fresh: a session created a moment ago, a task just queued.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_tasks_database"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Statements that write nothing: reads (PostgreSQL's server-side cursors for .iterator() are
# DECLARE … FOR SELECT, FETCH, CLOSE) and transaction control. Anything else sent to the
# primary inside a scope (INSERT, UPDATE, DELETE, DDL, anything unforeseen) counts as a write.
NOT_WRITES = ("SELECT", "EXPLAIN", "SHOW", "DECLARE", "FETCH", "CLOSE", "MOVE", "SET", "BEGIN",
              "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")  # fmt: skip


@dataclass
class _Scope:
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("krupd_report_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in connections


@contextmanager
def report_reads() -> Iterator[None]:
    """Read from the replica, when one is configured, until the block ends.

    Nested scopes share the outer one. A write sent to the primary while the scope is open
    switches the rest of the scope back to the primary.
    """
    if _scope.get() is not None or not replica_configured():
        yield
        return
    scope = _Scope()

    def watch(execute, sql, params, many, context):
        if not scope.wrote and not str(sql).lstrip().upper().startswith(NOT_WRITES):
            scope.wrote = True
        return execute(sql, params, many, context)

    token = _scope.set(scope)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(watch):
            yield
    finally:
        _scope.reset(token)


def reads_from_replica(view):
    """View decorator: GET and HEAD requests run inside ``report_reads()``; other methods,
    which may write, are left alone. Put it below ``@login_required`` so the session and the
    user are loaded from the primary first."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with report_reads():
            return view(request, *args, **kwargs)

    wrapped.reads_from_replica = True
    return wrapped


class ReportReplicaRouter:
    """``DATABASE_ROUTERS`` entry when a replica is configured (settings.py)."""

    def db_for_read(self, model, **hints):
        if self._replica_allowed(model):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from one may point at the other.
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary through replication, never through migrations.
        if db == REPLICA:
            return False
        return None

    @staticmethod
    def _replica_allowed(model) -> bool:
        scope = _scope.get()
        if scope is None or scope.wrote or not replica_configured():
            return False
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return False
        return not _in_transaction(connections[DEFAULT_DB_ALIAS])


def _in_transaction(connection) -> bool:
    """A transaction is open on the primary. The ones Django's TestCase opens around each test
    (marked ``_from_testcase``, as Django's own durable-atomic check reads them) stand for
    committed data, so tests see the routing production sees."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
