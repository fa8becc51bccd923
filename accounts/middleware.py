"""Roles a deployment forces to use two-factor sign-in (KRUPD_REQUIRE_2FA_ROLES): until the
user turns it on, every page sends them to the set-up page."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import access

SETUP_MESSAGE = "บทบาทของคุณต้องเปิดใช้การยืนยันตัวตนสองขั้นตอนก่อนใช้งานระบบ"


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
        setup = reverse("accounts:two_factor")
        if request.path.startswith(reverse("api:api-root")):
            return JsonResponse({"detail": SETUP_MESSAGE}, status=403)
        if request.headers.get("HX-Request") == "true":  # a fragment: load the whole page
            return HttpResponseClientRedirect(setup)
        if request.method == "GET":  # come back here once it is on
            setup += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(setup)
