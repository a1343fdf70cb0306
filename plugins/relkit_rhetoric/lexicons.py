"""Lexicons as data, compiled once into a token-sequence matcher.

Every lexicon term is turned into a sequence of token specs with the *shared* tokenizer
(:func:`relkit.text.segment`), so a term means exactly what it would mean as text in a
document: ``"non-regional states"`` is the two tokens ``non-regional`` ``states``,
``"let's"`` is ``let`` ``'s``.  A trailing ``*`` on a word matches any token starting
with the prefix; ``#num`` matches any number token.

Matching is one pass over ``doc.tokens``: a token is looked up in a small table of the
forms that can start a term (the exact first forms, plus forms whose first letters begin
a prefix spec), and the candidates of each such form and token kind are memoised, so the
cost does not grow with the number of terms.  Whether a form can start a term at all is
remembered per form, so the pass skips the tokens that cannot in C and Python visits
only the candidates (about a third of news tokens).  All lexicons (metadiscourse, modals,
frames, persuasion cues, speech verbs and any user lexicon) share one matcher and one pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from importlib.resources import files
from itertools import compress, repeat
from operator import itemgetter
from typing import Any, Iterable, NamedTuple, Sequence

from relkit.text import segment

__all__ = [
    "Match",
    "TermMatcher",
    "load_data",
    "builtin_entries",
    "load_user_lexicon",
    "user_lexicon_digest",
    "compiled_matcher",
]

_NUM = ("#",)  # spec: any number token


class Match(NamedTuple):
    """A lexicon hit: tokens ``first..last`` (exclusive), family, category, the term."""

    first: int
    last: int
    family: str
    category: str
    term: str


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """A JSON data file of the package (``data/<name>.json``), without ``_about`` keys."""
    raw = json.loads(files(__package__).joinpath("data").joinpath(f"{name}.json").read_text("utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _word_specs(word: str) -> list[Any]:
    if word == "#num":
        return [_NUM]
    if word.endswith("*") and len(word) > 1:
        stem = word[:-1]
        toks = segment(stem).tokens
        if not toks:
            return []
        specs: list[Any] = [("=", frozenset({t.norm})) for t in toks[:-1]]
        specs.append(("*", toks[-1].norm))
        return specs
    toks = segment(word).tokens
    out: list[Any] = []
    for t in toks:
        forms = {t.norm}
        if t.norm[-1:] == "." and len(t.norm) > 1:
            forms.add(t.norm[:-1])
        elif t.kind == "word" and "." in t.norm:
            forms.add(t.norm + ".")  # "ph.d" also matches the abbreviation token "ph.d."
        out.append(("=", frozenset(forms)))
    return out


def term_specs(term: str) -> tuple[Any, ...]:
    """The token specs of one lexicon term (empty if it has no tokens)."""
    specs: list[Any] = []
    for word in term.split():
        specs.extend(_word_specs(word))
    return tuple(specs)


def _spec_ok(spec: Any, tok: Any) -> bool:
    if spec is _NUM or spec == _NUM:
        return tok[3] == "number"
    if spec[0] == "=":
        return tok[2] in spec[1]
    return tok[2].startswith(spec[1]) and tok[3] == "word"


class TermMatcher:
    """Longest-match lookup of many multi-token terms over a token sequence."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        # entries: (term, family, category)
        self._exact: dict[str, list[tuple]] = {}
        self._prefix: dict[int, dict[str, list[tuple]]] = {}
        self._num_first: list[tuple] = []
        seen: set[tuple[str, str, tuple]] = set()
        n = 0
        for term, family, category in entries:
            specs = term_specs(term)
            if not specs or (family, category, specs) in seen:
                continue
            seen.add((family, category, specs))
            entry = (specs[1:], len(specs), family, category, term)
            first = specs[0]
            if first == _NUM:
                self._num_first.append(entry)
            elif first[0] == "=":
                for form in first[1]:
                    self._exact.setdefault(form, []).append(entry)
            else:
                self._prefix.setdefault(len(first[1]), {}).setdefault(first[1], []).append(entry)
            n += 1
        self.size = n
        # the first letters every prefix spec starts with (all prefixes are this long or longer)
        self._head_len = min(self._prefix) if self._prefix else 0
        self._heads = frozenset(p[:self._head_len] for table in self._prefix.values() for p in table) if self._prefix else frozenset()
        self._may: dict[str, bool] = {}  # form -> may start a term (forms not in _starts)
        self._reset_starts()

    def _reset_starts(self) -> None:
        # form -> token kind -> candidates (memo), for the forms that may start a term
        self._starts: dict[str, dict[str, Any]] = {form: {} for form in self._exact}

    def _candidates(self, norm: str, kind: str) -> tuple:
        """(one-token entries, {second token form: longer entries}, other longer entries)."""
        cands = list(self._exact.get(norm, ()))
        if kind == "word":
            for length, table in self._prefix.items():
                if len(norm) >= length:
                    cands.extend(table.get(norm[:length], ()))
        elif kind == "number":
            cands.extend(self._num_first)
        # longest first, then a stable order, so the first hit per category is the longest
        cands.sort(key=lambda e: (-e[1], e[2], e[3], e[4]))
        singles = tuple(e for e in cands if e[1] == 1)
        by_second: dict[str, list[tuple]] = {}
        others = []
        for e in cands:
            if e[1] == 1:
                continue
            second = e[0][0]
            if second != _NUM and second[0] == "=":
                for form in second[1]:
                    by_second.setdefault(form, []).append(e)
            else:
                others.append(e)
        # the one-token entries as (key, family, category, term), first per category only:
        # for one token the first entry of a category wins whenever any does
        fast: dict[tuple[str, str], tuple] = {}
        for e in singles:
            fast.setdefault((e[2], e[3]), ((e[2], e[3]), e[2], e[3], e[4]))
        return (singles, by_second, tuple(others), tuple(fast.values())) if cands else None

    def match(self, tokens: Sequence[Any], norms: Sequence[str] | None = None,
              kinds: Sequence[str] | None = None) -> list[Match]:
        """Every non-overlapping (within a category) longest match, in token order.

        ``norms``, ``kinds``: the tokens' forms and kinds (``tok[2]``, ``tok[3]``) as
        sequences, if the caller has them."""
        out: list[Match] = []
        n = len(tokens)
        busy: dict[tuple[str, str], int] = {}  # (family, category) -> token index where free again
        # Most tokens start no term.  A token may if its form is an exact first form or
        # begins with the first letters of a prefix spec; whether a form may is
        # remembered (``_may``), so the tokens whose forms are known not to are passed
        # over in C and Python sees only the others.
        starts = self._starts
        heads, head_len = self._heads, self._head_len
        num_first = bool(self._num_first)
        miss = object()
        new = tuple.__new__
        may = self._may
        if num_first:  # any number token may start a term
            visit: Iterable[int] = range(n)
        else:
            if len(may) > 300_000:
                may.clear()
            visit = compress(range(n), map(may.get, norms if norms is not None else map(itemgetter(2), tokens), repeat(True)))
        if norms is None:
            norms = list(map(itemgetter(2), tokens))
        if kinds is None:
            kinds = list(map(itemgetter(3), tokens))
        for i in visit:
            norm = norms[i]
            kind = kinds[i]
            by_kind = starts.get(norm)
            if by_kind is None:
                if norm not in may:
                    may[norm] = norm[:head_len] in heads
                if not ((kind == "word" and norm[:head_len] in heads) or (kind == "number" and num_first)):
                    continue
                if len(starts) > 400_000:
                    self._reset_starts()
                by_kind = starts[norm] = {}
            c = by_kind.get(kind, miss)
            if c is miss:
                c = by_kind[kind] = self._candidates(norm, kind)
            if c is None:
                continue
            singles, by_second, others, fast = c
            multi: list[tuple] = []
            if i + 1 < n:
                if by_second:
                    multi = by_second.get(norms[i + 1], multi)
                if others:
                    multi = sorted(list(multi) + list(others), key=lambda e: (-e[1], e[2], e[3], e[4]))
            if not multi:
                # most hits: one-token terms only, nothing more to check
                for key, family, category, term in fast:
                    if busy.get(key, 0) <= i:
                        busy[key] = i + 1
                        out.append(new(Match, (i, i + 1, family, category, term)))  # Match(...) without its Python __new__
                continue
            done: set[tuple[str, str]] = set()
            for group in (multi, singles):
                for rest, length, family, category, term in group:
                    key = (family, category)
                    if key in done or busy.get(key, 0) > i or i + length > n:
                        continue
                    ok = True
                    for k in range(1 if group is singles else (1 if rest and (rest[0] == _NUM or rest[0][0] != "=") else 2), length):
                        if not _spec_ok(rest[k - 1], tokens[i + k]):
                            ok = False
                            break
                    if ok:
                        done.add(key)
                        busy[key] = i + length
                        out.append(Match(i, i + length, family, category, term))
        return out


# -- built-in and user lexicons --------------------------------------------------------
def builtin_entries(frames: bool = True) -> list[tuple[str, str, str]]:
    """(term, family, category) for every built-in lexicon."""
    entries: list[tuple[str, str, str]] = []
    for cat, terms in load_data("metadiscourse").items():
        entries += [(t, "metadiscourse", cat) for t in terms]
    for cat, terms in load_data("modals").items():
        entries += [(t, "modal", cat) for t in terms]
    if frames:
        for cat, terms in load_data("frames").items():
            entries += [(t, "frame", cat) for t in terms]
    for cat, terms in load_data("persuasion").items():
        entries += [(t, "persuasion", cat) for t in terms]
    att = load_data("attribution")
    for lemma, forms in att["speech_verbs"].items():
        entries += [(f, "cue", lemma) for f in forms]
    entries += [(t, "according", "according_to") for t in att["according_to"]]
    entries += [(t, "importance", "importance") for t in att["importance_objects"]]
    return entries


_DIC_WORD = re.compile(r"^\s*(\S(?:.*\S)?)\s+((?:\d+\s*)+)$")


def _parse_dic(text: str, path: str) -> dict[str, list[str]]:
    """A LIWC-style dictionary: ``%`` / ids and names / ``%`` / ``word<TAB>id id…``.

    Words may contain spaces (multi-word entries) and end with ``*`` (prefix match).
    """
    lines = [ln.rstrip("\n\r") for ln in text.splitlines()]
    marks = [i for i, ln in enumerate(lines) if ln.strip() == "%"]
    if len(marks) < 2:
        raise ValueError(f"{path}: not a LIWC-style .dic file (expected a category block between two '%' lines)")
    names: dict[str, str] = {}
    for ln in lines[marks[0] + 1 : marks[1]]:
        if not ln.strip():
            continue
        parts = ln.split(None, 1)
        if len(parts) != 2:
            raise ValueError(f"{path}: bad category line {ln!r} (expected: id name)")
        names[parts[0]] = parts[1].strip()
    out: dict[str, list[str]] = {name: [] for name in names.values()}
    for n, ln in enumerate(lines[marks[1] + 1 :], marks[1] + 2):
        if not ln.strip():
            continue
        if "\t" in ln:
            word, _, ids = ln.partition("\t")
            id_list = ids.split()
        else:
            m = _DIC_WORD.match(ln)
            if not m:
                raise ValueError(f"{path}:{n}: bad entry {ln!r} (expected: word<TAB>category ids)")
            word, id_list = m.group(1), m.group(2).split()
        for cid in id_list:
            if cid not in names:
                raise ValueError(f"{path}:{n}: unknown category id {cid!r}")
            out[names[cid]].append(word.strip())
    return out


def load_user_lexicon(path: str) -> dict[str, list[str]]:
    """A user lexicon: JSON ``{category: [terms]}`` or a LIWC-style ``.dic`` file."""
    if not os.path.isfile(path):
        raise ValueError(f"lexicon file not found: {path}")
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    if path.lower().endswith(".dic"):
        lex = _parse_dic(text, path)
    else:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not valid JSON ({e}); a lexicon is {{category: [terms]}} or a .dic file") from None
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(t, str) for t in v) for k, v in raw.items()
        ):
            raise ValueError(f"{path}: a JSON lexicon must be an object of category -> list of terms")
        lex = {k: v for k, v in raw.items() if not k.startswith("_")}
    return {k: [t for t in v if t.strip()] for k, v in lex.items()}


def user_lexicon_digest(paths: Sequence[str]) -> str:
    """A hash of the user lexicon files' contents (part of the result-cache key)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.encode("utf-8", "surrogatepass") + b"\0")
        try:
            with open(p, "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


_MATCHERS: dict[tuple, tuple[TermMatcher, dict[str, str]]] = {}


def compiled_matcher(lexicons: Sequence[str], builtin_frames: bool, digest: str) -> tuple[TermMatcher, dict[str, str]]:
    """The matcher for these settings (compiled once per process) and the frame sources.

    Returns the matcher and ``{frame category: "builtin" | path}``.
    """
    key = (tuple(lexicons), builtin_frames, digest)
    hit = _MATCHERS.get(key)
    if hit is not None:
        return hit
    entries = builtin_entries(frames=builtin_frames)
    sources = {cat: "builtin" for cat in load_data("frames")} if builtin_frames else {}
    for path in lexicons:
        for cat, terms in load_user_lexicon(path).items():
            sources[cat] = path
            entries += [(t, "frame", cat) for t in terms]
    out = (TermMatcher(entries), sources)
    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    _MATCHERS[key] = out
    return out
