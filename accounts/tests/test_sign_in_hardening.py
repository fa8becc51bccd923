"""Sign-in hardening: the per-account lock keys on the username Django would match, an
address that guesses never locks out others' right passwords, check-and-record is atomic,
the password page counts with sign-in, and the smaller account-security details."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import access, actions, throttle, views
from accounts.middleware import IDLE_KEY
from accounts.models import LoginFailure, LoginStage
from accounts.roles import Role
from krupd.testing import PASSWORD, make_user
from registry.models import AuditAction, AuditEntry

from .test_two_factor import LOGIN, LOGIN_CODE, code, logged_in, turn_on

pytestmark = pytest.mark.django_db
LOCKED = "หลายครั้งเกินไป"
PASSWORD_PAGE = reverse("accounts:password_change")


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# ---------------------------------------------------------------- 4. the normalised username


@pytest.mark.parametrize(
    "variant",
    ["supervisor1 ", " supervisor1", "supervisor1\t", "ｓｕｐｅｒｖｉｓｏｒ１", "Supervisor1"],
)
def test_the_lock_holds_for_every_spelling_django_would_sign_in_with(
    client, users, settings, variant
):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        post_login(client, "supervisor1", "wrong")
    response = post_login(client, variant, PASSWORD)
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    assert LoginFailure.objects.filter(username="supervisor1").count() == 5


def test_failures_under_any_spelling_count_together(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for spelling in ("Supervisor1 ", "ｓｕｐｅｒｖｉｓｏｒ１", "\tsupervisor1"):
        post_login(client, spelling, "wrong")
    assert LOCKED in post_login(client, "supervisor1", PASSWORD).content.decode()


# ---------------------------------------------------------------- 8. one address, many accounts


def test_an_address_guessing_made_up_names_does_not_lock_out_right_passwords(
    client, users, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    for i in range(30):
        post_login(client, f"nobody{i}", "wrong")
    for username in ("teacher1", "director1"):
        other = Client()  # same address (the test client's 127.0.0.1), right password
        assert post_login(other, username, PASSWORD)["Location"] == reverse("home")


def test_an_address_past_its_limit_may_not_keep_guessing_an_account_it_already_tried(
    client, users, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 4
    for i in range(4):
        post_login(client, f"nobody{i}", "wrong")
    post_login(client, "teacher1", "wrong")  # 5th from this address: teacher1 is being tried
    assert LOCKED in post_login(client, "teacher1", PASSWORD).content.decode()
    # From another address the owner still signs in (the account itself is not locked).
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert post_login(other, "teacher1", PASSWORD)["Location"] == reverse("home")


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(settings):
    import ipaddress

    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.KRUPD_TRUSTED_PROXY_NETWORKS = []
    assert throttle.client_address(forged) == "203.0.113.7"
    settings.KRUPD_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.0.0.0/8")]
    assert throttle.client_address(forged) == "203.0.113.7"  # not from the proxy
    via_proxy = factory.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.3"
    )  # the client wrote 6.6.6.6 itself; 198.51.100.4 is what the first trusted proxy saw
    assert throttle.client_address(via_proxy) == "198.51.100.4"
    broken = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    assert throttle.client_address(broken) == "10.0.0.2"


def test_two_people_behind_one_proxy_are_counted_apart(client, users, settings):
    import ipaddress

    settings.KRUPD_TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 3
    for i in range(10):
        post_login(client, f"nobody{i}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.66")
    post_login(client, "teacher1", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    # The same account tried from another client address behind the proxy is not refused.
    response = post_login(Client(), "teacher1", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert response["Location"] == reverse("home")


def test_the_code_step_from_a_guessing_address_still_accepts_a_right_code(
    client, users, clock, settings
):
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 3
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    for i in range(10):
        post_login(Client(), f"nobody{i}", "wrong")
    post_login(client, "admin1", PASSWORD)
    client.post(LOGIN_CODE, {"code": code(secret, clock.now)})
    assert logged_in(client)


# ---------------------------------------------------------------- 9. check and record at once


def _concurrent_wrong_logins(username: str, workers: int) -> list[str]:
    barrier = threading.Barrier(workers)

    def guess(i):
        close_old_connections()
        client = Client(REMOTE_ADDR=f"10.1.0.{i}")
        barrier.wait(timeout=30)
        try:
            for _ in range(500):
                try:
                    response = post_login(client, username, f"wrong{i}")
                except OperationalError:  # SQLite's shared-cache test database: "table is locked"
                    response = None
                if response is None or response.status_code == 503:  # the same, answered
                    time.sleep(0.01)
                    continue
                return "locked" if LOCKED in response.content.decode() else "checked"
            return "gave up"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(guess, range(workers)))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_wrong_passwords_on_postgresql_get_five_checks(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    outcomes = _concurrent_wrong_logins("admin1", workers=20)
    assert outcomes.count("checked") == 5
    assert outcomes.count("locked") == 15
    assert LoginFailure.objects.filter(username="admin1").count() == 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_wrong_codes_on_postgresql_get_five_checks(users, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    admin = users[Role.OFFICE_ADMIN]
    actions.enable_two_factor(acting_user=admin, secret=(s := pyotp.random_base32()),
                              code=pyotp.TOTP(s).now(), ip_address=None)  # fmt: skip
    barrier = threading.Barrier(20)

    def guess(i):
        close_old_connections()
        barrier.wait(timeout=30)
        try:
            actions.verify_totp_code(user=admin, code=f"{i:06d}", ip_address=f"10.2.0.{i}")
        except actions.TwoFactorError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(guess, range(20)))
    assert outcomes.count("wrong_code") == 5
    assert outcomes.count("locked") == 15
    assert LoginFailure.objects.filter(username="admin1", stage=LoginStage.CODE).count() == 5


# ---------------------------------------------------------------- 10. the password page


def change(client, old):
    return client.post(PASSWORD_PAGE, {"old_password": old, "new_password1": "ครู-ใหม่-2569!",
                                       "new_password2": "ครู-ใหม่-2569!"})  # fmt: skip


def test_the_password_page_counts_wrong_passwords_with_sign_in_and_locks(
    client_for, users, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    client = client_for(Role.TEACHER)
    for _ in range(3):
        assert "รหัสผ่านเดิมไม่ถูกต้อง" in change(client, "wrong").content.decode()
    response = change(client, PASSWORD)  # right, but the account is locked now
    assert LOCKED in response.content.decode()
    users[Role.TEACHER].refresh_from_db()
    assert users[Role.TEACHER].check_password(PASSWORD)
    assert LOCKED in post_login(Client(), "teacher1", PASSWORD).content.decode()
    denied = AuditEntry.objects.filter(
        action=AuditAction.DENIED, object_id=str(users[Role.TEACHER].pk)
    )
    assert denied.count() == 4


def test_sign_in_failures_lock_the_password_page_too(client_for, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        post_login(Client(), "teacher1", "wrong")
    client = client_for(Role.TEACHER)
    assert LOCKED in change(client, PASSWORD).content.decode()


def test_a_right_password_with_a_refused_new_one_is_no_failure(client_for, users):
    client = client_for(Role.TEACHER)
    client.post(
        PASSWORD_PAGE, {"old_password": PASSWORD, "new_password1": "1", "new_password2": "1"}
    )
    assert not LoginFailure.objects.exists()


# ---------------------------------------------------------------- 11. account-security details


def test_a_password_reset_ends_a_waiting_second_step(client, users, clock):
    admin = users[Role.OFFICE_ADMIN]
    secret, _ = turn_on(admin, clock)
    post_login(client, "admin1", PASSWORD)  # the attacker passed the password step
    other_admin = make_user("admin2", Role.OFFICE_ADMIN, admin.office)
    other_admin.is_superuser = False
    admin.set_password("ใหม่-โดยผู้ดูแล-2569")
    admin.save()
    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not logged_in(client)


def admin_pair(users):
    admin = users[Role.OFFICE_ADMIN]
    return admin, make_user("admin2", Role.OFFICE_ADMIN, admin.office)


def test_resetting_another_admin_needs_the_acting_admins_password(client, users, settings):
    admin, other = admin_pair(users)
    client.force_login(admin)
    url = reverse("accounts:user_reset_password", args=[other.pk])
    assert actions.REAUTH_NEEDED in client.post(url, follow=True).content.decode()
    assert (
        actions.REAUTH_WRONG in client.post(url, {"password": "nope"}, follow=True).content.decode()
    )
    other.refresh_from_db()
    assert other.check_password(PASSWORD)
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 200
    other.refresh_from_db()
    assert not other.check_password(PASSWORD) and other.must_change_password
    # A teacher's password needs no re-authentication.
    teacher_url = reverse("accounts:user_reset_password", args=[users[Role.TEACHER].pk])
    assert client.post(teacher_url).status_code == 200
    # The edit page asks for it on another admin's account only.
    assert (
        'name="password"'
        in client.get(reverse("accounts:user_edit", args=[other.pk])).content.decode()
    )


def test_resetting_another_admins_two_factor_needs_the_acting_admins_password(client, users, clock):
    admin, other = admin_pair(users)
    turn_on(other, clock)
    client.force_login(admin)
    url = reverse("accounts:user_reset_two_factor", args=[other.pk])
    client.post(url, {"password": "nope"})
    assert other.totpdevice_set.exists() if hasattr(other, "totpdevice_set") else True
    from accounts.queries import has_two_factor

    assert has_two_factor(other)
    client.post(url, {"password": PASSWORD})
    assert not has_two_factor(other)


def test_an_idle_session_ends(client, users, settings):
    settings.SESSION_IDLE_SECONDS = 600
    post_login(client, "teacher1", PASSWORD)
    assert isinstance(client.session[IDLE_KEY], float)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[IDLE_KEY] = time.time() - 601
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_a_session_in_use_does_not_end(client, users, settings):
    settings.SESSION_IDLE_SECONDS = 600
    post_login(client, "teacher1", PASSWORD)
    session = client.session
    session[IDLE_KEY] = time.time() - 500
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert client.session[IDLE_KEY] > time.time() - 60  # the use moved the stamp on


@pytest.mark.parametrize(
    "view",
    [views.login_view, views.login_code, views.password_change, views.two_factor,
     views.two_factor_disable, views.two_factor_recovery_codes, views.user_create,
     views.user_reset_password, views.user_reset_two_factor, views.user_two_factor_link],
)  # fmt: skip
def test_views_taking_secrets_hide_them_from_error_reports(view):
    # sensitive_post_parameters marks the request before anything else runs; Django's error
    # reports then mask those fields.
    request = RequestFactory().post("/", {"password": "s3cret"})
    request.user = type("Anon", (), {"is_authenticated": False})()
    request.session = {}
    try:
        view(request)
    except Exception:  # noqa: BLE001 - only the marking matters here
        pass
    assert getattr(request, "sensitive_post_parameters", None), view.__name__


def test_the_login_page_is_never_cached(client):
    assert "no-store" in client.get(LOGIN)["Cache-Control"]


@pytest.mark.parametrize(
    "steps, accepted", [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_codes_of_neighbouring_time_windows(client, users, clock, steps, accepted):
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    clock.advance(60)  # the step before is not the one that turned it on
    post_login(client, "admin1", PASSWORD)
    client.post(LOGIN_CODE, {"code": code(secret, clock.now + 30 * steps)})
    assert logged_in(client) is accepted


@pytest.mark.parametrize("url_name", ["accounts:login_code", "accounts:two_factor",
                                      "accounts:two_factor_disable", "accounts:password_change",
                                      "accounts:two_factor_recovery_codes"])  # fmt: skip
def test_two_factor_and_password_forms_refuse_a_post_without_csrf_token(users, url_name, clock):
    client = Client(enforce_csrf_checks=True)
    if url_name == "accounts:login_code":
        secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
        session = client.session
        session[access.PENDING_KEY] = {"user_id": users[Role.OFFICE_ADMIN].pk, "expires": time.time() + 60,
                                       "password": users[Role.OFFICE_ADMIN].get_session_auth_hash()}  # fmt: skip
        session.save()
        data = {"code": code(secret, clock.now)}
    else:
        client.force_login(users[Role.OFFICE_ADMIN])
        data = {"code": "123456", "disable-password": PASSWORD, "old_password": PASSWORD}
    assert client.post(reverse(url_name), data).status_code == 403
