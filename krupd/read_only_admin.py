"""Django admin for rows that only the product's actions may write.

Some rows are an audit trail in themselves (what an office sent, the province's answer) or
are computed from other data (summaries). Editing them in the admin would bypass the action
that audits, notifies and keeps versions, so the admin shows them and changes nothing."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
