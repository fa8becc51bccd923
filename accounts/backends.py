"""The sign-in backend: Django's, with the signed-in user's person record read with the user.

Most pages a teacher opens ask for `request.user.person` (their enrolments, their records),
which ModelBackend would fetch with a second query on every request; here it comes in the
same statement, a LEFT JOIN on a one-to-one key.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = User._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
