"""Tone: VADER per sentence, then averaged (never summed: a sum grows with length).

Speed without changing a single score:

* one ``SentimentIntensityAnalyzer`` per process (loading the lexicon is the slow part);
* a sentence none of whose VADER words (``text.split()`` with punctuation stripped, the
  way VADER splits) is in VADER's lexicon, and which holds no emoji, scores exactly
  ``{neg 0, neu 1, pos 0, compound 0}`` in VADER: it is answered without running VADER;
* scores are memoised by sentence text (boilerplate sentences recur across a corpus).

``benchmarks/bench_rhetoric.py`` checks that these scores equal plain VADER's.
"""

from __future__ import annotations

import string
from typing import Any, Sequence

__all__ = ["Vader", "vader", "document_tone", "POSITIVE", "NEGATIVE"]

POSITIVE = 0.05  # VADER's own thresholds for a positive / negative sentence
NEGATIVE = -0.05
_PUNCT = string.punctuation


class Vader:
    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.sia = SentimentIntensityAnalyzer()
        self.lexicon = self.sia.lexicon
        self.emojis = self.sia.emojis
        self._emoji_chars = frozenset(self.emojis)
        self._memo: dict[str, float] = {}
        self.calls = 0  # sentences actually run through VADER

    def _may_score(self, text: str) -> bool:
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            return True
        lex = self.lexicon
        for w in text.split():
            s = w.strip(_PUNCT)
            if len(s) <= 2:
                s = w
            if s.lower() in lex:
                return True
        return False

    def compound(self, text: str) -> float:
        hit = self._memo.get(text)
        if hit is not None:
            return hit
        if self._may_score(text):
            self.calls += 1
            value = self.sia.polarity_scores(text)["compound"]
        else:
            value = 0.0
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[text] = value
        return value


_VADER: Vader | None = None


def vader() -> Vader:
    global _VADER
    if _VADER is None:
        _VADER = Vader()
    return _VADER


def document_tone(doc: Any, scores: Sequence[float], evidence: int = 1) -> dict[str, Any]:
    """Mean compound, shares of positive/negative/neutral sentences, and the most
    positive and most negative sentences (``evidence`` of each) as spans."""
    n = len(scores)
    if not n:
        return {"sentences": 0, "mean": None, "positive_share": None, "negative_share": None,
                "neutral_share": None, "most_positive": [], "most_negative": []}
    pos = sum(1 for s in scores if s >= POSITIVE)
    neg = sum(1 for s in scores if s <= NEGATIVE)
    order = sorted(range(n), key=lambda i: (scores[i], i))
    sents = doc.sentences
    most_pos = [doc.span(sents[i].start, sents[i].end, compound=scores[i])
                for i in sorted(order, key=lambda i: (-scores[i], i))[:evidence] if scores[i] >= POSITIVE]
    most_neg = [doc.span(sents[i].start, sents[i].end, compound=scores[i]) for i in order[:evidence] if scores[i] <= NEGATIVE]
    return {
        "sentences": n,
        "mean": sum(scores) / n,
        "positive_share": pos / n,
        "negative_share": neg / n,
        "neutral_share": (n - pos - neg) / n,
        "most_positive": most_pos,
        "most_negative": most_neg,
    }
