"""Small descriptive statistics shared by analyses' corpus summaries."""

from __future__ import annotations

import math
from itertools import compress, repeat
from operator import is_not, methodcaller, sub
from typing import Any, Mapping

__all__ = ["distribution", "distribution_of"]


def _quantile(sorted_values: list[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default, "type 7").
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


_FLOAT = {float}


def _max_negated(ids: list[str]) -> str:
    """``max(ids, key=lambda k: [-ord(c) for c in k])`` without a list per id.

    That key prefers the smaller character at the first difference, and a longer id to
    its own prefix. The smallest id in string order wins every comparison except against
    ids that extend it, so the answer is the smallest id, or the answer among the ids
    that extend it.
    """
    best = min(ids)
    while True:
        longer = [k for k in filter(methodcaller("startswith", best), ids) if len(k) > len(best)]
        if not longer:
            return best
        best = min(longer)
        ids = longer


def distribution(values: Mapping[str, float | None]) -> dict[str, object] | None:
    """count, mean, sd, min (with doc id), q1, median, q3, max (with doc id); None values skipped.

    Ties at the minimum go to the smallest id; ties at the maximum to the id whose code
    points, negated, compare greatest (the smallest id, except that a longer id beats its
    own prefix).
    """
    return distribution_of(list(values), list(values.values()))


def distribution_of(keys: list[str], vs: list[Any]) -> dict[str, object] | None:
    """:func:`distribution` of ``dict(zip(keys, vs))`` for distinct ``keys``, without the dict."""
    # Element-wise steps run through map/compress: summaries take this over every
    # measure of every document, and a Python step per value was most of their time.
    if None in vs:
        keep = list(map(is_not, vs, repeat(None)))
        keys = list(compress(keys, keep))
        vs = list(compress(vs, keep))
    if not set(map(type, vs)) <= _FLOAT:
        vs = list(map(float, vs))
    finite = list(map(math.isfinite, vs))
    if not all(finite):
        keys = list(compress(keys, finite))
        vs = list(compress(vs, finite))
    if not vs:
        return None
    vals = sorted(vs)
    n = len(vals)
    mean = sum(vals) / n
    sd = math.sqrt(sum(map(pow, map(sub, vals, repeat(mean)), repeat(2))) / (n - 1)) if n > 1 else 0.0
    lo, hi = vals[0], vals[-1]
    lo_id = keys[vs.index(lo)] if vs.count(lo) == 1 else min(compress(keys, map(lo.__eq__, vs)))
    hi_id = keys[vs.index(hi)] if vs.count(hi) == 1 else _max_negated(list(compress(keys, map(hi.__eq__, vs))))
    return {
        "count": n,
        "mean": mean,
        "sd": sd,
        "min": lo,
        "min_doc": lo_id,
        "q1": _quantile(vals, 0.25),
        "median": _quantile(vals, 0.5),
        "q3": _quantile(vals, 0.75),
        "max": hi,
        "max_doc": hi_id,
    }
