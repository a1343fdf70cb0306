"""Columns of a document's shared tokens, built once per document with C-level maps.

The rhetoric passes (lexicon matching, figures, word counts) read token forms and kinds
many times; taking them out of the token tuples once, and listing the word tokens, lets
those passes skip straight to the tokens they care about instead of looping over all.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress
from operator import itemgetter
from typing import Any, Sequence

__all__ = ["Columns"]

_WORDISH = frozenset({"word", "number"})
_norm = itemgetter(2)
_kind = itemgetter(3)


class Columns:
    """``norms`` and ``kinds`` of every token; ``isword[k]`` is 1 for word and number
    tokens, ``words`` lists their indices."""

    __slots__ = ("norms", "kinds", "isword", "words")

    def __init__(self, tokens: Sequence[Any]) -> None:
        self.norms: list[str] = list(map(_norm, tokens))
        self.kinds: list[str] = list(map(_kind, tokens))
        self.isword: bytes = bytes(map(_WORDISH.__contains__, self.kinds))
        self.words: list[int] = list(compress(range(len(tokens)), self.isword))

    def where(self, forms: Any) -> list[int]:
        """Indices of the tokens whose form is in ``forms`` (a set)."""
        return list(compress(range(len(self.norms)), map(forms.__contains__, self.norms)))

    def words_between(self, i: int, j: int) -> list[int]:
        """Indices of the word and number tokens among tokens ``i..j`` (exclusive)."""
        w = self.words
        return w[bisect_left(w, i):bisect_left(w, j)]

    def count_words(self, i: int, j: int) -> int:
        w = self.words
        return bisect_left(w, j) - bisect_left(w, i)
