"""Bigram and trigram collocations counted inside sentences only.

Per document the analysis keeps the counts of adjacent word sequences (no punctuation
between them, never across a sentence edge, so never across documents either); the
corpus part sums them and scores each n-gram against its words' counts:

* PMI: ``log2(O / E)`` with ``E = c1*c2/N`` (bigram) or ``c1*c2*c3/N²`` (trigram);
* t-score: ``(O - E) / sqrt(O)``;
* log-likelihood G² on the 2×2 table of first part × last word (for a trigram the first
  part is its leading bigram), as in Dunning 1993.

``N`` is the number of word tokens in the corpus.
"""

from __future__ import annotations

import math
import re
from typing import Any

from relkit import STOPWORDS

from .keyness import p_values

__all__ = ["document_ngrams", "score_ngrams", "contingency_g2"]


def document_ngrams(doc) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Counts of bigrams and trigrams of ``doc`` (space-joined norms) and the first occurrence of each.

    A collocation starts and ends with a content word (not a stopword, not a number);
    a trigram's middle word may be a stopword ("minister of defence").  Bigrams whose
    second word is a stopword are counted too (the leading pair of such a trigram) but
    never reported.
    """
    counts: dict[str, int] = {}
    first: dict[str, list[int]] = {}
    content = _CONTENT
    run: list[tuple[str, int, int, bool]] = []  # norm, start, end, content word
    run_sent = -1
    # One pass over the tokens: a run of words and numbers ends at punctuation, a symbol
    # or a change of sentence (a token's sentence index).
    for start, end, norm, kind, is_stop, sent in zip(*doc.columns):
        if sent != run_sent:
            if len(run) > 1:
                _count_run(run, counts, first)
            run = []
            run_sent = sent
        if kind == "word":
            c = content.get(norm)
            if c is None:
                c = _content_word(norm, is_stop)
            run.append((norm, start, end, c))
        elif kind == "number":
            run.append((norm, start, end, False))
        else:
            if len(run) > 1:
                _count_run(run, counts, first)
            run = []
    if len(run) > 1:
        _count_run(run, counts, first)
    return counts, first


_CONTENT: dict[str, bool] = {}  # word norm -> content word (memo, cleared when large)


def _content_word(norm: str, is_stop: bool) -> bool:
    c = not is_stop and any(ch.isalpha() for ch in norm)
    if len(_CONTENT) > 300_000:
        _CONTENT.clear()
    _CONTENT[norm] = c
    return c


def is_content(norm: str) -> bool:
    """The same test on a normalised word alone (for counts read back from the cache)."""
    return norm not in STOPWORDS and has_letter(norm)


_ASCII_LETTER = re.compile("[A-Za-z]").search


def has_letter(word: str) -> bool:
    """``any(c.isalpha() for c in word)``; for ASCII words (nearly all) by one regex search."""
    if word.isascii():
        return _ASCII_LETTER(word) is not None
    return any(c.isalpha() for c in word)


def _count_run(run, counts, first) -> None:
    n = len(run)
    for i in range(n - 1):
        na, start, _, ca = run[i]
        if not ca:
            continue
        nb, _, end_b, _ = run[i + 1]
        key = na + " " + nb
        if key in counts:
            counts[key] += 1
        else:
            counts[key] = 1
            first[key] = [start, end_b]
        if i + 2 < n:
            nc, _, end_c, cc = run[i + 2]
            if cc and nb != "'s":  # bigrams ending in a stopword are kept as trigram marginals only
                key = key + " " + nc
                if key in counts:
                    counts[key] += 1
                else:
                    counts[key] = 1
                    first[key] = [start, end_c]


def contingency_g2(o11: float, r1: float, c1: float, n: float) -> float:
    """Dunning's G² for a 2×2 table given the joint count, both marginals and the total."""
    cells = [
        (o11, r1 * c1 / n),
        (r1 - o11, r1 * (n - c1) / n),
        (c1 - o11, (n - r1) * c1 / n),
        (n - r1 - c1 + o11, (n - r1) * (n - c1) / n),
    ]
    g2 = 0.0
    for o, e in cells:
        if o > 0 and e > 0:
            g2 += o * math.log(o / e)
    return max(0.0, 2.0 * g2)


def score_ngrams(
    ngram_counts: dict[str, int],
    unigram_counts: dict[str, int],
    n_tokens: int,
    *,
    min_freq: int = 3,
) -> list[dict[str, Any]]:
    """Scored n-grams seen at least ``min_freq`` times (unsorted)."""
    out: list[dict[str, Any]] = []
    if n_tokens <= 0:
        return out
    bigram_counts = ngram_counts
    for key, o in ngram_counts.items():
        if o < min_freq:
            continue
        words = key.split(" ")
        if not is_content(words[-1]):
            continue
        cs = [unigram_counts.get(w, 0) for w in words]
        if min(cs) <= 0:
            continue
        if len(words) == 2:
            e = cs[0] * cs[1] / n_tokens
            g2 = contingency_g2(o, cs[0], cs[1], n_tokens)
        else:
            e = cs[0] * cs[1] * cs[2] / n_tokens**2
            lead = bigram_counts.get(" ".join(words[:2]), o)
            g2 = contingency_g2(o, max(lead, o), cs[2], n_tokens)
        out.append({
            "ngram": key,
            "n": len(words),
            "count": o,
            "word_counts": cs,
            "expected": e,
            "pmi": math.log2(o / e),
            "log_likelihood": g2,
            "p": None,  # filled below, all at once
            "t_score": (o - e) / math.sqrt(o),
        })
    for row, p in zip(out, p_values([r["log_likelihood"] for r in out])):
        row["p"] = p
    return out
