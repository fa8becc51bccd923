from django.urls import path

from . import inspection_views, views

app_name = "oversight"

urlpatterns = [
    path("", views.compare, name="compare"),
    path("offices/<int:pk>/", views.office, name="office"),
    path("refresh/", views.refresh, name="refresh"),
    path("refresh/progress/", views.refresh_progress, name="refresh_progress"),
    path("inspection/", inspection_views.rounds, name="rounds"),
    path("inspection/rounds/<int:pk>/", inspection_views.round_detail, name="round"),
    path("inspection/rounds/<int:pk>/front/", inspection_views.round_front, name="round_front"),
    path(
        "inspection/rounds/<int:pk>/summary/", inspection_views.round_summary, name="round_summary"
    ),
    path(
        "inspection/rounds/<int:pk>/offices/<int:office>/",
        inspection_views.round_office,
        name="round_office",
    ),
    path(
        "inspection/rounds/<int:pk>/offices/<int:office>/review/",
        inspection_views.round_review,
        name="round_review",
    ),
    path("inspection/rounds/<int:pk>/docx/", inspection_views.round_docx, name="round_docx"),
]
