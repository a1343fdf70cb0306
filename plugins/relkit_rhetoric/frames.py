"""Frames: which of the frame lexicons a document (or a speaker) draws on.

Counts, rates per 1,000 words, each frame's share of all frame hits, the dominant frame,
and every hit as a span.  User lexicons (``lexicon`` parameter) add frames or extend
built-in ones (:func:`lexicons.load_user_lexicon`).
"""

from __future__ import annotations

from typing import Any, Sequence

from .constant import EMPTY_FRAME
from .lexicons import Match

__all__ = ["summarise_frames"]


def summarise_frames(doc: Any, matches: Sequence[Match], words: int, categories: Sequence[str],
                     max_spans: int | None) -> dict[str, Any]:
    toks = doc.tokens
    by_cat: dict[str, list[Match]] = {c: [] for c in categories}
    for m in matches:
        if m.family == "frame" and m.category in by_cat:
            by_cat[m.category].append(m)
    total = sum(map(len, by_cat.values()))
    frames: dict[str, Any] = {}
    text = doc.text
    for cat in categories:
        ms = by_cat[cat]
        if not ms:
            frames[cat] = EMPTY_FRAME
            continue
        spans = [{"start": a, "end": b, "text": text[a:b], "term": m.term}
                 for m in ms for a, b in ((toks[m.first][0], toks[m.last - 1][1]),)]
        frames[cat] = {
            "count": len(ms),
            "per_1000_words": (1000.0 * len(ms) / words) if words else 0.0,
            "share": (len(ms) / total) if total else 0.0,
            "terms": _term_counts(ms),
            "spans": spans if max_spans is None else spans[:max_spans],
        }
    dominant = None
    if total:  # the most frequent frame, the first in category order among equals
        most = max(map(len, by_cat.values()))
        dominant = next(c for c in categories if len(by_cat[c]) == most)
    return {"dominant": dominant, "total": total, "frames": frames}


def _term_counts(ms: Sequence[Match]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in ms:
        counts[m.term] = counts.get(m.term, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
