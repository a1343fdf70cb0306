"""Small descriptive statistics shared by analyses' corpus summaries."""

from __future__ import annotations

import math
from itertools import compress, repeat
from operator import is_not, sub
from typing import Mapping

__all__ = ["distribution"]


def _quantile(sorted_values: list[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default, "type 7").
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def distribution(values: Mapping[str, float | None]) -> dict[str, object] | None:
    """count, mean, sd, min (with doc id), q1, median, q3, max (with doc id); None values skipped.

    Ties at the minimum go to the smallest id; ties at the maximum to the id whose code
    points, negated, compare greatest (the smallest id, except that a longer id beats its
    own prefix).
    """
    # Element-wise steps run through map/compress: summaries take this over every
    # measure of every document, and a Python step per value was most of their time.
    keys = list(values)
    vs = list(values.values())
    if None in vs:
        keep = list(map(is_not, vs, repeat(None)))
        keys = list(compress(keys, keep))
        vs = list(compress(vs, keep))
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
    lo_id = keys[vs.index(lo)] if vs.count(lo) == 1 else min([k for k, v in zip(keys, vs) if v == lo])
    if vs.count(hi) == 1:
        hi_id = keys[vs.index(hi)]
    else:  # the tie-break key costs a list per id: built for the tied ids only
        hi_id = max([k for k, v in zip(keys, vs) if v == hi], key=lambda k: [-ord(c) for c in k])
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
