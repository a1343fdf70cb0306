"""Small defensive readers shared by the section renderers: a missing key never raises."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Callable, Iterable, Mapping, Sequence

from .overview import date_of, outlet, time_buckets  # noqa: F401  (re-exported for sections)

__all__ = ["get", "num", "as_list", "as_dict", "pretty", "docs_of", "group_docs", "date_of", "outlet", "time_buckets"]


def get(obj: Any, *path: Any, default: Any = None) -> Any:
    """``obj[p0][p1]…`` or ``default`` when any step is missing or of the wrong type."""
    cur = obj
    for p in path:
        if isinstance(cur, Mapping) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and isinstance(p, int) and -len(cur) <= p < len(cur):
            cur = cur[p]
        else:
            return default
    return cur


def num(v: Any) -> float | None:
    """A finite number, or None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def as_dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


ACRONYMS = {"smog": "SMOG", "ari": "ARI", "ttr": "TTR", "mattr": "MATTR", "mtld": "MTLD", "npmi": "NPMI", "frex": "FREX",
            "nmf": "NMF", "lda": "LDA", "g2": "G²", "pmi": "PMI", "tf": "TF", "idf": "IDF", "id": "id"}


def pretty(name: Any) -> str:
    """``flesch_kincaid_grade`` → ``Flesch kincaid grade`` (acronyms kept)."""
    words = str(name).replace("-", "_").split("_")
    out = [ACRONYMS.get(w.lower(), w) for w in words if w]
    if not out:
        return str(name)
    first = out[0]
    out[0] = first if first in ACRONYMS.values() else first[:1].upper() + first[1:]
    return " ".join(out)


def docs_of(result: Any) -> list[dict[str, Any]]:
    """``result["documents"]`` entries that are dicts with an ``id``."""
    return [d for d in as_list(get(result, "documents")) if isinstance(d, dict) and d.get("id") is not None]


def group_docs(page: Any, ids: Iterable[str], key: Callable[[dict[str, Any]], str | None]) -> dict[str, list[str]]:
    """Document ids grouped by ``key(metadata)`` (documents without a key left out), groups sorted."""
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        d = page.doc(i)
        k = key(d.metadata) if d is not None else None
        if k:
            groups[k].append(i)
    return dict(sorted(groups.items()))


def top(items: Sequence[Any], n: int) -> list[Any]:
    return list(items[:n]) if isinstance(items, (list, tuple)) else []
