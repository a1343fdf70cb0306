"""Speakers: noun phrases that say things, the people they name, roles, coreference.

Rules (simple, documented, no statistical NER):

* A *name* is the last run of capitalised tokens of a phrase that are not titles,
  organisation or place words (``name_stopwords`` in data/attribution.json), not role
  nouns and not short acronyms: ``Deputy Foreign Minister Andrei Rudenko`` is the name
  ``Andrei Rudenko`` with the title ``Deputy Foreign Minister``.
* A person's *roles* are the title before the name (capitalised words, role nouns and
  ``of``/``the``/``and`` back to a comma or another name) and comma-separated appositives
  after it that contain a role noun (``Galina Niyazova, Russian expert, Ph.D. in
  Political Science, senior lecturer at …``).
* A one-word name resolves to the full name mentioned in the document with the same last
  word (``Rudenko`` → ``Andrei Rudenko``).
* A description (``the political analyst``, ``the Russian diplomat``) resolves to the
  most recently mentioned named person whose roles share a role class with its head noun
  (analyst ~ expert ~ lecturer; diplomat ~ minister ~ foreign ministry), preferring one
  whose roles or title also contain the description's other words (``Russian``).
* A pronoun (he, she, him, her) resolves to the most recent named speaker before it, else
  the most recent named person mentioned.  Plural descriptions (``the speakers``) stay
  unresolved groups.
"""

from __future__ import annotations

import bisect
from itertools import compress
from operator import and_, itemgetter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from relkit.text import STOPWORDS

from .lexicons import load_data

__all__ = ["Lex", "lex", "Person", "Registry", "NP", "parse_np", "np_back", "np_forward", "appositives"]

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "both"}
_CONNECTORS = {"of", "the", "for", "on", "and", "'s", "de", "to", "at", "in"}
_PARTICLES = {"oglu", "ogly", "qizi", "kyzy", "de", "van", "von", "der", "bin", "ibn", "al", "el", "da", "di", "du", "la", "le"}
_ADVERBS = {
    "also", "further", "then", "later", "again", "recently", "earlier", "repeatedly", "once", "additionally",
    "has", "have", "had", "was", "were", "is", "are", "already", "previously", "separately", "publicly",
    "reportedly", "himself", "herself", "themselves", "personally", "once", "specifically", "particularly",
    "especially", "clearly", "firmly", "strongly", "repeatedly", "has", "will", "would", "would", "may",
    "could", "should", "not", "never", "it", "this", "just", "in", "turn", "today", "yesterday", "tuesday",
}
_GROUP_HEADS = {"speakers", "participants", "officials", "experts", "analysts", "diplomats", "leaders", "sources",
                "ministers", "deputies", "observers", "representatives", "members", "parties", "sides", "they", "them",
                "authorities", "residents", "critics", "economists", "scientists", "lawmakers", "presidents"}


@dataclass(frozen=True)
class Lex:
    name_stop: frozenset
    role_nouns: frozenset
    role_classes: dict
    pronouns: dict

    def role_of(self, norm: str) -> bool:
        return norm.rstrip(".") in self.role_nouns

    def classes(self, norms: Sequence[str]) -> set[str]:
        """Role classes whose terms occur (as token sequences) in ``norms``."""
        key = tuple(norms)
        hit = _CLASSES_MEMO.get(key)
        if hit is None:
            words = [n.rstrip(".") for n in norms]
            joined = " " + " ".join(words) + " "
            present = set(words)
            # a one-word term occurs iff it is one of the words (tokens hold no spaces)
            hit = frozenset(cls for cls, (single, multi) in _class_index(self).items()
                            if not present.isdisjoint(single) or any(" " + t + " " in joined for t in multi))
            if len(_CLASSES_MEMO) > 100_000:
                _CLASSES_MEMO.clear()
            _CLASSES_MEMO[key] = hit
        return set(hit)


_CLASSES_MEMO: dict[tuple[str, ...], frozenset] = {}
_CLASS_INDEX: dict[int, dict[str, tuple[frozenset, tuple[str, ...]]]] = {}


def _class_index(L: Lex) -> dict[str, tuple[frozenset, tuple[str, ...]]]:
    """{class: (one-word terms, longer terms)} of ``L.role_classes``."""
    idx = _CLASS_INDEX.get(id(L))
    if idx is None:
        idx = _CLASS_INDEX[id(L)] = {
            cls: (frozenset(t for t in terms if " " not in t), tuple(t for t in terms if " " in t))
            for cls, terms in L.role_classes.items()}
    return idx


@lru_cache(maxsize=1)
def lex() -> Lex:
    d = load_data("attribution")
    classes = {c: tuple(sorted(set(ts))) for c, ts in d["role_classes"].items()}
    classes["diplomat"] = classes["diplomat"] + ("fm",)
    classes["minister"] = classes["minister"] + ("fm",)
    nouns = set(d["role_nouns"]) | {t for ts in classes.values() for t in ts if " " not in t} | {"fm"}
    return Lex(frozenset(d["name_stopwords"]) | {"FM"}, frozenset(nouns), classes, dict(d["pronouns"]))


def _cap(text: str, tok: Any) -> bool:
    return tok[3] == "word" and text[tok[0]].isupper()


_NAME_MEMO: dict[str, bool] = {}


def _name_token(text: str, tok: Any, L: Lex) -> bool:
    if tok[3] != "word" or not text[tok[0]].isupper():
        return False
    surface = text[tok[0]:tok[1]]
    hit = _NAME_MEMO.get(surface)
    if hit is None:
        hit = _NAME_MEMO[surface] = _is_name_form(surface, tok[2], L)
        if len(_NAME_MEMO) > 200_000:
            _NAME_MEMO.clear()
    return hit


def _is_name_form(surface: str, norm: str, L: Lex) -> bool:
    tok = (0, 0, norm)
    if surface in L.name_stop or surface.rstrip(".") in L.name_stop:
        return False
    if L.role_of(tok[2]) or tok[2] in STOPWORDS:
        return False
    if surface.isupper() and len(surface) <= 4 and len(surface) > 1:
        return False  # acronyms: FM, RIAC, UN
    if surface.endswith(".") and len(surface) > 2:
        return False  # abbreviations (Ph.D.), but keep initials "J."
    return True


@dataclass
class NP:
    """A speaker phrase as written and what it names."""

    first: int  # token indices, last exclusive
    last: int
    kind: str  # name | description | pronoun | group
    name: str | None = None  # the name as written (for kind=name), without the title
    members: list[str] = field(default_factory=list)  # coordinated names
    title: str | None = None  # title words before the name
    title_span: tuple[int, int] | None = None
    head: str | None = None  # head noun of a description
    modifiers: tuple[str, ...] = ()
    classes: frozenset = frozenset()
    roles: list[tuple[int, int]] = field(default_factory=list)  # character spans of appositive roles


def _split_name(text: str, toks: Sequence[Any], a: int, b: int, L: Lex) -> tuple[int, int] | None:
    """The token range of the name at the end of toks[a:b], or None."""
    j = b
    while j > a and toks[j - 1][2] in _PARTICLES and j - 1 > a and _name_token(text, toks[j - 2], L):
        j -= 1  # trailing particle: Polad Bulbul oglu
    end = b
    i = j
    while i > a and (_name_token(text, toks[i - 1], L) or (toks[i - 1][2] in _PARTICLES and i - 1 > a and _name_token(text, toks[i - 2], L))):
        i -= 1
    if i == j or j - i > 4:
        return None
    return i, end


def parse_np(text: str, toks: Sequence[Any], a: int, b: int) -> NP | None:
    """What the phrase toks[a:b] is (a name, a description, a pronoun, a group)."""
    L = lex()
    while a < b and toks[a][3] == "punct":
        a += 1
    while b > a and toks[b - 1][3] == "punct":
        b -= 1
    if a >= b:
        return None
    norms = [t[2] for t in toks[a:b]]
    if b - a == 1 and norms[0] in L.pronouns:
        kind = "group" if L.pronouns[norms[0]] == "p" else "pronoun"
        return NP(a, b, kind, head=norms[0])
    # coordinated names: "Elshad Iskandarov and … Mikhail Kalugin"
    if "and" in norms:
        parts, start = [], a
        for k in range(a, b):
            if toks[k][2] == "and":
                parts.append((start, k))
                start = k + 1
        parts.append((start, b))
        names = []
        for s, e in parts:
            rng = _split_name(text, toks, s, e, L) if e > s else None
            if rng is None:
                names = []
                break
            names.append(text[toks[rng[0]][0]:toks[rng[1] - 1][1]])
        if len(names) >= 2:
            return NP(a, b, "group", members=names, head="and")
    first_norm = norms[0]
    named = _cap(text, toks[a]) and first_norm not in _DETERMINERS and _split_name(text, toks, a, b, L) is not None
    if not named and (first_norm in _DETERMINERS or not _cap(text, toks[a]) or first_norm in L.role_nouns):
        role_idx = [k for k in range(a, b) if L.role_of(toks[k][2])]
        if not role_idx:
            return None
        head = toks[role_idx[-1]][2].rstrip(".")
        mods = tuple(n for n in norms if n not in _DETERMINERS and n not in _CONNECTORS and n.rstrip(".") not in L.role_nouns and n.isalpha())
        kind = "group" if head in _GROUP_HEADS or first_norm == "both" else "description"
        return NP(a, b, kind, head=head, modifiers=mods, classes=frozenset(L.classes(norms)))
    rng = _split_name(text, toks, a, b, L)
    if rng is None or rng[1] != b:
        role_idx = [k for k in range(a, b) if L.role_of(toks[k][2])]
        if role_idx:  # "Foreign Minister" without a name
            head = toks[role_idx[-1]][2].rstrip(".")
            mods = tuple(n for n in norms if n not in _CONNECTORS and n.rstrip(".") not in L.role_nouns and n.isalpha())
            kind = "group" if head in _GROUP_HEADS else "description"
            return NP(a, b, kind, head=head, modifiers=mods, classes=frozenset(L.classes(norms)))
        return None
    s, e = rng
    name = text[toks[s][0]:toks[e - 1][1]]
    title = title_span = None
    t0 = s
    while t0 > a and toks[t0 - 1][2] in _CONNECTORS:
        t0 -= 1
    if s > a:
        ts = a
        while ts < s and toks[ts][2] in _CONNECTORS:
            ts += 1
        te = s
        while te > ts and toks[te - 1][2] in _CONNECTORS:
            te -= 1
        if te > ts:
            title_span = (toks[ts][0], toks[te - 1][1])
            title = text[title_span[0]:title_span[1]]
    cls = L.classes(norms[: s - a]) if s > a else set()
    return NP(a, b, "name", name=name, title=title, title_span=title_span, classes=frozenset(cls),
              modifiers=tuple(n for n in norms[: s - a] if n not in _CONNECTORS and n.rstrip(".") not in L.role_nouns))


def np_back(text: str, toks: Sequence[Any], k: int, lo: int) -> tuple[int, int] | None:
    """The token range of the phrase ending just before token ``k`` (not before ``lo``):
    the subject of a cue verb at ``k``.  Adverbs between subject and verb are skipped."""
    L = lex()
    j = k
    skipped = 0
    while j > lo and toks[j - 1][2] in _ADVERBS and skipped < 3:
        j -= 1
        skipped += 1
    end = j
    i = j
    lower_ok = end > lo and L.role_of(toks[end - 1][2])
    lowers = 0
    while i > lo and end - i < 30:
        t = toks[i - 1]
        n = t[2]
        if n in L.pronouns and i == end:
            return (i - 1, end)
        if n == "the" and i - 2 > lo and toks[i - 2][2] in ("of", "for", "to", "on", "at", "in"):
            i -= 1
            continue
        if _cap(text, t) or (t[3] == "word" and n.endswith(".") and _cap(text, t)):
            if n in _DETERMINERS:
                i -= 1
                break
            i -= 1
            continue
        if n in _DETERMINERS:
            i -= 1
            break
        if n in _CONNECTORS:
            i -= 1
            continue
        if t[3] == "word" and (L.role_of(n) or (lower_ok and lowers < 3 and n.isalpha())):
            lowers += 0 if L.role_of(n) else 1
            i -= 1
            continue
        if t[3] == "punct" and n in ("-",) and i - 1 > lo:
            i -= 1
            continue
        break
    while i < end and toks[i][2] in _CONNECTORS and toks[i][2] not in _DETERMINERS:
        i += 1
    if i >= end:
        return None
    return (i, end)


def np_forward(text: str, toks: Sequence[Any], i: int, hi: int) -> tuple[int, int] | None:
    """The token range of a phrase starting at token ``i``: a name, a pronoun, or a
    description up to its last role noun (within 6 tokens)."""
    L = lex()
    if i >= hi:
        return None
    t = toks[i]
    if t[2] in L.pronouns:
        return (i, i + 1)
    if t[2] in _DETERMINERS or not _cap(text, t):
        last = None
        for k in range(i, min(hi, i + 8)):
            tk = toks[k]
            if tk[3] == "punct":
                break
            if L.role_of(tk[2]):
                last = k
            elif last is not None and not _cap(text, tk) and tk[2] not in _CONNECTORS:
                break
        if last is None:
            return None
        j = last + 1
        while j < hi and (_cap(text, toks[j]) or toks[j][2] in ("of", "the")) and j - i < 20:
            j += 1
        while j > last + 1 and toks[j - 1][2] in _CONNECTORS:
            j -= 1
        return (i, j)
    j = i
    while j < hi and (_cap(text, toks[j]) or toks[j][2] in _CONNECTORS or toks[j][2] in _PARTICLES) and j - i < 25:
        j += 1
    while j > i and toks[j - 1][2] in _CONNECTORS:
        j -= 1
    return (i, j) if j > i else None


def appositives(text: str, toks: Sequence[Any], j: int, hi: int, stop_cues: set[int]) -> tuple[list[tuple[int, int]], int]:
    """Comma-separated role phrases after token ``j`` (``, deputy head of …,``).

    Returns their token ranges and the token index after the last one's comma (or ``j``)."""
    L = lex()
    out: list[tuple[int, int]] = []
    pos = j
    while pos < hi and toks[pos][2] == ",":
        k = pos + 1
        seg_end = k
        while seg_end < hi:
            tk = toks[seg_end]
            if tk[3] == "punct" and tk[2] not in ("-", "–", "'s", "&", "/"):
                break
            if seg_end in stop_cues:
                break
            if tk[2] == "and" and seg_end + 1 < hi and _name_token(text, toks[seg_end + 1], L):
                break
            seg_end += 1
        seg = toks[k:seg_end]
        if not seg or len(seg) > 20 or not any(L.role_of(t[2]) for t in seg):
            break
        nm = _split_name(text, toks, k, seg_end, L)
        if nm is not None and nm[1] == seg_end:
            break  # "…, First Deputy Chairman of … Ali Huseynli," is another person
        if seg_end < hi and seg_end in stop_cues:
            break
        out.append((k, seg_end))
        pos = seg_end
    if not out:
        return out, j
    after = out[-1][1]
    return out, after


@dataclass
class Person:
    name: str
    first: int  # char offset of first mention
    mentions: list[int] = field(default_factory=list)  # char offsets
    roles: list[tuple[int, int]] = field(default_factory=list)  # char spans
    classes: set = field(default_factory=set)
    words: set = field(default_factory=set)  # lower-case words of titles and roles


class Registry:
    """Named people of one document, their roles, and the order they are mentioned in."""

    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self.by_last: dict[str, list[str]] = {}
        self.mentions: list[tuple[int, str]] = []  # (char offset, full name), sorted

    def canonical(self, name: str) -> str:
        """The full name a (possibly one-word) name stands for."""
        if name in self.people and " " in name:
            return name
        parts = name.split()
        cands = self.by_last.get(parts[-1], []) if parts else []
        full = [c for c in cands if len(c.split()) > len(parts) and c.endswith(name)]
        if full:
            return max(full, key=lambda c: (len(c.split()), c))
        return name

    def add(self, name: str, pos: int, roles: Sequence[tuple[int, int]] = (), role_norms: Sequence[Sequence[str]] = (), text: str = "") -> str:
        full = self.canonical(name)
        p = self.people.get(full)
        if p is None:
            p = self.people[full] = Person(full, pos)
            self.by_last.setdefault(full.split()[-1], []).append(full)
            if full != name:  # a one-word mention seen first: fold it in later full names
                pass
        p.mentions.append(pos)
        L = lex()
        for span, norms in zip(roles, role_norms):
            if span not in p.roles:
                p.roles.append(span)
            p.classes |= L.classes(norms)
            p.words |= {n.rstrip(".") for n in norms if n.isalpha() or "." in n or "-" in n}
        bisect.insort(self.mentions, (pos, full))
        return full

    def last_with(self, pos: int, classes: frozenset, modifiers: Sequence[str]) -> str | None:
        """The most recently mentioned person before ``pos`` with a role in ``classes``
        (preferring those whose roles contain all ``modifiers``)."""
        i = bisect.bisect_left(self.mentions, (pos, ""))
        fallback = None
        seen: set[str] = set()
        for k in range(i - 1, -1, -1):
            name = self.mentions[k][1]
            if name in seen:
                continue
            seen.add(name)
            p = self.people[name]
            if not (p.classes & classes):
                continue
            mods = [m for m in modifiers if m not in STOPWORDS]
            if all(m in p.words for m in mods):
                return name
            if fallback is None:
                fallback = name
        return fallback

    def last_person(self, pos: int) -> str | None:
        i = bisect.bisect_left(self.mentions, (pos, ""))
        return self.mentions[i - 1][1] if i > 0 else None


_NO_CUES: frozenset[int] = frozenset()
_UPPER = bytes(1 if 65 <= b <= 90 else 0 for b in range(256))  # A-Z -> 1


def _capitalised(text: str, toks: Sequence[Any], cols: Any) -> bytes:
    """1 for each word token whose first character is upper case, found in C."""
    if cols is None:
        firsts = map(text.__getitem__, map(itemgetter(0), toks))
        return bytes(map(and_, map(str.isupper, firsts), map("word".__eq__, map(itemgetter(3), toks))))
    if text.isascii():
        # one translation of the whole text marks its capitals
        firsts = map(text.encode("ascii").translate(_UPPER).__getitem__, cols.starts)
    else:
        firsts = map(str.isupper, map(text.__getitem__, cols.starts))
    # among tokens starting with a capital, the word-or-number ones are words: a number
    # starts with a digit or a sign (relkit.text), never with a letter
    return bytes(map(and_, firsts, cols.isword))


def build_registry(text: str, toks: Sequence[Any], sentences: Sequence[Any], inside_quote, cols: Any = None) -> Registry:
    """Scan capitalised runs outside quotes for people (names with a title, a role
    appositive, or two or more name words) and their roles.

    ``cols``: the tokens' :class:`~relkit_rhetoric.columns.Columns`, if the caller has them."""
    L = lex()
    reg = Registry()
    n = len(toks)
    iscap = _capitalised(text, toks, cols)
    caps = compress(range(n), iscap)
    i = 0
    for start in caps:
        if start < i:
            continue
        i = start
        t = toks[i]
        if inside_quote(t[0]):
            i += 1
            continue
        j = i
        s_end = sentences[t[5]].last_token  # a sentence's tokens are contiguous
        while j < s_end and (iscap[j] or toks[j][2] in _PARTICLES):
            j += 1
        if j - i == 1 and not _name_token(text, t, L):
            i = j
            continue
        rng = _split_name(text, toks, i, j, L)
        if rng is None or rng[1] != j:
            i = j
            continue
        s, e = rng
        # title: back over capitalised words, role nouns and connectors, stopping at a name
        ts = s
        while ts > 0 and toks[ts - 1][5] == t[5] and s - ts < 25:
            pt = toks[ts - 1]
            if _name_token(text, pt, L):
                break
            if pt[2] == "and" and not any(L.role_of(x[2]) for x in toks[ts:s]):
                break
            if _cap(text, pt) or pt[2] in _CONNECTORS or L.role_of(pt[2]) or (pt[3] == "punct" and pt[2] == "-"):
                ts -= 1
                continue
            break
        while ts < s and (toks[ts][2] in _CONNECTORS or toks[ts][3] == "punct"):
            ts += 1
        roles: list[tuple[int, int]] = []
        role_norms: list[list[str]] = []
        te = s
        while te > ts and (toks[te - 1][2] in _CONNECTORS or toks[te - 1][3] == "punct"):
            te -= 1
        if ts < te:
            norms = [x[2] for x in toks[ts:te]]
            if any(L.role_of(x) for x in norms):
                roles.append((toks[ts][0], toks[te - 1][1]))
                role_norms.append(norms)
        # appositives start with a comma; most names have none
        apps = appositives(text, toks, e, n, _NO_CUES)[0] if e < n and toks[e][2] == "," else ()
        for a, b in apps:
            roles.append((toks[a][0], toks[b - 1][1]))
            role_norms.append([x[2] for x in toks[a:b]])
        if roles or e - s >= 2:
            reg.add(text[toks[s][0]:toks[e - 1][1]], toks[s][0], roles, role_norms, text)
        i = j
    return reg
