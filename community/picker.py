"""The course a supervision visit follows up, chosen with the shared picker (search by title,
a fiscal-year menu, the first matches as radio buttons) instead of a drop-down: a
100,000-person office holds about 7,750 courses a year, and a drop-down of two years' took
0.9 MB of the page and could not be searched on a phone.

Courses are reached through the visit's relation: community imports nothing of training (see
models.Visit)."""

from django.db.models import QuerySet

from krupd.lib.numerals import format_hours
from krupd.lib.thai_dates import year_label
from registry.picker import Menu, PersonPickerField, PickSource, Row
from registry.queries import PickFilter, as_id

from .models import Visit


def _courses() -> QuerySet:
    return Visit.course.field.related_model.objects.all()


class CourseSource(PickSource):
    search_hint = "ค้นหาชื่อหลักสูตร"
    unit = "หลักสูตร"
    none_found = "ไม่พบหลักสูตรตามตัวกรองนี้"

    def match(self, candidates, f: PickFilter):
        courses = candidates
        if f.q:
            courses = courses.filter(title__icontains=f.q)
        if year := as_id(f.year):
            courses = courses.filter(fiscal_year=year)
        return self.order(courses)

    def order(self, rows):
        return rows.order_by("-fiscal_year", "title", "pk")

    def first(self, matches, limit):
        # The four fields a row reads, not each course's objectives and targets.
        return list(matches.only("id", "title", "fiscal_year", "mode", "hours")[:limit])

    def row(self, course) -> Row:
        year, hours = year_label(course.fiscal_year), format_hours(course.hours)
        detail = f"ปีงบประมาณ {year} · {course.get_mode_display()} · {hours} ชั่วโมง"
        return Row(course.pk, course.title, detail)

    def menus(self, candidates):
        years = candidates.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
        choices = [(fy, f"ปีงบประมาณ {year_label(fy)}") for fy in years.distinct()]
        return [Menu("year", "ปีงบประมาณ", "ทุกปีงบประมาณ", choices)]


COURSES = CourseSource()


class CoursePickerField(PersonPickerField):
    """One course of the office, or none."""

    source = COURSES
    default_error_messages = {
        "required": "ยังไม่ได้เลือกหลักสูตร",
        "invalid_choice": "เลือกหลักสูตรนี้ไม่ได้ในหน้านี้ โปรดค้นหาและเลือกใหม่",
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=_courses().none(), **kwargs)

    def label_from_instance(self, obj):
        return obj.title
