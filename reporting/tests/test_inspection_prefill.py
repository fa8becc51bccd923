"""Inspection pre-fills that count by other means than their plain definition must give the
same figures: days as a range of instants, the QR check-ins from the session-day side; and
starting a report computes each source once and writes its text to every question it fills."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.testing import make_person
from registry.models import Person
from reporting import inspection
from reporting.inspection import _days_after_through, qr_check_ins, technology_use

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


def _plain_qr_count(office, fy) -> int:
    """The definition: QR attendance rows of the enrolments in the office's courses of the year."""
    from training.models import Attendance

    return Attendance.objects.filter(
        enrolment__course__office=office, enrolment__course__fiscal_year=fy, method="qr"
    ).count()


# A course: (its office is the report's?, its fiscal year, its sessions); a session: its days
# and its enrolments; an enrolment: per day of its session, absent, checked in by QR or
# marked by roll call.
_marks = st.sampled_from([None, "qr", "roll_call"])
_sessions = st.lists(
    st.integers(1, 3).flatmap(
        lambda days: st.tuples(
            st.just(days), st.lists(st.lists(_marks, min_size=days, max_size=days), max_size=3)
        )
    ),
    min_size=1,
    max_size=2,
)
_courses = st.lists(
    st.tuples(st.booleans(), st.sampled_from([2568, 2569]), _sessions), min_size=1, max_size=4
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(courses=_courses)
def test_qr_check_ins_from_the_day_side_equal_the_count_through_enrolments(
    office, other_office, courses
):
    """The attendance is written as check-in and roll call write it: for a day of the
    enrolment's own session (training.actions.check_in, roll_call)."""
    from training.models import Attendance, Course, Enrolment, Session, SessionDay

    Course.objects.all().delete()
    Person.objects.all().delete()
    start = dt.date(2026, 1, 15)
    for ours, fy, sessions in courses:
        owner = office if ours else other_office
        course = Course.objects.create(office=owner, title="หลักสูตร", mode="onsite", hours=6,
                                       fiscal_year=fy)  # fmt: skip
        for n_days, enrolments in sessions:
            session = Session.objects.create(course=course, start_date=start,
                                             end_date=start + dt.timedelta(n_days - 1),
                                             capacity=50)  # fmt: skip
            days = [SessionDay.objects.create(session=session, date=start + dt.timedelta(n),
                                              hours=6) for n in range(n_days)]  # fmt: skip
            for marks in enrolments:
                enrolment = Enrolment.objects.create(course=course, session=session,
                                                     person=make_person(owner, None),
                                                     status="enrolled", source="self")  # fmt: skip
                Attendance.objects.bulk_create(
                    Attendance(day=day, enrolment=enrolment, method=method)
                    for day, method in zip(days, marks, strict=True)
                    if method
                )
    for fy in (2568, 2569, 2570):
        assert qr_check_ins(office, fy) == _plain_qr_count(office, fy)
        assert qr_check_ins(other_office, fy) == _plain_qr_count(other_office, fy)


def test_starting_the_report_computes_each_source_once_and_fills_every_question(
    users, office, monkeypatch
):
    from accounts.roles import Role
    from reporting import actions
    from reporting.models import ProgressAnswer

    calls = []
    for key, source in list(inspection.PREFILLS.items()):

        def counted(office_, fy, key=key, source=source):
            calls.append(key)
            return source(office_, fy)

        monkeypatch.setitem(inspection.PREFILLS, key, counted)
    report = actions.start_inspection(acting_user=users[Role.DEVELOPMENT_OFFICER], fiscal_year=2569)
    progress = ProgressAnswer.objects.filter(answer__report=report).select_related("question")
    keys = [p.question.prefill_key for p in progress]
    assert len(keys) > len(set(keys))  # some sources answer two questions
    assert sorted(calls) == sorted(set(keys) & set(inspection.PREFILLS))
    for p in progress:
        assert p.text == p.prefilled == inspection.prefill(p.question.prefill_key, office, 2569)


def test_the_years_certificates_are_counted_once_for_both_questions_that_state_them(
    office, other_office
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training.models import Certificate, Course, Enrolment, Session

    day = dt.date(2026, 1, 15)
    for owner, fy, issued in ((office, 2569, 3), (office, 2568, 1), (other_office, 2569, 2)):
        course = Course.objects.create(office=owner, title="หลักสูตร", mode="onsite", hours=6,
                                       fiscal_year=fy)  # fmt: skip
        session = Session.objects.create(course=course, name="รุ่นที่ 1", start_date=day,
                                         end_date=day, capacity=50)  # fmt: skip
        for n in range(issued):
            enrolment = Enrolment.objects.create(course=course, session=session,
                                                 person=make_person(owner, None),
                                                 status="enrolled", source="self")  # fmt: skip
            Certificate.objects.create(
                enrolment=enrolment, code=f"C{owner.pk}{fy}{n}", number=str(n), person_name="ครู",
                course_title=course.title, office_name=owner.name, hours=6, completed_on=day,
                issued_on=day,
            )  # fmt: skip
    keys = ["technology_use", "e_services"]
    one_by_one = {key: inspection.prefill(key, office, 2569) for key in keys}
    assert "ออกเกียรติบัตรอิเล็กทรอนิกส์ ที่ตรวจสอบได้ออนไลน์ 3 ฉบับ" in one_by_one["technology_use"]
    assert one_by_one["e_services"] == "ให้บริการตรวจสอบเกียรติบัตรอิเล็กทรอนิกส์ผ่าน QR Code (3 ฉบับ)"
    with CaptureQueriesContext(connection) as queries:
        together = inspection.prefills(keys, office, 2569)
    assert together == one_by_one
    counts = [q["sql"] for q in queries if 'FROM "training_certificate"' in q["sql"]]
    assert len(counts) == 1
    # Once per call, not once for good: the next start counts what was issued since.
    assert inspection.prefills(keys, other_office, 2569)["e_services"].endswith("(2 ฉบับ)")
    assert inspection.prefills(keys, office, 2568)["e_services"].endswith("(1 ฉบับ)")


def test_a_certificate_issued_again_is_one_certificate_of_the_year(office):
    """Two teachers' certificates; one was issued again with a corrected name, the other
    revoked and then issued again. Each copy that a newer one replaces is the same certificate:
    the lines said 4 certificates of the 2 the office gave."""
    from training.models import Certificate, Course, Enrolment, Session

    day = dt.date(2026, 1, 15)
    course = Course.objects.create(office=office, title="หลักสูตร", mode="onsite", hours=6,
                                   fiscal_year=2569)  # fmt: skip
    session = Session.objects.create(course=course, name="รุ่นที่ 1", start_date=day,
                                     end_date=day, capacity=50)  # fmt: skip
    for n, first_status in enumerate(("replaced", "revoked")):
        enrolment = Enrolment.objects.create(course=course, session=session,
                                             person=make_person(office, None),
                                             status="enrolled", source="self")  # fmt: skip
        first = Certificate.objects.create(
            enrolment=enrolment, code=f"OLD{n}", number=f"{n}/1", person_name="ครู",
            course_title=course.title, office_name=office.name, hours=6, completed_on=day,
            issued_on=day, status=first_status,
        )  # fmt: skip
        Certificate.objects.create(
            enrolment=enrolment, code=f"NEW{n}", number=f"{n}/2", person_name="ครู",
            course_title=course.title, office_name=office.name, hours=6, completed_on=day,
            issued_on=day, replaces=first,
        )  # fmt: skip
    assert inspection.prefill("e_services", office, 2569).endswith("(2 ฉบับ)")
    assert "ที่ตรวจสอบได้ออนไลน์ 2 ฉบับ" in inspection.prefill("technology_use", office, 2569)


def test_pa_training_counts_courses_naming_pa_not_words_holding_its_letters(office):
    """Substring matching counted "Participatory Action Research" and "Capacity Building"
    as PA training (the class of "AI" found inside "e-Training")."""
    from training.models import Course

    titles = [
        "การเขียนข้อตกลงในการพัฒนางาน",
        "อบรมPA ครูผู้ช่วย",
        "เทคนิคการจัดทำ PA (ว 9/2564)",
        "การประเมินเพื่อเลื่อนวิทยฐานะ",
        "Participatory Action Research ในชั้นเรียน",
        "Capacity Building ผู้บริหาร",
        "Mapping หลักสูตร",
        "Spa & Wellness",
    ]
    for title in titles:
        Course.objects.create(office=office, title=title, mode="workshop", hours=6,
                              fiscal_year=2569)  # fmt: skip
    lines = inspection.pa_training(office, 2569)
    named = [t for t in titles if any(f". {t} (อบรมเชิงปฏิบัติการ)" in line for line in lines)]
    assert len(lines) == 4 and named == titles[:4]


def test_digital_follow_up_counts_people_not_reports(office, school):
    """Two digital courses followed up by the same teacher are one teacher; "รับรองแล้ว" are
    the teachers with a confirmed report."""
    from django.utils import timezone

    from reporting.tests.helpers import course, passed
    from training.models import FollowUp

    a, b = make_person(office, school), make_person(office, school)
    first = course(office, fy=2569, title="ห้องเรียนดิจิทัล", digital=True)
    second = course(office, fy=2569, title="สื่อออนไลน์", digital=True)
    for c, person, confirmed in ((first, a, True), (second, a, True), (first, b, False)):
        FollowUp.objects.create(enrolment=passed(c, person), use_level=4, report="ใช้สอน",
                                confirmed_at=timezone.now() if confirmed else None)  # fmt: skip
    (line,) = inspection.digital_follow_up(office, 2569)
    assert "ไปใช้ในการจัดการเรียนการสอน 2 คน" in line
    assert "รับรองแล้ว 1 คน" in line


def test_partnership_growth_says_up_or_down_against_what_it_compares(office):
    """Fewer activities than the year before is a fall, not "เพิ่มขึ้นร้อยละ -50.00", and the
    line names the year it is measured against as the partners page does."""
    from community.models import JointActivity, Partner

    partner = Partner.objects.create(office=office, name="บริษัทตัวอย่าง", kind="company",
                                     since=dt.date(2020, 1, 1))  # fmt: skip
    for day in (dt.date(2024, 11, 1), dt.date(2025, 2, 1), dt.date(2025, 12, 1)):
        JointActivity.objects.create(office=office, partner=partner, date=day, title="ค่าย")
    (line,) = inspection.partnerships(office, 2569)
    assert "กิจกรรมลดลงร้อยละ 50.00 เทียบกับทั้งปีงบประมาณ 2568" in line
    assert "-" not in line.split("(")[-1]


def test_the_register_line_names_its_year_and_its_day(office, school):
    """A report of fiscal year 2568 said "ปรับปรุงข้อมูลในปีงบประมาณนี้", which reads as the
    current year; the line names the year and the day its counts are of."""
    from krupd.lib.thai_dates import format_thai_date

    make_person(office, school)
    (line, *_) = technology_use(office, 2568)
    today = format_thai_date(timezone.localdate(), style="medium")
    assert "ปรับปรุงข้อมูลล่าสุดในปีงบประมาณ 2568 จำนวน " in line
    assert line.endswith(f"(ข้อมูล ณ {today})") and "ปีงบประมาณนี้" not in line


def test_the_debt_threshold_is_written_as_the_office_set_it(office, monkeypatch):
    """The rule "net pay under 30 %" printed "ร้อยละ 30.00" (a Decimal's own places)."""
    from decimal import Decimal

    summary = {"profiles": 30, "cases": 4, "below": 8, "threshold": Decimal("30.00")}
    monkeypatch.setattr("career.queries.debt_summary", lambda office: summary)
    lines = inspection.debt_clinic(office, 2569)
    assert "มีเงินเดือนคงเหลือสุทธิต่ำกว่าร้อยละ 30 จำนวน 8 ราย" in lines[0]
