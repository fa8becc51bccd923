"""Public addresses (no login): what outside verifiers fetch, and the upload verifier."""

from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("issuers/<str:office_code>/", views.issuer, name="issuer"),
    path("issuers/<str:office_code>/jwks/", views.jwks, name="jwks"),
    path("keys/<str:kid>/", views.key, name="key"),
    path("status/<str:office_code>/<int:number>/", views.status_list, name="status_list"),
    path("achievements/<str:kind>/<int:pk>/", views.achievement, name="achievement"),
    path("verify/", views.verify_upload, name="verify_upload"),
]
