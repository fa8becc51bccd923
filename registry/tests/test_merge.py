"""Merging a duplicate person record into the one kept (registry.merge): everything the
duplicate holds moves, clashes refuse the whole merge, the summaries stay equal to a recount,
certificates keep verifying, and only an office admin of the same office may do it."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from career.models import DebtCase, DebtProfile, PAAgreement, StandingRequest
from career.queries import active_edition
from community.models import (
    AwardProgramme,
    AwardRound,
    BestPractice,
    NetworkProfile,
    Nomination,
    PLCGroup,
    PLCMeeting,
    Visit,
)
from krupd.lib.thai_id import check_digit
from krupd.testing import make_person, make_user, valid_national_id
from planning.models import Framework, IdPlan, Response, Round
from registry import merge, quality_counts
from registry.models import AcademicStanding, AuditAction, AuditEntry, Person, PositionChange
from registry.queries import PERSON_HOLDINGS, RECOUNTED_RELATIONS, person_holdings
from reporting import developed
from staffing import summary as staff_counts
from training.models import Certificate, Course, Enrolment, Session

pytestmark = pytest.mark.django_db


def _id(body: str) -> str:
    return body + str(check_digit(body))


@pytest.fixture
def admin(office):
    return make_user("admin-merge", Role.OFFICE_ADMIN, office)


@pytest.fixture
def pair(office, school, other_school):
    """The same teacher twice: once with her ID mistyped (one digit), at another school."""
    right = _id("310060044563")
    keep = make_person(office, school, first_name="มาลี", last_name="ศรีสุข", national_id=right)
    duplicate = make_person(office, other_school, first_name="มาลี", last_name="ศรีสุข",
                            national_id=right[:11] + "9" + right[12])  # fmt: skip
    return keep, duplicate


def _course(office, title="การสอนอ่าน", fy=2569, day=dt.date(2026, 1, 12)):
    course = Course.objects.create(office=office, title=title, mode="workshop", hours=D("6"),
                                   fiscal_year=fy)  # fmt: skip
    Session.objects.create(course=course, start_date=day, end_date=day, capacity=10)
    return course


def _enrol(course, person, status="enrolled", **fields):
    return Enrolment.objects.create(course=course, session=course.sessions.get(), person=person,
                                    status=status, source="office", **fields)  # fmt: skip


def _round(office, name="ประเมินสมรรถนะ 2569"):
    framework = Framework.objects.create(office=office, code=f"F{name[-4:]}", version="1",
                                         name="กรอบสมรรถนะ")  # fmt: skip
    return Round.objects.create(office=office, year=2569, name=name, framework=framework,
                                opens=dt.date(2026, 6, 1), closes=dt.date(2026, 7, 31))  # fmt: skip


def _award_round(office, title="ครูดีศรีเพชร 2569"):
    programme = AwardProgramme.objects.create(office=office, name="ครูดี", organiser="สพป.")
    return AwardRound.objects.create(programme=programme, year=2569, title=title)


def _plc(office, school, facilitator, members):
    group = PLCGroup.objects.create(office=office, level="school", school=school, name="PLC อ่าน",
                                    topic="อ่าน", facilitator=facilitator, academic_year=2568)  # fmt: skip
    group.members.set(members)
    return group


def _holdings(person) -> dict[str, int]:
    return {h.key: n for h, n in person_holdings(person)}


def _give_everything(office, school, network, person, admin_user):
    """One row of every holding to `person`."""
    user = make_user("malee", Role.TEACHER, office, person=person)
    PositionChange.objects.create(person=person, effective_date=dt.date(2020, 5, 16),
                                  field="ตำแหน่ง", old_value="ครูผู้ช่วย", new_value="ครู")  # fmt: skip
    enrolment = _enrol(_course(office), person, passed=True, hours_credited=D("6"),
                       completed_on=dt.date(2026, 1, 12), credit_fiscal_year=2569)  # fmt: skip
    Response.objects.create(round=_round(office), person=person, rater_kind="self",
                            personnel_type=person.personnel_type)  # fmt: skip
    IdPlan.objects.create(person=person, year=2569, status="submitted")
    other = make_person(office, school, first_name="วิไล")
    group = _plc(office, school, person, [person])
    _plc(office, school, other, [person])
    meeting = PLCMeeting.objects.create(group=group, date=dt.date(2026, 2, 1), hours=D("3"))
    meeting.attendees.set([person])
    visit = Visit.objects.create(office=office, school=school, kind="coaching", status="done",
                                 date=dt.date(2026, 7, 1), visitor_name="ศน.สมพร", focus="อ่าน")  # fmt: skip
    visit.people.set([person])
    NetworkProfile.objects.create(network=network).committee.set([person])
    Nomination.objects.create(round=_award_round(office), person=person, source="office",
                              work_title="ผลงาน")  # fmt: skip
    BestPractice.objects.create(office=office, title="อ่านคล่อง", year=2569,
                                summary="สรุป").owners.set([person])  # fmt: skip
    PAAgreement.objects.create(person=person, edition=active_edition(), fiscal_year=2569,
                               school=school)  # fmt: skip
    StandingRequest.objects.create(
        person=person, to_standing=AcademicStanding.objects.get(code="k3")
    )
    DebtProfile.objects.create(person=person, gross_salary=D("30000"))
    DebtCase.objects.create(person=person, opened_on=dt.date(2025, 1, 5), creditor_kind="coop",
                            request="ขอปรับโครงสร้างหนี้")  # fmt: skip
    return user, enrolment


def test_every_relation_of_a_person_is_moved_or_recounted():
    """A relation added to Person later must be named here, or a merge would delete its rows."""
    named = {h.model for h in PERSON_HOLDINGS} | RECOUNTED_RELATIONS
    for rel in Person._meta.related_objects:
        assert rel.related_model._meta.label in named, rel
        if rel.related_model._meta.label not in RECOUNTED_RELATIONS:
            fields = {h.field for h in PERSON_HOLDINGS if h.model == rel.related_model._meta.label}
            assert rel.field.name in fields, rel


def test_it_moves_every_holding_to_the_kept_record(office, school, network, pair, admin):
    keep, duplicate = pair
    user, enrolment = _give_everything(office, school, network, duplicate, admin)
    held = _holdings(duplicate)
    assert all(held.values()), held  # the duplicate holds one of everything

    moved = merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    assert moved == held
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert _holdings(keep) == held
    user.refresh_from_db()
    enrolment.refresh_from_db()
    assert (user.person_id, enrolment.person_id) == (keep.pk, keep.pk)
    assert DebtProfile.objects.get(person=keep)
    assert PLCGroup.objects.get(facilitator=keep).members.get() == keep


def test_memberships_both_records_hold_are_joined(office, school, pair, admin):
    keep, duplicate = pair
    group = _plc(office, school, make_person(office, school, first_name="วิไล"), [keep, duplicate])
    meeting = PLCMeeting.objects.create(group=group, date=dt.date(2026, 2, 1), hours=D("3"))
    meeting.attendees.set([keep, duplicate])

    moved = merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    assert (moved["plc_groups"], moved["plc_meetings"]) == (1, 1)
    assert list(group.members.all()) == [keep]
    assert list(meeting.attendees.all()) == [keep]


def test_enrolments_no_longer_live_in_the_same_course_both_move(office, pair, admin):
    keep, duplicate = pair
    course = _course(office)
    _enrol(course, keep)
    _enrol(course, duplicate, status="cancelled")
    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)
    assert Enrolment.objects.filter(person=keep, course=course).count() == 2


def _both_enrolled(office, keep, dup):
    course = _course(office, title="วิทยาการคำนวณ")
    _enrol(course, keep)
    _enrol(course, dup, status="pending")


def _both_assessed(office, keep, dup):
    rnd = _round(office)
    for p in (keep, dup):
        Response.objects.create(round=rnd, person=p, rater_kind="self", personnel_type="teacher")


def _both_planned(office, keep, dup):
    for p in (keep, dup):
        IdPlan.objects.create(person=p, year=2569, status="draft")


def _both_nominated(office, keep, dup):
    rnd = _award_round(office)
    for p in (keep, dup):
        Nomination.objects.create(round=rnd, person=p, source="office", work_title="ผลงาน")


def _both_agreed(office, keep, dup):
    for p in (keep, dup):
        PAAgreement.objects.create(person=p, edition=active_edition(), fiscal_year=2569)


def _both_in_debt(office, keep, dup):
    for p in (keep, dup):
        DebtProfile.objects.create(person=p, gross_salary=D("30000"))


def _both_users(office, keep, dup):
    make_user("malee1", Role.TEACHER, office, person=keep)
    make_user("malee2", Role.TEACHER, office, person=dup)


@pytest.mark.parametrize(
    ("clash", "said"),
    [
        (_both_enrolled, "ทั้งสองระเบียนลงทะเบียนหลักสูตร “วิทยาการคำนวณ” อยู่"),
        (_both_assessed, "ทั้งสองระเบียนมีแบบประเมิน “ประเมินสมรรถนะ 2569” (ประเมินตนเอง)"),
        (_both_planned, "ทั้งสองระเบียนมี ID Plan ปีการศึกษา 2569"),
        (_both_nominated, "ทั้งสองระเบียนได้รับการเสนอชื่อในรอบการคัดเลือก “ครูดีศรีเพชร 2569”"),
        (_both_agreed, "ทั้งสองระเบียนมีข้อตกลงในการพัฒนางาน (PA) ปีงบประมาณ 2569"),
        (_both_in_debt, "ทั้งสองระเบียนมีข้อมูลรายได้และหนี้สิน"),
        (_both_users, "ทั้งสองระเบียนผูกกับบัญชีผู้ใช้ที่เปิดใช้งานอยู่ (malee1 และ malee2)"),
    ],
)
def test_a_clash_refuses_the_whole_merge_naming_it(office, school, network, pair, admin, clash,
                                                   said):  # fmt: skip
    keep, duplicate = pair
    clash(office, keep, duplicate)
    PositionChange.objects.create(person=duplicate, effective_date=dt.date(2020, 5, 16),
                                  field="ตำแหน่ง", old_value="ครูผู้ช่วย", new_value="ครู")  # fmt: skip
    before = (_holdings(keep), _holdings(duplicate), AuditEntry.objects.count())

    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith(said), refused.value.messages
    assert "ก่อน" in refused.value.messages[0]  # says what to do first
    assert (_holdings(keep), _holdings(duplicate), AuditEntry.objects.count()) == before


def test_a_clash_written_meanwhile_refuses_the_merge_and_leaves_nothing(
    office, pair, admin, monkeypatch
):
    """Someone enrols the duplicate in the kept record's course between the checks and the
    moves: the database's own rule refuses it, and the merge leaves nothing behind."""
    keep, duplicate = pair
    _both_enrolled(office, keep, duplicate)
    monkeypatch.setattr(merge, "_clashes", lambda keep_id, dup_id: [])
    entries = AuditEntry.objects.count()
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)
    assert refused.value.messages == [merge.CHANGED_MEANWHILE]
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert Enrolment.objects.filter(person=duplicate).count() == 1
    assert AuditEntry.objects.count() == entries


def test_it_refuses_a_record_into_itself_and_across_offices(pair, foreign_person, admin):
    keep, _ = pair
    with pytest.raises(merge.MergeRefused, match="เลือกระเบียนเดียวกันไม่ได้"):
        merge.merge_people(acting_user=admin, keep=keep, duplicate=keep)
    with pytest.raises(merge.MergeRefused, match="อยู่คนละเขตพื้นที่"):
        merge.merge_people(acting_user=admin, keep=keep, duplicate=foreign_person)
    assert Person.objects.filter(pk__in=[keep.pk, foreign_person.pk]).count() == 2


def test_a_mistyped_digit_or_swapped_neighbours_is_no_warning(pair):
    keep, duplicate = pair
    assert merge.merge_warnings(keep=keep, duplicate=duplicate) == []
    assert merge._typo_apart("3100600445635", "3100600446535")
    assert not merge._typo_apart("3100600445635", "3100600445536")


def test_differences_are_merged_only_once_the_officer_confirms(office, school, admin):
    keep = make_person(office, school, first_name="มาลี", last_name="ศรีสุข",
                       birth_date=dt.date(1985, 3, 15))  # fmt: skip
    duplicate = make_person(office, school, first_name="มาลี", last_name="วงศ์ใหญ่",
                            birth_date=dt.date(1985, 3, 16), national_id=valid_national_id(777))  # fmt: skip
    warnings = merge.merge_warnings(keep=keep, duplicate=duplicate)
    assert warnings == [
        "ชื่อ-นามสกุลไม่ตรงกัน: “มาลี ศรีสุข” กับ “มาลี วงศ์ใหญ่” (เช่น เปลี่ยนนามสกุลหลังสมรส หรือสะกดต่างกัน)",
        "วันเกิดไม่ตรงกัน: 15 มีนาคม 2528 กับ 16 มีนาคม 2528",
        "เลขประจำตัวประชาชนของทั้งสองระเบียนถูกต้องตามหลักตรวจสอบ และต่างกันมากกว่าการพิมพ์ผิด"
        "หนึ่งหลักหรือสลับหลักที่อยู่ติดกัน อาจเป็นคนละคน",
    ]
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)
    assert refused.value.messages == [merge.NOT_CONFIRMED]
    assert Person.objects.filter(pk=duplicate.pk).exists()

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate,
                       differences_confirmed=True)  # fmt: skip
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    entry = AuditEntry.objects.get(object_type="person", object_id=str(keep.pk))
    assert entry.changes["ข้อแตกต่างที่ยืนยันว่าเป็นบุคคลเดียวกัน"] == [None, warnings]


def test_it_audits_what_came_in_and_the_removed_records_snapshot(office, pair, admin):
    keep, duplicate = pair
    _enrol(_course(office), duplicate)
    _enrol(_course(office, title="PLC"), duplicate)
    masked, name = duplicate.masked_national_id, duplicate.full_name

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    kept = AuditEntry.objects.get(object_type="person", object_id=str(keep.pk))
    assert (kept.action, kept.actor) == (AuditAction.UPDATE, admin)
    assert kept.changes == {
        "รวมระเบียนซ้ำเข้ามา": [None, f"{name} ({masked})"],
        "การลงทะเบียนหลักสูตร": [None, 2],
    }
    removed = AuditEntry.objects.get(object_type="person", object_id=str(duplicate.pk))
    assert removed.action == AuditAction.DELETE
    assert removed.changes["national_id"] == [duplicate.national_id, None]
    assert removed.changes["school"] == ["โรงเรียนวัดท่าไม้", None]
    assert removed.changes["รวมเข้ากับระเบียน"] == [
        None,
        f"{keep.full_name} ({keep.masked_national_id})",
    ]


def test_the_duplicates_certificates_keep_verifying(client, office, pair, admin):
    keep, duplicate = pair
    enrolment = _enrol(_course(office), duplicate, passed=True, hours_credited=D("6"),
                       completed_on=dt.date(2026, 1, 12), credit_fiscal_year=2569)  # fmt: skip
    Certificate.objects.create(
        enrolment=enrolment, code="K7M2Q9X4P3", number="1/2569", person_name=duplicate.full_name,
        course_title="การสอนอ่าน", office_name=office.name, hours=6,
        completed_on=dt.date(2026, 1, 12), issued_on=dt.date(2026, 1, 13),
    )  # fmt: skip

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    response = client.get("/verify/K7M2Q9X4P3/")
    assert response.status_code == 200
    assert response.context["cert"].standing == "valid"
    assert response.context["cert"].enrolment.person_id == keep.pk


def test_the_summaries_equal_a_recount_after_a_merge(office, school, other_school, pair, admin):
    keep, duplicate = pair
    course = _course(office)
    _enrol(course, duplicate, passed=True, hours_credited=D("6"),
           completed_on=dt.date(2026, 1, 12), credit_fiscal_year=2569)  # fmt: skip
    group = _plc(office, school, make_person(office, school, first_name="วิไล"), [keep, duplicate])
    meeting = PLCMeeting.objects.create(group=group, date=dt.date(2026, 2, 1), hours=D("3"))
    meeting.attendees.set([keep, duplicate])
    # The duplicate moved school after the census day: the staff counts of that day hold it
    # at the school it left.
    PositionChange.objects.create(person=duplicate, effective_date=dt.date.today(),
                                  field="สถานศึกษา", old_value=school.name,
                                  new_value=other_school.name, old_school=school)  # fmt: skip
    developed.rebuild(office)
    quality_counts.rebuild(office)
    staff_counts.rebuild(office)

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    assert developed.stored_counts(office.pk) == developed.counts_of_office(office.pk)
    assert developed.stored_person_hours(office.pk) == developed.person_hours_of_office(office.pk)
    assert developed.stored_person_hours(office.pk)  # the moved hours are kept's now
    assert quality_counts.stored_equals_counted(office) is None
    assert staff_counts.stored_differences(office) is None


# ------------------------------------------------------------------------------ the page


def test_the_person_page_offers_the_merge_to_the_office_admin_only(client_for, pair):
    keep, _ = pair
    url = reverse("registry:person_detail", args=[keep.pk])
    assert "รวมระเบียนซ้ำ" in client_for(Role.OFFICE_ADMIN).get(url).content.decode()
    assert "รวมระเบียนซ้ำ" not in client_for(Role.DEVELOPMENT_OFFICER).get(url).content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER,
     Role.INSPECTOR, Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR, Role.OBEC_ANALYST],
)  # fmt: skip
def test_it_refuses_other_roles(client_for, pair, role):
    keep, duplicate = pair
    client = client_for(role)
    url = reverse("registry:person_merge", args=[keep.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"other": duplicate.pk, "keep": keep.pk}).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_it_refuses_another_offices_records(client_for, pair, foreign_person):
    keep, _ = pair
    client = client_for(Role.OFFICE_ADMIN)
    assert client.get(reverse("registry:person_merge", args=[foreign_person.pk])).status_code == 404
    url = reverse("registry:person_merge", args=[keep.pk])
    response = client.post(url, {"other": foreign_person.pk, "keep": keep.pk})
    assert response.status_code == 200
    assert "เลือกได้เฉพาะบุคลากรคนอื่นในเขตพื้นที่เดียวกัน" in response.content.decode()
    assert Person.objects.filter(pk=foreign_person.pk).exists()


def test_the_admin_compares_chooses_which_to_keep_and_merges(client_for, office, pair):
    keep, duplicate = pair
    _enrol(_course(office), keep)
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_merge", args=[keep.pk])
    assert client.get(url).status_code == 200

    page = client.get(url, {"other": duplicate.pk})
    html = page.content.decode()
    assert keep.masked_national_id in html and duplicate.masked_national_id in html
    assert keep.national_id not in html and duplicate.national_id not in html
    assert "โรงเรียนวัดท่าไม้" in html and 'data-confirm="รวมสองระเบียนนี้' in html
    counts = {row["label"]: row["counts"] for row in page.context["holding_rows"]}
    assert counts["การลงทะเบียนหลักสูตร"] == [1, 0]
    assert "ID Plan" not in counts  # what neither holds is left out
    # Which ID passes the check digit, so the officer keeps the right one.
    assert [r["id_ok"] for r in page.context["records"]] == [True, False]
    assert "ไม่ผ่านหลักตรวจสอบ" in html

    # Keeping the other one: the record whose page this is goes.
    response = client.post(url, {"other": duplicate.pk, "keep": duplicate.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[duplicate.pk])
    assert not Person.objects.filter(pk=keep.pk).exists()
    assert Enrolment.objects.get().person_id == duplicate.pk


def test_the_page_names_the_clashes_and_offers_no_button(client_for, office, pair):
    keep, duplicate = pair
    _both_agreed(office, keep, duplicate)
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_merge", args=[keep.pk])
    html = client.get(url, {"other": duplicate.pk}).content.decode()
    assert "ยังรวมสองระเบียนนี้ไม่ได้" in html
    assert "ปีงบประมาณ 2569" in html
    assert "รวมระเบียน</button>" not in html
    client.post(url, {"other": duplicate.pk, "keep": keep.pk})
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_an_unconfirmed_difference_is_asked_again(client_for, office, school, pair):
    keep, _ = pair
    other = make_person(office, school, first_name="มาลี", last_name="วงศ์ใหญ่")
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_merge", args=[keep.pk])
    response = client.post(url, {"other": other.pk, "keep": keep.pk})
    assert response.status_code == 200
    assert merge.NOT_CONFIRMED in response.content.decode()
    assert Person.objects.filter(pk=other.pk).exists()
    response = client.post(url, {"other": other.pk, "keep": keep.pk, "confirmed": "1"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=other.pk).exists()


def test_a_users_account_follows_the_merge(client_for, office, pair):
    keep, duplicate = pair
    user = make_user("malee", Role.TEACHER, office, person=duplicate)
    client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_merge", args=[keep.pk]), {"other": duplicate.pk, "keep": keep.pk}
    )
    assert User.objects.get(pk=user.pk).person_id == keep.pk


@pytest.mark.parametrize("closed", ["malee1", "malee2"])
def test_a_closed_account_is_set_apart_and_the_open_one_ends_on_the_kept_record(
    office, school, network, pair, admin, closed
):
    """A teacher's account must name a person, so "unlink one first" was a dead end; closing
    the account no longer used (the accounts page can) is the way out: the merge then sets
    the closed account apart, keeps the open one on the kept record, and audits which."""
    from accounts.models import User

    keep, duplicate = pair
    _both_users(office, keep, duplicate)
    User.objects.filter(username=closed).update(is_active=False)

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    still_open = {"malee1": "malee2", "malee2": "malee1"}[closed]
    assert User.objects.get(username=still_open).person_id == keep.pk
    assert User.objects.get(username=closed).person_id is None
    entry = AuditEntry.objects.get(object_type="person", object_id=str(keep.pk))
    assert entry.changes[merge.CLOSED_ACCOUNT_LABEL] == [closed, None]


# ---------------------------------------------------------------- the records' own details


@pytest.fixture
def sparse_and_full(office, school, other_school):
    """The kept record imported with few details; the duplicate, typed in by hand, has them."""
    from registry.models import LearningArea

    right = _id("310060044563")
    keep = make_person(office, school, first_name="มาลี", last_name="ศรีสุข", national_id=right,
                       phone="", birth_date=None, academic_standing=None, highest_degree="",
                       major=None, appointment_date=None)  # fmt: skip
    duplicate = make_person(office, other_school, first_name="มาลี", last_name="ศรีสุข",
                            national_id=right[:11] + "9" + right[12], phone="089-111-2222",
                            email="malee@example.ac.th", birth_date=dt.date(1985, 3, 15),
                            academic_standing=AcademicStanding.objects.get(code="k3"))  # fmt: skip
    duplicate.areas_taught.set([LearningArea.objects.get(code="math")])
    return keep, duplicate


def test_details_the_kept_record_lacks_are_carried_over(sparse_and_full, admin):
    keep, duplicate = sparse_and_full

    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    assert (keep.phone, keep.email, keep.birth_date) == (
        "089-111-2222", "malee@example.ac.th", dt.date(1985, 3, 15),
    )  # fmt: skip
    assert keep.academic_standing.code == "k3"
    assert (keep.highest_degree, keep.major.name) == ("bachelor", "คณิตศาสตร์")
    assert keep.appointment_date == dt.date(2005, 5, 16)
    assert [a.code for a in keep.areas_taught.all()] == ["math"]
    # What it had stays its own: the school and the national ID (they differ).
    assert keep.school.name == "โรงเรียนบ้านหนองไผ่"
    assert keep.national_id == _id("310060044563")
    kept = AuditEntry.objects.get(object_type="person", object_id=str(keep.pk))
    assert kept.changes["phone"] == ["", "089-111-2222"]
    assert kept.changes["birth_date"] == [None, "1985-03-15"]
    assert kept.changes["highest_degree"] == ["", "ปริญญาตรี"]


def test_the_officer_chooses_which_differing_value_stays(office, school, pair, admin):
    """Kept: the record with the history but the mistyped ID; the other's ID (right) and
    surname (after marriage) are chosen; the duplicate goes first, so its ID is free."""
    right, mistyped = pair
    right.last_name, right.phone = "วงศ์ใหญ่", "089-111-2222"
    right.save()
    assert merge.differing_fields(mistyped, right) == ["last_name", "national_id", "phone"]
    right_id = right.national_id

    merge.merge_people(acting_user=admin, keep=mistyped, duplicate=right,
                       differences_confirmed=True,
                       choices={"last_name": merge.DUPLICATE, "national_id": merge.DUPLICATE,
                                "phone": merge.KEEP})  # fmt: skip

    mistyped.refresh_from_db()
    assert (mistyped.national_id, mistyped.last_name) == (right_id, "วงศ์ใหญ่")
    assert mistyped.phone == "081-234-5678"  # its own, as chosen
    assert not Person.objects.filter(pk=right.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.MERGE)
    assert entry.changes[merge.CHOSEN_DUPLICATE_LABEL] == [
        None, {"นามสกุล": "วงศ์ใหญ่", "เลขประจำตัวประชาชน": mistyped.masked_national_id},
    ]  # fmt: skip
    assert entry.changes[merge.CHOSEN_KEEP_LABEL] == [None, {"โทรศัพท์": "081-234-5678"}]
    updated = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(mistyped.pk))
    assert updated.changes["national_id"][1] == right_id


def test_a_bad_choice_is_refused_naming_the_detail_and_nothing_is_written(office, pair, admin):
    keep, duplicate = pair
    _enrol(_course(office), duplicate)
    before = (_holdings(keep), _holdings(duplicate), AuditEntry.objects.count())
    stored = Person.objects.filter(pk=keep.pk).values().get()

    # The duplicate's ID fails the check digit: it is not taken.
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate,
                           choices={"national_id": merge.DUPLICATE})  # fmt: skip
    assert refused.value.messages == [
        f"เลขประจำตัวประชาชน: ใช้เลขของ {merge.label(duplicate)} ไม่ได้ "
        "(เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)) "
        f"ให้เลือกเลขของ {merge.label(keep)} แล้วแก้ไขเลขที่ถูกต้องในหน้าแก้ไขหลังรวม"
    ]
    # A choice naming neither record.
    with pytest.raises(merge.MergeRefused) as refused:
        merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate,
                           choices={"last_name": "someone else"})  # fmt: skip
    assert refused.value.messages[0].startswith("นามสกุล: เลือกได้เฉพาะค่าของระเบียนที่เก็บไว้")

    assert (_holdings(keep), _holdings(duplicate), AuditEntry.objects.count()) == before
    assert Person.objects.filter(pk=keep.pk).values().get() == stored


def test_the_merge_is_audited_as_its_own_kind_naming_whose_values_stayed(
    client_for, sparse_and_full, admin
):
    keep, duplicate = sparse_and_full
    duplicate.first_name = "มะลิ"
    duplicate.save()
    merged_in = merge.label(duplicate)
    merge.merge_people(acting_user=admin, keep=keep, duplicate=duplicate,
                       differences_confirmed=True, choices={"first_name": merge.DUPLICATE})  # fmt: skip

    entry = AuditEntry.objects.get(action=AuditAction.MERGE)
    assert (entry.actor, entry.object_id, entry.action_label) == (admin, str(keep.pk), "รวมระเบียน")
    assert entry.changes[merge.MERGED_IN_LABEL] == [None, merged_in]
    assert entry.changes[merge.CARRIED_LABEL][1]["โทรศัพท์"] == "089-111-2222"
    assert entry.changes[merge.CARRIED_LABEL][1]["กลุ่มสาระที่สอนจริง"] == "คณิตศาสตร์"
    assert entry.changes[merge.CHOSEN_DUPLICATE_LABEL] == [None, {"ชื่อ": "มะลิ"}]
    assert entry.changes[merge.CHOSEN_KEEP_LABEL] == [
        None, {"เลขประจำตัวประชาชน": keep.masked_national_id}
    ]  # fmt: skip
    # The kept record's own entry is there as before, and the removed record's.
    assert AuditEntry.objects.get(object_type="person", object_id=str(keep.pk)).changes
    assert AuditEntry.objects.get(action=AuditAction.DELETE, object_id=str(duplicate.pk))

    # The log shows it in Thai, its filter offers it, and the person's history holds it.
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:audit")
    html = client.get(url, {"action": "merge"}).content.decode()
    assert '<option value="merge" selected>รวมระเบียน</option>' in html
    assert "ข้อมูลที่ไม่ตรงกัน เลือกใช้ค่าของระเบียนที่รวมเข้า" in html
    assert [e.pk for e in client.get(url, {"action": "merge"}).context["page"]] == [entry.pk]
    history = client.get(url, {"type": "person", "id": keep.pk}).context["page"]
    assert entry.pk in [e.pk for e in history]
    assert reverse("registry:person_detail", args=[keep.pk]) in html


def test_the_page_says_what_comes_over_and_offers_each_differing_detail(
    client_for, office, sparse_and_full
):
    keep, duplicate = sparse_and_full
    duplicate.last_name = "วงศ์ใหญ่"
    duplicate.save()
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_merge", args=[keep.pk])
    page = client.get(url, {"other": duplicate.pk})
    html = page.content.decode()
    assert (
        "จะนำข้อมูลที่ระเบียนที่เก็บไว้ยังไม่มีมาจากอีกระเบียน: วันเกิด (15 มีนาคม 2528), "
        "โทรศัพท์ (089-111-2222), อีเมล (malee@example.ac.th), วิทยฐานะ (ชำนาญการพิเศษ)"
    ) in html
    rows = {row["name"]: row for row in page.context["details"]["differing"]}
    assert list(rows) == ["last_name", "national_id"]
    assert rows["last_name"]["chosen"] == str(keep.pk)  # the kept record's value by default
    assert [o["value"] for o in rows["national_id"]["options"]] == [
        f"{keep.masked_national_id} · ถูกต้องตามหลักตรวจสอบ",
        f"{duplicate.masked_national_id} · ไม่ผ่านหลักตรวจสอบ",
    ]
    assert f'name="take_last_name" value="{keep.pk}" data-follows-keep checked' in html
    assert duplicate.national_id not in html  # shown masked

    # A bad choice: said by the detail's name, the form as it was, nothing merged.
    posted = {"other": duplicate.pk, "keep": keep.pk, "confirmed": "1",
              "take_national_id": duplicate.pk, "take_last_name": duplicate.pk}  # fmt: skip
    response = client.post(url, posted)
    assert response.status_code == 200
    assert "เลขประจำตัวประชาชน: ใช้เลขของ" in response.content.decode()
    assert response.context["details"]["differing"][0]["chosen"] == str(duplicate.pk)
    assert Person.objects.filter(pk=duplicate.pk).exists()

    posted["take_national_id"] = keep.pk
    response = client.post(url, posted)
    assert response.status_code == 302
    keep.refresh_from_db()
    assert (keep.last_name, keep.phone) == ("วงศ์ใหญ่", "089-111-2222")
