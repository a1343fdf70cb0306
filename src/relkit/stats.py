"""Small descriptive statistics shared by analyses' corpus summaries."""

from __future__ import annotations

import math
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
    """count, mean, sd, min (with doc id), q1, median, q3, max (with doc id); None values skipped."""
    items = [(k, float(v)) for k, v in values.items() if v is not None and math.isfinite(float(v))]
    if not items:
        return None
    vals = sorted(v for _, v in items)
    n = len(vals)
    mean = sum(vals) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / (n - 1)) if n > 1 else 0.0
    lo_id = min(items, key=lambda kv: (kv[1], kv[0]))[0]
    hi_id = max(items, key=lambda kv: (kv[1], [-ord(c) for c in kv[0]]))[0]
    return {
        "count": n,
        "mean": mean,
        "sd": sd,
        "min": vals[0],
        "min_doc": lo_id,
        "q1": _quantile(vals, 0.25),
        "median": _quantile(vals, 0.5),
        "q3": _quantile(vals, 0.75),
        "max": vals[-1],
        "max_doc": hi_id,
    }
