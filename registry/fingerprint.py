"""The state of an office's people data, read in one cheap query, for summaries kept until
that data changes (registry.quality_cache, staffing.summary).

What the state covers, and why that is enough:

* the office's people: how many, the sum of their ids and the latest `updated_at`. Every write
  of a person goes through save() or the import, and both set `updated_at` (position history
  is only written with the person it belongs to); ids are never reused, so a delete plus an
  insert changes the sum;
* the office's schools (count and id sum): deleting a school clears the secondments to it
  without touching the people;
* the majors' learning-area mapping, which every count by learning area reads;
* optionally, which learning areas people teach (rows of the many-to-many table), and their
  position history (rows of it: the staffing counts read status changes, and a history row
  may be recorded on its own, e.g. a leaving date entered later).

Any change to those gives another state, so a stale summary is never used.
"""

from __future__ import annotations

from django.db import connections

from .models import Major, Person, PositionChange, School


def office_people_state(
    office_id: int,
    using: str,
    *,
    areas_taught: bool = False,
    position_history: bool = False,
    extra: tuple[str, ...] = (),
) -> tuple:
    """The state as a tuple of numbers; `extra` adds scalar subqueries of the caller's own
    (without parameters)."""
    person = Person._meta.db_table
    school = School._meta.db_table
    major = Major._meta.db_table
    parts = [
        (f"SELECT COUNT(*) FROM {person} WHERE office_id = %s", [office_id]),
        (f"SELECT SUM(id) FROM {person} WHERE office_id = %s", [office_id]),
        (f"SELECT MAX(updated_at) FROM {person} WHERE office_id = %s", [office_id]),
        (f"SELECT COUNT(*) FROM {school} WHERE office_id = %s", [office_id]),
        (f"SELECT SUM(id) FROM {school} WHERE office_id = %s", [office_id]),
        (f"SELECT COUNT(*) FROM {major}", []),
        (f"SELECT SUM(id * (1 + COALESCE(learning_area_id, 0))) FROM {major}", []),
    ]
    if areas_taught:
        taught = Person.areas_taught.through._meta.db_table
        rows = f"{taught} t JOIN {person} p ON p.id = t.person_id WHERE p.office_id = %s"
        parts += [
            (f"SELECT COUNT(*) FROM {rows}", [office_id]),
            (f"SELECT SUM(t.id) FROM {rows}", [office_id]),
        ]
    if position_history:
        history = PositionChange._meta.db_table
        rows = f"{history} c JOIN {person} p ON p.id = c.person_id WHERE p.office_id = %s"
        parts += [
            (f"SELECT COUNT(*) FROM {rows}", [office_id]),
            (f"SELECT SUM(c.id) FROM {rows}", [office_id]),
        ]
    parts += [(sql, []) for sql in extra]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in parts)
    params = [p for _, part_params in parts for p in part_params]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())
