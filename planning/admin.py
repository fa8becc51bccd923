from django.contrib import admin

from krupd.admin_base import ThaiAdmin

from .models import (
    Competency,
    Domain,
    Framework,
    IdPlan,
    Plan,
    Project,
    Round,
    StrategicFrame,
    Topic,
)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ThaiAdmin):
    list_display = ["code", "version", "name", "office"]
    inlines = [DomainInline]


@admin.register(Competency)
class CompetencyAdmin(ThaiAdmin):
    list_display = ["code", "name", "domain"]
    list_filter = ["domain__framework"]


@admin.register(Round)
class RoundAdmin(ThaiAdmin):
    list_display = ["name", "year", "framework", "opens", "closes"]


@admin.register(Plan)
class PlanAdmin(ThaiAdmin):
    list_display = ["title", "kind", "fiscal_year", "status"]
    list_filter = ["kind", "status"]


admin.site.register([Topic, StrategicFrame, Project, IdPlan], ThaiAdmin)
