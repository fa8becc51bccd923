"""Sending limits shared by every worker process, kept in the database.

LINE limits pushes per channel (2,000 a second), not per process: with several workers a
limiter in each process would let them exceed it together. Here the limit is one row per
key holding the moment the next message may go out (the "virtual scheduling" form of a
token bucket). A worker reserves a small block of sends at a time under the row's lock,
then sleeps, outside any transaction, until its block's turn comes; so the database sees one
short UPDATE per block, not one per message.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone

from .models import RateLimit

BLOCK = 20  # sends reserved at a time


def reserve(key: str, count: int, per_second: float) -> float:
    """Reserve `count` sends under the limit; returns the seconds to wait before the first."""
    RateLimit.objects.get_or_create(key=key, defaults={"next_free_at": timezone.now()})
    with transaction.atomic():
        row = RateLimit.objects.select_for_update().get(key=key)
        now = timezone.now()
        start = max(row.next_free_at, now)
        row.next_free_at = start + dt.timedelta(seconds=count / per_second)
        row.save(update_fields=["next_free_at"])
    return (start - now).total_seconds()


class SharedLimit:
    """At most `per_second` sends a second under `key`, across all processes. Zero or less
    turns the limit off (the benchmark's local fake server has none)."""

    def __init__(self, key: str, per_second: float, *, block: int = BLOCK, sleep=time.sleep):
        self.key = key
        self.per_second = per_second
        self.block = block
        self.sleep = sleep
        self._left = 0

    def wait(self) -> None:
        if self.per_second <= 0:
            return
        if not self._left:
            delay = reserve(self.key, self.block, self.per_second)
            if delay > 0:
                self.sleep(delay)
            self._left = self.block
        self._left -= 1
