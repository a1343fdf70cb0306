"""Stance: Hyland's interactional metadiscourse and modal verbs by kind.

Both come from the shared lexicon pass (:mod:`lexicons`); this module filters the few
readings a lexicon cannot tell apart (``May 9`` is a month, ``the will of`` a noun,
``US`` a country, ``military might`` a noun) and turns matches into counts, rates per
1,000 words and evidence spans.
"""

from __future__ import annotations

from typing import Any, Sequence

from .constant import EMPTY_COUNT
from .lexicons import Match, load_data

__all__ = ["METADISCOURSE", "MODALS", "AMBIGUOUS", "keep_match", "summarise"]

METADISCOURSE = tuple(load_data("metadiscourse"))
MODALS = tuple(load_data("modals"))
# the only one-token forms keep_match can reject
AMBIGUOUS = frozenset({"may", "us", "will", "might", "can", "must", "i"})
_NOUN_BEFORE = {"the", "a", "good", "political", "free", "own", "his", "her", "their", "our", "its", "military", "economic", "popular"}


def keep_match(text: str, toks: Sequence[Any], m: Match) -> bool:
    """False for lexicon hits that are another word with the same spelling."""
    t = toks[m.first]
    norm = t[2]
    if m.last - m.first == 1:
        if norm == "may" and text[t[0]] == "M":
            prev = toks[m.first - 1] if m.first > 0 else None
            nxt = toks[m.first + 1] if m.first + 1 < len(toks) else None
            if (nxt is not None and nxt[3] == "number") or (prev is not None and prev[3] == "number") or (
                prev is not None and prev[2] in ("in", "since", "until", "of", "early", "late", "mid", "last", "next", "on")):
                return False
        if norm == "us" and text[t[0]:t[1]] == "US":
            return False
        if norm in ("will", "might", "can", "must") and m.first > 0 and toks[m.first - 1][2] in _NOUN_BEFORE:
            return False
        if norm == "i" and m.first > 0 and text[toks[m.first - 1][0]].isupper() and toks[m.first - 1][2] not in ("and", "but", "so"):
            nxt = toks[m.first + 1] if m.first + 1 < len(toks) else None
            if nxt is None or nxt[3] == "punct":
                return False  # World War I, Elizabeth I
    return True


def summarise(doc: Any, matches: Sequence[Match], words: int, family: str, categories: Sequence[str],
              max_spans: int | None) -> dict[str, Any]:
    """{category: {count, per_1000_words, spans}} for one family of lexicon matches."""
    toks = doc.tokens
    out: dict[str, Any] = {}
    by_cat: dict[str, list[Match]] = {c: [] for c in categories}
    for m in matches:
        if m.family == family and m.category in by_cat:
            by_cat[m.category].append(m)
    text = doc.text
    for cat in categories:
        ms = by_cat[cat]
        if not ms:
            out[cat] = EMPTY_COUNT
            continue
        spans = [{"start": a, "end": b, "text": text[a:b], "term": m.term}
                 for m in ms for a, b in ((toks[m.first][0], toks[m.last - 1][1]),)]
        out[cat] = {
            "count": len(ms),
            "per_1000_words": (1000.0 * len(ms) / words) if words else 0.0,
            "spans": spans if max_spans is None else spans[:max_spans],
        }
    return out
