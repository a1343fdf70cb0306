"""Shared text processing: sentence segmentation and tokens with character offsets.

Every analysis reads these features instead of re-tokenising, so a sentence or token
offset means the same thing in every report.  Offsets always index the document's
*original* text: segmentation runs over the regions that cleaning kept, never over a
re-joined string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from .stopwords import ENGLISH_STOP_WORDS

__all__ = [
    "Token",
    "Sentence",
    "TextFeatures",
    "STOPWORDS",
    "segment",
    "normalize",
]

# scikit-learn's list (copied in relkit.stopwords) is the base; a few
# news-wire function words it lacks are added so keywords and topics agree.
STOPWORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"'s", "s", "said", "says", "also", "would", "could", "like", "just", "us", "mr", "mrs", "ms", "n't"}
)


class Token(NamedTuple):
    """One token: ``text[start:end]`` in the original document is its surface form."""

    start: int
    end: int
    norm: str  # lower-cased, typographic apostrophes and dashes folded
    kind: str  # "word", "number", "punct" or "symbol"
    is_stop: bool
    sent: int  # index of the sentence it belongs to


class Sentence(NamedTuple):
    """A sentence: character span in the original text and its token range."""

    start: int
    end: int
    first_token: int
    last_token: int  # exclusive


@dataclass(frozen=True)
class TextFeatures:
    """Sentences and tokens of one document (computed once, shared by all analyses)."""

    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]

    def sentence_tokens(self, i: int) -> Sequence[Token]:
        s = self.sentences[i]
        return self.tokens[s.first_token : s.last_token]

    @property
    def words(self) -> list[Token]:
        """Tokens that are words or numbers (no punctuation or symbols)."""
        return [t for t in self.tokens if t.kind in ("word", "number")]


# Abbreviations after which a period never ends a sentence (titles, name parts,
# months before a day number) and ones that may (units, company suffixes).
_NEVER_FINAL = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cpt",
    "sgt", "maj", "adm", "st", "mt", "ft", "fr", "rev", "hon", "pres", "amb", "messrs", "no",
    "nos", "vol", "vols", "art", "fig", "figs", "pp", "ed", "eds", "vs", "v", "cf", "approx",
    "dept", "univ", "assn", "bros", "e.g", "i.e", "ph.d", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "op", "tel", "est", "ave", "blvd",
}
_MAYBE_FINAL = {
    "etc", "inc", "ltd", "co", "corp", "plc", "llc", "jr", "sr", "bln", "mln", "mn", "bn",
    "trln", "tn", "thsd", "pct", "km", "kg", "min", "max", "sq", "al", "u.s", "u.k", "u.n",
    "e.u", "a.m", "p.m", "d.c",
}
_ABBREVIATIONS = _NEVER_FINAL | _MAYBE_FINAL

# Order matters: the first alternative that matches at a position wins.
_TOKEN_RE = re.compile(
    r"""
    (?P<url>https?://\S+[^\s.,;:!?)\]"'”’]|www\.\S+[^\s.,;:!?)\]"'”’])
  | (?P<handle>[@#][^\W_][\w]*)
  | (?P<initials>(?:[A-Za-z]\.){2,}(?![A-Za-z]))          # U.S., e.g.
  | (?P<grouped>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:st|nd|rd|th|s)?(?![^\W_]|,\d))  # 200,000 1,000th
  | (?P<word>[^\W_]+(?:[-–‑'’.&/][^\W_]+)*)              # News.Az, Russia–Azerbaijan, 3.2
  | (?P<ellipsis>\.{3}|…)
  | (?P<term>[.!?]+)
  | (?P<punct>[,;:()\[\]{}"“”‘’«»'\-–—/])
  | (?P<symbol>\S)
    """,
    re.VERBOSE,
)
_NUMBER_RE = re.compile(r"^[\d.,:\-–/]*\d[\d.,:\-–/]*(?:st|nd|rd|th|s)?%?$")
_OPENERS = set("\"“‘«([{'")
_CLOSERS = set("\"”’»)]}'")
_HARDWRAP_MAX_LINE = 100


_FOLD = str.maketrans({"’": "'", "–": "-", "‑": "-"})


def normalize(surface: str) -> str:
    """The normalised form used for matching: lower case, typographic marks folded."""
    low = surface.lower()
    return low if low.isascii() else low.translate(_FOLD)


def _kind(surface: str) -> str:
    if surface[0].isalpha():
        return "word"
    if _NUMBER_RE.match(surface):
        return "number"
    if any(c.isalpha() for c in surface):
        return "word"
    return "symbol"


# Word forms repeat heavily across a corpus: memoise (norm, kind, is_stop) per surface.
_FORM_CACHE: dict[tuple[str, str], tuple[str, str, bool]] = {}
_FORM_CACHE_MAX = 500_000


def _form(surface: str, group: str) -> tuple[str, str, bool]:
    key = (surface, group)
    hit = _FORM_CACHE.get(key)
    if hit is not None:
        return hit
    norm = normalize(surface)
    if group in ("term", "ellipsis", "punct"):
        kind = "punct"
    elif group in ("url", "handle"):
        kind = "symbol"
    elif group == "symbol":
        kind = "punct" if not surface.isalnum() and surface not in "$€£%+=<>" else "symbol"
    else:
        kind = _kind(surface)
    out = (norm, kind, norm in STOPWORDS)
    if len(_FORM_CACHE) >= _FORM_CACHE_MAX:
        _FORM_CACHE.clear()
    _FORM_CACHE[key] = out
    return out


def _raw_tokens(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, group) for every token of ``text[start:end]``."""
    out: list[tuple[int, int, str]] = []
    append = out.append
    pos = start
    for m in _TOKEN_RE.finditer(text, start, end):
        group = m.lastgroup or "symbol"
        s, e = m.span()
        if s < pos:  # consumed by an abbreviation's period
            continue
        if group == "word":
            # A trailing period belongs to a known abbreviation ("Nov.", "bln.", "Ph.D.")
            # or to an initial ("J."), not to the sentence.
            if e < end and text[e] == ".":
                surface = text[s:e]
                if (e - s == 1 and surface.isupper()) or surface.lower().replace("’", "'") in _ABBREVIATIONS:
                    append((s, e + 1, "abbrev"))
                    pos = e + 1
                    continue
            if e - s > 2 and text[e - 2] in "'’" and text[e - 1] in "sS":  # possessive 's
                append((s, e - 2, "word"))
                append((e - 2, e, "word"))
                continue
        elif group == "initials":
            group = "abbrev"
        append((s, e, group))
    return out


def _blocks(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Split a region into blocks no sentence may cross: paragraphs and headlines."""
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl == -1:
            nl = end
        lines.append((pos, nl))
        pos = nl + 1
    hard_wrapped = bool(lines) and max(e - s for s, e in lines) <= _HARDWRAP_MAX_LINE and len(lines) > 2
    block_start = None
    prev: tuple[int, int] | None = None
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            if block_start is not None:
                yield block_start, prev[1]  # type: ignore[index]
                block_start = None
            prev = None
            continue
        if block_start is not None and prev is not None:
            prev_line = text[prev[0] : prev[1]].rstrip()
            nxt = line.lstrip()
            headline = not any(c.islower() for c in prev_line) and any(c.isupper() for c in prev_line)
            breaks = headline or (
                not hard_wrapped
                and (prev_line[-1:] in ".!?:\"”’»)" or nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in _OPENERS)
            )
            if breaks:
                yield block_start, prev[1]
                block_start = None
        if block_start is None:
            block_start = s
        prev = (s, e)
    if block_start is not None and prev is not None:
        yield block_start, prev[1]


def _is_sentence_start(text: str, tok: tuple[int, int, str]) -> bool:
    c = text[tok[0]]
    return c.isupper() or c.isdigit() or c in _OPENERS or tok[2] in ("handle", "url")


def segment(text: str, regions: Sequence[tuple[int, int]] | None = None) -> TextFeatures:
    """Sentences and tokens of ``text``, restricted to ``regions`` (default: all of it).

    Regions are the spans cleaning kept; no sentence crosses a region or paragraph edge.
    """
    if regions is None:
        regions = [(0, len(text))]
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for r_start, r_end in regions:
        for b_start, b_end in _blocks(text, r_start, r_end):
            raw = _raw_tokens(text, b_start, b_end)
            _sentences_of_block(text, raw, sentences, tokens)
    return TextFeatures(tuple(sentences), tuple(tokens))


def _sentences_of_block(
    text: str, raw: list[tuple[int, int, str]], sentences: list[Sentence], tokens: list[Token]
) -> None:
    n = len(raw)
    i = 0
    sent_first = 0  # index into raw of the current sentence's first token
    while i < n:
        s, e, group = raw[i]
        boundary_after = None
        if group in ("term", "ellipsis", "abbrev"):
            j = i + 1
            # Closing quotes and brackets that hug the terminal mark stay in the sentence.
            while j < n and raw[j][2] in ("punct", "symbol") and text[raw[j][0]] in _CLOSERS and (
                raw[j][0] == raw[j - 1][1] or j == n - 1  # a stray closing quote ending the paragraph
            ):
                j += 1
            if j >= n:
                boundary_after = j - 1
            elif group == "ellipsis":
                boundary_after = j - 1 if _is_sentence_start(text, raw[j]) and text[raw[j][0]].isupper() else None
            elif group == "term":
                boundary_after = j - 1 if _is_sentence_start(text, raw[j]) else None
            else:  # abbreviation: only a clearly new sentence ends it
                abbr = text[s : e - 1].lower().replace("’", "'")
                nxt = raw[j]
                nxt_text = text[nxt[0] : nxt[1]]
                if abbr in _MAYBE_FINAL and nxt_text[:1].isupper() and nxt_text.lower() in STOPWORDS:
                    boundary_after = j - 1
            if boundary_after is not None:
                _emit(text, raw, sent_first, boundary_after + 1, sentences, tokens)
                sent_first = boundary_after + 1
                i = boundary_after + 1
                continue
        i += 1
    if sent_first < n:
        _emit(text, raw, sent_first, n, sentences, tokens)


def _emit(
    text: str, raw: list[tuple[int, int, str]], a: int, b: int, sentences: list[Sentence], tokens: list[Token]
) -> None:
    sent_index = len(sentences)
    first = len(tokens)
    append = tokens.append
    cached = _FORM_CACHE.get
    new = tuple.__new__  # skips namedtuple's Python-level __new__ on the hot path
    for s, e, group in raw[a:b]:
        surface = text[s:e]
        f = cached((surface, group)) or _form(surface, group)
        append(new(Token, (s, e, f[0], f[1], f[2], sent_index)))
    sentences.append(Sentence(raw[a][0], raw[b - 1][1], first, len(tokens)))
