from django.contrib import admin

from .models import Certificate, Course, Enrolment, Session, SurveyItem, TrainingRules


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "mode", "fiscal_year", "hours", "status", "office"]
    list_filter = ["mode", "status", "fiscal_year"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "name", "start_date", "end_date", "capacity"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "status", "passed", "hours_credited"]
    list_filter = ["status", "passed"]
    raw_id_fields = ["person", "course", "session"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "person_name", "course_title", "status", "issued_on"]
    search_fields = ["code", "person_name"]
    # Certificates change only through actions (revoke, re-issue), which keep history.
    readonly_fields = [f.name for f in Certificate._meta.fields]


admin.site.register(SurveyItem)
admin.site.register(TrainingRules)
