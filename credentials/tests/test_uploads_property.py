"""Whatever is uploaded, the verifier answers with a verdict (never an exception): random
bytes, messy Thai text, JSON of any shape, things that look like JWTs, and real credentials
with bytes flipped."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credentials import verification
from credentials.models import Credential

pytestmark = pytest.mark.django_db

STATES = {"valid", "revoked", "expired", "not_yet_valid", "tampered", "unknown_key", "malformed"}
THAI = st.text(
    alphabet=st.sampled_from(list("กขคงจฉชซญณดตถทธนบปผพฟภมยรลวศษสหฬอฮะาิีึืุูเแโใไ่้๊๋็์ํ๐๑๒๓ ")),
    max_size=80,
)
MESSY_TEXT = st.one_of(
    THAI,
    st.text(max_size=200),
    st.from_regex(r"[A-Za-z0-9_-]{0,40}(\.[A-Za-z0-9_=-]{0,60}){0,4}", fullmatch=True),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | MESSY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(MESSY_TEXT, inner, max_size=4),
    max_leaves=12,
)
ENVELOPES = st.builds(
    lambda body, kind: {"type": kind, "id": "data:application/vc+jwt," + body},
    MESSY_TEXT,
    st.sampled_from(["EnvelopedVerifiableCredential", ["EnvelopedVerifiableCredential"], 7]),
)
UPLOADS = st.one_of(
    st.binary(max_size=600),
    MESSY_TEXT.map(str.encode),
    JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=False).encode()),
    ENVELOPES.map(lambda v: json.dumps(v, ensure_ascii=False).encode()),
    st.binary(max_size=300).map(lambda b: b"%PDF-1.7\n" + b),
)


def check(data: bytes) -> None:
    found = verification.token_from_bytes(data)
    if isinstance(found, verification.Verdict):
        assert found.state == "malformed" and found.headline and found.detail
        return
    verdict = verification.verify_token(found)
    assert verdict.state in STATES and verdict.headline


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=UPLOADS)
def test_any_upload_gets_a_verdict(db, data):
    check(data)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0), replacement=st.sampled_from("AZaz09-_.ก"))
def test_a_real_credential_with_a_character_changed_is_never_valid(
    certificate, position, replacement
):
    token = Credential.objects.get(code=certificate.code).token
    position %= len(token)
    if token[position] == replacement:
        return
    changed = token[:position] + replacement + token[position + 1 :]
    found = verification.token_from_bytes(changed.encode())
    if isinstance(found, verification.Verdict):
        assert found.state == "malformed"
        return
    verdict = verification.verify_token(found)
    # Base64url's last character of a part can carry unused bits: a change there may decode
    # to the same bytes, and then the credential is still the office's own, unless the reader
    # refuses the non-canonical spelling (the JWT library does so for the header).
    same_bytes = _decoded(changed) == _decoded(token)
    assert verdict.state in ({"valid", "malformed"} if same_bytes else STATES - {"valid"})


def _decoded(token: str) -> list[bytes] | None:
    try:
        return [base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)) for p in token.split(".")]
    except ValueError:
        return None
