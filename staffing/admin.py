from django.contrib import admin

from krupd.admin_base import ThaiAdmin

from .models import AreaWeight, RuleRow, RuleSet


class RuleRowInline(admin.TabularInline):
    model = RuleRow
    extra = 0


class AreaWeightInline(admin.TabularInline):
    model = AreaWeight
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(ThaiAdmin):
    list_display = ["name", "version", "office", "effective_date", "to_verify"]
    list_filter = ["to_verify", "office"]
    inlines = [RuleRowInline, AreaWeightInline]
