"""The sign-in backend: Django's, with the signed-in user's person record and office read
with the user.

Most pages a teacher opens ask for `request.user.person` (their enrolments, their records),
and the office's pages for `request.user.office` (its rules, its name), which ModelBackend
would fetch with a query each on every request; here they come in the same statement, LEFT
JOINs on their keys.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from krupd.lib import compiled_queries
from krupd.lib.query_params import MAX_ID

from .models import User
from .roles import SCHOOL_ROLES


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        # Every signed-in request asks this: its SQL is compiled once, only the id varies.
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        if not 0 < user_id <= MAX_ID:  # no such row; the database would refuse the number
            return None
        found = compiled_queries.objects_for(
            "accounts.user_with_person_and_office",
            lambda pk: User._default_manager.select_related("person", "office").filter(pk=pk),
            user_id,
            using=compiled_queries.reading(User),
        )
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):
            return None
        follow_person_school(user)
        return user


def follow_person_school(user) -> None:
    """A director's or teacher's school is their person record's school (an account is made
    only so), also after the record moved: a director moved to another school by the person
    form or an import kept the old school's people, PA agreements and ID plans, and could
    approve them there, until someone edited the account. A record moved to another office, or
    to no school, leaves the account no school: it sees no school's rows."""
    person = user.person if user.person_id else None
    if person is None or user.role not in SCHOOL_ROLES:
        return
    school_id = person.school_id if person.office_id == user.office_id else None
    if school_id != user.school_id:
        user.school_id = school_id  # this request only; the stored account is the admin's
