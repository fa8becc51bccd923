"""Every credential KruPD issues carries what the published Open Badges 3.0 JSON schema
(ob_v3p0_achievementcredential_schema.json) requires, also from thin office data: a course
with no objectives and no topics. The required sets
are pinned here (the schema is not fetched: the suite runs offline)."""

import json

import pytest

from credentials.models import Credential
from training import actions
from training.models import Course

from .test_award_credentials import award  # noqa: F401 (fixture)
from .verifier import b64

pytestmark = pytest.mark.django_db

CREDENTIAL = {"@context", "id", "type", "issuer", "validFrom", "credentialSubject", "name"}
PROFILE = {"id", "type"}
SUBJECT = {"type"}
ACHIEVEMENT = {"id", "type", "criteria", "description", "name"}
IDENTITY = {"type", "hashed", "identityHash", "identityType"}
ALIGNMENT = {"type", "targetName", "targetUrl"}
STATUS = {"id", "type", "statusPurpose", "statusListIndex", "statusListCredential"}


def _payload(code: str) -> dict:
    return json.loads(b64(Credential.objects.get(code=code).token.split(".")[1]))


def _filled(document: dict, required: set, where: str) -> None:
    missing = {k for k in required if k not in document}
    assert not missing, f"{where} lacks {missing}"
    for key in required:
        value = document[key]
        assert value not in ("", None, [], {}), f"{where}.{key} is empty"


def check(payload: dict) -> None:
    _filled(payload, CREDENTIAL, "credential")
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert {"VerifiableCredential", "OpenBadgeCredential"} <= set(payload["type"])
    _filled(payload["issuer"], PROFILE, "issuer")
    assert "Profile" in payload["issuer"]["type"]
    subject = payload["credentialSubject"]
    _filled(subject, SUBJECT, "credentialSubject")
    assert "AchievementSubject" in subject["type"]
    assert subject.get("id") or subject.get("identifier")  # who it is about
    for identity in subject.get("identifier", []):
        _filled(identity, IDENTITY, "identifier")
    achievement = subject["achievement"]
    _filled(achievement, ACHIEVEMENT, "achievement")
    assert "Achievement" in achievement["type"]
    assert achievement["criteria"].get("id") or achievement["criteria"].get("narrative")
    for alignment in achievement.get("alignment", []):
        _filled(alignment, ALIGNMENT, "alignment")
    _filled(payload["credentialStatus"], STATUS, "credentialStatus")
    assert isinstance(payload["credentialStatus"]["statusListIndex"], str)


def test_a_course_credential_has_every_required_field(certificate):
    check(_payload(certificate.code))


def test_a_thin_course_still_gives_a_complete_credential(users, passed):
    Course.objects.filter(pk=passed.course_id).update(
        objectives="", competencies="\n \n", title="ภาษาไทย & “การอ่าน” 'น้ำ'"
    )
    passed.refresh_from_db()
    certificate = actions.issue_certificate(acting_user=users["teacher"], enrolment=passed)
    payload = _payload(certificate.code)
    check(payload)
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["description"] == achievement["name"] == "ภาษาไทย & “การอ่าน” 'น้ำ'"
    assert "alignment" not in achievement  # blank topic lines are no alignment


def test_an_award_credential_has_every_required_field(award):  # noqa: F811
    check(_payload(award.code))
