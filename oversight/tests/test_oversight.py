"""Above the office: who sees which offices, the comparison's arithmetic, and the summary
being the office's own figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school, make_user
from oversight import access, actions, queries
from oversight.models import OfficeSummary, Province, Region, SummaryRefresh
from reporting.models import KpiTarget
from reporting.queries import current_fiscal_year

FY = current_fiscal_year()


@pytest.fixture
def geography(db):
    """Two provinces of region 7 (เพชรบุรี with two offices, ราชบุรี with one) and ตาก
    (region 17) with one office."""
    r7, r17 = Region.objects.get(number=7), Region.objects.get(number=17)
    Province.objects.filter(name__in=["เพชรบุรี", "ราชบุรี"]).update(region=r7)
    Province.objects.filter(name="ตาก").update(region=r17)
    offices = {
        "7601": make_office("7601", "สพป.เพชรบุรี เขต 1"),
        "7602": make_office("7602", "สพป.เพชรบุรี เขต 2"),
        "7001": _office("7001", "สพป.ราชบุรี เขต 1", "ราชบุรี"),
        "6301": _office("6301", "สพป.ตาก เขต 1", "ตาก"),
    }
    return {"r7": r7, "r17": r17, "offices": offices}


def _office(code, name, province):
    office = make_office(code, name)
    office.province = province
    office.save()
    return office


def _above(username, role, **scope) -> User:
    return User.objects.create_user(username, password="x-pass-1234", role=role, **scope)


@pytest.fixture
def above(geography):
    return {
        Role.PROVINCE_INSPECTOR: _above(
            "prov", Role.PROVINCE_INSPECTOR, province=Province.objects.get(name="เพชรบุรี")
        ),
        Role.REGION_INSPECTOR: _above("reg", Role.REGION_INSPECTOR, region=geography["r7"]),
        Role.OBEC_ANALYST: _above("obec", Role.OBEC_ANALYST),
    }


def _summary(office, fy=FY, *, developed=(0, 0), people=100, short=0, **fields):
    values = {
        "computed_at": timezone.now(),
        "people": people,
        "teachers": people - 10,
        "schools": 10,
        "kpi_parts": {"teachers-developed": {"num": developed[0], "den": developed[1]}},
        "staffing_year": fy - 1,
        "staffing_required": 80,
        "staffing_actual": 80 - short,
        "short_positions": short,
        "short_schools": 1 if short else 0,
        "surplus_positions": 0,
    }
    values.update(fields)
    return OfficeSummary.objects.create(office=office, fiscal_year=fy, **values)


# --------------------------------------------------------------------------------- scope


def test_each_level_sees_its_own_offices(above, geography):
    codes = lambda user: sorted(access.offices_in_scope(user).values_list("code", flat=True))  # noqa: E731
    assert codes(above[Role.PROVINCE_INSPECTOR]) == ["7601", "7602"]
    assert codes(above[Role.REGION_INSPECTOR]) == ["7001", "7601", "7602"]
    assert codes(above[Role.OBEC_ANALYST]) == ["6301", "7001", "7601", "7602"]


def test_a_user_without_scope_sees_nothing(db, geography):
    lost = _above("lost", Role.PROVINCE_INSPECTOR)  # no province set
    assert not access.offices_in_scope(lost).exists()
    office_user = make_user("admin9", Role.OFFICE_ADMIN, geography["offices"]["7601"])
    assert not access.offices_in_scope(office_user).exists()


@pytest.mark.parametrize(
    "role", [Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST]
)
def test_users_above_the_office_open_the_comparison(client, above, role):
    client.force_login(above[role])
    page = client.get(reverse("oversight:compare"))
    assert page.status_code == 200
    # The colours say what "near" means (reporting.queries.kpi_status in words).
    assert "ใกล้เป้าหมาย (ไม่ต่ำกว่าร้อยละ 90 ของเป้าหมาย" in page.content.decode()
    assert client.get("/").url == reverse("oversight:compare")


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (
    Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST)])  # fmt: skip
def test_office_roles_are_refused(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("oversight:compare")).status_code == 403
    assert client.post(reverse("oversight:refresh")).status_code == 403
    assert client.get(reverse("oversight:refresh_progress")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("oversight:compare")).status_code == 302


def test_an_office_outside_the_scope_is_not_found(client, above, geography):
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    tak = geography["offices"]["6301"]
    own = geography["offices"]["7602"]
    assert client.get(reverse("oversight:office", args=[tak.pk])).status_code == 404
    assert client.get(reverse("oversight:office", args=[own.pk])).status_code == 200
    ratchaburi = Province.objects.get(name="ราชบุรี")
    assert client.get(reverse("oversight:compare"), {"province": ratchaburi.pk}).status_code == 404
    assert (
        client.get(reverse("oversight:compare"), {"region": geography["r17"].pk}).status_code == 404
    )


def test_users_above_the_office_never_reach_a_person(client, above, geography):
    office = geography["offices"]["7601"]
    school = make_school(office, code="1076019999", name="โรงเรียนทดสอบ")
    person = make_person(office, school)
    for user in above.values():
        client.force_login(user)
        assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code in (
            403,
            404,
        )
        assert client.get(reverse("registry:people")).status_code == 403
        assert client.get("/api/registry/people").status_code in (401, 403, 404)


def test_an_office_admin_cannot_create_a_user_above_the_office(client, users):
    client.force_login(users[Role.OFFICE_ADMIN])
    page = client.get(reverse("accounts:user_create")).content.decode()
    assert Role.OBEC_ANALYST.label not in page


# ---------------------------------------------------------------------------- comparison


def test_a_group_adds_numerators_and_denominators(above, geography):
    o = geography["offices"]
    _summary(o["7601"], developed=(30, 100), short=5)
    _summary(o["7602"], developed=(10, 20), short=2)
    board = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY)
    assert board.level == "offices"
    assert [r.label for r in board.rows] == ["สพป.เพชรบุรี เขต 1", "สพป.เพชรบุรี เขต 2"]
    column = [c.code for c in board.columns].index("teachers-developed")
    assert board.rows[0].values[column][0] == pytest.approx(30.0)
    assert board.rows[1].values[column][0] == pytest.approx(50.0)
    # 40 of 120, not the mean of 30 % and 50 %
    assert board.total.values[column][0] == pytest.approx(100 * 40 / 120)
    assert board.total.totals.short_positions == 7


def test_a_groups_pa_share_counts_only_offices_whose_teachers_are_counted(client, above, geography):
    """A past year: one office was measured while the year ran (90 teachers, 45 agreements),
    the other joined later and has agreements but no head count for that year. The province
    shows 45 of 90, not 125 agreements over 90 teachers (139 %)."""
    o = geography["offices"]
    _summary(o["7601"], FY - 1, people=100, pa_agreements=45)
    _summary(o["7602"], FY - 1, people=10, teachers=0, schools=0, staffing_year=None,
             pa_agreements=80)  # fmt: skip
    board = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY - 1)
    assert board.rows[0].totals.pa_share == pytest.approx(50.0)
    assert board.rows[1].totals.pa_share is None
    assert board.total.totals.pa_share == pytest.approx(50.0)
    region = queries.comparison(above[Role.REGION_INSPECTOR], fiscal_year=FY - 1)
    (petchaburi,) = [r for r in region.rows if r.totals.reported]
    assert petchaburi.totals.pa_share == pytest.approx(50.0)
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    page = client.get(reverse("oversight:compare") + f"?fy={FY - 1}").content.decode()
    assert "138.9" not in page and "50.0" in page
    # The province's head counts are of one office: the row says the other is left out.
    assert "ไม่รวม 1 เขตที่ไม่มีข้อมูลของปีนี้" in page


def test_an_office_without_a_summary_is_not_zero(client, above, geography):
    _summary(geography["offices"]["7601"], developed=(30, 100))
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    page = client.get(reverse("oversight:compare")).content.decode()
    board = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY)
    missing = board.rows[1]
    assert missing.totals.reported == 0 and all(v is None for v, _ in missing.values)
    assert "ยังไม่มีข้อมูล" in page
    assert board.total.totals.missing == 1


def test_the_country_drills_down_region_province_office(client, above, geography):
    o = geography["offices"]
    for office in o.values():
        _summary(office, developed=(1, 2))
    obec = above[Role.OBEC_ANALYST]
    country = queries.comparison(obec, fiscal_year=FY)
    assert country.level == "regions"
    labels = [r.label for r in country.rows]
    assert labels == ["สำนักงานศึกษาธิการภาค 7", "สำนักงานศึกษาธิการภาค 17"]
    assert country.rows[0].totals.offices == 3
    region = queries.comparison(obec, fiscal_year=FY, region=geography["r7"])
    assert region.level == "provinces"
    assert sorted(r.label for r in region.rows) == ["ราชบุรี", "เพชรบุรี"]
    province = Province.objects.get(name="เพชรบุรี")
    offices = queries.comparison(obec, fiscal_year=FY, province=province)
    assert offices.level == "offices" and len(offices.rows) == 2
    client.force_login(obec)
    page = client.get(reverse("oversight:compare"), {"region": geography["r7"].pk}).content.decode()
    assert f"province={province.pk}" in page


def test_a_regional_inspector_lands_on_the_provinces_of_the_region(client, above, geography):
    """The landing page of a regional inspector was a one-row table (their region) to click
    through; it lists the region's provinces, each the sum of its offices."""
    o = geography["offices"]
    for office in o.values():
        _summary(office, people=100)
    board = queries.comparison(above[Role.REGION_INSPECTOR], fiscal_year=FY)
    assert board.level == "provinces" and board.title == "สำนักงานศึกษาธิการภาค 7"
    rows = {r.label: (r.totals.offices, r.totals.people) for r in board.rows}
    assert rows == {"เพชรบุรี": (2, 200), "ราชบุรี": (1, 100)}  # ตาก is outside the region
    assert board.total.totals.people == 300


def test_the_country_counts_an_office_whose_province_is_not_on_the_list(above, geography):
    """An office whose province was written otherwise than the reference list ("จ.ตาก")
    fell out of the country's comparison: the total was not the sum of its offices."""
    odd = _office("6302", "สพป.ตาก เขต 2", "จ.ตาก")
    for office in [*geography["offices"].values(), odd]:
        _summary(office, people=100)
    board = queries.comparison(above[Role.OBEC_ANALYST], fiscal_year=FY)
    assert board.total.totals.offices == 5 and board.total.totals.people == 500
    assert sum(r.totals.people for r in board.rows) == 500
    assert "ยังไม่ได้กำหนดภาค" in [r.label for r in board.rows]
    # Nobody below the country sees it (it is in no province of theirs).
    assert "6302" not in [o.code for o in access.offices_in_scope(above[Role.REGION_INSPECTOR])]


def test_a_province_without_region_is_listed_as_such(above, geography):
    Province.objects.filter(name="ตาก").update(region=None)
    _summary(geography["offices"]["6301"])
    board = queries.comparison(above[Role.OBEC_ANALYST], fiscal_year=FY)
    assert "ยังไม่ได้กำหนดภาค" in [r.label for r in board.rows]


def test_growth_kpis_compare_with_the_year_before(above, geography):
    office = geography["offices"]["7601"]
    KpiTarget.objects.filter(office=None, code="partnerships").update(kind="growth")
    _summary(office, FY - 1, kpi_parts={"partnerships": {"num": 10, "den": 1}})
    _summary(office, FY, kpi_parts={"partnerships": {"num": 15, "den": 1}})
    board = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY)
    column = [c.code for c in board.columns].index("partnerships")
    assert board.rows[0].values[column][0] == pytest.approx(50.0)


def test_a_groups_growth_counts_only_offices_with_both_years(client, above, geography):
    """An office not yet summarised this year must not read as a fall of the province (its
    last year's 10 partnerships against nothing), nor a new office as a rise: the province
    grows as its offices that report both years would if they were one office."""
    o = geography["offices"]
    KpiTarget.objects.filter(office=None, code="partnerships").update(kind="growth")
    _summary(o["7601"], FY - 1, kpi_parts={"partnerships": {"num": 10, "den": 1}})
    _summary(o["7601"], FY, kpi_parts={"partnerships": {"num": 15, "den": 1}})
    _summary(o["7602"], FY - 1, kpi_parts={"partnerships": {"num": 10, "den": 1}})  # not yet
    _summary(o["7001"], FY, kpi_parts={"partnerships": {"num": 40, "den": 1}})  # new this year
    _summary(o["6301"], FY - 1, kpi_parts={"partnerships": {"num": 4, "den": 1}})
    _summary(o["6301"], FY, kpi_parts={"partnerships": {"num": 5, "den": 1}})
    province = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY)
    column = [c.code for c in province.columns].index("partnerships")
    assert [r.values[column][0] for r in province.rows] == [pytest.approx(50.0), None]
    assert province.total.values[column][0] == pytest.approx(50.0)
    country = queries.comparison(above[Role.OBEC_ANALYST], fiscal_year=FY)
    # (15 + 5) against (10 + 4); ราชบุรี's new office and เพชรบุรี 2 take no part
    assert country.total.values[column][0] == pytest.approx((20 - 14) / 14 * 100)
    region7 = next(r for r in country.rows if r.label == "สำนักงานศึกษาธิการภาค 7")
    assert region7.values[column][0] == pytest.approx(50.0)
    assert region7.totals.kpis["partnerships"].num == 55  # the level figures keep every office
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    assert "-25.0" not in client.get(reverse("oversight:compare")).content.decode()


def test_the_comparison_reads_a_fixed_number_of_queries(client, above, geography):
    client.force_login(above[Role.OBEC_ANALYST])
    for office in geography["offices"].values():
        _summary(office)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("oversight:compare"))
    for n in range(20):
        office = _office(f"50{n:02d}", f"สพป.เชียงใหม่ เขต {n}", "เชียงใหม่")
        _summary(office)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("oversight:compare"))
    assert len(many) == len(few)


# ------------------------------------------------------------------------------- summary


def test_the_summary_is_the_offices_own_dashboard(office, school, teacher_person, users):
    """The figure above the office is the one the office shows itself."""
    from reporting.queries import dashboard, scope_for
    from staffing.queries import analyse

    summaries = actions.refresh_office(office, fiscal_year=FY)
    assert [s.fiscal_year for s in summaries] == list(range(FY - 3, FY + 1))
    current = summaries[-1]
    admin = users[Role.OFFICE_ADMIN]
    board = dashboard(admin, fiscal_year=FY, scope=scope_for(admin))
    for row in board.kpis:
        part = current.kpi_parts[row.target.code]
        assert (part["num"], part["den"]) == (row.current.num, row.current.den)
    staffing = analyse(admin).summary
    assert current.staffing_required == staffing.required_total
    assert current.short_positions == staffing.short_positions
    assert current.people == 1  # teacher_person
    assert summaries[0].staffing_required is None  # no staffing history for past years


def test_how_an_office_stands_is_kept_under_the_year_it_was_measured_in(client, above, geography):
    """Head counts, staffing and debt have no history: a refresh writes them under the fiscal
    year running today only. A refresh of an earlier year, or the nightly one, leaves what an
    ended year's own refresh wrote (or nothing: "—", not 0 and not today's figures)."""
    office = geography["offices"]["7601"]
    make_person(office, make_school(office, code="76019999", name="โรงเรียนทดสอบ"))
    OfficeSummary.objects.create(
        office=office, fiscal_year=FY - 1, computed_at=timezone.now(), people=7, teachers=6,
        schools=1, staffing_year=FY - 2, staffing_required=5, staffing_actual=4,
        debt_profiles=3, debt_below_threshold=2,
    )  # fmt: skip
    actions.refresh_office(office)  # the nightly refresh of the year running
    actions.refresh_office(office, fiscal_year=FY - 1)  # someone asks for last year
    kept = OfficeSummary.objects.get(office=office, fiscal_year=FY - 1)
    assert (kept.people, kept.teachers, kept.staffing_required, kept.debt_below_threshold) == (
        7, 6, 5, 2,
    )  # fmt: skip
    older = OfficeSummary.objects.get(office=office, fiscal_year=FY - 2)
    assert older.staffing_year is None and older.people == 0
    current = OfficeSummary.objects.get(office=office, fiscal_year=FY)
    assert current.people == 1 and current.staffing_year is not None

    client.force_login(above[Role.OBEC_ANALYST])
    html = client.get(reverse("oversight:office", args=[office.pk]) + f"?fy={FY - 2}")
    text = html.content.decode()
    assert html.status_code == 200 and "ยังไม่มีข้อมูลของปีนี้" in text
    board = queries.comparison(above[Role.OBEC_ANALYST], fiscal_year=FY - 2)
    (row,) = [r for r in board.rows if r.totals.reported]
    assert row.totals.standing_reported == 0 and row.totals.pa_share is None


def test_growth_of_the_year_still_running_is_the_offices_own(above, geography):
    """A year still running is compared, on the office's dashboard, with the same months of
    the year before; the office trend and the comparison above it say the same growth, not
    one measured against the whole of last year."""
    from community.models import JointActivity, Partner, PartnerKind
    from reporting.queries import dashboard, scope_for

    office = geography["offices"]["7601"]
    KpiTarget.objects.filter(office=None, code="partnerships").update(kind="growth")
    today = timezone.localdate()
    partner = Partner.objects.create(
        office=office, name="บริษัทเพื่อการศึกษา", kind=PartnerKind.choices[0][0], since=today
    )
    fy_start = dt.date(today.year - (0 if today.month >= 10 else 1), 10, 1)
    last_year_same_months = fy_start.replace(year=fy_start.year - 1)
    later_last_year = fy_start - dt.timedelta(days=1)  # 30 Sep: never in the months so far
    for day in (last_year_same_months, later_last_year, later_last_year, fy_start, fy_start):
        JointActivity.objects.create(office=office, partner=partner, date=day, title="กิจกรรม")
    actions.refresh_office(office, fiscal_year=FY)
    admin = make_user("admin7601", Role.OFFICE_ADMIN, office)
    row = next(
        k
        for k in dashboard(admin, fiscal_year=FY, scope=scope_for(admin)).kpis
        if k.target.code == "partnerships"
    )
    own = row.current.growth
    if today.month != 9:  # in September the months so far are the whole year
        assert own == pytest.approx(100.0)  # 2 this year against 1 in the same months
    trend = queries.office_trend(office, fiscal_year=FY)
    values = dict((c.code, v) for c, v in trend.rows)["partnerships"]
    assert values[-1][0] == pytest.approx(own)
    board = queries.comparison(above[Role.PROVINCE_INSPECTOR], fiscal_year=FY)
    column = [c.code for c in board.columns].index("partnerships")
    assert board.rows[0].values[column][0] == pytest.approx(own)


def test_a_refresh_runs_in_the_worker_and_reports_progress(
    client, above, geography, django_capture_on_commit_callbacks
):
    obec = above[Role.OBEC_ANALYST]
    client.force_login(obec)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("oversight:refresh"), {"fy": str(FY)})
    assert response.status_code == 302
    refresh = SummaryRefresh.objects.get(requested_by=obec)
    assert refresh.status == "done" and refresh.done == refresh.total == 4
    assert OfficeSummary.objects.filter(fiscal_year=FY).count() == 4
    page = client.get(reverse("oversight:refresh_progress")).content.decode()
    assert "4 เขตพื้นที่" in page


def test_the_office_page_shows_the_trend_and_freshness(client, above, geography):
    office = geography["offices"]["7601"]
    _summary(office, FY - 1, developed=(10, 100))
    _summary(office, FY, developed=(20, 100), data_changed_at=timezone.now() - dt.timedelta(days=3))
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    page = client.get(reverse("oversight:office", args=[office.pk])).content.decode()
    assert "10.0" in page and "20.0" in page
    assert "บุคลากรแก้ไขล่าสุด" in page
    other = geography["offices"]["7602"]
    page = client.get(reverse("oversight:office", args=[other.pk])).content.decode()
    assert "ยังไม่มีข้อมูลสรุป" in page


@pytest.mark.django_db
def test_the_demo_users_above_the_office_are_greeted_by_name(client):
    from oversight.demo import create_oversight_users

    create_oversight_users()
    for username in ("province", "region", "obec"):
        user = User.objects.get(username=username)
        assert user.first_name and user.last_name
        client.force_login(user)
        html = client.get("/", follow=True).content.decode()
        assert user.get_full_name() in html


def test_a_refresh_for_a_far_year_queues_nothing(client, above):
    """?fy=2600 would have filled every office's summary for a year nobody reports on."""
    client.force_login(above[Role.PROVINCE_INSPECTOR])
    response = client.post(reverse("oversight:refresh"), {"fy": "2600"})
    assert response.status_code == 302 and response["Location"] == reverse("oversight:compare")
    assert not SummaryRefresh.objects.exists()
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("ปีงบประมาณ 2600 อยู่นอกช่วงที่บันทึกข้อมูลได้" in m for m in said), said


def test_an_offices_staffing_card_sets_like_against_like(client, above, geography):
    """The card set every school's actual staff (schools without pupils of the year too)
    against the required figure of the computed schools only: 9 / 5 read as a surplus of 4
    where the office's difference is +1. It now shows the computed schools' actual (required
    + surplus − shortage: 6 / 5) and names every school's count beside it."""
    office = geography["offices"]["7601"]
    OfficeSummary.objects.create(
        office=office, fiscal_year=FY, computed_at=timezone.now(), people=9, teachers=9,
        schools=3, staffing_year=FY, staffing_required=5, staffing_actual=9,
        short_positions=1, short_schools=1, surplus_positions=2,
    )  # fmt: skip
    client.force_login(above[Role.OBEC_ANALYST])
    text = client.get(reverse("oversight:office", args=[office.pk]) + f"?fy={FY}")
    text = " ".join(text.content.decode().split())
    assert '<p class="big">6 / 5</p>' in text and '<p class="big">9 / 5</p>' not in text
    assert "มีจริง / ตามเกณฑ์ ในโรงเรียนที่คำนวณได้ (มีจริงทุกโรงเรียน 9)" in text


def test_the_summarys_number_of_schools_leaves_out_closed_ones(office, school, users):
    """How the office stands today counts the schools open today: one closed or merged
    into another before is no longer one of the office's."""
    from registry.actions import close_school

    other = make_school(office, code="76019998", name="โรงเรียนบ้านเล็ก")
    close_school(acting_user=None, school=other, closed_on=dt.date(2025, 5, 16),
                 merged_into=school, reason="นักเรียนน้อย")  # fmt: skip
    later = make_school(office, code="76019997", name="โรงเรียนปิดภายหลัง")
    close_school(acting_user=None, school=later, closed_on=dt.date(2999, 1, 1),
                 merged_into=None, reason="")  # fmt: skip
    current = actions.refresh_office(office, fiscal_year=FY)[-1]
    assert current.schools == 2  # `school` and the one closing only in 2999
