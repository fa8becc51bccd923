"""Security settings that hold for every page: headers, CSRF, password policy, upload limits.

Login throttling is tested in accounts/tests; the access matrix in test_access_matrix.py.
"""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from imports.models import ImportBatch
from krupd.testing import *  # noqa: F403 - the users-per-role fixtures


def test_every_response_carries_the_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    # Nothing may be loaded from another site: no directive names an outside host.
    assert "http" not in csp and "*" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_policy_allows_what_the_pages_use(client_for):
    """Pages load their scripts, styles and fonts from this site only."""
    body = client_for(Role.OFFICE_ADMIN).get(reverse("home")).content.decode()
    assert '<script src="/static/' in body
    assert "//cdn" not in body and 'src="http' not in body


@pytest.mark.parametrize("secure", [True, False])
def test_cookies_are_secure_when_the_environment_says_so(monkeypatch, secure):
    import importlib

    import krupd.settings as module

    monkeypatch.setenv("SECURE_COOKIES", "true" if secure else "false")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.SESSION_COOKIE_SECURE is secure
        assert reloaded.CSRF_COOKIE_SECURE is secure
        assert reloaded.SESSION_COOKIE_HTTPONLY is True
    finally:
        monkeypatch.delenv("SECURE_COOKIES")
        importlib.reload(module)


def test_production_refuses_to_start_without_secret_and_hosts(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import krupd.settings as module

    monkeypatch.setenv("KRUPD_PRODUCTION", "1")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
            importlib.reload(module)
        monkeypatch.setenv("ALLOWED_HOSTS", "krupd.example.go.th")
        for weak in ("k3y-" * 12, "x" * 60):  # 48 characters; 60 of one character
            monkeypatch.setenv("SECRET_KEY", weak)
            with pytest.raises(ImproperlyConfigured, match="50"):
                importlib.reload(module)
        monkeypatch.setenv("SECRET_KEY", "k3y-Z" * 10)
        reloaded = importlib.reload(module)
        assert reloaded.DEBUG is False
        assert reloaded.SESSION_COOKIE_SECURE is True
        # HTTPS by default in production: redirect and a year of HSTS, no separate switch.
        assert reloaded.SECURE_SSL_REDIRECT is True
        assert reloaded.SECURE_HSTS_SECONDS >= 31536000
        assert reloaded.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")
        # Persistent, health-checked connections by default in production.
        assert reloaded.DATABASES["default"]["CONN_MAX_AGE"] == 60
        assert reloaded.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    finally:
        for name in ("KRUPD_PRODUCTION", "SECRET_KEY", "ALLOWED_HOSTS"):
            monkeypatch.delenv(name, raising=False)
        importlib.reload(module)


def test_a_post_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.TEACHER])
    response = client.post(reverse("registry:my_contact"), {"phone": "0811111111", "email": ""})
    assert response.status_code == 403
    users[Role.TEACHER].person.refresh_from_db()
    assert users[Role.TEACHER].person.phone == "081-234-5678"


def test_a_post_with_the_csrf_token_is_accepted(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.TEACHER])
    page = client.get(reverse("registry:my_contact"))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("registry:my_contact"),
        {"phone": "0811111111", "email": "", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "password, ok",
    [("short1!", False), ("123456789012", False), ("password1234", False),
     ("ครูดีมีคุณธรรม2569", True), ("kru-pd-Long-2569", True)],
)  # fmt: skip
def test_password_policy_needs_ten_characters_and_no_common_or_numeric(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_change_page_applies_the_policy(client_for):
    from krupd.testing import PASSWORD

    client = client_for(Role.TEACHER)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc12345", "new_password2": "abc12345"},
    )
    assert response.status_code == 200
    assert "10" in response.content.decode()  # "at least 10 characters", in Thai


def test_upload_limits_are_set(settings):
    from imports import readers

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 50 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert readers.MAX_UPLOAD_BYTES == 200 * 1024 * 1024  # nginx client_max_body_size 200m


def test_an_oversized_form_body_is_refused(client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = client_for(Role.TEACHER)
    response = client.post(reverse("registry:my_contact"), {"phone": "0" * 4000, "email": ""})
    assert response.status_code == 400


def test_a_pdf_renamed_to_xlsx_is_refused_in_thai(client_for):
    client = client_for(Role.OFFICE_ADMIN)
    fake = SimpleUploadedFile(
        "บุคลากร.xlsx",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 2000,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = client.post(reverse("imports:upload"), {"kind": "personnel", "file": fake})
    assert response.status_code == 200
    assert "ไฟล์ PDF นำเข้าไม่ได้" in response.content.decode()
    assert not ImportBatch.objects.exists()
