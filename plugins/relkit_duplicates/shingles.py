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
    "unique_sorted",
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
    # Called once per document: a short text costs more in numpy call overhead than in
    # arithmetic, hence in-place ufuncs and add.accumulate (np.cumsum's wrapper costs
    # several microseconds a call).  uint64 arithmetic on arrays wraps without warnings.
    codes = np.frombuffer("".join(norms).encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    lens = np.fromiter(map(len, norms), dtype=np.int64, count=n)
    m = len(codes)
    prefix = np.empty(m + 1, dtype=np.uint64)
    prefix[0] = 0
    np.multiply(codes, _powers(_CHAR, m), out=prefix[1:])
    _accumulate(prefix[1:], out=prefix[1:])
    ends = _accumulate(lens)
    starts = ends - lens
    h = prefix[ends]
    h -= prefix[starts]
    h *= _powers(_CHAR_INV, m + 1)[starts]
    h += lens.view(np.uint64)
    return _mix_inplace(h)


_accumulate = np.add.accumulate
_S27, _S30, _S31, _S32 = np.uint64(27), np.uint64(30), np.uint64(31), np.uint64(32)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the whole 64-bit word."""
    return _mix_inplace(h.copy())


def _mix_inplace(h: np.ndarray) -> np.ndarray:
    t = h >> _S30
    h ^= t
    h *= _MIX1
    np.right_shift(h, _S27, out=t)
    h ^= t
    h *= _MIX2
    np.right_shift(h, _S31, out=t)
    h ^= t
    return h


_ROLL_POWERS: dict[int, np.ndarray] = {}


def shingle_hashes(wh: np.ndarray, k: int) -> np.ndarray:
    """32-bit hashes of the word k-shingles of a word-hash sequence (uint64 array of
    length ``n - k + 1``).  A text shorter than ``k`` words (but not empty) has one
    shingle: all its words."""
    n = len(wh)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(k, n)
    m = n - k + 1
    # The polynomial sum_i wh[j+i] * R**(k-1-i) (what Horner's rule over the window
    # gives) as one product of the (m × k) window view with R's powers: one call
    # instead of 2(k-1); integer matmul wraps modulo 2**64 like the ufuncs.
    pk = _ROLL_POWERS.get(k)
    if pk is None:
        pk = _ROLL_POWERS[k] = _powers(_ROLL, k)[::-1].copy()
    wh = np.ascontiguousarray(wh, dtype=np.uint64)
    windows = np.ndarray((m, k), dtype=np.uint64, buffer=wh, strides=(8, 8))
    acc = windows @ pk
    acc += np.uint64(k)
    h = _mix_inplace(acc)
    h >>= _S32
    return h


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-d array, without its per-call overhead (it is
    called once per document)."""
    s = np.sort(values)
    if len(s) > 1:
        keep = np.empty(len(s), dtype=bool)
        keep[0] = True
        np.not_equal(s[1:], s[:-1], out=keep[1:])
        s = s[keep]
    return s


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
