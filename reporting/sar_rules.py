"""The rule that suggests a SAR quality level from the evidence found, kept free of the
database so it can be checked on hand-built cases.

Each sub-point of an item has evidence of a strength: none (nothing in KruPD), weak (data
exists but does not meet the point's criterion) or clear (meets it, and can be checked
through the links). A level rule (SarLevelRule, one per level, written by the office) says:

* evidence_in: sub-points that must have at least weak evidence (all / any / not required);
* clear_in: sub-points that must have clear evidence (all / any / not required);
* needs_follow_up: whether follow-up results must have been used to adjust the process.

The suggestion is the highest level whose every condition holds. A level with no condition
is the base level: in the SAR rubric, level 1 is "done, but without evidence", so it is
what is suggested when KruPD holds no evidence at all, said in those words. The system never
claims evidence it does not hold; whether the work was done is for the officers to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Strength(IntEnum):
    NONE = 0
    WEAK = 1
    CLEAR = 2

    @property
    def label(self) -> str:
        return {0: "ไม่พบหลักฐานในระบบ", 1: "มีข้อมูลแต่ยังไม่ชัดเจน", 2: "มีหลักฐานชัดเจน ตรวจสอบได้"}[
            self.value
        ]


@dataclass(frozen=True)
class LevelRule:
    level: int
    evidence_in: str = ""  # "all" | "any" | ""
    clear_in: str = ""
    needs_follow_up: bool = False

    @property
    def has_conditions(self) -> bool:
        return bool(self.evidence_in or self.clear_in or self.needs_follow_up)


@dataclass(frozen=True)
class Suggestion:
    level: int | None
    reason: str


def _covers(strengths: list[Strength], how: str, at_least: Strength) -> bool:
    if how == "all":
        return all(s >= at_least for s in strengths)
    if how == "any":
        return any(s >= at_least for s in strengths)
    return True


def holds(rule: LevelRule, points: list[Strength], follow_up: Strength) -> bool:
    return (
        _covers(points, rule.evidence_in, Strength.WEAK)
        and _covers(points, rule.clear_in, Strength.CLEAR)
        and (not rule.needs_follow_up or follow_up == Strength.CLEAR)
    )


def rule_text(rule: LevelRule) -> str:
    """The rule in words, as shown beside the suggestion."""
    words = {"all": "ทุกประเด็นย่อย", "any": "อย่างน้อย 1 ประเด็นย่อย"}
    parts = []
    if rule.evidence_in:
        parts.append(f"มีร่องรอยหลักฐาน{words[rule.evidence_in]}")
    if rule.clear_in:
        parts.append(f"หลักฐานชัดเจน ตรวจสอบได้{words[rule.clear_in]}")
    if rule.needs_follow_up:
        parts.append("นำผลการติดตามประเมินผลมาปรับกระบวนการ")
    return " และ ".join(parts) if parts else "ดำเนินการแล้วแต่ไม่มีร่องรอยหลักฐาน"


def suggest_level(
    points: list[Strength], follow_up: Strength, rules: list[LevelRule]
) -> Suggestion:
    if not points:
        return Suggestion(None, "ประเด็นนี้ยังไม่มีประเด็นย่อยให้พิจารณา")
    base = min((r for r in rules if not r.has_conditions), key=lambda r: r.level, default=None)
    if all(p == Strength.NONE for p in points):
        if base is None:
            return Suggestion(None, "ไม่พบร่องรอยหลักฐานของประเด็นนี้ในระบบ")
        return Suggestion(
            base.level,
            f"ไม่พบร่องรอยหลักฐานในระบบ: ระดับ {base.level} ({rule_text(base)}) "
            "หากได้ดำเนินการแล้ว แนบหลักฐานเพื่อยกระดับ",
        )
    for rule in sorted(rules, key=lambda r: -r.level):
        if holds(rule, points, follow_up):
            return Suggestion(rule.level, f"ระดับ {rule.level}: {rule_text(rule)}")
    return Suggestion(None, "หลักฐานที่พบยังไม่ถึงเงื่อนไขของระดับใด")
