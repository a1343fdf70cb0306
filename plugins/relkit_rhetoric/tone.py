"""Tone: VADER per sentence, then averaged (never summed: a sum grows with length).

Speed without changing a single score:

* one ``SentimentIntensityAnalyzer`` per process (loading the lexicon is the slow part);
* a sentence none of whose VADER words (``text.split()`` with punctuation stripped, the
  way VADER splits) is in VADER's lexicon, and which holds no emoji, scores exactly
  ``{neg 0, neu 1, pos 0, compound 0}`` in VADER: it is answered without running VADER;
* scores are memoised by sentence text (boilerplate sentences recur across a corpus);
* VADER rebuilds every text character by character to replace emojis, and lower-cases
  the whole sentence again for every sentiment word (negation and idiom checks): both
  quadratic in sentence length.  A subclass skips the rebuild when the text holds no
  emoji (the rebuild is then the identity) and lower-cases once per sentence, running
  the very same checks on that list.

``benchmarks/bench_rhetoric.py`` checks that these scores equal plain VADER's.
"""

from __future__ import annotations

import string
from typing import Any, Sequence

__all__ = ["Vader", "vader", "document_tone", "POSITIVE", "NEGATIVE"]

POSITIVE = 0.05  # VADER's own thresholds for a positive / negative sentence
NEGATIVE = -0.05
_PUNCT = string.punctuation


_P = string.punctuation


def split_words(text: str) -> list[str]:
    """VADER's ``SentiText._words_and_emoticons``: split on whitespace, strip leading and
    trailing punctuation unless that leaves two characters or fewer."""
    return [s if len(s := w.strip(_P)) > 2 else w for w in text.split()]


class _SentiText:
    """VADER's SentiText with the all-caps check computed only when a sentiment word asks."""

    __slots__ = ("text", "words_and_emoticons", "_cap")

    def __init__(self, text, words) -> None:
        self.text = text
        self.words_and_emoticons = words
        self._cap = None

    @property
    def is_cap_diff(self):
        if self._cap is None:
            from vaderSentiment.vaderSentiment import allcap_differential

            self._cap = allcap_differential(self.words_and_emoticons)
        return self._cap


class _Words(list):
    """VADER's word list, carrying its lower-cased copy (computed once)."""

    __slots__ = ("lower_",)


def _analyzer():
    from vaderSentiment import vaderSentiment as vs

    class FastSIA(vs.SentimentIntensityAnalyzer):
        """SentimentIntensityAnalyzer with the per-word re-lower-casing removed; the
        checks themselves are VADER 3.3.2's, line for line."""

        _emoji_chars = None

        def polarity_scores(self, text):
            # VADER first rewrites emojis character by character (a quadratic string
            # build); a text without any emoji comes out of that loop unchanged.
            if self._emoji_chars is None:
                self._emoji_chars = frozenset(self.emojis)
            if not (text.isascii() or self._emoji_chars.isdisjoint(text)):
                return super().polarity_scores(text)
            text = text.strip()
            words = split_words(text)
            return self.score_words(text, words, [w.lower() for w in words])

        def score_words(self, text, words, low):
            """VADER's scoring of ``text`` (emoji-free, stripped) split as VADER splits it."""
            w = _Words(words)
            w.lower_ = low
            sentitext = _SentiText(text, w)
            sentiments = []
            BOOSTER_DICT = vs.BOOSTER_DICT
            lexicon = self.lexicon
            n = len(w)
            for i, item in enumerate(w):
                valence = 0
                item_low = low[i]
                if item_low in BOOSTER_DICT:
                    sentiments.append(valence)
                    continue
                if i < n - 1 and item_low == "kind" and low[i + 1] == "of":
                    sentiments.append(valence)
                    continue
                if item_low not in lexicon:  # sentiment_valence appends 0 for these
                    sentiments.append(valence)
                    continue
                sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
            sentiments = self._but_check(w, sentiments)
            return self.score_valence(sentiments, text)

        @staticmethod
        def _but_check(words_and_emoticons, sentiments):
            low = getattr(words_and_emoticons, "lower_", None)
            if low is None:
                return vs.SentimentIntensityAnalyzer._but_check(words_and_emoticons, sentiments)
            if "but" in low:  # VADER 3.3.2's loop, unchanged (index() finds the first equal value)
                bi = low.index("but")
                for sentiment in sentiments:
                    si = sentiments.index(sentiment)
                    if si < bi:
                        sentiments.pop(si)
                        sentiments.insert(si, sentiment * 0.5)
                    elif si > bi:
                        sentiments.pop(si)
                        sentiments.insert(si, sentiment * 1.5)
            return sentiments

        @staticmethod
        def _negation_check(valence, words_and_emoticons, start_i, i):
            low = getattr(words_and_emoticons, "lower_", None)
            if low is None:
                return vs.SentimentIntensityAnalyzer._negation_check(valence, words_and_emoticons, start_i, i)
            negated, N_SCALAR = vs.negated, vs.N_SCALAR
            if start_i == 0:
                if negated([low[i - (start_i + 1)]]):
                    valence = valence * N_SCALAR
            if start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    valence = valence
                elif negated([low[i - (start_i + 1)]]):
                    valence = valence * N_SCALAR
            if start_i == 2:
                if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or \
                        (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    valence = valence
                elif negated([low[i - (start_i + 1)]]):
                    valence = valence * N_SCALAR
            return valence

        @staticmethod
        def _special_idioms_check(valence, words_and_emoticons, i):
            low = getattr(words_and_emoticons, "lower_", None)
            if low is None:
                return vs.SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons, i)
            SPECIAL_CASES, BOOSTER_DICT = vs.SPECIAL_CASES, vs.BOOSTER_DICT
            onezero = "{0} {1}".format(low[i - 1], low[i])
            twoonezero = "{0} {1} {2}".format(low[i - 2], low[i - 1], low[i])
            twoone = "{0} {1}".format(low[i - 2], low[i - 1])
            threetwoone = "{0} {1} {2}".format(low[i - 3], low[i - 2], low[i - 1])
            threetwo = "{0} {1}".format(low[i - 3], low[i - 2])
            for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                if seq in SPECIAL_CASES:
                    valence = SPECIAL_CASES[seq]
                    break
            if len(low) - 1 > i:
                zeroone = "{0} {1}".format(low[i], low[i + 1])
                if zeroone in SPECIAL_CASES:
                    valence = SPECIAL_CASES[zeroone]
            if len(low) - 1 > i + 1:
                zeroonetwo = "{0} {1} {2}".format(low[i], low[i + 1], low[i + 2])
                if zeroonetwo in SPECIAL_CASES:
                    valence = SPECIAL_CASES[zeroonetwo]
            for n_gram in (threetwoone, threetwo, twoone):
                if n_gram in BOOSTER_DICT:
                    valence = valence + BOOSTER_DICT[n_gram]
            return valence

    return FastSIA()


class Vader:
    def __init__(self) -> None:
        self.sia = _analyzer()
        self.lexicon = self.sia.lexicon
        self.emojis = self.sia.emojis
        self._emoji_chars = frozenset(self.emojis)
        self._memo: dict[str, float] = {}
        self.calls = 0  # sentences actually run through VADER

    def compound(self, text: str) -> float:
        hit = self._memo.get(text)
        if hit is not None:
            return hit
        if not text.isascii() and not self._emoji_chars.isdisjoint(text):
            self.calls += 1
            value = self.sia.polarity_scores(text)["compound"]
        else:
            t = text.strip()
            words = split_words(t)
            low = [w.lower() for w in words]
            if self.lexicon.keys().isdisjoint(low):
                value = 0.0  # no sentiment word: VADER's compound is exactly 0
            else:
                self.calls += 1
                value = self.sia.score_words(t, words, low)["compound"]
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
