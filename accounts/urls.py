from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path(
        "2fa/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"
    ),  # fmt: skip
]
