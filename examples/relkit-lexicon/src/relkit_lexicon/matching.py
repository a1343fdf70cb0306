"""Finding lexicon terms in a document's shared tokens.

A term matches a run of consecutive tokens in one sentence, token by token (exact
normalised form, or prefix for a ``*`` word).  Within each category, matches are taken
left to right, longest first, without overlap, so ``interest rate*`` counts once in
"interest rates" rather than also counting ``rate*``; different categories count
independently, as in LIWC.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from relkit.text import Token

from .lexicon import Lexicon, Term

__all__ = ["Match", "TermIndex"]


@dataclass(frozen=True)
class Match:
    first: int  # token index
    last: int  # token index, exclusive
    term: Term
    category: str


class TermIndex:
    """Terms by their first token, for the categories wanted."""

    def __init__(self, lexicon: Lexicon, categories: Sequence[str] | None = None) -> None:
        wanted = set(categories) if categories else set(lexicon.categories)
        self.exact: dict[str, list[Term]] = defaultdict(list)
        self.prefix: dict[str, list[Term]] = defaultdict(list)
        lengths: set[int] = set()
        for term in lexicon.terms:
            if not wanted.intersection(term.categories):
                continue
            norm, is_prefix = term.pattern[0]
            if is_prefix:
                self.prefix[norm].append(term)
                lengths.add(len(norm))
            else:
                self.exact[norm].append(term)
        self.prefix_lengths = sorted(lengths)
        self.wanted = wanted

    def _candidates(self, norm: str) -> list[Term]:
        found = list(self.exact.get(norm, ()))
        for n in self.prefix_lengths:
            if n > len(norm):
                break
            found.extend(self.prefix.get(norm[:n], ()))
        return found

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Every category's matches, in token order (then category, then term)."""
        raw: dict[str, list[tuple[int, int, Term]]] = defaultdict(list)
        for i, tok in enumerate(tokens):
            for term in self._candidates(tok.norm):
                j = i + len(term.pattern)
                if j > len(tokens) or tokens[j - 1].sent != tok.sent:
                    continue
                if all((tokens[i + k].norm.startswith(n) if p else tokens[i + k].norm == n) for k, (n, p) in enumerate(term.pattern)):
                    for cat in term.categories:
                        if cat in self.wanted:
                            raw[cat].append((i, j, term))
        out: list[Match] = []
        for cat, found in raw.items():
            # Longest first at each position; among equals, exact before wildcard, then by spelling.
            found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2].wildcard, m[2].raw))
            end = -1
            for i, j, term in found:
                if i >= end:
                    out.append(Match(i, j, term, cat))
                    end = j
        out.sort(key=lambda m: (m.first, m.last, m.category, m.term.raw))
        return out
