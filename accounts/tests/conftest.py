"""Shared cast of offices, schools, people and users."""

import pytest  # noqa: E402

from accounts import actions  # noqa: E402
from krupd.testing import *  # noqa: F401,F403

NOW = 1_800_000_010.0  # 10 s into a 30-second step


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock()
    monkeypatch.setattr(actions, "clock", fixed)
    return fixed
