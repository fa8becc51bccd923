from django.contrib import admin

from krupd.admin_base import ThaiAdmin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ThaiAdmin):
    list_display = ["created_at", "office", "kind", "original_name", "status", "count_error"]
    list_filter = ["kind", "status", "office"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    search_fields = ["original_name"]

    def has_add_permission(self, request) -> bool:
        return False
