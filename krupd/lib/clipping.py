"""Shortening text to a stored or sent length without cutting a character in two.

A Thai character as the reader sees it is a consonant with the vowel and tone marks written
above or below it (น้ำ is one consonant and two marks, ที่ one consonant and two marks); a
cut by code points (`text[:300]`) can keep the consonant and drop its marks, which changes
the word (ที่ → ท), or leave a leading vowel (เ แ โ ใ ไ) without the consonant it is written
before. `clip` cuts only between whole characters and says that it cut with "…".
"""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"
# Written before the consonant they are read after: kept only with that consonant.
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
# Spacing vowels that belong to the character before them (Unicode grapheme SpacingMark).
_SPACING_MARKS = frozenset("\u0e33\u0eb3")
_ZWJ = "\u200d"


def _joins_previous(text: str, i: int) -> bool:
    """Whether text[i] belongs to the character before it (a cut must not fall before it)."""
    ch = text[i]
    if ch in _SPACING_MARKS or ch == _ZWJ or unicodedata.category(ch) in ("Mn", "Mc", "Me"):
        return True
    return i > 0 and text[i - 1] == _ZWJ  # the rest of an emoji joined by ZWJ


def clip(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """`text` when it fits in `limit` code points; otherwise its longest beginning made of
    whole characters, ending in `ellipsis`, that fits (the result is never longer than
    `limit`, so it always fits a CharField(max_length=limit))."""
    if len(text) <= limit:
        return text
    cut = max(limit - len(ellipsis), 0)
    # One loop for every rule, since stepping back over a leading vowel or a space can land
    # just after a joiner or another leading vowel: the cut moves until none applies.
    while cut > 0 and (
        _joins_previous(text, cut) or text[cut - 1] in _LEADING_VOWELS or text[cut - 1].isspace()
    ):
        cut -= 1
    return text[:cut] + ellipsis if limit >= len(ellipsis) else ""
