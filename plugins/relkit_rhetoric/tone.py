"""Tone: VADER per sentence, then averaged (never summed: a sum grows with length).

Speed without changing a single score:

* VADER's lexicon is loaded once per process;
* a sentence none of whose VADER words (``text.split()`` with punctuation stripped, the
  way VADER splits) is in VADER's lexicon, and which holds no emoji, scores exactly
  ``{neg 0, neu 1, pos 0, compound 0}`` in VADER: it is answered without running VADER;
* scores are memoised by sentence text (boilerplate sentences recur across a corpus);
* the other sentences are scored by :func:`_compound`, VADER 3.3.2's ``polarity_scores``
  restricted to the compound score and written as one loop over a lower-cased word list:
  VADER rebuilds the text character by character to replace emojis (the identity when
  there is none), lower-cases the whole sentence again for every sentiment word and each
  of its three neighbours (quadratic in sentence length), and searches its negation
  words as a list.  The rules, their order and every floating-point operation are
  VADER's; a text holding an emoji goes to VADER itself.  VADER's look-back over the
  three words before a sentiment word only adds 0.0 when none of them is a booster, a
  negation or ``this`` (just before) and no idiom's anchor word is near: it is skipped.

``benchmarks/bench_rhetoric.py`` and ``tests/test_rhetoric.py`` check that these scores
equal plain VADER's.
"""

from __future__ import annotations

import math
import string
from itertools import compress, repeat
from operator import contains
from typing import Any, Sequence

from relkit.text import STOPWORDS

from .constant import EMPTY_LIST

__all__ = ["Vader", "vader", "document_tone", "POSITIVE", "NEGATIVE"]

POSITIVE = 0.05  # VADER's own thresholds for a positive / negative sentence
NEGATIVE = -0.05
_P = string.punctuation


def split_words(text: str) -> list[str]:
    """VADER's ``SentiText._words_and_emoticons``: split on whitespace, strip leading and
    trailing punctuation unless that leaves two characters or fewer."""
    return [s if len(s := w.strip(_P)) > 2 else w for w in text.split()]


def _allcap_differential(words: Sequence[str]) -> bool:
    """VADER's ``allcap_differential``: some but not all words are ALL CAPS."""
    caps = sum(1 for w in words if w.isupper())
    return 0 < len(words) - caps < len(words)


class Vader:
    """VADER's compound score of a sentence, exactly, without VADER's quadratic parts."""

    def __init__(self) -> None:
        from vaderSentiment import vaderSentiment as vs

        self.sia = vs.SentimentIntensityAnalyzer()
        self.lexicon: dict[str, float] = self.sia.lexicon
        self.emojis = self.sia.emojis
        self._emoji_chars = frozenset(self.emojis)
        self._boosters: dict[str, float] = dict(vs.BOOSTER_DICT)
        self._special: dict[str, float] = dict(vs.SPECIAL_CASES)
        self._negate = frozenset(vs.NEGATE)
        self._n_scalar = vs.N_SCALAR
        self._c_incr = vs.C_INCR
        # one word of each multi-word SPECIAL_CASES or BOOSTER_DICT key (its longest
        # content word: "kiss of death" -> "death"): the idiom check looks up space-joined
        # neighbours of a sentiment word, which can only hit a key if its anchor is near
        self._idiom_anchors = frozenset(
            min(k.split(), key=lambda w: (w in STOPWORDS, -len(w)))
            for k in (*vs.SPECIAL_CASES, *vs.BOOSTER_DICT) if " " in k)
        # every word that, among the three before a sentiment word, can change its valence
        # (besides "this" just before it, idioms and words containing "n't"): boosters and
        # negations (these include never and without; doubt and so/this after never only
        # count next to them)
        self._modifiers = frozenset(self._boosters) | self._negate
        self._memo: dict[str, float] = {}
        self.calls = 0  # sentences actually scored (the rest have no VADER word or repeat)

    def compound(self, text: str) -> float:
        hit = self._memo.get(text)
        if hit is not None:
            return hit
        ascii = text.isascii()
        if not ascii and not self._emoji_chars.isdisjoint(text):
            self.calls += 1
            value = self.sia.polarity_scores(text)["compound"]
        else:
            t = text.strip()
            t_low = t.lower()
            ws = t_low.split()
            lex = self.lexicon.keys()
            # Each of VADER's lower-cased words is a whitespace word of the lowered text or
            # that word stripped of punctuation (lowering creates no white space or
            # punctuation): if none of either is in the lexicon, VADER finds no sentiment
            # word and its compound is exactly 0.  Checked in C, without a word list.
            if lex.isdisjoint(ws) and lex.isdisjoint(map(str.strip, ws, repeat(_P))):
                value = 0.0
            else:
                if ascii:
                    # lower-casing ASCII keeps lengths and punctuation: the lowered
                    # text's words are VADER's words, lowered
                    low = [s if len(s := w.strip(_P)) > 2 else w for w in ws]
                    # _compound asks only whether words are ALL CAPS, which stripping
                    # punctuation (uncased) never changes: the plain split will do
                    words = t.split()
                else:
                    words = split_words(t)
                    low = [w.lower() for w in words]
                if lex.isdisjoint(low):
                    value = 0.0  # no sentiment word: VADER's compound is exactly 0
                else:
                    self.calls += 1
                    value = self._compound(t, words, low)
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[text] = value
        return value

    def _compound(self, text: str, words: list[str], low: list[str]) -> float:
        """VADER 3.3.2's ``polarity_scores(text)["compound"]`` for an emoji-free,
        stripped ``text`` split as VADER splits it (``low``: the words lower-cased;
        ``words``: the same words in their case, or the whitespace words they come from,
        which are ALL CAPS exactly when VADER's are)."""
        lexicon = self.lexicon
        boosters = self._boosters
        negate = self._negate
        N_SCALAR = self._n_scalar
        C_INCR = self._c_incr
        n = len(low)
        cap_diff = None  # allcap_differential, computed when a capitalised word asks
        # VADER appends 0 for every word that is not a lexicon word (or is a booster, or
        # "kind" of "kind of"); a valence depends on the words only, so the lexicon words'
        # valences can be filled into a list of zeros
        sentiments: list[float] = [0] * n
        mods, anchors = self._modifiers, self._idiom_anchors
        nt = any(map(contains, low, repeat("n't")))
        for i in compress(range(n), map(lexicon.__contains__, low)):
            item_low = low[i]
            if item_low in boosters or (item_low == "kind" and i < n - 1 and low[i + 1] == "of"):
                continue
            # sentiment_valence
            valence = lexicon[item_low]
            if item_low == "no" and i != n - 1 and low[i + 1] in lexicon:
                valence = 0.0
            if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") or (
                    i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor")):
                valence = lexicon[item_low] * N_SCALAR
            if words[i].isupper():
                if cap_diff is None:
                    cap_diff = _allcap_differential(words)
                if cap_diff:
                    if valence > 0:
                        valence += C_INCR
                    else:
                        valence -= C_INCR
            # The three words before a sentiment word change its valence only through
            # boosters, negations, "this" just before it and idioms; with none of them
            # near (the usual case) VADER's loop adds 0.0 to a non-zero valence, an
            # identity, and is skipped.
            for start_i in range(3) if (nt or not mods.isdisjoint(low[i - 3 if i > 3 else 0:i])
                                        or (i > 0 and low[i - 1] == "this")
                                        or (i >= 3 and not anchors.isdisjoint(low[i - 3:i + 3]))) else ():
                if i <= start_i:
                    break
                j = i - (start_i + 1)
                prev = low[j]
                if prev in lexicon:
                    continue
                # scalar_inc_dec
                s = 0.0
                if prev in boosters:
                    s = boosters[prev]
                    if valence < 0:
                        s *= -1
                    if words[j].isupper():
                        if cap_diff is None:
                            cap_diff = _allcap_differential(words)
                        if cap_diff:
                            if valence > 0:
                                s += C_INCR
                            else:
                                s -= C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                # _negation_check
                if start_i == 0:
                    if prev in negate or "n't" in prev:
                        valence = valence * N_SCALAR
                elif start_i == 1:
                    if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                        valence = valence * 1.25
                    elif low[i - 2] == "without" and low[i - 1] == "doubt":
                        pass
                    elif prev in negate or "n't" in prev:
                        valence = valence * N_SCALAR
                else:
                    if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or (
                            low[i - 1] == "so" or low[i - 1] == "this"):
                        valence = valence * 1.25
                    elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                        pass
                    elif prev in negate or "n't" in prev:
                        valence = valence * N_SCALAR
                    valence = self._idioms(valence, low, i)
            # _least_check
            if i > 1 and low[i - 1] not in lexicon and low[i - 1] == "least":
                if low[i - 2] != "at" and low[i - 2] != "very":
                    valence = valence * N_SCALAR
            elif i > 0 and low[i - 1] not in lexicon and low[i - 1] == "least":
                valence = valence * N_SCALAR
            sentiments[i] = valence
        if "but" in low:  # _but_check, VADER's loop unchanged (index() finds the first equal value)
            bi = low.index("but")
            for sentiment in sentiments:
                si = sentiments.index(sentiment)
                if si < bi:
                    sentiments.pop(si)
                    sentiments.insert(si, sentiment * 0.5)
                elif si > bi:
                    sentiments.pop(si)
                    sentiments.insert(si, sentiment * 1.5)
        if not sentiments:
            return 0.0
        # score_valence, compound only
        sum_s = float(sum(sentiments))
        ep = min(text.count("!"), 4) * 0.292
        qm_count = text.count("?")
        qm = 0
        if qm_count > 1:
            qm = qm_count * 0.18 if qm_count <= 3 else 0.96
        amp = ep + qm
        if sum_s > 0:
            sum_s += amp
        elif sum_s < 0:
            sum_s -= amp
        norm = sum_s / math.sqrt((sum_s * sum_s) + 15)
        if norm < -1.0:
            norm = -1.0
        elif norm > 1.0:
            norm = 1.0
        return round(norm, 4)

    def _idioms(self, valence: float, low: list[str], i: int) -> float:
        """VADER's ``_special_idioms_check`` (called with i >= 3)."""
        n = len(low)
        if self._idiom_anchors.isdisjoint(low[i - 3:i + 3]):
            return valence
        special, boosters = self._special, self._boosters
        onezero = f"{low[i - 1]} {low[i]}"
        twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
        twoone = f"{low[i - 2]} {low[i - 1]}"
        threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
        threetwo = f"{low[i - 3]} {low[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in special:
                valence = special[seq]
                break
        if n - 1 > i:
            zeroone = f"{low[i]} {low[i + 1]}"
            if zeroone in special:
                valence = special[zeroone]
        if n - 1 > i + 1:
            zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
            if zeroonetwo in special:
                valence = special[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in boosters:
                valence = valence + boosters[n_gram]
        return valence


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
                "neutral_share": None, "most_positive": EMPTY_LIST, "most_negative": EMPTY_LIST}
    pos = sum(1 for s in scores if s >= POSITIVE)
    neg = sum(1 for s in scores if s <= NEGATIVE)
    sents = doc.sentences
    # sorting is stable, also with reverse=True: ties stay in sentence order
    key = scores.__getitem__
    most_pos = [doc.span(sents[i].start, sents[i].end, compound=scores[i])
                for i in sorted(range(n), key=key, reverse=True)[:evidence] if scores[i] >= POSITIVE] if pos else []
    most_neg = [doc.span(sents[i].start, sents[i].end, compound=scores[i])
                for i in sorted(range(n), key=key)[:evidence] if scores[i] <= NEGATIVE] if neg else []
    return {
        "sentences": n,
        "mean": sum(scores) / n,
        "positive_share": pos / n,
        "negative_share": neg / n,
        "neutral_share": (n - pos - neg) / n,
        "most_positive": most_pos or EMPTY_LIST,
        "most_negative": most_neg or EMPTY_LIST,
    }
