"""The per-document state the corpus part of ``keywords`` needs, in one compact string.

Keyness needs each document's word counts and collocations its bigram and trigram
counts.  Kept as dicts per document (and with first-occurrence offsets for examples)
that state took ~24 MB per 1,000 news texts; all of it follows from the sequence of
word and number norms and where punctuation or a sentence edge breaks it.  So a
document keeps one string: its runs of words and numbers separated by ``"\\n"``, the
norms inside a run separated by ``" "``, a number's norm prefixed with ``NUMBER``
(numbers count as words but never as content words of a collocation).  Norms never
hold white space (tokens are runs of non-space characters), so the string splits
back exactly.  The corpus part counts from it; the few example offsets a report shows
are found again in the documents that hold them (``first_word``, ``ngram_examples``).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress
from operator import and_, ne
from typing import Iterable, Iterator

from relkit import STOPWORDS

__all__ = ["NUMBER", "encode", "words", "ngram_keys", "count_ngrams", "holders", "has_word"]

NUMBER = "\x01"  # never in a norm: control characters are neither letters, digits nor marks


def encode(doc) -> str:
    """``doc``'s runs of words and numbers (see the module docstring)."""
    runs: list[str] = []
    run: list[str] = []
    sent = -1
    cols = doc.columns
    for norm, kind, s in zip(cols.norm, cols.kind, cols.sent):
        if s != sent:
            sent = s
            if run:
                runs.append(" ".join(run))
                run = []
        if kind == "word":
            run.append(norm)
        elif kind == "number":
            run.append(NUMBER + norm)
        elif run:
            runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    return "\n".join(runs)


def words(runs: str) -> list[str]:
    """Every word and number norm, in text order (what the word counts count)."""
    return runs.replace(NUMBER, "").split()


def has_word(runs: str, word: str) -> bool:
    """Whether ``word`` occurs as a word (not a number) in the document."""
    return re.search(r"(?:^|[ \n])" + re.escape(word) + r"(?=[ \n]|$)", runs) is not None


class _Content(dict):
    """norm -> may start or end a collocation (memo; a number never does)."""

    def __missing__(self, norm: str) -> bool:
        ok = norm[:1] != NUMBER and norm not in STOPWORDS and any(c.isalpha() for c in norm)
        if len(self) > 300_000:
            self.clear()
        self[norm] = ok
        return ok


_CONTENT = _Content()
_POSSESSIVE = "'s"


def _join2(a: str, b: str) -> str:
    return a + " " + b


def ngram_keys(runs: str) -> list[str]:
    """The bigram and trigram occurrences of a document, as space-joined norms.

    Exactly what ``collocations.document_ngrams`` counts: a bigram starts with a content
    word; a trigram starts and ends with one and its middle is not "'s".
    """
    content = _CONTENT.__getitem__
    keys: list[str] = []
    for run in runs.split("\n"):
        marked = run.split(" ")
        if len(marked) < 2:
            continue
        plain = run.replace(NUMBER, "").split(" ") if NUMBER in run else marked
        flags = list(map(content, marked))
        bigrams = list(map(_join2, plain, plain[1:]))
        keys += compress(bigrams, flags)
        if len(plain) > 2:
            ok = map(and_, map(and_, flags, flags[2:]), map(ne, plain[1:-1], [_POSSESSIVE] * (len(plain) - 2)))
            keys += compress(map(_join2, bigrams, plain[2:]), ok)
    return keys


def holders(docs: list[str], keys: list[str]) -> Iterator[tuple[str, int]]:
    """``(key, i)`` for each of ``keys`` (n-grams ``ngram_keys`` yields) and each document
    ``i`` whose runs hold it, documents in order.

    A key's words with single spaces are a substring of a holder's runs once number
    marks are removed, which rules out most documents cheaply; the rest are checked
    exactly: the words in a row inside one run, the first not a number (it is a content
    word), later ones possibly numbers ("rose 3 percent") except a trigram's last.
    """
    exact = {}
    for k in keys:
        w = k.split(" ")
        inner = "".join(" " + NUMBER + "?" + re.escape(x) for x in w[1:-1])
        last = " " + (NUMBER + "?" if len(w) == 2 else "") + re.escape(w[-1])
        exact[k] = re.compile(r"(?:^|[ \n])" + re.escape(w[0]) + inner + last + r"(?=[ \n]|$)").search
    for i, runs in enumerate(docs):
        plain = runs.replace(NUMBER, "") if NUMBER in runs else runs
        for k in keys:
            if k in plain and exact[k](runs):
                yield k, i


def count_ngrams(docs: Iterable[str]) -> Counter:
    """Bigram and trigram counts over all the documents' runs."""
    counts: Counter = Counter()
    for runs in docs:
        counts.update(ngram_keys(runs))
    return counts
