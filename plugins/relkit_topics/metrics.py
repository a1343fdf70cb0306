"""Topic quality: NPMI coherence, diversity, exclusivity/FREX, stability across fits.

NPMI follows gensim's ``CoherenceModel(coherence="c_npmi")`` exactly (segmentation
``s_one_one``: every ordered pair of the topic's top terms; confirmation
``log_ratio_measure(normalize=True)`` with its epsilon of 1e-12; arithmetic mean),
with one choice made explicit: the co-occurrence window is the whole document
(boolean document co-occurrence), which is what gensim computes when ``window_size`` is
at least the longest document.  Probabilities are over all documents of the corpus.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = [
    "EPSILON", "top_indices", "npmi", "npmi_topics", "diversity", "exclusivity",
    "frex", "match_topics",
]

EPSILON = 1e-12  # gensim.topic_coherence.direct_confirmation_measure.EPSILON


def top_indices(topic_term: np.ndarray, n: int) -> list[list[int]]:
    """Each topic's ``n`` highest-weighted term indices (positive weights only),
    heaviest first, ties by column (i.e. alphabetically)."""
    out = []
    v = topic_term.shape[1] if topic_term.ndim == 2 else 0
    for row in topic_term:
        if 0 < n < v:
            # Only the terms at least as heavy as the n-th heaviest can be among the top n
            # (ties included), so only they are sorted: the same order as sorting all.
            cut = row[np.argpartition(-row, n - 1)[n - 1]]
            cand = np.flatnonzero(row >= cut)
        else:
            cand = np.arange(len(row))
        idx = cand[np.lexsort((cand, -row[cand]))]
        out.append([int(i) for i in idx[:n] if row[i] > 0])
    return out


def npmi(co: float, c1: float, c2: float, n_docs: float) -> float:
    """gensim's normalised log-ratio measure for one word pair (document counts)."""
    p_ab = co / n_docs
    m_lr = math.log((p_ab + EPSILON) / ((c1 / n_docs) * (c2 / n_docs)))
    return m_lr / -math.log(p_ab + EPSILON)


def npmi_topics(binary: sp.spmatrix, topics: Sequence[Sequence[int]], n_docs: int | None = None) -> list[float | None]:
    """Mean NPMI over the pairs of each topic's terms (column indices of ``binary``, a
    documents x terms 0/1 matrix).  None for a topic with fewer than two terms."""
    n = float(n_docs if n_docs is not None else binary.shape[0])
    cols = sorted({t for topic in topics for t in topic})
    if not cols or n == 0:
        return [None for _ in topics]
    pos = {c: i for i, c in enumerate(cols)}
    sub = sp.csc_matrix(binary)[:, cols]
    df = np.asarray(sub.sum(axis=0)).ravel()
    co = (sub.T @ sub).toarray()
    out: list[float | None] = []
    for topic in topics:
        ids = [pos[t] for t in topic]
        if len(ids) < 2:
            out.append(None)
            continue
        vals = []
        for a in range(len(ids)):
            for b in range(len(ids)):
                if a != b:
                    i, j = ids[a], ids[b]
                    vals.append(npmi(co[i, j], df[i], df[j], n))
        out.append(float(np.mean(vals)))
    return out


def diversity(topics: Sequence[Sequence[int]]) -> float:
    """Share of unique terms among all topics' top terms (Dieng et al. 2020)."""
    total = sum(len(t) for t in topics)
    return len({x for t in topics for x in t}) / total if total else 0.0


def exclusivity(topic_term: np.ndarray) -> np.ndarray:
    """Per topic and term: the term's weight in the topic over its summed weight in all
    topics (1 = the term belongs to this topic only)."""
    s = topic_term.sum(axis=0, keepdims=True)
    s[s == 0] = 1.0
    return topic_term / s


def frex(topic_term: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX (Roberts et al., STM): weighted harmonic mean of a term's within-topic rank
    (ECDF) in exclusivity and in frequency."""
    excl = exclusivity(topic_term)
    v = topic_term.shape[1]

    def ecdf(m: np.ndarray) -> np.ndarray:
        ranks = np.argsort(np.argsort(m, axis=1, kind="stable"), axis=1, kind="stable")
        return (ranks + 1) / v

    return 1.0 / (weight / ecdf(excl) + (1.0 - weight) / ecdf(topic_term))


def match_topics(a: Sequence[Sequence[int]], b: Sequence[Sequence[int]]) -> list[float]:
    """Best one-to-one matching of topics in ``a`` to topics in ``b`` by the Jaccard
    similarity of their top-term sets (Hungarian algorithm); each ``a`` topic's matched
    similarity (0 when it has no partner)."""
    if not a:
        return []
    sets_a = [set(t) for t in a]
    sets_b = [set(t) for t in b]
    sim = np.zeros((len(a), max(len(b), 1)))
    for i, x in enumerate(sets_a):
        for j, y in enumerate(sets_b):
            u = len(x | y)
            sim[i, j] = len(x & y) / u if u else 0.0
    from scipy.optimize import linear_sum_assignment  # lazily: scipy.optimize costs ~0.3 s at import

    rows, cols = linear_sum_assignment(-sim)
    out = [0.0] * len(a)
    for r, c in zip(rows, cols):
        out[r] = float(sim[r, c])
    return out
