"""KPI formulas on hand-computed data; trends; drill-down sums; flat query counts."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from krupd.testing import make_person, make_school
from registry import actions as registry_actions
from registry import quality_counts
from registry.models import Network, Person, PersonnelType, PersonStatus
from reporting import queries
from reporting.kpis import KpiData
from reporting.models import OnetResult
from reporting.tests.helpers import course, passed
from training.models import TrainingRules

FY = 2569


def kpi(board, code):
    return next(k for k in board.kpis if k.target.code == code)


@pytest.fixture
def cast(office, school, other_school, users):
    """school: 4 teachers (3 developed in FY), 1 assistant (developed); other: 2 teachers (0)."""
    TrainingRules.objects.create(office=office, developed_min_hours=Decimal("10"))
    c = course(office, fy=FY, title="อบรมเทคโนโลยีดิจิทัลเพื่อการเรียนรู้")
    short = course(office, fy=FY, title="ปฐมนิเทศ", hours="3")
    people = [make_person(office, school) for _ in range(4)]
    assistant = make_person(office, school, personnel_type="assistant_teacher", position="ครูผู้ช่วย",
                            academic_standing=None)  # fmt: skip
    others = [make_person(office, other_school) for _ in range(2)]
    for p in people[:3]:
        passed(c, p)
    passed(short, people[3], hours="3")  # 3 h < 10 h: not "developed"
    passed(c, assistant)
    passed(c, others[0], passed_=False)
    return {"people": people, "others": others}


def test_it_computes_developed_shares_by_type_and_scope(cast, users, school):
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    teachers = kpi(board, "teachers-developed")
    # Teachers and assistants: users' teacher_person (school) is a 5th teacher there.
    # developed 4 of 4+1+1 (school) + 2 (other) = 8
    assert teachers.current.num == 4 and teachers.current.den == 8
    assert teachers.current.value == pytest.approx(50.0)
    assert teachers.status == "below"
    assert kpi(board, "assistants-developed").current.value == pytest.approx(100.0)
    assert kpi(board, "assistants-developed").status == "met"
    # A course title that mentions technology proves nothing: no tagged course, no data.
    assert kpi(board, "tech-proficiency").current.value is None
    # Years without any course have no data, not 0 %.
    assert teachers.years[0].value is None and teachers.years[0].fiscal_year == FY - 3
    one = queries.dashboard(
        user, fiscal_year=FY, scope=queries.scope_for(user, school_id=school.pk)
    )
    assert kpi(one, "teachers-developed").current.value == pytest.approx(4 * 100 / 6)


def test_it_drills_down_and_the_parts_add_up(cast, users, office, school, network):
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    labels = [r.label for r in board.breakdown]
    assert network.name in labels and "ไม่สังกัดเครือข่าย" in labels
    index = [k.target.code for k in board.kpis].index("teachers-developed")
    by_label = {r.label: r.values[index][0] for r in board.breakdown}
    assert by_label[network.name] == pytest.approx(4 * 100 / 6)
    assert by_label["ไม่สังกัดเครือข่าย"] == pytest.approx(0.0)
    net = queries.dashboard(
        user, fiscal_year=FY, scope=queries.scope_for(user, network_id=network.pk)
    )
    assert [r.label for r in net.breakdown] == [school.name]


def test_it_computes_onet_growth_against_the_previous_year(users, office, school):
    for year, mean in ((2566, "40"), (2567, "44"), (2568, "50")):
        OnetResult.objects.create(
            school=school, academic_year=year, subject="คณิตศาสตร์", mean=Decimal(mean)
        )
        OnetResult.objects.create(
            school=school, academic_year=year, subject="ภาษาไทย", mean=Decimal(mean) + 10
        )
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    row = kpi(board, "student-achievement")
    # academic year 2568 → fiscal year 2569: mean 55 against 49 the year before
    assert row.current.value == pytest.approx(55.0)
    assert row.current.growth == pytest.approx((55 - 49) / 49 * 100)
    assert row.status == "met"  # +12.2 % ≥ +10 %
    assert row.years[-2].growth == pytest.approx((49 - 45) / 45 * 100)


def test_it_holds_a_director_to_their_school(cast, users, other_school):
    director = users["school_director"]
    scope = queries.scope_for(director, school_id=other_school.pk)
    assert scope.school.pk == director.school_id
    board = queries.dashboard(director, fiscal_year=FY, scope=scope)
    assert board.breakdown == []
    assert not kpi(board, "partnerships").available


def test_it_uses_the_office_target_over_the_default(users, office):
    from reporting import actions

    actions.save_office_target(acting_user=users["development_officer"], code="teachers-developed",
                               target=Decimal("95"))  # fmt: skip
    targets = {t.code: t for t in queries.targets_for(office)}
    assert targets["teachers-developed"].target == Decimal("95")
    assert targets["teachers-developed"].office_id == office.pk
    assert len(targets) == 8


def _grow(office, n_schools: int, people_per_school: int, fy: int):
    network = Network.objects.create(office=office, name=f"เครือข่าย {n_schools}")
    c = course(office, fy=fy, title=f"หลักสูตรดิจิทัล {n_schools}")
    for s in range(n_schools):
        sch = make_school(office, code=f"20{n_schools:02d}{s:06d}", name=f"ร.ร. {n_schools}-{s}",
                          network=network)  # fmt: skip
        for _ in range(people_per_school):
            passed(c, make_person(office, sch))
        OnetResult.objects.create(school=sch, academic_year=fy - 1, subject="ภาษาไทย", mean=50)


def test_it_keeps_the_number_of_queries_flat_as_data_grows(
    users, office, django_assert_max_num_queries
):
    from reporting import developed

    user = users["development_officer"]
    _grow(office, 2, 2, FY)
    # As deployed: "developed" people and headcounts read from the stored counts, which the
    # writes keep (here people are made behind the actions' back: rebuilt as nightly).
    developed.rebuild(office)
    quality_counts.rebuild(office)
    with django_assert_max_num_queries(14) as small:
        queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    _grow(office, 12, 5, FY - 1)
    _grow(office, 10, 3, FY)
    developed.rebuild(office)
    quality_counts.rebuild(office)
    with django_assert_max_num_queries(len(small.captured_queries)):
        queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))


def _grouped_headcount(office) -> dict:
    rows = (
        Person.objects.filter(office=office, status=PersonStatus.ACTIVE).order_by()
        .values("school_id", "personnel_type").annotate(n=Count("id"))
    )  # fmt: skip
    return {(r["school_id"], r["personnel_type"]): r["n"] for r in rows}


def test_headcounts_are_read_from_the_stored_counts_and_follow_the_writes(
    users, office, school, other_school
):
    """The dashboard's denominators equal a GROUP BY over the office's active people after
    writes that change a person's school, type or status, and are read without it."""
    admin = users["office_admin"]
    people = [make_person(office, school) for _ in range(3)]
    people.append(make_person(office, None, personnel_type=PersonnelType.SUPERVISOR))
    quality_counts.rebuild(office)
    moved, retyped, left, new = people[0], people[1], people[2], make_person(office, school)
    moved.school = other_school
    retyped.personnel_type = PersonnelType.ASSISTANT_TEACHER
    left.status = PersonStatus.RETIRED
    for person in (moved, retyped, left, new):
        registry_actions.save_person(acting_user=admin, person=person)
    with CaptureQueriesContext(connection) as read:
        stored = KpiData(office, [FY]).headcount
    assert stored == _grouped_headcount(office)
    assert stored[other_school.pk, PersonnelType.TEACHER] >= 1
    assert not any('"registry_person"' in q["sql"] for q in read.captured_queries)


def test_the_technology_kpi_counts_digital_courses_and_assessed_digital_levels(cast, users, office):
    """Hand count: 8 teachers and assistants in the office. The tagged course was passed by
    3 teachers + the assistant (4); the fourth teacher of the school passed no digital course
    but was assessed at a mean of 3.5 ≥ 3 in the digital framework (5); the other school's
    second teacher was assessed at 2.0 < 3 (still 5). 5 of 8 = 62.5 %."""
    import datetime as dt

    from django.utils import timezone

    from planning.models import Competency, Domain, Framework, Rating, Response, Round
    from training.models import Course

    Course.objects.filter(office=office, title__startswith="อบรมเทคโนโลยี").update(digital=True)
    fw = Framework.objects.create(office=office, code="DL", version="2561", name="ดิจิทัล")
    domain = Domain.objects.create(framework=fw, code="U", name="การใช้")
    skills = [Competency.objects.create(domain=domain, code=f"U{i}", name=f"ทักษะ {i}")
              for i in (1, 2)]  # fmt: skip
    closes = dt.date(FY - 543, 7, 31)  # July of FY2569
    rnd = Round.objects.create(office=office, year=FY, name="ประเมินทักษะดิจิทัล", framework=fw,
                               opens=closes - dt.timedelta(days=30), closes=closes)  # fmt: skip
    for person, levels in ((cast["people"][3], (3, 4)), (cast["others"][1], (2, 2))):
        response = Response.objects.create(
            round=rnd, person=person, rater_kind="self", personnel_type=person.personnel_type,
            submitted_at=timezone.now(),
        )  # fmt: skip
        for skill, level in zip(skills, levels, strict=True):
            Rating.objects.create(response=response, competency=skill, current=level, expected=5)
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    tech = kpi(board, "tech-proficiency")
    assert (tech.current.num, tech.current.den) == (5, 8)
    assert tech.current.value == pytest.approx(62.5)
    assert tech.status == "below"


def test_growth_of_a_running_year_compares_the_same_months_of_the_year_before(users, office):
    """Hand count, today 15 Dec 2568 (FY2569 has run Oct–Dec). FY2568 had 2 activities in
    October, 1 in November and 5 in March (8 in all); FY2569 has 2 in October and 2 in
    December (4). Against the same months (3): +33.3 %, not −50 % against the whole year.
    FY2568 itself, complete, is compared with the whole of FY2567 (none: no growth)."""
    import datetime as dt

    from community.models import JointActivity, Partner
    from community.queries import partnership_growth

    partner = Partner.objects.create(office=office, name="มหาวิทยาลัย", kind="university",
                                     since=dt.date(2024, 1, 1))  # fmt: skip
    dates = [dt.date(2024, 10, 3)] * 2 + [dt.date(2024, 11, 5)] + [dt.date(2025, 3, 9)] * 5
    dates += [dt.date(2025, 10, 2)] * 2 + [dt.date(2025, 12, 1)] * 2
    for d in dates:
        JointActivity.objects.create(office=office, partner=partner, date=d, title="กิจกรรม")
    today = dt.date(2025, 12, 15)
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user), today=today)
    growth = kpi(board, "partnerships")
    assert growth.current.value == 4
    assert growth.current.growth == pytest.approx(100 / 3)
    assert growth.current.basis == "เทียบกับช่วงเดียวกันของปีงบประมาณ 2568 (1 ต.ค. 2567 – 15 ธ.ค. 2567)"
    last = growth.years[-2]
    assert (last.fiscal_year, last.value) == (FY - 1, 8)
    assert last.basis == "เทียบกับทั้งปีงบประมาณ 2567" and last.growth is None
    # The partners page reads the same way.
    rows = {r.fiscal_year: r for r in partnership_growth(office, today=today)}
    assert rows[FY].growth_pct == pytest.approx(100 / 3)
    assert rows[FY].basis == "เทียบกับช่วงเดียวกันของปีงบประมาณ 2568 (1 ต.ค. 2567 – 15 ธ.ค. 2567)"


def test_a_year_developed_through_plc_alone_has_data(users, office, school, teacher_person):
    """PLC meeting hours make a person "developed" as course hours do (the training report's
    rule). A year with PLC meetings but no course is measured — never "no data" with
    people counted above a zero denominator."""
    import datetime as dt

    from community.models import PLCGroup, PLCMeeting

    TrainingRules.objects.create(office=office, developed_min_hours=Decimal("4"))
    other = make_person(office, school)
    group = PLCGroup.objects.create(office=office, level="school", school=school, name="PLC คณิต",
                                    topic="การอ่าน", facilitator=teacher_person,
                                    academic_year=FY - 544)  # fmt: skip
    for day in (dt.date(FY - 544, 12, 1), dt.date(FY - 543, 1, 12)):
        meeting = PLCMeeting.objects.create(group=group, date=day, hours=Decimal("2"))
        meeting.attendees.set([teacher_person])
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user))
    teachers = kpi(board, "teachers-developed")
    # teacher_person has 4 h of PLC, `other` none: 1 of 2 teachers.
    assert (teachers.current.num, teachers.current.den) == (1, 2)
    assert teachers.current.value == pytest.approx(50.0)
    assert other.pk  # counted in the denominator
    assert teachers.years[0].value is None and teachers.years[0].den == 0


ONET_MEANS = st.lists(st.sampled_from([None, "35", "42.5", "50", "61"]), min_size=4, max_size=4)
ACTIVITY_DAYS = st.lists(st.integers(0, 3 * 365), max_size=6)  # days after 1 Oct 2565


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(means=st.lists(ONET_MEANS, min_size=3, max_size=3), days=ACTIVITY_DAYS,
       own=st.lists(st.booleans(), min_size=6, max_size=6), today=st.integers(0, 364),
       fy_back=st.integers(0, 1))  # fmt: skip
def test_each_breakdown_row_equals_its_own_dashboard(
    cast, users, office, school, other_school, network, means, days, own, today, fy_back
):
    """A network's row of the office breakdown, and a school's row of its network's, show
    what that network's or school's own dashboard shows (its whole trend summed over its
    units), whatever the O-NET results, joint activities (a network's own or the office's)
    and day: the breakdown computes only the year shown."""
    import datetime as dt

    from community.models import JointActivity, Partner

    with transaction.atomic():
        third = make_school(office, code="1076010003", name="โรงเรียนที่สาม", network=network)
        for sch, school_means in zip((school, other_school, third), means, strict=True):
            for year, mean in zip(range(FY - 4, FY), school_means, strict=True):
                if mean is not None:
                    OnetResult.objects.create(school=sch, academic_year=year,
                                              subject="คณิตศาสตร์", mean=Decimal(mean))  # fmt: skip
        partner = Partner.objects.create(office=office, name="ภาคี", kind="university",
                                         since=dt.date(2022, 1, 1))  # fmt: skip
        for day, networks in zip(days, own, strict=False):
            JointActivity.objects.create(office=office, partner=partner, title="กิจกรรม",
                                         date=dt.date(2022, 10, 1) + dt.timedelta(days=day),
                                         network=network if networks else None)  # fmt: skip
        on = dt.date(2024, 10, 1) + dt.timedelta(days=today)  # within fiscal year 2568
        user = users["development_officer"]
        fy = FY - 1 + fy_back

        def measured(scope) -> list:
            board = queries.dashboard(user, fiscal_year=fy, scope=scope, today=on)
            return [(k.measured, k.status) for k in board.kpis]

        office_board = queries.dashboard(user, fiscal_year=fy, scope=queries.scope_for(user),
                                         today=on)  # fmt: skip
        rows = {r.label: r.values for r in office_board.breakdown}
        assert rows[network.name] == measured(queries.scope_for(user, network_id=network.pk))
        network_board = queries.dashboard(
            user, fiscal_year=fy, scope=queries.scope_for(user, network_id=network.pk), today=on
        )
        for row, sch in zip(network_board.breakdown, (school, third), strict=True):
            assert row.values == measured(queries.scope_for(user, school_id=sch.pk))
        transaction.set_rollback(True)  # the next example starts from the same cast


COURSES = st.lists(
    st.tuples(st.booleans(), st.integers(-4, 0), st.sampled_from(["draft", "open", "finished"]),
              st.booleans(), st.sets(st.integers(0, 2))),
    max_size=8,
)  # fmt: skip


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(courses=COURSES)
@example(courses=[(True, 0, "draft", True, {0}), (True, -1, "open", True, {1})])
def test_the_years_with_courses_and_the_digital_passes_are_those_the_records_list(
    office, other_office, school, courses
):
    """The years with data (KpiData.training_years, one EXISTS per year) and those with a
    digital course equal the years listed from the office's courses other than drafts; the
    people who passed a digital course (a draft's too) are those its enrolments list, counted
    once a year by school and type."""
    from training.models import Course, Enrolment

    with transaction.atomic():
        people = [make_person(office, school) for _ in range(3)]
        people[2].status = PersonStatus.RETIRED
        people[2].save()
        for own, back, status, digital, passers in courses:
            c = course(office if own else other_office, fy=FY + back, status=status,
                       digital=digital)  # fmt: skip
            for i in passers:
                passed(c, people[i])
        years = [FY - 3, FY - 2, FY - 1, FY]
        listed = Course.objects.filter(office=office, fiscal_year__in=years).exclude(status="draft")
        data = KpiData(office, years)
        assert data.training_years == set(listed.values_list("fiscal_year", flat=True))
        assert data.digital_years({}) == set(
            listed.filter(digital=True).values_list("fiscal_year", flat=True)
        )
        passes = Enrolment.objects.filter(
            course__office=office, course__fiscal_year__in=years, course__digital=True,
            passed=True, person__status=PersonStatus.ACTIVE,
        ).values_list("course__fiscal_year", "person_id", "person__school_id",
                      "person__personnel_type")  # fmt: skip
        by_year = Counter((fy, sch, ptype) for fy, _person, sch, ptype in set(passes))
        assert data.digital_people({}) == dict(by_year)
        transaction.set_rollback(True)


def test_a_school_or_network_dashboard_reads_its_schools_rows_and_equals_the_whole_count(
    cast, users, office, school, other_school, network
):
    """A school's or a network's dashboard loads only its schools' stored "developed" counts
    and O-NET rows (KpiData.only_schools), and shows what the office's full data sets give for
    its units. The years with data stay the office's: PLC hours at the other school alone make
    FY-2 a measured year (0 %) at this one too."""
    import datetime as dt

    from community.models import PLCGroup, PLCMeeting
    from reporting import developed

    facilitator = cast["others"][0]
    group = PLCGroup.objects.create(office=office, level="school", school=other_school,
                                    name="PLC", topic="การอ่าน", facilitator=facilitator,
                                    academic_year=FY - 2 - 544)  # fmt: skip
    meeting = PLCMeeting.objects.create(group=group, date=dt.date(FY - 2 - 544, 12, 1),
                                        hours=Decimal("3"))  # fmt: skip
    meeting.attendees.set([facilitator])
    for sch, mean in ((school, "40"), (other_school, "60")):
        OnetResult.objects.create(school=sch, academic_year=FY - 1, subject="คณิตศาสตร์",
                                  mean=Decimal(mean))  # fmt: skip
    developed.rebuild(office)
    user = users["development_officer"]
    today = dt.date(FY - 543, 9, 1)
    targets = queries.targets_for(office)
    years = list(range(FY - queries.TREND_YEARS + 1, FY + 1))
    data, full = queries.compute(office, targets=targets, years=years, today=today)
    scopes = [queries.scope_for(user, school_id=sch.pk) for sch in (school, other_school)]
    scopes.append(queries.scope_for(user, network_id=network.pk))
    for scope in scopes:
        board = queries.dashboard(user, fiscal_year=FY, scope=scope, today=today)
        units, one_school = scope.units(data.schools), scope.kind == "school"
        expected = [queries._row(t, full[t.pk], years, units, one_school=one_school, today=today)
                    for t in targets]  # fmt: skip
        assert [[vars(y) for y in k.years] for k in board.kpis] == [
            [vars(y) for y in k.years] for k in expected
        ]
        read = scope.schools_read()
        narrowed, _parts = queries.compute(office, targets=[], years=years, schools=read)
        assert {r["school_id"] for r in narrowed.onet} <= read
        counts, found = narrowed.developed_counts(narrowed.developed_min_hours)
        assert {school_id for _fy, school_id, _type in counts} <= read
        assert FY - 2 in found
        if scope.school == school:  # no hours of its own in FY-2
            teachers = kpi(board, "teachers-developed").years[1]
            assert (teachers.fiscal_year, teachers.value) == (FY - 2, 0)


def test_the_status_reads_the_figure_as_printed(cast, users, office, school, client):
    """4 of 6 teachers at `school`: 66.666… % is printed 66.67 %, and a target of 66.67 %
    is met (the status agrees with the figure shown next to it); 66.68 % is not."""
    user = users["development_officer"]
    scope = queries.scope_for(user, school_id=school.pk)
    client.force_login(user)
    for target, status in (("66.67", "met"), ("66.68", "near")):
        client.post("/reports/targets/", {"code": "teachers-developed", "target": target})
        board = queries.dashboard(user, fiscal_year=FY, scope=scope)
        assert kpi(board, "teachers-developed").status == status
        page = client.get(f"/reports/?fy={FY}&school={school.pk}").content.decode()
        card = page[page.index('id="kpi-teachers-developed"') :]
        assert f'<div class="big st-{status}">66.67%</div>' in card


@given(
    den=st.integers(min_value=1, max_value=2000),
    data=st.data(),
)
@settings(max_examples=300)
def test_a_share_meets_a_target_equal_to_its_printed_value(den, data):
    """For every count n of d people: the status against the printed percentage is "met" and
    against one hundredth more is not (float arithmetic once made 29 of 100 miss 29 %)."""
    from krupd.lib.numerals import percent_of
    from reporting.kpis import FORMULAS, Part

    num = data.draw(st.integers(min_value=0, max_value=den))
    value = FORMULAS["developed_share"].value_of(Part(num, den))
    printed = percent_of(num, den)
    assert queries.kpi_status("level", value, printed) == "met"
    assert queries.kpi_status("level", value, printed + Decimal("0.01")) != "met"


@pytest.mark.parametrize(
    ("num", "den", "target", "status"),
    [
        (63, 100, 70, "near"),  # exactly 90 % of the target
        (6299, 10000, 70, "below"),
        (801, 1000, 89, "near"),  # 89 × 0.9 = 80.1 (in floats 80.10000000000001)
        (8009, 10000, 89, "below"),
        (0, 5, 0, "met"),
    ],
)
def test_near_is_within_ten_percent_of_the_target_exactly(num, den, target, status):
    from reporting.kpis import FORMULAS, Part

    value = FORMULAS["developed_share"].value_of(Part(num, den))
    assert queries.kpi_status("level", value, Decimal(target)) == status


def test_a_digital_pass_counts_in_the_year_its_hours_are_credited(users, office, school):
    """A digital course filed under fiscal year 2569 but held on 5 October 2569 (fiscal year
    2570): its pass is technology evidence of 2570, the year "developed" and the transcript
    credit its hours to, not of 2569 (the two KPIs used to put one course in two years)."""
    import datetime as dt

    c = course(office, fy=FY, title="ห้องเรียนดิจิทัล", digital=True)
    c.sessions.update(start_date=dt.date(2026, 10, 5), end_date=dt.date(2026, 10, 5))
    person = make_person(office, school)
    enrolment = passed(c, person)
    enrolment.credit_fiscal_year = FY + 1
    enrolment.save()
    data = KpiData(office, [FY, FY + 1])
    assert data.digital_people({}) == {(FY + 1, school.pk, person.personnel_type): 1}
    assert FY + 1 in data.digital_years({})
    developed = {r["credit_year"] for r in data.passed_hours()}
    assert developed == {FY + 1}


def test_a_running_year_is_compared_with_the_same_days_not_the_same_months(users, office):
    """Hand count, today 6 Dec 2568. FY2568 had 2 activities on 3 Dec 2567 and 2 on 20 Dec
    2567; FY2569 has 2 (1 Oct – 6 Dec 2568). The like period is 1 Oct – 6 Dec 2567: 2
    against 2 = 0 %, not −50 % against all of December 2567 (which has 25 days to come)."""
    import datetime as dt

    from community.models import JointActivity, Partner
    from community.queries import partnership_growth
    from reporting.inspection import partnerships

    partner = Partner.objects.create(office=office, name="มหาวิทยาลัย", kind="university",
                                     since=dt.date(2024, 1, 1))  # fmt: skip
    dates = [dt.date(2024, 12, 3)] * 2 + [dt.date(2024, 12, 20)] * 2 + [dt.date(2025, 10, 9)] * 2
    for d in dates:
        JointActivity.objects.create(office=office, partner=partner, date=d, title="กิจกรรม")
    today = dt.date(2025, 12, 6)
    user = users["development_officer"]
    board = queries.dashboard(user, fiscal_year=FY, scope=queries.scope_for(user), today=today)
    growth = kpi(board, "partnerships")
    assert (growth.current.value, growth.current.growth) == (2, 0)
    basis = "เทียบกับช่วงเดียวกันของปีงบประมาณ 2568 (1 ต.ค. 2567 – 6 ธ.ค. 2567)"
    assert growth.current.basis == basis
    row = {r.fiscal_year: r for r in partnership_growth(office, today=today)}[FY]
    assert (row.growth_pct, row.basis) == (0, basis)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.utils.timezone.localdate", lambda: today)
        (line,) = partnerships(office, FY)
    assert line.endswith(f"(กิจกรรมเพิ่มขึ้นร้อยละ 0.00 {basis})")


def test_a_teacher_moved_to_another_office_is_counted_developed_there_only(
    office, other_office, school, users
):
    """A teacher who passed the office's course and then moved to another office. The
    dashboard counted "developed" by the office of the course: she stayed in the first
    office's numerator under a school it does not have (3 of its 3 teachers, the users'
    teacher among them, where 2 are developed), and the
    office she joined did not count the hours its "% developed" page and her record show.
    Now she is counted where she works, from the stored rows and from the records alike."""
    from reporting import developed
    from reporting.kpis import developed_share
    from training.queries import developed_report

    staying = [make_person(office, school) for _ in range(2)]
    mover = make_person(office, school)
    c = course(office, fy=FY)
    for person in (*staying, mover):
        passed(c, person)
    far = make_school(other_office, code="1076020009", name="โรงเรียนเขตสอง")
    for o in (office, other_office):
        developed.rebuild(o)
    mover.office, mover.school = other_office, far
    registry_actions.save_person(acting_user=users["office_admin"], person=mover)

    def share(o, *, stored: bool) -> tuple[float, float]:
        data = KpiData(o, [FY])
        data.__dict__["developed_built"] = stored  # the stored rows, or the records
        parts = developed_share(data, {"types": [PersonnelType.TEACHER]})[FY].values()
        return sum(p.num for p in parts), sum(p.den for p in parts)

    for o, expected in ((office, (2, 3)), (other_office, (1, 1))):
        assert share(o, stored=True) == share(o, stored=False) == expected, o
    # The new office's "% developed" page says the same.
    reader = make_user_of(other_office)
    total = developed_report(reader, fiscal_year=FY, min_hours=Decimal("6"))["total"][0]
    assert (total.developed, total.total) == (1, 1)


def make_user_of(office):
    from krupd.testing import make_user

    return make_user("officer-far", "development_officer", office)


def test_a_teacher_moved_to_another_office_leaves_its_digital_share(
    office, other_office, school, users
):
    """The technology KPI counts the office's own people: a teacher who passed its digital
    course and then moved to another office stayed in its numerator, under a school it does
    not have (2 of its 2 teachers, where 1 passed). The office's own tagging (its digital courses)
    still decides what counts as evidence."""
    from reporting.kpis import digital_competent_share

    staying = make_person(office, school)
    mover = make_person(office, school)
    c = course(office, fy=FY, digital=True)
    for person in (staying, mover):
        passed(c, person)
    far = make_school(other_office, code="1076020009", name="โรงเรียนเขตสอง")
    mover.office, mover.school = other_office, far
    registry_actions.save_person(acting_user=users["office_admin"], person=mover)
    params = {"types": [PersonnelType.TEACHER]}
    parts = digital_competent_share(KpiData(office, [FY]), params)[FY].values()
    # The users' teacher (teacher_person) is the office's second teacher.
    assert (sum(p.num for p in parts), sum(p.den for p in parts)) == (1, 2)
