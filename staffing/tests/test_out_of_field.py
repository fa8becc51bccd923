"""Out-of-field teaching: one pass over the teachers gives the same figures and names as the
three passes it replaced (kept below as the reference), the totals read alone
(out_of_field_totals) are its totals, and the page's queries do not grow with the office."""

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person, make_school, make_user
from registry.models import LearningArea, Major, Person, PersonnelType, PersonStatus
from staffing import queries

from .helpers import school_with, staff

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ the reference (before)


def reference_counts(user) -> dict:
    """The figures as the three queries before counted them."""
    schools = queries.schools_visible_to(user)
    teachers = queries._teachers_of(user, schools)
    Through = Person.areas_taught.through
    by_school_area = queries._out_of_field_by_school_area(teachers)
    has_areas = Exists(Through.objects.filter(person_id=OuterRef("pk")))
    per_school = {
        r["school_id"]: r
        for r in teachers.values("school_id").annotate(
            teachers=Count("id"),
            out=Count("id", filter=queries._out_of_field_exists()),
            not_judged=Count("id", filter=Q(major__learning_area__isnull=True) | ~has_areas),
        )
    }
    by_school = []
    for s in schools.order_by("obec_code").values("id", "obec_code", "name", "level"):
        r = per_school.get(s["id"], {"teachers": 0, "out": 0})
        by_school.append({**s, "teachers": r["teachers"], "out": r["out"],
                          "pct": round(100 * r["out"] / r["teachers"], 1) if r["teachers"]
                          else None})  # fmt: skip
    totals: dict = {}
    for (_sid, code), n in by_school_area.items():
        totals[code] = totals.get(code, 0) + n
    return {
        "by_school": by_school,
        "by_area": [
            (a.code, a.short_name, totals[a.code])
            for a in LearningArea.objects.all()
            if totals.get(a.code)
        ],  # fmt: skip
        "by_school_area": by_school_area,
        "total_teachers": sum(r["teachers"] for r in by_school),
        "total_out": sum(r["out"] for r in by_school),
        "not_judged": sum(r["not_judged"] for r in per_school.values()),
    }


def reference_names(user, *, school="", area="") -> list[int]:
    """The names list as the query before read it whole (and its count)."""
    people = queries.out_of_field_people(user, school=school, area=area)
    assert people.count() == len(list(people))
    return [p.pk for p in people]


def figures(oof) -> dict:
    return {k: getattr(oof, k) for k in ("by_school", "by_area", "by_school_area",
                                         "total_teachers", "total_out", "not_judged")}  # fmt: skip


def totals(oof) -> tuple:
    """The figures out_of_field_totals reads alone (the SAR states them)."""
    return oof.total_teachers, oof.total_out, oof.by_area


def paged_names(user, oof, *, school="", area="", per_page=3) -> tuple[int, list[int]]:
    """Every page of the page's list, as the view reads it."""
    listed = queries.out_of_field_page_list(user, oof, school=school, area=area)
    paginator = Paginator(listed, per_page)
    ids = [p.pk for n in paginator.page_range for p in paginator.page(n)]
    return paginator.count, ids


# ------------------------------------------------------------------ generated offices

AREAS = ("thai", "math", "science", "arts", "foreign")
PERSON = st.tuples(
    st.sampled_from([0, 1, 2, None]),  # school (None: the office's own staff)
    st.sampled_from(
        [PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER, PersonnelType.DIRECTOR]
    ),  # fmt: skip
    st.sampled_from([PersonStatus.ACTIVE, PersonStatus.ACTIVE, PersonStatus.RETIRED]),
    st.sampled_from(["คณิตศาสตร์", "ภาษาไทย", "วิชาเอกไม่จับคู่", None]),
    st.sets(st.sampled_from(AREAS), max_size=3),
    st.sampled_from(["สมศรี", "สมชาย", "อรุณ"]),
)


@pytest.fixture
def setting(office, other_office):
    Major.objects.get_or_create(name="วิชาเอกไม่จับคู่", defaults={"learning_area": None})
    schools = [make_school(office, code=f"10760195{i:02d}", name=f"โรงเรียน {i}")
               for i in (2, 0, 1)]  # fmt: skip
    other = make_school(other_office, code="1076290001", name="โรงเรียนเขตอื่น")
    make_person(other_office, other).areas_taught.set(LearningArea.objects.filter(code="arts"))
    users = [make_user("admin-o", Role.OFFICE_ADMIN, office),
             make_user("director-o", Role.SCHOOL_DIRECTOR, office, school=schools[0]),
             make_user("inspector-o", Role.INSPECTOR, office)]  # fmt: skip
    return office, schools, users


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(people=st.lists(PERSON, max_size=14))
def test_one_pass_gives_the_figures_and_names_of_the_three_queries(setting, people):
    office, schools, users = setting
    areas = {a.code: a for a in LearningArea.objects.filter(code__in=AREAS)}
    majors = {m.name: m for m in Major.objects.all()}
    with transaction.atomic():
        for place, kind, status, major, taught, first_name in people:
            person = make_person(office, None if place is None else schools[place],
                                 personnel_type=kind, status=status, first_name=first_name,
                                 major=majors.get(major))  # fmt: skip
            person.areas_taught.set([areas[code] for code in taught])
        for user in users:
            oof = queries.out_of_field(user)
            assert figures(oof) == reference_counts(user), user.role
            assert totals(queries.out_of_field_totals(user)) == totals(oof), user.role
            if user.role == Role.INSPECTOR:
                continue
            for school in ("", schools[0].pk, schools[2].pk):
                for area in ("", "math", "arts", "thai", "nothing"):
                    expected = reference_names(user, school=school, area=area)
                    count, ids = paged_names(user, oof, school=school, area=area)
                    assert (count, ids) == (len(expected), expected), (user.role, school, area)
        transaction.set_rollback(True)  # the next example starts from the same setting


def test_someone_teaching_several_areas_counts_once(office, admin, school):
    (teacher,) = staff(office, school, directors=0, teachers={"คณิตศาสตร์": 1})
    teacher.areas_taught.set(LearningArea.objects.filter(code__in=["math", "arts", "thai"]))
    oof = queries.out_of_field(admin)
    assert (oof.total_teachers, oof.total_out, oof.not_judged) == (1, 1, 0)
    assert totals(queries.out_of_field_totals(admin)) == totals(oof)
    assert oof.by_school_area == {(school.id, "arts"): 1, (school.id, "thai"): 1}
    assert paged_names(admin, oof) == (1, [teacher.pk])
    assert paged_names(admin, oof, area="math") == (0, [])


def test_the_out_of_field_page_makes_the_same_queries_for_a_larger_office(office, client_for):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("staffing:out_of_field")

    def queries_for(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    def grow(first: int, n: int) -> None:
        for i in range(first, first + n):
            school = school_with(office, f"10760196{i:02d}", students=40, rooms=6,
                                 teachers={"คณิตศาสตร์": 2, "ภาษาไทย": 1})  # fmt: skip
            for teacher in school.people.filter(major__name="คณิตศาสตร์"):
                teacher.areas_taught.add(LearningArea.objects.get(code="arts"))

    shapes = ({}, {"area": "arts"}, {"school": "1"}, {"page": "2"}, {"schools_page": "2"})
    grow(0, 2)
    few = [queries_for(params) for params in shapes]
    grow(2, 30)
    assert [queries_for(params) for params in shapes] == few


def test_the_names_pages_read_only_their_schools(office, admin):
    """A page of names reads the people of the schools it spans, not the office's."""
    schools = [school_with(office, f"10760197{i:02d}", students=40, rooms=6,
                           teachers={"คณิตศาสตร์": 2}) for i in range(4)]  # fmt: skip
    for teacher in Person.objects.filter(school__in=schools):
        teacher.areas_taught.add(LearningArea.objects.get(code="arts"))
    oof = queries.out_of_field(admin)
    listed = queries.out_of_field_page_list(admin, oof)
    with CaptureQueriesContext(connection) as captured:
        page = Paginator(listed, 3).page(2)  # the 4th to 6th: of the second and third schools
    names = [(p.school.obec_code, p.pk) for p in page]
    assert [code for code, _ in names] == ["1076019701", "1076019702", "1076019702"]
    read = captured.captured_queries[0]["sql"]
    assert f'"registry_person"."school_id" IN ({schools[1].pk}, {schools[2].pk})' in read


@pytest.fixture
def admin(office):
    return make_user("admin-oof", Role.OFFICE_ADMIN, office)
