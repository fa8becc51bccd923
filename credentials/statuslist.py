"""The Bitstring Status List encoding (W3C Bitstring Status List v1.0, 'encodedList'):
one bit per credential, index 0 the most significant bit of the first byte, the bytes
GZIP-compressed, then base64url without padding behind the multibase prefix 'u'."""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable

MULTIBASE_BASE64URL = "u"


class BadStatusList(ValueError):
    pass


def encode(set_indexes: Iterable[int], size: int) -> str:
    bits = bytearray(size // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode()


def decode(encoded: str, *, max_bytes: int = 16 * 1024 * 1024) -> bytes:
    """The uncompressed bitstring; refuses anything that is not the spec's encoding, and
    lists that would unpack past max_bytes (a compressed list is small, its bits need not be)."""
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise BadStatusList("encodedList is not multibase base64url")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as handle:
            bits = handle.read(max_bytes + 1)
    except (ValueError, OSError, EOFError) as error:
        raise BadStatusList(str(error)) from None
    if len(bits) > max_bytes:
        raise BadStatusList("status list too large")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise BadStatusList("index outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
