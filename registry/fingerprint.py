"""The state of an office's people data, read in one cheap query, for summaries kept until
that data changes (staffing.summary).

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
    """The state as a tuple of numbers; `extra` adds one-row queries of the caller's own
    (without parameters). Each table is read once: one-row aggregates, cross-joined."""
    person = Person._meta.db_table
    school = School._meta.db_table
    major = Major._meta.db_table
    parts = [
        (f"SELECT COUNT(*), SUM(id), MAX(updated_at) FROM {person} WHERE office_id = %s",
         [office_id]),
        (f"SELECT COUNT(*), SUM(id) FROM {school} WHERE office_id = %s", [office_id]),
        (f"SELECT COUNT(*), SUM(id * (1 + COALESCE(learning_area_id, 0))) FROM {major}", []),
    ]  # fmt: skip
    if areas_taught:
        taught = Person.areas_taught.through._meta.db_table
        parts.append((
            f"SELECT COUNT(*), SUM(t.id) FROM {taught} t JOIN {person} p ON p.id = t.person_id "
            "WHERE p.office_id = %s", [office_id],
        ))  # fmt: skip
    if position_history:
        history = PositionChange._meta.db_table
        parts.append((
            f"SELECT COUNT(*), SUM(c.id) FROM {history} c JOIN {person} p ON p.id = c.person_id "
            "WHERE p.office_id = %s", [office_id],
        ))  # fmt: skip
    parts += [(sql, []) for sql in extra]
    sql = "SELECT * FROM " + ", ".join(f"({part}) part{i}" for i, (part, _) in enumerate(parts))
    params = [p for _, part_params in parts for p in part_params]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())
