"""Reading lexicons: JSON ``{category: [terms]}`` and LIWC-style ``.dic`` files.

A term is one or more words separated by spaces; a word ending in ``*`` matches every
token that starts with it (``econom*`` matches economy, economic, economists).  Terms are
split into tokens by relkit's shared tokenizer, so ``U.S.`` or ``don't`` in a lexicon
mean exactly what they mean in a document.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relkit.loaders import decode_bytes
from relkit.text import segment

__all__ = ["LexiconError", "Term", "Lexicon", "parse_term", "parse_json", "parse_dic", "load_lexicon", "file_digest"]


class LexiconError(ValueError):
    """A lexicon that cannot be read: the message names the file (and line)."""


@dataclass(frozen=True)
class Term:
    """One lexicon entry: its spelling, token pattern and categories.

    ``pattern`` holds ``(norm, is_prefix)`` per token: a token matches when its
    normalised form equals ``norm``, or starts with it when ``is_prefix``.
    """

    raw: str
    pattern: tuple[tuple[str, bool], ...]
    categories: tuple[str, ...]

    @property
    def wildcard(self) -> bool:
        return any(p for _, p in self.pattern)


@dataclass(frozen=True)
class Lexicon:
    path: str
    format: str  # "json" or "dic"
    sha256: str
    categories: tuple[str, ...]  # in the file's order
    terms: tuple[Term, ...]
    skipped: tuple[str, ...] = ()  # entries that could not be used, with why

    def describe(self) -> dict[str, Any]:
        per_cat = {c: [0, 0] for c in self.categories}
        for t in self.terms:
            for c in t.categories:
                per_cat[c][0] += 1
                per_cat[c][1] += t.wildcard
        return {
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "categories": [{"name": c, "terms": n, "wildcards": w} for c, (n, w) in per_cat.items()],
            "skipped_entries": list(self.skipped),
        }


def parse_term(raw: str) -> tuple[tuple[str, bool], ...]:
    """The token pattern of a term; raises ValueError for one relkit cannot match."""
    pattern: list[tuple[str, bool]] = []
    for piece in raw.split():
        is_prefix = piece.endswith("*")
        core = piece.rstrip("*")
        if "*" in core:
            raise ValueError(f"term {raw!r}: '*' is only allowed at the end of a word")
        if not core:
            raise ValueError(f"term {raw!r}: a wildcard needs at least one character before '*'")
        tokens = segment(core).tokens
        if not tokens:
            raise ValueError(f"term {raw!r}: no tokens")
        for i, tok in enumerate(tokens):
            pattern.append((tok.norm, is_prefix and i == len(tokens) - 1))
    if not pattern:
        raise ValueError("empty term")
    return tuple(pattern)


def _build(path: str, fmt: str, sha: str, categories: list[str], entries: list[tuple[str, str, str]], skipped: list[str]) -> Lexicon:
    """``entries``: (where, term, category); the same term in several categories is merged."""
    by_pattern: dict[tuple[tuple[str, bool], ...], tuple[str, list[str]]] = {}
    for where, raw, cat in entries:
        try:
            pattern = parse_term(raw)
        except ValueError as e:
            raise LexiconError(f"{path}: {where}: {e}") from None
        first, cats = by_pattern.setdefault(pattern, (raw.strip(), []))
        if cat not in cats:
            cats.append(cat)
    terms = tuple(Term(raw, pattern, tuple(cats)) for pattern, (raw, cats) in by_pattern.items())
    return Lexicon(path, fmt, sha, tuple(categories), terms, tuple(skipped))


def parse_json(text: str, path: str = "<json>", sha: str = "") -> Lexicon:
    """``{"category": ["term", "multi word term", "prefix*"], ...}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise LexiconError(f"{path}: invalid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    if not isinstance(data, dict) or not data:
        raise LexiconError(f"{path}: expected a JSON object of category to list of terms, e.g. {{\"economy\": [\"inflation\", \"tax*\"]}}")
    categories, entries = [], []
    for cat, terms in data.items():
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise LexiconError(f"{path}: category {cat!r}: expected a list of strings")
        categories.append(cat)
        for i, t in enumerate(terms):
            if t.strip():
                entries.append((f"category {cat!r}, term {i + 1}", t, cat))
    return _build(path, "json", sha, categories, entries, [])


def _dic_id(s: str) -> str:
    return str(int(s)) if s.isdigit() else s


def parse_dic(text: str, path: str = "<dic>", sha: str = "") -> Lexicon:
    """A LIWC-style dictionary::

        %
        1   posemo
        2   negemo
        %
        happy       1
        abandon*    2
        kind of     1 2

    Category lines sit between the two ``%`` lines; then one term a line followed by its
    category numbers (tab-separated, or space-separated with the numbers last).  Entries
    using LIWC 2007's conditional syntax (``02/134``, ``(02 134)125/464``) are skipped and
    listed in ``skipped_entries``.
    """
    lines = text.splitlines()
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    if n >= len(lines) or lines[n].strip() != "%":
        raise LexiconError(f"{path}: line {n + 1}: a .dic file starts with a '%' line, then category lines, then '%'")
    n += 1
    ids: dict[str, str] = {}
    categories: list[str] = []
    while True:
        if n >= len(lines):
            raise LexiconError(f"{path}: no closing '%' after the category lines")
        line = lines[n].strip()
        n += 1
        if line == "%":
            break
        if not line:
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise LexiconError(f"{path}: line {n}: expected 'NUMBER<tab>CATEGORY', got {line!r}")
        key, name = _dic_id(parts[0]), parts[1].strip()
        if key in ids:
            raise LexiconError(f"{path}: line {n}: category number {parts[0]} is defined twice")
        ids[key] = name
        if name not in categories:
            categories.append(name)
    if not ids:
        raise LexiconError(f"{path}: no categories between the '%' lines")
    entries: list[tuple[str, str, str]] = []
    skipped: list[str] = []
    for lineno in range(n + 1, len(lines) + 1):
        line = lines[lineno - 1].strip()
        if not line:
            continue
        if "\t" in line:
            fields = line.split("\t")
            term, refs = fields[0].strip(), " ".join(fields[1:]).split()
        else:
            words = line.split()
            k = len(words)
            while k > 1 and _dic_id(words[k - 1]) in ids:
                k -= 1
            term, refs = " ".join(words[:k]), words[k:]
        if any(c in r for r in refs for c in "/()<>"):
            skipped.append(f"line {lineno}: {term!r} uses conditional category syntax")
            continue
        if not refs:
            raise LexiconError(f"{path}: line {lineno}: term {term!r} has no category numbers")
        for r in refs:
            if _dic_id(r) not in ids:
                raise LexiconError(f"{path}: line {lineno}: category number {r} is not defined in the header")
            entries.append((f"line {lineno}", term, ids[_dic_id(r)]))
    return _build(path, "dic", sha, categories, entries, skipped)


_LOADED: dict[tuple[str, int, int], Lexicon] = {}
_DIGESTS: dict[tuple[str, int, int], str] = {}


def _stat_key(path: str) -> tuple[str, int, int]:
    st = os.stat(path)
    return (os.path.abspath(path), st.st_mtime_ns, st.st_size)


def file_digest(path: str) -> str:
    """sha256 of the file's bytes (memoised while the file is unchanged)."""
    key = _stat_key(path)
    if key not in _DIGESTS:
        _DIGESTS[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _DIGESTS[key]


def load_lexicon(path: str) -> Lexicon:
    """Read a lexicon by extension: ``.dic`` is LIWC-style, anything else JSON.

    Parsed once per process while the file is unchanged.
    """
    try:
        key = _stat_key(path)
    except OSError as e:
        raise LexiconError(f"{path}: cannot read the lexicon: {e.strerror or e}") from None
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise LexiconError(f"{path}: cannot read the lexicon: {e.strerror or e}") from None
    text, problem = decode_bytes(data)
    if text is None:
        raise LexiconError(f"{path}: {problem}")
    sha = hashlib.sha256(data).hexdigest()
    if path.lower().endswith(".dic"):
        lexicon = parse_dic(text, path, sha)
    else:
        lexicon = parse_json(text, path, sha)
    if not lexicon.terms:
        raise LexiconError(f"{path}: the lexicon holds no terms")
    _LOADED[key] = lexicon
    return lexicon
