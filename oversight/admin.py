"""The system administrator's pages for the levels above the office.

Regions and provinces are reference data the administrator keeps (which province belongs to
which regional education office). Inspection rounds are opened by the provincial inspector
on the round page; here the administrator can read every round and correct its front matter
through the same audited action. Summaries are computed, so they are read-only."""

from django.contrib import admin
from django.db.models import Count

from krupd.admin_base import ReadOnlyAdmin, ReadOnlyInline, ThaiAdmin, be_date

from . import inspection_actions
from .models import (
    InspectionRound,
    OfficeSummary,
    Province,
    Region,
    RoundPointSummary,
    SummaryRefresh,
)


@admin.register(Region)
class RegionAdmin(ThaiAdmin):
    list_display = ["number", "name", "province_count"]
    search_fields = ["name", "provinces__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(province_total=Count("provinces"))

    @admin.display(description="จำนวนจังหวัด", ordering="province_total")
    def province_count(self, region) -> int:
        return region.province_total


@admin.register(Province)
class ProvinceAdmin(ThaiAdmin):
    list_display = ["code", "name", "region"]
    # The region filter lists "(ไม่มี)" too: the provinces still to be placed in a region.
    list_filter = ["region"]
    list_editable = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


class RoundPointSummaryInline(ReadOnlyInline):
    model = RoundPointSummary
    fields = readonly_fields = ["point", "summary", "success_factors", "area_suggestions",
                                "policy_suggestions", "updated_by", "updated"]  # fmt: skip
    updated = be_date("updated_at", "บันทึกเมื่อ")
    verbose_name = "สรุประดับจังหวัดรายจุดเน้น"
    verbose_name_plural = "สรุประดับจังหวัดรายจุดเน้น (จังหวัดเขียนที่หน้าการตรวจราชการ)"


@admin.register(InspectionRound)
class InspectionRoundAdmin(ThaiAdmin):
    list_display = ["title", "province", "fiscal_year", "round_number", "due", "opened_by"]
    list_filter = ["fiscal_year", "round_number", "province__region", "province"]
    list_select_related = ["province", "opened_by"]
    search_fields = ["title", "province__name"]
    fields = ["province", "fiscal_year", "round_number", "title", "due_date", "foreword",
              "opened_by", "opened", "updated"]  # fmt: skip
    # Province, year and round tie the round to the offices' submissions: changing them
    # would detach what was sent, so they stay as opened.
    readonly_fields = ["province", "fiscal_year", "round_number", "opened_by", "opened", "updated"]
    due = be_date("due_date", "กำหนดส่ง")
    opened = be_date("created_at", "เปิดเมื่อ")
    updated = be_date("updated_at", "แก้ไขล่าสุด")
    inlines = [RoundPointSummaryInline]

    def has_add_permission(self, request) -> bool:
        # Opened by the provincial inspector, who is checked to hold the province.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # The province's written summaries and the audit entries point at the round.
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through the action, from the row as stored, so the audit entry holds before/after.
        stored = InspectionRound.objects.get(pk=obj.pk)
        data = form.cleaned_data
        inspection_actions.save_round_front(
            acting_user=request.user, round_=stored, title=data["title"],
            due_date=data["due_date"], foreword=data["foreword"],
        )  # fmt: skip


@admin.register(OfficeSummary)
class OfficeSummaryAdmin(ReadOnlyAdmin):
    list_display = ["office", "fiscal_year", "people", "teachers", "short_positions", "computed"]
    exclude = ["computed_at", "data_changed_at"]
    readonly_fields = ["computed", "data_changed"]
    computed = be_date("computed_at", "คำนวณเมื่อ")
    data_changed = be_date("data_changed_at", "ข้อมูลบุคลากรปรับปรุงล่าสุด")
    list_filter = ["fiscal_year"]
    list_select_related = ["office"]
    search_fields = ["office__name", "office__code", "office__province"]


@admin.register(SummaryRefresh)
class SummaryRefreshAdmin(ReadOnlyAdmin):
    list_display = ["requested", "requested_by", "fiscal_year", "status", "done", "total"]
    exclude = ["finished_at"]
    readonly_fields = ["requested", "finished"]
    requested = be_date("created_at", "สั่งเมื่อ")
    finished = be_date("finished_at", "เสร็จเมื่อ")
    list_filter = ["status", "fiscal_year"]
    list_select_related = ["requested_by"]
    search_fields = ["requested_by__username"]
