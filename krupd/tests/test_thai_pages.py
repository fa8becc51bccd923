"""Thai whatever the browser asks for: the sign-in page, Django's own form messages, the error
pages (in the site's layout) and the API's error answers."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from accounts.roles import Role
from krupd.middleware import ThaiErrorPagesMiddleware, server_error
from krupd.testing import *  # noqa: F403 (fixtures)

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
DJANGO_ENGLISH = ["This field is required", "Username", "Please enter a correct", "Forbidden"]


def assert_thai_page(response, *phrases):
    html = response.content.decode()
    for phrase in phrases:
        assert phrase in html
    for english in DJANGO_ENGLISH:
        assert english not in html
    assert 'class="topbar"' in html  # the site's own layout, not a bare page
    return html


@pytest.mark.django_db
def test_an_english_browser_gets_the_thai_sign_in_page(client):
    response = client.get(reverse("accounts:login"), **ENGLISH)
    assert response.status_code == 200
    html = assert_thai_page(response, "เข้าสู่ระบบ KruPD", "ชื่อผู้ใช้", "รหัสผ่าน")
    assert '<html lang="th"' in html
    assert response.get("Content-Language", "th") == "th"


@pytest.mark.django_db
def test_sign_in_errors_are_thai_in_one_voice_with_an_english_browser(client, users):
    empty = client.post(reverse("accounts:login"), {"username": "", "password": ""}, **ENGLISH)
    assert_thai_page(empty, "กรุณากรอกช่องนี้")
    assert "ฟิลด์นี้จำเป็น" not in empty.content.decode()
    wrong = client.post(
        reverse("accounts:login"), {"username": "admin1", "password": "wrong-password"}, **ENGLISH
    )
    assert_thai_page(wrong, "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")


@pytest.mark.django_db
def test_a_missing_page_is_thai_in_the_site_layout(client_for):
    response = client_for(Role.TEACHER).get("/registry/no-such-page/", **ENGLISH)
    assert response.status_code == 404
    html = assert_thai_page(response, "ไม่พบหน้าที่ต้องการ", "กลับหน้าแรก")
    assert "krupd/favicon.svg" in html


@pytest.mark.django_db
def test_a_refused_page_is_thai_and_names_the_role(client_for):
    response = client_for(Role.TEACHER).get(reverse("registry:people"), **ENGLISH)
    assert response.status_code == 403
    assert_thai_page(response, "ท่านไม่มีสิทธิ์เปิดหน้านี้", "บทบาทครู")


@pytest.mark.django_db
def test_an_expired_form_is_a_thai_page_that_says_nothing_was_saved(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"}, **ENGLISH)
    assert response.status_code == 403
    assert_thai_page(response, "แบบฟอร์มหมดอายุ", "ยังไม่ได้บันทึก")


@pytest.mark.django_db
def test_the_server_error_and_bad_request_pages_are_thai():
    request = RequestFactory().get("/", **ENGLISH)
    error = server_error(request)
    assert error.status_code == 500
    assert_thai_page(error, "ขออภัย ระบบขัดข้อง")
    bad = defaults.bad_request(request, SuspiciousOperation("bad"))
    assert bad.status_code == 400
    assert_thai_page(bad, "คำขอไม่ถูกต้อง")


@pytest.mark.django_db
@pytest.mark.parametrize("developer_pages", [True, False])
def test_missing_pages_are_thai_in_the_site_layout_with_debug_on(
    client_for, settings, developer_pages
):
    """`make run` and manage.py runserver run with DEBUG on: no English developer 404 page,
    neither for an address that matches nothing nor for a record that does not exist."""
    settings.DEBUG = True
    settings.DEVELOPER_ERROR_PAGES = developer_pages
    client = client_for(Role.DEVELOPMENT_OFFICER)
    for url in ("/registry/no-such-page/", "/training/courses/999999/"):
        response = client.get(url, **ENGLISH)
        assert response.status_code == 404
        html = assert_thai_page(response, "ไม่พบหน้าที่ต้องการ", "กลับหน้าแรก")
        assert "Page not found" not in html and "URLconf" not in html
    refused = client_for(Role.TEACHER).get(reverse("registry:people"), **ENGLISH)
    assert refused.status_code == 403
    assert_thai_page(refused, "ท่านไม่มีสิทธิ์เปิดหน้านี้")


def _raise(exception):
    def view(request):
        raise exception

    return view


@pytest.mark.django_db
def test_an_error_is_the_thai_500_page_under_make_run_and_a_traceback_for_developers(
    settings, caplog
):
    settings.DEBUG = True
    request = RequestFactory().get("/somewhere/", **ENGLISH)
    request.user = AnonymousUser()
    middleware = ThaiErrorPagesMiddleware(_raise(RuntimeError("boom")))
    settings.DEVELOPER_ERROR_PAGES = True
    assert middleware.process_exception(request, RuntimeError("boom")) is None  # Django's
    settings.DEVELOPER_ERROR_PAGES = False
    response = middleware.process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert_thai_page(response, "ขออภัย ระบบขัดข้อง")
    assert "boom" in caplog.text  # the traceback is in the console log, not on the page
    bad = middleware.process_exception(request, SuspiciousOperation("bad"))
    assert bad.status_code == 400
    assert_thai_page(bad, "คำขอไม่ถูกต้อง")
    settings.DEBUG = False
    assert middleware.process_exception(request, RuntimeError("boom")) is None  # handler500


def test_the_favicon_address_leads_to_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("krupd/favicon.svg")


@pytest.mark.django_db
def test_api_errors_are_thai(client, users):
    refused = client.get("/api/registry/people", **ENGLISH)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "กรุณาเข้าสู่ระบบก่อนใช้ API"}
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    wrong = client.get("/api/registry/people/abc", **ENGLISH)
    assert wrong.status_code == 422
    (problem,) = wrong.json()["detail"]
    assert problem["type"] == "int_parsing"
    assert problem["msg"] == "ต้องเป็นจำนวนเต็ม"
    missing = client.get("/api/registry/people/999999", **ENGLISH)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "ไม่พบข้อมูล"}


@pytest.mark.django_db
def test_a_post_only_address_opened_with_get_is_a_thai_page_not_a_blank_one(client_for):
    """A bookmarked or typed address of a button's action (sign out, mark all read) is opened
    with GET: the answer stays 405, and the page says in Thai why nothing happened."""
    client = client_for(Role.OFFICE_ADMIN)
    for url in (reverse("accounts:logout"), reverse("notifications:mark_all_read")):
        response = client.get(url, **ENGLISH)
        assert response.status_code == 405, url
        assert "POST" in response["Allow"]
        assert_thai_page(response, "เปิดหน้านี้ด้วยวิธีนี้ไม่ได้", "กลับหน้าแรก")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_page_refuses_put_patch_and_delete_in_thai_and_writes_nothing(client_for, method):
    """No page takes PUT, PATCH or DELETE: a form page answered them with its empty form (200),
    as if the request had meant something. They are refused (405) before any view, in Thai."""
    from registry.models import AuditEntry, Person

    client = client_for(Role.OFFICE_ADMIN)
    before = Person.objects.count(), AuditEntry.objects.count()
    for name in ("registry:person_create", "registry:people", "accounts:logout"):
        response = getattr(client, method)(reverse(name), **ENGLISH)
        assert response.status_code == 405, name
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}
        assert_thai_page(response, "เปิดหน้านี้ด้วยวิธีนี้ไม่ได้")
    assert (Person.objects.count(), AuditEntry.objects.count()) == before
    assert client.get(reverse("registry:people")).status_code == 200  # still signed in


@pytest.mark.django_db
def test_an_api_address_asked_with_a_method_it_does_not_take_answers_in_thai(client, users):
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    for method in ("post", "put", "delete"):
        response = getattr(client, method)("/api/registry/people", **ENGLISH)
        assert response.status_code == 405, method
        assert response.json() == {"detail": "ที่อยู่นี้ไม่รับคำขอแบบนี้"}
        assert "GET" in response["Allow"]
