"""Encryption of stored credentials (the LINE channel secret and access token).

Fernet (AES-128-CBC + HMAC-SHA256, from the `cryptography` package) with a key derived
from SECRET_KEY, so a copy of the database alone does not reveal the credentials. A new
SECRET_KEY makes the stored values unreadable: the office admin then enters them again
(the settings page says so).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

_PURPOSE = b"krupd.notifications.credentials"


class UnreadableSecret(Exception):
    """The value was encrypted under another SECRET_KEY, or altered."""


def _fernet() -> Fernet:
    digest = hashlib.sha256(_PURPOSE + b":" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret from None
