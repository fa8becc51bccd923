"""The office admin's account pages: list, create, edit, reset a password or two-factor sign-in,
a whole school's teacher accounts at once; and the forced password change that follows."""

import datetime as dt
import io

import pyotp
import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import actions
from accounts.models import TOTPDevice, User
from accounts.roles import Role
from krupd.testing import PASSWORD, make_person, make_school, make_user
from registry.models import AuditAction, AuditEntry, PersonStatus

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")
CREATE = reverse("accounts:user_create")
SCHOOL_ACCOUNTS = reverse("accounts:school_accounts")
REFUSED_ROLES = [r for r in Role.values if r != Role.OFFICE_ADMIN]
GOOD_PASSWORD = "ครูใจดี-ตั้งเอง-2569"


def edit_url(user) -> str:
    return reverse("accounts:user_edit", args=[user.pk])


def reset_url(user) -> str:
    return reverse("accounts:user_reset_password", args=[user.pk])


def reset_2fa_url(user) -> str:
    return reverse("accounts:user_reset_two_factor", args=[user.pk])


def text(response) -> str:
    return response.content.decode()


def edit_data(user, **changes) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "school": user.school_id or "",
        "person": user.person_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def admin(users):
    return users[Role.OFFICE_ADMIN]


@pytest.fixture
def admin_client(client_for):
    return client_for(Role.OFFICE_ADMIN)


@pytest.fixture
def foreign_user(foreign_person, other_office):
    return make_user("foreign1", Role.TEACHER, other_office, person=foreign_person,
                     school=foreign_person.school)  # fmt: skip


@pytest.fixture
def new_teacher(office, school):
    """Someone of `school` without an account yet."""
    return make_person(office, school, first_name="มานี", last_name="มีนา", title="นางสาว")


def audit_entries(user, action=None):
    entries = AuditEntry.objects.filter(object_type="user", object_id=str(user.pk))
    return entries.filter(action=action) if action else entries


# ---------------------------------------------------------------- who may


def test_it_shows_the_accounts_menu_only_to_office_admins(client_for):
    assert USERS in text(client_for(Role.OFFICE_ADMIN).get(reverse("home")))
    for role in REFUSED_ROLES:
        assert USERS not in text(client_for(role).get(reverse("home"))), role


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_it_refuses_every_account_page_to_other_roles(client_for, users, role, school):
    client = client_for(role)
    target = users[Role.TEACHER] if role != Role.TEACHER else users[Role.INSPECTOR]
    pages = [
        USERS,
        CREATE,
        f"{CREATE}?picker=person",
        f"{SCHOOL_ACCOUNTS}?school={school.pk}",
        edit_url(target),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    posts = [CREATE, SCHOOL_ACCOUNTS, edit_url(target), reset_url(target), reset_2fa_url(target)]
    for url in posts:
        response = client.post(url, {"username": "x", "role": Role.OFFICE_ADMIN,
                                     "school": school.pk})  # fmt: skip
        assert response.status_code == 403, url
    assert User.objects.filter(username="x").count() == 0
    assert not AuditEntry.objects.filter(object_type="user").exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, users):
    for url in (
        USERS,
        CREATE,
        f"{CREATE}?picker=person",
        SCHOOL_ACCOUNTS,
        edit_url(users[Role.TEACHER]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_never_shows_or_touches_accounts_of_another_office(admin_client, foreign_user):
    assert "foreign1" not in text(admin_client.get(USERS))
    assert "foreign1" not in text(admin_client.get(f"{USERS}?q=foreign"))
    assert admin_client.get(edit_url(foreign_user)).status_code == 404
    data = edit_data(foreign_user, is_active="")
    assert admin_client.post(edit_url(foreign_user), data).status_code == 404
    assert admin_client.post(reset_url(foreign_user)).status_code == 404
    assert admin_client.post(reset_2fa_url(foreign_user)).status_code == 404
    foreign_user.refresh_from_db()
    assert foreign_user.is_active and foreign_user.check_password(PASSWORD)


def test_it_leaves_django_staff_to_django_admin(admin_client, office):
    staff = make_user("root1", Role.OFFICE_ADMIN, office, is_staff=True, is_superuser=True)
    body = text(admin_client.get(USERS))
    assert "root1" in body and edit_url(staff) not in body
    assert admin_client.get(edit_url(staff)).status_code == 403
    assert admin_client.post(reset_url(staff)).status_code == 403
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_it_resets_passwords_by_post_only(admin_client, users):
    assert admin_client.get(reset_url(users[Role.TEACHER])).status_code == 405
    assert admin_client.get(reset_2fa_url(users[Role.TEACHER])).status_code == 405


# ---------------------------------------------------------------- the list


def test_it_lists_the_office_accounts_with_last_login_in_buddhist_era(admin_client, users):
    teacher = users[Role.TEACHER]
    teacher.last_login = timezone.make_aware(dt.datetime(2026, 3, 15, 9, 30))
    teacher.save()
    body = text(admin_client.get(USERS))
    for user in users.values():
        # Users above the office belong to no office: no office admin lists them.
        assert (user.username in body) is (user.office_id is not None)
    assert "15/03/2569 09:30 น." in body
    assert "ยังไม่เคย" in body  # the others never signed in
    assert "นางสมศรี ใจดี" in body  # the teacher's person


def test_it_searches_by_username_and_name(admin_client, users):
    body = text(admin_client.get(f"{USERS}?q=director"))
    assert "director1" in body and "teacher1" not in body
    body = text(admin_client.get(f"{USERS}?q=สมศรี"))  # the linked person's name
    assert "teacher1" in body and "director1" not in body


def test_it_filters_by_role_school_activity_and_two_factor(admin_client, users, school):
    users[Role.INSPECTOR].is_active = False
    users[Role.INSPECTOR].save()
    TOTPDevice.objects.create(user=users[Role.SUPERVISOR], secret=pyotp.random_base32())

    def shown(query: str) -> set[str]:
        body = text(admin_client.get(f"{USERS}?{query}"))
        return {u.username for u in users.values() if f"<code>{u.username}</code>" in body}

    assert shown(f"role={Role.TEACHER}") == {"teacher1"}
    assert shown(f"school={school.pk}") == {"director1"}
    assert "director1" not in shown("school=office")
    assert shown("active=no") == {"inspector1"}
    assert "inspector1" not in shown("active=yes")
    assert shown("two_factor=on") == {"supervisor1"}
    assert "supervisor1" not in shown("two_factor=off")
    assert admin_client.get(f"{USERS}?school=abc&role=nope&page=999").status_code == 200


def test_it_answers_htmx_with_the_table_only(admin_client, users):
    response = admin_client.get(USERS, HTTP_HX_REQUEST="true")
    assert "<table" in text(response) and "<html" not in text(response)


def _add_accounts(office, school, count: int, start: int) -> None:
    for n in range(start, start + count):
        person = make_person(office, school, first_name=f"ครู{n}")
        user = make_user(f"bulk{n}", Role.TEACHER, office, school=school, person=person,
                         last_login=timezone.now())  # fmt: skip
        if n % 2:
            TOTPDevice.objects.create(user=user, secret=pyotp.random_base32())


def test_it_lists_accounts_in_the_same_number_of_queries_at_any_size(
    admin_client, office, school, users
):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(USERS).status_code == 200
        return len(captured)

    _add_accounts(office, school, 3, start=0)
    small = queries_for_list()
    _add_accounts(office, school, 40, start=100)
    assert queries_for_list() == small


def test_it_pages_long_lists(admin_client, office, school, users):
    _add_accounts(office, school, 55, start=0)
    body = text(admin_client.get(USERS))
    assert "หน้า 1 จาก 2" in body
    assert "หน้า 2 จาก 2" in text(admin_client.get(f"{USERS}?page=2"))


# ---------------------------------------------------------------- creating


def test_it_creates_a_teacher_with_a_typed_password(admin_client, admin, office, school,
                                                    new_teacher):  # fmt: skip
    response = admin_client.post(CREATE, {
        "username": "manee.m", "role": Role.TEACHER, "school": school.pk,
        "person": new_teacher.pk, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
    })  # fmt: skip
    user = User.objects.get(username="manee.m")
    assert response.status_code == 302 and response["Location"] == edit_url(user)
    assert user.office == office and user.school == school and user.person == new_teacher
    assert (user.first_name, user.last_name) == ("มานี", "มีนา")  # from the person
    assert user.check_password(GOOD_PASSWORD)
    assert not user.must_change_password  # the box was left unticked
    entry = audit_entries(user, AuditAction.CREATE).get()
    assert entry.actor == admin and entry.office == office
    assert entry.changes["บทบาท"] == ["", "ครู"]
    assert GOOD_PASSWORD not in str(entry.changes)


def test_it_generates_a_password_and_shows_it_once(admin_client, school, new_teacher):
    response = admin_client.post(CREATE, {
        "username": "manee.m", "role": Role.TEACHER, "school": school.pk,
        "person": new_teacher.pk, "must_change_password": "on",
    })  # fmt: skip
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in text(response) and "ครั้งเดียว" in text(response)
    user = User.objects.get(username="manee.m")
    assert authenticate(username="manee.m", password=password) == user
    assert user.must_change_password
    assert password not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_it_creates_office_staff_without_a_school(admin_client, office):
    response = admin_client.post(CREATE, {"username": "officer2", "role": Role.SUPERVISOR,
                                          "first_name": "สมหมาย"})  # fmt: skip
    assert response.status_code == 200  # the generated password page
    user = User.objects.get(username="officer2")
    assert user.office == office and user.school is None and user.person is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc-12", "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร"),
        ("1234567890123", "รหัสผ่านต้องไม่เป็นตัวเลขล้วน"),
        ("password123", "รหัสผ่านนี้มีคนใช้กันมาก"),
        ("manee.m.2569", "รหัสผ่านคล้ายกับชื่อผู้ใช้มากเกินไป"),
    ],
)
def test_it_refuses_weak_typed_passwords_in_thai(admin_client, school, new_teacher, password,
                                                 message):  # fmt: skip
    response = admin_client.post(CREATE, {
        "username": "manee.m", "role": Role.TEACHER, "school": school.pk,
        "person": new_teacher.pk, "password1": password, "password2": password,
    })  # fmt: skip
    assert response.status_code == 200
    assert message in text(response)
    assert "This password" not in text(response)
    assert not User.objects.filter(username="manee.m").exists()


def test_it_refuses_passwords_that_do_not_match(admin_client, school, new_teacher):
    response = admin_client.post(CREATE, {
        "username": "manee.m", "role": Role.TEACHER, "school": school.pk,
        "person": new_teacher.pk, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x",
    })  # fmt: skip
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in text(response)
    assert not User.objects.filter(username="manee.m").exists()


@pytest.mark.parametrize("role", [Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_it_needs_a_school_for_directors_and_teachers(admin_client, role, new_teacher):
    response = admin_client.post(CREATE, {"username": "x1", "role": role,
                                          "person": new_teacher.pk})  # fmt: skip
    assert actions.SCHOOL_REQUIRED in text(response)
    assert not User.objects.filter(username="x1").exists()


def test_it_needs_a_person_for_teachers(admin_client, school):
    response = admin_client.post(CREATE, {"username": "x1", "role": Role.TEACHER,
                                          "school": school.pk})  # fmt: skip
    assert actions.PERSON_REQUIRED in text(response)
    assert not User.objects.filter(username="x1").exists()


def test_it_refuses_a_school_of_another_office(admin_client, foreign_person):
    response = admin_client.post(CREATE, {"username": "x1", "role": Role.SCHOOL_DIRECTOR,
                                          "school": foreign_person.school_id})  # fmt: skip
    assert actions.SCHOOL_OTHER_OFFICE in text(response)
    assert not User.objects.filter(username="x1").exists()


def test_it_refuses_a_person_of_another_office(admin_client, foreign_person):
    response = admin_client.post(CREATE, {"username": "x1", "role": Role.SUPERVISOR,
                                          "person": foreign_person.pk})  # fmt: skip
    assert actions.PERSON_OTHER_OFFICE in text(response)
    assert not User.objects.filter(username="x1").exists()


def test_it_refuses_a_person_of_another_school(admin_client, school, other_teacher):
    response = admin_client.post(CREATE, {"username": "x1", "role": Role.TEACHER,
                                          "school": school.pk, "person": other_teacher.pk})  # fmt: skip
    assert actions.PERSON_OTHER_SCHOOL in text(response)


def test_it_keeps_one_account_per_person(admin_client, school, teacher_person, users):
    response = admin_client.post(CREATE, {"username": "x1", "role": Role.TEACHER,
                                          "school": school.pk, "person": teacher_person.pk})  # fmt: skip
    assert "บุคลากรนี้มีบัญชีผู้ใช้แล้ว (teacher1)" in text(response)
    assert not User.objects.filter(username="x1").exists()


def test_it_refuses_a_username_taken_in_any_case(admin_client, users):
    response = admin_client.post(CREATE, {"username": "Teacher1", "role": Role.INSPECTOR})
    assert actions.USERNAME_TAKEN in text(response)
    assert User.objects.filter(username__iexact="teacher1").count() == 1


def test_it_offers_only_free_people_of_the_chosen_school(admin_client, school, other_school,
                                                         new_teacher, other_teacher, users):  # fmt: skip
    body = text(admin_client.get(f"{CREATE}?picker=person&school={school.pk}"))
    assert "มานี" in body and "สมศรี" not in body  # สมศรี has an account already
    assert "สมชาย" not in body  # another school
    assert new_teacher.national_id not in body
    body = text(admin_client.get(f"{CREATE}?picker=person&school={other_school.pk}"))
    assert "สมชาย" in body and "มานี" not in body


def test_it_keeps_the_accounts_own_person_among_the_options(admin_client, users, school):
    teacher = users[Role.TEACHER]
    url = f"{edit_url(teacher)}?picker=person&school={school.pk}"
    assert f'name="person" value="{teacher.person_id}"' in text(admin_client.get(url))
    chosen = text(admin_client.get(f"{url}&person={teacher.person_id}"))
    assert f'name="person" value="{teacher.person_id}" checked' in chosen


def test_it_offers_no_people_of_another_office(admin_client, foreign_person, foreign_user):
    rows = f"{CREATE}?picker=person&school={foreign_person.school_id}"
    assert "ต่างเขต" not in text(admin_client.get(rows))
    assert admin_client.get(f"{edit_url(foreign_user)}?picker=person").status_code == 404
    rows = text(admin_client.get(f"{CREATE}?picker=person&person={foreign_person.pk}"))
    assert "ต่างเขต" not in rows  # a chosen id of another office is never shown by name


# ---------------------------------------------------------------- editing


def test_it_changes_role_school_person_and_activity_with_an_audit(admin_client, admin, users,
                                                                  school, new_teacher):  # fmt: skip
    user = users[Role.SUPERVISOR]
    response = admin_client.post(edit_url(user), edit_data(
        user, role=Role.TEACHER, school=school.pk, person=new_teacher.pk, is_active=""
    ))  # fmt: skip
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.school, user.person, user.is_active) == (
        Role.TEACHER, school, new_teacher, False
    )  # fmt: skip
    entry = audit_entries(user, AuditAction.UPDATE).get()
    assert entry.actor == admin
    assert entry.changes["บทบาท"] == ["ศึกษานิเทศก์", "ครู"]
    assert entry.changes["สถานศึกษา"] == ["", school.name]
    assert entry.changes["สถานะบัญชี"] == ["ใช้งาน", "ปิดใช้งาน"]
    assert authenticate(username=user.username, password=PASSWORD) is None  # switched off


def test_it_clears_the_school_of_office_roles(admin_client, users, school):
    director = users[Role.SCHOOL_DIRECTOR]
    admin_client.post(edit_url(director), edit_data(director, role=Role.SUPERVISOR))
    director.refresh_from_db()
    assert director.role == Role.SUPERVISOR and director.school is None


def test_it_writes_no_audit_when_nothing_changed(admin_client, users):
    teacher = users[Role.TEACHER]
    teacher.school = teacher.person.school
    teacher.save()
    response = admin_client.post(edit_url(teacher), edit_data(teacher), follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in text(response)
    assert not audit_entries(teacher).exists()


def test_it_offers_an_older_teacher_account_its_persons_school(admin_client, users, school):
    teacher = users[Role.TEACHER]  # made without a school
    response = admin_client.get(edit_url(teacher))
    assert response.context["form"]["school"].value() == school.pk


def test_it_refuses_to_let_an_admin_demote_or_switch_off_themselves(admin_client, admin):
    response = admin_client.post(edit_url(admin), edit_data(admin, role=Role.TEACHER))
    assert actions.OWN_ROLE in text(response)
    response = admin_client.post(edit_url(admin), edit_data(admin, is_active=""))
    assert actions.OWN_ACTIVE in text(response)
    admin.refresh_from_db()
    assert admin.role == Role.OFFICE_ADMIN and admin.is_active
    assert not audit_entries(admin).exists()
    # Their own name is theirs to correct.
    response = admin_client.post(edit_url(admin), edit_data(admin, first_name="สมพร"))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.first_name == "สมพร"


def test_it_refuses_a_person_of_another_office_on_edit(admin_client, users, foreign_person):
    user = users[Role.SUPERVISOR]
    response = admin_client.post(edit_url(user), edit_data(user, person=foreign_person.pk))
    assert actions.PERSON_OTHER_OFFICE in text(response)
    user.refresh_from_db()
    assert user.person is None


def test_update_account_compares_with_the_stored_row(admin, office):
    """A bound ModelForm already set the new role on the instance: still refused."""
    admin.role = Role.TEACHER
    with pytest.raises(actions.AccountError):
        actions.update_account(acting_user=admin, user=admin, role=Role.TEACHER, first_name="",
                               last_name="", email="", school=None, person=None, is_active=True)  # fmt: skip
    assert User.objects.get(pk=admin.pk).role == Role.OFFICE_ADMIN


# ---------------------------------------------------------------- resetting


def test_it_resets_a_password_shows_it_once_and_forgives_failed_logins(admin_client, admin,
                                                                       users, settings):  # fmt: skip
    teacher = users[Role.TEACHER]
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        admin_client.post(reverse("accounts:login"), {"username": "teacher1", "password": "x"})
    admin_client.force_login(admin)
    response = admin_client.post(reset_url(teacher))
    assert response.status_code == 200
    password = response.context["password"]
    assert password in text(response)
    teacher.refresh_from_db()
    assert teacher.must_change_password
    assert not teacher.check_password(PASSWORD) and teacher.check_password(password)
    entry = audit_entries(teacher, AuditAction.UPDATE).get()
    assert entry.actor == admin and "รีเซ็ต" in str(entry.changes)
    assert password not in str(entry.changes)
    other = type(admin_client)()
    response = other.post(reverse("accounts:login"), {"username": "teacher1",
                                                      "password": password})  # fmt: skip
    assert response.status_code == 302  # not locked any more


def test_it_refuses_to_reset_the_admins_own_password(admin_client, admin):
    response = admin_client.post(reset_url(admin), follow=True)
    assert actions.OWN_PASSWORD in text(response)
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD) and not admin.must_change_password


def test_it_turns_off_someones_two_factor_with_an_audit(admin_client, admin, users):
    officer = users[Role.DEVELOPMENT_OFFICER]
    TOTPDevice.objects.create(user=officer, secret=pyotp.random_base32())
    assert "ปิดการยืนยันตัวตนสองขั้นตอน" in text(admin_client.get(edit_url(officer)))
    response = admin_client.post(reset_2fa_url(officer), follow=True)
    assert "ปิดการยืนยันตัวตนสองขั้นตอนของ officer1 แล้ว" in text(response)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.get(object_type="two_factor", object_id=str(officer.pk))
    assert entry.actor == admin and entry.action == AuditAction.DELETE


def test_it_refuses_to_turn_off_the_admins_own_two_factor(admin_client, admin):
    TOTPDevice.objects.create(user=admin, secret=pyotp.random_base32())
    response = admin_client.post(reset_2fa_url(admin), follow=True)
    assert actions.OWN_TWO_FACTOR in text(response)
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_generated_passwords_are_hashed_lightly_then_upgraded_at_sign_in(settings, office):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = User(username="light", office=office)
    password = actions.generate_password()
    actions._set_generated_password(user, password)
    user.save()
    assert user.password.split("$")[1] == str(actions.GENERATED_PASSWORD_ITERATIONS)
    assert authenticate(username="light", password=password) == user
    user.refresh_from_db()
    assert int(user.password.split("$")[1]) > actions.GENERATED_PASSWORD_ITERATIONS


# ---------------------------------------------------------------- the forced password change


def test_it_sends_a_user_with_a_temporary_password_to_the_password_page(client, users):
    teacher = users[Role.TEACHER]
    teacher.must_change_password = True
    teacher.save()
    client.force_login(teacher)
    page = reverse("accounts:password_change")
    response = client.get(reverse("registry:me"))
    assert response.status_code == 302
    assert response["Location"] == f"{page}?next=%2Fregistry%2Fme%2F"
    response = client.get("/api/registry/people")
    assert response.status_code == 403 and "รหัสผ่าน" in response.json()["detail"]
    assert client.get(reverse("home"), HTTP_HX_REQUEST="true")["HX-Redirect"] == page
    response = client.get(page)
    assert response.status_code == 200 and "ตั้งรหัสผ่านใหม่ของคุณ" in text(response)
    # The temporary password again is not a new one.
    response = client.post(page, {"old_password": PASSWORD, "new_password1": PASSWORD,
                                  "new_password2": PASSWORD})  # fmt: skip
    assert "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม" in text(response)
    response = client.post(f"{page}?next=/registry/me/", {
        "old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD,
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/registry/me/"
    teacher.refresh_from_db()
    assert not teacher.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_it_asks_for_two_factor_before_the_new_password_without_a_loop(client, admin, settings):
    settings.KRUPD_REQUIRE_2FA_ROLES = [Role.OFFICE_ADMIN]
    admin.must_change_password = True
    admin.save()
    client.force_login(admin)
    setup = reverse("accounts:two_factor")
    assert client.get(reverse("home"))["Location"].startswith(setup)
    assert client.get(setup).status_code == 200
    TOTPDevice.objects.create(user=admin, secret=pyotp.random_base32())
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:password_change"))
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_the_password_page_speaks_thai(client_for):
    response = client_for(Role.TEACHER).post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345",
    })  # fmt: skip
    body = text(response)
    assert "รหัสผ่านสั้นเกินไป" in body and "รหัสผ่านต้องไม่เป็นตัวเลขล้วน" in body
    assert "This password" not in body and "Your password" not in body


# ---------------------------------------------------------------- a whole school at once


@pytest.fixture
def staff_of_school(office, school, teacher_person, users):
    """`school` has teacher_person (with an account), two people without, one who left."""
    return [
        make_person(office, school, first_name="กานดา", last_name="ก"),
        make_person(office, school, first_name="ขวัญใจ", last_name="ข", position_number="1234"),
        make_person(office, school, first_name="ย้ายแล้ว", status=PersonStatus.TRANSFERRED),
    ]


def test_it_previews_who_would_get_an_account(admin_client, school, staff_of_school):
    body = text(admin_client.get(f"{SCHOOL_ACCOUNTS}?school={school.pk}"))
    assert "กานดา" in body and "ขวัญใจ" in body
    assert "ย้ายแล้ว" not in body and "สมศรี" not in body
    assert f"t{staff_of_school[0].pk}" in body
    assert not User.objects.filter(username__startswith="t").exclude(username="teacher1").exists()


def test_it_creates_a_schools_teacher_accounts_as_a_spreadsheet(admin_client, admin, school,
                                                                staff_of_school, office):  # fmt: skip
    kanda, kwan, _ = staff_of_school
    make_user(f"t{kwan.pk}", Role.INSPECTOR, office)  # the name is taken: t<pk>-2
    response = admin_client.post(SCHOOL_ACCOUNTS, {"school": school.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[3]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[0]}
    assert set(rows) == {f"t{kanda.pk}", f"t{kwan.pk}-2"}
    for username, row in rows.items():
        user = User.objects.get(username=username)
        assert user.role == Role.TEACHER and user.school == school and user.office == office
        assert user.must_change_password and user.person.full_name == row[1]
        assert authenticate(username=username, password=row[4]) == user
        assert audit_entries(user, AuditAction.CREATE).get().actor == admin
    export = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="user")
    assert export.actor == admin and "2 บัญชี" in export.object_label
    # Again: nobody is left without an account.
    response = admin_client.post(SCHOOL_ACCOUNTS, {"school": school.pk}, follow=True)
    assert "มีบัญชีครบทุกคนแล้ว" in text(response)
    assert User.objects.filter(school=school, role=Role.TEACHER).count() == 2


def test_it_refuses_a_whole_school_of_another_office(admin_client, foreign_person):
    school = foreign_person.school
    response = admin_client.post(SCHOOL_ACCOUNTS, {"school": school.pk})
    assert response.status_code == 200 and actions.SCHOOL_OTHER_OFFICE in text(response)
    assert "ต่างเขต" not in text(admin_client.get(f"{SCHOOL_ACCOUNTS}?school={school.pk}"))
    assert not User.objects.filter(person=foreign_person).exists()


def test_bulk_accounts_refuse_a_school_of_another_office(admin, other_office):
    school = make_school(other_office, code="1076029999", name="โรงเรียนอื่น")
    with pytest.raises(actions.AccountError):
        actions.create_school_teacher_accounts(acting_user=admin, school=school)
