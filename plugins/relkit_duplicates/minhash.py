"""MinHash signatures for many documents at once (numpy, vectorised).

Two schemes, both with permutations ``(a * x + b) mod p``:

* ``minhash``: the classic scheme, one permutation per signature row.
* ``oph``: one-permutation hashing (Li, Owen & Zhang 2012) with optimal densification
  (Shrivastava 2017): each shingle is permuted once and falls in one of ``num_perm``
  bins by its hash; a row is the minimum of its bin; an empty bin borrows the value of
  a bin picked by a fixed, document-independent sequence of probes.  Two documents
  agree on a row with probability equal to their Jaccard similarity, as with the
  classic scheme, at a cost of one hash per shingle instead of ``num_perm``.

Each document is a set of 32-bit shingle hashes ``x``.  Permutation ``i`` is
``(a_i * x + b_i) mod p`` with ``p = 2**61 - 1`` (a Mersenne prime, so the modulo is a
shift, a mask and an add) and ``a_i < 2**31``, ``b_i < 2**61`` (no uint64 overflow).
All documents' shingles are concatenated and processed in blocks: one
``(shingles × permutations)`` array per block, reduced to per-document minima with
``np.minimum.reduceat``.  Cost is linear in the total number of shingles.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["MERSENNE", "permutations", "signatures", "oph_signatures", "optimal_bands", "collision_probability"]

MERSENNE = np.uint64((1 << 61) - 1)
_BLOCK = 1 << 15  # shingles per block: 32k × 128 perms × 8 bytes = 32 MB


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    a = rng.randint(1, 1 << 31, size=num_perm, dtype=np.uint64)
    b = rng.randint(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (``len(sets) × num_perm``, uint64).  Empty sets get the
    maximum value in every row (they never share a band with anything real)."""
    a, b = permutations(num_perm, seed)
    n = len(sets)
    out = np.full((n, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    nonempty = np.flatnonzero(sizes)
    if len(nonempty) == 0:
        return out
    # Blocks of whole documents, each holding about _BLOCK shingles.
    i = 0
    shift = np.uint64(61)
    block = max(min(_BLOCK, int(sizes.sum())), int(sizes.max()))  # buffers no larger than the input needs
    h_buf = np.empty((block, num_perm), dtype=np.uint64)
    hi_buf = np.empty((block, num_perm), dtype=np.uint64)
    ge_buf = np.empty((block, num_perm), dtype=bool)
    while i < len(nonempty):
        j, total = i, 0
        while j < len(nonempty) and (total == 0 or total + sizes[nonempty[j]] <= _BLOCK):
            total += sizes[nonempty[j]]
            j += 1
        docs = nonempty[i:j]
        values = np.concatenate([sets[d] for d in docs]).astype(np.uint64, copy=False)
        starts = np.zeros(len(docs), dtype=np.int64)
        np.cumsum(sizes[docs][:-1], out=starts[1:])
        m = len(values)
        h, hi, ge = h_buf[:m], hi_buf[:m], ge_buf[:m]
        np.multiply(values[:, None], a, out=h)
        h += b
        np.right_shift(h, shift, out=hi)
        h &= MERSENNE
        h += hi
        np.greater_equal(h, MERSENNE, out=ge)
        np.subtract(h, MERSENNE, out=h, where=ge)
        out[docs] = np.minimum.reduceat(h, starts, axis=0)
        i = j
    return out


def _permute_once(values: np.ndarray, a: np.uint64, b: np.uint64) -> np.ndarray:
    h = values * a
    h += b
    hi = h >> np.uint64(61)
    h &= MERSENNE
    h += hi
    np.subtract(h, MERSENNE, out=h, where=h >= MERSENNE)
    return h


_OPH_BLOCK = 1 << 19  # shingles hashed per block: temporaries of a few MB stay in cache


def oph_signatures(sets: Sequence[np.ndarray], num_perm: int, seed: int) -> np.ndarray:
    """One-permutation MinHash with optimal densification (``len(sets) × num_perm``)."""
    a, b = permutations(1, seed)
    n = len(sets)
    empty_value = np.iinfo(np.uint64).max
    out = np.full((n, num_perm), empty_value, dtype=np.uint64)
    sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    if not sizes.any():
        return out
    flat = out.reshape(-1)
    k = np.uint64(num_perm)
    pow2 = num_perm & (num_perm - 1) == 0  # bin and value by mask and shift: same numbers as % and //
    mask, shift = np.uint64(num_perm - 1), np.uint64(num_perm.bit_length() - 1)
    ends = np.cumsum(sizes)
    i = 0
    while i < n:
        # documents i .. j-1: about _OPH_BLOCK shingles, at least one document
        j = max(i + 1, int(np.searchsorted(ends, (ends[i - 1] if i else 0) + _OPH_BLOCK, side="right")))
        if ends[j - 1] > (ends[i - 1] if i else 0):
            h = _permute_once(np.concatenate([sets[d] for d in range(i, j)]).astype(np.uint64, copy=False), a[0], b[0])
            if pow2:
                bins = (h & mask).astype(np.int64)
                h >>= shift
            else:
                bins = (h % k).astype(np.int64)
                h //= k
            cell = np.repeat(np.arange(i * num_perm, j * num_perm, num_perm, dtype=np.int64), sizes[i:j])
            cell += bins
            np.minimum.at(flat, cell, h)
        i = j
    # Densification: an empty bin j takes the value of bin probe(j, t) for the first
    # t = 0, 1, … that is non-empty; probes depend on (seed, j, t) only, never on the
    # document, so two documents make the same choice wherever their bins agree.
    # Only originally filled bins are read and only empty ones written, so the values
    # are read from the signature being filled in (no copy).
    filled = flat != empty_value
    todo = ~filled
    todo.reshape(n, num_perm)[sizes == 0] = False
    cell = np.flatnonzero(todo)
    if len(cell):
        col = cell % num_perm
        row_start = cell - col
        rng = np.random.RandomState(seed + 1)
        t = 0
        while len(cell):
            probe = rng.randint(0, num_perm, size=num_perm)  # probe t for every bin j
            source = row_start + probe[col]
            ok = filled[source]
            with np.errstate(over="ignore"):
                flat[cell[ok]] = flat[source[ok]] + np.uint64(t + 1) * (np.uint64(1) << np.uint64(56))
            miss = ~ok
            cell, col, row_start = cell[miss], col[miss], row_start[miss]
            t += 1
    return out


def collision_probability(s: np.ndarray | float, bands: int, rows: int):
    """Probability that two sets with Jaccard ``s`` share at least one band."""
    return 1.0 - (1.0 - np.power(s, rows)) ** bands


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted area of false positives below the threshold
    and false negatives above it (the same criterion as datasketch's MinHashLSH)."""
    best, best_err = (1, num_perm), float("inf")
    xs_lo = np.linspace(0.0, threshold, 201)
    xs_hi = np.linspace(threshold, 1.0, 201)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _trapz(collision_probability(xs_lo, b, r), xs_lo)
            fn = _trapz(1.0 - collision_probability(xs_hi, b, r), xs_hi)
            err = fp_weight * fp + fn_weight * fn
            if err < best_err - 1e-12:
                best, best_err = (b, r), err
    return best


def _trapz(y: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2.0)
