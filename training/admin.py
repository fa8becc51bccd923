from django.contrib import admin

from krupd.admin_base import ThaiAdmin

from .models import Certificate, Course, Enrolment, Session, SurveyItem, TrainingRules


@admin.register(Course)
class CourseAdmin(ThaiAdmin):
    list_display = ["title", "mode", "fiscal_year", "hours", "status", "office"]
    list_filter = ["mode", "status", "fiscal_year"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(ThaiAdmin):
    list_display = ["course", "name", "start_date", "end_date", "capacity"]


@admin.register(Enrolment)
class EnrolmentAdmin(ThaiAdmin):
    list_display = ["person", "course", "status", "passed", "hours_credited"]
    list_filter = ["status", "passed"]
    raw_id_fields = ["person", "course", "session"]


@admin.register(Certificate)
class CertificateAdmin(ThaiAdmin):
    list_display = ["code", "number", "person_name", "course_title", "status", "issued_on"]
    search_fields = ["code", "person_name"]
    # Certificates change only through actions (revoke, re-issue), which keep history.
    readonly_fields = [f.name for f in Certificate._meta.fields]


admin.site.register(SurveyItem, ThaiAdmin)
admin.site.register(TrainingRules, ThaiAdmin)
