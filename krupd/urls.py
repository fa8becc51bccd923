from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from krupd.api import api
from krupd.health import healthz
from registry import views as registry_views


def favicon(request):
    # Looked up per request: with hashed static files the name is known only after collectstatic.
    return HttpResponsePermanentRedirect(static("krupd/favicon.svg"))


urlpatterns = [
    path("", registry_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (PDFs, JSON).
    path("favicon.ico", favicon),  # load balancer / monitoring probe, no login
    path("accounts/", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("imports/", include("imports.urls")),
    path("staffing/", include("staffing.urls")),
    path("training/", include("training.urls")),
    path("verify/", include("training.public_urls")),  # public certificate verification
    path("credentials/", include("credentials.urls")),  # public: issuer keys, status lists
    path("planning/", include("planning.urls")),
    path("community/", include("community.urls")),
    path("career/", include("career.urls")),
    path("reports/", include("reporting.urls")),
    path("oversight/", include("oversight.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/", api.urls),
    # Staff sign in through KruPD's own login (password, then the two-factor code when on);
    # the admin's login form would skip the second step.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

# The database being down shows the Thai 503 page, not a bare 500 (krupd/middleware.py).
handler500 = "krupd.middleware.server_error"
