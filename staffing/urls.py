from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("", views.office, name="office"),
    path("schools/", views.schools, name="schools"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("problems/", views.problems, name="problems"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("out-of-field/", views.out_of_field, name="out_of_field"),
    path("retirements/", views.retirements, name="retirements"),
    path("transfers/", views.transfers, name="transfers"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/", views.rule_set, name="rule_set"),
    path("rules/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("rules/<int:pk>/weights/", views.rule_set_weights, name="rule_set_weights"),
    path("rules/<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
]
