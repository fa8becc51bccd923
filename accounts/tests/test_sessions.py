"""The session store reads what Django's database store reads, and signing out, a password
change and expiry still end a session (accounts/sessions.py)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.roles import Role
from krupd.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def test_the_site_uses_this_store():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_it_loads_what_djangos_store_loads():
    saved = DjangoSessionStore()
    saved["answer"] = 42
    saved["name"] = "ครู"
    saved.save()
    ours, django = sessions.SessionStore(saved.session_key), DjangoSessionStore(saved.session_key)
    assert ours.load() == django.load() == {"answer": 42, "name": "ครู"}
    assert ours.session_key == saved.session_key


@pytest.mark.parametrize("key", ["no-such-session-key", None])
def test_an_unknown_key_loads_nothing_and_gets_a_new_key_on_save(key):
    ours = sessions.SessionStore(key)
    assert ours.load() == {}
    assert ours.session_key is None
    ours["x"] = 1
    ours.save()
    assert ours.session_key and ours.session_key != key


def test_an_expired_session_loads_nothing_as_in_djangos_store():
    saved = DjangoSessionStore()
    saved["x"] = 1
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert DjangoSessionStore(saved.session_key).load() == {}
    assert sessions.SessionStore(saved.session_key).load() == {}
    assert sessions.session_data(saved.session_key) is None


def test_a_session_about_to_expire_still_loads():
    saved = DjangoSessionStore()
    saved["x"] = 1
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=30)
    )
    assert sessions.SessionStore(saved.session_key).load() == {"x": 1}


def _signed_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    return client


def test_signing_out_ends_the_session_for_a_copied_cookie(office):
    user = make_user("sess-out", Role.OFFICE_ADMIN, office)
    client = _signed_in(user)
    copy = Client()
    copy.cookies = client.cookies.__class__(client.cookies)  # the same cookie, elsewhere
    assert copy.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    assert copy.get(HOME).status_code == 302  # sent to sign in


def test_a_new_password_ends_the_users_other_sessions(office):
    user = make_user("sess-pw", Role.OFFICE_ADMIN, office)
    other = _signed_in(user)
    user.set_password("a-brand-new-password-9")
    user.save()
    assert other.get(HOME).status_code == 302


def test_a_pages_user_is_the_loaded_user_not_the_lazy_wrapper(client, office):
    """Once the middleware has loaded the signed-in user, the request carries the user itself
    (reads no longer go through the lazy wrapper); signed out, the anonymous user; signing
    out on the page still leaves an anonymous user."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import LazyObject

    from accounts.models import User

    user = make_user("unwrapped", Role.OFFICE_ADMIN, office)
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user.pk == user.pk
    response = client.post(reverse("accounts:logout"))
    assert isinstance(response.wsgi_request.user, AnonymousUser)
    response = Client().get(reverse("accounts:login"))
    assert not isinstance(response.wsgi_request.user, LazyObject)
    assert response.wsgi_request.user.is_authenticated is False
