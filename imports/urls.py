from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("template/<str:kind>/", views.template_download, name="template"),
    path("sessions/<int:session_pk>/", views.session_upload, name="session_upload"),
    path("sessions/<int:session_pk>/template/", views.session_template, name="session_template"),
    path("rounds/<int:round_pk>/", views.round_upload, name="round_upload"),
    path("export/<str:kind>/", views.export, name="export"),
    path("exports/<int:pk>/", views.list_export, name="list_export"),
    path("exports/<int:pk>/progress/", views.list_export_progress, name="list_export_progress"),
    path("exports/<int:pk>/file/", views.list_export_download, name="list_export_download"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress_partial, name="progress"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/revalidate/", views.revalidate, name="revalidate"),
    path("<int:pk>/errors.xlsx", views.error_file, name="error_file"),
    path("<int:pk>/purge/", views.purge_rows, name="purge"),
    path("files/<int:pk>/", views.file_import, name="file_import"),
    path("files/<int:pk>/progress/", views.file_import_progress, name="file_import_progress"),
]
