"""Achievements (what a credential certifies: a course, an award) are defined by the apps
that own them; each registers how to describe one of its own as an Open Badges
Achievement, so the public achievement address serves it without this app reading their
models."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

_BUILDERS: dict[str, str] = {}


def register(kind: str, dotted_path: str) -> None:
    """dotted_path names fn(pk) -> the Achievement dict, or None when there is none."""
    _BUILDERS[kind] = dotted_path


def achievement(kind: str, pk: int) -> dict | None:
    path = _BUILDERS.get(kind)
    if path is None:
        return None
    builder: Callable[[int], dict | None] = import_string(path)
    return builder(pk)
