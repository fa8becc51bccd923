import datetime as dt
import threading
from decimal import Decimal as D
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from community import actions, awards, queries, search
from community.models import (
    AwardLevel,
    AwardProgramme,
    AwardRound,
    BestPractice,
    JointActivity,
    Nomination,
    Partner,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Visit,
    VisitStatus,
)
from krupd.lib import thai_dates
from krupd.testing import make_person, make_school, make_user
from registry.models import AuditEntry

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR


# ----------------------------------------------------------------------- award arithmetic


def test_it_computes_a_judges_weighted_total_by_hand():
    criteria = [awards.Criterion(1, D("40"), D("10")), awards.Criterion(2, D("60"), D("20"))]
    # 8/10 × 40 = 32; 15/20 × 60 = 45; (32 + 45) / 100 × 100 = 77.00
    assert awards.judge_total(criteria, {1: D("8"), 2: D("15")}) == D("77.00")
    # Weights need not sum to 100: 10/10 × 1 + 0/20 × 2 = 1 of 3 → 33.33
    crit = [awards.Criterion(1, D("1"), D("10")), awards.Criterion(2, D("2"), D("20"))]
    assert awards.judge_total(crit, {1: D("10"), 2: D("0")}) == D("33.33")


def test_it_ignores_a_judge_who_has_not_scored_every_criterion():
    criteria = [awards.Criterion(1, D("1"), D("10")), awards.Criterion(2, D("1"), D("10"))]
    assert awards.judge_total(criteria, {1: D("9")}) is None
    assert awards.average([D("77.00"), None, D("80.50")]) == D("78.75")
    assert awards.average([D("70"), D("71"), D("71")]) == D("70.67")  # 212 / 3 = 70.666…
    assert awards.average([None]) is None


# -------------------------------------------------------------------------------- fixtures


@pytest.fixture
def programme(office):
    return AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")


@pytest.fixture
def judges(office):
    return [make_user(f"judge{i}", Role.SUPERVISOR, office) for i in (1, 2)]


@pytest.fixture
def award_round(programme, judges, users):
    r = AwardRound.objects.create(
        programme=programme,
        year=2568,
        title="ครูดีในดวงใจ ครั้งที่ 20",
        status=RoundStatus.OPEN,
        winners=1,
        min_score=D("60"),
    )
    actions.save_round(
        acting_user=users[ADMIN],
        round_=r,
        judges=judges,
        criteria=[
            {"name": "ผลงานที่เกิดกับผู้เรียน", "weight": D("40"), "max_score": D("10")},
            {"name": "การเป็นแบบอย่าง", "weight": D("60"), "max_score": D("20")},
        ],
    )
    return r


def _scores(round_, a, b):
    c1, c2 = round_.criteria.all()
    return {c1.pk: D(a), c2.pk: D(b)}


# ---------------------------------------------------------------------- awards: the flow


def test_it_lets_a_director_nominate_only_their_own_school(
    award_round, users, teacher_person, other_teacher
):
    n = actions.nominate(
        acting_user=users[DIRECTOR],
        round_=award_round,
        person=teacher_person,
        work_title="สอนอ่านด้วยนิทาน",
    )
    assert n.source == "school" and n.school == teacher_person.school
    with pytest.raises(actions.CommunityError):
        actions.nominate(
            acting_user=users[DIRECTOR], round_=award_round, person=other_teacher, work_title="x"
        )
    with pytest.raises(actions.CommunityError):  # once per round
        actions.nominate(
            acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="x"
        )


def test_it_allows_self_nomination_only_when_the_round_does(award_round, users, teacher_person):
    with pytest.raises(actions.CommunityError):
        actions.nominate(
            acting_user=users[TEACHER],
            round_=award_round,
            person=teacher_person,
            work_title="ผลงานของฉัน",
        )
    award_round.allow_self = True
    award_round.save()
    n = actions.nominate(
        acting_user=users[TEACHER],
        round_=award_round,
        person=teacher_person,
        work_title="ผลงานของฉัน",
    )
    assert n.source == "self"


def test_a_round_past_its_closing_day_takes_no_nomination(
    client, award_round, users, teacher_person
):
    """The office left the round "open" after the closing day it had announced: a director
    could still nominate the next week. Now the day after closing is refused, naming the
    day in BE, the round page stops offering to nominate, and the closing day itself counts."""
    today = timezone.localdate()
    award_round.closes_on = today
    award_round.save()
    actions.nominate(  # the closing day is the last day nominations are taken
        acting_user=users[DIRECTOR], round_=award_round, person=teacher_person, work_title="ก"
    )
    award_round.closes_on = today - dt.timedelta(days=1)
    award_round.save()
    late = make_person(award_round.programme.office, teacher_person.school, first_name="มาสาย")
    closed = "ปิดรับการเสนอชื่อแล้วเมื่อวันที่ " + thai_dates.format_thai_date(
        award_round.closes_on, style="long"
    )
    with pytest.raises(actions.CommunityError, match=closed):
        actions.nominate(
            acting_user=users[DIRECTOR], round_=award_round, person=late, work_title="ข"
        )
    assert award_round.nominations.count() == 1
    client.force_login(users[DIRECTOR])
    page = client.get(f"/community/awards/rounds/{award_round.pk}/")
    assert page.context["may_nominate"] is False


def test_nominating_oneself_is_a_self_nomination_whatever_the_role(
    award_round, users, school, judges
):
    """A director (or an officer) with a person record put themself forward as "the school"
    in a round closed to self-nominations, and a judge who had been nominated scored their
    own work. Both are now refused."""
    director = users[DIRECTOR]
    director.person = make_person(director.office, school, first_name="ผอ", last_name="ตนเอง")
    director.save()
    with pytest.raises(actions.CommunityError, match="ไม่เปิดให้เสนอตนเอง"):
        actions.nominate(
            acting_user=director, round_=award_round, person=director.person, work_title="ก"
        )
    judge = judges[0]
    judge.person = make_person(judge.office, school, first_name="กรรมการ", last_name="ตนเอง")
    judge.save()
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=judge.person, work_title="ข"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    criterion = award_round.criteria.first()
    with pytest.raises(actions.CommunityError, match="ผลงานของตนเอง"):
        actions.score_nomination(acting_user=judge, nomination=n, scores={criterion.pk: D("5")})
    assert not n.scores.exists()


def test_the_round_form_neither_announces_nor_reopens_results(
    award_round, users, judges, teacher_person
):
    """The round form's status list let the office pick "ประกาศผลแล้ว" (a closed round with no
    results written) or reopen an announced round, whose results and certificates then no
    longer matched. Now the form moves a round only between draft, open and judging, not back
    once judges have scored; announcing is the round page's button."""
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )

    def edit(status):
        round_ = AwardRound.objects.get(pk=award_round.pk)
        round_.status = status
        return actions.save_round(acting_user=users[ADMIN], round_=round_, criteria=None,
                                  judges=None)  # fmt: skip

    with pytest.raises(actions.CommunityError, match="ประกาศผลระดับเขต"):
        edit(RoundStatus.CLOSED)
    edit(RoundStatus.JUDGING)
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
    )
    with pytest.raises(actions.CommunityError, match="กรรมการให้คะแนนแล้ว"):
        edit(RoundStatus.OPEN)
    actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=timezone.localdate()
    )
    with pytest.raises(actions.CommunityError, match="ประกาศผลแล้ว"):
        edit(RoundStatus.JUDGING)
    award_round.refresh_from_db()
    assert award_round.status == RoundStatus.CLOSED
    edit(RoundStatus.CLOSED)  # its other settings still save


def test_it_averages_judges_and_announces_area_results(
    award_round, users, judges, teacher_person, other_teacher
):
    a = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    b = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=other_teacher, work_title="ข"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    # Judge 1: a = 8/10×40 + 15/20×60 = 77; judge 2: a = 10/10×40 + 14/20×60 = 82 → 79.50
    actions.score_nomination(
        acting_user=judges[0], nomination=a, scores=_scores(award_round, 8, 15)
    )
    actions.score_nomination(
        acting_user=judges[1], nomination=a, scores=_scores(award_round, 10, 14)
    )
    # b: judge 1 = 5/10×40 + 10/20×60 = 50 only → 50.00, below the 60 minimum
    actions.score_nomination(
        acting_user=judges[0], nomination=b, scores=_scores(award_round, 5, 10)
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.average, a.judges_scored) == (D("79.50"), 2)
    assert (b.average, b.judges_scored) == (D("50.00"), 1)
    # A judge changing their mind replaces, not adds: judge 1 → a = 10/10×40 + 20/20×60 = 100
    actions.score_nomination(
        acting_user=judges[0], nomination=a, scores=_scores(award_round, 10, 20)
    )
    a.refresh_from_db()
    assert a.average == D("91.00")

    actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=dt.date(2025, 9, 1)
    )
    outcomes = {
        r.nomination_id: r.outcome
        for r in a.round.nominations.model.objects.get(pk=a.pk).results.all()
    }
    assert outcomes == {a.pk: ResultOutcome.WINNER}
    assert b.results.get().outcome == ResultOutcome.NOT_SELECTED
    actions.record_result(
        acting_user=users[ADMIN],
        nomination=a,
        level=AwardLevel.REGION,
        outcome=ResultOutcome.WINNER,
        announced_on=dt.date(2025, 10, 1),
    )
    with pytest.raises(actions.CommunityError):  # not selected at area level
        actions.record_result(
            acting_user=users[ADMIN],
            nomination=b,
            level=AwardLevel.REGION,
            outcome=ResultOutcome.WINNER,
            announced_on=dt.date(2025, 10, 1),
        )
    table = queries.awards_table(award_round.programme.office, year=2568)
    assert [(r[1], r[2], r[3], r[4]) for r in table] == [(2, 1, 1, 0)]


def test_a_result_dated_after_today_or_out_of_level_order_is_refused(
    client, award_round, users, judges, teacher_person
):
    """The result page took any date: a region result announced before the area's (a CE year
    read as BE, day and month swapped) or one "announced" next year was saved and printed on
    the certificate. A result is recorded once announced, area → region → national."""
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 9, 18)
    )
    actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=dt.date(2025, 9, 1)
    )
    client.force_login(users[ADMIN])
    url = f"/community/awards/nominations/{n.pk}/result/"
    form = {"outcome": ResultOutcome.WINNER, "note": ""}
    tomorrow = thai_dates.format_thai_date(timezone.localdate() + dt.timedelta(days=1))
    refusals = [
        ({"level": "region", "announced_on": "01/08/2568"}, "ไม่ก่อนผลระดับเขตพื้นที่ (01/09/2568)"),
        ({"level": "region", "announced_on": tomorrow}, "ยังไม่ถึง"),
    ]
    for typed, refusal in refusals:
        page = client.post(url, {**form, **typed})
        assert page.status_code == 200 and refusal in page.content.decode(), typed
    assert list(n.results.values_list("level", flat=True)) == [AwardLevel.AREA]

    assert (
        client.post(url, {**form, "level": "national", "announced_on": "16/01/2569"}).status_code
        == 302
    )
    page = client.post(url, {**form, "level": "region", "announced_on": "01/02/2569"})
    assert "ไม่หลังผลระดับชาติ (16/01/2569)" in page.content.decode()
    assert (
        client.post(url, {**form, "level": "region", "announced_on": "01/11/2568"}).status_code
        == 302
    )
    assert n.results.get(level=AwardLevel.REGION).announced_on == dt.date(2025, 11, 1)


def test_an_award_manager_does_not_record_the_result_of_her_own_work(
    award_round, users, office, school
):
    """The development officer was nominated herself and could record her own region
    result as a win. Another award manager records it."""
    officer = users[OFFICER]
    officer.person = make_person(office, school, first_name="เจ้าหน้าที่", last_name="ผู้เสนอ")
    officer.save()
    mine = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=officer.person, work_title="ผลงานฉัน"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=dt.date(2025, 9, 1)
    )
    kwargs = {"nomination": mine, "level": AwardLevel.AREA, "outcome": ResultOutcome.WINNER,
              "announced_on": dt.date(2025, 9, 2)}  # fmt: skip
    with pytest.raises(actions.CommunityError, match="ผลงานของตนเองไม่ได้"):
        actions.record_result(acting_user=officer, **kwargs)
    assert mine.results.get().outcome == ResultOutcome.NOT_SELECTED
    actions.record_result(acting_user=users[ADMIN], **kwargs)
    assert mine.results.get().outcome == ResultOutcome.WINNER


def test_it_refuses_scores_out_of_range_or_from_non_judges(
    award_round, users, judges, teacher_person
):
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    with pytest.raises(actions.CommunityError):  # not judging yet
        actions.score_nomination(
            acting_user=judges[0], nomination=n, scores=_scores(award_round, 1, 1)
        )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    with pytest.raises(actions.CommunityError):
        actions.score_nomination(
            acting_user=judges[0], nomination=n, scores=_scores(award_round, 11, 1)
        )
    with pytest.raises(actions.CommunityError):
        actions.score_nomination(
            acting_user=users[ADMIN], nomination=n, scores=_scores(award_round, 1, 1)
        )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_the_average_right_when_judges_score_at_the_same_moment(office, school):
    """Several judges submit for one nomination at once; the stored average must include
    every judge (the row lock makes them take turns instead of overwriting each other)."""
    admin = make_user("admin-c", Role.OFFICE_ADMIN, office)
    judges = [make_user(f"cj{i}", Role.SUPERVISOR, office) for i in range(6)]
    programme = AwardProgramme.objects.create(office=office, name="OBEC AWARDS", organiser="สพฐ.")
    r = AwardRound.objects.create(
        programme=programme, year=2568, title="OBEC", status=RoundStatus.OPEN
    )
    actions.save_round(
        acting_user=admin,
        round_=r,
        judges=judges,
        criteria=[{"name": "ก", "weight": D("1"), "max_score": D("100")}],
    )
    person = make_person(office, school)
    n = actions.nominate(acting_user=admin, round_=r, person=person, work_title="ผลงาน")
    AwardRound.objects.filter(pk=r.pk).update(status=RoundStatus.JUDGING)
    criterion = r.criteria.get()
    barrier = threading.Barrier(len(judges))
    errors = []

    def judge_scores(judge, value):
        try:
            barrier.wait()
            actions.score_nomination(
                acting_user=judge, nomination=n, scores={criterion.pk: D(value)}
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    values = [60, 70, 80, 90, 100, 50]
    threads = [
        threading.Thread(target=judge_scores, args=(j, v))
        for j, v in zip(judges, values, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    n.refresh_from_db()
    assert n.judges_scored == 6
    assert n.average == D("75.00")  # (60+70+80+90+100+50) / 6


# --------------------------------------------------------------------------- Thai search


def _practice(office, user, title, summary, status=PracticeStatus.PUBLISHED, tags=""):
    p = BestPractice(
        office=office, title=title, summary=summary, year=2568, status=status, tags=tags
    )
    return actions.save_practice(acting_user=user, practice=p, owners=[])


def test_it_finds_a_thai_document_by_a_word_inside_a_compound(office, users):
    admin = users[ADMIN]
    doc = _practice(
        office, admin, "การจัดการเรียนรู้เชิงรุกวิชาคณิตศาสตร์", "นักเรียนชั้นประถมศึกษาปีที่ ๖ ฝึกแก้โจทย์ปัญหาเป็นกลุ่ม"
    )
    other = _practice(office, admin, "ห้องสมุดมีชีวิต", "ส่งเสริมนิสัยรักการอ่าน")
    rows = BestPractice.objects.all()
    assert list(search.search(rows, "เรียนรู้")) == [doc]  # inside "การเรียนรู้"
    assert list(search.search(rows, "ศาสตร์")) == [doc]  # inside "คณิตศาสตร์"
    # A query typed without spaces is segmented into words that need not be adjacent.
    assert list(search.search(rows, "สอนคณิตศาสตร์เชิงรุก")) == [doc]
    assert list(search.search(rows, "โจทย์ปัญหา 6")) == [doc]  # ๖ in the text is indexed as 6
    assert list(search.search(rows, "รักการอ่าน")) == [other]
    assert set(search.search(rows, "")) == {doc, other}


def test_it_shows_published_practices_to_every_teacher_and_drafts_only_to_owners(
    office, users, teacher_person, other_teacher
):
    admin = users[ADMIN]
    published = _practice(office, admin, "ผลงานเผยแพร่", "สรุป")
    draft = BestPractice(office=office, title="ร่างของสมชาย", summary="ร่าง", year=2568)
    actions.save_practice(acting_user=admin, practice=draft, owners=[other_teacher])
    mine = BestPractice(office=office, title="ร่างของฉัน", summary="ร่าง", year=2568)
    actions.save_practice(acting_user=admin, practice=mine, owners=[teacher_person])
    seen = set(queries.practices_visible_to(users[TEACHER]))
    assert seen == {published, mine}


# ------------------------------------------------------------------------------------ PLC


@pytest.fixture
def plc_group(office, school, users, teacher_person):
    facilitator = make_person(office, school, first_name="วิไล", last_name="นำทาง")
    group = PLCGroup(
        office=office,
        level=PLCLevel.SCHOOL,
        school=school,
        name="PLC อ่านออกเขียนได้",
        topic="นักเรียน ป.1 อ่านไม่คล่อง",
        facilitator=facilitator,
        academic_year=2568,
    )
    return actions.save_plc_group(
        acting_user=users[DIRECTOR], group=group, members=[teacher_person]
    )


def test_it_counts_plc_hours_for_every_attendee_in_the_fiscal_year(
    plc_group, users, teacher_person
):
    for date, hours in (
        (dt.date(2024, 9, 30), "9"),
        (dt.date(2024, 10, 1), "2.5"),
        (dt.date(2025, 9, 30), "3"),
    ):
        actions.log_plc_meeting(
            acting_user=users[TEACHER],
            attendees=[teacher_person],
            meeting=PLCMeeting(group=plc_group, date=date, hours=D(hours), problem="อ่านไม่คล่อง"),
        )
    # FY2568 = 1 Oct 2567 (2024) – 30 Sep 2568 (2025): 2.5 + 3
    assert queries.plc_hours(teacher_person, fiscal_year=2568) == D("5.5")
    assert queries.plc_hours(teacher_person, fiscal_year=2567) == D("9")
    assert queries.plc_hours(plc_group.facilitator, fiscal_year=2568) == D("0")
    rows = queries.plc_activity(users[ADMIN], fiscal_year=2568)
    assert [(r.groups, r.meetings, r.hours) for r in rows] == [(1, 2, D("5.5"))]


def test_plc_activity_counts_the_fiscal_years_groups_and_each_member_once(
    office, school, users, teacher_person
):
    """FY2569 (1 Oct 2568 – 30 Sep 2569) holds academic years 2568 and 2569. The school's row
    counts their groups (met in the year or not) and each member once, however many of its
    groups she is in: a group of 2565 that met in 2566 is not a group of 2569 (the table
    counted every group the school ever had, 3 groups and 4 members here)."""
    colleague = make_person(office, school, first_name="มาลี", last_name="ร่วมกลุ่ม")
    former = make_person(office, school, first_name="สุดา", last_name="รุ่นก่อน")

    def group(year, members, name):
        g = PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name=name,
                     topic="อ่านไม่คล่อง", facilitator=teacher_person, academic_year=year)  # fmt: skip
        g.save()
        g.members.set(members)
        return g

    this_year = group(2568, [teacher_person, colleague], "PLC อ่านออก")
    group(2569, [teacher_person], "PLC เขียนคล่อง")  # formed, no meeting yet
    old = group(2565, [former], "PLC รุ่นก่อน")
    actions.log_plc_meeting(
        acting_user=users[OFFICER], attendees=[teacher_person, colleague],
        meeting=PLCMeeting(group=this_year, date=dt.date(2025, 12, 1), hours=D("3"), problem="อ่าน"),
    )  # fmt: skip
    PLCMeeting.objects.create(group=old, date=dt.date(2023, 1, 9), hours=D("2"), problem="อ่าน")
    rows = queries.plc_activity(users[OFFICER], fiscal_year=2569)
    assert [(r.label, r.groups, r.members, r.meetings, r.hours) for r in rows] == [
        (school.name, 2, 2, 1, D("3"))
    ]


def test_plc_activity_counts_everyone_who_reached_the_target_in_a_row(
    office, school, other_school, users, teacher_person, client_for
):
    """People reaching the hour target are counted in the row of their school. A teacher of
    another school who reached it in this school's group, and an office supervisor in an
    office-level group, had no row of their own and were in no figure: the card read 1 of the
    3 who reached it. Their school (and the office's own staff) now has a row."""
    rules = queries.rules_for(office)
    rules.plc_hour_target = D("5")
    rules.save()
    visitor = make_person(office, other_school, first_name="มานี", last_name="ต่างโรง")
    supervisor = make_person(office, None, first_name="ศน", last_name="ประจำเขต",
                             personnel_type="supervisor", position="ศึกษานิเทศก์")  # fmt: skip
    groups = []
    for level, where, members in (
        (PLCLevel.SCHOOL, {"school": school}, [teacher_person, visitor]),
        (PLCLevel.OFFICE, {}, [supervisor]),
    ):
        g = PLCGroup(office=office, level=level, name=f"PLC {level}", topic="อ่าน",
                     facilitator=members[0], academic_year=2568, **where)  # fmt: skip
        groups.append(actions.save_plc_group(acting_user=users[OFFICER], group=g, members=members))
    for g, people in ((groups[0], [teacher_person, visitor]), (groups[1], [supervisor])):
        actions.log_plc_meeting(
            acting_user=users[OFFICER], attendees=people,
            meeting=PLCMeeting(group=g, date=dt.date(2025, 12, 1), hours=D("6"), problem="อ่าน"),
        )  # fmt: skip
    rows = queries.plc_activity(users[OFFICER], fiscal_year=2569)
    assert sorted((r.label, r.groups, r.members, r.reached_target) for r in rows) == sorted([
        (school.name, 1, 2, 1), (other_school.name, 0, 0, 1), (office.name, 1, 1, 1),
    ])  # fmt: skip
    page = client_for(OFFICER).get("/community/plc/activity/", {"fy": "2569"}).content.decode()
    assert '<div class="big">3</div>คนที่ถึงเป้า' in page


def test_plc_pages_write_hours_as_the_office_does(client_for, plc_group, users, teacher_person):
    for date, hours in ((dt.date(2024, 10, 1), "2.5"), (dt.date(2025, 9, 30), "3")):
        actions.log_plc_meeting(
            acting_user=users[TEACHER],
            attendees=[teacher_person],
            meeting=PLCMeeting(group=plc_group, date=date, hours=D(hours), problem="อ่านไม่คล่อง"),
        )
    mine = client_for(TEACHER).get("/community/plc/?fy=2568").content.decode()
    assert '<b id="my-plc-hours">5.5</b> ชั่วโมง (เป้าหมาย 50 ชั่วโมง)' in mine
    detail = client_for(DIRECTOR).get(f"/community/plc/{plc_group.pk}/").content.decode()
    assert "5.5 ชั่วโมง (2 ครั้ง)" in detail and "· 3 ชั่วโมง ·" in detail
    activity = client_for(ADMIN).get("/community/plc/activity/?fy=2568").content.decode()
    assert '<div class="big">5.5</div>' in activity
    for page in (mine, detail, activity):
        assert "3.0" not in page and "5.50" not in page


def test_a_new_plc_group_starts_in_the_offices_academic_year(client_for, office, monkeypatch):
    """The new-group form took its academic year from 16 May whatever the office had set: an
    office whose term 1 opens on 1 June got next year's groups from 16 May. It now follows
    the office's term-1 opening (the same one the supervision terms use)."""
    rules = queries.rules_for(office)
    rules.term_one_opens = "01/06"
    rules.save()
    client = client_for(SUPERVISOR)
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 5, 20))
    assert client.get("/community/plc/new/").context["form"]["academic_year"].value() == 2568
    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 6, 1))
    assert client.get("/community/plc/new/").context["form"]["academic_year"].value() == 2569


def test_it_refuses_attendees_outside_the_group(plc_group, users, other_teacher):
    with pytest.raises(actions.CommunityError):
        actions.log_plc_meeting(
            acting_user=users[ADMIN],
            attendees=[other_teacher],
            meeting=PLCMeeting(group=plc_group, date=dt.date(2025, 1, 1), hours=D("1")),
        )


def test_it_lets_only_members_and_managers_log_plc(client, plc_group, users, other_office):
    url = f"/community/plc/{plc_group.pk}/log/"
    for role in (TEACHER, DIRECTOR, ADMIN):
        client.force_login(users[role])
        assert client.get(url).status_code == 200, role
    client.force_login(users[INSPECTOR])
    assert client.get(url).status_code == 404  # inspectors never see a group's people
    outsider = make_user(
        "t-other",
        TEACHER,
        plc_group.office,
        person=make_person(plc_group.office, None, first_name="นอก"),
    )
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_my_plc_hours_are_the_transcripts_plc_hours(
    client, plc_group, users, teacher_person, office
):
    """The PLC page's "my PLC hours" and the PLC overview's "reached the target" count what
    her transcript and PA pack count as PLC: meetings attended plus passed courses run as PLC
    (each once); a workshop or a course of another year is not PLC of this year."""
    from training.models import Course, Enrolment, Session
    from training.queries import transcript

    actions.log_plc_meeting(
        acting_user=users[TEACHER],
        meeting=PLCMeeting(group=plc_group, date=dt.date(2025, 11, 20), hours=D("2.5")),
        attendees=[teacher_person],
    )
    for mode, hours, year in (("plc", "6", 2569), ("workshop", "12", 2569), ("plc", "9", 2568)):
        course = Course.objects.create(
            office=office, title=f"หลักสูตร {mode} {year}", mode=mode, hours=D(hours),
            fiscal_year=year,
        )  # fmt: skip
        day = dt.date(year - 543, 1, 12)  # January of that fiscal year
        session = Session.objects.create(course=course, start_date=day, end_date=day, capacity=5)
        Enrolment.objects.create(
            course=course, session=session, person=teacher_person, status="enrolled",
            source="office", passed=True, hours_credited=D(hours),
        )  # fmt: skip
    record = transcript(teacher_person, fiscal_year=2569, target=D("20"))
    assert record.hours_by_type["plc"] == D("8.5")
    assert queries.plc_hours(teacher_person, fiscal_year=2569) == D("8.5")
    client.force_login(users[TEACHER])
    page = client.get("/community/plc/", {"fy": "2569"}).content.decode()
    assert '<b id="my-plc-hours">8.5</b>' in page
    assert client.get("/community/plc/activity/", {"fy": "2569"}).status_code == 403
    rules = queries.rules_for(office)
    rules.plc_hour_target = D("8")
    rules.save()
    client.force_login(users[DIRECTOR])
    rows = queries.plc_activity(users[DIRECTOR], fiscal_year=2569)
    assert sum(r.reached_target for r in rows) == 1  # 8.5 of 8: 2.5 alone would not reach it
    assert client.get("/community/plc/activity/", {"fy": "2569"}).status_code == 200


def test_a_member_who_left_still_opens_the_meetings_she_attended(
    client, plc_group, users, teacher_person, office, other_school
):
    """Her hours, transcript and PA pack keep the meetings she attended and link to the
    group's page: leaving the group must not turn those links into "not found". She may no
    longer log meetings; a teacher who never attended still sees nothing; the director of
    another school whose teacher attended sees the group as well."""
    other_teacher = make_person(office, other_school, first_name="มานี", last_name="มีนา")
    actions.save_plc_group(
        acting_user=users[ADMIN], group=plc_group, members=[teacher_person, other_teacher]
    )
    actions.log_plc_meeting(
        acting_user=users[TEACHER],
        meeting=PLCMeeting(group=plc_group, date=dt.date(2025, 11, 20), hours=D("2")),
        attendees=[teacher_person, other_teacher],
    )
    actions.save_plc_group(acting_user=users[ADMIN], group=plc_group, members=[])
    page, log = f"/community/plc/{plc_group.pk}/", f"/community/plc/{plc_group.pk}/log/"
    client.force_login(users[TEACHER])
    assert client.get(page).status_code == 200
    assert client.get(log).status_code == 403
    assert queries.plc_hours(teacher_person, fiscal_year=2569) == D("2")
    other_director = make_user("director-2", DIRECTOR, office, school=other_school)
    client.force_login(other_director)
    assert client.get(page).status_code == 200
    never = make_user(
        "t-never", TEACHER, office, person=make_person(office, other_school, first_name="ไม่เคย")
    )
    client.force_login(never)
    assert client.get(page).status_code == 404
    third_school = make_school(office, code="1076010009", name="โรงเรียนบ้านไกล")
    director_elsewhere = make_user("director-3", DIRECTOR, office, school=third_school)
    client.force_login(director_elsewhere)
    assert client.get(page).status_code == 404


def test_it_logs_a_plc_meeting_through_the_page(client, plc_group, users, teacher_person):
    client.force_login(users[TEACHER])
    response = client.post(
        f"/community/plc/{plc_group.pk}/log/",
        {
            "date": "15/11/2567",
            "hours": "๒",
            "problem": "อ่านไม่คล่อง",
            "plan": "ฝึกอ่านวันละ 10 นาที",
            "action": "",
            "observation": "",
            "reflection": "",
            "attendees": [teacher_person.pk],
        },
    )
    assert response.status_code == 302
    assert queries.plc_hours(teacher_person, fiscal_year=2568) == D("2")
    # The audit log names the meeting's day in the Buddhist Era (it showed "2024-11-15").
    entry = AuditEntry.objects.get(object_type="plcmeeting")
    assert entry.object_label == f"PLC {plc_group.name} 15 พ.ย. 2567"


# ------------------------------------------------------------------- visits and partners


def test_it_lists_schools_not_visited_this_term(office, school, other_school, users):
    rules = queries.rules_for(office)
    label, start, end = queries.current_term(dt.date(2025, 6, 20), rules)
    assert (label, start, end) == ("ภาคเรียนที่ 1/2568", dt.date(2025, 5, 16), dt.date(2025, 10, 31))
    assert queries.current_term(dt.date(2026, 1, 5), rules)[0] == "ภาคเรียนที่ 2/2568"
    Visit.objects.create(
        office=office,
        school=school,
        kind="supervision",
        status=VisitStatus.DONE,
        date=dt.date(2025, 6, 1),
        visitor_name="ศน.",
        focus="การอ่าน",
    )
    Visit.objects.create(
        office=office,
        school=other_school,
        kind="supervision",
        status=VisitStatus.PLANNED,
        date=dt.date(2025, 7, 1),
        visitor_name="ศน.",
        focus="การอ่าน",
    )
    visited, not_visited = queries.coverage(users[SUPERVISOR], start=start, end=end)
    assert (visited, not_visited) == ([school], [other_school])
    upcoming = queries.upcoming_visits(users[SUPERVISOR], today=dt.date(2025, 6, 20))
    assert [(d, s.school) for d, _, s in upcoming] == [(dt.date(2025, 7, 1), other_school)]


def test_upcoming_visits_list_appointments_and_agreed_next_visits_in_one_query(
    office, school, other_school, users, django_assert_num_queries
):
    common = {"office": office, "kind": "supervision", "visitor_name": "ศน.", "focus": "การอ่าน"}
    Visit.objects.create(school=school, status=VisitStatus.DONE, date=dt.date(2025, 6, 1),
                         next_visit=dt.date(2025, 7, 10), **common)  # fmt: skip
    Visit.objects.create(school=other_school, status=VisitStatus.PLANNED,
                         date=dt.date(2025, 7, 1), **common)  # fmt: skip
    Visit.objects.create(
        school=school,
        status=VisitStatus.DONE,
        date=dt.date(2025, 5, 1),
        next_visit=dt.date(2025, 6, 1),
        **common,
    )  # fmt: skip (already past)
    with django_assert_num_queries(1):
        upcoming = queries.upcoming_visits(users[SUPERVISOR], today=dt.date(2025, 6, 20))
        rows = [(day, what, v.school) for day, what, v in upcoming]
    assert rows == [
        (dt.date(2025, 7, 1), "นัดหมาย", other_school),
        (dt.date(2025, 7, 10), "นัดครั้งต่อไป", school),
    ]


def test_it_measures_partnership_growth_against_the_target(office):
    partner = Partner.objects.create(
        office=office, name="มหาวิทยาลัยราชภัฏเพชรบุรี", kind="university", since=dt.date(2023, 1, 1)
    )
    for date in (
        [dt.date(2023, 11, 1)] * 10 + [dt.date(2024, 11, 1)] * 13 + [dt.date(2025, 11, 1)] * 14
    ):
        JointActivity.objects.create(
            office=office,
            partner=partner,
            date=date,
            title="ค่าย",
            cash=D("1000"),
            in_kind_value=D("500"),
        )
    rows = queries.partnership_growth(office)
    assert [(r.fiscal_year, r.activities, r.growth_pct, r.met_target) for r in rows] == [
        (2567, 10, None, None),
        (2568, 13, 30.0, True),
        (2569, 14, pytest.approx(7.69, 0.01), False),
    ]
    assert rows[0].resources == D("15000")


def test_the_partnership_target_is_the_offices_kpi_target(office, users):
    """One definition: the office's KPI target (targets page) is what the partners page and
    the dashboard compare with; there is no second setting."""
    from reporting.actions import save_office_target
    from reporting.queries import PARTNERSHIP_GROWTH, target_for

    assert queries.partnership_target(office) == D("30")
    save_office_target(acting_user=users[ADMIN], code=PARTNERSHIP_GROWTH, target=D("5"))
    assert queries.partnership_target(office) == D("5")
    assert target_for(office, PARTNERSHIP_GROWTH).target == D("5")
    partner = Partner.objects.create(
        office=office, name="อบจ.", kind="local_gov", since=dt.date(2023, 1, 1)
    )
    for date in [dt.date(2024, 11, 1)] * 13 + [dt.date(2025, 11, 1)] * 14:
        JointActivity.objects.create(office=office, partner=partner, date=date, title="ค่าย")
    last = queries.partnership_growth(office, today=dt.date(2026, 10, 5))[-1]
    assert (last.fiscal_year, last.met_target) == (2569, True)
    assert last.basis == "เทียบกับทั้งปีงบประมาณ 2568"


# ------------------------------------------------------------------- every page, two roles


@pytest.fixture
def world(office, school, users, plc_group, award_round, teacher_person, network):
    visit = Visit.objects.create(
        office=office,
        school=school,
        kind="coaching",
        date=dt.date(2025, 6, 1),
        visitor_name="ศน.",
        focus="การอ่าน",
        visitor=users[SUPERVISOR],
    )
    partner = Partner.objects.create(
        office=office, name="อบต.หนองไผ่", kind="local_gov", since=dt.date(2024, 1, 1)
    )
    practice = _practice(office, users[ADMIN], "ผลงาน", "สรุป")
    nomination = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    return {
        "visit": visit,
        "partner": partner,
        "practice": practice,
        "nomination": nomination,
        "group": plc_group,
        "round": award_round,
        "network": network,
    }


PAGES = [
    # url, a role that may open it, a role that must be refused (403/404)
    ("/community/", TEACHER, None),
    ("/community/plc/", TEACHER, None),
    ("/community/plc/new/", DIRECTOR, TEACHER),
    ("/community/plc/activity/", INSPECTOR, TEACHER),
    ("/community/plc/{group}/", DIRECTOR, INSPECTOR),
    ("/community/plc/{group}/edit/", DIRECTOR, TEACHER),
    ("/community/visits/", DIRECTOR, None),
    ("/community/visits/", INSPECTOR, None),
    ("/community/visits/new/", SUPERVISOR, DIRECTOR),
    ("/community/visits/coverage/", INSPECTOR, DIRECTOR),
    ("/community/visits/{visit}/", DIRECTOR, TEACHER),
    ("/community/visits/{visit}/edit/", SUPERVISOR, DIRECTOR),
    ("/community/visits/{visit}/edit/", ADMIN, OFFICER),  # another recorder of the office
    ("/community/networks/", DIRECTOR, TEACHER),
    ("/community/networks/{network}/", INSPECTOR, TEACHER),
    ("/community/networks/{network}/edit/", OFFICER, SUPERVISOR),
    ("/community/networks/{network}/add/goal/", OFFICER, DIRECTOR),
    ("/community/partners/", INSPECTOR, TEACHER),
    ("/community/partners/new/", OFFICER, INSPECTOR),
    ("/community/partners/{partner}/", SUPERVISOR, TEACHER),
    ("/community/partners/{partner}/add/mou/", ADMIN, SUPERVISOR),
    ("/community/partners/{partner}/add/activity/", ADMIN, DIRECTOR),
    ("/community/awards/", TEACHER, None),
    ("/community/awards/table/", INSPECTOR, None),
    ("/community/awards/table/?format=xlsx", OFFICER, None),
    ("/community/awards/rounds/new/", OFFICER, DIRECTOR),
    ("/community/awards/rounds/{round}/", TEACHER, None),
    ("/community/awards/rounds/{round}/edit/", ADMIN, SUPERVISOR),
    ("/community/awards/rounds/{round}/nominate/", DIRECTOR, TEACHER),
    ("/community/awards/nominations/{nomination}/result/", ADMIN, DIRECTOR),
    ("/community/awards/nominations/{nomination}/score/", None, ADMIN),
    ("/community/practices/", TEACHER, None),
    ("/community/practices/?q=ผลงาน", INSPECTOR, None),
    ("/community/practices/new/", TEACHER, INSPECTOR),
    ("/community/practices/{practice}/", TEACHER, None),
    ("/community/practices/{practice}/edit/", SUPERVISOR, TEACHER),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_it_opens_each_page_for_an_allowed_role_and_refuses_another(
    client, users, world, url, allowed, refused
):
    url = url.format(**{k: v.pk for k, v in world.items()})
    if allowed:
        client.force_login(users[allowed])
        response = client.get(url)
        assert response.status_code == 200, (url, allowed)
    if refused:
        client.force_login(users[refused])
        assert client.get(url).status_code in (403, 404), (url, refused)


def test_it_refuses_other_offices_objects(client, world, other_office):
    outsider = make_user("admin-other", ADMIN, other_office)
    client.force_login(outsider)
    for key, path in (
        ("group", "plc"),
        ("visit", "visits"),
        ("partner", "partners"),
        ("round", "awards/rounds"),
        ("practice", "practices"),
    ):
        assert client.get(f"/community/{path}/{world[key].pk}/").status_code == 404, key


def test_the_area_results_are_decided_by_an_award_manager_only_and_by_post(
    client, world, judges, users
):
    round_ = world["round"]
    round_.status = RoundStatus.JUDGING
    round_.save()
    actions.score_nomination(
        acting_user=judges[0], nomination=world["nomination"], scores=_scores(round_, 9, 18)
    )
    url = f"/community/awards/rounds/{round_.pk}/decide/"
    client.force_login(users[TEACHER])
    assert client.post(url).status_code in (403, 404)
    client.force_login(users[SUPERVISOR])
    assert client.post(url).status_code in (403, 404)
    assert not world["nomination"].results.exists()
    client.force_login(users[OFFICER])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert world["nomination"].results.get().outcome == ResultOutcome.WINNER
    client.post(url)  # a second click announces nothing twice
    assert world["nomination"].results.count() == 1


def test_it_scores_through_the_page_as_a_judge(client, world, judges):
    round_ = world["round"]
    round_.status = RoundStatus.JUDGING
    round_.save()
    c1, c2 = round_.criteria.all()
    client.force_login(judges[0])
    url = f"/community/awards/nominations/{world['nomination'].pk}/score/"
    assert client.post(url, {f"c{c1.pk}": "8", f"c{c2.pk}": "15"}).status_code == 302
    assert Nomination.objects.get(pk=world["nomination"].pk).average == D("77.00")
    assert AuditEntry.objects.filter(object_type="nomination", actor=judges[0]).exists()


def test_it_publishes_a_practice_only_as_a_reviewer(client, users, office):
    draft = BestPractice(
        office=office, title="ร่าง", summary="ร่าง", year=2568, status=PracticeStatus.SUBMITTED
    )
    actions.save_practice(acting_user=users[ADMIN], practice=draft, owners=[])
    client.force_login(users[DIRECTOR])
    assert client.post(f"/community/practices/{draft.pk}/publish/").status_code in (403, 404)
    client.force_login(users[SUPERVISOR])
    assert client.post(f"/community/practices/{draft.pk}/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == PracticeStatus.PUBLISHED


def test_a_reviewer_does_not_publish_their_own_practice(client, users, office, school):
    """A supervisor who is one of a practice's owners published it to every teacher with no
    one else reviewing it. Now the page offers no publish button to an owner and a posted
    publish is refused in Thai; another supervisor publishes it, and the owner may still
    withdraw it."""
    from krupd.testing import make_user

    supervisor = users[SUPERVISOR]
    supervisor.person = make_person(office, school, first_name="ศน", last_name="เจ้าของ")
    supervisor.save()
    mine = BestPractice(office=office, title="นิทานพาอ่าน", summary="ย่อ", year=2568,
                        status=PracticeStatus.SUBMITTED)  # fmt: skip
    actions.save_practice(acting_user=supervisor, practice=mine, owners=[supervisor.person])
    client.force_login(supervisor)
    assert client.get(f"/community/practices/{mine.pk}/").context["may_publish"] is False
    page = client.post(f"/community/practices/{mine.pk}/publish/", follow=True)
    assert "เผยแพร่ผลงานของตนเองไม่ได้" in page.content.decode()
    mine.refresh_from_db()
    assert mine.status == PracticeStatus.SUBMITTED
    client.force_login(make_user("supervisor2", Role.SUPERVISOR, office))
    assert client.post(f"/community/practices/{mine.pk}/publish/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == PracticeStatus.PUBLISHED
    client.force_login(supervisor)  # withdrawing one's own stays open
    assert client.get(f"/community/practices/{mine.pk}/").context["may_publish"] is True
    client.post(f"/community/practices/{mine.pk}/publish/", {"publish": "0"})
    mine.refresh_from_db()
    assert mine.status == PracticeStatus.SUBMITTED


def test_a_reviewer_does_not_publish_their_own_practice_through_the_form(
    client, users, office, school, teacher_person
):
    """The publish button refused an owner, but the form's status box did not: a supervisor
    added her own work with status "published" and every teacher saw it unreviewed."""
    supervisor = users[SUPERVISOR]
    supervisor.person = make_person(office, school, first_name="ศน", last_name="เจ้าของ")
    supervisor.save()
    client.force_login(supervisor)
    data = {"title": "นิทานพาอ่าน", "owners": [supervisor.person.pk], "school": school.pk,
            "year": "2568", "summary": "ย่อ", "status": "published", "level": "school"}  # fmt: skip
    response = client.post("/community/practices/new/", data)
    assert "เผยแพร่ผลงานของตนเองไม่ได้" in response.content.decode(), response.context["form"].errors
    assert not BestPractice.objects.exists()
    assert (
        client.post("/community/practices/new/", {**data, "status": "submitted"}).status_code == 302
    )
    mine = BestPractice.objects.get()
    edit = f"/community/practices/{mine.pk}/edit/"
    assert "เผยแพร่ผลงานของตนเองไม่ได้" in client.post(edit, data).content.decode()
    mine.refresh_from_db()
    assert mine.status == PracticeStatus.SUBMITTED
    # Someone else's work she may publish from the form.
    other = {**data, "owners": [teacher_person.pk], "title": "งานของเพื่อนครู"}
    assert client.post("/community/practices/new/", other).status_code == 302
    assert BestPractice.objects.get(title="งานของเพื่อนครู").status == PracticeStatus.PUBLISHED


# ------------------------------------------------------------------- awards table: year


def test_the_awards_table_opens_on_the_latest_year_with_results(client, users, programme):
    from django.utils import timezone

    from krupd.lib import thai_dates

    current = thai_dates.be_year(timezone.localdate())
    assert queries.default_awards_year(programme.office, current=current) == current  # nothing
    old = AwardRound.objects.create(programme=programme, year=current - 2, title="เก่า")
    AwardRound.objects.create(programme=programme, year=current - 1, title="ไม่มีผล")
    AwardRound.objects.create(programme=programme, year=current, title="ปีนี้ ยังไม่ประกาศ")
    n = Nomination.objects.create(
        round=old, person=make_person(programme.office, None), source="office", work_title="ก"
    )
    n.results.create(level=AwardLevel.AREA, outcome=ResultOutcome.WINNER, announced_on="2020-01-01")
    client.force_login(users[TEACHER])
    response = client.get("/community/awards/table/")
    assert response.context["year"] == current - 2
    assert client.get(f"/community/awards/table/?year={current}").context["year"] == current
    # Once this year has a result, the table opens on it.
    this_year = AwardRound.objects.get(year=current)
    n2 = Nomination.objects.create(
        round=this_year, person=n.person, source="office", work_title="ข"
    )
    n2.results.create(
        level=AwardLevel.AREA, outcome=ResultOutcome.WINNER, announced_on="2020-01-01"
    )
    assert client.get("/community/awards/table/").context["year"] == current


# ----------------------------------------------------------- visits: course follow-up link


def test_the_migration_links_visits_to_courses_and_keeps_the_text(office, other_office, school):
    import importlib

    from django.apps import apps

    from training.models import Course

    migration = importlib.import_module("community.migrations.0002_visit_course")
    mine = Course.objects.create(
        office=office, title="Active Learning", mode="workshop", hours=D("6"), fiscal_year=2568
    )
    theirs = Course.objects.create(
        office=other_office, title="Coding", mode="workshop", hours=D("6"), fiscal_year=2568
    )

    def visit(text):
        return Visit.objects.create(
            office=office,
            school=school,
            kind="follow_up",
            date=dt.date(2025, 6, 1),
            visitor_name="ศน.",
            focus="ติดตามผล",
            course_ref=text,
        )

    by_title, by_id, foreign, unknown = (
        visit(" active learning "),
        visit(f"#{mine.pk}"),
        visit(str(theirs.pk)),
        visit("อบรมเมื่อปีที่แล้ว"),
    )
    migration.link_courses(apps, None)
    for v, course in ((by_title, mine), (by_id, mine), (foreign, None), (unknown, None)):
        text = v.course_ref
        v.refresh_from_db()
        assert (v.course, v.course_ref) == (course, text)


def test_a_visit_records_the_course_it_follows_up(client, users, office, other_office, school):
    from training.models import Course

    course = Course.objects.create(
        office=office, title="Active Learning", mode="workshop", hours=D("6"), fiscal_year=2568
    )
    foreign = Course.objects.create(
        office=other_office, title="Coding", mode="workshop", hours=D("6"), fiscal_year=2568
    )
    client.force_login(users[SUPERVISOR])
    data = {
        "school": school.pk,
        "kind": "follow_up",
        "status": "done",
        "date": "01/06/2568",
        "visitor_name": "ศน.สมใจ",
        "focus": "การนำ Active Learning ไปใช้",
        "course": foreign.pk,
    }
    assert client.post("/community/visits/new/", data).status_code == 200  # not a choice
    response = client.post("/community/visits/new/", {**data, "course": course.pk})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.course == course
    assert "Active Learning" in client.get(f"/community/visits/{visit.pk}/").content.decode()
    assert AuditEntry.objects.filter(object_type="visit", changes__has_key="course").exists()


def test_a_follow_up_visit_dated_before_its_course_began_is_refused(client, users, office, school):
    """A visit recorded as following up a course whose first session was weeks later (a CE
    year read as BE, the wrong course picked) counted as that course's follow-up."""
    from training.models import Course, Session

    course = Course.objects.create(
        office=office, title="Active Learning", mode="workshop", hours=D("6"), fiscal_year=2568
    )
    day = dt.date(2025, 6, 10)
    Session.objects.create(course=course, start_date=day, end_date=day, capacity=5)
    client.force_login(users[SUPERVISOR])
    data = {"school": school.pk, "kind": "follow_up", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.สมใจ", "focus": "ติดตามผล", "course": course.pk}  # fmt: skip
    page = client.post("/community/visits/new/", data)
    assert page.status_code == 200
    assert "ก่อนหลักสูตร “Active Learning” เริ่ม (10/06/2568)" in page.content.decode()
    assert not Visit.objects.exists()
    assert client.post("/community/visits/new/", {**data, "date": "10/06/2568"}).status_code == 302


def test_the_visit_form_finds_the_course_by_search_and_year_and_keeps_the_one_named(
    client, users, office, other_office, school
):
    """The course is chosen with the picker (not a drop-down of thousands): the newest year's
    courses first, drafts and other offices' never, a search by title and a fiscal-year menu;
    an older course may be chosen and saved, and the visit's edit form shows it chosen."""
    from training.models import Course

    def course(title, fy, status="open", office=office):
        return Course.objects.create(office=office, title=title, mode="workshop",
                                     hours=D("6"), fiscal_year=fy, status=status)  # fmt: skip

    today = timezone.localdate()
    fy = thai_dates.fiscal_year(today)
    this, last = course("การสอนเชิงรุก ปีนี้", fy), course("โค้ดดิ้ง ปีก่อน", fy - 1)
    old = course("การสอนเชิงรุก เก่า", fy - 2)
    draft, foreign = course("ร่าง", fy, status="draft"), course("นอกเขต", fy, office=other_office)
    client.force_login(users[SUPERVISOR])
    page = client.get("/community/visits/new/").content.decode()
    for c in (this, last, old):
        assert f'name="course" value="{c.pk}"' in page
    assert f'name="course" value="{draft.pk}"' not in page and "นอกเขต" not in page
    assert page.index(this.title) < page.index(last.title) < page.index(old.title)
    assert f"ปีงบประมาณ {fy - 2}" in page  # the year menu

    def found(**params):
        url = "/community/visits/new/?" + urlencode({"picker": "course", **params})
        rows = client.get(url).content.decode()
        return {c.title for c in (this, last, old, draft, foreign) if c.title in rows}

    assert found(course__q="เชิงรุก") == {this.title, old.title}
    assert found(course__year=str(fy - 1)) == {last.title}
    assert found(course__q="ไม่มีหลักสูตรนี้") == set()
    data = {"school": school.pk, "kind": "follow_up", "status": "done",
            "date": f"{today.day:02d}/{today.month:02d}/{today.year + 543}",
            "visitor_name": "ศน.สมใจ", "focus": "ติดตามผล"}  # fmt: skip
    for refused in (draft, foreign):
        response = client.post("/community/visits/new/", {**data, "course": refused.pk})
        assert "เลือกหลักสูตรนี้ไม่ได้" in response.content.decode()
    assert client.post("/community/visits/new/", {**data, "course": old.pk}).status_code == 302
    visit = Visit.objects.get()
    assert visit.course == old
    edit = client.get(f"/community/visits/{visit.pk}/edit/").content.decode()
    assert f'name="course" value="{old.pk}" checked' in edit


# ------------------------------------------------------------------------------- settings


def test_office_admins_edit_the_community_settings_with_an_audit_entry(client, users, office):
    client.force_login(users[OFFICER])
    assert client.get("/community/settings/").status_code == 403
    client.force_login(users[ADMIN])
    assert "/community/settings/" in client.get("/registry/settings/").content.decode()
    data = {"plc_hour_target": "๖๐", "term_two_opens": "1/11"}
    assert (
        client.post("/community/settings/", {**data, "term_two_opens": "31/11"}).status_code == 200
    )
    assert client.post("/community/settings/", data).status_code == 302
    rules = queries.rules_for(office)
    assert (rules.plc_hour_target, rules.term_two_opens) == (D("60"), "01/11")
    entry = AuditEntry.objects.get(object_type="communityrules")
    assert entry.actor == users[ADMIN] and set(entry.changes) == {"plc_hour_target"}


def test_the_practices_page_offers_adding_only_to_who_may_add(client, users):
    """An inspector (no person record, no reviewing) is never shown a button that is refused."""
    add = 'href="/community/practices/new/"'
    client.force_login(users[TEACHER])
    assert add in client.get("/community/practices/").content.decode()
    client.force_login(users[INSPECTOR])
    assert add not in client.get("/community/practices/").content.decode()
    assert client.get("/community/practices/new/").status_code == 403


@pytest.mark.parametrize(
    ("today", "label", "start", "end"),
    [
        (dt.date(2026, 5, 15), "ภาคเรียนที่ 2/2568", dt.date(2025, 11, 1), dt.date(2026, 5, 15)),
        (dt.date(2026, 5, 16), "ภาคเรียนที่ 1/2569", dt.date(2026, 5, 16), dt.date(2026, 10, 31)),
        (dt.date(2026, 10, 31), "ภาคเรียนที่ 1/2569", dt.date(2026, 5, 16), dt.date(2026, 10, 31)),
        (dt.date(2026, 11, 1), "ภาคเรียนที่ 2/2569", dt.date(2026, 11, 1), dt.date(2027, 5, 15)),
    ],
)
def test_the_term_turns_on_the_opening_days(office, today, label, start, end):
    assert queries.current_term(today, queries.rules_for(office)) == (label, start, end)


def test_the_term_openings_are_the_offices_settings(client, users, office):
    """Term 1 opening on 1 June (an office whose schools open late) moves the academic year
    too; a term 2 opening in January falls in the next calendar year."""
    client.force_login(users[ADMIN])
    data = {"plc_hour_target": "50", "term_one_opens": "๑/๖", "term_two_opens": "3/1"}
    assert client.post("/community/settings/", {**data, "term_one_opens": "1/9"}).status_code == 200
    assert client.post("/community/settings/", data).status_code == 302
    rules = queries.rules_for(office)
    assert (rules.term_one_opens, rules.term_two_opens) == ("01/06", "03/01")
    assert queries.current_term(dt.date(2026, 5, 31), rules) == (
        "ภาคเรียนที่ 2/2568", dt.date(2026, 1, 3), dt.date(2026, 5, 31)
    )  # fmt: skip
    assert queries.current_term(dt.date(2026, 6, 1), rules) == (
        "ภาคเรียนที่ 1/2569", dt.date(2026, 6, 1), dt.date(2027, 1, 2)
    )  # fmt: skip
    page = client.get("/community/visits/coverage/").content.decode()
    assert "ภาคเรียนที่" in page


def test_a_plc_meeting_posted_twice_counts_its_hours_once(client, plc_group, users, teacher_person):
    client.force_login(users[TEACHER])
    url = f"/community/plc/{plc_group.pk}/log/"
    data = {"date": "๑๐/๐๖/๒๕๖๘", "hours": "๒.๕", "plan": "สังเกตชั้นเรียน",
            "attendees": [teacher_person.pk]}  # fmt: skip
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)  # a double click, a reload
    assert again.status_code == 200
    assert "นี้ไว้แล้ว" in again.content.decode()
    assert PLCMeeting.objects.filter(group=plc_group).count() == 1
    # Another meeting the same day (another plan) is a meeting of its own.
    assert client.post(url, {**data, "plan": "ถอดบทเรียน"}).status_code == 302
    assert PLCMeeting.objects.filter(group=plc_group).count() == 2


def test_a_new_plc_group_posted_twice_is_created_once(plc_group, users, teacher_person):
    """The same new group's form again (a double click, a reload) is refused in Thai; a group
    differing in anything is a group of its own."""

    def again(**changed):
        group = PLCGroup(
            office=plc_group.office, level=plc_group.level, school=plc_group.school,
            name=plc_group.name, topic=plc_group.topic, facilitator=plc_group.facilitator,
            academic_year=plc_group.academic_year, created_by=plc_group.created_by,
        )  # fmt: skip
        for name, value in changed.items():
            setattr(group, name, value)
        return actions.save_plc_group(
            acting_user=users[DIRECTOR], group=group, members=[teacher_person]
        )

    with pytest.raises(actions.CommunityError, match="บันทึกไว้แล้ว"):
        again()
    again(academic_year=2569)
    assert PLCGroup.objects.filter(name=plc_group.name).count() == 2


def test_a_visit_posted_twice_is_saved_once(client, users, school):
    client.force_login(users[SUPERVISOR])
    data = {"school": school.pk, "kind": "coaching", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.สมใจ", "focus": "การอ่าน"}  # fmt: skip
    assert client.post("/community/visits/new/", data).status_code == 302
    again = client.post("/community/visits/new/", data)
    assert again.status_code == 200 and "ไว้แล้ว จึงไม่บันทึกซ้ำ" in again.content.decode()
    assert Visit.objects.count() == 1
    assert client.post("/community/visits/new/", {**data, "focus": "การเขียน"}).status_code == 302
    assert Visit.objects.count() == 2


def test_editing_a_visit_keeps_who_was_visited_after_they_moved_or_retired(
    client, users, school, teacher_person, other_teacher, office
):
    """A teacher coached in June moved school (another retired) before the supervisor came
    back to add findings: saving the edit dropped the one who moved without a word, and the
    retired one made the form refuse itself. Both now stay on the record; someone newly added
    from another school is refused by name."""
    retired = make_person(office, school, first_name="เกษียณ", last_name="แล้ว")
    client.force_login(users[SUPERVISOR])
    data = {"school": school.pk, "kind": "coaching", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.สมใจ", "focus": "การอ่าน",
            "people": [teacher_person.pk, retired.pk]}  # fmt: skip
    assert client.post("/community/visits/new/", data).status_code == 302
    visit = Visit.objects.get()
    teacher_person.school = other_teacher.school
    teacher_person.save()
    retired.status = "retired"
    retired.save()
    edited = client.post(f"/community/visits/{visit.pk}/edit/", {**data, "findings": "อ่านคล่อง"})
    assert edited.status_code == 302, edited.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.findings == "อ่านคล่อง"
    assert set(visit.people.values_list("pk", flat=True)) == {teacher_person.pk, retired.pk}
    added = client.post(f"/community/visits/{visit.pk}/edit/",
                        {**data, "people": [teacher_person.pk, other_teacher.pk]})  # fmt: skip
    assert added.status_code == 200
    assert f"ผู้รับการนิเทศ: {other_teacher.full_name} ไม่ได้สังกัด" in added.content.decode()
    assert other_teacher not in visit.people.all()


def test_a_plc_group_with_a_retired_member_can_still_be_edited(
    client, users, plc_group, teacher_person
):
    """A member retired mid-year: the group's edit form then refused itself (the member was
    no longer a valid choice), so renaming the group meant removing her from it. She stays
    choosable and on the group."""
    teacher_person.status = "retired"
    teacher_person.save()
    client.force_login(users[DIRECTOR])
    form = client.get(f"/community/plc/{plc_group.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"name": "PLC อ่านคล่อง ป.1", "facilitator": plc_group.facilitator_id,
             "members": [teacher_person.pk], "school": plc_group.school_id}  # fmt: skip
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    response = client.post(f"/community/plc/{plc_group.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plc_group.refresh_from_db()
    assert plc_group.name == "PLC อ่านคล่อง ป.1"
    assert list(plc_group.members.filter(pk=teacher_person.pk)) == [teacher_person]


def test_a_partner_name_the_office_already_has_is_refused_in_thai(client_for, office):
    """One partner name per office: the office is not a box of the form, so the rule went
    unchecked and a repeated name was a server error on the database's constraint."""
    from community.models import Partner

    Partner.objects.create(office=office, name="บริษัท ตัวอย่าง จำกัด", kind="company",
                           since=dt.date(2025, 1, 1))  # fmt: skip
    data = {"name": "บริษัท ตัวอย่าง จำกัด", "kind": "company", "contact": "",
            "since": "01/06/2568"}  # fmt: skip
    assert client_for(Role.SUPERVISOR).post("/community/partners/new/", data).status_code in (
        403,
        404,
    )
    response = client_for(Role.DEVELOPMENT_OFFICER).post("/community/partners/new/", data)
    said = "มีภาคีเครือข่ายชื่อนี้ในเขตพื้นที่อยู่แล้ว"  # the rule's own words (its constraint)
    assert response.status_code == 200 and said in response.content.decode()
    assert Partner.objects.filter(office=office).count() == 1


def test_only_the_visits_own_supervisor_or_the_office_admin_edits_it(client, users, office, school):
    """Any visit recorder of the office could rewrite another supervisor's findings. Now the
    visit's own supervisor and the office admin may; another supervisor or officer reads it
    without an edit button and is refused the form and the post."""
    other = make_user("supervisor2", SUPERVISOR, office)
    data = {"school": school.pk, "kind": "coaching", "status": "done", "date": "01/06/2568",
            "visitor_name": "ศน.สมใจ", "focus": "การอ่าน"}  # fmt: skip
    client.force_login(users[SUPERVISOR])
    assert client.post("/community/visits/new/", data).status_code == 302
    visit = Visit.objects.get()
    edit = f"/community/visits/{visit.pk}/edit/"
    assert client.post(edit, {**data, "findings": "อ่านคล่อง"}).status_code == 302
    for refused in (other, users[OFFICER]):
        client.force_login(refused)
        page = client.get(f"/community/visits/{visit.pk}/").content.decode()
        assert page.count(edit) == 0
        assert client.get(edit).status_code == 403
        assert client.post(edit, {**data, "findings": "เขียนทับ"}).status_code == 403
    visit.refresh_from_db()
    assert visit.findings == "อ่านคล่อง"
    client.force_login(users[ADMIN])
    assert edit in client.get(f"/community/visits/{visit.pk}/").content.decode()
    assert client.post(edit, {**data, "findings": "แก้โดยผู้ดูแล"}).status_code == 302
    visit.refresh_from_db()
    assert visit.findings == "แก้โดยผู้ดูแล"


def test_a_meeting_or_a_visit_made_is_never_dated_after_today(
    client, plc_group, users, teacher_person, school
):
    """A PLC meeting typed with next year's date counted its hours at once (and a visit
    marked done next month counted in this term's coverage). Both are refused, naming the
    date; a visit planned for next month is still an appointment."""
    from django.utils import timezone

    from community.models import PLCMeeting

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(actions.CommunityError, match="วันที่ประชุม PLC .* ยังไม่ถึง"):
        actions.log_plc_meeting(
            acting_user=users[TEACHER],
            attendees=[teacher_person],
            meeting=PLCMeeting(group=plc_group, date=tomorrow, hours=D("3")),
        )
    assert not PLCMeeting.objects.exists()
    actions.log_plc_meeting(
        acting_user=users[TEACHER],
        attendees=[teacher_person],
        meeting=PLCMeeting(group=plc_group, date=timezone.localdate(), hours=D("3")),
    )
    client.force_login(users[SUPERVISOR])
    be = f"{tomorrow.day:02d}/{tomorrow.month:02d}/{tomorrow.year + 543}"
    data = {"school": school.pk, "kind": "coaching", "status": "done", "date": be,
            "visitor_name": "ศน.สมใจ", "focus": "การอ่าน"}  # fmt: skip
    page = client.post("/community/visits/new/", data).content.decode()
    assert "วันที่นิเทศ" in page and "ยังไม่ถึง" in page
    assert not Visit.objects.exists()
    assert client.post("/community/visits/new/", {**data, "status": "planned"}).status_code == 302


def test_a_nominees_namesake_school_is_named_with_its_code(
    client, world, judges, users, office, school
):
    """A judge's scoring page named the nominee's school bare where the office has two schools
    of that name, and the round's nominations named nominees of both alike; each is now
    named with its OBEC code, as the office's lists name them."""
    from krupd.testing import make_person, make_school

    twin = make_school(office, code="1076010009", name=school.name)
    round_ = world["round"]
    actions.nominate(acting_user=users[ADMIN], round_=round_,
                     person=make_person(office, twin, first_name="แฝด"), work_title="ข")  # fmt: skip
    round_.status = RoundStatus.JUDGING
    round_.save()
    coded = f"{school.name} (1076010001)"
    client.force_login(judges[0])
    url = f"/community/awards/nominations/{world['nomination'].pk}/score/"
    assert coded in client.get(url).content.decode()
    client.force_login(users[ADMIN])
    page = client.get(f"/community/awards/rounds/{round_.pk}/").content.decode()
    assert coded in page and f"{school.name} (1076010009)" in page


# ------------------------------------------------------------------------- sent twice


def test_a_practice_published_twice_keeps_its_first_publication(client, users, office):
    """A second click on "publish" (or a second reviewer a moment later) moved the day it was
    published and audited a second publication."""
    draft = BestPractice(
        office=office, title="ร่าง", summary="ร่าง", year=2568, status=PracticeStatus.SUBMITTED
    )
    actions.save_practice(acting_user=users[ADMIN], practice=draft, owners=[])
    client.force_login(users[SUPERVISOR])
    url = f"/community/practices/{draft.pk}/publish/"
    assert client.post(url).status_code == 302
    first = BestPractice.objects.get(pk=draft.pk).published_at
    entries = AuditEntry.objects.filter(object_type="bestpractice", object_id=str(draft.pk))
    audited = entries.count()
    assert client.post(url).status_code == 302
    again = BestPractice.objects.get(pk=draft.pk)
    assert (again.status, again.published_at) == (PracticeStatus.PUBLISHED, first)
    assert entries.count() == audited


def test_a_result_recorded_twice_is_audited_once(award_round, users, judges, teacher_person):
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 9, 18)
    )
    actions.decide_area_results(
        acting_user=users[ADMIN], round_=award_round, announced_on=dt.date(2025, 9, 1)
    )
    kwargs = {"nomination": n, "level": AwardLevel.REGION, "outcome": ResultOutcome.WINNER,
              "announced_on": dt.date(2025, 10, 1), "note": "ภาคใต้"}  # fmt: skip
    first = actions.record_result(acting_user=users[ADMIN], **kwargs)
    entries = AuditEntry.objects.filter(object_type="nomination", object_id=str(n.pk))
    audited = entries.count()
    again = actions.record_result(acting_user=users[ADMIN], **kwargs)
    assert again.pk == first.pk and entries.count() == audited
    # A real change is still recorded and audited.
    actions.record_result(acting_user=users[ADMIN], **{**kwargs, "note": "ภาคใต้ ลำดับ 1"})
    assert entries.count() == audited + 1


def test_a_new_practice_sent_twice_is_listed_once(office, users):
    """The new-practice form sent twice (a double click, a reload) listed the work twice,
    published twice to every teacher."""
    _practice(office, users[ADMIN], "นิทานพาอ่าน", "ย่อ")
    with pytest.raises(actions.CommunityError, match="ข้อมูลเหมือนกันทุกช่อง"):
        _practice(office, users[ADMIN], "นิทานพาอ่าน", "ย่อ")
    assert BestPractice.objects.filter(title="นิทานพาอ่าน").count() == 1
    _practice(office, users[ADMIN], "นิทานพาอ่าน", "ย่อ ฉบับปรับปรุง")  # another work: kept
    assert BestPractice.objects.filter(title="นิทานพาอ่าน").count() == 2


def test_the_same_scores_sent_twice_are_audited_once(award_round, users, judges, teacher_person):
    n = actions.nominate(
        acting_user=users[ADMIN], round_=award_round, person=teacher_person, work_title="ก"
    )
    award_round.status = RoundStatus.JUDGING
    award_round.save()
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
    )
    entries = AuditEntry.objects.filter(object_type="nomination", actor=judges[0])
    assert entries.count() == 1
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 8, 15)
    )
    assert entries.count() == 1
    n.refresh_from_db()
    assert n.average == D("77.00")
    actions.score_nomination(
        acting_user=judges[0], nomination=n, scores=_scores(award_round, 9, 15)
    )
    assert entries.count() == 2
