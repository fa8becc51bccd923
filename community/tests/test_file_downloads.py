"""Uploaded community files (PLC evidence, MOUs, nomination documents, best-practice files)
download only through scoped views, with the rule of the page that links to them; media is
never served from a public /media/ URL."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from community import actions
from community.models import (
    MOU,
    AwardProgramme,
    AwardRound,
    BestPractice,
    Partner,
    PLCEvidence,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeStatus,
    RoundStatus,
)
from krupd.testing import make_person, make_user

pytestmark = pytest.mark.django_db

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR
DATA = b"%PDF-1.4 community evidence"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DATA)


def assert_download(response, name_part: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DATA
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and name_part in disposition
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def assert_page_links(client, page: str, url: str) -> None:
    content = client.get(page).content.decode()
    assert url in content and "/media/" not in content


@pytest.fixture
def evidence(office, school, users, teacher_person):
    facilitator = make_person(office, school, first_name="วิไล", last_name="นำทาง")
    group = PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC อ่าน",
                     topic="อ่านไม่คล่อง", facilitator=facilitator, academic_year=2568)  # fmt: skip
    group = actions.save_plc_group(
        acting_user=users[DIRECTOR], group=group, members=[teacher_person]
    )
    meeting = actions.log_plc_meeting(
        acting_user=users[TEACHER],
        attendees=[teacher_person],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 1, 10), hours=D("2")),
        files=[upload("photo-plc.pdf")],
    )
    return PLCEvidence.objects.get(meeting=meeting)


def test_plc_evidence_downloads_for_those_who_see_the_group(client, client_for, evidence):
    url = f"/community/plc/evidence/{evidence.pk}/file/"
    for role in (TEACHER, DIRECTOR, ADMIN):
        assert_download(client_for(role).get(url), "photo-plc")
    assert_page_links(client_for(TEACHER), f"/community/plc/{evidence.meeting.group_id}/", url)
    assert client_for(INSPECTOR).get(url).status_code == 404  # never sees a group's people
    outsider = make_user("t-out", TEACHER, evidence.meeting.group.office,
                         person=make_person(evidence.meeting.group.office, None))  # fmt: skip
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client_for(ADMIN).get("/community/plc/evidence/999999/file/").status_code == 404


@pytest.fixture
def mou(office):
    partner = Partner.objects.create(
        office=office, name="อบต.หนองไผ่", kind="local_gov", since=dt.date(2024, 1, 1)
    )
    return MOU.objects.create(partner=partner, title="MOU การอ่าน", signed_on=dt.date(2024, 5, 1),
                              starts=dt.date(2024, 5, 1), scope="ส่งเสริมการอ่าน",
                              file=upload("mou-signed.pdf"))  # fmt: skip


def test_mou_files_download_for_those_who_see_the_partner(client, client_for, mou, other_office):
    url = f"/community/partners/mous/{mou.pk}/file/"
    for role in (SUPERVISOR, OFFICER, DIRECTOR):
        assert_download(client_for(role).get(url), "mou-signed")
    assert_page_links(client_for(SUPERVISOR), f"/community/partners/{mou.partner_id}/", url)
    assert client_for(TEACHER).get(url).status_code == 403  # teachers see no partners
    client.force_login(make_user("admin-x", ADMIN, other_office))
    assert client.get(url).status_code == 404


def test_a_missing_or_absent_file_is_404_not_500(client_for, mou):
    url = f"/community/partners/mous/{mou.pk}/file/"
    mou.file.storage.delete(mou.file.name)
    assert client_for(OFFICER).get(url).status_code == 404
    MOU.objects.filter(pk=mou.pk).update(file="")
    assert client_for(OFFICER).get(url).status_code == 404


@pytest.fixture
def judges(office):
    return [make_user(f"judge{i}", SUPERVISOR, office) for i in (1, 2)]


@pytest.fixture
def nomination(office, users, judges, teacher_person):
    programme = AwardProgramme.objects.create(office=office, name="ครูดี", organiser="สพฐ.")
    round_ = AwardRound.objects.create(programme=programme, year=2568, title="ครูดี ครั้งที่ 1",
                                       status=RoundStatus.OPEN, winners=1)  # fmt: skip
    actions.save_round(acting_user=users[ADMIN], round_=round_, judges=judges[:1],
                       criteria=[{"name": "ผลงาน", "weight": D("100"), "max_score": D("10")}])  # fmt: skip
    nomination = actions.nominate(
        acting_user=users[ADMIN], round_=round_, person=teacher_person, work_title="ผลงานเด่น"
    )
    nomination.file = upload("portfolio.pdf")
    nomination.save()
    round_.status = RoundStatus.JUDGING
    round_.save()
    return nomination


def test_nomination_documents_download_for_the_rounds_judges_while_judging(
    client, client_for, nomination, judges
):
    url = f"/community/awards/nominations/{nomination.pk}/file/"
    client.force_login(judges[0])
    assert_download(client.get(url), "portfolio")
    assert_page_links(client, f"/community/awards/nominations/{nomination.pk}/score/", url)
    client.force_login(judges[1])  # not a judge of this round
    assert client.get(url).status_code == 403
    for role in (ADMIN, TEACHER):
        assert client_for(role).get(url).status_code == 403
    nomination.round.status = RoundStatus.CLOSED
    nomination.round.save()
    client.force_login(judges[0])
    assert client.get(url).status_code == 403


@pytest.fixture
def practices(office, users, other_teacher):
    published = BestPractice(office=office, title="ผลงานเผยแพร่", summary="สรุป", year=2568,
                             status=PracticeStatus.PUBLISHED, file=upload("practice-pub.pdf"))  # fmt: skip
    actions.save_practice(acting_user=users[ADMIN], practice=published, owners=[])
    draft = BestPractice(office=office, title="ร่าง", summary="ร่าง", year=2568,
                         file=upload("practice-draft.pdf"))  # fmt: skip
    actions.save_practice(acting_user=users[ADMIN], practice=draft, owners=[other_teacher])
    return published, draft


def test_practice_files_download_for_those_who_see_the_practice(
    client, client_for, office, practices, other_office, other_teacher
):
    published, draft = practices
    url = f"/community/practices/{published.pk}/file/"
    assert_download(client_for(TEACHER).get(url), "practice-pub")
    assert_page_links(client_for(TEACHER), f"/community/practices/{published.pk}/", url)
    draft_url = f"/community/practices/{draft.pk}/file/"
    assert client_for(TEACHER).get(draft_url).status_code == 404  # someone else's draft
    client.force_login(make_user("owner", TEACHER, office, person=other_teacher))
    assert_download(client.get(draft_url), "practice-draft")
    client.force_login(make_user("admin-x", ADMIN, other_office))
    assert client.get(url).status_code == 404


def test_media_files_are_not_served_publicly(client, mou, media):
    assert (media / mou.file.name).exists()
    assert client.get(f"/media/{mou.file.name}").status_code == 404


def test_the_same_file_picked_twice_is_kept_once(evidence, users, teacher_person):
    """Two copies of one photo (picked twice, or again under another name) were stored as
    two pieces of evidence; a different file is still added."""
    meeting = evidence.meeting
    actions.log_plc_meeting(
        acting_user=users[TEACHER], meeting=meeting, attendees=[teacher_person],
        files=[upload("ภาพกิจกรรม.pdf"), upload("สำเนา ภาพกิจกรรม.pdf"),
               SimpleUploadedFile("บันทึก.pdf", DATA + b" other")],
    )  # fmt: skip
    labels = sorted(meeting.evidence.values_list("label", flat=True))
    assert labels == ["photo-plc.pdf", "บันทึก.pdf"]
