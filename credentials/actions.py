"""Issuing, signing and revoking credentials.

Signing is VC-JWT (W3C VC-JOSE-COSE, as Open Badges 3.0 §8.2 describes it): the credential
is the JWT payload, with the iss/jti/nbf/exp claims mapped from it, signed EdDSA (Ed25519)
by PyJWT over `cryptography`. docs/deploy.md says why this and not Data Integrity.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

import jwt
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import documents, keys, statuslist
from .documents import BANGKOK, Claim
from .models import Credential, SigningKey, StatusList

JWT_HEADERS = {"typ": "vc+jwt", "cty": "vc"}
# Indexes are drawn at random among the free ones; past this share a list is closed and the
# next one opened, so drawing never has to search long.
LIST_FILL = 3 / 4
# Up to this many credentials at once, free indexes are found by probing; beyond, the used
# ones of the list are read once (bulk issuing).
PROBE_LIMIT = 16


class _Utf8Json(json.JSONEncoder):
    """Thai text as UTF-8 (3 bytes a character) rather than \\u escapes (6): credentials
    are a third smaller, and the JSON a holder decodes reads as Thai."""

    def __init__(self, **options):
        super().__init__(**{**options, "ensure_ascii": False})


def sign(payload: dict, key: SigningKey, private_key) -> str:
    return jwt.encode(
        payload,
        private_key,
        algorithm="EdDSA",
        headers={**JWT_HEADERS, "kid": documents.key_url(key.kid)},
        json_encoder=_Utf8Json,
    )


def _open_list(office) -> StatusList:
    StatusList.objects.get_or_create(office=office, number=1)
    return StatusList.objects.select_for_update().filter(office=office).order_by("-number").first()


def _draw_indexes(status_list: StatusList, wanted: int) -> list[int]:
    """Up to `wanted` free indexes of the (locked) list, at random, staying under LIST_FILL."""
    room = int(status_list.size * LIST_FILL) - status_list.used
    wanted = max(0, min(wanted, room))
    chosen: set[int] = set()
    if wanted <= PROBE_LIMIT:
        taken = Credential.objects.filter(status_list=status_list)
        while len(chosen) < wanted:
            index = secrets.randbelow(status_list.size)
            if index not in chosen and not taken.filter(status_index=index).exists():
                chosen.add(index)
    else:
        used = set(
            Credential.objects.filter(status_list=status_list).values_list(
                "status_index", flat=True
            )
        )
        while len(chosen) < wanted:
            index = secrets.randbelow(status_list.size)
            if index not in used:
                chosen.add(index)
                used.add(index)
    return list(chosen)


@transaction.atomic
def issue(claims: Iterable[Claim]) -> list[Credential]:
    """Sign a credential for each claim that has none yet (same verification code) and
    give it a bit in its office's revocation list. Returns the new ones. Raises
    keys.KeyUnavailable when an office cannot sign."""
    claims = list(claims)
    existing = set(
        Credential.objects.filter(code__in=[c.code for c in claims]).values_list("code", flat=True)
    )
    by_office: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.code not in existing:
            by_office[claim.office.pk].append(claim)
            existing.add(claim.code)
    issued: list[Credential] = []
    for pending in by_office.values():
        office = pending[0].office
        key, private_key = keys.signing_key(office)
        while pending:
            status_list = _open_list(office)
            indexes = _draw_indexes(status_list, len(pending))
            if not indexes:  # this list is full: open the next and draw again
                StatusList.objects.create(office=office, number=status_list.number + 1)
                continue
            batch, pending = pending[: len(indexes)], pending[len(indexes) :]
            rows = []
            for claim, index in zip(batch, indexes, strict=True):
                document = documents.credential_document(
                    claim, status_list=status_list, index=index
                )
                payload = {**document, **documents.registered_claims(document)}
                rows.append(
                    Credential(
                        code=claim.code,
                        kind=claim.kind,
                        office=office,
                        key=key,
                        status_list=status_list,
                        status_index=index,
                        token=sign(payload, key, private_key),
                        valid_until=_end_of(claim.valid_until),
                    )
                )
            with _lists_sent_binary():
                issued += Credential.objects.bulk_create(rows)
            StatusList.objects.filter(pk=status_list.pk).update(used=F("used") + len(rows))
    return issued


@contextmanager
def _lists_sent_binary():
    """On PostgreSQL, Django inserts many rows as one UNNEST of a list per column, and
    psycopg writes a list in its text form unless told otherwise, searching every element
    for characters to quote: for 1,250 credentials of 5 KB that search was 0.25 s of the
    0.55 s the client spent issuing them. In binary form each element is copied with its
    length. Only for this insert: the connection's other statements keep psycopg's default
    (the dumper registered last is the one used)."""
    if connection.vendor != "postgresql":
        yield
        return
    from psycopg.types.array import ListBinaryDumper, ListDumper

    connection.ensure_connection()
    adapters = connection.connection.adapters
    adapters.register_dumper(list, ListBinaryDumper)
    try:
        yield
    finally:
        adapters.register_dumper(list, ListDumper)


def _end_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=BANGKOK)


def issue_if_possible(claims: Iterable[Claim]) -> list[Credential]:
    """issue(), except that an office without a usable key still gets its certificates:
    their credentials are signed later (download, bulk batch) once a key exists."""
    try:
        with transaction.atomic():
            return issue(claims)
    except keys.KeyUnavailable:
        return []


def ensure(claim: Claim) -> Credential:
    """The certificate's credential, signed now if it was issued before it could be."""
    credential = Credential.objects.filter(code=claim.code).first()
    if credential is None:
        issue([claim])
        credential = Credential.objects.get(code=claim.code)
    return credential


def revoke(code: str) -> bool:
    """Set the credential's bit in its status list (its certificate was revoked or
    replaced). Called inside the certificate's own revoke action, so the two agree."""
    return bool(
        Credential.objects.filter(code=code, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def signed_status_list(status_list: StatusList) -> str:
    """The list as a signed BitstringStatusListCredential, built from the credentials'
    revocation marks as they are now."""
    revoked = Credential.objects.filter(
        status_list=status_list, revoked_at__isnull=False
    ).values_list("status_index", flat=True)
    encoded = statuslist.encode(revoked, status_list.size)
    document = documents.status_list_document(status_list, encoded, now=timezone.now())
    key, private_key = keys.signing_key(status_list.office)
    payload = {**document, **documents.registered_claims(document)}
    return sign(payload, key, private_key)
