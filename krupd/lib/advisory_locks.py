"""PostgreSQL advisory locks held until the transaction ends, for the summary tables that
writes keep in their own transaction (developed hours, data-quality counts)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


def hold_for_transaction(keys: Iterable[tuple[int, int]], *, shared: bool = False) -> None:
    """Lock these (name space, key) pairs until the transaction ends, all in one statement
    and in one order, so two writers asking for overlapping sets cannot deadlock on them.

    Nothing on SQLite, which lets one writer at a time in anyway."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(set(keys))
    if not keys:
        return
    fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {fn}(a, b) FROM unnest(%s::int[], %s::int[]) AS k(a, b) ORDER BY a, b",
            [[a for a, _ in keys], [b for _, b in keys]],
        )
