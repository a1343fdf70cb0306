"""Vocabulary and document-term matrices built from the per-document term state.

The matrix is built directly from the term lists (no text is re-read or re-tokenised).
Columns are the vocabulary in alphabetical order, so the same corpus always gives the
same matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .terms import BigramModel, EncodedCorpus, bigram_scores, distinct_counts, merge_positions

__all__ = ["Vocabulary", "prepare", "auto_min_df", "tfidf"]

# Below this many documents, a document-frequency ceiling would throw away the words
# that tie a small corpus together, so max_df is not applied.
MAX_DF_MIN_DOCS = 20


def auto_min_df(n_docs: int) -> int:
    """Two documents, or 0.1% of the corpus on large corpora (5 at 5,000 documents)."""
    return max(2, math.ceil(0.001 * n_docs))


@dataclass
class Vocabulary:
    """Prepared corpus: merged term lists per document, vocabulary, count matrix."""

    terms: list[str]  # column order
    counts: sp.csr_matrix  # documents x terms, raw counts
    doc_ids: list[np.ndarray]  # every document's terms in order (bigrams merged) as column ids
    bigrams: BigramModel
    min_df: int
    max_df: float | None
    n_candidates: int  # distinct terms before document-frequency filtering
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {t: i for i, t in enumerate(self.terms)}

    @property
    def doc_terms(self) -> list[list[str]]:
        """Every document's vocabulary terms in text order (what the peer models get in
        the evaluation and benchmark scripts)."""
        terms = self.terms
        return [[terms[i] for i in ids.tolist()] for ids in self.doc_ids]

    @property
    def n_docs(self) -> int:
        return self.counts.shape[0]

    @property
    def doc_lengths(self) -> np.ndarray:
        return np.asarray(self.counts.sum(axis=1)).ravel()

    def binary(self) -> sp.csc_matrix:
        b = self.counts.copy().tocsc()
        b.data[:] = 1
        return b

    def describe(self) -> dict[str, Any]:
        lengths = self.doc_lengths
        return {
            "terms": len(self.terms),
            "bigram_terms": sum(1 for t in self.terms if " " in t),
            "candidate_terms": self.n_candidates,
            "min_df": self.min_df,
            "max_df": self.max_df,
            "documents": int(self.n_docs),
            "documents_with_terms": int((lengths > 0).sum()),
            "tokens": int(lengths.sum()),
        }


def prepare(
    docs_sentences: Sequence[Sequence[Sequence[Any]]],
    *,
    min_df: int | None = None,
    max_df: float | None = 0.5,
    max_terms: int | None = 20000,
    bigrams: bool = True,
    bigram_min_count: int = 3,
    bigram_threshold: float = 0.4,
) -> Vocabulary:
    """Find bigrams, merge them, filter terms by document frequency, count.

    ``docs_sentences`` is each document's sentence state from
    :func:`relkit_topics.terms.document_sentences`.
    """
    n = len(docs_sentences)
    if min_df is None:
        min_df = auto_min_df(n)
    enc = EncodedCorpus.from_sentences(docs_sentences)
    scores = bigram_scores(enc, min_count=bigram_min_count, min_docs=min_df, threshold=bigram_threshold) if bigrams else {}
    nw = enc.n_words
    model = BigramModel({(enc.words[c // nw], enc.words[c % nw]): v for c, v in scores.items()})
    # Term ids: a word keeps its id; a merged pair becomes nw + its rank among accepted
    # codes and takes its first word's position, the second word's position is dropped.
    accepted = sorted(scores)
    names = enc.words + [enc.words[c // nw] + " " + enc.words[c % nw] for c in accepted]
    term = enc.ids.copy()
    at = merge_positions(enc, scores)
    keep = term != 0
    if len(at):
        codes = enc.pair_codes()[at]
        term[at] = nw + np.searchsorted(np.asarray(accepted, dtype=np.int64), codes)
        keep[at + 1] = False
    term, row = term[keep], enc.doc[keep]
    # Document frequency: distinct (document, term) pairs.
    n_ids = len(names)
    df_all = np.bincount(distinct_counts(row * n_ids + term)[0] % n_ids, minlength=n_ids)
    present = np.nonzero(df_all)[0]
    use_max_df = max_df is not None and max_df < 1.0 and n >= MAX_DF_MIN_DOCS
    ceiling = max_df * n if use_max_df else float("inf")
    id_of = {names[i]: i for i in present.tolist()}
    df = {t: int(df_all[i]) for t, i in id_of.items()}
    kept = [t for t, c in df.items() if c >= min_df and c <= ceiling]
    if max_terms is not None and len(kept) > max_terms:
        kept.sort(key=lambda t: (-df[t], t))
        kept = kept[:max_terms]
    kept.sort()
    index = {t: i for i, t in enumerate(kept)}
    column = np.full(n_ids, -1, dtype=np.int64)
    column[np.asarray([id_of[t] for t in kept], dtype=np.int64)] = np.arange(len(kept), dtype=np.int64)
    cols = column[term]
    inside = cols >= 0
    rows, cols = row[inside], cols[inside]
    counts = sp.csr_matrix((np.ones(len(cols), dtype=np.float64), (rows, cols)), shape=(n, len(kept)))
    counts.sum_duplicates()
    bounds = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    doc_ids = [cols[bounds[r] : bounds[r + 1]] for r in range(n)]
    return Vocabulary(kept, counts, doc_ids, model, min_df, max_df if use_max_df else None, len(df), index)


def tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF (1 + log tf) times smoothed IDF, rows L2-normalised (empty rows stay 0)."""
    x = counts.astype(np.float64).tocsr(copy=True)
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)
