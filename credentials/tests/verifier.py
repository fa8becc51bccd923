"""An independent verifier for the tests: `cryptography`, base64, gzip and json only (not
the code that signed, not PyJWT), fetching the published key and status list like an
outside verifier would."""

import base64
import gzip
import json
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def independent_verify(client, token: str) -> dict:
    """Check a VC-JWT as an outside verifier: fetch the key its header names, verify the
    Ed25519 signature over the exact signed bytes, return the payload."""
    header_part, payload_part, signature = token.split(".")
    header = json.loads(b64(header_part))
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    response = client.get(urlsplit(header["kid"]).path)
    assert response.status_code == 200
    jwk = response.json()
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    public = Ed25519PublicKey.from_public_bytes(b64(jwk["x"]))
    public.verify(b64(signature), f"{header_part}.{payload_part}".encode())
    return json.loads(b64(payload_part))


def status_bit(client, entry: dict) -> tuple[int, int]:
    """(this credential's bit, how many bits are set) from the published status list."""
    response = client.get(urlsplit(entry["statusListCredential"]).path)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    status = independent_verify(client, response.content.decode())
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status["id"] == entry["statusListCredential"]
    subject = status["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")  # multibase base64url, no padding
    assert "=" not in subject["encodedList"]
    bits = gzip.decompress(b64(subject["encodedList"][1:]))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    bit = (bits[index // 8] >> (7 - index % 8)) & 1  # index 0 is the first byte's high bit
    return bit, sum(bin(byte).count("1") for byte in bits)
