"""Data-quality pages: each rule, the scores, worst-first order, who may see what, query counts."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.lib.thai_id import check_digit
from krupd.testing import make_person, make_school, valid_national_id
from registry import quality
from registry.actions import rules_for
from registry.models import (
    AcademicStanding,
    Employment,
    Enrolment,
    LearningArea,
    Major,
    Network,
    Person,
    PersonnelType,
    PersonStatus,
    School,
)

TODAY = dt.date(2025, 8, 1)  # after the 10 June census day of academic year 2568
NOW = timezone.make_aware(dt.datetime(2025, 8, 1, 12, 0))
YEAR = 2568


def complete_school(school: School, *, year: int = YEAR, confirmed: dt.datetime = NOW) -> School:
    """Give a school everything the school rules ask for."""
    school.latitude, school.longitude = 13.1, 99.9
    if school.network is None:
        school.network = Network.objects.get_or_create(office=school.office, name="เครือข่าย ก")[0]
    school.data_confirmed_at = confirmed
    school.save()
    Enrolment.objects.create(
        school=school,
        academic_year=year,
        census_date=dt.date(year - 543, 6, 10),
        grade="p1",
        students=20,
        classrooms=1,
    )
    return school


def good_teacher(school: School, **fields) -> Person:
    person = make_person(school.office, school, **fields)
    person.areas_taught.set([LearningArea.objects.get(code="math")])
    return person


def problem_codes(person: Person, ctx) -> set[str]:
    people = Person.objects.filter(pk=person.pk)
    return {p.rule.code for p in quality.person_problems(people=people, ctx=ctx)}


def report_for(office, schools=None, **kwargs):
    schools = schools if schools is not None else School.objects.filter(office=office)
    return quality.quality_report(office=office, schools=schools, today=TODAY, now=NOW, **kwargs)


def bad_checksum_id() -> str:
    body = valid_national_id()[:12]
    return body + str((check_digit(body) + 1) % 10)


def years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) + dt.timedelta(days=days)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The shared cast creates a user per role; real password hashing would take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ctx(office):
    return quality.context_for(office, today=TODAY)


@pytest.fixture
def ready_school(school):
    return complete_school(school)


# Changes that break exactly the named rule on an otherwise good teacher.
BAD_PERSON = {
    "birth_date": lambda: {"birth_date": None},
    "gender": lambda: {"gender": ""},
    "position": lambda: {"position": ""},
    "personnel_type": lambda: {"personnel_type": ""},
    "appointment_date": lambda: {"appointment_date": None},
    "highest_degree": lambda: {"highest_degree": ""},
    "major": lambda: {"major": None},
    "phone": lambda: {"phone": ""},
    "standing": lambda: {"academic_standing": None},
    "national_id": lambda: {"national_id": bad_checksum_id()},
    "major_area": lambda: {"major": Major.objects.create(name="วิชาเอกที่ยังไม่จับคู่")},
    "age_today": lambda: {"birth_date": years_ago(17), "appointment_date": None},
    "appointed_young": lambda: {
        "birth_date": dt.date(1990, 6, 1),
        "appointment_date": dt.date(2008, 5, 31),
    },
    "appointed_old": lambda: {"birth_date": years_ago(69), "appointment_date": years_ago(-2)},
    "appointment_future": lambda: {"appointment_date": TODAY + dt.timedelta(days=1)},
    "standing_type": lambda: {"personnel_type": PersonnelType.ASSISTANT_TEACHER},
    # Completed 60 on 30 Sep 2024 (the day before the anniversary): retired that day.
    "past_retirement": lambda: {"birth_date": dt.date(1964, 10, 1)},
}


def test_it_declares_every_rule_once_with_a_thai_label_and_quality():
    codes = [r.code for r in quality.RULES]
    assert len(codes) == len(set(codes))
    for rule in quality.RULES:
        assert rule.label and rule.quality in {quality.Quality.COMPLETE, quality.Quality.CORRECT}
        assert rule.subject in {quality.PERSON, quality.SCHOOL}
        assert rule.fails is not None


@pytest.mark.django_db
def test_it_finds_no_problem_on_a_good_record(ready_school, ctx, django_assert_num_queries):
    person = good_teacher(ready_school)
    assert problem_codes(person, ctx) == set()
    assert quality.school_problems(school=ready_school, ctx=ctx) == []
    unit = report_for(ready_school.office).schools[0]
    assert unit.problems == 0
    assert unit.complete == unit.correct == 100
    # Counts that found nothing broken spare the page the listing query.
    people = Person.objects.filter(school=ready_school)
    with django_assert_num_queries(0):
        assert quality.person_problems(people=people, ctx=ctx, counted=unit) == []


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(BAD_PERSON))
def test_it_flags_each_person_rule_on_a_bad_record(code, ready_school, ctx):
    good = good_teacher(ready_school, first_name="ดี")
    bad = good_teacher(ready_school, first_name="ผิด", **BAD_PERSON[code]())
    assert code in problem_codes(bad, ctx)
    assert code not in problem_codes(good, ctx)
    # The aggregate counts agree with the row-level check.
    unit = report_for(ready_school.office).schools[0]
    assert unit.counts[code].failed == 1
    assert unit.counts[code].checked >= 1
    # The page lists only the rules its counts found broken: the same problems.
    people = Person.objects.filter(school=ready_school)

    def listed(**kwargs):
        rows = quality.person_problems(people=people, ctx=ctx, **kwargs)
        return {(p.person.pk, p.rule.code) for p in rows}

    assert listed(counted=unit) == listed() != set()


@pytest.mark.django_db
def test_it_checks_teacher_only_rules_on_teachers_only(ready_school, ctx):
    unmapped = Major.objects.create(name="เทคโนโลยีการศึกษา (ไม่จับคู่)")
    bare = make_person(ready_school.office, ready_school, major=unmapped)
    officer = make_person(
        ready_school.office,
        ready_school,
        personnel_type=PersonnelType.EDUCATIONAL_PERSONNEL,
        position="นักวิชาการศึกษา",
        academic_standing=None,
        major=unmapped,
    )
    assert {"areas_taught", "major_area"} <= problem_codes(bare, ctx)
    assert problem_codes(officer, ctx) == set()


@pytest.mark.django_db
def test_it_checks_ages_at_the_boundaries(ready_school, ctx):
    on_18th_birthday = good_teacher(
        ready_school, birth_date=dt.date(1990, 6, 1), appointment_date=dt.date(2008, 6, 1)
    )
    exactly_70 = good_teacher(ready_school, birth_date=years_ago(70), appointment_date=None)
    turns_71_today = good_teacher(ready_school, birth_date=years_ago(71), appointment_date=None)
    turns_18_tomorrow = good_teacher(
        ready_school, birth_date=years_ago(18, days=1), appointment_date=None
    )
    assert problem_codes(on_18th_birthday, ctx) == set()
    assert "age_today" not in problem_codes(exactly_70, ctx)
    assert "age_today" in problem_codes(turns_71_today, ctx)
    assert "age_today" in problem_codes(turns_18_tomorrow, ctx)


@pytest.mark.django_db
def test_it_checks_standing_against_personnel_type(ready_school, ctx):
    assistant = AcademicStanding.objects.get(code="assistant")
    ok_assistant = good_teacher(
        ready_school, personnel_type=PersonnelType.ASSISTANT_TEACHER, academic_standing=assistant
    )
    teacher_as_assistant = good_teacher(ready_school, academic_standing=assistant)
    employee_with_standing = good_teacher(ready_school, personnel_type=PersonnelType.EMPLOYEE)
    assert "standing_type" not in problem_codes(ok_assistant, ctx)
    assert "standing_type" in problem_codes(teacher_as_assistant, ctx)
    assert "standing_type" in problem_codes(employee_with_standing, ctx)


@pytest.mark.django_db
def test_it_follows_the_office_rule_on_ids_starting_with_zero(ready_school, office):
    body = "0" + valid_national_id()[1:12]
    person = good_teacher(ready_school, national_id=body + str(check_digit(body)))
    assert "national_id" not in problem_codes(person, quality.context_for(office, today=TODAY))
    rules = rules_for(office)
    rules.allow_leading_zero_or_nine_id = False
    rules.save()
    assert "national_id" in problem_codes(person, quality.context_for(office, today=TODAY))


@pytest.mark.django_db
def test_it_flags_each_school_rule(office, ctx):
    bare = make_school(office, code="1076019001", name="โรงเรียนยังไม่ครบ")
    last_year = complete_school(
        make_school(office, code="1076019002", name="โรงเรียนข้อมูลปีก่อน"), year=YEAR - 1
    )
    abroad = complete_school(make_school(office, code="1076019003", name="โรงเรียนพิกัดผิด"))
    abroad.latitude, abroad.longitude = 48.8, 2.3
    abroad.save()
    good = complete_school(make_school(office, code="1076019004", name="โรงเรียนครบ"))

    def codes(school):
        return {p.rule.code for p in quality.school_problems(school=school, ctx=ctx)}

    assert codes(bare) == {"coordinates", "network", "enrolment"}
    assert codes(last_year) == {"enrolment"}
    assert codes(abroad) == {"coordinates_place"}
    assert codes(good) == set()
    by_id = {u.school_id: u for u in report_for(office).schools}
    assert by_id[bare.pk].counts["enrolment"].failed == 1
    assert by_id[bare.pk].counts["coordinates_place"].checked == 0


def test_it_takes_last_years_enrolment_until_the_census_day(db, office):
    assert quality.context_for(office, today=dt.date(2025, 6, 9)).academic_year == 2567
    assert quality.context_for(office, today=dt.date(2025, 6, 10)).academic_year == 2568
    assert quality.context_for(office, today=dt.date(2026, 3, 1)).academic_year == 2568


@pytest.mark.django_db
def test_it_computes_scores_on_a_hand_checked_example(office, school):
    rules = rules_for(office)
    rules.freshness_days = 180
    rules.save()
    complete_school(school, confirmed=NOW - dt.timedelta(days=300))
    good_teacher(school)
    good_teacher(school, phone="")
    Person.objects.update(updated_at=NOW - dt.timedelta(days=270))

    unit = report_for(office).schools[0]

    # Completeness: 12 rules, all at 100 % except phone at 1 of 2 → (11 × 100 + 50) / 12.
    assert unit.complete == pytest.approx((11 * 100 + 50) / 12)
    assert unit.correct == 100
    # Last touched 270 days ago; 100 up to 180, 0 at 360 → 50.
    assert unit.days_since == 270
    assert unit.current == pytest.approx(50)
    # 0.4 × 95.83 + 0.4 × 100 + 0.2 × 50 = 88.33 → 88.
    assert unit.ready == 88
    assert unit.people == 2
    assert unit.currency_badge == "badge-warn"


def test_it_scores_currency_and_readiness():
    assert quality.currency_score(None, 180) == 0
    assert quality.currency_score(0, 180) == 100
    assert quality.currency_score(180, 180) == 100
    assert quality.currency_score(270, 180) == 50
    assert quality.currency_score(400, 180) == 0
    assert quality.readiness_score(100, 100, 0) == 80
    assert quality.readiness_score(50, None, 100) == round((0.4 * 50 + 0.2 * 100) / 0.6)
    assert quality.readiness_score(None, None, None) is None


@pytest.mark.django_db
def test_it_leaves_out_people_who_no_longer_work(ready_school, ctx):
    good_teacher(ready_school, status=PersonStatus.RETIRED, phone="")
    unit = report_for(ready_school.office).schools[0]
    assert unit.people == 0
    assert unit.counts["phone"].checked == 0


@pytest.mark.django_db
def test_it_orders_schools_worst_first_and_filters_by_network(office, client_for):
    best = complete_school(make_school(office, code="1076018001", name="ก ดีมาก"))
    good_teacher(best)
    middle = complete_school(make_school(office, code="1076018002", name="ข ปานกลาง"))
    good_teacher(middle, phone="", major=None)
    worst = make_school(office, code="1076018003", name="ค ต้องแก้")
    good_teacher(worst, phone="", birth_date=None, appointment_date=None)

    names = [u.name for u in report_for(office).schools]
    assert names.index("ค ต้องแก้") < names.index("ข ปานกลาง") < names.index("ก ดีมาก")

    response = client_for(Role.OFFICE_ADMIN).get(reverse("registry:quality"))
    page_names = [u.name for u in response.context["report"].schools]
    assert page_names.index("ค ต้องแก้") < page_names.index("ก ดีมาก")

    other = Network.objects.create(office=office, name="เครือข่ายอื่น")
    worst.network = other
    worst.save()
    response = client_for(Role.OFFICE_ADMIN).get(reverse("registry:quality"), {"network": other.pk})
    assert [u.name for u in response.context["report"].schools] == ["ค ต้องแก้"]


@pytest.mark.django_db
def test_it_lists_problems_of_office_level_people(office, client_for):
    make_person(office, None, first_name="เจ้าหน้าที่เขต", phone="", personnel_type="supervisor")
    response = client_for(Role.OFFICE_ADMIN).get(reverse("registry:quality"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "เจ้าหน้าที่เขต" in text
    assert "ไม่ได้กรอกเบอร์โทรศัพท์" in text
    assert response.context["report"].office_people.counts["phone"].failed == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR])
def test_it_shows_office_staff_every_school_with_names(role, client_for, school, other_school):
    bad = good_teacher(other_school, first_name="ขาดเบอร์", phone="")
    client = client_for(role)
    response = client.get(reverse("registry:quality"))
    assert response.status_code == 200
    assert "0.4 × ครบถ้วน + 0.4 × ถูกต้อง + 0.2 × เป็นปัจจุบัน" in response.content.decode()
    response = client.get(reverse("registry:quality_school", args=[other_school.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ขาดเบอร์" in text
    assert reverse("registry:person_detail", args=[bad.pk]) in text
    assert reverse("registry:school_enrolment", args=[other_school.pk]) in text


@pytest.mark.django_db
def test_it_sends_a_director_to_their_own_school_only(client_for, school, other_school):
    client = client_for(Role.SCHOOL_DIRECTOR)
    response = client.get(reverse("registry:quality"))
    assert response.status_code == 302
    assert response.url == reverse("registry:quality_school", args=[school.pk])
    assert client.get(reverse("registry:quality_school", args=[school.pk])).status_code == 200
    assert client.get(reverse("registry:quality_school", args=[other_school.pk])).status_code == 404


@pytest.mark.django_db
def test_it_refuses_teachers(client_for, school):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("registry:quality")).status_code == 403
    assert client.get(reverse("registry:quality_school", args=[school.pk])).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("registry:quality"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.django_db
def test_it_shows_inspectors_counts_but_no_names(client_for, office, school, teacher_person):
    teacher_person.phone = ""
    teacher_person.save()
    make_person(office, None, first_name="เจ้าหน้าที่เขต", phone="")
    client = client_for(Role.INSPECTOR)

    response = client.get(reverse("registry:quality"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "เจ้าหน้าที่เขต" not in text
    assert "ไม่ได้กรอกเบอร์โทรศัพท์: 1 คน" in text

    response = client.get(reverse("registry:quality_school", args=[school.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert teacher_person.first_name not in text
    assert reverse("registry:person_detail", args=[teacher_person.pk]) not in text
    assert response.context["problems"] is None
    assert response.context["unit"].counts["phone"].failed == 1


@pytest.mark.django_db
def test_it_filters_and_paginates_a_schools_problems(client_for, school):
    for i in range(60):
        good_teacher(school, first_name=f"ครู{i:02d}", phone="")
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:quality_school", args=[school.pk])
    response = client.get(url, {"rule": "phone"})
    page = response.context["problems"]
    assert page.paginator.count == 60
    assert len(page.object_list) == 50
    assert {p.rule.code for p in page.object_list} == {"phone"}
    assert len(client.get(url, {"rule": "phone", "page": 2}).context["problems"].object_list) == 10


def _build_office(office, schools: int, start: int = 0) -> None:
    """`schools` schools with three people each, a few of them with problems."""
    math = LearningArea.objects.get(code="math")
    k2 = AcademicStanding.objects.get(code="k2")
    major = Major.objects.get(name="คณิตศาสตร์")
    for i in range(start, start + schools):
        school = complete_school(make_school(office, code=f"10760{i:05d}", name=f"โรงเรียน {i}"))
        people = Person.objects.bulk_create(
            Person(
                office=office,
                school=school,
                national_id=valid_national_id() if j else bad_checksum_id(),
                title="นาย",
                first_name=f"ครู{i}-{j}",
                last_name="ทดสอบ",
                gender="male",
                birth_date=dt.date(1985, 1, 1),
                personnel_type=PersonnelType.TEACHER,
                position="ครู",
                academic_standing=k2,
                appointment_date=dt.date(2010, 5, 16) if j != 1 else None,
                highest_degree="bachelor",
                major=major,
                phone="0812345678" if j != 2 else "",
            )
            for j in range(3)
        )
        Person.areas_taught.through.objects.bulk_create(
            Person.areas_taught.through(person_id=p.pk, learningarea_id=math.pk) for p in people
        )


@pytest.mark.django_db
def test_it_keeps_the_query_count_flat_as_data_grows(
    office, users, client_for, django_assert_max_num_queries
):
    _build_office(office, 5)
    client = client_for(Role.OFFICE_ADMIN)
    office_url = reverse("registry:quality")
    first = School.objects.filter(office=office).order_by("pk").first()
    # Problems to list from the start, at the school and in the office (pages skip the
    # listing query where the counts show none): more data, not a new kind of it, follows.
    make_person(office, first, first_name="ไม่มีเบอร์", phone="")
    make_person(office, None, first_name="เจ้าหน้าที่", phone="", personnel_type="supervisor")
    school_url = reverse("registry:quality_school", args=[first.pk])
    with CaptureQueriesContext(connection) as small_office:
        assert client.get(office_url).status_code == 200
    with CaptureQueriesContext(connection) as small_school:
        assert client.get(school_url).status_code == 200

    _build_office(office, 45, start=5)
    Person.objects.bulk_create(
        Person(
            office=office,
            school=first,
            national_id=valid_national_id(),
            title="นาง",
            first_name=f"เพิ่ม{i}",
            last_name="ทดสอบ",
            gender="female",
            personnel_type=PersonnelType.TEACHER,
            position="ครู",
        )
        for i in range(40)
    )
    with django_assert_max_num_queries(len(small_office.captured_queries)):
        response = client.get(office_url)
    assert len(response.context["report"].schools) >= 50
    with django_assert_max_num_queries(len(small_school.captured_queries)):
        assert client.get(school_url).status_code == 200


# A school's data, each part breaking or passing school rules and moving its currency.
PLACES = [None, (13.1, 99.9), (51.5, -0.1)]  # no coordinates, in Thailand, outside it
CONFIRMED_DAYS_AGO = [None, 0, 100, 200, 300, 400]
PERSON_VARIANTS = [
    lambda: {}, lambda: {"phone": ""}, lambda: {"birth_date": None},
    lambda: {"national_id": bad_checksum_id()}, lambda: {"academic_standing": None, "gender": ""},
    lambda: {"status": PersonStatus.RETIRED},
]  # fmt: skip
SCHOOL_DATA = st.tuples(
    st.sampled_from(PLACES),
    st.booleans(),  # in a network
    st.sampled_from([None, YEAR, YEAR - 1]),  # enrolment on file for this year
    st.sampled_from(CONFIRMED_DAYS_AGO),
    st.lists(st.integers(0, len(PERSON_VARIANTS) - 1), max_size=3),  # its people
)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(data=st.lists(SCHOOL_DATA, min_size=1, max_size=4), freshness=st.sampled_from([0, 180]))
def test_the_dashboards_readiness_scores_equal_the_full_reports(office, data, freshness):
    """quality.school_readiness (the KPI dashboard's, from the stored counts) gives each school
    the readiness score of the data-quality report counted from the records."""
    from registry import quality_counts

    with transaction.atomic():
        rules = rules_for(office)
        rules.freshness_days = freshness
        rules.save()
        network = Network.objects.create(office=office, name="เครือข่ายทดสอบ")
        for i, (place, networked, enrolled, days_ago, people) in enumerate(data):
            school = make_school(office, code=f"10769{i:05d}", name=f"โรงเรียน {i}")
            school.latitude, school.longitude = place or (None, None)
            school.network = network if networked else None
            if days_ago is not None:
                school.data_confirmed_at = NOW - dt.timedelta(days=days_ago)
            school.save()
            if enrolled:
                Enrolment.objects.create(school=school, academic_year=enrolled, grade="p1",
                                         census_date=dt.date(enrolled - 543, 6, 10),
                                         students=20, classrooms=1)  # fmt: skip
            for variant in people:
                good_teacher(school, **PERSON_VARIANTS[variant]())
        Person.objects.update(updated_at=NOW - dt.timedelta(days=150))
        ctx = quality.context_for(office, today=TODAY)
        full = {u.school_id: u.ready for u in report_for(office, counted=True).schools}
        quality_counts.rebuild(office, today=TODAY)
        stored = quality_counts.office_rows(office, ctx)
        assert quality.school_readiness(office, ctx, stored, now=NOW) == full
        counted = quality.count_people(quality.active_people(office), ctx)
        assert quality.school_readiness(office, ctx, counted, now=NOW) == full
        transaction.set_rollback(True)  # the next example starts from the same office


def test_the_readiness_score_rounds_half_up():
    # 0.4 × 100 + 0.4 × 100 + 0.2 × 12.5 = 82.5: reported 83, as Thai reports round.
    assert quality.readiness_score(100, 100, 12.5) == 83
    assert quality.readiness_score(100, 100, 7.5) == 82  # 81.5 → 82


# The element-at-a-time arithmetic quality.py replaced by list-at-a-time code (the office
# page scores ~100 schools a request), kept here as the definition it must equal.
def _scores_one_by_one(rows: list[dict], units: dict) -> None:
    index = quality.RULE_INDEX
    for row in rows:
        unit = units.get(row["school_id"])
        if unit is None:
            continue
        unit.people += row["n_people"]
        unit.last_update = quality._latest(unit.last_update, row["last_person"])
        for j, rule in enumerate(quality.PERSON_RULES):
            unit.checked[index[rule.code]] += row["counts"][2 * j]
            unit.failed[index[rule.code]] += row["counts"][2 * j + 1]


def _quality_one_by_one(checked, failed, q):
    rates = [100 * (checked[i] - failed[i]) / checked[i]
             for i, rule in enumerate(quality.RULES) if rule.quality == q and checked[i]]  # fmt: skip
    return sum(rates) / len(rates) if rates else None


def _readiness_by_dicts(complete, correct, current):
    from krupd.lib import numerals

    parts = {"complete": complete, "correct": correct, "current": current}
    weights = {q: quality.READINESS_WEIGHTS[q] for q, v in parts.items() if v is not None}
    if not weights:
        return None
    total = sum(parts[q] * w for q, w in weights.items()) / sum(weights.values())
    return int(numerals.rounded(total, 0))


_width = 2 * len(quality.PERSON_RULES)
_stored_rows = st.lists(
    st.fixed_dictionaries({
        "school_id": st.sampled_from([None, 1, 2, 3]),
        "n_people": st.integers(0, 500),
        "last_person": st.none() | st.datetimes(
            min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)
        ).map(timezone.make_aware),
        "counts": st.lists(st.integers(0, 500), min_size=_width, max_size=_width),
    }),
    max_size=6,
)  # fmt: skip
_rule_counts = st.lists(
    st.integers(0, 50), min_size=len(quality.RULES), max_size=len(quality.RULES)
)
_score = st.none() | st.floats(min_value=0, max_value=100) | st.sampled_from([12.5, 7.5, 87.5])


@settings(max_examples=150, deadline=None)
@given(_stored_rows, _rule_counts, _rule_counts, _score, _score, _score)
def test_units_and_scores_equal_the_one_by_one_arithmetic(
    rows, school_checked, school_failed, complete, correct, current
):
    def units():
        found = {None: quality.Unit(school_id=None, name="office")}
        for key in (1, 2):  # school 3's rows are not asked for
            found[key] = quality.Unit(
                school_id=key, name=str(key), checked=list(school_checked),
                failed=list(school_failed),
            )  # fmt: skip
        return found

    new, old = units(), units()
    quality._add_people(rows, new)
    _scores_one_by_one(rows, old)
    for key, unit in new.items():
        assert (unit.checked, unit.failed, unit.people, unit.last_update) == (
            old[key].checked, old[key].failed, old[key].people, old[key].last_update
        )  # fmt: skip
        for q in (quality.Quality.COMPLETE, quality.Quality.CORRECT):
            assert quality.quality_score(unit.checked, unit.failed, q) == _quality_one_by_one(
                unit.checked, unit.failed, q
            )
    assert quality.readiness_score(complete, correct, current) == _readiness_by_dicts(
        complete, correct, current
    )


@pytest.mark.django_db
def test_it_flags_civil_servants_still_active_after_their_retirement_day(ready_school, ctx):
    """On 1 Aug 2025 (FY2568): born 1 Oct 1964 retired on 30 Sep 2024; born 2 Oct 1964
    retires on 30 Sep 2025; the office's retirement age is the one used; contract staff
    have no retirement day of the civil service."""
    retired = good_teacher(ready_school, birth_date=dt.date(1964, 10, 1))
    serving = good_teacher(ready_school, birth_date=dt.date(1964, 10, 2))
    contract = good_teacher(
        ready_school, birth_date=dt.date(1960, 1, 1), employment=Employment.GOVERNMENT_EMPLOYEE
    )
    assert "past_retirement" in problem_codes(retired, ctx)
    assert "past_retirement" not in problem_codes(serving, ctx)
    assert "past_retirement" not in problem_codes(contract, ctx)
    ctx.rules.retirement_age = 61
    assert "past_retirement" not in problem_codes(retired, ctx)


@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)),
    born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2000, 12, 31)),
    age=st.integers(min_value=55, max_value=65),
)
def test_the_in_service_edge_is_the_retirement_day(day, born, age):
    edge = thai_dates.first_birth_date_in_service(day, retirement_age=age)
    assert (born >= edge) == (thai_dates.retirement_date(born, retirement_age=age) >= day)


# Seconds before NOW of a school's confirmation or of a change to one of its people: none, any,
# or right at the whole-day edges of the 180-day limit (180 days, 181 days less a second...).
_DAY = 86_400
_AGO = st.one_of(
    st.none(),
    st.integers(-_DAY, 400 * _DAY),
    st.sampled_from([180 * _DAY, 181 * _DAY - 1, 181 * _DAY, 181 * _DAY + 1, 0]),
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(schools=st.lists(st.tuples(_AGO, _AGO), min_size=1, max_size=4))
def test_the_home_pages_count_of_schools_not_current_is_the_quality_pages(office, schools):
    """schools_to_update (the home page's "needs action" line) counts, in SQL, the schools the
    data-quality page shows as not current (Unit.is_current, in Python), at any age."""
    from registry.quality_counts import rebuild

    def ago(seconds):
        return None if seconds is None else NOW - dt.timedelta(seconds=seconds)

    with transaction.atomic():
        for i, (confirmed, changed) in enumerate(schools):
            school = make_school(office, code=f"97{i:06d}", name=f"โรงเรียน {i}")
            School.objects.filter(pk=school.pk).update(data_confirmed_at=ago(confirmed))
            if changed is not None:
                person = make_person(office, school)
                Person.objects.filter(pk=person.pk).update(updated_at=ago(changed))
        rebuild(office, today=TODAY)
        in_office = School.objects.filter(office=office)
        report = quality.quality_report(office=office, schools=in_office, today=TODAY, now=NOW)
        found = quality.schools_to_update(office, now=NOW)
        assert found.not_current == sum(not unit.is_current for unit in report.schools)
        assert found.no_enrolment == len(schools)  # none has this year's pupil numbers
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_office_pages_kept_report_is_the_querysets(office):
    """quality_report of OfficeSchools (the office page's: SQL kept per day) gives what the
    same schools as a queryset give: every unit's counts, the office's own staff, the total;
    and office_staff_problems lists what person_problems lists."""
    a = complete_school(make_school(office, code="1076019001", name="ก"))
    good_teacher(a, phone="")
    b = make_school(office, code="1076019002", name="ข")
    good_teacher(b, birth_date=None)
    network = Network.objects.create(office=office, name="เครือข่าย 1")
    School.objects.filter(pk=b.pk).update(network=network)
    make_person(office, None, first_name="เจ้าหน้าที่", phone="", personnel_type="supervisor")

    def seen(report):
        staff = [report.office_people] if report.office_people else []
        units = [*report.schools, report.total, *staff]
        return [(u.name, u.people, u.checked, u.failed, u.last_update, u.ready) for u in units]

    for network_id, staff in ((None, True), (network.pk, False), (0, False)):
        schools = School.objects.filter(office=office)
        if network_id is not None:
            schools = schools.filter(network_id=network_id)
        kwargs = {"office": office, "include_office_people": staff, "today": TODAY, "now": NOW}
        full = quality.quality_report(schools=schools, **kwargs)
        kept = quality.quality_report(schools=quality.OfficeSchools(network_id), **kwargs)
        assert seen(kept) == seen(full)
    report = quality.quality_report(
        office=office, schools=quality.OfficeSchools(), include_office_people=True, today=TODAY
    )
    listed = quality.person_problems(
        people=Person.objects.filter(office=office, school__isnull=True),
        ctx=report.ctx,
        counted=report.office_people,
    )
    kept = quality.office_staff_problems(
        scope=("office_id", office.pk), ctx=report.ctx, counted=report.office_people
    )
    assert [(p.rule.code, p.person.pk, p.values) for p in kept] == [
        (p.rule.code, p.person.pk, p.values) for p in listed
    ]
    assert kept


def test_the_school_flag_names_are_the_flags_columns_in_order(office):
    from registry.quality import _SCHOOL_FLAG_NAMES, _school_rule_flags, context_for

    assert tuple(_school_rule_flags(context_for(office))) == _SCHOOL_FLAG_NAMES
