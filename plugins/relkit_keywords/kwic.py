"""Keyword in context: every occurrence of a word, a phrase or a regular expression.

Phrases are matched on the shared tokens (normalised: case, typographic apostrophes and
dashes folded), word by word inside one sentence, so "strategic partnership" finds
"Strategic Partnership" but not "strategic, partnership"; a trailing ``*`` on a word
matches any ending ("econom*").  Regular expressions are applied to each sentence's text
in the original document and the offsets mapped back.  Only text that cleaning kept is
searched; contexts are read from the original text.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Iterator

import click

from relkit import segment

__all__ = ["Matcher", "kwic_lines", "kwic_command"]

_WS = re.compile(r"\s+")
_MATCHED_KINDS = frozenset(("word", "number", "symbol"))


class Matcher:
    """Finds (start, end) spans of a term in a document."""

    def __init__(self, term: str, *, regex: bool = False, case_sensitive: bool = False) -> None:
        self.term = term
        self.regex = regex
        if regex:
            try:
                self.pattern = re.compile(term, 0 if case_sensitive else re.IGNORECASE)
            except re.error as e:
                raise click.BadParameter(f"invalid regular expression {term!r}: {e}", param_hint="TERM") from None
            self.words: list[str] = []
        else:
            self.case_sensitive = case_sensitive
            self.words = []
            prev_end = -1
            for t in segment(term).tokens:
                surface = term[t.start : t.end]
                if surface == "*" and self.words and t.start == prev_end:
                    self.words[-1] += "*"  # a wildcard hugging the word before it
                elif t.kind in ("word", "number", "symbol"):
                    self.words.append(surface if case_sensitive else t.norm)
                prev_end = t.end
            if not self.words:
                raise click.BadParameter(f"{term!r} has no words to match", param_hint="TERM")

    def _word_match(self, pattern: str, value: str) -> bool:
        if pattern.endswith("*") and len(pattern) > 1:
            return value.startswith(pattern[:-1])
        return value == pattern

    def spans(self, doc) -> Iterator[tuple[int, int]]:
        if self.regex:
            for s in doc.sentences:
                for m in self.pattern.finditer(doc.text, s.start, s.end):
                    if m.end() > m.start():
                        yield m.start(), m.end()
            return
        cols = doc.columns  # column by column: no Token tuples are made
        starts, ends, norms, kinds = cols.start, cols.end, cols.norm, cols.kind
        text = doc.text
        n = len(self.words)
        for s in doc.sentences:
            idx = [k for k in range(s.first_token, s.last_token) if kinds[k] in _MATCHED_KINDS]
            values = [text[starts[k] : ends[k]] for k in idx] if self.case_sensitive else [norms[k] for k in idx]
            i = 0
            while i + n <= len(idx):
                if all(self._word_match(self.words[j], values[i + j]) for j in range(n)) and self._adjacent(
                    text, starts, ends, idx[i : i + n]
                ):
                    yield starts[idx[i]], ends[idx[i + n - 1]]
                    i += n
                else:
                    i += 1

    @staticmethod
    def _adjacent(text: str, starts, ends, idx: list[int]) -> bool:
        """Words of a phrase are separated by white space (or a hyphen/slash), not punctuation."""
        for a, b in zip(idx, idx[1:]):
            gap = text[ends[a] : starts[b]]
            if gap.strip() and gap.strip() not in ("-", "–", "/"):
                return False
        return True


def kwic_lines(corpus, matcher: Matcher, width: int = 40) -> Iterator[dict[str, Any]]:
    for doc in corpus:
        text = doc.text
        for start, end in matcher.spans(doc):
            left = _WS.sub(" ", text[max(0, start - width) : start])
            right = _WS.sub(" ", text[end : end + width])
            yield {"doc": doc.id, "start": start, "end": end, "left": left, "match": text[start:end], "right": right}
        doc.drop_features()


def _make_command() -> click.Command:
    from relkit.cli import _load, handle_errors, input_options

    @click.command("kwic")
    @input_options
    @click.argument("term")
    @click.option("-w", "--width", type=click.IntRange(0, 10_000), default=40, show_default=True,
                  help="Characters of context on each side (white space shown as single spaces).")
    @click.option("--regex", is_flag=True, help="TERM is a Python regular expression (matched inside sentences).")
    @click.option("--case-sensitive", is_flag=True, help="Match case exactly (default: ignore case).")
    @click.option("--limit", type=click.IntRange(1), default=None, help="Stop after this many lines.")
    @handle_errors
    def kwic_command(paths, text_field, id_field, input_format, no_clean, term, width, regex, case_sensitive, limit):
        """Keyword in context: each occurrence of TERM in PATHS as a JSON line.

        \b
        relkit kwic corpus/ "strategic partnership"
        relkit kwic corpus/ 'South Cauc*' --width 60
        relkit kwic corpus/ 'Corridor|route' --regex

        Fields: doc, start, end (offsets in the original text), left, match, right.
        """
        matcher = Matcher(term, regex=regex, case_sensitive=case_sensitive)
        corpus = _load(paths, text_field, id_field, input_format, no_clean)
        n = 0
        out = sys.stdout
        for line in kwic_lines(corpus, matcher, width):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += 1
            if limit is not None and n >= limit:
                break
        out.flush()
        click.echo(f"relkit: {n} matches in {len(corpus)} documents", err=True)
        if corpus.warnings:
            sys.exit(2)

    return kwic_command


kwic_command = _make_command()
