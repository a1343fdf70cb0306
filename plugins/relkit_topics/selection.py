"""Choosing k: candidate grid bounded by corpus size, sweep scored by coherence and diversity."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .metrics import diversity, npmi_topics, top_indices
from .models import Fit

__all__ = ["k_upper_bound", "k_grid", "SweepPoint", "sweep", "CRITERION"]

CRITERION = (
    "mean NPMI of top-10 terms x topic diversity (topic quality, Dieng et al. 2020) x stability "
    "(mean matched Jaccard of top-10 terms over refits on 80% samples, Greene et al. 2014); ties to the smaller k; "
    "a candidate whose quality is already below the best score is not refitted (stability <= 1 cannot lift it): "
    "its stability and score are null"
)
CRITERION_NO_STABILITY = "mean NPMI of top-10 terms x topic diversity (topic quality, Dieng et al. 2020); ties to the smaller k"


def k_upper_bound(n_docs: int, n_terms: int, k_max: int) -> int:
    """The largest k worth trying: at most half the documents (so a topic spans two
    documents on average), at most 2*sqrt(n) on larger corpora, at most half the
    vocabulary, and at most ``k_max``."""
    by_docs = min(math.ceil(n_docs / 2), math.ceil(2 * math.sqrt(n_docs)))
    return max(1, min(k_max, by_docs, max(1, n_terms // 2)))


def k_grid(lo: int, hi: int) -> list[int]:
    """Every k up to 10, then 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, ... and ``hi`` itself."""
    if hi < lo:
        return []
    steps = [12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500]
    ks = {k for k in range(lo, min(hi, 10) + 1)} | {k for k in steps if lo <= k <= hi} | {hi}
    return sorted(ks)


@dataclass
class SweepPoint:
    k: int
    coherence: float | None
    diversity: float
    quality: float | None  # coherence x diversity: the score's upper bound
    stability: float | None
    score: float | None
    fit: Fit


def quality(coherence: float | None, div: float, stab: float | None) -> float | None:
    if coherence is None:
        return None
    return coherence * div * (1.0 if stab is None else stab)


def sweep(
    ks: list[int],
    fit: Callable[[int], Fit],
    binary,
    n_docs: int,
    n_top: int = 10,
    stability: Callable[[int, list[list[int]]], float | None] | None = None,
) -> tuple[list[SweepPoint], SweepPoint]:
    """Fit every k, score it (with ``stability(k, top_terms)`` when given), return all
    points and the chosen one.

    Stability is measured in order of falling quality, and not at all for a candidate
    whose quality (the most its score can reach) is below the best score found so far:
    it could not win, so its refits, the bulk of the sweep's cost, are skipped.  The
    chosen k is the one scoring every candidate would give."""
    points = []
    for k in ks:
        f = fit(k)
        tops = top_indices(f.topic_term, n_top)
        scores = [s for s in npmi_topics(binary, tops, n_docs) if s is not None]
        coh = sum(scores) / len(scores) if scores else None
        div = diversity(tops)
        q = quality(coh, div, None)
        points.append(SweepPoint(k, coh, div, q, None, q if stability is None else None, f))
    if stability is not None:

        def key(p: SweepPoint, value: float) -> tuple[float, int]:
            return (round(value, 9), -p.k)

        best: SweepPoint | None = None
        for p in sorted((p for p in points if p.quality is not None), key=lambda p: (-round(p.quality, 9), p.k)):
            if best is not None and key(p, p.quality) < key(best, best.score):
                continue
            p.stability = stability(p.k, top_indices(p.fit.topic_term, n_top))
            p.score = quality(p.coherence, p.diversity, p.stability)
            if p.score is not None and (best is None or key(p, p.score) > key(best, best.score)):
                best = p
    scored = [p for p in points if p.score is not None]
    best = max(scored, key=lambda p: (round(p.score, 9), -p.k)) if scored else points[0]
    return points, best
