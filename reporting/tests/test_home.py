"""Role home pages: each role sees its own work, and every count equals the list it links to."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.thai_dates import academic_year
from krupd.testing import make_person

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _count(html: str, label: str) -> int:
    match = re.search(re.escape(label) + r"[^<]*</a>\s*<span class=\"badge[^\"]*\">([\d,]+)<", html)
    assert match, f"{label!r} not on the page"
    return int(match.group(1).replace(",", ""))


@pytest.fixture
def rounds(office, school, other_school, teacher_person, other_teacher):
    """Two open rounds for teachers; the teacher submitted the first one only."""
    from planning.models import Framework, Response, Round

    fw = Framework.objects.create(office=office, name="กรอบ", version="1")
    today = timezone.localdate()
    made = [
        Round.objects.create(
            office=office,
            year=2569,
            name=f"รอบที่ {i}",
            framework=fw,
            opens=today - dt.timedelta(days=5),
            closes=today + dt.timedelta(days=5),
            target_types=["teacher"],
        )  # fmt: skip
        for i in (1, 2)
    ]
    Response.objects.create(
        round=made[0], person=teacher_person, rater_kind="self", personnel_type="teacher",
        submitted_at=timezone.now(),
    )  # fmt: skip
    make_person(office, school, first_name="ครูใหม่", last_name="ยังไม่ส่ง")
    return made


def test_open_rounds_count_people_per_round_as_the_round_page_does(client_for, rounds):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    html = _home(client)
    # Three teachers; one submitted round 1: 2 missing there, 3 in round 2 (never 5 summed).
    assert _count(html, "บุคลากรที่ยังไม่ส่งแบบประเมินตนเอง · รอบที่ 1") == 2
    assert _count(html, "บุคลากรที่ยังไม่ส่งแบบประเมินตนเอง · รอบที่ 2") == 3
    page = client.get(reverse("planning:round", args=[rounds[0].pk])).context
    assert page["totals"]["targets"] - page["totals"]["submitted"] == 2


def test_a_director_sees_her_school_and_what_she_must_rate(client_for, rounds):
    client = client_for(Role.SCHOOL_DIRECTOR)
    html = _home(client)
    missing = client.get(reverse("planning:round", args=[rounds[0].pk])).context["missing"]
    assert _count(html, "บุคลากรที่ยังไม่ส่งแบบประเมินตนเอง · รอบที่ 1") == len(missing) == 1
    assert _count(html, "บุคลากรที่ท่านยังไม่ได้ประเมิน · รอบที่ 1") == 2


def test_the_directors_home_lists_pending_id_plans_and_no_officer_buttons(
    client_for, teacher_person
):
    from planning.models import IdPlan

    IdPlan.objects.create(person=teacher_person, year=2569, status="submitted")
    client = client_for(Role.SCHOOL_DIRECTOR)
    html = _home(client)
    assert _count(html, "ID Plan ที่รอท่านพิจารณา") == 1
    listed = client.get(reverse("planning:idp_school")).context["plans"]
    assert [p.status for p in listed].count("submitted") == 1
    assert "เพิ่มบุคลากร" not in html and "นำเข้าข้อมูลจาก Excel/CSV" not in html
    assert "ID Plan ของครูในโรงเรียน" in html


def test_a_director_sees_pa_agreements_waiting(client_for, office, teacher_person):
    from career.models import PAAgreement, PAStatus
    from career.queries import active_edition

    PAAgreement.objects.create(
        person=teacher_person, edition=active_edition(), fiscal_year=2569,
        school=teacher_person.school, status=PAStatus.SUBMITTED,
    )  # fmt: skip
    html = _home(client_for(Role.SCHOOL_DIRECTOR))
    assert _count(html, "ข้อตกลงในการพัฒนางาน (PA) ที่รอท่านอนุมัติ · ปีงบประมาณ 2569") == 1
    assert "(PA) ที่รอท่านอนุมัติ" not in _home(client_for(Role.DEVELOPMENT_OFFICER))


def test_a_teacher_sees_her_courses_tests_surveys_id_plan_and_certificates(
    client_for, users, office, teacher_person
):
    from training import actions
    from training.models import Course, Question, Session

    today = timezone.localdate()
    officer = users[Role.DEVELOPMENT_OFFICER]
    soon = Course.objects.create(
        office=office, title="หลักสูตรที่กำลังจะเริ่ม", mode="workshop", hours=6, fiscal_year=2570
    )
    running = Course.objects.create(
        office=office, title="หลักสูตรที่กำลังจัด", mode="workshop", hours=6, fiscal_year=2570
    )
    Question.objects.create(course=running, text="ข้อ 1", choices=["ก", "ข"], correct=0)
    for course, start in ((soon, today + dt.timedelta(days=3)), (running, today)):
        s = actions.save_session(
            acting_user=officer,
            session=Session(course=course, start_date=start, end_date=start, capacity=5,
                            hours_per_day=Decimal("6")),
        )  # fmt: skip
        actions.enrol(acting_user=officer, session=s, person=teacher_person)
    html = _home(client_for(Role.TEACHER))
    assert "หลักสูตรที่กำลังจะเริ่ม · รุ่นที่ 1" in html
    assert "ทำแบบทดสอบหลังเรียน: หลักสูตรที่กำลังจัด" in html
    assert "ตอบแบบประเมินความพึงพอใจ: หลักสูตรที่กำลังจัด" in html
    assert f"ID Plan ปีการศึกษา {academic_year(today)}" in html and "ยังไม่ได้จัดทำ" in html
    assert 'href="/training/me/#certificates"' in html
    assert "เพิ่มบุคลากร" not in html and "บันทึกการพัฒนาของฉัน" in html


def test_the_office_sees_sessions_starting_and_imports_waiting(client_for, users, office):
    from imports.models import ImportBatch
    from training import actions
    from training.models import Course, Session

    today = timezone.localdate()
    course = Course.objects.create(
        office=office, title="อบรมสัปดาห์หน้า", mode="workshop", hours=6, fiscal_year=2570
    )
    actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, start_date=today + dt.timedelta(days=2),
                        end_date=today + dt.timedelta(days=2), capacity=30),
    )  # fmt: skip
    ImportBatch.objects.create(
        office=office, kind="personnel", status="validated", uploaded_by=users[Role.OFFICE_ADMIN]
    )
    html = _home(client_for(Role.OFFICE_ADMIN))
    assert "รุ่นการอบรมที่เริ่มภายใน 7 วัน" in html and "ลงทะเบียน 0/30 คน" in html
    assert _count(html, "ไฟล์นำเข้าที่ตรวจแล้ว รอยืนยันการนำเข้า") == 1


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR])
def test_supervisors_and_inspectors_get_their_own_start_buttons(client_for, role):
    html = _home(client_for(role))
    assert "เพิ่มบุคลากร" not in html
    assert ("การนิเทศ" in html) == (role == Role.SUPERVISOR)
    assert ("รายงานการตรวจราชการ" in html) == (role == Role.INSPECTOR)


def test_the_course_list_separates_current_from_finished(client_for, users, office):
    from training import actions
    from training.models import Course, Session

    today = timezone.localdate()
    old = Course.objects.create(office=office, title="จบไปแล้ว", mode="seminar", hours=3,
                                fiscal_year=2570)  # fmt: skip
    actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=old, start_date=today - dt.timedelta(days=9),
                        end_date=today - dt.timedelta(days=8), capacity=5),
    )  # fmt: skip
    Course.objects.create(office=office, title="เปิดรับอยู่", mode="seminar", hours=3,
                          fiscal_year=2570)  # fmt: skip
    client = client_for(Role.TEACHER)
    current = client.get(reverse("training:courses"), {"fy": 2570}).content.decode()
    done = client.get(reverse("training:courses"), {"fy": 2570, "show": "finished"})
    assert "เปิดรับอยู่" in current and "จบไปแล้ว" not in current
    assert "จบไปแล้ว" in done.content.decode() and "เปิดรับอยู่" not in done.content.decode()
    assert "จบแล้ว (1)" in current


def test_the_directors_id_plan_page_lists_who_has_not_started_this_years(
    client_for, office, school, teacher_person, other_school
):
    """The page listed only plans written (6 of 25 staff at the demo school): whom to remind
    was left to guess. It names the school's teachers and assistant teachers with no plan of
    this academic year, not even a draft: those the office's ID plan summary counts. Last
    year's plan, another school's teacher, a retired teacher and an officer clerk are not."""
    from planning.models import IdPlan
    from registry.models import PersonnelType

    year = academic_year(timezone.localdate())
    IdPlan.objects.create(person=teacher_person, year=year, status="draft")
    late = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    IdPlan.objects.create(person=late, year=year - 1, status="approved")
    make_person(office, school, first_name="ฮัมดี", last_name="สาและ",
                personnel_type=PersonnelType.ASSISTANT_TEACHER, position="ครูผู้ช่วย")  # fmt: skip
    make_person(office, school, first_name="เกษียณ", status="retired")
    make_person(
        office, school, first_name="ธุรการ", personnel_type=PersonnelType.EDUCATIONAL_PERSONNEL
    )
    make_person(office, other_school, first_name="ต่างโรงเรียน")

    response = client_for(Role.SCHOOL_DIRECTOR).get(reverse("planning:idp_school"))
    names = [p.first_name for p in response.context["without"]]
    assert names == ["กุ้งนภา", "ฮัมดี"]
    html = response.content.decode()
    assert f"ยังไม่ได้จัดทำ ID Plan ปีการศึกษา {year} (2 คน)" in html
    assert "นางกุ้งนภา ปั้นน้ำใจ" in html
