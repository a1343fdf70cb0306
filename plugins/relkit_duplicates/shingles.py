"""Normalisation and word shingles.

Everything starts from the shared tokens: the normalised forms of a document's words
(``doc.words``, which only cover the regions cleaning kept).  A shingle is ``k``
consecutive words; shingle ``i`` covers words ``i .. i+k-1``, so every shingle maps back
to original character offsets through the word tokens.

Hashing is vectorised: a polynomial hash of each word's characters (computed for all
words of a text at once from prefix sums), then of each run of ``k`` word hashes,
both finalised with splitmix64; stable across processes and runs.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Sequence

import numpy as np

__all__ = [
    "word_hashes",
    "shingle_hashes",
    "fingerprint",
    "encode_set",
    "decode_set",
]

_ROLL = np.uint64(0x100000001B3)  # FNV prime: multiplier of the polynomial shingle hash
_CHAR = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible modulo 2**64
_CHAR_INV = np.uint64(pow(0x9E3779B97F4A7C15, -1, 1 << 64))


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: np.uint64, n: int) -> np.ndarray:
    """``base**0 .. base**(n-1)`` modulo 2**64 (cached, grown by doubling)."""
    have = _POWERS.get(int(base))
    if have is None or len(have) < n:
        size = max(n, 2 * len(have) if have is not None else 4096)
        p = np.full(size, base, dtype=np.uint64)
        p[0] = 1
        with np.errstate(over="ignore"):
            have = _POWERS[int(base)] = np.cumprod(p, dtype=np.uint64)
    return have[:n]


def word_hashes(norms: Sequence[str]) -> np.ndarray:
    """64-bit hashes of word forms, in order (uint64), all words at once.

    The words' code points are laid end to end; with ``S_j = sum_{i<j} c_i * B**i``
    (mod 2**64) a word spanning ``[s, e)`` hashes to ``(S_e - S_s) * B**-s``: a
    polynomial hash of its characters alone, whatever precedes it.  No per-word
    Python work beyond ``len``; stable across processes and runs.
    """
    n = len(norms)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer("".join(norms).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    lens = np.fromiter(map(len, norms), dtype=np.int64, count=n)
    ends = np.cumsum(lens)
    starts = ends - lens
    with np.errstate(over="ignore"):
        pw = _powers(_CHAR, len(codes) + 1)
        prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
        np.cumsum(codes * pw[:-1], out=prefix[1:])
        inv = _powers(_CHAR_INV, len(codes) + 1)
        h = (prefix[ends] - prefix[starts]) * inv[starts]
        h += lens.astype(np.uint64)
    return _mix(h)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole 64-bit word."""
    h = h.copy()
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


def shingle_hashes(wh: np.ndarray, k: int) -> np.ndarray:
    """32-bit hashes of the word k-shingles of a word-hash sequence (uint64 array of
    length ``n - k + 1``).  A text shorter than ``k`` words (but not empty) has one
    shingle: all its words."""
    n = len(wh)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(k, n)
    m = n - k + 1
    with np.errstate(over="ignore"):
        acc = wh[0:m].copy()
        for i in range(1, k):
            acc *= _ROLL
            acc += wh[i : i + m]
        acc += np.uint64(k)
        return _mix(acc) >> np.uint64(32)


def fingerprint(norms: Sequence[str]) -> str:
    """Exact-duplicate key: the word sequence after normalisation (case, typographic
    marks folded by the tokenizer; whitespace, punctuation and cleaned artefacts are
    not words, so they do not count)."""
    return hashlib.blake2b("\x00".join(norms).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode_set(values: np.ndarray) -> str:
    """A sorted set of 32-bit shingle hashes as compact JSON-able text (base64, LE)."""
    return base64.b64encode(np.asarray(values, dtype="<u4").tobytes()).decode("ascii")


def decode_set(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype="<u4").astype(np.uint64)
