"""Statistics for pre/post tests and surveys. Django-free, standard library only.

scipy is not a dependency, so the paired t-test's p-value comes from Student's t CDF via
the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from krupd.lib.likert import likert_band as _likert_band


def likert_band(mean: float | None) -> str:
    """The office-wide Likert reading (krupd.lib.likert), "—" when there is no mean."""
    return _likert_band(mean) or "—"


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sd(values: Sequence[float]) -> float | None:
    """Sample standard deviation (n − 1), as Thai reports use for S.D."""
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def _betacf(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: int) -> float:
    """P(|T| ≥ |t|) for Student's t with df degrees of freedom."""
    if math.isinf(t):
        return 0.0
    return betainc(df / 2.0, 0.5, df / (df + t * t))


@dataclass(frozen=True)
class PairedT:
    n: int
    mean_diff: float
    sd_diff: float
    t: float
    df: int
    p: float

    @property
    def significant(self) -> bool:
        return self.p < 0.05


def paired_t_test(pre: Sequence[float], post: Sequence[float]) -> PairedT | None:
    """Dependent-samples t-test on post − pre. None when it cannot be computed (n < 2)."""
    if len(pre) != len(post):
        raise ValueError("pre and post must pair up")
    diffs = [b - a for a, b in zip(pre, post, strict=True)]
    n = len(diffs)
    if n < 2:
        return None
    m, s = mean(diffs), sd(diffs)
    if s == 0:
        t = math.inf if m > 0 else (-math.inf if m < 0 else 0.0)
        p = 0.0 if m else 1.0
    else:
        t = m / (s / math.sqrt(n))
        p = t_two_sided_p(t, n - 1)
    return PairedT(n=n, mean_diff=m, sd_diff=s, t=t, df=n - 1, p=p)


def normalized_gain(pre_pct: float, post_pct: float) -> float | None:
    """Hake's g = (post − pre) / (100 − pre), on percentage scores; None when pre is 100 %."""
    if pre_pct >= 100:
        return None
    return (post_pct - pre_pct) / (100.0 - pre_pct)


def class_normalized_gain(pre_pcts: Sequence[float], post_pcts: Sequence[float]) -> float | None:
    """<g> from the class means (Hake 1998): (mean post − mean pre) / (100 − mean pre)."""
    if not pre_pcts:
        return None
    return normalized_gain(mean(pre_pcts), mean(post_pcts))


def gain_band(g: float | None) -> str:
    """Hake's bands: high ≥ 0.7, medium ≥ 0.3, low below."""
    if g is None:
        return "—"
    if g >= 0.7:
        return "สูง"
    if g >= 0.3:
        return "ปานกลาง"
    return "ต่ำ"
