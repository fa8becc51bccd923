from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("targets/", views.targets, name="targets"),
    path("onet/", views.onet_import, name="onet"),
    path("onet/national/", views.onet_national, name="onet_national"),
    path("onet/national/<int:pk>/delete/", views.onet_national_delete, name="onet_national_delete"),
    path("sar/", views.sar_list, name="sar_list"),
    path("sar/<int:pk>/", views.sar_detail, name="sar"),
    path("sar/<int:pk>/entries/<int:entry>/", views.sar_entry_save, name="sar_entry"),
    path("sar/<int:pk>/entries/<int:entry>/attach/", views.sar_attach, name="sar_attach"),
    path("sar/<int:pk>/export/<str:fmt>/", views.sar_export, name="sar_export"),
    path("sar/exports/<int:pk>/", views.sar_export_job, name="sar_export_job"),
    path("sar/exports/<int:pk>/progress/", views.sar_export_progress, name="sar_export_progress"),
    path("sar/exports/<int:pk>/file/", views.sar_export_download, name="sar_export_download"),
    path("sar/attachments/<int:pk>/file/", views.sar_attachment_file, name="sar_attachment_file"),
    path("inspection/", views.inspection, name="inspection"),
    path("inspection/<int:pk>/", views.inspection_report_view, name="inspection_report"),
    path(
        "inspection/<int:pk>/answers/<int:answer>/",
        views.inspection_answer_save,
        name="inspection_answer",
    ),
    path("inspection/<int:pk>/submit/", views.inspection_submit, name="inspection_submit"),
    path("inspection/<int:pk>/docx/", views.inspection_docx, name="inspection_docx"),
    path("inspection/<int:pk>/front/", views.inspection_front_save, name="inspection_front"),
    path("summaries/", views.summaries_page, name="summaries"),
    path("summaries/<str:kind>/<str:fmt>/", views.summary_export, name="summary_export"),
]
