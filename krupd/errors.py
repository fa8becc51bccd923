"""The Thai page for a form refused by the CSRF check (settings.CSRF_FAILURE_VIEW).

Django's own page is English and written for developers; the usual cause in an office is a
form left open past the session, and the person needs to know nothing was saved."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
