"""The sign-in backend: Django's, with the signed-in user's person record read with the user.

Most pages a teacher opens ask for `request.user.person` (their enrolments, their records),
which ModelBackend would fetch with a second query on every request; here it comes in the
same statement, a LEFT JOIN on a one-to-one key.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from krupd.lib import compiled_queries
from krupd.lib.query_params import MAX_ID

from .models import User


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
            "accounts.user_with_person",
            lambda pk: User._default_manager.select_related("person").filter(pk=pk),
            user_id,
            using=compiled_queries.reading(User),
        )
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
