"""Shared text processing: sentence segmentation and tokens with character offsets.

Every analysis reads these features instead of re-tokenising, so a sentence or token
offset means the same thing in every report.  Offsets always index the document's
*original* text: segmentation runs over the regions that cleaning kept, never over a
re-joined string.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, repeat
from operator import itemgetter, not_
from typing import Iterable, NamedTuple, Sequence

from .stopwords import ENGLISH_STOP_WORDS

__all__ = [
    "Token",
    "Sentence",
    "TokenColumns",
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


class TokenColumns(NamedTuple):
    """A document's tokens column by column: token ``i`` is ``(start[i], end[i], norm[i], ...)``.

    The same values as :class:`Token`, without a Python object per token: an analysis that
    walks every token reads these tuples directly (``zip(cols.start, cols.norm)``), which
    is faster than unpacking tokens and costs segmentation nothing extra.
    """

    start: tuple[int, ...]
    end: tuple[int, ...]
    norm: tuple[str, ...]
    kind: tuple[str, ...]
    is_stop: tuple[bool, ...]
    sent: tuple[int, ...]


class TextFeatures:
    """Sentences and tokens of one document (computed once, shared by all analyses).

    Tokens are kept as :class:`TokenColumns`; the :class:`Token` tuples are built on first
    use of ``tokens`` (about a third of segmentation's time when every token gets one).
    """

    __slots__ = ("sentences", "columns", "_tokens")

    def __init__(self, sentences: tuple[Sentence, ...], columns: TokenColumns) -> None:
        self.sentences = sentences
        self.columns = columns
        self._tokens: tuple[Token, ...] | None = None

    @property
    def tokens(self) -> tuple[Token, ...]:
        toks = self._tokens
        if toks is None:
            toks = self._tokens = tuple(map(_new, repeat(Token), zip(*self.columns)))
        return toks

    def sentence_tokens(self, i: int) -> Sequence[Token]:
        s = self.sentences[i]
        return self.tokens[s.first_token : s.last_token]

    @property
    def words(self) -> list[Token]:
        """Tokens that are words or numbers (no punctuation or symbols)."""
        return [t for t in self.tokens if t.kind in ("word", "number")]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TextFeatures):
            return NotImplemented
        return self.sentences == other.sentences and self.columns == other.columns

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TextFeatures({len(self.sentences)} sentences, {len(self.columns.start)} tokens)"


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

# The token alternatives.  Order matters: the first that matches at a position wins.
# Written plainly, they are:
#   url       https?://\S+[^\s.,;:!?)\]"'”’] | www\.\S+[^\s.,;:!?)\]"'”’]
#   handle    [@#][^\W_]\w*
#   initials  (?:[A-Za-z]\.){2,}(?![A-Za-z])                                U.S., e.g.
#   grouped   \d{1,3}(?:,\d{3})+(?:\.\d+)?(?:st|nd|rd|th|s)?(?![^\W_]|,\d)   200,000 1,000th
#   word      [^\W_]+(?:[-–‑'’.&/][^\W_]+)*               News.Az, Russia–Azerbaijan, 3.2
#   ellipsis  \.{3} | …
#   term      [.!?]+
#   punct     [,;:()\[\]{}"“”‘’«»'\-–—/]
#   symbol    \S
# Below, for speed, every alternative opens with a plain character test (``X+`` as
# ``XX*``, ``a|b`` as two entries), which lets the regex engine skip it on the first
# character.  The first entry is a shortcut for the commonest token, a run of letters and
# digits followed by white space or the end: there every alternative before ``word``
# fails and ``word`` matches exactly that run, so the tokens are the same without it.
_ALTERNATIVES = (
    ("word", r"[^\W_][^\W_]*+(?!\S)"),
    ("url", r"""https?://\S+[^\s.,;:!?)\]"'”’]"""),
    ("url", r"""www\.\S+[^\s.,;:!?)\]"'”’]"""),
    ("handle", r"[@#][^\W_]\w*"),
    ("initials", r"[A-Za-z]\.(?:[A-Za-z]\.)+(?![A-Za-z])"),
    ("grouped", r"\d\d{0,2}(?:,\d{3})+(?:\.\d+)?(?:st|nd|rd|th|s)?(?![^\W_]|,\d)"),
    ("word", r"[^\W_][^\W_]*(?:[-–‑'’.&/][^\W_]+)*"),
    ("ellipsis", r"\.\.\."),
    ("ellipsis", r"…"),
    ("term", r"[.!?][.!?]*"),
    ("punct", r"""[,;:()\[\]{}"“”‘’«»'\-–—/]"""),
    ("symbol", r"\S"),
)
# One token at a position; its alternative is ``_GROUP_NAMES[m.lastindex]`` (an empty
# marker group ends each alternative: a group in front would defeat the first-character test).
_TOKEN_RE = re.compile("|".join(f"{rx}(?P<_{i}>)" for i, (_name, rx) in enumerate(_ALTERNATIVES)))
_GROUP_NAMES = ("",) + tuple(name for name, _rx in _ALTERNATIVES)
# All tokens of a region in one ``split``: the pattern's one group is the token, so the
# list alternates white space and tokens, ``[gap, token, gap, ..., token, gap]``, and the
# running sums of the lengths are the offsets (no match object, no tuple per token).
# Tokens are separated by white space only (every non-space character starts some
# alternative), so this finds exactly the tokens that repeated ``_TOKEN_RE`` matches find.
# ``(?!\s)`` first: ``split`` searches, and at a white-space character that one test fails
# where the alternatives would each fail in turn.
_SPLIT_RE = re.compile(r"(?!\s)(" + "|".join(rx for _name, rx in _ALTERNATIVES) + ")")
# The same for texts that are all ASCII, where ``[^\W_]`` is ``[A-Za-z0-9]`` and ``\d`` is
# ``[0-9]``: a plain character range is cheaper to test than a Unicode category.
_SPLIT_ASCII_RE = re.compile(
    _SPLIT_RE.pattern.replace(r"[^\W_]", "[A-Za-z0-9]").replace(r"\w", "[A-Za-z0-9_]").replace(r"\d", "[0-9]")
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


# Word forms repeat heavily across a corpus: memoise (norm, kind, is_stop, group) per
# surface.  A surface always comes from the same alternative (or the same abbreviation or
# possessive rule) whatever its context, so the surface alone is the key.
_FORM_CACHE: dict[str, tuple[str, str, bool, str]] = {}
_FORM_CACHE_MAX = 500_000


def _form(surface: str, group: str) -> tuple[str, str, bool, str]:
    hit = _FORM_CACHE.get(surface)
    if hit is not None:
        return hit
    norm = normalize(surface)
    if norm == surface:
        # The key itself: every token of a lower-case word then points at one string,
        # the one the cache lookup has just compared (one memory access fewer per token).
        norm = surface
    if group in ("term", "ellipsis", "punct"):
        kind = "punct"
    elif group in ("url", "handle"):
        kind = "symbol"
    elif group == "symbol":
        kind = "punct" if not surface.isalnum() and surface not in "$€£%+=<>" else "symbol"
    else:
        kind = _kind(surface)
    out = (norm, kind, norm in STOPWORDS, group)
    if len(_FORM_CACHE) >= _FORM_CACHE_MAX:
        _FORM_CACHE.clear()
    _FORM_CACHE[surface] = out
    return out


_new = tuple.__new__
_GROUP_OF = itemgetter(3)
_ENDS = frozenset({"term", "ellipsis", "abbrev"}).__contains__
_POSSESSIVE_RE = re.compile(r"['’][sS]")

_Forms = list[tuple[str, str, bool, str]]


def _raw_tokens(
    text: str, start: int, end: int
) -> tuple[list[int], list[int], list[str], _Forms, list[int]]:
    """Starts, ends, surfaces and forms of the tokens of ``text[start:end]``, and the
    indexes of the tokens that may end a sentence (groups in ``_ENDS``).  A token's
    alternative ("group") is its form's last field.

    Python visits only the few tokens that need a decision: periods after words
    (abbreviations), possessives, and surfaces seen for the first time.
    """
    parts = (_SPLIT_ASCII_RE if text.isascii() else _SPLIT_RE).split(text[start:end])
    offsets = list(accumulate(map(len, parts), initial=start))
    starts = offsets[1:-1:2]
    ends = offsets[2::2]
    surfaces = parts[1::2]
    forms = list(map(_FORM_CACHE.get, surfaces))
    if not all(forms):  # surfaces not seen before
        for k in compress(range(len(forms)), map(not_, forms)):
            group = _GROUP_NAMES[_TOKEN_RE.match(text, starts[k], end).lastindex]  # type: ignore[union-attr]
            forms[k] = _form(surfaces[k], "abbrev" if group == "initials" else group)
    enders = list(compress(range(len(forms)), map(_ENDS, map(_GROUP_OF, forms))))
    edits: dict[int, tuple[int, list[tuple[int, int, str]]]] = {}  # index: (tokens replaced, new tokens)
    for k in enders:
        # A period right after a word belongs to a known abbreviation ("Nov.", "bln.",
        # "Ph.D.") or to an initial ("J."), not to the sentence; whatever the period
        # starts ("." or "..." or ".?") goes with it.
        if k and forms[k - 1][3] == "word" and surfaces[k][0] == "." and ends[k - 1] == starts[k] and forms[k][3] != "abbrev":
            surface = surfaces[k - 1]
            if (len(surface) == 1 and surface.isupper()) or surface.lower().replace("’", "'") in _ABBREVIATIONS:
                edits[k - 1] = (2, [(starts[k - 1], starts[k] + 1, "abbrev")])
    if _POSSESSIVE_RE.search(text, start, end):
        for m in _POSSESSIVE_RE.finditer(text, start, end):
            e = m.end()
            k = bisect_right(starts, e - 2) - 1  # the token holding the apostrophe
            if k >= 0 and k not in edits and forms[k][3] == "word" and ends[k] == e and e - starts[k] > 2:
                edits[k] = (1, [(starts[k], e - 2, "word"), (e - 2, e, "word")])
    if not edits:
        return starts, ends, surfaces, forms, enders
    # Last edit first, so the indexes of the ones before stay right; a slice assignment
    # moves the tail in one step.
    for k in sorted(edits, reverse=True):
        width, repl = edits[k]
        new_surfaces = [text[s:e] for s, e, _g in repl]
        new_forms = [_form(surface, g) for surface, (_s, _e, g) in zip(new_surfaces, repl)]
        starts[k : k + width] = [s for s, _e, _g in repl]
        ends[k : k + width] = [e for _s, e, _g in repl]
        surfaces[k : k + width] = new_surfaces
        forms[k : k + width] = new_forms
    return starts, ends, surfaces, forms, list(compress(range(len(forms)), map(_ENDS, map(_GROUP_OF, forms))))


def _blocks(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Split a region into blocks no sentence may cross: paragraphs and headlines."""
    lines = text[start:end].split("\n")
    if len(lines) > 1 and not lines[-1]:
        lines.pop()  # a region ending in a newline has no empty last line
    hard_wrapped = len(lines) > 2 and max(map(len, lines)) <= _HARDWRAP_MAX_LINE
    block_start = -1
    prev_line = ""  # the previous non-blank line, right-stripped; "" after a blank line
    prev_end = 0
    s = start
    for line in lines:
        e = s + len(line)
        if not line or line.isspace():
            if block_start >= 0:
                yield block_start, prev_end
                block_start = -1
            prev_line = ""
            s = e + 1
            continue
        if block_start >= 0 and prev_line:
            # All ASCII: no titlecase letters, so isupper() is "no lower case, some upper case".
            if prev_line.isascii():
                headline = prev_line.isupper()
            else:
                headline = not any(c.islower() for c in prev_line) and any(c.isupper() for c in prev_line)
            if headline:
                breaks = True
            elif hard_wrapped:
                breaks = False
            else:
                nxt = line.lstrip()[:1]
                breaks = prev_line[-1] in ".!?:\"”’»)" or nxt.isupper() or nxt.isdigit() or nxt in _OPENERS
            if breaks:
                yield block_start, prev_end
                block_start = -1
        if block_start < 0:
            block_start = s
        prev_line = line.rstrip()
        prev_end = e
        s = e + 1
    if block_start >= 0:
        yield block_start, prev_end


def segment(text: str, regions: Sequence[tuple[int, int]] | None = None) -> TextFeatures:
    """Sentences and tokens of ``text``, restricted to ``regions`` (default: all of it).

    Regions are the spans cleaning kept; no sentence crosses a region or paragraph edge.
    """
    if regions is None:
        regions = [(0, len(text))]
    sentences: list[Sentence] = []
    pieces: list[tuple[Sequence, ...]] = []  # each region's token columns
    for r_start, r_end in regions:
        blocks = list(_blocks(text, r_start, r_end))
        if blocks:
            pieces.append(_segment_region(text, blocks, sentences))
    if not pieces:
        columns = TokenColumns((), (), (), (), (), ())
    elif len(pieces) == 1:  # the common case: the region's columns are the document's, no joining
        columns = TokenColumns._make(map(tuple, pieces[0]))
    else:
        columns = TokenColumns._make(tuple(chain.from_iterable(col)) for col in zip(*pieces))
    return TextFeatures(tuple(sentences), columns)


def _segment_region(text: str, blocks: list[tuple[int, int]], sentences: list[Sentence]) -> tuple[Sequence, ...]:
    """Cut one region's blocks into sentences (appended to ``sentences``); the region's token columns."""
    # One scan for all blocks of a region: only white space lies between blocks, tokens
    # never hold white space, and nothing that shapes a token looks past the white space
    # around it, so these are the tokens of each block in turn.
    starts, ends, surfaces, forms, enders = _raw_tokens(text, blocks[0][0], blocks[-1][1])
    n = len(starts)
    if not n:  # cannot happen (a block has a non-blank line), but no empty sentence if it did
        return ((),) * 6
    # Every block holds a token; each block's tokens end where the next block's start.
    limits = iter([bisect_left(starts, b_start) for b_start, _b_end in blocks[1:]] + [n])
    hi = next(limits)  # end of the block being cut into sentences
    cuts: list[int] = []  # exclusive token index where each sentence ends
    resume = 0
    for i in enders:
        if i < resume:
            continue
        while i >= hi:  # a sentence never crosses a block edge
            if not cuts or cuts[-1] < hi:
                cuts.append(hi)
            hi = next(limits)
        group = forms[i][3]
        j = i + 1
        # Closing quotes and brackets that hug the terminal mark stay in the sentence.
        while j < hi and text[starts[j]] in _CLOSERS and forms[j][3] in ("punct", "symbol") and (
            starts[j] == ends[j - 1] or j == hi - 1  # a stray closing quote ending the paragraph
        ):
            j += 1
        if j >= hi:
            cuts.append(hi)
            resume = hi
            continue
        c = text[starts[j]]
        if group == "ellipsis":
            boundary = c.isupper()
        elif group == "term":
            boundary = c.isupper() or c.isdigit() or c in _OPENERS or forms[j][3] in ("handle", "url")
        else:  # abbreviation: only a clearly new sentence ends it
            nxt = surfaces[j]
            boundary = (
                text[starts[i] : ends[i] - 1].lower().replace("’", "'") in _MAYBE_FINAL
                and nxt[:1].isupper()
                and nxt.lower() in STOPWORDS
            )
        if boundary:
            cuts.append(j)
            resume = j
    for hi in chain((hi,), limits):
        if not cuts or cuts[-1] < hi:
            cuts.append(hi)

    sent = len(sentences)
    first = sentences[-1].last_token if sentences else 0
    col_sent: list[int] = []
    a = 0
    for b in cuts:
        sentences.append(_new(Sentence, (starts[a], ends[b - 1], first + a, first + b)))
        col_sent += [sent] * (b - a)
        sent += 1
        a = b
    norms, kinds, stops, _groups = zip(*forms)
    return starts, ends, norms, kinds, stops, col_sent
