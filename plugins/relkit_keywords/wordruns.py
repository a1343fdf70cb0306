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
from itertools import compress, repeat
from operator import and_, ne
from typing import Iterator, Sequence

from relkit import STOPWORDS

__all__ = ["NUMBER", "encode", "words", "ngram_tuples", "ngram_keys", "count_ngrams", "holders", "has_word"]

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


def ngram_tuples(runs: str) -> list[tuple[str, ...]]:
    """The bigram and trigram occurrences of a document, as tuples of norms.

    Exactly what ``collocations.document_ngrams`` counts: a bigram starts with a content
    word; a trigram starts and ends with one and its middle is not "'s".  Tuples, not
    strings: ``zip`` makes them without a Python call each, and they hash without
    joining (see ``count_ngrams``).
    """
    content = _CONTENT.__getitem__
    out: list[tuple[str, ...]] = []
    for run in runs.split("\n"):
        marked = run.split(" ")
        if len(marked) < 2:
            continue
        plain = run.replace(NUMBER, "").split(" ") if NUMBER in run else marked
        flags = list(map(content, marked))
        out += compress(zip(plain, plain[1:]), flags)
        if len(plain) > 2:
            ok = map(and_, map(and_, flags, flags[2:]), map(ne, plain[1:-1], repeat(_POSSESSIVE)))
            out += compress(zip(plain, plain[1:], plain[2:]), ok)
    return out


def ngram_keys(runs: str) -> list[str]:
    """``ngram_tuples`` as space-joined norms (the keys the report shows)."""
    return list(map(" ".join, ngram_tuples(runs)))


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


def count_ngrams(docs: Sequence[str], min_freq: int = 1, size_hint: int = 0) -> dict[str, int]:
    """Bigram and trigram counts over all the documents' runs, exact for every n-gram seen
    at least ``min_freq`` times (rarer ones may be missing or present).

    A corpus has far more distinct n-grams than frequent ones (most are seen once), and
    counting them all held most of the corpus step's memory.  With ``min_freq`` > 1 the
    count takes two passes: the first adds every occurrence into a fixed table of
    counters indexed by a hash of the n-gram (saturating at ``min_freq``); an n-gram's
    counter is at least its own count, so the second pass, which counts exactly only the
    n-grams whose counter reached ``min_freq``, misses none of them.  Hash collisions
    only let some rarer n-grams through.  ``size_hint`` (the corpus's word count) sizes
    the table: about four one-byte counters per word, at most 64 MiB.  Both passes work
    on a few hundred documents at a time with numpy; only n-grams that are counted are
    ever joined into strings.  String hashes differ between processes; counts kept do not.
    """
    import numpy as np

    counts: Counter = Counter()
    table = None
    if min_freq > 1:
        buckets = 1 << max(10, min(26, (4 * max(size_hint, 1) - 1).bit_length()))
        mask = buckets - 1
        table = np.zeros(buckets, dtype=np.uint8 if min_freq < 256 else np.uint16 if min_freq < 65536 else np.uint32)
    for counting in ((False, True) if table is not None else (True,)):
        for lo in range(0, len(docs), _BATCH):
            plain, h2, ok2, h3, ok3 = _batch_ngrams(docs[lo : lo + _BATCH], np)
            if not counting:
                slots = np.concatenate((h2[ok2], h3[ok3])) & mask
                where, n = np.unique(slots, return_counts=True)
                table[where] = np.minimum(table[where] + n, min_freq)
                continue
            if table is not None:
                ok2 &= table[h2 & mask] >= min_freq
                ok3 &= table[h3 & mask] >= min_freq
            first = plain[:-1]
            counts.update(map(_join2, compress(first, ok2.tolist()), compress(plain[1:], ok2.tolist())))
            keep3 = ok3.tolist()
            counts.update(map(_join3, compress(first, keep3), compress(plain[1:], keep3), compress(plain[2:], keep3)))
    return dict(counts)


_BATCH = 500  # documents per numpy pass (~70,000 words)
_BREAKS = frozenset(("\n", "")).__contains__
_K2, _K3 = 0x9E3779B97F4A7C15 - (1 << 64), 0xC2B2AE3D27D4EB4F - (1 << 64)  # odd 64-bit multipliers (as int64)


def _join2(a: str, b: str) -> str:
    return a + " " + b


def _join3(a: str, b: str, c: str) -> str:
    return a + " " + b + " " + c


def _is(h, plain, hashes, test, np):
    """Where ``test(plain[i])`` holds, given that it can only hold where ``h[i]`` is one of ``hashes``."""
    hit = h == hashes[0]
    for x in hashes[1:]:
        hit |= h == x
    where = np.flatnonzero(hit).tolist()
    if not all(map(test, map(plain.__getitem__, where))):
        hit[[i for i in where if not test(plain[i])]] = False
    return hit


def _batch_ngrams(batch: Sequence[str], np):
    """The words of a batch of documents' runs in one list (a run or document edge is an
    element ``"\n"`` or ``""``), hashes of the bigram and trigram starting at each word,
    and where those are n-grams ``ngram_tuples`` yields."""
    joined = "\n".join(batch).replace("\n", " \n ")
    marked = joined.split(" ")
    plain = joined.replace(NUMBER, "").split(" ") if NUMBER in joined else marked
    flags = np.fromiter(map(_CONTENT.__getitem__, marked), dtype=bool, count=len(marked))
    h = np.fromiter(map(hash, plain), dtype=np.int64, count=len(plain))
    # Edges and "'s" found by their hashes, then checked (a word sharing a hash with them
    # is possible in principle): cheaper than testing every word in Python.
    edge = _is(h, plain, (hash("\n"), hash("")), _BREAKS, np)
    possessive = _is(h, plain, (hash(_POSSESSIVE),), _POSSESSIVE.__eq__, np)
    with np.errstate(over="ignore"):  # wrapping arithmetic is the point
        h2 = h[:-1] * _K2 + h[1:]
        h3 = h2[:-1] * _K3 + h[2:]
    inside = ~edge[1:]
    ok2 = flags[:-1] & inside  # a content word followed by a word of the same run
    ok3 = ok2[:-1] & flags[2:] & ~possessive[1:-1]
    return plain, h2, ok2, h3, ok3
