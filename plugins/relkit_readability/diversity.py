"""Lexical diversity: MTLD and moving-average type–token ratio, on the same word units.

Both are length-robust, unlike the plain type–token ratio, which falls as texts grow.
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["mtld", "mattr", "ttr"]


def ttr(forms: Sequence[str]) -> float | None:
    """Types / tokens."""
    return len(set(forms)) / len(forms) if forms else None


def _mtld_pass(forms: Sequence[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    add = types.add
    count = 0
    for w in forms:
        count += 1
        if w not in types:
            # A new type cannot close a factor: if types > threshold*(count-1) held before,
            # types+1 > threshold*count holds now (threshold < 1). Only repeats are checked.
            add(w)
        elif len(types) <= threshold * count:  # TTR ≤ threshold, without a division
            factors += 1.0
            types = set()
            add = types.add
            count = 0
    if count:
        current = len(types) / count
        factors += (1.0 - current) / (1.0 - threshold)
    return factors


def mtld(forms: Sequence[str], threshold: float = 0.72) -> float | None:
    """Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010).

    Tokens are read until the running TTR falls to ``threshold`` (0.72), which closes a
    factor; the leftover counts as a partial factor, (1 − TTR)/(1 − threshold). MTLD is
    tokens/factors, averaged over a forward and a backward pass. None when no factor
    (not even a partial one) is reached — the text is too short or has no repeats.
    """
    if not forms:
        return None
    values = []
    for seq in (forms, forms[::-1]):
        f = _mtld_pass(seq, threshold)
        if f <= 0:
            return None
        values.append(len(seq) / f)
    return sum(values) / 2.0


def mattr(forms: Sequence[str], window: int = 50) -> float | None:
    """Moving-average TTR (Covington & McFall 2010): the mean TTR of every window of
    ``window`` consecutive tokens; the plain TTR when the text is shorter than a window.
    """
    n = len(forms)
    if n == 0:
        return None
    if n <= window:
        return len(set(forms)) / n
    counts: dict[str, int] = {}
    for w in forms[:window]:
        counts[w] = counts.get(w, 0) + 1
    distinct = len(counts)
    total = distinct
    for out, inc in zip(forms, forms[window:]):
        if out != inc:  # the same word leaving and entering changes nothing
            c = counts[out]
            if c == 1:
                del counts[out]
                distinct -= 1
            else:
                counts[out] = c - 1
            c = counts.get(inc)
            if c is None:
                counts[inc] = 1
                distinct += 1
            else:
                counts[inc] = c + 1
        total += distinct
    return total / ((n - window + 1) * window)
