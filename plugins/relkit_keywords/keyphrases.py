"""Per-document keyphrase scoring and diversified selection.

Score of a candidate phrase (all factors computed from the document alone plus the
general-English prior; see docs/keywords.md for the reasoning):

* word centrality: a position-biased PageRank (PositionRank, Florescu & Caragea 2017)
  over the graph of content words that co-occur within ``window`` words inside a
  sentence; the restart distribution favours words that appear early and often;
* word specificity: -log10 of the word's general-English frequency (``wordfreq``), so
  "spill" outranks "people";
* phrase score: the sum of its words' scores (so "oil spill" beats "spill" when "oil"
  matters too), boosted by how early the phrase first occurs, lowered when it only
  occurs cut out of a longer run of content words (``fragment_factor``) and for
  phrases of three words or more (``long_phrase_factor``; summing favours length).

The constants below were chosen on DUC-2001 (see docs/keywords.md): ``window``,
``position_exponent`` and ``long_phrase_factor`` were tuned there, so the DUC figure is
optimistic for other collections by an unknown but small margin.

Selection is greedy with diversification: a phrase whose stemmed words overlap an
already chosen phrase by ``max_overlap`` or more (Jaccard) is folded into it as a
variant instead of taking a slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .candidates import Candidate, extract_candidates
from .rarity import specificity

__all__ = ["KeyphraseScorer", "Keyphrase", "extract_keyphrases", "stem"]

_porter = None  # nltk's Porter stemmer, made on first use: importing nltk takes most of a second
_STEM_CACHE: dict[str, str] = {}
_DENSE_MAX = 600  # vocabulary size up to which the word graph is a dense matrix
_BLAS = None


def _single_threaded_blas():
    """BLAS threads cost far more than they save on matrices this small (and fight the
    runner's worker processes for cores): solve with one thread."""
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


def _make_porter():
    global _porter
    # nltk's stemmer needs no data download; nltk is a declared dependency, but keep
    # working with a light suffix rule if it is missing
    try:
        from nltk.stem.porter import PorterStemmer

        _porter = PorterStemmer().stem
    except ImportError:  # pragma: no cover
        _porter = lambda w: w[:-1] if w.endswith("s") and not w.endswith("ss") else w  # noqa: E731
    return _porter


def stem(word: str) -> str:
    s = _STEM_CACHE.get(word)
    if s is None:
        s = (_porter or _make_porter())(word)
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
    window: int = 4
    damping: float = 0.85
    position_exponent: float = 0.5
    specificity_weight: float = 1.0
    max_overlap: float = 0.5
    min_specificity: float = 2.5  # a single word must be rarer than this (-log10 freq)
    position_boost: float = 1.0
    position_scale: float = 10.0
    fold_contained: bool = True  # a phrase whose words all belong to a chosen phrase is its variant
    fragment_factor: float = 0.7
    long_phrase_factor: float = 0.8

    # -- word level ------------------------------------------------------------
    def word_scores(self, cands: dict[tuple[str, ...], Candidate]) -> dict[str, float]:
        """Position-biased PageRank over content words, times their specificity."""
        # Word occurrences in text order, rebuilt from one-word candidates.
        occ: list[tuple[int, int, str]] = []  # (position, sent, word)
        for words, c in cands.items():
            if len(words) == 1:
                w = words[0]
                occ.extend((o.position, o.sent, w) for o in c.occurrences)
        if not occ:
            return {}
        import numpy as np  # imported here so that loading the plugin (relkit --version) stays fast

        occ.sort()
        vocab = sorted({w for _, _, w in occ})
        index = {w: i for i, w in enumerate(vocab)}
        n = len(vocab)
        ids = np.array([index[w] for _, _, w in occ], dtype=np.intp)
        positions = np.array([p for p, _, _ in occ], dtype=float)
        sents = np.array([s for _, s, _ in occ], dtype=np.intp)
        bias = np.bincount(ids, weights=1.0 / (positions + 1.0) ** self.position_exponent, minlength=n)
        bias /= bias.sum()
        # Edges between occurrences fewer than ``window`` words apart in one sentence.
        row_parts, col_parts = [], []
        for k in range(1, self.window):
            if k >= len(ids):
                break
            ok = (positions[k:] - positions[:-k] < self.window) & (sents[k:] == sents[:-k]) & (ids[k:] != ids[:-k])
            row_parts.append(ids[:-k][ok])
            col_parts.append(ids[k:][ok])
        rows = np.concatenate(row_parts) if row_parts else np.zeros(0, dtype=np.intp)
        cols = np.concatenate(col_parts) if col_parts else np.zeros(0, dtype=np.intp)
        r = self._pagerank(n, rows, cols, bias)
        r = r / r.max()
        return {w: float(r[i]) * specificity(w) ** self.specificity_weight for i, w in enumerate(vocab)}

    def _pagerank(self, n: int, rows: np.ndarray, cols: np.ndarray, bias: np.ndarray) -> np.ndarray:
        """Personalised PageRank on the undirected co-occurrence graph.

        Small graphs are solved exactly, ``(I - d·M) r = (1 - d)·bias`` where ``M`` is the
        column-stochastic transition matrix (a word without neighbours jumps by ``bias``);
        large ones by power iteration on a sparse matrix.
        """
        import numpy as np

        d = self.damping
        if not len(rows):
            return bias.copy()
        if n <= _DENSE_MAX:
            m = np.zeros((n, n))
            np.add.at(m, (rows, cols), 1.0)
            m += m.T
            deg = m.sum(axis=0)
            dangling = deg == 0
            m = np.divide(m, deg, out=np.zeros_like(m), where=~dangling)  # column-stochastic
            if dangling.any():
                m[:, dangling] = bias[:, None]
            with _single_threaded_blas():
                return np.linalg.solve(np.eye(n) - d * m, (1 - d) * bias)
        from scipy import sparse

        m = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
        m = (m + m.T).tocsr()
        deg = np.asarray(m.sum(axis=0)).ravel()
        dangling = deg == 0
        inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=~dangling)
        trans = (m @ sparse.diags(inv)).tocsr()  # column-stochastic, dangling columns empty
        r = bias.copy()
        for _ in range(100):
            nr = d * (trans @ r + r[dangling].sum() * bias) + (1 - d) * bias
            if np.abs(nr - r).sum() < 1e-10:
                return nr
            r = nr
        return r

    # -- phrase level ------------------------------------------------------------
    def score(self, cands: dict[tuple[str, ...], Candidate]) -> dict[tuple[str, ...], float]:
        ws = self.word_scores(cands)
        out: dict[tuple[str, ...], float] = {}
        for words, c in cands.items():
            if not self._acceptable(words, c):
                continue
            base = sum(ws.get(w, 0.0) for w in words)
            first = c.occurrences[0].position
            pos_factor = 1.0 + self.position_boost / (1.0 + first / self.position_scale)
            whole = 1.0 if c.maximal else self.fragment_factor
            length = self.long_phrase_factor if len(words) > 2 else 1.0
            out[words] = base * pos_factor * whole * length
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
        # Variants are looked for among the best-scored candidates only.
        ranked = ranked[: max(10 * k, 50)]
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
        return self.select(cands, self.score(cands), k)


def extract_keyphrases(doc, k: int = 10, **options: Any) -> list[Keyphrase]:
    return KeyphraseScorer(**options).extract(doc, k)
