from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings, name="settings"),
    path("plc/", views.plc_list, name="plc_list"),
    path("plc/new/", views.plc_create, name="plc_create"),
    path("plc/activity/", views.plc_activity, name="plc_activity"),
    path("plc/<int:pk>/", views.plc_detail, name="plc_detail"),
    path("plc/<int:pk>/edit/", views.plc_edit, name="plc_edit"),
    path("plc/<int:pk>/log/", views.plc_log, name="plc_log"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/coverage/", views.coverage, name="coverage"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("networks/", views.networks, name="networks"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:pk>/add/<str:kind>/", views.network_add, name="network_add"),
    path("partners/", views.partners, name="partners"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/add/<str:kind>/", views.partner_add, name="partner_add"),
    path("awards/", views.awards, name="awards"),
    path("awards/table/", views.awards_table, name="awards_table"),
    path("awards/rounds/new/", views.round_create, name="round_create"),
    path("awards/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("awards/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("awards/rounds/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("awards/rounds/<int:pk>/decide/", views.round_decide, name="round_decide"),
    path(
        "awards/rounds/<int:pk>/certificates/",
        views.award_certificates_issue,
        name="award_certificates_issue",
    ),
    # A nomination's award certificate, one per result level: ?level= / POST level=.
    path(
        "awards/nominations/<int:pk>/certificate/",
        views.award_certificate_pdf,
        name="award_cert_pdf",
    ),
    path(
        "awards/nominations/<int:pk>/certificate/revoke/",
        views.award_certificate_revoke,
        name="award_cert_revoke",
    ),
    path("awards/nominations/<int:pk>/score/", views.score, name="score"),
    path("awards/nominations/<int:pk>/result/", views.nomination_result, name="nomination_result"),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/publish/", views.practice_publish, name="practice_publish"),
]
