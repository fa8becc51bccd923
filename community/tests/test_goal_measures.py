"""Network goals measured from the schools' data: hand-computed figures, no data never 0 or
achieved, the goal form, and the network page showing the computed figure."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from community.goal_measures import measure_goals
from community.models import NetworkGoal
from krupd.testing import make_person, make_school
from registry.models import Enrolment, Network, PersonnelType
from reporting.models import OnetNationalMean, OnetResult

OFFICER, DIRECTOR, TEACHER = Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.TEACHER
YEAR = 2567
MATH = "คณิตศาสตร์"


@pytest.fixture
def four_schools(office, network, school):
    """`school` and three more in the network; means 45, 38, 31 and 29 in maths, ป.6."""
    schools = [school] + [
        make_school(office, code=f"10760100{n}", name=f"โรงเรียนเครือข่าย {n}", network=network)
        for n in (11, 12, 13)
    ]
    for s, mean, grade in zip(schools, ("45", "38", "31", "29"), ("p6", "ป.6", "ป 6", "p6"),
                              strict=True):  # fmt: skip
        # Sheets write the grade in several ways; all of them are ป.6.
        OnetResult.objects.create(school=s, academic_year=YEAR, grade=grade, subject=MATH,
                                  mean=Decimal(mean))  # fmt: skip
    return schools


def _goal(network, measure="onet_above_national", target="80", year=YEAR, subject=MATH):
    return NetworkGoal.objects.create(
        network=network, academic_year=year, measure=measure, subject=subject, grade="p6",
        target_percent=Decimal(target), text="—", target="—",
    )  # fmt: skip


def _national(office, mean="30.00", year=YEAR):
    OnetNationalMean.objects.create(office=office, academic_year=year, grade="p6", subject=MATH,
                                    mean=Decimal(mean))  # fmt: skip


def test_three_of_four_schools_above_the_national_mean_is_75_percent_not_80(
    office, network, four_schools
):
    _national(office, "30.00")
    below, reached = _goal(network, target="80"), _goal(network, target="75")
    results = measure_goals([below, reached])
    result = results[below.pk]
    assert (result.met, result.counted, result.value) == (3, 4, Decimal("75.00"))
    assert result.achieved is False
    assert result.summary == "ร้อยละ 75.00 (3 จาก 4 โรงเรียน)"
    assert results[reached.pk].achieved is True  # at the target is reached


def test_a_mean_equal_to_the_national_mean_is_not_above_it(office, network, four_schools):
    _national(office, "31.00")  # the third school's mean exactly
    result = measure_goals([_goal(network)])
    assert result[next(iter(result))].met == 2


def test_without_the_national_mean_there_is_no_figure_and_no_verdict(
    office, other_office, network, four_schools
):
    _national(office, "30.00", year=YEAR - 1)  # another year
    _national(other_office, "30.00")  # another office typed it: not this office's table
    goal = _goal(network)
    result = measure_goals([goal])[goal.pk]
    assert result.value is None and result.achieved is None
    assert result.summary.startswith("ยังไม่มีข้อมูล (ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ")
    assert result.verdict == "ยังไม่มีข้อมูล"


def test_schools_without_results_are_left_out_and_counted_as_missing(office, network, school):
    make_school(office, code="1076010099", name="โรงเรียนไม่มีผลสอบ", network=network)
    OnetResult.objects.create(school=school, academic_year=YEAR, grade="p6", subject=MATH,
                              mean=Decimal("20"))  # fmt: skip
    _national(office)
    goal = _goal(network)
    result = measure_goals([goal])[goal.pk]
    assert (result.met, result.counted, result.missing) == (0, 1, ["โรงเรียนไม่มีผลสอบ"])
    assert result.value == Decimal("0.00") and result.achieved is False
    empty_goal = _goal(Network.objects.create(office=office, name="เครือข่ายว่าง"))
    assert measure_goals([empty_goal])[empty_goal.pk].summary == "ยังไม่มีข้อมูล (เครือข่ายยังไม่มีโรงเรียน)"


def test_the_share_of_schools_whose_mean_rose_compares_with_the_year_before(network, four_schools):
    for s, mean in zip(four_schools[:3], ("40", "40", "35"), strict=True):
        OnetResult.objects.create(school=s, academic_year=YEAR - 1, grade="p6", subject=MATH,
                                  mean=Decimal(mean))  # fmt: skip
    goal = _goal(network, measure="onet_rose", target="50")
    result = measure_goals([goal])[goal.pk]
    # 45 > 40 rose, 38 < 40 fell, 31 < 35 fell; the fourth has no year before.
    assert (result.met, result.counted, result.value) == (1, 3, Decimal("33.33"))
    assert result.achieved is False and len(result.missing) == 1


def test_goals_are_measured_in_a_fixed_number_of_queries(
    office, network, four_schools, django_assert_num_queries
):
    _national(office)
    goals = list(NetworkGoal.objects.filter(pk__in=[_goal(network).pk for _ in range(5)])
                 .select_related("network"))  # fmt: skip
    with django_assert_num_queries(3):
        measure_goals(goals)


def test_an_officer_adds_a_measured_goal_and_the_page_shows_its_figure(
    client_for, office, network, four_schools
):
    _national(office, "30.00")
    client = client_for(OFFICER)
    url = f"/community/networks/{network.pk}/add/goal/"
    refused = client.post(url, {"academic_year": YEAR, "measure": "onet_above_national"})
    assert refused.status_code == 200 and not NetworkGoal.objects.exists()
    assert "เป้าหมายที่คำนวณจากข้อมูลต้องระบุช่องนี้" in refused.content.decode()
    response = client.post(url, {
        "academic_year": YEAR, "measure": "onet_above_national", "grade": "p6",
        "subject": MATH, "target_percent": "๘๐", "achieved": "true", "actual": "100%",
    })  # fmt: skip
    assert response.status_code == 302
    goal = NetworkGoal.objects.get()
    assert goal.text == (
        "ร้อยละของโรงเรียนในเครือข่ายที่มีคะแนนเฉลี่ย O-NET วิชาคณิตศาสตร์ ชั้น ป.6 สูงกว่าค่าเฉลี่ยระดับประเทศ"
    )
    # Never ticked or typed by hand: computed when shown.
    assert (goal.target, goal.actual, goal.achieved) == ("ร้อยละ 80.00", "", None)
    page = client.get(f"/community/networks/{network.pk}/").content.decode()
    assert "ร้อยละ 75.00 (3 จาก 4 โรงเรียน)" in page and "ไม่บรรลุ" in page
    assert "ค่าเฉลี่ยระดับประเทศ 30.00" in page


def test_a_written_goal_still_needs_its_text_and_target(client_for, network):
    client = client_for(OFFICER)
    response = client.post(f"/community/networks/{network.pk}/add/goal/", {"academic_year": YEAR})
    assert response.status_code == 200
    assert "เป้าหมายที่เขียนเองต้องระบุช่องนี้" in response.content.decode()


def test_the_network_page_says_no_data_when_the_national_mean_is_missing(
    client_for, network, four_schools
):
    _goal(network)
    page = client_for(DIRECTOR).get(f"/community/networks/{network.pk}/").content.decode()
    assert "ยังไม่มีข้อมูล (ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ ชั้น ป.6" in page
    assert "ร้อยละ 0" not in page
    # A director may read the page but not edit national means: no link offered.
    assert "/reports/onet/national/" not in page


def _pupils(school, n_p1: int, n_p2: int, year=YEAR):
    census = dt.date(year - 543, 6, 10)
    for grade, n in (("p1", n_p1), ("p2", n_p2)):
        Enrolment.objects.create(school=school, academic_year=year, census_date=census,
                                 grade=grade, students=n, classrooms=1)  # fmt: skip


def _teachers(office, school, n: int):
    for i in range(n):
        make_person(office, school, first_name=f"ครู{i}", last_name=school.obec_code)


@pytest.fixture
def ratio_schools(office, network, school):
    """1 : 20 exactly (200 pupils, 10 teachers and a director who is not counted), 1 : 30
    (150 pupils, 5 teachers), and a school whose pupils were never entered."""
    fair = school
    crowded = make_school(office, code="1076010021", name="โรงเรียนครูน้อย", network=network)
    make_school(office, code="1076010022", name="โรงเรียนยังไม่กรอกนักเรียน", network=network)
    _pupils(fair, 120, 80)
    _pupils(crowded, 90, 60)
    _teachers(office, fair, 10)
    make_person(office, fair, first_name="ผอ", personnel_type=PersonnelType.DIRECTOR,
                position="ผู้อำนวยการสถานศึกษา")  # fmt: skip
    _teachers(office, crowded, 5)
    return fair, crowded


def test_the_teacher_ratio_counts_schools_at_most_one_teacher_to_20_pupils(
    office, network, ratio_schools
):
    goal = NetworkGoal.objects.create(
        network=network, academic_year=YEAR, measure="teacher_ratio", students_per_teacher=20,
        target_percent=Decimal("100"), text="—", target="—",
    )  # fmt: skip
    result = measure_goals([goal])[goal.pk]
    # 200/10 = 20 meets "not more than 20"; 150/5 = 30 does not; no pupils entered: left out.
    assert (result.met, result.counted, result.value) == (1, 2, Decimal("50.00"))
    assert result.missing == ["โรงเรียนยังไม่กรอกนักเรียน"]
    assert result.achieved is False
    details = {name: (detail, passed) for name, detail, passed in result.rows}
    assert details["โรงเรียนครูน้อย"] == ("นักเรียน 150 คน ครู 5 คน (1 : 30)", False)


def test_an_officer_adds_a_teacher_ratio_goal_with_thai_digits(client_for, network, ratio_schools):
    client = client_for(OFFICER)
    url = f"/community/networks/{network.pk}/add/goal/"
    refused = client.post(url, {"academic_year": YEAR, "measure": "teacher_ratio",
                                "target_percent": "100"})  # fmt: skip
    assert refused.status_code == 200 and not NetworkGoal.objects.exists()
    response = client.post(url, {
        "academic_year": YEAR, "measure": "teacher_ratio", "students_per_teacher": "๒๐",
        "target_percent": "๑๐๐", "subject": MATH, "grade": "p6",
    })  # fmt: skip
    assert response.status_code == 302
    goal = NetworkGoal.objects.get()
    assert goal.text == "ร้อยละของโรงเรียนในเครือข่ายที่มีอัตราส่วนครูต่อนักเรียนไม่เกิน 1 : 20"
    assert (goal.students_per_teacher, goal.subject, goal.grade) == (20, "", "")
    page = client.get(f"/community/networks/{network.pk}/").content.decode()
    assert "ร้อยละ 50.00 (1 จาก 2 โรงเรียนที่มีข้อมูล ไม่มีข้อมูล 1 โรงเรียน)" in page
