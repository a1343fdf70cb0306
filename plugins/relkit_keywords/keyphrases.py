"""Per-document keyphrase scoring and diversified selection.

Score of a candidate phrase (all factors computed from the document alone plus the
general-English prior; see docs/keywords.md for the reasoning):

* word centrality: a position-biased PageRank (PositionRank, Florescu & Caragea 2017)
  over the graph of content words that co-occur within ``window`` words inside a
  sentence; the restart distribution favours words that appear early and often;
* word specificity: -log10 of the word's general-English frequency (``wordfreq``), so
  "spill" outranks "people";
* phrase evidence: how often the exact phrase occurs, how early it first occurs, and
  whether it stands as a whole run of content words (not only as a piece of one).

Selection is greedy with diversification: a phrase whose stemmed words overlap an
already chosen phrase by ``max_overlap`` or more (Jaccard) is folded into it as a
variant instead of taking a slot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from .candidates import Candidate, extract_candidates
from .rarity import specificity

__all__ = ["KeyphraseScorer", "Keyphrase", "extract_keyphrases", "stem"]

try:  # Porter stemmer for grouping variants; nltk's stemmer needs no data download
    from nltk.stem import PorterStemmer as _Porter

    _porter = _Porter()
except Exception:  # pragma: no cover - nltk missing: fall back to light suffix stripping
    _porter = None

_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    s = _STEM_CACHE.get(word)
    if s is None:
        if _porter is not None:
            s = _porter.stem(word)
        else:
            s = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        if len(_STEM_CACHE) > 200_000:
            _STEM_CACHE.clear()
        _STEM_CACHE[word] = s
    return s


@dataclass
class Keyphrase:
    words: tuple[str, ...]
    score: float
    candidate: Candidate
    variants: list[Candidate]


@dataclass(frozen=True)
class KeyphraseScorer:
    max_words: int = 4
    window: int = 3
    damping: float = 0.85
    position_exponent: float = 1.0
    specificity_weight: float = 1.0
    tf_exponent: float = 0.0
    max_overlap: float = 0.5
    min_specificity: float = 2.5  # a single word must be rarer than this (-log10 freq)
    fold_contained: bool = True  # a phrase whose words all belong to a chosen phrase is its variant
    length_norm: float = 0.0
    fragment_factor: float = 0.7
    single_word_factor: float = 1.0

    # -- word level ------------------------------------------------------------
    def word_scores(self, cands: dict[tuple[str, ...], Candidate]) -> dict[str, float]:
        """Position-biased PageRank over content words, times their specificity."""
        # Word occurrences in text order, rebuilt from one-word candidates.
        occ: list[tuple[int, int, str]] = []  # (position, sent, word)
        for words, c in cands.items():
            if len(words) == 1:
                for o in c.occurrences:
                    occ.append((o.position, o.sent, words[0]))
        if not occ:
            return {}
        occ.sort()
        vocab = sorted({w for _, _, w in occ})
        index = {w: i for i, w in enumerate(vocab)}
        n = len(vocab)
        bias = np.zeros(n)
        for pos, _, w in occ:
            bias[index[w]] += 1.0 / (pos + 1.0) ** self.position_exponent
        rows, cols = [], []
        for i, (pos, sent, w) in enumerate(occ):
            j = i + 1
            while j < len(occ) and occ[j][0] - pos < self.window and occ[j][1] == sent:
                if occ[j][2] != w:
                    rows.append(index[w])
                    cols.append(index[occ[j][2]])
                j += 1
        m = np.zeros((n, n))
        if rows:
            np.add.at(m, (rows, cols), 1.0)
            m = m + m.T
        out_deg = m.sum(axis=1)
        bias = bias / bias.sum()
        if out_deg.any():
            trans = np.divide(m, out_deg[:, None], out=np.zeros_like(m), where=out_deg[:, None] > 0)
            r = bias.copy()
            for _ in range(50):
                dangling = r[out_deg == 0].sum()
                nr = self.damping * (r @ trans + dangling * bias) + (1 - self.damping) * bias
                if np.abs(nr - r).sum() < 1e-9:
                    r = nr
                    break
                r = nr
        else:
            r = bias
        r = r / r.max()
        return {w: float(r[i]) * specificity(w) ** self.specificity_weight for i, w in enumerate(vocab)}

    # -- phrase level ------------------------------------------------------------
    def score(self, cands: dict[tuple[str, ...], Candidate], n_words: int) -> dict[tuple[str, ...], float]:
        ws = self.word_scores(cands)
        out: dict[tuple[str, ...], float] = {}
        for words, c in cands.items():
            if not self._acceptable(words, c):
                continue
            base = sum(ws.get(w, 0.0) for w in words) / len(words) ** self.length_norm
            first = c.occurrences[0].position
            pos_factor = 1.0 + 1.0 / (1.0 + first / 10.0)
            tf_factor = c.tf ** self.tf_exponent
            whole = 1.0 if c.maximal else self.fragment_factor
            single = self.single_word_factor if len(words) == 1 else 1.0
            out[words] = base * pos_factor * tf_factor * whole * single
        return out

    def _acceptable(self, words: tuple[str, ...], c: Candidate) -> bool:
        if len(words) == 1 and specificity(words[0]) < self.min_specificity:
            return False  # very common single words: "people", "government"
        if len(words) > 1 and c.tf < 2 and not c.maximal:
            return False  # a fragment cut from a longer run, seen once
        return True

    # -- selection -------------------------------------------------------------
    def select(self, cands: dict[tuple[str, ...], Candidate], scores: dict[tuple[str, ...], float], k: int) -> list[Keyphrase]:
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        chosen: list[Keyphrase] = []
        chosen_stems: list[set[str]] = []
        for words, sc in ranked:
            stems = {stem(w) for w in words}
            merged = False
            for kp, ks in zip(chosen, chosen_stems):
                inter = len(stems & ks)
                if inter and (inter / len(stems | ks) >= self.max_overlap or (self.fold_contained and inter == len(stems))):
                    kp.variants.append(cands[words])
                    merged = True
                    break
            if merged:
                continue
            if len(chosen) >= k:
                continue
            chosen.append(Keyphrase(words, sc, cands[words], []))
            chosen_stems.append(stems)
        return chosen

    def extract(self, doc, k: int = 10) -> list[Keyphrase]:
        cands = extract_candidates(doc, self.max_words)
        if not cands:
            return []
        n_words = max((o.position for c in cands.values() for o in c.occurrences), default=0) + 1
        return self.select(cands, self.score(cands, n_words), k)


def extract_keyphrases(doc, k: int = 10, **options: Any) -> list[Keyphrase]:
    return KeyphraseScorer(**options).extract(doc, k)
