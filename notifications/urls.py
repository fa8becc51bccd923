from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("all-read/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/line-code/", views.line_code, name="line_code"),
    path("preferences/line-unlink/", views.line_unlink, name="line_unlink"),
    path("office/", views.office_settings, name="office"),
    path("office/deliveries/", views.deliveries, name="deliveries"),
    path("office/deliveries/retry/", views.deliveries_retry, name="deliveries_retry"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("line/webhook/<int:office_pk>/", views.line_webhook, name="line_webhook"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
]
