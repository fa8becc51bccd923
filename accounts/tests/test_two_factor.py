"""Two-factor sign-in (TOTP): set-up, the second login step, throttling, replays, recovery
codes, forced roles. Time is fixed through `actions.clock`, so codes are deterministic."""

import datetime as dt

import pyotp
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import access, actions, roles, views
from accounts.models import (
    LoginFailure,
    RecoveryCode,
    TOTPDevice,
    TwoFactorSetupLink,
    provisioning_uri,
)
from accounts.roles import Role
from krupd.lib.numerals import to_thai_digits
from krupd.testing import PASSWORD, make_office, make_user
from registry.models import AuditAction, AuditEntry

from .conftest import NOW

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor")
LOGIN = reverse("accounts:login")
LOGIN_CODE = reverse("accounts:login_code")
REFUSED_ROLES = [r for r in Role.values if r != Role.OFFICE_ADMIN]


def code(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def turn_on(user, clock) -> tuple[str, list[str]]:
    """Two-factor on for `user`; the clock moves to the next step (the confirming code is used)."""
    secret = pyotp.random_base32()
    codes = actions.enable_two_factor(
        acting_user=user, secret=secret, code=code(secret, clock.now), ip_address=None
    )
    clock.advance(30)
    return secret, codes


def sign_in(client, username="admin1", next_url=""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": PASSWORD})


def text(response) -> str:
    return response.content.decode()


def logged_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


# ---------------------------------------------------------------- who may use it


def test_it_offers_set_up_to_office_admins(client_for, clock):
    response = client_for(Role.OFFICE_ADMIN).get(SETUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert "การยืนยันตัวตนสองขั้นตอน" in body and "<svg" in body
    secret = response.wsgi_request.session[views.SETUP_SECRET_KEY]
    assert " ".join(secret[i : i + 4] for i in range(0, 8, 4)) in body  # typed by hand


def test_it_offers_set_up_to_any_role_that_manages_debt(client_for, monkeypatch):
    officer = roles.CAPABILITIES[Role.DEVELOPMENT_OFFICER] | {roles.MANAGE_DEBT}
    monkeypatch.setitem(roles.CAPABILITIES, Role.DEVELOPMENT_OFFICER, officer)
    assert client_for(Role.DEVELOPMENT_OFFICER).get(SETUP).status_code == 200


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_it_refuses_set_up_to_other_roles(client_for, role):
    client = client_for(role)
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, {"code": "123456"}).status_code == 403
    disable = {"disable-password": PASSWORD, "disable-code": "123456"}
    assert client.post(reverse("accounts:two_factor_disable"), disable).status_code == 403
    regenerate = {"regenerate-code": "123456"}
    assert client.post(reverse("accounts:two_factor_recovery_codes"), regenerate).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_it_sends_anonymous_visitors_to_login(client):
    for name in ("two_factor", "two_factor_disable", "two_factor_recovery_codes"):
        response = client.post(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(LOGIN_CODE)["Location"] == LOGIN  # no password given yet


def test_the_password_page_links_to_it_for_eligible_users_only(client_for):
    assert (
        SETUP
        in client_for(Role.OFFICE_ADMIN).get(reverse("accounts:password_change")).content.decode()
    )
    assert (
        SETUP
        not in client_for(Role.TEACHER).get(reverse("accounts:password_change")).content.decode()
    )


# ---------------------------------------------------------------- turning it on


def test_the_qr_code_carries_issuer_and_username():
    uri = provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", username="admin1")
    assert uri == "otpauth://totp/KruPD:admin1?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=KruPD"


def test_it_turns_on_with_a_current_code_and_shows_recovery_codes_once(client_for, users, clock):
    client = client_for(Role.OFFICE_ADMIN)
    secret = client.get(SETUP).wsgi_request.session[views.SETUP_SECRET_KEY]
    assert client.get(SETUP).wsgi_request.session[views.SETUP_SECRET_KEY] == secret  # stable

    response = client.post(SETUP, {"code": code(secret, NOW)})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = response.context["codes"]
    assert len(shown) == 10 and len(set(shown)) == 10
    body = response.content.decode()
    assert all(c in body for c in shown) and "ครั้งนี้ครั้งเดียว" in body
    device = TOTPDevice.objects.get(user=users[Role.OFFICE_ADMIN])
    assert device.secret == secret
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in shown for h in stored)
    entry = AuditEntry.objects.get(object_type="two_factor")
    assert entry.action == AuditAction.CREATE and entry.actor == users[Role.OFFICE_ADMIN]
    # Shown once: the page now manages it, and never lists the codes again.
    page = client.get(SETUP).content.decode()
    assert "เปิดใช้อยู่" in page and not any(c in page for c in shown)


def test_it_accepts_thai_digits_and_spaces(client_for, users, clock):
    client = client_for(Role.OFFICE_ADMIN)
    secret = client.get(SETUP).wsgi_request.session[views.SETUP_SECRET_KEY]
    typed = to_thai_digits(code(secret, NOW))
    typed = f" {typed[:3]} {typed[3:]} "  # "๑๒๓ ๔๕๖" as people type it

    client.post(SETUP, {"code": typed})

    assert TOTPDevice.objects.filter(user=users[Role.OFFICE_ADMIN]).exists()


def test_it_refuses_a_wrong_code_when_turning_on(client_for, users, clock):
    client = client_for(Role.OFFICE_ADMIN)
    secret = client.get(SETUP).wsgi_request.session[views.SETUP_SECRET_KEY]

    wrong = client.post(SETUP, {"code": code(secret, NOW + 300)})
    letters = client.post(SETUP, {"code": "12ab56"})

    assert "ไม่ถูกต้อง" in wrong.content.decode()
    assert "ตัวเลข 6 หลัก" in letters.content.decode()
    assert not TOTPDevice.objects.exists()
    assert LoginFailure.objects.filter(username="admin1", stage="code").count() == 1


# ---------------------------------------------------------------- signing in


def test_a_password_alone_does_not_log_in_when_it_is_on(client, users, clock):
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)

    response = sign_in(client)
    assert response["Location"] == LOGIN_CODE
    assert not logged_in(client)
    assert "KruPD (admin1)" in client.get(LOGIN_CODE).content.decode()

    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now)})
    assert response["Location"] == reverse("home")
    assert logged_in(client)


def test_users_without_it_log_in_with_the_password(client, users):
    assert sign_in(client)["Location"] == reverse("home")


def test_it_keeps_a_safe_next_address_through_the_second_step(client, users, clock):
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    people = reverse("registry:people")

    sign_in(client, next_url=people)
    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now)})
    assert response["Location"] == people

    client.post(reverse("accounts:logout"))
    clock.advance(30)
    sign_in(client, next_url="https://evil.example/")
    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now)})
    assert response["Location"] == reverse("home")


def test_it_throttles_wrong_codes(client, users, clock, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    sign_in(client)
    for wrong in ("000000", "111111", "222222"):
        response = client.post(LOGIN_CODE, {"code": wrong})
        assert "ไม่ถูกต้อง" in response.content.decode()

    # A correct password again does not wipe the count, and the right code is refused now.
    sign_in(client)
    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now)})

    assert "หลายครั้งเกินไป" in response.content.decode()
    assert not logged_in(client)
    assert LoginFailure.objects.filter(username="admin1", stage="code").count() == 3


def test_a_code_cannot_be_used_twice(client, users, clock):
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    used = code(secret, clock.now)
    sign_in(client)
    client.post(LOGIN_CODE, {"code": used})
    client.post(reverse("accounts:logout"))

    clock.advance(20)  # still within the accepted drift: only the replay check refuses it
    sign_in(client)
    response = client.post(LOGIN_CODE, {"code": used})

    assert "ถูกใช้ไปแล้ว" in response.content.decode()
    assert not logged_in(client)
    # The code of the next step is fine.
    response = client.post(LOGIN_CODE, {"code": code(secret, clock.now + 30)})
    assert logged_in(client)


def test_the_code_that_turned_it_on_cannot_sign_in(client, users, clock):
    secret = pyotp.random_base32()
    actions.enable_two_factor(acting_user=users[Role.OFFICE_ADMIN], secret=secret,
                              code=code(secret, NOW), ip_address=None)  # fmt: skip
    sign_in(client)
    response = client.post(LOGIN_CODE, {"code": code(secret, NOW)})
    assert "ถูกใช้ไปแล้ว" in response.content.decode()


def test_it_accepts_thai_digits_at_sign_in(client, users, clock):
    secret, _ = turn_on(users[Role.OFFICE_ADMIN], clock)
    sign_in(client)
    typed = to_thai_digits(code(secret, clock.now))
    client.post(LOGIN_CODE, {"code": f"{typed[:3]} {typed[3:]}"})
    assert logged_in(client)


def test_a_recovery_code_signs_in_once(client, users, clock):
    admin = users[Role.OFFICE_ADMIN]
    _, codes = turn_on(admin, clock)
    typed = codes[0].lower().replace("-", " ")  # forgiving: case, spaces

    sign_in(client)
    response = client.post(LOGIN_CODE, {"recovery_code": typed})
    assert response["Location"] == reverse("home")
    assert "เหลือรหัสสำรองอีก 9 รหัส" in client.get(reverse("home")).content.decode()
    entry = AuditEntry.objects.filter(object_type="two_factor", action=AuditAction.UPDATE).get()
    assert entry.changes == {actions.CODES_LEFT: [10, 9]} and entry.actor == admin

    client.post(reverse("accounts:logout"))
    sign_in(client)
    response = client.post(LOGIN_CODE, {"recovery_code": codes[0]})
    assert "ถูกใช้ไปแล้ว" in response.content.decode()
    assert not logged_in(client)
    assert RecoveryCode.objects.filter(user=admin, used_at__isnull=True).count() == 9


def test_the_second_step_expires(client, users, clock):
    turn_on(users[Role.OFFICE_ADMIN], clock)
    sign_in(client)
    session = client.session
    session[access.PENDING_KEY]["expires"] = 0
    session.save()

    response = client.get(LOGIN_CODE, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "หมดเวลา" in response.content.decode()


def test_the_admin_site_signs_in_through_the_two_step_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == LOGIN + "?next=/admin/"


# ---------------------------------------------------------------- managing it


def test_turning_it_off_needs_the_password_and_a_code(client_for, users, clock):
    admin = users[Role.OFFICE_ADMIN]
    secret, _ = turn_on(admin, clock)
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("accounts:two_factor_disable")
    current = code(secret, clock.now)

    wrong_password = client.post(url, {"disable-password": "nope", "disable-code": current})
    wrong_code = client.post(url, {"disable-password": PASSWORD, "disable-code": "000000"})
    assert "รหัสผ่านไม่ถูกต้อง" in wrong_password.content.decode()
    assert "ไม่ถูกต้อง" in wrong_code.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()

    response = client.post(url, {"disable-password": PASSWORD, "disable-code": current})

    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not RecoveryCode.objects.filter(user=admin).exists()
    assert (
        AuditEntry.objects.filter(object_type="two_factor", action=AuditAction.DELETE).count() == 1
    )
    client.post(reverse("accounts:logout"))
    assert sign_in(client)["Location"] == reverse("home")  # the password alone again


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(client_for, users, clock):
    admin = users[Role.OFFICE_ADMIN]
    secret, old = turn_on(admin, clock)
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("accounts:two_factor_recovery_codes")

    refused = client.post(url, {"regenerate-code": "000000"})
    assert "ไม่ถูกต้อง" in refused.content.decode()
    response = client.post(url, {"regenerate-code": code(secret, clock.now)})

    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(actions.TwoFactorError):
        actions.use_recovery_code(user=admin, code=old[0].replace("-", ""), ip_address=None)
    assert actions.use_recovery_code(user=admin, code=new[0].replace("-", ""), ip_address=None) == 9


def test_an_operator_can_reset_it_for_a_user_who_lost_everything(users, clock):
    turn_on(users[Role.OFFICE_ADMIN], clock)
    call_command("reset_two_factor", "admin1")
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()
    entry = AuditEntry.objects.filter(action=AuditAction.DELETE).get()
    assert entry.actor is None and entry.object_type == "two_factor"


# ---------------------------------------------------------------- roles forced to use it


@pytest.fixture
def forced(settings):
    settings.KRUPD_REQUIRE_2FA_ROLES = [Role.OFFICE_ADMIN, Role.TEACHER]


def with_two_factor(user):
    """`user` has an authenticator (forced admins must, before they manage accounts)."""
    TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return user


def setup_link_for(client, admin, user) -> str:
    """The one-time link the office admin makes on `user`'s account page (the path part)."""
    client.force_login(with_two_factor(admin))
    page = client.post(reverse("accounts:user_two_factor_link", args=[user.pk]))
    assert page.status_code == 200 and "ครั้งเดียว" in page.content.decode()
    client.logout()
    return page.context["link"].split("testserver", 1)[1]


def test_a_forced_user_without_it_is_not_signed_in_by_the_password_alone(client, users, forced):
    response = sign_in(client, "teacher1")
    assert response.status_code == 200 and views.NEEDS_SETUP_LINK_MESSAGE in text(response)
    assert not logged_in(client)
    # A right password that signs nobody in counts as a failure: no leisurely password testing.
    assert LoginFailure.objects.filter(username="teacher1").count() == 1


def test_the_admins_one_time_link_signs_them_in_once_to_set_up(client, users, forced, clock):
    teacher = users[Role.TEACHER]
    link = setup_link_for(client, users[Role.OFFICE_ADMIN], teacher)
    entry = AuditEntry.objects.get(object_type=actions.AUDIT_TYPE, action=AuditAction.CREATE)
    assert entry.actor == users[Role.OFFICE_ADMIN] and "teacher1" in entry.object_label
    assert client.get(link)["Location"] == LOGIN
    assert client.get(link)["Location"] == LOGIN  # looking twice does not use it up
    sign_in(client, "teacher1")
    page_url = reverse("training:courses")
    response = client.get(page_url)
    assert response.status_code == 302  # signed in, but only to set it up
    assert response["Location"] == SETUP + "?next=" + page_url.replace("/", "%2F")

    page = client.get(response["Location"])
    assert page.status_code == 200 and "ต้องเปิดใช้" in page.content.decode()
    secret = page.wsgi_request.session[views.SETUP_SECRET_KEY]
    done = client.post(response["Location"], {"code": code(secret, clock.now)})
    assert page_url in done.content.decode()  # "continue" goes back there
    assert client.get(page_url).status_code == 200
    assert AuditEntry.objects.filter(
        object_type=actions.AUDIT_TYPE, action=AuditAction.UPDATE, actor=teacher
    ).exists()  # the link was spent, on the record

    # Spent: another browser with the same link and the same password gets nowhere.
    other = Client()
    other.get(link)
    sign_in(other, "teacher1")
    assert not logged_in(other)


def test_a_link_spent_elsewhere_expired_or_replaced_signs_nobody_in(client, users, forced):
    teacher, admin = users[Role.TEACHER], users[Role.OFFICE_ADMIN]
    first = setup_link_for(client, admin, teacher)
    second = setup_link_for(client, admin, teacher)
    assert views.SETUP_LINK_INVALID_MESSAGE in text(client.get(first, follow=True))
    sign_in(client, "teacher1")
    assert not logged_in(client)
    TwoFactorSetupLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert views.SETUP_LINK_INVALID_MESSAGE in text(client.get(second, follow=True))
    # A valid link is the teacher's only: another forced user cannot spend it.
    third = setup_link_for(client, admin, teacher)
    other_admin = make_user("admin2", Role.OFFICE_ADMIN, admin.office)
    client.get(third)
    sign_in(client, other_admin.username)
    assert not logged_in(client)
    assert TwoFactorSetupLink.objects.filter(used_at__isnull=False).count() == 0


def test_only_the_office_admin_makes_links_for_users_who_need_one(client, users, forced, clock):
    teacher = users[Role.TEACHER]
    url = reverse("accounts:user_two_factor_link", args=[teacher.pk])
    client.force_login(users[Role.SUPERVISOR])
    assert client.post(url).status_code == 403
    foreign = make_user("admin-x", Role.OFFICE_ADMIN, make_office("9999", "อื่น"))
    client.force_login(with_two_factor(foreign))
    assert client.post(url).status_code == 404
    client.force_login(with_two_factor(users[Role.OFFICE_ADMIN]))
    assert client.get(url).status_code == 405
    page = client.post(reverse("accounts:user_two_factor_link", args=[users[Role.SUPERVISOR].pk]))
    assert page.status_code == 302  # supervisors are not forced: no link, a message
    turn_on(teacher, clock)
    client.post(url)
    assert not TwoFactorSetupLink.objects.exists()
    edit = text(client.get(reverse("accounts:user_edit", args=[teacher.pk])))
    assert "สร้างลิงก์ตั้งค่า" not in edit


def test_another_admins_link_needs_the_acting_admins_password(client, users, forced):
    other_admin = make_user("admin2", Role.OFFICE_ADMIN, users[Role.OFFICE_ADMIN].office)
    client.force_login(with_two_factor(users[Role.OFFICE_ADMIN]))
    url = reverse("accounts:user_two_factor_link", args=[other_admin.pk])
    assert "สร้างลิงก์ตั้งค่า" in text(client.get(reverse("accounts:user_edit", args=[other_admin.pk])))
    assert client.post(url).status_code == 302
    assert client.post(url, {"password": "wrong"}).status_code == 302
    assert not TwoFactorSetupLink.objects.exists()
    assert client.post(url, {"password": PASSWORD}).status_code == 200
    assert TwoFactorSetupLink.objects.count() == 1


def test_the_server_makes_the_first_admins_link(users, forced, capsys):
    call_command("two_factor_link", "admin1")
    out = capsys.readouterr().out
    assert "/accounts/2fa/start/" in out and TwoFactorSetupLink.objects.count() == 1


def test_forced_users_can_still_log_out(client_for, users, forced):
    assert client_for(Role.TEACHER).post(reverse("accounts:logout"))["Location"] == LOGIN


def test_forcing_a_role_opens_set_up_to_it(client_for, forced):
    assert client_for(Role.TEACHER).get(SETUP).status_code == 200


def test_other_roles_are_not_forced(client_for, forced):
    assert client_for(Role.SUPERVISOR).get(reverse("home")).status_code == 200


def test_forced_users_get_no_data_from_the_api_or_htmx(client_for, forced):
    client = client_for(Role.OFFICE_ADMIN)
    api = client.get("/api/registry/schools")
    assert api.status_code == 403 and "การยืนยันตัวตนสองขั้นตอน" in api.json()["detail"]
    fragment = client.get(reverse("registry:people"), headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"] == SETUP


def test_a_mistyped_forced_role_fails_the_system_check(settings):
    from accounts.checks import check_required_two_factor_roles

    settings.KRUPD_REQUIRE_2FA_ROLES = ["office-admin"]
    assert [e.id for e in check_required_two_factor_roles(None)] == ["accounts.E001"]
