"""The staffing count of a census day as that day had it, at its edges: a move to another
office after it, a status taken back after it, a leaver without a position number and a
school without pupils; by the stored counts, a full recount and a director's own count."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person, make_user
from registry import actions as registry_actions
from registry.models import Enrolment, PersonStatus, PositionChange
from staffing import queries, summary

from .helpers import CENSUS, YEAR, school_with

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def two_schools(office):
    a = school_with(office, "1076019101", students=120, rooms=6, teachers={"คณิตศาสตร์": 2})
    b = school_with(office, "1076019102", students=120, rooms=6, teachers={"คณิตศาสตร์": 2})
    admin = make_user("admin-edge", Role.OFFICE_ADMIN, office)
    return a, b, admin


def teachers(user, year=YEAR) -> dict[str, int]:
    return {
        s.obec_code: s.actual_teachers for s in queries.analyse(user, academic_year=year).schools
    }


def vacant(user, year=YEAR) -> dict[str, int]:
    return {s.obec_code: s.vacant for s in queries.analyse(user, academic_year=year).schools}


def save(admin, person, effective: dt.date | None = None, **changes) -> None:
    for name, value in changes.items():
        setattr(person, name, value)
    registry_actions.save_person(acting_user=admin, person=person, effective_date=effective)


# --------------------------------------------------------------- 1. moved to another office


@pytest.fixture
def far(other_office):
    school = school_with(other_office, "1076290101", students=120, rooms=6,
                         teachers={"คณิตศาสตร์": 2})  # fmt: skip
    admin = make_user("admin-far", Role.OFFICE_ADMIN, other_office)
    return school, admin


def test_a_move_to_another_office_after_the_census_day_is_counted_at_the_school_left(
    two_schools, far, office, other_office
):
    a, b, admin = two_schools
    far_school, far_admin = far
    for o in (office, other_office):
        summary.rebuild(o)
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    save(admin, mover, CENSUS + 30 * DAY, office=other_office, school=far_school)
    # The history tells the move to another office, and the school left.
    moved = PositionChange.objects.get(person=mover, field="สังกัด")
    assert (moved.old_value, moved.new_value) == (office.name, other_office.name)
    assert moved.effective_date == CENSUS + 30 * DAY
    assert PositionChange.objects.get(person=mover, field="สถานศึกษา").old_school_id == a.pk
    # The old office counts them where they were on the census day; the new one does not.
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2}
    assert teachers(far_admin) == {far_school.obec_code: 2}
    for o in (office, other_office):
        assert summary.stored_differences(o) is None
    summary.forget([office.pk, other_office.pk])  # the full recount from the people rows
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2}
    assert teachers(far_admin) == {far_school.obec_code: 2}
    director_a = make_user("dir-edge-a", Role.SCHOOL_DIRECTOR, office, school=a)
    director_far = make_user("dir-edge-far", Role.SCHOOL_DIRECTOR, other_office, school=far_school)
    assert teachers(director_a) == {a.obec_code: 2}
    assert teachers(director_far) == {far_school.obec_code: 2}
    # The next year's census day comes after the move: the new office counts them.
    assert teachers(admin, YEAR + 1) == {a.obec_code: 1, b.obec_code: 2}
    assert teachers(far_admin, YEAR + 1) == {far_school.obec_code: 3}


def test_a_move_to_another_office_on_the_census_day_is_counted_there(
    two_schools, far, office, other_office
):
    a, b, admin = two_schools
    far_school, far_admin = far
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    save(admin, mover, CENSUS, office=other_office, school=far_school)
    assert teachers(admin) == {a.obec_code: 1, b.obec_code: 2}
    assert teachers(far_admin) == {far_school.obec_code: 3}


# --------------------------------------------------------------- 2. status taken back


def test_a_status_taken_back_after_the_census_day_counts_as_the_census_day_had_it(
    two_schools, office
):
    a, b, admin = two_schools
    summary.rebuild(office)
    first, second = a.people.filter(major__name="คณิตศาสตร์")[:2]
    first.position_number, second.position_number = "501", "502"
    # Retired before the census day, back in service after it (a leave ended): not counted.
    save(admin, first, CENSUS - 30 * DAY, status=PersonStatus.RETIRED)
    save(admin, first, CENSUS + 20 * DAY, status=PersonStatus.ACTIVE)
    # Resigned before, taken back after, and resigned again later: not counted either.
    save(admin, second, CENSUS - 30 * DAY, status=PersonStatus.RESIGNED)
    save(admin, second, CENSUS + 10 * DAY, status=PersonStatus.ACTIVE)
    save(admin, second, CENSUS + 40 * DAY, status=PersonStatus.RESIGNED)
    # Left after the census day and back later: counted (in service that day).
    third = b.people.filter(major__name="คณิตศาสตร์").first()
    save(admin, third, CENSUS + 5 * DAY, status=PersonStatus.TRANSFERRED)
    save(admin, third, CENSUS + 50 * DAY, status=PersonStatus.ACTIVE)
    assert teachers(admin) == {a.obec_code: 0, b.obec_code: 2}
    # Their two positions stood empty on the census day.
    assert vacant(admin) == {a.obec_code: 2, b.obec_code: 0}
    assert summary.stored_differences(office) is None
    director = make_user("dir-edge-status", Role.SCHOOL_DIRECTOR, office, school=a)
    assert teachers(director) == {a.obec_code: 0}
    assert vacant(director) == {a.obec_code: 2}
    # The next census day: the first is back in service.
    assert teachers(admin, YEAR + 1) == {a.obec_code: 1, b.obec_code: 2}


# --------------------------------------------------------------- 3. no position number


def test_a_leaver_without_a_position_number_is_named_on_the_problems_page(
    two_schools, office, client_for
):
    a, b, admin = two_schools
    summary.rebuild(office)
    numbered = make_person(office, a, position_number="601", first_name="มีเลข")
    unnumbered = make_person(office, a, position_number="", first_name="ไร้เลข")
    twice = make_person(office, b, position_number="", first_name="ไร้เลขอีก")
    for person in (numbered, unnumbered, twice):
        save(admin, person, CENSUS - 10 * DAY, status=PersonStatus.RESIGNED)
    found = vacant(admin)
    assert (found[a.obec_code], found[b.obec_code]) == (1, 0)
    assert summary.stored_differences(office) is None
    problems = [p.message for p in queries.analyse(admin, academic_year=YEAR).problems]
    named = [m for m in problems if "ไม่มีเลขที่ตำแหน่ง" in m]
    assert len(named) == 2
    assert any(unnumbered.full_name in m for m in named)
    assert any(twice.full_name in m for m in named)
    assert not any(numbered.full_name in m for m in problems)
    page = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:problems"), {"year": YEAR})
    assert page.status_code == 200
    assert unnumbered.full_name in page.content.decode()
    # A director sees their own school's.
    director = make_user("dir-edge-no", Role.SCHOOL_DIRECTOR, office, school=b)
    mine = [p.message for p in queries.analyse(director, academic_year=YEAR).problems]
    assert [m for m in mine if "ไม่มีเลขที่ตำแหน่ง" in m and twice.full_name in m]
    assert not [m for m in mine if unnumbered.full_name in m]


# --------------------------------------------------------------- 4. no pupils


def test_a_school_without_pupils_has_no_criterion_and_is_kept_out_of_the_totals(
    office, client_for, users
):
    school_with(office, "1076019201", students=60, rooms=6, teachers={"คณิตศาสตร์": 3})
    empty = school_with(office, "1076019202", students=0, rooms=0, teachers={"คณิตศาสตร์": 2})
    unknown = school_with(office, "1076019203", students=None, rooms=None,
                          teachers={"คณิตศาสตร์": 4})  # fmt: skip
    Enrolment.objects.filter(school=empty).update(classrooms=0)
    a = queries.analyse(users[Role.OFFICE_ADMIN], academic_year=YEAR)
    rows = {s.obec_code: s for s in a.schools}
    for code in (empty.obec_code, unknown.obec_code):
        assert rows[code].required is None and rows[code].status == "unknown"
        assert rows[code].diff is None and rows[code].pct is None
    assert (a.summary.computed_schools, a.summary.unknown_schools) == (1, 3)
    # Only the computed school is in the difference, and the totals say which are not.
    html = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:schools"), {"year": YEAR})
    page = html.content.decode()
    assert page.count("ยังไม่ได้กรอกจำนวนนักเรียน") >= 2
    assert "ไม่นำมาคิดขาด/เกิน" in page
    # The printed documents are made without a division by 0.
    for kind in ("xlsx", "pdf", "docx"):
        response = client_for(Role.OFFICE_ADMIN).get(
            reverse("staffing:export", args=[kind]), {"year": YEAR}
        )
        assert response.status_code == 200


def test_the_school_page_of_a_school_without_pupils_says_so(office, client_for):
    school = school_with(office, "1076019301", students=None, rooms=None,
                         teachers={"คณิตศาสตร์": 1})  # fmt: skip
    page = (
        client_for(Role.OFFICE_ADMIN)
        .get(reverse("staffing:school", args=[school.pk]), {"year": YEAR})
        .content.decode()
    )
    assert "ยังไม่ได้กรอกจำนวนนักเรียน" in page


def test_a_newcomer_from_another_office_after_the_census_day_fills_no_position_then(
    two_schools, far, office, other_office
):
    """The office joined does not count them, nor as holding a position that day: the
    position number they took over from a leaver stood empty on its census day."""
    a, b, admin = two_schools
    far_school, far_admin = far
    summary.rebuild(other_office)
    leaver = far_school.people.filter(major__name="คณิตศาสตร์").first()
    save(far_admin, leaver, CENSUS - 30 * DAY, status=PersonStatus.RESIGNED, position_number="7")
    assert vacant(far_admin)[far_school.obec_code] == 1
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    save(admin, mover, CENSUS + 30 * DAY, office=other_office, school=far_school,
         position_number="7")  # fmt: skip
    assert vacant(far_admin)[far_school.obec_code] == 1
    assert teachers(far_admin) == {far_school.obec_code: 1}
    assert summary.stored_differences(other_office) is None
    # The next census day: they hold it.
    assert vacant(far_admin, YEAR + 1)[far_school.obec_code] == 0
