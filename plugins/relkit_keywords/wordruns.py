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

__all__ = ["NUMBER", "encode", "words", "ngram_keys", "count_ngrams", "has_word"]

NUMBER = "\x01"  # never in a norm: control characters are neither letters, digits nor marks


def encode(doc) -> str:
    """``doc``'s runs of words and numbers (see the module docstring)."""
    runs: list[str] = []
    run: list[str] = []
    sent = -1
    for _, _, norm, kind, _, s in doc.tokens:
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


def ngram_keys(runs: str) -> Iterator[str]:
    """The bigram and trigram occurrences of a document, as space-joined norms.

    Exactly what ``collocations.document_ngrams`` counts: a bigram starts with a content
    word; a trigram starts and ends with one and its middle is not "'s".
    """
    content = _CONTENT.__getitem__
    for run in runs.split("\n"):
        marked = run.split(" ")
        if len(marked) < 2:
            continue
        plain = run.replace(NUMBER, "").split(" ") if NUMBER in run else marked
        flags = list(map(content, marked))
        bigrams = list(map(_join2, plain, plain[1:]))
        yield from compress(bigrams, flags)
        if len(plain) > 2:
            ok = map(and_, map(and_, flags, flags[2:]), map(ne, plain[1:-1], [_POSSESSIVE] * (len(plain) - 2)))
            yield from compress(map(_join2, bigrams, plain[2:]), ok)


def count_ngrams(docs: Iterable[str]) -> Counter:
    """Bigram and trigram counts over all the documents' runs."""
    counts: Counter = Counter()
    for runs in docs:
        counts.update(ngram_keys(runs))
    return counts
