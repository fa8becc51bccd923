"""The JSON documents KruPD publishes and signs: an office's issuer profile, an
OpenBadgeCredential (W3C VC Data Model 2.0 with the Open Badges 3.0 context) for each
certificate, and each office's BitstringStatusListCredential.

Shapes follow Open Badges 3.0 (achievement, criteria, alignment, creditsAvailable,
AchievementSubject identified by name through an IdentityObject, as OB allows when the
recipient has no DID) and VC 2.0 (validFrom / validUntil, credentialStatus with a
BitstringStatusListEntry).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.urls import reverse

from registry.models import Office

from .models import StatusList

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
BANGKOK = ZoneInfo("Asia/Bangkok")


def site_url(path: str) -> str:
    from training.certificates import base_url  # the one definition of the site's address

    return base_url().rstrip("/") + path


def issuer_id(office: Office) -> str:
    return site_url(reverse("credentials:issuer", args=[office.code]))


def key_url(kid: str) -> str:
    return site_url(reverse("credentials:key", args=[kid]))


def status_list_url(status_list: StatusList) -> str:
    return site_url(
        reverse("credentials:status_list", args=[status_list.office.code, status_list.number])
    )


def achievement_url(kind: str, pk: int) -> str:
    return site_url(reverse("credentials:achievement", args=[kind, pk]))


def issuer_profile(office: Office) -> dict:
    return {
        "id": issuer_id(office),
        "type": ["Profile"],
        "name": office.name,
        "url": site_url("/"),
        "address": {
            "type": ["Address"],
            "addressRegion": office.province,
            "addressCountry": "Thailand",
            "addressCountryCode": "TH",
        },
    }


def start_of_day(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time.min, tzinfo=BANGKOK).isoformat()


def end_of_day(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BANGKOK).isoformat()


def parse_time(value: str) -> dt.datetime:
    """An XML Schema dateTimeStamp as JSON carries it (ValueError if it is not one)."""
    if not isinstance(value, str):
        raise ValueError("not a date-time")
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("date-time without a time zone")
    return parsed


@dataclass(frozen=True)
class Claim:
    """What one certificate states, as its app describes it; the envelope is built here."""

    code: str
    kind: str  # CredentialKind
    office: Office
    recipient_name: str
    name: str  # the credential's title, e.g. "เกียรติบัตร: <course>"
    achievement: dict  # an OB Achievement (id, type, name, description, criteria, …)
    issued_on: dt.date
    verify_url: str
    valid_until: dt.date | None = None
    credits_earned: Decimal | None = None
    activity_end: dt.date | None = None
    extra_subject: dict = field(default_factory=dict)


def credential_document(claim: Claim, *, status_list: StatusList, index: int) -> dict:
    subject: dict = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": claim.recipient_name,
            }
        ],
        "achievement": claim.achievement,
    }
    if claim.credits_earned is not None:
        subject["creditsEarned"] = float(claim.credits_earned)
    if claim.activity_end is not None:
        subject["activityEndDate"] = start_of_day(claim.activity_end)
    subject.update(claim.extra_subject)
    list_url = status_list_url(status_list)
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": claim.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": claim.name,
        "issuer": issuer_profile(claim.office),
        "validFrom": start_of_day(claim.issued_on),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if claim.valid_until is not None:
        document["validUntil"] = end_of_day(claim.valid_until)
    return document


def status_list_document(status_list: StatusList, encoded: str, *, now: dt.datetime) -> dict:
    url = status_list_url(status_list)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(status_list.office),
        "validFrom": now.astimezone(BANGKOK).replace(microsecond=0).isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def registered_claims(document: dict) -> dict:
    """The JWT claims Open Badges 3.0 maps from the credential (iss, jti, nbf, exp): the
    token's own checks then agree with the credential's dates."""
    issuer = document["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": document["id"],
        "nbf": int(parse_time(document["validFrom"]).timestamp()),
    }
    if "validUntil" in document:
        claims["exp"] = int(parse_time(document["validUntil"]).timestamp())
    return claims
