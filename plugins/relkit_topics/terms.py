"""Topic terms from the shared tokens: content words, bigram candidates, bigram merging.

Nothing here tokenises text: a document's terms are read from ``doc.tokens`` (their
``norm``).  Stopwords, numbers, punctuation, symbols (URLs, handles) and one-letter
tokens are dropped, and each dropped token breaks adjacency, so a bigram is only ever
two content words that stand next to each other in one sentence ("prime minister",
but never "minister ... affairs" across "of").
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Iterable, Sequence

from relkit import STOPWORDS

__all__ = ["BREAK", "document_sentences", "runs_of", "BigramModel", "find_bigrams"]

BREAK = "|"  # marks a dropped token inside a sentence's term string (never part of a norm)


def content_term(norm: str, kind: str, is_stop: bool) -> str | None:
    """The term a token contributes, or None when it is not a content word."""
    if kind != "word" or is_stop:
        return None
    if norm.endswith("."):  # abbreviations keep their period as tokens: "u.s." -> "u.s", "inc." -> "inc"
        norm = norm[:-1]
    if len(norm) < 2 or norm in STOPWORDS or not any(c.isalpha() for c in norm):
        return None
    if "'" in norm:  # contractions and leftover possessives: "don't", "they're", "o'neill" kept
        head, _, tail = norm.partition("'")
        if head in STOPWORDS or tail in ("t", "re", "ve", "ll", "d", "m", "s"):
            return None
    if BREAK in norm or " " in norm:
        return None
    return norm


def document_sentences(doc: Any) -> list[list[Any]]:
    """``[[start, end, "term term|term"], ...]`` for each sentence with at least one term.

    This is the per-document state the corpus part needs: term sequences (for counts
    and bigram adjacency) and sentence offsets in the original text (for evidence).
    """
    out: list[list[Any]] = []
    tokens = doc.tokens
    for s in doc.sentences:
        parts: list[str] = []
        any_term = False
        for tok in tokens[s.first_token : s.last_token]:
            term = content_term(tok.norm, tok.kind, tok.is_stop)
            if term is None:
                if parts and parts[-1] != BREAK:
                    parts.append(BREAK)
            else:
                parts.append(term)
                any_term = True
        if any_term:
            while parts and parts[-1] == BREAK:
                parts.pop()
            out.append([s.start, s.end, " ".join(parts)])
    return out


def runs_of(sentence_terms: str) -> list[list[str]]:
    """The adjacency runs of one sentence's term string (split at dropped tokens)."""
    runs, cur = [], []
    for t in sentence_terms.split(" "):
        if t == BREAK:
            if cur:
                runs.append(cur)
            cur = []
        elif t:
            cur.append(t)
    if cur:
        runs.append(cur)
    return runs


class BigramModel:
    """Accepted bigrams with their collocation score; merges them into single terms."""

    def __init__(self, scores: dict[tuple[str, str], float] | None = None) -> None:
        self.scores = dict(scores or {})

    def __len__(self) -> int:
        return len(self.scores)

    def merge(self, run: Sequence[str]) -> list[str]:
        """Left to right, joining accepted pairs; when two accepted pairs overlap
        ("a b c" with both "a b" and "b c") the stronger one wins."""
        scores = self.scores
        if not scores:
            return list(run)
        out: list[str] = []
        i, n = 0, len(run)
        while i < n:
            if i + 1 < n:
                s = scores.get((run[i], run[i + 1]))
                if s is not None:
                    nxt = scores.get((run[i + 1], run[i + 2])) if i + 2 < n else None
                    if nxt is None or s >= nxt:
                        out.append(run[i] + " " + run[i + 1])
                        i += 2
                        continue
            out.append(run[i])
            i += 1
        return out

    def terms(self, sentences: Iterable[Sequence[Any]]) -> list[str]:
        """All terms of a document (bigrams merged) from its sentence state."""
        out: list[str] = []
        for sent in sentences:
            for run in runs_of(sent[2]):
                out.extend(self.merge(run))
        return out


def find_bigrams(
    docs_sentences: Sequence[Sequence[Sequence[Any]]],
    *,
    min_count: int,
    min_docs: int,
    threshold: float,
) -> BigramModel:
    """Bigrams kept as terms: adjacent content words that occur at least ``min_count``
    times in at least ``min_docs`` documents, with normalised PMI (collocation strength,
    Bouma 2009, token probabilities over the whole corpus) of at least ``threshold``.

    Counts never join words across documents, sentences or dropped tokens.
    """
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    bi_docs: Counter[tuple[str, str]] = Counter()
    for sents in docs_sentences:
        seen: set[tuple[str, str]] = set()
        for sent in sents:
            for run in runs_of(sent[2]):
                uni.update(run)
                for a, b in zip(run, run[1:]):
                    bi[(a, b)] += 1
                    seen.add((a, b))
        bi_docs.update(seen)
    total = sum(uni.values())
    scores: dict[tuple[str, str], float] = {}
    if total == 0:
        return BigramModel()
    for pair, c in bi.items():
        if c < min_count or bi_docs[pair] < min_docs or pair[0] == pair[1]:
            continue
        p_ab = c / total
        if p_ab >= 1.0:
            continue
        pmi = math.log(p_ab / ((uni[pair[0]] / total) * (uni[pair[1]] / total)))
        npmi = pmi / -math.log(p_ab)
        if npmi >= threshold:
            scores[pair] = npmi
    return BigramModel(scores)
