"""Achievements (what a credential certifies: a course, an award) are defined by the apps
that own them; each registers how to describe one of its own as an Open Badges
Achievement, so the public achievement address serves it without this app reading their
models."""

from __future__ import annotations

from .by_kind import ByKind

_BUILDERS = ByKind()


def register(kind: str, dotted_path: str) -> None:
    """dotted_path names fn(pk) -> the Achievement dict, or None when there is none."""
    _BUILDERS.register(kind, dotted_path)


def achievement(kind: str, pk: int) -> dict | None:
    return _BUILDERS.call(kind, pk)
