"""Candidate pairs: LSH banding over MinHash signatures, and an anchor index for
containment (a short text pasted inside a long one).

Both return candidate pairs ``(i, j)`` with ``i < j`` as an ``(n, 2)`` int64 array,
sorted and unique.  Candidates are only candidates: every one is verified exactly.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["band_candidates", "anchor_candidates", "pairs_from_groups", "unique_pairs"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    lo = np.minimum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    hi = np.maximum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    keep = lo != hi
    code = np.unique(lo[keep] * n + hi[keep])
    return np.stack([code // n, code % n], axis=1)


def pairs_from_groups(members: np.ndarray, starts: np.ndarray, ends: np.ndarray, max_bucket: int) -> tuple[np.ndarray, int]:
    """All pairs inside each group ``members[starts[g]:ends[g]]``, each pair ``(i, j)``
    with ``i < j`` (groups hold distinct members), in no particular order.  A group
    larger than ``max_bucket`` is linked as a chain (neighbours in id order) instead of
    all pairs, which keeps the group connected at linear cost.  Returns (pairs, groups
    capped)."""
    sizes = ends - starts
    limit = max(max_bucket, 2)  # a pair is never chained
    out = []
    # Groups of one size at once (a matrix of members, one row per group): a loop over
    # the few distinct sizes instead of the many groups.
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= limit)]):
        s = int(size)
        first = starts[sizes == size]
        m = members[first[:, None] + np.arange(s)]
        m.sort(axis=1)
        i, j = np.triu_indices(s, 1)
        out.append(np.stack([m[:, i].reshape(-1), m[:, j].reshape(-1)], axis=1))
    big = np.flatnonzero(sizes > limit)
    for g in big:
        m = np.sort(members[starts[g] : ends[g]])
        out.append(np.stack([m[:-1], m[1:]], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64), len(big)
    return np.concatenate(out).astype(np.int64), len(big)


def _groups(keys: np.ndarray, ids: np.ndarray):
    """Groups of equal keys with at least two members: (members, starts, ends)."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    if len(k) < 2:
        return ids[order], np.zeros(0, np.int64), np.zeros(0, np.int64)
    boundary = np.flatnonzero(k[1:] != k[:-1]) + 1
    starts = np.concatenate([[0], boundary])
    ends = np.concatenate([boundary, [len(k)]])
    big = ends - starts >= 2
    return ids[order], starts[big], ends[big]


def band_candidates(sig: np.ndarray, active: np.ndarray, bands: int, rows: int, max_bucket: int) -> tuple[np.ndarray, int]:
    """Pairs of documents (indices into ``sig``) that agree on all ``rows`` rows of at
    least one of ``bands`` bands.  Only rows ``active`` take part."""
    ids = np.flatnonzero(active).astype(np.int64)
    n = len(sig)
    if len(ids) < 2:
        return np.zeros((0, 2), dtype=np.int64), 0
    sub = sig[ids]
    found, capped = [], 0
    with np.errstate(over="ignore"):
        for band in range(bands):
            cols = sub[:, band * rows : (band + 1) * rows]
            key = cols[:, 0].copy()
            for c in range(1, rows):
                key *= _GOLDEN
                key ^= cols[:, c]
            members, starts, ends = _groups(key, ids)
            if len(starts):
                p, c = pairs_from_groups(members, starts, ends, max_bucket)
                found.append(p)
                capped += c
    if not found:
        return np.zeros((0, 2), dtype=np.int64), capped
    return unique_pairs(np.concatenate(found), n), capped


def anchor_candidates(sets: Sequence[np.ndarray], active: np.ndarray, rate: int, min_share: float, max_df: int, max_bucket: int) -> np.ndarray:
    """Pairs that share enough *anchors*: shingles whose hash is 0 modulo ``rate``.
    Anchors are chosen by content, so a passage shared by two texts has the same
    anchors in both, whatever else each text holds.  A pair is a candidate when its
    shared anchors are at least 2 and at least ``min_share`` of the smaller text's
    anchors.  Anchors found in more than ``max_df`` texts (boilerplate) are ignored."""
    n = len(sets)
    docs = np.flatnonzero(active)
    if len(docs) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    # all active sets at once, in document order (as _groups' stable sort expects)
    lens = np.fromiter((len(sets[d]) for d in docs), dtype=np.int64, count=len(docs))
    vals = np.concatenate([sets[d] for d in docs]).astype(np.uint64, copy=False)
    is_anchor = vals % np.uint64(rate) == 0
    vals_a = vals[is_anchor]
    ids_a = np.repeat(docs.astype(np.int64), lens)[is_anchor]
    counts = np.bincount(ids_a, minlength=n)
    if np.count_nonzero(counts) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    members, starts, ends = _groups(vals_a, ids_a)
    sizes = ends - starts
    keep = sizes <= max_df
    pairs, _ = pairs_from_groups(members, starts[keep], ends[keep], max_bucket)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    lo = np.minimum(pairs[:, 0], pairs[:, 1])
    hi = np.maximum(pairs[:, 0], pairs[:, 1])
    code, shared = np.unique(lo * n + hi, return_counts=True)
    a, b = code // n, code % n
    smaller = np.minimum(counts[a], counts[b])
    ok = (shared >= 2) & (shared >= min_share * smaller)
    return np.stack([a[ok], b[ok]], axis=1)
