from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.models import LoginFailure
from accounts.roles import Role
from krupd.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_lands_home(client, users):
    response = client.post(reverse("accounts:login"), {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_it_rejects_a_wrong_password_in_thai(client, users):
    response = client.post(reverse("accounts:login"), {"username": "admin1", "password": "nope"})
    assert response.status_code == 200
    assert "กรุณา" in response.content.decode() or "ไม่ถูกต้อง" in response.content.decode()


def test_it_throttles_repeated_failures_even_with_the_right_password(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "admin1", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "admin1", "password": PASSWORD})
    assert response.status_code == 200
    assert "หลายครั้งเกินไป" in response.content.decode()
    assert LoginFailure.objects.filter(username="admin1").count() == 3


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "abc", "home", "javascript:alert(1)"]
)
def test_it_follows_only_next_addresses_on_this_site(client, users, next_url):
    """Another site is not followed, and a bare word (once a server error: Django's redirect
    read it as a view name) is not an address: both land on the home page."""
    response = client.post(
        reverse("accounts:login") + "?" + urlencode({"next": next_url}),
        {"username": "admin1", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_follows_a_next_address_on_this_site(client, users):
    people = reverse("registry:people") + "?page=2"
    response = client.post(
        reverse("accounts:login") + "?" + urlencode({"next": people}),
        {"username": "admin1", "password": PASSWORD},
    )
    assert response["Location"] == people


def test_it_logs_out_only_by_post(client_for):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_changes_the_password(client_for, users):
    client = client_for(Role.TEACHER)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ครู-ใหม่-2569!",
            "new_password2": "ครู-ใหม่-2569!",
        },
    )
    assert response.status_code == 302
    users[Role.TEACHER].refresh_from_db()
    assert users[Role.TEACHER].check_password("ครู-ใหม่-2569!")


def test_it_refuses_password_change_to_anonymous_users(client):
    assert client.get(reverse("accounts:password_change")).status_code == 302
