from django.contrib import admin

from .models import Province, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_editable = ["region"]
    search_fields = ["name", "code"]
