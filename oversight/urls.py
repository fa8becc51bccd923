from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.compare, name="compare"),
    path("offices/<int:pk>/", views.office, name="office"),
    path("refresh/", views.refresh, name="refresh"),
    path("refresh/progress/", views.refresh_progress, name="refresh_progress"),
]
