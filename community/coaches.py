"""The people a visit's "supervisor/coach" box names, as offices type it: "ศน.สมใจ",
"นายสมชาย ใจดี และคณะ" (and team), "ศน.ก, ศน.ข", "ศน.ก และ ศน.ข". One reader for the box
(`coach_names`) and one matching against the office's people (`match_coaches`), by the name
matching the score-sheet import uses for a participant (titles, spaces and punctuation
ignored), with the supervisor's "ศน." and its long form as titles too."""

from __future__ import annotations

import re
from dataclasses import dataclass

from imports.importers import norm_key
from imports.importers.personnel import PERSON_TITLES, title_at_start
from krupd.lib.numerals import clean_text

# A supervisor's title as a visit's box writes it ("ศน.สมใจ", "ศึกษานิเทศก์สมใจ").
COACH_TITLES = sorted(
    {*PERSON_TITLES, "ศน.", "ศึกษานิเทศก์", "ครู", "ผอ.", "รอง ผอ.", "รองผอ."}, key=len, reverse=True
)
# "… และคณะ" (and team): the named lead and people the box does not name.
_TEAM = re.compile(r"\s*(?:และ|กับ)\s*(?:คณะ|ทีม)(?:ฯ|ผู้นิเทศ|นิเทศ)?\s*$")
# What people write between two names: a comma, "และ" or "กับ" between spaces, a slash.
_BETWEEN = re.compile(r"\s*[,;/、]\s*|\s+(?:และ|กับ)\s+")


@dataclass(frozen=True)
class CoachNames:
    names: tuple[str, ...]  # as typed, cleaned, in order
    team: bool  # "และคณะ": others came whom the box does not name


def coach_names(text: str) -> CoachNames:
    """The names a coach box holds and whether it adds "และคณะ"; a box without a name
    ("และคณะ" alone) names nobody."""
    text = clean_text(text)
    team = bool(_TEAM.search(text))
    text = _TEAM.sub("", text)
    names = tuple(n for n in (part.strip() for part in _BETWEEN.split(text)) if n)
    return CoachNames(names=names, team=team)


def name_without_titles(name: str) -> str:
    """A name as compared: without its titles ("ศน. ดร."), spaces or punctuation."""
    cleaned = clean_text(name)
    return norm_key(cleaned[len(title_at_start(cleaned, COACH_TITLES)) :])


def first_words(names: CoachNames) -> list[str]:
    """The first word of each name after its titles: the first names to look people up by."""
    words = []
    for name in names.names:
        rest = name[len(title_at_start(name, COACH_TITLES)) :].split()
        if rest:
            words.append(rest[0])
    return words


def person_keys(first_name: str, last_name: str) -> tuple[str, str]:
    """(full name, first name) of a person, as `name_without_titles` writes them."""
    return norm_key(f"{first_name}{last_name}"), norm_key(first_name)


@dataclass(frozen=True)
class CoachMatch:
    name: str
    people: tuple  # the office's people the name is: one is a match; none or two, a problem


def match_coaches(names: CoachNames, people) -> list[CoachMatch]:
    """Each named coach and who of `people` (each with first_name and last_name) the name is:
    by first and last name, or by the first name alone when only it was typed ("ศน.สมใจ").
    Nobody or two people is left for the page to say, never guessed."""
    by_full: dict[str, list] = {}
    by_first: dict[str, list] = {}
    for p in people:
        full, first = person_keys(p.first_name, p.last_name)
        by_full.setdefault(full, []).append(p)
        by_first.setdefault(first, []).append(p)
    matches = []
    for name in names.names:
        key = name_without_titles(name)
        found = by_full.get(key) or by_first.get(key) or []
        matches.append(CoachMatch(name=name, people=tuple(found)))
    return matches


def coach_problems(matches: list[CoachMatch], *, field: str) -> list[str]:
    """A Thai warning for each named coach who is nobody of the office, or two people."""
    problems = []
    for m in matches:
        if not m.people:
            problems.append(
                f"{field}: “{m.name}” ไม่ตรงกับบุคลากรคนใดในเขตพื้นที่ จึงบันทึกเป็นข้อความตามที่พิมพ์ "
                "(ตรวจการสะกดชื่อ หรือพิมพ์ชื่อและนามสกุล)"
            )
        elif len(m.people) > 1:
            shown = ", ".join(p.full_name for p in m.people[:5])
            problems.append(
                f"{field}: “{m.name}” ตรงกับบุคลากร {len(m.people)} คน ({shown}) "
                "จึงไม่ได้ระบุว่าเป็นใคร กรุณาพิมพ์ชื่อและนามสกุล"
            )
    return problems
