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
from operator import mul, neg
from typing import Any

from .candidates import Candidate, collect_candidates
from .rarity import _spec_cache, specificity

__all__ = ["KeyphraseScorer", "Keyphrase", "extract_keyphrases", "stem", "stem_set"]

_porter = None  # nltk's Porter stemmer, made on first use: importing nltk takes most of a second
_STEM_CACHE: dict[str, str] = {}
_DENSE_MAX = 600  # vocabulary size up to which the word graph is a dense matrix
_WEIGHTS: dict = {}  # position_exponent -> array of position weights
_BLAS = None
# OpenBLAS solves (d)gesv on one thread anyway below n*n = 10,000 (interface/lapack/gesv.c);
# limiting threads costs ~30 µs a call, more than solving a typical 40-word graph.
_BLAS_THREAD_MIN = 100
_ZEROS = (0.0,) * 16  # default scores for map(get, words, _ZEROS); phrases are at most 8 words
_object_new = object.__new__


_solve = None


def _find_solve():
    """``np.linalg.solve`` for one float64 system, without its wrapper.

    The wrapper (argument checks, type promotion, an ``errstate`` block that turns a
    singular matrix into an exception) costs more than solving a typical 40-word graph.
    Its gufunc, called the way it calls it, runs the same LAPACK routine on the same
    arrays, so the numbers are the same.  Our matrix is never singular: ``I - d·M`` with
    ``M`` column-stochastic and ``d < 1`` is strictly diagonally dominant by columns.
    numpy without that private module gets the public function.
    """
    global _solve
    import numpy as np

    try:
        from numpy.linalg import _umath_linalg

        gufunc = _umath_linalg.solve1

        def _solve(a, b):
            return gufunc(a, b, signature="dd->d")

        a = np.array([[2.0, 1.0], [1.0, 3.0]])
        b = np.array([1.0, 2.0])
        if _solve(a, b).tolist() != np.linalg.solve(a, b).tolist():  # pragma: no cover
            raise ImportError("solve1 differs")
    except (ImportError, AttributeError, TypeError):  # pragma: no cover
        _solve = np.linalg.solve
    return _solve


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


_STEM_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def stem_set(words: tuple[str, ...]) -> frozenset[str]:
    """The Porter stems of a phrase's words (memoised: phrases recur across documents)."""
    s = _STEM_SETS.get(words)
    if s is None:
        s = frozenset([stem(w) for w in words])
        if len(_STEM_SETS) > 200_000:
            _STEM_SETS.clear()
        _STEM_SETS[words] = s
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
    drop_subsumed: bool = True  # drop a fragment whose every occurrence lies in a one-word-longer candidate

    # -- word level ------------------------------------------------------------
    def word_scores(self, cands: dict[tuple[str, ...], Candidate], occ: list[tuple[int, int, str]] | None = None) -> dict[str, float]:
        """Position-biased PageRank over content words, times their specificity.

        ``occ``: the one-word candidates' occurrences as ``(position, sentence, word)`` in
        text order, as ``extract_candidates(..., words=occ)`` collects them; rebuilt from
        ``cands`` when not given.
        """
        if occ is None:
            occ = _word_occurrences(cands)
        if not occ:
            return {}
        import numpy as np  # imported here so that loading the plugin (relkit --version) stays fast

        pos_list, sent_list, word_list = zip(*occ)
        vocab = sorted(set(word_list))
        n = len(vocab)
        id_list = list(map(dict(zip(vocab, range(n))).__getitem__, word_list))
        table = self._position_weights(pos_list[-1])
        bias = np.bincount(id_list, weights=list(map(table.__getitem__, pos_list)), minlength=n)
        bias /= bias.sum()
        if n <= _DENSE_MAX:
            r = self._pagerank_dense(n, self._edges(occ, id_list, n), bias)
        else:
            r = self._pagerank_sparse(n, *self._edge_arrays(pos_list, sent_list, id_list), bias)
        r = (r / r.max()).tolist()
        weight = self.specificity_weight
        if weight == 1.0:  # x ** 1.0 == x exactly: skip the power
            spec = list(map(_spec_cache.get, vocab))  # specificity()'s memo, read without a call per word
            if None in spec:
                spec = list(map(specificity, vocab))
            return dict(zip(vocab, map(mul, r, spec)))
        return {w: ri * specificity(w) ** weight for w, ri in zip(vocab, r)}

    def _edges(self, occ: list[tuple[int, int, str]], id_list: list[int], n: int) -> list[int]:
        """Word pairs fewer than ``window`` words apart in one sentence, as flat cells
        ``i * n + j`` of the adjacency matrix, both directions (in no particular order:
        the matrix counts them)."""
        window = self.window
        cells: list[int] = []
        add = cells.append
        # With the sentence folded into the position (a stride larger than any gap), one
        # difference tests both conditions; occurrences are in text order.
        stride = occ[-1][0] + window + 1
        key = [p + s * stride for p, s, _ in occ]
        for k in range(1, window):
            for x, y, a, b in zip(key, key[k:], id_list, id_list[k:]):
                if y - x < window and a != b:
                    add(a * n + b)
                    add(b * n + a)
        return cells

    def _edge_arrays(self, pos_list, sent_list, id_list):
        """The same pairs as two arrays, one direction (for the sparse solver)."""
        import numpy as np

        ids = np.array(id_list, dtype=np.intp)
        positions = np.array(pos_list, dtype=np.intp)
        # With the sentence folded into the position (a stride larger than any gap), one
        # difference tests both conditions.
        key = positions + np.array(sent_list, dtype=np.intp) * (pos_list[-1] + self.window + 1)
        row_parts, col_parts = [], []
        for k in range(1, min(self.window, len(ids))):
            ok = (key[k:] - key[:-k] < self.window) & (ids[k:] != ids[:-k])
            row_parts.append(ids[:-k][ok])
            col_parts.append(ids[k:][ok])
        rows = np.concatenate(row_parts) if row_parts else np.zeros(0, dtype=np.intp)
        cols = np.concatenate(col_parts) if col_parts else np.zeros(0, dtype=np.intp)
        return rows, cols

    def _position_weights(self, last: int) -> list[float]:
        """``1 / (position + 1) ** position_exponent`` for positions 0..last (a table grown on
        demand; computed by numpy so the values are those of the array expression)."""
        table = _WEIGHTS.get(self.position_exponent)
        if table is None or len(table) <= last:
            import numpy as np

            size = max(1024, 2 * (last + 1))
            table = _WEIGHTS[self.position_exponent] = (1.0 / (np.arange(size, dtype=float) + 1.0) ** self.position_exponent).tolist()
        return table

    # Personalised PageRank on the undirected co-occurrence graph: ``(I - d·M) r = (1 - d)·bias``
    # where ``M`` is the column-stochastic transition matrix (a word without neighbours
    # jumps by ``bias``).  Small graphs are solved exactly, large ones by power iteration
    # on a sparse matrix.
    def _pagerank_dense(self, n: int, cells: list[int], bias):
        import numpy as np

        d = self.damping
        if not cells:
            return bias.copy()
        # Edge counts in one bincount: small integers, exactly what adding them one by one gives.
        m = np.bincount(cells, minlength=n * n).reshape(n, n).astype(float)
        deg = m.sum(axis=0)
        if deg.all():
            m /= deg  # column-stochastic
        else:
            # A word without neighbours jumps by the bias: its (all-zero) column is
            # divided by 1 instead of 0, then replaced; the other columns divide as above.
            dangling = deg == 0
            deg[dangling] = 1.0
            m /= deg
            m[:, dangling] = bias[:, None]
        # I - d·M in place: the same numbers as np.eye(n) - d * m (negation is exact).
        m *= -d
        m.ravel()[:: n + 1] += 1.0
        solve = _solve or _find_solve()
        if n < _BLAS_THREAD_MIN:
            return solve(m, (1 - d) * bias)
        with _single_threaded_blas():
            return solve(m, (1 - d) * bias)

    def _pagerank_sparse(self, n: int, rows, cols, bias):
        import numpy as np
        from scipy import sparse

        d = self.damping
        if not len(rows):
            return bias.copy()
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
    def score(self, cands: dict[tuple[str, ...], Candidate], occ: list[tuple[int, int, str]] | None = None) -> dict[tuple[str, ...], float]:
        if occ is None:
            occ = _word_occurrences(cands)
        found = {w: c.occurrence_tuples for w, c in cands.items()}
        return self._score(found, {w: c.maximal for w, c in cands.items() if c.maximal}, occ)

    def _score(self, found: dict[tuple[str, ...], list], whole: dict[tuple[str, ...], int],
               occ: list[tuple[int, int, str]]) -> dict[tuple[str, ...], float]:
        """``score`` on ``collect_candidates``' plain form (occurrences ``(start, end, sentence, position)``)."""
        ws = self.word_scores({}, occ)
        get = ws.get
        boost, scale = self.position_boost, self.position_scale
        fragment, long_factor, min_spec = self.fragment_factor, self.long_phrase_factor, self.min_specificity
        out: dict[tuple[str, ...], float] = {}
        spec = _spec_cache.get
        is_whole = whole.__contains__
        extensions = None
        for words, occurrences in found.items():
            if len(words) == 1:
                sp = spec(words[0])
                if (sp if sp is not None else specificity(words[0])) < min_spec:
                    continue  # very common single words: "people", "government"
                base = get(words[0], 0.0)  # == sum() of one number
                length = 1.0
                maximal = is_whole(words)
            else:
                maximal = is_whole(words)
                if not maximal:
                    if len(occurrences) < 2:
                        continue  # a fragment cut from a longer run, seen once
                    if self.drop_subsumed:
                        if extensions is None:
                            extensions = _extensions(found)
                        if len(occurrences) in extensions.get(words, ()):
                            continue  # "russian foreign": every occurrence is inside "russian foreign minister"
                base = sum(map(get, words, _ZEROS))  # == sum([get(w, 0.0) for w in words])
                length = long_factor if len(words) > 2 else 1.0
            pos_factor = 1.0 + boost / (1.0 + occurrences[0][3] / scale)
            out[words] = base * pos_factor * (1.0 if maximal else fragment) * length
        return out

    def _acceptable(self, words: tuple[str, ...], c: Candidate) -> bool:
        """The filter ``score`` applies (inlined there)."""
        if len(words) == 1 and specificity(words[0]) < self.min_specificity:
            return False  # very common single words: "people", "government"
        if len(words) > 1 and c.tf < 2 and not c.maximal:
            return False  # a fragment cut from a longer run, seen once
        return True

    # -- selection -------------------------------------------------------------
    def select(self, cands: dict[tuple[str, ...], Candidate], scores: dict[tuple[str, ...], float], k: int) -> list[Keyphrase]:
        return self._select(cands.__getitem__, scores, k)

    def _select(self, candidate, scores: dict[tuple[str, ...], float], k: int) -> list[Keyphrase]:
        """``select`` with ``candidate(words)`` giving the :class:`Candidate` of a phrase
        it keeps (made on demand: most candidates are never kept)."""
        # Best score first, ties by words: (-score, words) pairs sort without a key
        # function (negation is exact).  Variants are looked for among the best-scored
        # candidates only.
        ranked = sorted(zip(map(neg, scores.values()), scores))[: max(10 * k, 50)]
        chosen: list[Keyphrase] = []
        chosen_stems: list[frozenset[str]] = []
        by_stem: dict[str, list[int]] = {}  # stem -> chosen phrases having it (only those can absorb a phrase)
        max_overlap, fold = self.max_overlap, self.fold_contained
        get = by_stem.get
        memo = _STEM_SETS.get
        disjoint = by_stem.keys().isdisjoint
        for minus_score, words in ranked:
            stems = memo(words) or stem_set(words)
            if not disjoint(stems):  # shares a stem with a chosen phrase: may be its variant
                hits = None
                for s in stems:
                    h = get(s)
                    if h is not None:
                        hits = h if hits is None else hits + h
                if len(hits) > 1:
                    hits = sorted(set(hits))
                merged = False
                for j in hits:  # the first chosen phrase in rank order that absorbs it
                    ks = chosen_stems[j]
                    inter = len(stems & ks)
                    # len(stems | ks) without making the union
                    if inter / (len(stems) + len(ks) - inter) >= max_overlap or (fold and inter == len(stems)):
                        chosen[j].variants.append(candidate(words))
                        merged = True
                        break
                if merged:
                    continue
            if len(chosen) >= k:
                continue
            for s in stems:
                by_stem.setdefault(s, []).append(len(chosen))
            chosen.append(Keyphrase(words, -minus_score, candidate(words), []))
            chosen_stems.append(stems)
        return chosen

    def extract(self, doc, k: int = 10) -> list[Keyphrase]:
        occ: list[tuple[int, int, str]] = []
        found, whole = collect_candidates(doc, self.max_words, occ)
        if not found:
            return []

        def candidate(words: tuple[str, ...]) -> Candidate:
            # make_candidate inlined: one call fewer for each of ~25 phrases a document
            c = _object_new(Candidate)
            c.words, c.occurrence_tuples, c._occurrences, c.maximal = words, found[words], None, whole.get(words, 0)
            return c

        return self._select(candidate, self._score(found, whole, occ), k)


def _word_occurrences(cands: dict[tuple[str, ...], Candidate]) -> list[tuple[int, int, str]]:
    """The one-word candidates' occurrences as ``(position, sentence, word)``, in text order."""
    occ = []
    for words, c in cands.items():
        if len(words) == 1:
            w = words[0]
            occ.extend((o[3], o[2], w) for o in c.occurrence_tuples)
    occ.sort()
    return occ


def _extensions(found: dict[tuple[str, ...], list]) -> dict[tuple[str, ...], list[int]]:
    """For each phrase, the frequencies of the candidates one word longer that begin or end with it.

    A phrase seen as often as such an extension occurs only inside it (each occurrence of
    the extension holds one of the phrase at a fixed place), so it says nothing the
    longer phrase does not.
    """
    out: dict[tuple[str, ...], list[int]] = {}
    for q, occurrences in found.items():
        if len(q) > 2:
            tf = len(occurrences)
            out.setdefault(q[:-1], []).append(tf)
            out.setdefault(q[1:], []).append(tf)
    return out


def extract_keyphrases(doc, k: int = 10, **options: Any) -> list[Keyphrase]:
    return KeyphraseScorer(**options).extract(doc, k)
