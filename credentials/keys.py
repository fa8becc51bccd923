"""Per-office Ed25519 signing keys.

The private half of a key is a PKCS#8 PEM file named after the key's id, in the directory
KRUPD_CREDENTIAL_KEY_DIR (default var/credential-keys), written with mode 0600 and
encrypted with KRUPD_CREDENTIAL_KEY_PASSPHRASE when one is set. It is never stored in the
database: a copy of the database alone cannot sign. The public half is stored (SigningKey)
and published as a JWK, so rotating to a new key leaves everything the old one signed
verifiable.

Key ids are RFC 7638 JWK thumbprints (SHA-256 of the key's canonical JWK), so the id names
the key itself and cannot be reused for another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from jwt.algorithms import OKPAlgorithm

from registry.models import Office

from .models import SigningKey

_LOADED: dict[str, Ed25519PrivateKey] = {}  # kid → key: loading a PEM costs more than signing


class KeyUnavailable(Exception):
    """The office has no usable signing key (message in Thai, for the page)."""


def key_dir() -> Path:
    configured = getattr(settings, "KRUPD_CREDENTIAL_KEY_DIR", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "credential-keys"


def _passphrase() -> bytes | None:
    value = getattr(settings, "KRUPD_CREDENTIAL_KEY_PASSPHRASE", "")
    return value.encode() if value else None


def public_jwk(private_key: Ed25519PrivateKey) -> dict:
    return json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))


def thumbprint(jwk: dict) -> str:
    """RFC 7638: SHA-256 over the required members in lexical order, no whitespace."""
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def key_path(kid: str) -> Path:
    return key_dir() / f"{kid}.pem"


def _write_private(kid: str, private_key: Ed25519PrivateKey) -> None:
    passphrase = _passphrase()
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    fd = os.open(key_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


@transaction.atomic
def generate(office: Office) -> SigningKey:
    """A new key for the office; its earlier keys retire (they stop signing, stay published)."""
    private_key = Ed25519PrivateKey.generate()
    jwk = public_jwk(private_key)
    kid = thumbprint(jwk)
    _write_private(kid, private_key)
    SigningKey.objects.filter(office=office, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    key = SigningKey.objects.create(office=office, kid=kid, public_jwk={**jwk, "kid": kid})
    _LOADED[kid] = private_key
    return key


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    loaded = _LOADED.get(key.kid)
    if loaded is not None:
        return loaded
    path = key_path(key.kid)
    try:
        data = path.read_bytes()
    except OSError:
        raise KeyUnavailable(
            f"ไม่พบไฟล์กุญแจลงนามของ{key.office.name} ให้ผู้ดูแลระบบตรวจสอบที่เก็บกุญแจ"
        ) from None
    try:
        loaded = serialization.load_pem_private_key(data, password=_passphrase())
    except (ValueError, TypeError):
        raise KeyUnavailable("เปิดไฟล์กุญแจลงนามไม่ได้ (รหัสผ่านของกุญแจไม่ถูกต้องหรือไฟล์เสียหาย)") from None
    if not isinstance(loaded, Ed25519PrivateKey) or thumbprint(public_jwk(loaded)) != key.kid:
        raise KeyUnavailable("ไฟล์กุญแจลงนามไม่ตรงกับกุญแจที่ประกาศไว้")
    _LOADED[key.kid] = loaded
    return loaded


def signing_key(office: Office) -> tuple[SigningKey, Ed25519PrivateKey]:
    """The office's current key and its private half. Where automatic keys are on
    (development, tests, demonstration), a first key is made, and so is a new one when the
    current key's file is missing (a database copied from elsewhere): rotation, not loss."""
    key = SigningKey.objects.filter(office=office, retired_at__isnull=True).first()
    if key is not None:
        try:
            return key, private_key(key)
        except KeyUnavailable:
            if not settings.KRUPD_CREDENTIAL_KEYS_AUTO:
                raise
    elif not settings.KRUPD_CREDENTIAL_KEYS_AUTO:
        raise KeyUnavailable(
            f"{office.name}ยังไม่มีกุญแจลงนามเครดเดนเชียลดิจิทัล "
            "ให้ผู้ดูแลระบบสร้างกุญแจก่อน (ดูคู่มือการติดตั้ง หัวข้อกุญแจลงนาม)"
        )
    key = generate(office)
    return key, _LOADED[key.kid]
