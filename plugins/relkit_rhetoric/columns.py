"""Columns of a document's shared tokens, built once per document.

The rhetoric passes (figures, word counts) read token forms and word positions many
times; taking the forms out of the token tuples once, and listing the word tokens, lets
those passes slice and search lists instead of looping over every token.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress
from typing import Any, Sequence

__all__ = ["Columns"]

_WORDISH = frozenset({"word", "number"})


class Columns:
    """``starts``, ``norms`` and ``kinds`` of every token; ``isword[k]`` is 1 for word and
    number tokens, ``words`` lists their indices."""

    __slots__ = ("starts", "norms", "kinds", "isword", "words")

    def __init__(self, tokens: Sequence[Any]) -> None:
        # one transposition of the token tuples (a pass over them in C) gives every column
        cols = tuple(zip(*tokens)) if tokens else ((),) * 4
        self.starts: Sequence[int] = cols[0]
        self.norms: Sequence[str] = cols[2]
        self.kinds: Sequence[str] = cols[3]
        self.isword: bytes = bytes(map(_WORDISH.__contains__, cols[3]))
        self.words: list[int] = list(compress(range(len(tokens)), self.isword))

    def where(self, forms: frozenset[str]) -> list[int]:
        """Indices of the tokens whose form is one of ``forms``, in order (one pass in C)."""
        norms = self.norms
        return list(compress(range(len(norms)), map(forms.__contains__, norms)))

    def words_between(self, i: int, j: int) -> list[int]:
        """Indices of the word and number tokens among tokens ``i..j`` (exclusive)."""
        w = self.words
        return w[bisect_left(w, i):bisect_left(w, j)]

    def count_words(self, i: int, j: int) -> int:
        w = self.words
        return bisect_left(w, j) - bisect_left(w, i)
