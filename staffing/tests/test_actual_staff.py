"""What "actual" is made of: the จ.18 register, secondments, contract staff, vacancies, and who
is counted on the census day of the academic year."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.testing import make_person, make_user
from registry.models import (
    Employment,
    PersonnelType,
    PersonStatus,
    PositionChange,
    Secondment,
)
from staffing import queries
from staffing import summary as staff_counts
from staffing.models import RuleSet

from .helpers import CENSUS, YEAR, school_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users):
    return users[Role.OFFICE_ADMIN]


def by_code(a):
    return {s.obec_code: s for s in a.schools}


def analyse(user, **kw):
    return queries.analyse(user, academic_year=YEAR, **kw)


@pytest.fixture
def three(office):
    """A: 1 director + 3 teachers, one of them seconded out to B; a contract teacher.
    B: 1 director + 2 teachers, and one teacher seconded in from C. C: 1 director + 2."""
    a = school_with(office, "1076019001", students=60, rooms=6, teachers={"คณิตศาสตร์": 3})
    b = school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 2})
    c = school_with(office, "1076019003", students=60, rooms=6, teachers={"ภาษาไทย": 2})
    away = a.people.filter(personnel_type=PersonnelType.TEACHER).first()
    away.secondment, away.secondment_school = Secondment.OUT, b
    away.save()
    make_person(office, b, secondment=Secondment.IN, secondment_school=c)
    make_person(office, a, employment=Employment.CONTRACT_TEACHER, position="ครูอัตราจ้าง",
                academic_standing=None)  # fmt: skip
    # Contract staff who do not teach are not staff of the criterion at all.
    make_person(office, a, employment=Employment.EMPLOYEE, personnel_type=PersonnelType.EMPLOYEE,
                position="นักการภารโรง", academic_standing=None)  # fmt: skip
    return a, b, c


def test_it_breaks_actual_down_into_register_secondments_and_contract_staff(admin, three):
    rows = by_code(analyse(admin))
    a, b, c = rows["1076019001"], rows["1076019002"], rows["1076019003"]
    assert (a.register, a.seconded_out, a.seconded_in, a.contract_staff) == (4, 1, 0, 1)
    assert (b.register, b.seconded_out, b.seconded_in, b.contract_staff) == (3, 0, 2, 0)
    # The teacher seconded in to B holds a position of C's register.
    assert (c.register, c.seconded_out, c.seconded_in, c.contract_staff) == (4, 1, 0, 0)
    for s in (a, b, c):
        assert s.civil_actual == s.register - s.seconded_out + s.seconded_in
        assert s.actual == s.civil_actual and not s.contract_counted  # default: not counted
    assert (a.actual_admin, a.actual_teachers) == (1, 2)
    assert (b.actual_admin, b.actual_teachers) == (1, 4)
    # Seconded teachers are counted where they work, in their area (both teach maths).
    assert b.area_actual["math"] == 2 and a.area_actual["math"] == 2


def test_the_rule_set_decides_whether_contract_staff_count(office, admin, three, client_for):
    default = analyse(admin)
    assert "ไม่นับ" in default.contract_label and "ต้องตรวจสอบ" in default.contract_label
    rs = RuleSet.objects.get(version="ค่าเริ่มต้น 2569")
    rs.count_contract_staff, rs.contract_staff_to_verify = True, False
    rs.save()
    counted = analyse(admin)
    assert counted.contract_label.startswith("นับ") and "ต้องตรวจสอบ" not in counted.contract_label
    before, after = by_code(default)["1076019001"], by_code(counted)["1076019001"]
    assert after.contract_counted and after.actual == before.actual + 1
    assert after.actual_teachers == before.actual_teachers + 1
    assert after.diff == before.diff + 1
    assert (
        counted.summary.contract_counted
        and counted.by_area.grand_total == counted.summary.actual_total
    )
    # Item 2 names what its figure counts: contract teachers hold no จ.18 position.
    from staffing.exports import summary_lines

    assert summary_lines(default)[2].startswith("2. จำนวนครูตาม จ.18 จำนวน ")
    assert summary_lines(counted)[2].startswith(
        "2. จำนวนครูตาม จ.18 รวมพนักงานราชการ/ครูอัตราจ้างที่นับตามเกณฑ์ จำนวน "
    )
    # So does the table of those teachers by learning area, on the page and in the DOCX.
    from docx import Document

    from staffing.exports import analysis_docx

    title = "จำนวนครูตาม จ.18 รวมพนักงานราชการ/ครูอัตราจ้างที่นับตามเกณฑ์ แยกตามกลุ่มสาระ"
    docx = Document(io.BytesIO(analysis_docx(counted)))
    assert title in [p.text for p in docx.paragraphs]
    page = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:office"), {"year": YEAR})
    assert f"<h3>{title}</h3>" in page.content.decode()


def test_a_temporary_employee_who_teaches_is_contract_staff(office, admin, three):
    a, _, _ = three
    before = by_code(analyse(admin))["1076019001"]
    make_person(office, a, employment=Employment.TEMPORARY_EMPLOYEE, position="ครูจ้างสอน",
                academic_standing=None)  # fmt: skip
    staff_counts.forget([office.pk])  # written without the actions that keep them
    after = by_code(analyse(admin))["1076019001"]
    assert after.contract_staff == before.contract_staff + 1
    assert (after.register, after.actual) == (before.register, before.actual)
    RuleSet.objects.filter(version="ค่าเริ่มต้น 2569").update(count_contract_staff=True)
    counted = by_code(analyse(admin))["1076019001"]
    assert counted.actual_teachers == before.actual_teachers + 2  # with the contract teacher


def test_office_totals_are_the_sum_of_the_rows(admin, three):
    for count_contract in (False, True):
        RuleSet.objects.filter(version="ค่าเริ่มต้น 2569").update(count_contract_staff=count_contract)
        a = analyse(admin)
        s = a.summary
        for name in ("register", "seconded_out", "seconded_in", "contract_staff", "vacant"):
            assert getattr(s, name) == sum(getattr(r, name) for r in a.schools), name
        assert s.actual_total == sum(r.actual for r in a.schools)
        assert s.actual_total == s.register - s.seconded_out + s.seconded_in + (
            s.contract_staff if count_contract else 0
        )
        # Every secondment here is between schools of the office, except the one from C → B
        # which is also inside: outs and ins balance.
        assert s.seconded_out == s.seconded_in == 2
        assert a.by_area.grand_total == s.actual_total
        assert a.demand_by_area.grand_total == s.short_positions


def test_a_secondment_to_or_from_outside_the_scope_counts_on_one_side_only(office, admin):
    a = school_with(office, "1076019001", students=60, rooms=6, teachers={"คณิตศาสตร์": 2})
    make_person(office, a, secondment=Secondment.OUT, secondment_school=None)
    make_person(office, a, secondment=Secondment.IN, secondment_school=None)
    row = by_code(analyse(admin))["1076019001"]
    assert (row.register, row.seconded_out, row.seconded_in) == (4, 1, 1)
    assert row.actual == 4


def test_a_director_sees_staff_seconded_to_their_school(office, school, users):
    other = school_with(office, "1076019009", students=60, rooms=6, teachers={"ภาษาไทย": 1})
    before = analyse(users[Role.SCHOOL_DIRECTOR]).schools[0]
    make_person(office, other, secondment=Secondment.OUT, secondment_school=school)
    after = analyse(users[Role.SCHOOL_DIRECTOR]).schools[0]
    assert after.seconded_in == before.seconded_in + 1 and after.actual == before.actual + 1


def test_it_estimates_vacant_positions_from_leavers_nobody_replaced(office, admin):
    a = school_with(office, "1076019001", students=60, rooms=6, teachers={"คณิตศาสตร์": 2})
    gone = make_person(office, a, status=PersonStatus.RETIRED, position_number="555001",
                       birth_date=dt.date(1960, 1, 1))  # fmt: skip
    make_person(office, a, status=PersonStatus.TRANSFERRED, position_number="555002")
    make_person(office, a, position_number="555002")  # the second position was filled again
    make_person(office, a, status=PersonStatus.TRANSFERRED, position_number="")
    row = by_code(analyse(admin))["1076019001"]
    assert row.vacant == 1
    # A leaver who left after the census day still held the position then: not vacant.
    PositionChange.objects.create(person=gone, effective_date=CENSUS + dt.timedelta(days=1),
                                  field="สถานะ", old_value="ปฏิบัติงาน", new_value="เกษียณ")  # fmt: skip
    # Written without the actions, which keep the stored counts: counted afresh, as after an
    # upgrade (staffing.summary).
    staff_counts.forget([office.pk])
    assert by_code(analyse(admin))["1076019001"].vacant == 0


# ---------------------------------------------------------------------------------------------
# Census day


def _left(person, on: dt.date, status=PersonStatus.TRANSFERRED):
    person.status = status
    person.save()
    PositionChange.objects.create(person=person, effective_date=on, field="สถานะ",
                                  old_value="ปฏิบัติงาน", new_value=status.label)  # fmt: skip


def test_it_counts_people_as_of_the_census_day(office, admin):
    school = school_with(office, "1076019001", students=60, rooms=6, directors=0)
    day = dt.timedelta(days=1)
    counted = [
        make_person(office, school, appointment_date=CENSUS),
        make_person(office, school, appointment_date=None),
        make_person(office, school, appointment_date=dt.date(2001, 5, 16)),
    ]
    left_after = make_person(office, school)
    _left(left_after, CENSUS + day)
    retired_after = make_person(office, school)
    _left(retired_after, dt.date(2026, 9, 30), PersonStatus.RETIRED)
    died_after = make_person(office, school)
    _left(died_after, CENSUS + day, PersonStatus.DECEASED)
    # Retired without any status history: counted when their retirement day (from the birth
    # date, retirement age 60) falls after the census day.
    make_person(office, school, status=PersonStatus.RETIRED, birth_date=dt.date(1966, 6, 1))
    counted_total = len(counted) + 4

    make_person(office, school, appointment_date=CENSUS + day)  # appointed after
    left_on = make_person(office, school)
    _left(left_on, CENSUS)  # left on the census day itself: no longer there
    left_before = make_person(office, school)
    _left(left_before, CENSUS - day, PersonStatus.RETIRED)
    make_person(office, school, status=PersonStatus.RETIRED, birth_date=dt.date(1965, 6, 1))
    make_person(office, school, status=PersonStatus.TRANSFERRED)  # left, no date known
    # A transfer recorded after the census day, but from another status than active.
    odd = make_person(office, school, status=PersonStatus.TRANSFERRED)
    PositionChange.objects.create(person=odd, effective_date=CENSUS + day, field="สถานะ",
                                  old_value="เกษียณ", new_value="ย้ายออก")  # fmt: skip

    row = by_code(analyse(admin))["1076019001"]
    assert row.actual_teachers == counted_total
    # On the census day of the year before (10 June 2025) the one appointed on 10 June 2026
    # was not there yet, while left_on, left_before and the one retired on 30 Sep 2025 were.
    earlier = by_code(queries.analyse(admin, academic_year=YEAR - 1))["1076019001"]
    assert earlier.actual_teachers == counted_total - 1 + 3


@pytest.mark.parametrize(
    "birth, counted",
    [
        (dt.date(1966, 9, 30), True),  # retires 30 Sep 2026
        (dt.date(1965, 10, 2), True),  # completes 60 on 1 Oct 2025, in FY2569: 30 Sep 2026
        # Completes 60 on 30 Sep 2025 (the day before the anniversary): retired that day.
        (dt.date(1965, 10, 1), False),
        (dt.date(1965, 9, 30), False),  # completes 60 on 29 Sep 2025: retired 30 Sep 2025
    ],
)
def test_the_retirement_edge_follows_the_fiscal_year(birth, counted):
    first = queries.first_birth_date_retiring_after(CENSUS, 60)
    assert (birth >= first) is counted
    assert (thai_dates.retirement_date(birth, retirement_age=60) > CENSUS) is counted


def test_the_query_count_stays_constant_with_secondments_and_contract_staff(office, admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            analyse(admin)
        return len(ctx.captured_queries)

    # One short school from the start: the need by area (a few queries) is then computed.
    first = school_with(office, "1076019001", students=30, rooms=6, teachers={})
    count()  # the first run creates the office's settings row
    make_person(office, first)
    # Right after a change (the office's stored counts are recounted), and unchanged.
    few = (count(), count())
    for i in range(2, 8):
        s = school_with(office, f"107601900{i}", students=30 * i, rooms=6, teachers={"ภาษาไทย": i})
        make_person(office, s, secondment=Secondment.OUT, secondment_school=first)
        make_person(office, s, employment=Employment.CONTRACT_TEACHER)
        gone = make_person(office, s, position_number=f"77700{i}")
        _left(gone, CENSUS + dt.timedelta(days=i))
    assert (count(), count()) == few


def test_the_school_page_and_api_show_the_breakdown(client, office, admin, three):
    client.force_login(admin)
    a, b, _c = three
    page = client.get(reverse("staffing:school", args=[a.pk]) + f"?year={YEAR}").content.decode()
    assert 'id="actual-breakdown"' in page and "ไปช่วยราชการที่อื่น" in page
    assert "ครูอัตราจ้าง" in page and "ไม่นับรวม" in page
    page = client.get(reverse("staffing:school", args=[b.pk]) + f"?year={YEAR}").content.decode()
    assert "มาช่วยราชการ" in page
    data = client.get(f"/api/staffing/schools/{a.pk}?year={YEAR}").json()
    assert (data["on_register"], data["seconded_out"], data["contract_staff"]) == (4, 1, 1)
    office_data = client.get(f"/api/staffing/office?year={YEAR}").json()
    assert office_data["seconded_in"] == office_data["seconded_out"] == 2
    assert not office_data["contract_counted"] and "ต้องตรวจสอบ" in office_data["contract_rule"]
    listing = client.get(reverse("staffing:schools") + f"?year={YEAR}").content.decode()
    assert "−1/+0" in listing and "−0/+2" in listing


def _figures(s) -> tuple:
    return (s.register, s.seconded_out, s.seconded_in, s.contract_staff, s.vacant, s.actual_admin,
            s.actual_teachers, s.unmapped_teachers, s.area_actual, s.area_demand, s.diff)  # fmt: skip


def test_one_schools_analysis_reads_its_stored_rows_and_equals_the_offices(office, admin, three):
    """One school's page reads only the stored rows of that school and of those seconded to
    or from it, with the same figures as the whole office's analysis."""
    a, b, c = three
    make_person(office, c, secondment=Secondment.OUT, secondment_school=a)
    gone = make_person(office, c, position_number="777001")
    _left(gone, CENSUS - dt.timedelta(days=3))
    make_person(office, a, major=None)  # a teacher without a major: a problem named
    whole = by_code(analyse(admin))
    for school in (a, b, c):
        one = analyse(admin, schools=queries.schools_visible_to(admin).filter(pk=school.pk))
        assert [_figures(s) for s in one.schools] == [_figures(whole[school.obec_code])]
    assert whole["1076019003"].vacant == 1


def test_the_school_page_makes_the_same_queries_for_a_larger_office(client, office, admin, three):
    client.force_login(admin)
    # Short whatever the others do: its need by area (a query) is part of every page.
    short = school_with(office, "1076019100", students=900, rooms=30, teachers={"คณิตศาสตร์": 2})
    url = reverse("staffing:school", args=[short.pk]) + f"?year={YEAR}"

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(4, 9):
        s = school_with(office, f"107601900{i}", students=30 * i, rooms=6, teachers={"ภาษาไทย": i})
        make_person(office, s, secondment=Secondment.OUT, secondment_school=short)
        make_person(office, short, secondment=Secondment.OUT, secondment_school=s)
    staff_counts.forget([office.pk])  # people written without the actions: counted afresh
    assert count() == few


def test_a_secondment_ended_before_the_census_day_counts_at_the_school_holding_the_post(
    office, admin, three, client_for
):
    """ช่วยราชการถึงวันที่ before 10 June: on the census day the teacher seconded out of A
    was back at A, and the teacher seconded in to B back at C. Office-wide (stored counts,
    the page) and B's director (counted directly) say so; a secondment ending on the census
    day itself, or without a last day, still counts where the person works."""
    a, b, c = three
    away = a.people.get(secondment=Secondment.OUT)
    came = b.people.get(secondment=Secondment.IN)
    Person = type(away)
    Person.objects.filter(pk__in=[away.pk, came.pk]).update(
        secondment_until=CENSUS - dt.timedelta(1)
    )
    staff_counts.forget([office.pk])  # written without the actions that keep them
    rows = by_code(analyse(admin))
    ra, rb, rc = rows["1076019001"], rows["1076019002"], rows["1076019003"]
    assert (ra.register, ra.seconded_out, ra.seconded_in, ra.actual_teachers) == (4, 0, 0, 3)
    assert (rb.register, rb.seconded_out, rb.seconded_in, rb.actual_teachers) == (3, 0, 0, 2)
    assert (rc.register, rc.seconded_out, rc.seconded_in, rc.actual_teachers) == (4, 0, 0, 3)
    assert ra.area_actual["math"] == 3 and rb.area_actual.get("math", 0) == 0
    director = make_user("director-b", Role.SCHOOL_DIRECTOR, office, school=b)
    (own,) = analyse(director).schools  # counted from the people rows, not the stored counts
    assert (own.seconded_in, own.actual_teachers) == (0, 2)
    page = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:schools"), {"year": YEAR})
    assert page.status_code == 200
    for pk in (away.pk, came.pk):
        Person.objects.filter(pk=pk).update(secondment_until=CENSUS)
    staff_counts.forget([office.pk])
    rows = by_code(analyse(admin))
    assert rows["1076019001"].seconded_out == 1 and rows["1076019002"].seconded_in == 2


def test_a_teacher_past_retirement_is_not_staff_on_the_census_day(office, admin, three, client_for):
    """Still "ปฏิบัติงาน" in the register (an import that lags): born 1 Oct 2508, retired on
    30 Sep 2568, so not staff of A on 10 Jun 2569, and their position is vacant; born 2 Oct
    2508, they serve until 30 Sep 2569 and are counted."""
    a, _b, _c = three
    before = by_code(analyse(admin))["1076019001"]
    make_person(office, a, birth_date=dt.date(1965, 10, 1), position_number="9001")
    make_person(office, a, birth_date=dt.date(1965, 10, 2), position_number="9002")
    staff_counts.forget([office.pk])  # written without the actions that keep them
    after = by_code(analyse(admin))["1076019001"]
    assert after.actual_teachers == before.actual_teachers + 1
    assert after.register == before.register + 1
    assert after.vacant == before.vacant + 1
    # The problems page names who was left out, and why.
    page = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:problems"), {"year": YEAR})
    html = page.content.decode()
    assert "เกษียณอายุราชการเมื่อ 30 กันยายน 2568 แต่ยังมีสถานะปฏิบัติงาน" in html
    assert html.count("เกษียณอายุราชการเมื่อ") == 1
