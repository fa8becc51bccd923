"""Statistics on hand-computed data."""

import math

import pytest

from training import stats


def test_it_computes_mean_and_sample_sd_by_hand():
    # 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, sample variance 32/7.
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    assert stats.mean(values) == 5
    assert stats.sd(values) == pytest.approx(math.sqrt(32 / 7))
    assert stats.sd([3]) is None and stats.mean([]) is None


def test_it_runs_a_paired_t_test_on_hand_computed_data():
    # d = post − pre = 1, 2, 2, 5: mean 2.5; Σ(d − 2.5)² = 2.25+.25+.25+6.25 = 9; sd = √3
    # t = 2.5 / (√3 / 2) = 2.8868, df 3; two-sided p from t tables ≈ 0.0632.
    result = stats.paired_t_test([1, 2, 3, 4], [2, 4, 5, 9])
    assert result.mean_diff == 2.5
    assert result.sd_diff == pytest.approx(math.sqrt(3))
    assert result.t == pytest.approx(5 / math.sqrt(3))
    assert result.df == 3
    assert result.p == pytest.approx(0.0632, abs=5e-4)
    assert not result.significant


@pytest.mark.parametrize(
    "t, df, p",
    [(2.228, 10, 0.05), (12.706, 1, 0.05), (2.042, 30, 0.05), (2.750, 30, 0.01), (1.0, 1, 0.5)],
)
def test_it_matches_critical_values_of_students_t(t, df, p):
    assert stats.t_two_sided_p(t, df) == pytest.approx(p, abs=2e-4)


def test_it_handles_identical_differences_and_tiny_classes():
    assert stats.paired_t_test([50], [80]) is None
    same = stats.paired_t_test([40, 50], [60, 70])
    assert same.p == 0.0 and same.t == math.inf
    assert stats.paired_t_test([40, 50], [40, 50]).p == 1.0


def test_it_computes_normalized_gain():
    # Hake: (post − pre) / (100 − pre). 40 → 70: 30/60 = 0.5; class means 40 and 70 → 0.5.
    assert stats.normalized_gain(40, 70) == 0.5
    assert stats.normalized_gain(100, 100) is None
    assert stats.class_normalized_gain([20, 60], [60, 80]) == pytest.approx((70 - 40) / 60)
    assert stats.gain_band(0.72) == "สูง" and stats.gain_band(0.3) == "ปานกลาง"
    assert stats.gain_band(0.29) == "ต่ำ"


@pytest.mark.parametrize(
    "mean, band",
    [(5.0, "มากที่สุด"), (4.51, "มากที่สุด"), (4.505, "มากที่สุด"), (4.50, "มาก"), (3.51, "มาก"),
     (3.50, "ปานกลาง"), (2.51, "ปานกลาง"), (2.5, "น้อย"), (1.51, "น้อย"), (1.5, "น้อยที่สุด"),
     (1.0, "น้อยที่สุด")],
)  # fmt: skip
def test_it_reads_likert_means_with_the_thai_bands(mean, band):
    assert stats.likert_band(mean) == band
