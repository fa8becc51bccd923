"""Shared pieces of the Django admin pages.

Some rows are an audit trail in themselves (what an office sent, the province's answer) or
are computed from other data (summaries). Editing them in the admin would bypass the action
that audits, notifies and keeps versions, so ReadOnlyAdmin shows them and changes nothing.

Django's admin writes dates in the Christian era; `be_date` columns write them in the
Buddhist era, as every other page does."""

from django.contrib import admin
from django.db import models

from krupd.forms import ThaiDateField
from krupd.templatetags.thai import be


class ThaiAdmin(admin.ModelAdmin):
    """A ModelAdmin whose date fields read BE or CE and show BE, like every form in KruPD.
    Django's own date field takes 31/03/2570 for the year 2570 of the Christian era."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField) and not isinstance(
            db_field, models.DateTimeField
        ):
            return db_field.formfield(form_class=ThaiDateField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def be_date(field_name: str, description: str):
    """An admin column (list or detail) showing a date or time field in the Buddhist era."""

    @admin.display(description=description, ordering=field_name)
    def column(self, obj) -> str:
        return be(getattr(obj, field_name)) or "-"

    column.__name__ = f"{field_name}_be"
    return column


class ReadOnlyAdmin(ThaiAdmin):
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
