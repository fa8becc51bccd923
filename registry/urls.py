from django.urls import path

from . import quality_views, views

app_name = "registry"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/national-id/", views.person_reveal_id, name="person_reveal_id"),
    path("me/", views.me, name="me"),
    path("me/contact/", views.my_contact, name="my_contact"),
    path("me/export/", views.my_data_export, name="my_data_export"),
    path("schools/", views.schools, name="schools"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("schools/<int:pk>/close/", views.school_close, name="school_close"),
    path("schools/<int:pk>/reopen/", views.school_reopen, name="school_reopen"),
    path("schools/<int:pk>/move-staff/", views.school_move_staff, name="school_move_staff"),
    path("schools/<int:pk>/enrolment/", views.school_enrolment, name="school_enrolment"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", views.office_settings, name="settings"),
    path("settings/<str:kind>/", views.reference_list, name="reference"),
    path("quality/", quality_views.office_quality, name="quality"),
    path("quality/schools/<int:pk>/", quality_views.school_quality, name="quality_school"),
]
