"""Topic terms from the shared tokens: content words, bigram candidates, bigram merging.

Nothing here tokenises text: a document's terms are read from ``doc.tokens`` (their
``norm``).  Stopwords, numbers, punctuation, symbols (URLs, handles) and one-letter
tokens are dropped, and each dropped token breaks adjacency, so a bigram is only ever
two content words that stand next to each other in one sentence ("prime minister",
but never "minister ... affairs" across "of").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from relkit import STOPWORDS

__all__ = ["BREAK", "document_sentences", "runs_of", "document_tokens", "BigramModel", "EncodedCorpus",
           "distinct_counts", "bigram_scores", "merge_positions", "find_bigrams"]

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


# Memo of content_term by norm (words repeat: news has ~3% distinct norms among its
# words), bounded so a long-lived worker does not grow without limit.
_TERMS: dict[str, Any] = {}
_TERMS_MAX = 200_000
_MISSING = object()


def document_sentences(doc: Any) -> list[list[Any]]:
    """``[[start, end, "term term|term"], ...]`` for each sentence with at least one term.

    This is the per-document state the corpus part needs: term sequences (for counts
    and bigram adjacency) and sentence offsets in the original text (for evidence).
    """
    out: list[list[Any]] = []
    tokens = doc.tokens
    cache = _TERMS
    if len(cache) > _TERMS_MAX:
        cache.clear()
    for s in doc.sentences:
        parts: list[str] = []
        any_term = False
        for tok in tokens[s.first_token : s.last_token]:
            if tok.kind != "word" or tok.is_stop:
                term = None
            else:  # for a non-stopword word the term depends on its norm alone
                term = cache.get(tok.norm, _MISSING)
                if term is _MISSING:
                    term = cache[tok.norm] = content_term(tok.norm, "word", False)
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


def document_tokens(sentences: Iterable[Sequence[Any]]) -> list[str]:
    """A document's terms in order, one list, with ``BREAK`` wherever adjacency is broken
    (dropped tokens and sentence ends).  Working on one flat list per document, rather
    than on runs, lets counting and merging run in C-level loops."""
    toks = f" {BREAK} ".join(sent[2] for sent in sentences).split(" ")
    if "" in toks:  # never produced by document_sentences; tolerated as runs_of does
        toks = [t for t in toks if t]
    return toks


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


@dataclass
class EncodedCorpus:
    """Every document's :func:`document_tokens` as integer ids in one flat array.

    Each document is followed by a ``BREAK`` (id 0), so an adjacent pair never spans two
    documents, and pair and document counts become array operations instead of
    per-token Python work (the corpus part's former hot spot on large corpora)."""

    words: list[str]  # id -> term; words[0] is BREAK
    ids: np.ndarray  # flat token ids, documents in order, each followed by 0
    doc: np.ndarray  # document row of each position
    _codes: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def from_sentences(cls, docs_sentences: Sequence[Sequence[Sequence[Any]]]) -> "EncodedCorpus":
        # Ids in order of first appearance, document by document: a document's term strings
        # live only while it is encoded (all of them at once were most of the corpus step's
        # peak on large corpora: one string object per token).
        words = [BREAK]
        id_of = {BREAK: 0}
        parts: list[np.ndarray] = []
        lens = np.zeros(len(docs_sentences), dtype=np.int64)
        for r, sents in enumerate(docs_sentences):
            toks = document_tokens(sents)
            for w in dict.fromkeys(toks):
                if w not in id_of:
                    id_of[w] = len(words)
                    words.append(w)
            toks.append(BREAK)
            parts.append(np.fromiter(map(id_of.__getitem__, toks), dtype=np.int64, count=len(toks)))
            lens[r] = len(toks)
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        del parts
        doc = np.repeat(np.arange(len(docs_sentences), dtype=np.int64), lens)
        return cls(words, ids, doc)

    @property
    def n_words(self) -> int:
        return len(self.words)

    def pair_codes(self) -> np.ndarray:
        """Code ``a * n_words + b`` of the pair starting at each position but the last;
        0 marks a pair that includes a break (computed once)."""
        if self._codes is None:
            a, b = self.ids[:-1], self.ids[1:]
            self._codes = np.where((a != 0) & (b != 0), a * self.n_words + b, 0)
        return self._codes


def distinct_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an integer array and how often each occurs (a sort and
    a diff: much faster here than ``np.unique``'s hash path)."""
    s = np.sort(keys)
    if len(s) == 0:
        return s, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    return s[first], np.diff(np.append(first, len(s)))


def bigram_scores(enc: EncodedCorpus, *, min_count: int, min_docs: int, threshold: float) -> dict[int, float]:
    """Accepted pair codes and their normalised PMI (see :func:`find_bigrams`)."""
    codes = enc.pair_codes()
    valid = codes != 0
    uni = np.bincount(enc.ids, minlength=enc.n_words)
    total = int(uni[1:].sum())
    if total == 0 or not valid.any():
        return {}
    pc, pd = codes[valid], enc.doc[:-1][valid]
    uniq, count = distinct_counts(pc)
    inv = np.searchsorted(uniq, pc)
    in_docs = np.bincount(distinct_counts(pd * len(uniq) + inv)[0] % len(uniq), minlength=len(uniq))
    a, b = np.divmod(uniq, enc.n_words)
    cand = np.nonzero((count >= min_count) & (in_docs >= min_docs) & (a != b))[0]
    scores: dict[int, float] = {}
    for j in cand.tolist():
        p_ab = int(count[j]) / total
        if p_ab >= 1.0:
            continue
        pmi = math.log(p_ab / ((int(uni[a[j]]) / total) * (int(uni[b[j]]) / total)))
        npmi = pmi / -math.log(p_ab)
        if npmi >= threshold:
            scores[int(uniq[j])] = npmi
    return scores


def merge_positions(enc: EncodedCorpus, scores: dict[int, float]) -> np.ndarray:
    """Positions where an accepted pair is merged into one term, by the rule of
    :meth:`BigramModel.merge` (left to right; of two overlapping pairs the stronger)."""
    if not scores:
        return np.zeros(0, dtype=np.int64)
    codes = enc.pair_codes()
    accepted = np.fromiter(sorted(scores), dtype=np.int64, count=len(scores))
    at = np.minimum(np.searchsorted(accepted, codes), len(accepted) - 1)
    hits = np.flatnonzero(accepted[at] == codes).tolist()
    hit_codes = codes[hits].tolist()
    out: list[int] = []
    pos = 0
    for j, i in enumerate(hits):
        if i < pos:  # its first word already ends a merged bigram
            continue
        s = scores[hit_codes[j]]
        nxt = scores[hit_codes[j + 1]] if j + 1 < len(hits) and hits[j + 1] == i + 1 else None
        if nxt is None or s >= nxt:
            out.append(i)
            pos = i + 2
    return np.asarray(out, dtype=np.int64)


def find_bigrams(
    docs_sentences: Sequence[Sequence[Sequence[Any]]],
    *,
    min_count: int,
    min_docs: int,
    threshold: float,
    encoded: EncodedCorpus | None = None,
) -> BigramModel:
    """Bigrams kept as terms: adjacent content words that occur at least ``min_count``
    times in at least ``min_docs`` documents, with normalised PMI (collocation strength,
    Bouma 2009, token probabilities over the whole corpus) of at least ``threshold``.

    Counts never join words across documents, sentences or dropped tokens.  ``encoded``:
    the corpus already encoded, when the caller has it.
    """
    enc = encoded if encoded is not None else EncodedCorpus.from_sentences(docs_sentences)
    scores = bigram_scores(enc, min_count=min_count, min_docs=min_docs, threshold=threshold)
    n = enc.n_words
    return BigramModel({(enc.words[c // n], enc.words[c % n]): v for c, v in scores.items()})
