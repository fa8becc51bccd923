"""Shared cast of offices, schools, people and users."""

from krupd.testing import *  # noqa: F401,F403
