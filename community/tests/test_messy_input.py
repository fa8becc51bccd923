"""Messy and repeated input on the community pages: a Thai message on the form, never a
server error, and nothing half-written."""

import datetime as dt

import pytest
from django.test import Client

from accounts.roles import Role
from community import actions
from community.models import Partner
from registry.models import AuditEntry

from .test_award_certificates import closed_round  # noqa: F401 - a fixture

PARTNER = {"name": "เทศบาลเมือง", "kind": "local_gov", "contact": "นายก", "since": "01/06/2568"}


@pytest.fixture
def officer(users):
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    return client


@pytest.mark.django_db
def test_a_partner_posted_twice_is_saved_once_and_the_second_gets_a_thai_message(officer):
    first = officer.post("/community/partners/new/", PARTNER)
    again = officer.post("/community/partners/new/", PARTNER)  # a double click, a reload

    assert first.status_code == 302
    assert again.status_code == 200
    assert "มีภาคีเครือข่ายชื่อนี้ในเขตพื้นที่อยู่แล้ว" in again.content.decode()
    assert Partner.objects.filter(name="เทศบาลเมือง").count() == 1
    assert AuditEntry.objects.filter(object_type__endswith="partner").count() == 1


@pytest.mark.django_db
def test_a_name_saved_meanwhile_by_someone_else_is_a_thai_message_not_a_server_error(office, users):
    """Two officers at once: both pass the check, the database refuses the second row."""
    Partner.objects.create(office=office, name="อบต.", kind="local_gov", since=dt.date(2025, 1, 1))
    late = Partner(office=office, name="อบต.", kind="local_gov", since=dt.date(2025, 1, 1))
    late.validate_constraints = lambda exclude=None: None  # it checked before the first saved

    with pytest.raises(actions.CommunityError) as refused:
        actions.save_partner(acting_user=users[Role.DEVELOPMENT_OFFICER], partner=late)

    assert "บันทึกไปแล้ว" in refused.value.messages[0]
    assert Partner.objects.filter(name="อบต.").count() == 1


@pytest.mark.django_db
def test_a_model_rule_the_form_does_not_check_names_its_field(office, users):
    partner = Partner(office=office, name="ก" * 201, kind="local_gov", since=dt.date(2025, 1, 1))

    with pytest.raises(actions.CommunityError) as refused:
        actions.save_partner(acting_user=users[Role.DEVELOPMENT_OFFICER], partner=partner)

    assert refused.value.messages[0].startswith("ชื่อหน่วยงาน: ")
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_an_over_long_or_marked_up_revoke_reason_is_refused_or_escaped(
    client,
    users,
    closed_round,  # noqa: F811
):
    from community.models import AwardCertificate

    actions.issue_award_certificates(acting_user=users[Role.OFFICE_ADMIN], round_=closed_round)
    cert = AwardCertificate.objects.get(level="area")
    revoke = f"/community/awards/nominations/{cert.result.nomination_id}/certificate/revoke/"
    officer = Client(raise_request_exception=False)
    officer.force_login(users[Role.DEVELOPMENT_OFFICER])

    assert officer.get(revoke).status_code == 405
    too_long = officer.post(revoke, {"level": "area", "reason": "ก" * 301}, follow=True)
    cert.refresh_from_db()
    assert cert.status == "valid"
    assert "เหตุผล: ยาวเกิน 300 ตัวอักษร" in too_long.content.decode()

    officer.post(revoke, {"level": "area", "reason": "<script>alert(1)</script>"})
    cert.refresh_from_db()
    assert cert.status == "revoked"
    public = client.get(f"/verify/{cert.code}/").content.decode()
    assert "alert(1)" not in public  # the reason is not published at all
    shown = officer.get(f"/community/awards/rounds/{closed_round.pk}/").content.decode()
    assert "<script>alert(1)" not in shown and "&lt;script&gt;alert(1)" in shown


@pytest.mark.django_db
def test_a_joint_activity_or_network_activity_posted_twice_is_saved_once(
    office, network, users, officer
):
    from community.models import JointActivity, NetworkActivity

    partner = Partner.objects.create(
        office=office, name="มหาวิทยาลัย", kind="university", since=dt.date(2024, 1, 1)
    )
    joint = f"/community/partners/{partner.pk}/add/activity/"
    data = {"date": "๑/๗/๒๕๖๘", "title": "ค่ายวิทย์", "cash": "๑๒,๕๐๐", "in_kind_value": "0"}
    assert officer.post(joint, data).status_code == 302
    again = officer.post(joint, data)
    assert again.status_code == 200 and "จึงไม่บันทึกซ้ำ" in again.content.decode()
    assert JointActivity.objects.get().cash == 12500

    row = f"/community/networks/{network.pk}/add/activity/"
    data = {"date": "01/07/2568", "title": "ประชุมเครือข่าย", "participants": "๓๐", "cost": "0"}
    assert officer.post(row, data).status_code == 302
    assert officer.post(row, data).status_code == 200
    assert officer.post(row, {**data, "participants": "31"}).status_code == 302
    assert NetworkActivity.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "line, refusal",
    [
        ("ผลงาน | Infinity | 10", "บรรทัด 1: น้ำหนัก"),
        ("ผลงาน | NaN | 10", "บรรทัด 1: น้ำหนัก"),
        ("ผลงาน | 40 | inf", "บรรทัด 1: คะแนนเต็ม"),
        ("ผลงาน | 1e30 | 10", "บรรทัด 1: น้ำหนัก"),
        ("ผลงาน | 40 | 1000", "บรรทัด 1: คะแนนเต็ม"),
        ("ผลงาน | 0 | 10", "บรรทัด 1: น้ำหนักและคะแนนเต็มต้องมากกว่า 0"),
        ("ผลงาน | สี่สิบ | 10", "บรรทัด 1: น้ำหนัก"),
    ],
)
def test_a_criterion_nobody_can_store_is_refused_naming_its_line(office, users, line, refusal):
    """Python's Decimal reads "Infinity", "NaN" and "1e30" as numbers: the round
    form saved an infinite weight (the round page then failed to load) or crashed on "NaN".
    Each figure now goes through the product's number box for its column."""
    from django.urls import reverse

    from community.models import AwardProgramme, AwardRound

    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.OFFICE_ADMIN])
    form = {"programme": programme.pk, "year": "2568", "title": "รอบที่ ๑", "status": "draft"}
    form |= {"winners": "1", "min_score": "60"}

    refused = client.post(reverse("community:round_create"), {**form, "criteria": line})

    assert refused.status_code == 200
    assert refusal in refused.content.decode()
    assert not AwardRound.objects.exists()
    # Thai digits and a thousands comma are still numbers
    saved = client.post(reverse("community:round_create"), {**form, "criteria": "ผลงาน | ๔๐ | ๑๐"})
    assert saved.status_code == 302
    criterion = AwardRound.objects.get().criteria.get()
    assert (criterion.weight, criterion.max_score) == (40, 10)


@pytest.mark.django_db
def test_a_joint_or_network_activity_dated_out_of_order_is_refused_naming_the_date(
    office, network, officer
):
    """A partner's activity dated next month, before the partner began working with the
    office, or outside the MOU it was recorded under, was saved and counted in the year's
    resources and growth; so was a network activity not yet held, and an MOU "signed"
    next month."""
    from django.utils import timezone

    from community.models import MOU, JointActivity, NetworkActivity
    from krupd.lib import thai_dates

    partner = Partner.objects.create(
        office=office, name="มหาวิทยาลัย", kind="university", since=dt.date(2024, 6, 1)
    )
    mou = MOU.objects.create(partner=partner, title="พัฒนาครู", signed_on=dt.date(2024, 6, 1),
                             starts=dt.date(2024, 6, 1), ends=dt.date(2025, 5, 31))  # fmt: skip
    tomorrow = thai_dates.format_thai_date(timezone.localdate() + dt.timedelta(days=1))
    joint = f"/community/partners/{partner.pk}/add/activity/"
    data = {"title": "ค่ายวิทย์", "cash": "1000", "in_kind_value": "0"}
    refusals = [
        ({"date": tomorrow}, "ยังไม่ถึง"),
        ({"date": "01/05/2567"}, "ต้องไม่ก่อนวันเริ่มร่วมมือกับมหาวิทยาลัย (01/06/2567)"),
        ({"date": "01/07/2568", "mou": mou.pk}, "อยู่นอกระยะเวลาของ MOU “พัฒนาครู”"),
    ]
    for typed, refusal in refusals:
        page = officer.post(joint, {**data, **typed})
        assert page.status_code == 200 and refusal in page.content.decode(), typed
    assert not JointActivity.objects.exists()
    assert officer.post(joint, {**data, "date": "01/07/2567", "mou": mou.pk}).status_code == 302
    assert officer.post(joint, {**data, "date": "01/07/2568"}).status_code == 302  # no MOU

    signed = {"title": "ทุนการศึกษา", "signed_on": tomorrow, "starts": tomorrow, "scope": "ทุน"}
    page = officer.post(f"/community/partners/{partner.pk}/add/mou/", signed)
    assert page.status_code == 200 and "บันทึก MOU ได้เมื่อลงนามแล้ว" in page.content.decode()
    assert MOU.objects.count() == 1

    row = f"/community/networks/{network.pk}/add/activity/"
    held = {"title": "ประชุมเครือข่าย", "participants": "30", "cost": "0"}
    page = officer.post(row, {**held, "date": tomorrow})
    assert page.status_code == 200 and "ยังไม่ถึง" in page.content.decode()
    assert not NetworkActivity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, refusal",
    [
        ({"winners": "0"}, "ต้องอย่างน้อย 1 คน"),
        ({"min_score": "150"}, "ต้องอยู่ระหว่าง 0–100"),
        ({"closes_on": "31/12/2586"}, "รอบประจำปี 2568 ปิดรับได้ในปี 2567–2569"),
    ],
)
def test_a_round_nobody_can_judge_is_refused(office, users, typed, refusal):
    """0 winners made the area's announcement take the lowest eligible average as its
    cut-off, so every nomination at or above the minimum won; a minimum over 100 % let
    nobody win; a closing day typed years off kept the round open for the wrong year."""
    from django.urls import reverse

    from community.models import AwardProgramme, AwardRound

    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.OFFICE_ADMIN])
    form = {"programme": programme.pk, "year": "2568", "title": "รอบที่ 1", "status": "open"}
    form |= {"winners": "3", "min_score": "60", "criteria": "ผลงาน | 100 | 10"}

    page = client.post(reverse("community:round_create"), {**form, **typed})

    assert page.status_code == 200 and refusal in page.content.decode()
    assert not AwardRound.objects.exists()
    assert client.post(reverse("community:round_create"), form).status_code == 302


@pytest.mark.django_db
def test_a_round_opened_twice_is_saved_once_and_a_rename_onto_another_is_refused(office, users):
    """A double click on "open round" opened two identical rounds, and nominations, judging
    and the yearly awards table split between them (one person could be nominated in each)."""
    from django.urls import reverse

    from community.models import AwardProgramme, AwardRound

    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.OFFICE_ADMIN])
    form = {"programme": programme.pk, "year": "2568", "title": "รอบที่ 1", "status": "open"}
    form |= {"winners": "3", "min_score": "60", "criteria": "ผลงาน | 100 | 10"}

    assert client.post(reverse("community:round_create"), form).status_code == 302
    again = client.post(reverse("community:round_create"), form)

    assert again.status_code == 200 and "มีอยู่แล้ว จึงไม่บันทึกซ้ำ" in again.content.decode()
    assert AwardRound.objects.count() == 1
    other = {**form, "title": "รอบที่ 2"}
    assert client.post(reverse("community:round_create"), other).status_code == 302
    second = AwardRound.objects.get(title="รอบที่ 2")
    renamed = client.post(reverse("community:round_edit", args=[second.pk]), form)
    assert "มีอยู่แล้ว" in renamed.content.decode()
    second.refresh_from_db()
    assert second.title == "รอบที่ 2"
    # Saving a round unchanged is not a twin of itself; another year's round of that name is fine.
    assert client.post(reverse("community:round_edit", args=[second.pk]), other).status_code == 302
    next_year = {**form, "year": "2569"}
    assert client.post(reverse("community:round_create"), next_year).status_code == 302
