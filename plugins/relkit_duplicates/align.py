"""Aligned passages between two documents, from their shingle sequences.

Shingle ``i`` of A equal to shingle ``j`` of B is a match on diagonal ``j - i``; a run
of consecutive matches on one diagonal is a shared stretch of ``run + k - 1`` words.
Runs are taken longest first, each word of either document used at most once (a 1:1
alignment), and runs that follow each other in both documents with small gaps
(a substituted word breaks ``k`` shingles) are merged into one passage.
Positions are word indices; callers map them to character offsets with the tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Run", "diagonal_runs", "align", "Passage"]

_MAX_OCC = 50  # a shingle more frequent than this in one text is boilerplate: not an anchor


@dataclass(frozen=True)
class Run:
    a: int  # first word in A
    b: int  # first word in B
    words: int  # length in words (same in both)


@dataclass(frozen=True)
class Passage:
    a_start: int
    a_end: int  # exclusive, words
    b_start: int
    b_end: int
    matched: int  # words inside aligned runs


def diagonal_runs(ha: np.ndarray, hb: np.ndarray, k: int, n_a: int, n_b: int, *, self_match: bool = False) -> list[Run]:
    """Maximal runs of equal shingles on a diagonal.  ``k`` is the shingle size in
    words; ``n_a``/``n_b`` the word counts (a text shorter than ``k`` has one shingle
    covering all its words).  With ``self_match`` (A is B) only diagonals ``> 0``."""
    if len(ha) == 0 or len(hb) == 0:
        return []
    order_b = np.argsort(hb, kind="stable")
    sb = hb[order_b]
    lo = np.searchsorted(sb, ha, side="left")
    hi = np.searchsorted(sb, ha, side="right")
    cnt = hi - lo
    ok = (cnt > 0) & (cnt <= _MAX_OCC)
    ia = np.flatnonzero(ok)
    if len(ia) == 0:
        return []
    reps = cnt[ia]
    i_rep = np.repeat(ia, reps)
    offs = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    j_rep = order_b[np.repeat(lo[ia], reps) + offs]
    if self_match:
        keep = j_rep > i_rep
        i_rep, j_rep = i_rep[keep], j_rep[keep]
        if len(i_rep) == 0:
            return []
    d = j_rep - i_rep
    order = np.lexsort((i_rep, d))
    d, i_rep = d[order], i_rep[order]
    brk = np.flatnonzero((np.diff(d) != 0) | (np.diff(i_rep) != 1)) + 1
    starts = np.concatenate([[0], brk])
    ends = np.concatenate([brk, [len(d)]])
    ka, kb = min(k, n_a), min(k, n_b)
    kk = min(ka, kb)
    runs = []
    for s, e in zip(starts, ends):
        a0 = int(i_rep[s])
        b0 = a0 + int(d[s])
        words = int(e - s) + kk - 1
        words = min(words, n_a - a0, n_b - b0)
        runs.append(Run(a0, b0, words))
    return runs


def select(runs: list[Run], n_a: int, n_b: int, *, self_match: bool = False) -> list[Run]:
    """Longest first; each word of A and of B in at most one run (a run overlapping
    earlier ones is trimmed to its longest free stretch)."""
    used_a = np.zeros(n_a, dtype=bool)
    used_b = np.zeros(n_b, dtype=bool) if not self_match else used_a
    out = []
    for r in sorted(runs, key=lambda r: (-r.words, r.a, r.b)):
        free = ~used_a[r.a : r.a + r.words] & ~used_b[r.b : r.b + r.words]
        if self_match:
            # copies of one run may not overlap each other either
            overlap = max(0, r.a + r.words - r.b)
            if overlap:
                free[r.words - overlap :] = False
        if not free.any():
            continue
        # longest stretch of free words
        padded = np.concatenate([[False], free, [False]])
        edges = np.flatnonzero(padded[1:] != padded[:-1])
        lens = edges[1::2] - edges[0::2]
        best = int(np.argmax(lens))
        s, length = int(edges[2 * best]), int(lens[best])
        if length <= 0:
            continue
        run = Run(r.a + s, r.b + s, length)
        used_a[run.a : run.a + length] = True
        used_b[run.b : run.b + length] = True
        out.append(run)
    return out


def merge(runs: list[Run], max_gap: int, min_words: int) -> list[Passage]:
    """Merge runs that follow each other in both texts with gaps of at most
    ``max_gap`` words into passages; keep passages of at least ``min_words``."""
    passages: list[Passage] = []
    cur: list[int] | None = None
    for r in sorted(runs, key=lambda r: (r.a, r.b)):
        if cur is not None:
            gap_a = r.a - cur[1]
            gap_b = r.b - cur[3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                cur[1] = r.a + r.words
                cur[3] = r.b + r.words
                cur[4] += r.words
                continue
            passages.append(Passage(*cur))
        cur = [r.a, r.a + r.words, r.b, r.b + r.words, r.words]
    if cur is not None:
        passages.append(Passage(*cur))
    return [p for p in passages if p.matched >= min_words]


def align(ha: np.ndarray, hb: np.ndarray, k: int, n_a: int, n_b: int, max_gap: int, min_words: int) -> list[Passage]:
    runs = select(diagonal_runs(ha, hb, k, n_a, n_b), n_a, n_b)
    return merge(runs, max_gap, min_words)
