"""Keyness: which words a target corpus uses more (or less) than a reference.

Log-likelihood G² (Dunning 1993, in the two-cell form of Rayson & Garside 2000) with its
p-value (chi-square, 1 degree of freedom) and the log ratio effect size (Hardie 2014):
``log2((a/c) / (b/d))`` with a zero count replaced by 0.5 so the ratio stays finite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

__all__ = ["log_likelihood", "log_ratio", "p_value", "p_values", "KeynessRow", "keyness_table"]


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """G² for a word seen ``a`` times in a target of ``c`` tokens and ``b`` times in a reference of ``d``."""
    if c <= 0 or d <= 0 or a + b <= 0:
        return 0.0
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 0.0
    if a > 0:
        g2 += a * math.log(a / e1)
    if b > 0:
        g2 += b * math.log(b / e2)
    return max(0.0, 2.0 * g2)


def log_ratio(a: float, b: float, c: float, d: float, zero: float = 0.5) -> float:
    """Hardie's log ratio: binary log of the ratio of relative frequencies (zero counts as ``zero``)."""
    a = a if a > 0 else zero
    b = b if b > 0 else zero
    return math.log2((a / c) / (b / d))


_chi2 = None


def p_value(g2: float) -> float:
    global _chi2
    if _chi2 is None:
        from scipy.stats import chi2  # a second to import: only when a report needs p-values

        _chi2 = chi2
    return float(_chi2.sf(g2, 1))


def p_values(g2s: list[float]) -> list[float]:
    """``p_value`` of each (one call into scipy: each element gets the same computation
    as alone, without scipy's per-call overhead, which dominated the corpus step)."""
    if not g2s:
        return []
    p_value(0.0)  # imports scipy's chi2
    import numpy as np

    return _chi2.sf(np.array(g2s, dtype=float), 1).tolist()


@dataclass
class KeynessRow:
    word: str
    count: float
    count_ref: float
    g2: float
    p: float
    log_ratio: float
    per_million: float
    per_million_ref: float

    @property
    def positive(self) -> bool:
        return self.per_million > self.per_million_ref


def keyness_table(
    target: Mapping[str, float],
    reference: Mapping[str, float],
    target_total: float,
    reference_total: float,
    *,
    min_freq: int = 5,
    max_p: float = 0.05,
    words: Iterable[str] | None = None,
) -> tuple[list[KeynessRow], list[KeynessRow]]:
    """Positive and negative keywords, each sorted by G² (largest first, ties by word).

    A word is tested when its count in the target or the reference reaches ``min_freq``;
    it is kept when ``p <= max_p``.  ``reference`` counts may be fractional (expected
    counts from a frequency list).
    """
    positive: list[KeynessRow] = []
    negative: list[KeynessRow] = []
    if target_total <= 0 or reference_total <= 0:
        return positive, negative
    vocab = set(words) if words is not None else set(target) | set(reference)
    tested = []
    for w in vocab:
        a = target.get(w, 0)
        b = reference.get(w, 0)
        if max(a, b) < min_freq:
            continue
        tested.append((w, a, b, log_likelihood(a, b, target_total, reference_total)))
    for (w, a, b, g2), p in zip(tested, p_values([t[3] for t in tested])):
        if p > max_p:
            continue
        row = KeynessRow(w, a, b, g2, p, log_ratio(a, b, target_total, reference_total),
                         1e6 * a / target_total, 1e6 * b / reference_total)
        (positive if row.positive else negative).append(row)
    positive.sort(key=lambda r: (-r.g2, r.word))
    negative.sort(key=lambda r: (-r.g2, r.word))
    return positive, negative


def row_dict(row: KeynessRow, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "word": row.word,
        "count": _num(row.count),
        "count_reference": _num(row.count_ref),
        "per_million": row.per_million,
        "per_million_reference": row.per_million_ref,
        "g2": row.g2,
        "p": row.p,
        "log_ratio": row.log_ratio,
    }
    if extra:
        d.update(extra)
    return d


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x
