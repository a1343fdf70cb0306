"""General-English word frequencies from ``wordfreq`` (offline, shipped with the package)."""

from __future__ import annotations

import math
import re
from functools import lru_cache

__all__ = ["frequency_dict", "word_frequency", "known_frequency", "specificity", "FLOOR"]

FLOOR = 1e-8  # frequency given to words wordfreq does not know (Zipf 1)
_PARTS = re.compile(r"[-–‑/'’.&]+")


@lru_cache(maxsize=1)
def frequency_dict() -> dict[str, float]:
    """wordfreq's English frequency table (proportions of all tokens), loaded once per process."""
    import wordfreq

    return wordfreq.get_frequency_dict("en")


_cache: dict[str, float] = {}


def word_frequency(norm: str) -> float:
    """Frequency of a normalised word in general English, a proportion; FLOOR when unknown.

    Compounds wordfreq splits ("russia-azerbaijan") combine their parts the way wordfreq
    does (1/f = sum of 1/f_i), so a compound is rarer than each of its parts.
    """
    hit = _cache.get(norm)
    if hit is not None:
        return hit
    table = frequency_dict()
    f = table.get(norm)
    if f is None:
        parts = [p for p in _PARTS.split(norm) if p]
        if len(parts) > 1:
            f = 1.0 / sum(1.0 / max(table.get(p, FLOOR), FLOOR) for p in parts)
        else:
            f = FLOOR
    f = max(f, FLOOR)
    if len(_cache) > 200_000:
        _cache.clear()
    _cache[norm] = f
    return f


_spec_cache: dict[str, float] = {}


def specificity(norm: str) -> float:
    """-log10 of the general-English frequency: about 1.3 for "the", 8 for unknown words."""
    hit = _spec_cache.get(norm)
    if hit is None:
        hit = -math.log10(word_frequency(norm))
        if len(_spec_cache) > 200_000:
            _spec_cache.clear()
        _spec_cache[norm] = hit
    return hit


def known_frequency(norm: str) -> float:
    """wordfreq's frequency of ``norm``, a compound's combined from its parts; 0.0 when unknown."""
    table = frequency_dict()
    f = table.get(norm)
    if f is not None:
        return f
    parts = [p for p in _PARTS.split(norm) if p]
    if len(parts) > 1 and all(p in table for p in parts):
        return 1.0 / sum(1.0 / table[p] for p in parts)
    return 0.0
