"""What offices sent to their province, for the system administrator to read.

A submission's status changes only through the province's review (audited, and the office
is notified), and a version is what the office sent as it was sent: the admin shows both
and changes neither."""

import json

from django.contrib import admin
from django.utils.html import format_html

from krupd.admin_base import ReadOnlyAdmin, be_date

from .models import InspectionSubmission, InspectionVersion


class OfficeReportColumns:
    """The office and fiscal year of the report a row belongs to, as list columns."""

    @admin.display(description="หน่วยงาน", ordering="report__office__name")
    def office(self, row):
        return row.report.office

    @admin.display(description="ปีงบประมาณ", ordering="report__fiscal_year")
    def fiscal_year(self, row) -> int:
        return row.report.fiscal_year

    submitted = be_date("submitted_at", "ส่งเมื่อ")


@admin.register(InspectionSubmission)
class InspectionSubmissionAdmin(OfficeReportColumns, ReadOnlyAdmin):
    list_display = ["office", "fiscal_year", "round_number", "status", "submitted", "reviewed"]
    fields = ["office", "fiscal_year", "round_number", "status", "comment", "submitted_by",
              "submitted", "reviewed_by", "reviewed"]  # fmt: skip
    readonly_fields = fields
    reviewed = be_date("reviewed_at", "จังหวัดตอบเมื่อ")
    list_filter = ["status", "round_number", "report__fiscal_year"]
    list_select_related = ["report__office"]
    search_fields = ["report__office__name", "report__office__code", "report__office__province"]


@admin.register(InspectionVersion)
class InspectionVersionAdmin(OfficeReportColumns, ReadOnlyAdmin):
    list_display = ["office", "fiscal_year", "round_number", "number", "outcome", "submitted"]
    fields = ["office", "fiscal_year", "round_number", "number", "submitted_by", "submitted",
              "outcome", "comment", "sent_text"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="ข้อความที่ส่ง")
    def sent_text(self, version) -> str:
        # As stored, indented: this is the record of what was sent, not a page to read.
        return format_html(
            '<pre style="white-space: pre-wrap">{}</pre>',
            json.dumps(version.content, ensure_ascii=False, indent=2),
        )

    list_filter = ["outcome", "round_number", "report__fiscal_year"]
    list_select_related = ["report__office"]
    search_fields = ["report__office__name", "report__office__code", "report__office__province"]
