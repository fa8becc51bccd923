from django.urls import path

from . import views

app_name = "career"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings, name="settings"),
    path("pa/", views.pa_mine, name="pa_mine"),
    path("pa/status/", views.pa_status, name="pa_status"),
    path("pa/<int:pk>/", views.pa_detail, name="pa_detail"),
    path("pa/<int:pk>/edit/", views.pa_edit, name="pa_edit"),
    path("pa/<int:pk>/decide/", views.pa_decide, name="pa_decide"),
    path("pa/<int:pk>/evaluators/", views.pa_assign, name="pa_assign"),
    path("pa/<int:pk>/evaluate/", views.pa_evaluate, name="pa_evaluate"),
    path("pa/<int:pk>/reopen/", views.pa_reopen, name="pa_reopen"),
    path("pa/<int:pk>/export/", views.pa_export, name="pa_export"),
    path("pa/<int:pk>/pack/", views.pack, name="pack"),
    path("pa/<int:pk>/pack/workload/", views.pack_workload, name="pack_workload"),
    # section: an indicator's number (1–15) or "challenge" for the challenge issue.
    path("pa/<int:pk>/pack/section/<str:section>/", views.pack_section, name="pack_section"),
    path("pa/<int:pk>/pack/report/", views.pack_report, name="pack_report"),
    path(
        "pa/<int:pk>/pack/evidence/<int:evidence_pk>/remove/",
        views.pack_evidence_remove,
        name="pack_evidence_remove",
    ),
    path(
        "pa/<int:pk>/pack/evidence/<int:evidence_pk>/move/",
        views.pack_evidence_move,
        name="pack_evidence_move",
    ),
    path(
        "pa/<int:pk>/pack/evidence/<int:evidence_pk>/file/",
        views.pack_evidence_file,
        name="pack_evidence_file",
    ),
    path("pa/<int:pk>/pack/zip/", views.pack_zip_start, name="pack_zip_start"),
    path(
        "pa/<int:pk>/pack/zip/<int:export_pk>/", views.pack_zip_progress, name="pack_zip_progress"
    ),
    path(
        "pa/<int:pk>/pack/zip/<int:export_pk>/download/",
        views.pack_zip_download,
        name="pack_zip_download",
    ),
    path("standing/", views.standing, name="standing"),
    path("standing/requests/new/", views.standing_request, name="standing_request"),
    path("standing/requests/<int:pk>/", views.standing_request, name="standing_request_edit"),
    path("debt/", views.debt_list, name="debt_list"),
    path("debt/new/", views.debt_new, name="debt_new"),
    path("debt/summary/", views.debt_summary, name="debt_summary"),
    path("debt/mine/", views.debt_mine, name="debt_mine"),
    path("debt/<int:person_pk>/", views.debt_detail, name="debt_detail"),
    path("debt/<int:person_pk>/edit/", views.debt_edit, name="debt_edit"),
    path("debt/<int:person_pk>/cases/new/", views.debt_case, name="debt_case_new"),
    path("debt/<int:person_pk>/cases/<int:pk>/", views.debt_case, name="debt_case_edit"),
]
