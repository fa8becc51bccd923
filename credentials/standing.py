"""What the issuing app's register says of a credential beyond its status-list bit.

The status list publishes revocation only, and a credential is revoked there when its
certificate is revoked or replaced. A certificate can also stand in a state the list does not
carry (waiting for the officer's review after its holder's result changed): the app that owns
the certificate registers how to read that, so this app's verifiers (the verification page's
check and the upload verifier) never call such a credential valid, without reading the
app's models.
"""

from __future__ import annotations

from dataclasses import dataclass

from .by_kind import ByKind

_READERS = ByKind()


@dataclass(frozen=True)
class Standing:
    """A state other than valid: its verdict state, Thai headline and detail."""

    state: str
    headline: str
    detail: str = ""


def register(kind: str, dotted_path: str) -> None:
    """dotted_path names fn(code) -> Standing, or None while the certificate stands valid."""
    _READERS.register(kind, dotted_path)


def standing(kind: str, code: str) -> Standing | None:
    return _READERS.call(kind, code)
