"""Natural order of numbered names: เครือข่าย 2 before เครือข่าย 10 (a plain sort puts 10 first).

Offices number their school networks, rounds and groups; lists of them read in number order.
"""

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from .numerals import to_arabic_digits

T = TypeVar("T")
_NUMBER = re.compile(r"(\d+)")


def natural_key(text: object) -> tuple:
    """A sort key that compares the digit runs of a name as numbers (Thai digits too)."""
    parts = _NUMBER.split(to_arabic_digits(str(text or "")).casefold())
    # Alternates text, number, text ...: numbers compare as numbers, text as text.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def natural_sorted(items: Iterable[T], key: Callable[[T], object] = str) -> list[T]:
    return sorted(items, key=lambda item: natural_key(key(item)))
