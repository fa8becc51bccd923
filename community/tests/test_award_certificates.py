"""Award certificates: issued from a closed round's results page to winners only, by award
managers; downloadable by them and the winner; verified publicly at /verify/<code>/ (the
page training certificates use); revocable; refused to everyone else."""

import datetime as dt

import pytest

from accounts.roles import Role
from community import actions, certificates
from community.models import (
    AwardCertificate,
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    Nomination,
    ResultOutcome,
    RoundStatus,
)
from krupd.testing import make_user
from registry.models import AuditEntry

pytestmark = pytest.mark.django_db

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR


@pytest.fixture
def closed_round(office, teacher_person, other_teacher):
    """Hand-built: the teacher won at area and region level, the other was not selected."""
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")
    round_ = AwardRound.objects.create(
        programme=programme, year=2568, title="ครูดีในดวงใจ ครั้งที่ 20", status=RoundStatus.CLOSED
    )
    won = Nomination.objects.create(
        round=round_, person=teacher_person, school=teacher_person.school, source="office",
        work_title="การสอนอ่านออกเขียนได้ด้วยนิทานพื้นบ้าน",
    )  # fmt: skip
    lost = Nomination.objects.create(
        round=round_, person=other_teacher, source="office", work_title="ผลงาน ข"
    )
    AwardResult.objects.create(
        nomination=won, level=AwardLevel.AREA, outcome=ResultOutcome.WINNER,
        announced_on=dt.date(2025, 9, 1),
    )  # fmt: skip
    AwardResult.objects.create(
        nomination=won, level=AwardLevel.REGION, outcome=ResultOutcome.WINNER,
        announced_on=dt.date(2025, 10, 1),
    )  # fmt: skip
    AwardResult.objects.create(
        nomination=lost, level=AwardLevel.AREA, outcome=ResultOutcome.NOT_SELECTED,
        announced_on=dt.date(2025, 9, 1),
    )  # fmt: skip
    return round_


def issue_url(round_):
    return f"/community/awards/rounds/{round_.pk}/certificates/"


def test_an_officer_issues_certificates_to_winners_only_once(client_for, closed_round):
    client = client_for(OFFICER)
    response = client.post(
        issue_url(closed_round), {"signer_name": "นายใจดี มีธรรม", "signer_title": ""}
    )
    assert response.status_code == 302
    certs = list(AwardCertificate.objects.order_by("level"))
    assert [(c.level, c.person_name) for c in certs] == [
        ("area", "นางสมศรี ใจดี"),
        ("region", "นางสมศรี ใจดี"),
    ]
    area = certs[0]
    assert area.programme_name == "ครูดีในดวงใจ" and area.year == 2568
    assert area.number.startswith(f"2568/A{closed_round.pk}/")
    assert len(area.code) == 12  # training's codes have 10: the two kinds never share one
    assert area.signer_title == actions.DEFAULT_SIGNER_TITLE  # blank → the default title
    assert area.status == "valid" and area.issued_on == dt.date.today()
    assert AuditEntry.objects.filter(object_id=str(area.pk)).exists()
    client.post(issue_url(closed_round), {})  # again: nothing new
    assert AwardCertificate.objects.count() == 2
    page = client.get(f"/community/awards/rounds/{closed_round.pk}/").content.decode()
    nomination = area.result.nomination_id
    assert f"/community/awards/nominations/{nomination}/certificate/?level=area" in page
    assert f"/community/awards/nominations/{nomination}/certificate/?level=region" in page
    assert 'id="award-certificates"' in page


def test_an_open_round_gets_no_certificates(users, closed_round):
    closed_round.status = RoundStatus.JUDGING
    closed_round.save()
    with pytest.raises(actions.CommunityError):
        actions.issue_award_certificates(acting_user=users[ADMIN], round_=closed_round)


@pytest.mark.parametrize("role", [SUPERVISOR, DIRECTOR, TEACHER, INSPECTOR])
def test_other_roles_may_not_issue(client_for, closed_round, role):
    assert client_for(role).post(issue_url(closed_round), {}).status_code in (403, 404)
    assert not AwardCertificate.objects.exists()


def test_the_pdf_goes_to_managers_and_the_winner_only(
    client, client_for, users, office, other_office, other_teacher, closed_round
):
    actions.issue_award_certificates(acting_user=users[ADMIN], round_=closed_round)
    cert = AwardCertificate.objects.get(level="region")
    url = f"/community/awards/nominations/{cert.result.nomination_id}/certificate/?level=region"
    for role in (ADMIN, OFFICER, TEACHER):  # the teacher is the winner
        response = client_for(role).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and cert.code in response["Content-Disposition"]
    lost = Nomination.objects.exclude(pk=cert.result.nomination_id).get()
    no_cert = f"/community/awards/nominations/{lost.pk}/certificate/"
    assert client_for(ADMIN).get(no_cert).status_code == 404  # not a winner: nothing issued
    for role in (SUPERVISOR, DIRECTOR, INSPECTOR):
        assert client_for(role).get(url).status_code == 403
    client.force_login(make_user("teacher2", TEACHER, office, person=other_teacher))
    assert client.get(url).status_code == 403  # another teacher
    client.force_login(make_user("admin_x", ADMIN, other_office))
    assert client.get(url).status_code == 404  # another office
    client.logout()
    assert client.get(url).status_code == 302  # login first


def test_the_public_page_verifies_an_award_certificate_and_404s_a_wrong_code(
    client, users, closed_round
):
    actions.issue_award_certificates(
        acting_user=users[ADMIN], round_=closed_round, signer_name="นายใจดี มีธรรม"
    )
    cert = AwardCertificate.objects.get(level="region")
    assert certificates.verify_url(cert.code, base="http://x/") == f"http://x/verify/{cert.code}/"
    page = client.get(f"/verify/{cert.code.lower()}/")  # no login; case-insensitive
    assert page.status_code == 200
    html = page.content.decode()
    assert "ยังใช้ได้" in html and "นางสมศรี ใจดี" in html and "ระดับภาค" in html
    assert "การสอนอ่านออกเขียนได้ด้วยนิทานพื้นบ้าน" in html and cert.number in html
    # Another last character than the real one (a code may end in Z itself).
    wrong = client.get(f"/verify/{cert.code[:-1]}{'Z' if cert.code[-1] != 'Z' else 'Y'}/")
    assert wrong.status_code == 404 and "ไม่พบเกียรติบัตร" in wrong.content.decode()
    assert "นางสมศรี" not in wrong.content.decode()
    # The one lookup box finds both kinds.
    lookup = client.get(f"/training/verify/?code={cert.code}")
    assert lookup.status_code == 302 and lookup["Location"] == f"/verify/{cert.code}/"


def test_a_revoked_certificate_says_so_and_a_new_one_can_be_issued(
    client, client_for, users, closed_round
):
    actions.issue_award_certificates(acting_user=users[ADMIN], round_=closed_round)
    cert = AwardCertificate.objects.get(level="area")
    revoke = f"/community/awards/nominations/{cert.result.nomination_id}/certificate/revoke/"
    assert client_for(TEACHER).post(revoke, {"level": "area", "reason": "x"}).status_code == 403
    client_for(OFFICER).post(revoke, {"level": "area", "reason": ""})  # a reason is required
    cert.refresh_from_db()
    assert cert.status == "valid"
    client_for(OFFICER).post(revoke, {"level": "area", "reason": "พิมพ์ชื่อผลงานผิด"})
    cert.refresh_from_db()
    assert cert.status == "revoked" and cert.revoke_reason == "พิมพ์ชื่อผลงานผิด"
    html = client.get(f"/verify/{cert.code}/").content.decode()
    # The public learns that and when; the reason stays with the office's award managers.
    assert "ถูกเพิกถอนแล้ว" in html and "พิมพ์ชื่อผลงานผิด" not in html
    page = client_for(OFFICER).get(f"/community/awards/rounds/{closed_round.pk}/")
    assert "เพิกถอนแล้ว" in page.content.decode() and "พิมพ์ชื่อผลงานผิด" in page.content.decode()
    new = actions.issue_award_certificates(acting_user=users[ADMIN], round_=closed_round)
    assert len(new) == 1 and new[0].level == "area" and new[0].code != cert.code
    assert new[0].number != cert.number


def test_a_number_is_never_given_twice_though_a_result_was_deleted(users, closed_round):
    """A certificate outlives its deleted result; the next winner's number follows the highest
    given, not the count of the round's linked certificates (which gave a printed number)."""
    officer = users[OFFICER]
    first = actions.issue_award_certificates(acting_user=officer, round_=closed_round)
    assert [c.number[-3:] for c in first] == ["001", "002"]
    first[0].result.delete()  # the area result, entered by mistake, is removed
    won = AwardResult.objects.get(level=AwardLevel.REGION).nomination
    AwardResult.objects.create(
        nomination=won, level=AwardLevel.NATIONAL, outcome=ResultOutcome.WINNER,
        announced_on=dt.date(2025, 11, 1),
    )  # fmt: skip
    (new,) = actions.issue_award_certificates(acting_user=officer, round_=closed_round)
    assert new.number[-3:] == "003"
    numbers = list(AwardCertificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 3


def test_a_signer_past_the_certificates_columns_is_refused_in_thai(client_for, closed_round):
    """It was cut to 150/200 characters without a word, and printed cut."""
    client = client_for(OFFICER)
    page = client.post(
        issue_url(closed_round), {"signer_name": "ก" * 151, "signer_title": ""}, follow=True
    )
    assert "ผู้ลงนาม: ยาวเกิน 150 ตัวอักษร" in page.content.decode()
    assert not AwardCertificate.objects.exists()


def test_a_winner_holding_valid_award_certificates_is_not_deleted_until_they_are_revoked(
    client_for, closed_round, teacher_person
):
    officer = client_for(OFFICER)
    officer.post(issue_url(closed_round), {"signer_name": "นายใจดี มีธรรม", "signer_title": ""})
    admin = client_for(ADMIN)
    url = f"/registry/people/{teacher_person.pk}/delete/"
    assert "มีเกียรติบัตรที่ยังใช้ได้ 2 ฉบับ" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 200
    assert AwardCertificate.objects.filter(result__nomination__person=teacher_person).count() == 2
    manager = make_user("awards.m", OFFICER, teacher_person.office)
    for certificate in AwardCertificate.objects.all():
        actions.revoke_award_certificate(
            acting_user=manager, certificate=certificate, reason="บันทึกผิดคน"
        )
    assert admin.post(url).status_code == 302
    assert AwardCertificate.objects.filter(status="revoked").count() == 2


def test_a_certified_result_is_not_changed_under_its_certificate(users, closed_round):
    """The result page let the office turn a certified area win into "not selected" while the
    certificate stayed valid, so /verify/ vouched for a result that no longer stood; and an
    area result could be typed in for a round still being judged. Both are refused in Thai,
    naming the certificate number; after revoking, the change goes through."""
    admin = users[ADMIN]
    issued = actions.issue_award_certificates(acting_user=admin, round_=closed_round)
    won = Nomination.objects.get(round=closed_round, work_title__startswith="การสอน")
    area_cert = next(c for c in issued if c.result.level == AwardLevel.AREA)

    def demote():
        return actions.record_result(acting_user=admin, nomination=won, level=AwardLevel.AREA,
                                     outcome=ResultOutcome.NOT_SELECTED,
                                     announced_on=dt.date(2025, 9, 2))  # fmt: skip

    with pytest.raises(actions.CommunityError, match=f"เกียรติบัตรเลขที่ {area_cert.number}"):
        demote()
    assert won.results.get(level=AwardLevel.AREA).outcome == ResultOutcome.WINNER
    actions.revoke_award_certificate(acting_user=admin, certificate=area_cert,
                                     reason="ผู้ได้รับรางวัลขอถอนผลงาน")  # fmt: skip
    demote()
    assert won.results.get(level=AwardLevel.AREA).outcome == ResultOutcome.NOT_SELECTED

    judging = AwardRound.objects.create(programme=closed_round.programme, year=2569,
                                        title="รอบใหม่", status=RoundStatus.JUDGING)  # fmt: skip
    fresh = Nomination.objects.create(round=judging, person=won.person, source="office",
                                      work_title="ผลงานใหม่")  # fmt: skip
    with pytest.raises(actions.CommunityError, match="ประกาศผลระดับเขต"):
        actions.record_result(acting_user=admin, nomination=fresh, level=AwardLevel.AREA,
                              outcome=ResultOutcome.WINNER, announced_on=dt.date(2026, 1, 1))  # fmt: skip
    assert not fresh.results.exists()
