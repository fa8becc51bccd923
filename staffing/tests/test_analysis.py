"""Required vs. actual on hand-built schools, the office summary, data problems, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from krupd.testing import make_person
from registry.models import Major
from staffing import queries
from staffing.models import RuleRow, RuleSet

from .helpers import YEAR, area, school_with, staff

pytestmark = pytest.mark.django_db


def analyse(user, **kw):
    return queries.analyse(user, academic_year=YEAR, **kw)


def by_code(a):
    return {s.obec_code: s for s in a.schools}


@pytest.fixture
def admin(users):
    return users[Role.OFFICE_ADMIN]


@pytest.mark.parametrize(
    "students, rooms, teachers, req_teachers, diff, status",
    [
        (20, 6, 1, 1, 0, "balanced"),
        (21, 6, 1, 2, -1, "short"),
        (120, 6, 6, 6, 0, "balanced"),
        (121, 8, 6, 9, -3, "short"),
        (60, 6, 5, 3, 2, "surplus"),
    ],
)
def test_it_computes_a_school_against_the_rule_table(
    office, admin, students, rooms, teachers, req_teachers, diff, status
):
    school_with(office, "1076019001", students=students, rooms=rooms,
                teachers={"คณิตศาสตร์": teachers})  # fmt: skip
    s = by_code(analyse(admin))["1076019001"]
    assert (s.required_admin, s.required_teachers) == (1, req_teachers)
    assert (s.actual_admin, s.actual_teachers) == (1, teachers)
    assert s.diff == diff and s.status == status
    assert s.pct == round(100 * diff / (1 + req_teachers), 2)


def test_it_records_the_rule_version_it_used(office, admin):
    school_with(office, "1076019001", students=30, rooms=6, teachers={"คณิตศาสตร์": 2})
    a = analyse(admin)
    assert a.rule_set.version == "ค่าเริ่มต้น 2569" and a.rule_set.office is None
    assert "ค่าเริ่มต้น 2569" in a.rule_label and "ต้องตรวจสอบ" in a.rule_label
    own = RuleSet.objects.create(office=office, name="ของเขต", version="v2", source="ว 1/2569",
                                 effective_date=dt.date(2025, 1, 1), to_verify=False)  # fmt: skip
    RuleRow.objects.create(rule_set=own, level="primary", band_min=1, band_max=None,
                           administrators=1, teachers=5)  # fmt: skip
    a = analyse(admin)
    assert a.rule_set == own
    assert by_code(a)["1076019001"].required_teachers == 5
    # A version taking effect after the census day is not used yet.
    own.effective_date = dt.date(2027, 1, 1)
    own.save()
    assert analyse(admin).rule_set.version == "ค่าเริ่มต้น 2569"


def test_it_sums_office_totals_from_the_school_rows(office, admin):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 1})
    school_with(office, "1076019002", students=45, rooms=6, teachers={"ภาษาไทย": 1})
    school_with(office, "1076019003", students=70, rooms=6, teachers={"ภาษาไทย": 6})
    school_with(office, "1076019004", students=200, rooms=8, level="expansion",
                teachers={"ภาษาไทย": 4, "ภาษาอังกฤษ": 3})  # fmt: skip
    school_with(office, "1076019005", students=None, rooms=None, teachers={"ภาษาไทย": 2})
    a = analyse(admin)
    s = a.summary
    known = [r for r in a.schools if r.computable]
    # The cast adds the director's school: no enrolment, one teacher (teacher_person).
    assert s.schools_total == 6 and s.schools_by_level == {"primary": 5, "expansion": 1}
    assert s.actual_admin == 5 and s.actual_teachers == 1 + 1 + 6 + 7 + 2 + 1
    assert s.required_total == sum(r.required for r in known)
    assert s.diff == sum(r.diff for r in known) == s.surplus_positions - s.short_positions
    assert (s.short_schools, s.surplus_schools, s.balanced_schools, s.unknown_schools) == (
        2, 1, 1, 2,
    )  # fmt: skip
    assert s.short_positions == 2 + 2  # 45 pupils: 1+3 vs 2; expansion 1+(1+1×8) = 10 vs 8
    assert s.pct == round(100 * s.diff / s.required_total, 2)
    # The SAR's tables add up: teachers by area = all staff; demand = short positions.
    assert a.by_area.grand_total == s.actual_total
    assert a.demand_by_area.grand_total == s.short_positions


def test_it_splits_demand_of_short_schools_by_the_offices_own_register(office, admin):
    """Hand count: expansion, 200 pupils, 8 rooms: 1 admin + 1 + 1 × 8 = 10 required, 8 on
    the register (1 director, 4 Thai, 3 English), short 2. One Thai-major teacher also teaches
    mathematics (out of field): a mathematics teacher is needed; the other position's area
    is not known from the data. No other office's proportions are used."""
    school = school_with(office, "1076019004", students=200, rooms=8, level="expansion",
                         teachers={"ภาษาไทย": 4, "ภาษาอังกฤษ": 3})  # fmt: skip
    thai = school.people.filter(major__name="ภาษาไทย").first()
    thai.areas_taught.add(area("math"))
    a = analyse(admin)
    s = by_code(a)["1076019004"]
    assert s.diff == -2 and s.area_required == {"admin": 1}  # the default has no area split
    assert s.area_demand == {"math": 1, None: 1}
    assert a.demand_by_area.grand_total == 2
    rows = {code: total for code, _label, _per, total in a.demand_by_area.rows}
    assert rows["math"] == 1 and rows["thai"] == 0


def test_it_lists_data_problems_and_never_counts_them_as_zero(office, admin, users):
    school_with(office, "1076019005", students=None, rooms=None, teachers={"ภาษาไทย": 2})
    school = school_with(office, "1076019006", students=30, rooms=3, teachers={"": 1})
    unmapped = Major.objects.create(name="วิชาเอกใหม่", learning_area=None)
    staff(office, school, directors=0, teachers={"วิชาเอกใหม่": 1})
    a = analyse(admin)
    rows = by_code(a)
    assert rows["1076019005"].required is None and rows["1076019005"].status == "unknown"
    assert rows["1076019006"].unmapped_teachers == 2 and rows["1076019006"].actual_teachers == 2
    kinds = [(p.kind, p.url) for p in a.problems]
    assert ("enrolment", f"/registry/schools/{rows['1076019005'].id}/enrolment/") in kinds
    major_links = [p.url for p in a.problems if p.kind == "major"]
    assert len(major_links) == 2 and all(u.endswith("/edit/") for u in major_links)
    assert unmapped.name in " ".join(p.message for p in a.problems)
    # Inspectors get counts per school, no names and no links to people.
    seen = analyse(users[Role.INSPECTOR])
    majors = [p for p in seen.problems if p.kind == "major"]
    assert len(majors) == 1 and "2" in majors[0].message and not majors[0].url


def test_it_reports_overlapping_and_missing_bands(office, admin):
    rs = RuleSet.objects.create(office=office, name="ทดสอบ", version="bad", source="-",
                                effective_date=dt.date(2020, 1, 1))  # fmt: skip
    RuleRow.objects.create(rule_set=rs, level="primary", band_min=1, band_max=30, teachers=2)
    RuleRow.objects.create(rule_set=rs, level="primary", band_min=25, band_max=60, teachers=3)
    school_with(office, "1076019001", students=28, rooms=6, teachers={"ภาษาไทย": 2})
    school_with(office, "1076019002", students=90, rooms=6, teachers={"ภาษาไทย": 2})
    a = analyse(admin, rule_set=rs)
    rows = by_code(a)
    assert rows["1076019001"].required_teachers == 2  # the lower band applies
    assert rows["1076019002"].status == "unknown"
    text = " ".join(p.message for p in a.problems)
    assert "ทับ" in text and "เข้าได้หลายช่วง" in text and "ไม่มีช่วงเกณฑ์" in text


def test_it_scopes_a_director_to_their_school(office, school, other_school, users):
    a = analyse(users[Role.SCHOOL_DIRECTOR])
    assert [s.id for s in a.schools] == [school.id]


def test_its_query_count_does_not_grow_with_schools(office, admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            queries.analyse(admin, academic_year=YEAR)
        return len(ctx.captured_queries)

    # A short school from the start: its need by area (a few queries) is part of every run.
    first = school_with(office, "1076019001", students=30, rooms=6, teachers={})
    count()  # the first run creates the office's settings row
    make_person(office, first)
    # Right after a change (the office's stored counts are recounted), and unchanged.
    few = (count(), count())
    for i in range(2, 9):
        school_with(office, f"107601900{i}", students=30 * i, rooms=6, teachers={"ภาษาไทย": i})
    assert (count(), count()) == few


def test_it_counts_out_of_field_teachers(office, admin, school):
    math_teacher, thai_teacher = staff(office, school, directors=0,
                                       teachers={"คณิตศาสตร์": 1, "ภาษาไทย": 1})  # fmt: skip
    math_teacher.areas_taught.set([area("math"), area("arts")])
    thai_teacher.areas_taught.set([])
    oof = queries.out_of_field(admin)
    assert oof.total_out == 1 and oof.not_judged == 1
    assert oof.by_school_area == {(school.id, "arts"): 1}
    assert list(queries.out_of_field_people(admin, area="arts")) == [math_teacher]
    assert list(queries.out_of_field_people(admin, area="math")) == []


def test_it_forecasts_retirements_by_fiscal_year(office, admin):
    school = school_with(office, "1076019001", students=40, rooms=6, teachers={"ภาษาไทย": 2})
    t1, t2 = school.people.filter(personnel_type="teacher")
    t1.birth_date = dt.date(1966, 10, 5)  # 60 on 5 Oct 2026 → end of FY2570 (30 Sep 2570 BE)
    t1.save()
    t2.birth_date = dt.date(1968, 3, 1)  # 60 in Mar 2028 → FY2571
    t2.save()
    a = analyse(admin)
    r = queries.retirements(admin, a, horizon=3, today=dt.date(2026, 11, 1))
    assert r.years == [2570, 2571, 2572]
    assert [y["retiring"] for y in r.by_year] == [1, 1, 0]
    assert [y["short_positions"] for y in r.by_year] == [1, 2, 2]  # balanced today (1+2 = 3)
    assert r.by_area == [("thai", "ภาษาไทย", [1, 1, 0], 2)]
    assert r.by_school[0]["short_term"] == 2 and r.by_school[0]["projected"] == -2
