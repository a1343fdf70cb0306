"""Passages repeated inside one document (a body scraped twice, a paragraph pasted
again): shingles that occur again later in the same text, grown into maximal runs."""

from __future__ import annotations

import numpy as np

from .align import Run, diagonal_runs, merge

__all__ = ["find_repeats"]


def find_repeats(h: np.ndarray, k: int, n: int, min_words: int, max_gap: int) -> list[dict]:
    """Repeated passages as word ranges: ``[{"copies": [(start, end), ...], "words": w}]``,
    the first copy first.  Every word of a later copy belongs to one repeat only."""
    runs = diagonal_runs(h, h, k, n, n, self_match=True)
    if not runs:
        return []
    used = np.zeros(n, dtype=bool)  # words already counted as a later copy
    kept: list[Run] = []
    for r in sorted(runs, key=lambda r: (-r.words, r.a, r.b)):
        length = min(r.words, r.b - r.a)  # a copy may not overlap its source
        if length <= 0:
            continue
        free = ~used[r.b : r.b + length]
        if not free.any():
            continue
        padded = np.concatenate([[False], free, [False]])
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        lens = edges[1::2] - edges[0::2]
        best = int(np.argmax(lens))
        s, length = int(edges[2 * best]), int(lens[best])
        run = Run(r.a + s, r.b + s, length)
        used[run.b : run.b + length] = True
        kept.append(run)
    passages = merge(kept, max_gap, min_words)
    groups: list[dict] = []
    for p in sorted(passages, key=lambda p: (p.a_start, p.b_start)):
        src, rep = (p.a_start, p.a_end), (p.b_start, p.b_end)
        for g in groups:
            if any(_overlap(src, c) >= 0.8 * (src[1] - src[0]) for c in g["copies"]):
                if all(_overlap(rep, c) == 0 for c in g["copies"]):
                    g["copies"].append(rep)
                    g["words"] += p.matched
                break
        else:
            groups.append({"copies": [src, rep], "words": p.matched})
    for g in groups:
        # Copies of one passage have one length: a run found between the first and the
        # third copy may run on into the word that follows each (the start of the next
        # copy, and a word that happens to be the same after the last one).
        length = min(e - s for s, e in g["copies"])
        g["copies"] = sorted((s, s + length) for s, _ in g["copies"])
        g["words"] = length * (len(g["copies"]) - 1)
    groups = [g for g in groups if g["words"] >= min_words]
    return sorted(groups, key=lambda g: g["copies"][0])


def _overlap(x: tuple[int, int], y: tuple[int, int]) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))
