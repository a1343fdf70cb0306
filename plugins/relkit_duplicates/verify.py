"""Exact verification of candidate pairs on their shingle sets.

For every candidate ``(a, b)``: ``|A ∩ B|``, Jaccard ``|A ∩ B| / |A ∪ B|`` and the two
containments ``|A ∩ B| / |A|`` (how much of A is in B) and ``|A ∩ B| / |B|``.
Vectorised over blocks of pairs: the two sets of each pair are tagged with the pair's
index, sorted together, and equal neighbours counted.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["intersections", "scores"]

_BLOCK = 1 << 21  # shingles per block


def intersections(sets: Sequence[np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """``|A ∩ B|`` for every pair (sets hold unique values below 2**32)."""
    n = len(pairs)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    cost = sizes[pairs[:, 0]] + sizes[pairs[:, 1]]
    i = 0
    while i < n:
        j, total = i, 0
        while j < n and (total == 0 or total + cost[j] <= _BLOCK):
            total += cost[j]
            j += 1
        block = pairs[i:j]
        parts, tags = [], []
        for p, (a, b) in enumerate(block):
            parts.append(sets[a])
            parts.append(sets[b])
            tags.append(np.full(len(sets[a]) + len(sets[b]), p, dtype=np.uint64))
        values = np.concatenate(parts).astype(np.uint64)
        key = (np.concatenate(tags) << np.uint64(32)) | values
        key.sort()
        dup = key[1:] == key[:-1]
        out[i:j] = np.bincount((key[1:][dup] >> np.uint64(32)).astype(np.int64), minlength=j - i)
        i = j
    return out


def scores(sizes: np.ndarray, pairs: np.ndarray, inter: np.ndarray) -> dict[str, np.ndarray]:
    na = sizes[pairs[:, 0]].astype(np.float64)
    nb = sizes[pairs[:, 1]].astype(np.float64)
    inter_f = inter.astype(np.float64)
    union = na + nb - inter_f
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, inter_f / union, 0.0)
        ca = np.where(na > 0, inter_f / na, 0.0)
        cb = np.where(nb > 0, inter_f / nb, 0.0)
    return {"jaccard": jac, "containment_a": ca, "containment_b": cb}
