from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/start/<str:token>/", views.two_factor_setup_link, name="two_factor_setup_link"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path(
        "2fa/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"
    ),  # fmt: skip
    # The office admin's management of the office's accounts.
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/school/", views.school_accounts, name="school_accounts"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/2fa/", views.user_reset_two_factor, name="user_reset_two_factor"),
    path("users/<int:pk>/2fa/link/", views.user_two_factor_link, name="user_two_factor_link"),
]
