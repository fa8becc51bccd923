"""What offices sent to their province, for the system administrator to read.

A submission's status changes only through the province's review (audited, and the office
is notified), and a version is what the office sent as it was sent: the admin shows both
and changes neither."""

from django.contrib import admin

from krupd.read_only_admin import ReadOnlyAdmin

from .models import InspectionSubmission, InspectionVersion


class OfficeReportColumns:
    """The office and fiscal year of the report a row belongs to, as list columns."""

    @admin.display(description="หน่วยงาน", ordering="report__office__name")
    def office(self, row):
        return row.report.office

    @admin.display(description="ปีงบประมาณ", ordering="report__fiscal_year")
    def fiscal_year(self, row) -> int:
        return row.report.fiscal_year


@admin.register(InspectionSubmission)
class InspectionSubmissionAdmin(OfficeReportColumns, ReadOnlyAdmin):
    list_display = ["office", "fiscal_year", "round_number", "status", "submitted_at",
                    "reviewed_at"]  # fmt: skip
    list_filter = ["status", "round_number", "report__fiscal_year"]
    list_select_related = ["report__office"]
    search_fields = ["report__office__name", "report__office__code", "report__office__province"]


@admin.register(InspectionVersion)
class InspectionVersionAdmin(OfficeReportColumns, ReadOnlyAdmin):
    list_display = ["office", "fiscal_year", "round_number", "number", "outcome",
                    "submitted_at"]  # fmt: skip
    list_filter = ["outcome", "round_number", "report__fiscal_year"]
    list_select_related = ["report__office"]
    search_fields = ["report__office__name", "report__office__code", "report__office__province"]
