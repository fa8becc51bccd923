"""Award certificates are signed credentials too: issued with the certificates of a closed
round, revoked with them, downloadable by the award managers and the winner only."""

import datetime as dt
import json

import pytest

from accounts.roles import Role
from community import actions
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
from credentials import verification
from credentials.models import Credential
from krupd.testing import make_user

from .verifier import b64, independent_verify, status_bit

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(users, office, teacher_person):
    programme = AwardProgramme.objects.create(
        office=office, name="ครูดีในดวงใจ", organiser="สพฐ.", description="ยกย่องครูผู้เป็นแบบอย่าง"
    )
    round_ = AwardRound.objects.create(
        programme=programme, year=2568, title="ครูดีในดวงใจ ครั้งที่ 20", status=RoundStatus.CLOSED
    )
    won = Nomination.objects.create(
        round=round_, person=teacher_person, school=teacher_person.school, source="office",
        work_title="การสอนอ่านออกเขียนได้ด้วยนิทานพื้นบ้าน",
    )  # fmt: skip
    AwardResult.objects.create(
        nomination=won, level=AwardLevel.AREA, outcome=ResultOutcome.WINNER,
        announced_on=dt.date(2025, 9, 1),
    )  # fmt: skip
    [cert] = actions.issue_award_certificates(
        acting_user=users[Role.DEVELOPMENT_OFFICER], round_=round_
    )
    return cert


def test_an_award_certificate_is_a_signed_award_badge(client, office, award):
    token = Credential.objects.get(code=award.code).token
    payload = independent_verify(client, token)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Award" and achievement["name"] == "ครูดีในดวงใจ"
    assert payload["credentialSubject"]["narrative"] == "ผลงาน “การสอนอ่านออกเขียนได้ด้วยนิทานพื้นบ้าน”"
    assert payload["name"] == "เกียรติบัตรรางวัล: ครูดีในดวงใจ ระดับเขตพื้นที่ ประจำปี พ.ศ. 2568"
    assert payload["issuer"]["name"] == office.name
    assert verification.verify_token(token).state == "valid"


def test_revoking_an_award_certificate_flips_its_bit(client, users, award):
    token = Credential.objects.get(code=award.code).token
    entry = json.loads(b64(token.split(".")[1]))["credentialStatus"]
    assert status_bit(client, entry)[0] == 0
    actions.revoke_award_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=award, reason="ชื่อผลงานผิด"
    )
    assert status_bit(client, entry)[0] == 1
    assert verification.verify_token(token).state == "revoked"


def test_the_award_verification_page_does_not_publish_why_it_was_revoked(client, users, award):
    reason = "ผู้ได้รับรางวัลถูกสอบสวนทางวินัย"
    actions.revoke_award_certificate(
        acting_user=users[Role.DEVELOPMENT_OFFICER], certificate=award, reason=reason
    )
    page = client.get(f"/verify/{award.code}/").content.decode()
    assert "ถูกเพิกถอนแล้ว" in page and "เพิกถอนเมื่อ" in page
    assert reason not in page


def test_the_award_credential_downloads_for_managers_and_the_winner_only(
    client, client_for, office, other_office, other_teacher, award
):
    nomination = award.result.nomination
    url = f"/community/awards/nominations/{nomination.pk}/credential/?level=area"
    for role in (Role.DEVELOPMENT_OFFICER, Role.TEACHER):
        response = client_for(role).get(url)
        assert response.status_code == 200
        assert response.content.decode() == Credential.objects.get(code=award.code).token
    for role in (Role.SUPERVISOR, Role.INSPECTOR):
        assert client_for(role).get(url).status_code == 403
    client.force_login(make_user("teacher2", Role.TEACHER, office, person=other_teacher))
    assert client.get(url).status_code == 403
    client.force_login(make_user("admin_x", Role.OFFICE_ADMIN, other_office))
    assert client.get(url).status_code == 404
    missing = f"/community/awards/nominations/{nomination.pk}/credential/?level=national"
    assert client_for(Role.DEVELOPMENT_OFFICER).get(missing).status_code == 404


def test_the_award_pdf_carries_its_credential(client_for, award):
    nomination = award.result.nomination
    pdf = (
        client_for(Role.TEACHER)
        .get(f"/community/awards/nominations/{nomination.pk}/certificate/?level=area")
        .content
    )
    assert Credential.objects.get(code=award.code).token.encode() in pdf
    assert AwardCertificate.objects.count() == 1
