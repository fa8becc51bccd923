"""Pages a signed-in user is held back from until they put their account in order:

* roles a deployment forces to use two-factor sign-in (KRUPD_REQUIRE_2FA_ROLES): until the
  user turns it on, every page sends them to the set-up page;
* a password someone else chose (a new account, a reset by the office admin): until the user
  sets their own, every page sends them to the password page.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django_htmx.http import HttpResponseClientRedirect

from krupd.middleware import DB_ERRORS, database_unavailable_response

from . import access

SETUP_MESSAGE = "บทบาทของคุณต้องเปิดใช้การยืนยันตัวตนสองขั้นตอนก่อนใช้งานระบบ"
CHANGE_PASSWORD_MESSAGE = "กรุณาตั้งรหัสผ่านใหม่ของคุณเองก่อนใช้งานระบบ (รหัสผ่านปัจจุบันเป็นรหัสชั่วคราว)"


def send_to(request, page: str, message: str, *, api_status: int = 403):
    """Send the user to `page` first: the API answers `message`, an htmx fragment loads the
    whole page, and a GET comes back to where it was afterwards."""
    if request.path.startswith(reverse("api:api-root")):
        return JsonResponse({"detail": message}, status=api_status)
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(page)
    if request.method == "GET":
        page += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(page)


class TwoFactorRequiredMiddleware:
    # Pages a user without two-factor sign-in may still open: setting it up, and leaving.
    EXEMPT_URL_NAMES = ("accounts:two_factor", "accounts:logout", "accounts:login",
                        "accounts:login_code")  # fmt: skip

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.KRUPD_REQUIRE_2FA_ROLES  # nothing to do (and no query) when not forced
            and request.user.is_authenticated
            and request.path not in {reverse(name) for name in self.EXEMPT_URL_NAMES}
            and access.must_set_up_two_factor(request.user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        return send_to(request, reverse("accounts:two_factor"), SETUP_MESSAGE)


def _unwrap_user(request) -> None:
    """Put the loaded user in place of the lazy wrapper AuthenticationMiddleware left on the
    request. Once loaded the wrapper only costs: every `user.…` a view or template reads
    (57 on a learner's course page) went through LazyObject, which raises and catches an
    AttributeError per read. The user is the same object either way."""
    user = request.user
    if isinstance(user, LazyObject) and user._wrapped is not empty:
        request.user = user._wrapped


class PasswordChangeRequiredMiddleware:
    """Sends a user whose password was set by someone else to the password page. Costs no
    query: the flag is on the user row the session has already loaded."""

    # The password page itself, leaving, and the two-factor set-up a forced role must finish
    # first (each middleware lets the other's page through, so neither loops).
    EXEMPT_URL_NAMES = ("accounts:password_change", "accounts:logout", "accounts:login",
                        "accounts:login_code", "accounts:two_factor")  # fmt: skip

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:  # the first use of request.user: it loads the session and the user
            must_change = request.user.is_authenticated and request.user.must_change_password
        except DB_ERRORS:  # the database is down: the same 503 page a view would answer
            return database_unavailable_response()
        _unwrap_user(request)
        if must_change and request.path not in {reverse(n) for n in self.EXEMPT_URL_NAMES}:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        return send_to(request, reverse("accounts:password_change"), CHANGE_PASSWORD_MESSAGE)


IDLE_KEY = "accounts_last_seen"
IDLE_MESSAGE = "ออกจากระบบอัตโนมัติเพราะไม่ได้ใช้งานนาน กรุณาเข้าสู่ระบบอีกครั้ง"
# The stamp is rewritten at most this often, so most requests do not save the session.
IDLE_STAMP_SECONDS = 60


def stamp(request) -> None:
    """The user signed in just now: their idle time counts from here."""
    request.session[IDLE_KEY] = time.time()


class IdleTimeoutMiddleware:
    """Ends a session nobody used for SESSION_IDLE_SECONDS (a computer left signed in at a
    school), on top of the session's fixed lifetime (SESSION_COOKIE_AGE). The sign-in pages
    stamp the session (`stamp`); sessions made otherwise (tests' force_login, sessions from
    before this existed) keep only the fixed lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(IDLE_KEY)
            if isinstance(last, (int, float)) and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.warning(request, IDLE_MESSAGE)
                return self.refuse(request)
            if isinstance(last, (int, float)) and now - last > IDLE_STAMP_SECONDS:
                request.session[IDLE_KEY] = now
        return self.get_response(request)

    def refuse(self, request):
        return send_to(request, reverse("accounts:login"), IDLE_MESSAGE, api_status=401)
