"""The people counts of a data-quality report, kept until the office's people data changes.

Counting every rule over an office's people is the data-quality page's (and the dashboard's
readiness KPI's) whole cost: about a second for an office of 100,000 people, though that
data changes a few times a day. The counts are kept in Django's cache under a key that
includes a fingerprint of everything they are computed from, read in one cheap query:

* the state of the office's people data (registry.fingerprint), with which learning areas
  they teach;
* which standing is the assistant-teacher one (read by a rule);
* the day (age and date rules compare with today), the office's ID setting, and the exact
  query (so a report of some schools never reuses the whole office's counts).

Any change to those gives a new key, so a stale report is never served; an unchanged office
is answered from the cache. Scores are still computed from the counts at every request, so
currency follows the clock. Each server process keeps its own copy (local-memory cache),
which only costs one recount per process after a change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from .fingerprint import office_people_state
from .models import AcademicStanding

# A day: long enough to serve a quiet office from memory, short enough to free it.
TIMEOUT_SECONDS = 24 * 60 * 60
ASSISTANT_STANDING = "assistant"


def _fingerprint(office_id: int, using: str) -> tuple:
    standing = AcademicStanding._meta.db_table
    # Which standing is the assistant-teacher one is read by a rule too. The code is a
    # constant of ours, not user input.
    assistant = f"SELECT SUM(id) FROM {standing} WHERE code = '{ASSISTANT_STANDING}'"
    return office_people_state(office_id, using, areas_taught=True, extra=(assistant,))


def people_counts(office_id: int, query_key: str, day, allow_leading_zero_or_nine: bool,
                  compute: Callable[[], list[dict]], using: str) -> list[dict]:  # fmt: skip
    """The rows `compute` returns, from the cache while the office's people data is unchanged.

    `using` is the database the counts are read from: the fingerprint must come from the same
    one (a report page may read from a replica that lags the primary)."""
    parts = (office_id, query_key, day.isoformat(), allow_leading_zero_or_nine,
             _fingerprint(office_id, using))  # fmt: skip
    key = "quality-people:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    rows = cache.get(key)
    if rows is None:
        rows = compute()
        cache.set(key, rows, TIMEOUT_SECONDS)
    return rows
