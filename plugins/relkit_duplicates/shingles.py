"""Normalisation and word shingles.

Everything starts from the shared tokens: the normalised forms of a document's words
(``doc.words``, which only cover the regions cleaning kept).  A shingle is ``k``
consecutive words; shingle ``i`` covers words ``i .. i+k-1``, so every shingle maps back
to original character offsets through the word tokens.

Hashing is done once per word form (BLAKE2b, stable across processes and runs) and
then per shingle with vectorised numpy arithmetic on the word-hash sequence.
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

_MASK64 = (1 << 64) - 1
_ROLL = np.uint64(0x100000001B3)  # FNV prime: multiplier of the polynomial shingle hash
_WORD_CACHE: dict[str, int] = {}
_WORD_CACHE_MAX = 1_000_000


def _word_hash(norm: str) -> int:
    h = _WORD_CACHE.get(norm)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        if len(_WORD_CACHE) >= _WORD_CACHE_MAX:
            _WORD_CACHE.clear()
        _WORD_CACHE[norm] = h
    return h


def word_hashes(norms: Sequence[str]) -> np.ndarray:
    """64-bit hashes of word forms, in order (uint64)."""
    return np.fromiter((_word_hash(n) for n in norms), dtype=np.uint64, count=len(norms))


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
    h = hashlib.blake2b(digest_size=16)
    for n in norms:
        h.update(n.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def encode_set(values: np.ndarray) -> str:
    """A sorted set of 32-bit shingle hashes as compact JSON-able text (base64, LE)."""
    return base64.b64encode(np.asarray(values, dtype="<u4").tobytes()).decode("ascii")


def decode_set(s: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype="<u4").astype(np.uint64)
