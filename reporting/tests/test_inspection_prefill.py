"""Inspection pre-fills that count by other means than their plain definition must give the
same figures: days as a range of instants, the year's enrolments as a subquery."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.testing import make_person
from registry.models import Person
from reporting.inspection import _days_after_through, technology_use

pytestmark = pytest.mark.django_db

# Instants around the two edges of fiscal year 2569 (ends 30 Sep 2025 and 30 Sep 2026,
# Bangkok days), where a time-zone slip would move a person in or out of the count.
_edges = [dt.datetime(2025, 9, 30, 17, tzinfo=dt.UTC), dt.datetime(2026, 9, 30, 17, tzinfo=dt.UTC)]
_instants = st.builds(
    lambda edge, seconds: edge + dt.timedelta(seconds=seconds),
    st.sampled_from(_edges),
    st.integers(-2 * 86400, 2 * 86400),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instants=st.lists(_instants, min_size=1, max_size=6))
def test_days_as_instants_count_as_the_date_lookup(office, instants):
    Person.objects.all().delete()
    for instant in instants:
        person = make_person(office, None)
        Person.objects.filter(pk=person.pk).update(updated_at=instant)
    after, through = dt.date(2025, 9, 30), dt.date(2026, 9, 30)
    by_date = Person.objects.filter(updated_at__date__gt=after, updated_at__date__lte=through)
    by_range = Person.objects.filter(_days_after_through("updated_at", after, through))
    assert by_range.count() == by_date.count()
    local_days = [timezone.localtime(i).date() for i in instants]
    assert by_range.count() == sum(after < d <= through for d in local_days)


def test_technology_use_counts_the_qr_attendance_of_the_years_courses(office, other_office):
    from training.models import Attendance, Course, Enrolment, Session, SessionDay

    day = dt.date(2026, 1, 15)
    expected = 0
    for owner, fy in ((office, 2569), (office, 2568), (other_office, 2569)):
        course = Course.objects.create(office=owner, title="หลักสูตร", mode="onsite", hours=6,
                                       fiscal_year=fy)  # fmt: skip
        session = Session.objects.create(course=course, name="รุ่นที่ 1", start_date=day,
                                         end_date=day, capacity=50)  # fmt: skip
        days = [SessionDay.objects.create(session=session, date=day + dt.timedelta(n), hours=6)
                for n in range(2)]  # fmt: skip
        for n, method in enumerate(("qr", "roll_call", "qr")):
            person = make_person(owner, None)
            enrolment = Enrolment.objects.create(course=course, session=session, person=person,
                                                 status="enrolled", source="self")  # fmt: skip
            for d in days[: n % 2 + 1]:
                Attendance.objects.create(day=d, enrolment=enrolment, method=method)
                expected += (owner, fy, method) == (office, 2569, "qr")
    plain = Attendance.objects.filter(
        enrolment__course__office=office, enrolment__course__fiscal_year=2569, method="qr"
    ).count()
    assert plain == expected == 2
    (line,) = [x for x in technology_use(office, 2569) if "QR Code" in x]
    assert line.startswith(f"ลงเวลาเข้ารับการพัฒนาด้วย QR Code {expected:,} ครั้ง")
