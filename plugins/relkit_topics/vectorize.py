"""Vocabulary and document-term matrices built from the per-document term state.

The matrix is built directly from the term lists (no text is re-read or re-tokenised).
Columns are the vocabulary in alphabetical order, so the same corpus always gives the
same matrix.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from .terms import BigramModel, find_bigrams

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
    doc_terms: list[list[str]]  # every document's terms (bigrams merged), vocabulary only
    bigrams: BigramModel
    min_df: int
    max_df: float | None
    n_candidates: int  # distinct terms before document-frequency filtering
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.index:
            self.index = {t: i for i, t in enumerate(self.terms)}

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
    model = (
        find_bigrams(docs_sentences, min_count=bigram_min_count, min_docs=min_df, threshold=bigram_threshold)
        if bigrams
        else BigramModel()
    )
    all_terms = [model.terms(sents) for sents in docs_sentences]
    df: Counter[str] = Counter()
    for terms in all_terms:
        df.update(set(terms))
    use_max_df = max_df is not None and max_df < 1.0 and n >= MAX_DF_MIN_DOCS
    ceiling = max_df * n if use_max_df else float("inf")
    kept = [t for t, c in df.items() if c >= min_df and c <= ceiling]
    if max_terms is not None and len(kept) > max_terms:
        kept.sort(key=lambda t: (-df[t], t))
        kept = kept[:max_terms]
    kept.sort()
    index = {t: i for i, t in enumerate(kept)}
    rows, cols, doc_terms = [], [], []
    for r, terms in enumerate(all_terms):
        ids = [index[t] for t in terms if t in index]
        doc_terms.append([kept[i] for i in ids])
        rows.extend([r] * len(ids))
        cols.extend(ids)
    data = np.ones(len(rows), dtype=np.float64)
    counts = sp.csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))), shape=(n, len(kept)))
    counts.sum_duplicates()
    return Vocabulary(kept, counts, doc_terms, model, min_df, max_df if use_max_df else None, len(df), index)


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
