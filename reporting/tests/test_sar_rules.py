"""The suggested SAR level follows the stated rules on hand-built cases, and never claims
evidence that is not there."""

import pytest

from reporting.reference_data import SAR_LEVELS_55
from reporting.sar_rules import LevelRule, Strength, rule_text, suggest_level

N, W, C = Strength.NONE, Strength.WEAK, Strength.CLEAR
RULES = [LevelRule(level, ev, clear, follow) for level, _text, ev, clear, follow in SAR_LEVELS_55]


@pytest.mark.parametrize(
    ("points", "follow_up", "level"),
    [
        ([C, C, C, C], C, 4),  # every sub-point clear and follow-up used: the SAR's level 4
        ([C, C, C, C], W, 3),  # all clear but follow-up results not (clearly) used: not 4
        ([C, C, C, C], N, 3),
        ([C, W, W, W], C, 3),  # evidence everywhere, clear in some
        ([W, W, W, W], C, 2),  # evidence everywhere but unclear in every one
        ([C, N, C, C], C, 1),  # a sub-point without evidence: not level 2 ("ทุกข้อ")
        ([W, N], N, 1),
        ([N, N, N, N], C, 1),  # no evidence at all: level 1 = done but without evidence
        ([], C, None),
    ],
)
def test_it_suggests_the_highest_level_whose_rule_holds(points, follow_up, level):
    assert suggest_level(points, follow_up, RULES).level == level


def test_a_rule_without_conditions_is_the_base_level():
    rules = [LevelRule(4, "all", "all", True), LevelRule(1)]
    assert suggest_level([W], N, rules).level == 1
    assert suggest_level([C, C], C, rules).level == 4
    # Without a base level, no evidence means nothing to suggest.
    assert suggest_level([N, N], C, [LevelRule(2, "all")]).level is None


def test_with_no_evidence_it_suggests_level_one_and_says_why():
    suggestion = suggest_level([N, N, N, N], N, RULES)
    assert suggestion.level == 1
    assert suggestion.reason.startswith("ไม่พบร่องรอยหลักฐานในระบบ: ระดับ 1")
    assert "ดำเนินการแล้วแต่ไม่มีร่องรอยหลักฐาน" in suggestion.reason


def test_it_explains_the_rule_in_words():
    assert rule_text(RULES[3]) == (
        "มีร่องรอยหลักฐานทุกประเด็นย่อย และ หลักฐานชัดเจน ตรวจสอบได้ทุกประเด็นย่อย "
        "และ นำผลการติดตามประเมินผลมาปรับกระบวนการ"
    )
    assert rule_text(RULES[0]) == "ดำเนินการแล้วแต่ไม่มีร่องรอยหลักฐาน"


def test_an_evidence_criterion_is_read_on_the_printed_figure():
    """The SAR's "clear" evidence agrees with the percentage printed beside its criterion."""
    from reporting.evidence import _meets

    assert _meets(29 / 100 * 100, 29)  # 28.999999999999996, printed 29.00
    assert _meets(79.995, 80)  # printed 80.00
    assert not _meets(79.994, 80)  # printed 79.99
    assert _meets(79.95, 80, 1) and not _meets(79.94, 80, 1)
    assert not _meets(None, 80)
