"""Who said it: attributing quotes and finding reported speech.

Direct quotes (see :mod:`quotes`) are attributed, in this order:

1. *trailing* — ``“…,” Niyazova noted.``, ``“…,” said the analyst``, ``…, "Rudenko said.``
   (tried first when the quote ends in a comma, question or exclamation mark);
2. *leading* — in the same sentence before the opening mark: ``According to X, “…”``,
   ``X said: “…”``, ``X emphasized that … : "…"``, ``…, saying “…”`` (the subject of the
   main clause speaks);
3. *continuation* — a quote with no attribution of its own continues the most recent
   attribution in its paragraph, or, when it opens its paragraph, the last one in the
   previous paragraph.

A quote is *direct* when the attribution introduces it immediately, *mixed* when
reported words come between (``According to the Russian diplomat, in recent years, …:
“…”``, ``described the document as “…”``).  Quoted titles (after ``entitled``,
``titled``…, or in title case) and short unattributed quotes (scare quotes, terms) are
reported as *mentions*, not speech.

Reported speech without quote marks (*indirect*): ``X stressed that …``, ``X emphasized
the importance of …``, ``According to X, …``, and ``…, X, role, told Trend.``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any, Sequence

from .lexicons import Match, load_data
from .quotes import QuoteSpan
from .speakers import NP, Registry, appositives, lex, np_back, np_forward, parse_np

__all__ = ["Record", "attribute"]

_TITLE_CUES = {"entitled", "titled", "called", "named", "dubbed", "headlined", "themed", "slogan", "motto",
               "hashtag", "title", "theme", "book", "article", "film", "documentary", "project", "programme", "program",
               "operation", "exhibition", "conference", "forum", "festival", "campaign", "initiative", "on"}
_INTRO_WORDS = {"in", "on", "at", "during", "after", "before", "following", "speaking", "addressing", "according",
                "commenting", "hailing", "responding", "referring", "talking", "meanwhile", "however", "also"}
_TERMINAL = {".", "!", "?", "...", "…"}
_SAY_FREE = {"say", "add", "explain", "write", "argue", "claim", "insist", "assert", "warn", "reply", "respond", "answer",
             "admit", "acknowledge", "deny", "conclude", "assure", "promise", "reiterate"}


@dataclass
class Record:
    """One act of speech found in a document."""

    type: str  # direct | indirect | mixed
    start: int  # char offset of the content
    end: int
    quoted: list[QuoteSpan] = field(default_factory=list)
    cue: tuple[int, int] | None = None  # token range of the cue
    cue_lemma: str | None = None
    np: NP | None = None
    roles: list[tuple[int, int]] = field(default_factory=list)  # char spans of roles stated here
    attribution: str = "none"  # trailing | leading | according_to | continuation | reported | none
    source: "Record | None" = None  # for continuation
    para: int = 0
    resolved: str | None = None
    members: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


class _Doc:
    def __init__(self, text: str, toks: Sequence[Any], sents: Sequence[Any], paras: Sequence[tuple[int, int]],
                 quotes: Sequence[QuoteSpan], matches: Sequence[Match], cols: Any = None) -> None:
        self.text = text
        self.cols = cols  # Columns of the tokens, when the caller has them
        self.toks = toks
        self.sents = sents
        self.paras = paras
        self.quotes = quotes
        self.starts = cols.starts if cols is not None else list(map(itemgetter(0), toks))
        self.para_starts = [p[0] for p in paras]
        self.q_starts = [q.start for q in quotes]
        self.cues: dict[int, Match] = {}
        self.according: dict[int, Match] = {}
        self.importance: dict[int, Match] = {}
        for m in matches:
            if m.family == "cue":
                if m.first not in self.cues or self.cues[m.first].last < m.last:
                    self.cues[m.first] = m
            elif m.family == "according":
                self.according[m.first] = m
            elif m.family == "importance":
                self.importance[m.first] = m
        self.cue_tokens = set()
        for m in self.cues.values():
            self.cue_tokens.update(range(m.first, m.last))
        self.used_cues: set[int] = set()

    def tok_at(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        return i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end

    def quote_in(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.q_starts, a)
        return i < len(self.q_starts) and self.q_starts[i] < b

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def words(self, a: int, b: int) -> int:
        i, j = self.tok_at(a), self.tok_at(b)
        if self.cols is not None:
            return self.cols.count_words(i, j)
        return sum(1 for t in self.toks[i:j] if t[3] in ("word", "number"))

    def sentence_bounds(self, k: int) -> tuple[int, int]:
        s = self.sents[self.toks[k][5]]
        return s.first_token, s.last_token


def _subject(d: _Doc, k: int, lo: int) -> tuple[NP | None, list[tuple[int, int]]]:
    """The speaker phrase before the cue at token ``k`` and roles given in appositives."""
    toks = d.toks
    L = lex()
    j = k
    skipped = 0
    while j > lo and toks[j - 1][2] in ("also", "further", "then", "later", "again", "has", "have", "had", "once") and skipped < 3:
        j -= 1
        skipped += 1
    if j > lo and toks[j - 1][2] == ",":
        # appositive chain: NAME, role, role, CUE
        roles: list[tuple[int, int]] = []
        end = j - 1
        for _ in range(6):
            start = end
            while start > lo and toks[start - 1][2] != "," and toks[start - 1][2] not in _TERMINAL:
                start -= 1
            if start >= end:
                return None, []
            seg = toks[start:end]
            rng = np_back(d.text, toks, end, start)
            np = parse_np(d.text, toks, rng[0], rng[1]) if rng and rng[0] == start else None
            if np is not None and np.kind in ("name", "pronoun") and roles:
                roles.reverse()
                return np, [(toks[a][0], toks[b - 1][1]) for a, b in roles]
            if any(L.role_of(t[2]) for t in seg) and len(seg) <= 20:
                roles.append((start, end))
                if start - 1 <= lo or toks[start - 1][2] != ",":
                    return None, []
                end = start - 1
                continue
            return None, []
        return None, []
    rng = np_back(d.text, toks, j, lo)
    if rng is None:
        return None, []
    return parse_np(d.text, toks, rng[0], rng[1]), []


def _main_subject(d: _Doc, first: int, k: int) -> NP | None:
    """The subject of the main clause of the sentence starting at token ``first``."""
    toks = d.toks
    i = first
    if i < k and (toks[i][2] in _INTRO_WORDS or toks[i][2].endswith("ing")):
        while i < k and toks[i][2] != ",":
            i += 1
        i += 1
    rng = np_forward(d.text, toks, i, k)
    if rng is None:
        return None
    np = parse_np(d.text, toks, rng[0], rng[1])
    return np


def _after_np_roles(d: _Doc, np: NP, hi: int) -> tuple[list[tuple[int, int]], int]:
    apps, after = appositives(d.text, d.toks, np.last, hi, set(d.cues))
    return [(d.toks[a][0], d.toks[b - 1][1]) for a, b in apps], after


def _content_words(d: _Doc, a: int, b: int, skip: set[str]) -> int | None:
    """Token index of the first word in toks[a:b] not in ``skip`` (None if none)."""
    for k in range(a, b):
        t = d.toks[k]
        if t[3] in ("word", "number") and t[2] not in skip:
            return k
    return None


def _trailing(d: _Doc, q: QuoteSpan) -> Record | None:
    toks = d.toks
    t0 = d.tok_at(q.end)
    n = len(toks)
    if t0 >= n or d.para_of(toks[t0][0]) != d.para_of(max(q.content_start, q.end - 1)):
        return None
    if toks[t0][2] in (",", "-", "–", "—"):
        t0 += 1
    hi = t0
    while hi < n and hi - t0 < 12 and toks[hi][2] not in _TERMINAL and toks[hi][2] not in ('"', "“", "”", "«", "»"):
        if d.inside_quote(toks[hi][0]):
            break
        hi += 1
    cue_k = next((k for k in range(t0, hi) if k in d.cues), None)
    if cue_k is None or cue_k - t0 > 8:
        return None
    m = d.cues[cue_k]
    if cue_k == t0:  # said Niyazova
        rng = np_forward(d.text, toks, m.last, hi)
        if rng is None:
            return None
        np = parse_np(d.text, toks, rng[0], rng[1])
        tail = rng[1]
    else:  # Niyazova noted / the political analyst added
        rng = np_back(d.text, toks, cue_k, t0)
        if rng is None or rng[0] != t0:
            return None
        np = parse_np(d.text, toks, rng[0], rng[1])
        tail = m.last
    if np is None:
        return None
    last_char = d.text[q.content_end - 1] if q.content_end > q.content_start else ""
    short_tail = hi < n and toks[hi][2] in _TERMINAL and hi - tail <= 4
    if last_char not in ",!?…—–-:" and not (short_tail and cue_k - t0 <= 4):
        return None
    roles, _ = _after_np_roles(d, np, hi)
    d.used_cues.add(cue_k)
    return Record("direct", q.content_start, q.content_end, [q], (m.first, m.last), m.category, np, roles, "trailing")


def _leading(d: _Doc, q: QuoteSpan, lo_char: int) -> Record | None:
    toks = d.toks
    ta = d.tok_at(lo_char)
    tb = d.tok_at(q.start)
    if tb <= ta:
        return None
    # According to X, …
    for k in range(ta, tb):
        m = d.according.get(k)
        if m is None:
            continue
        rng = np_forward(d.text, toks, m.last, tb)
        if rng is None:
            continue
        np = parse_np(d.text, toks, rng[0], rng[1])
        if np is None:
            continue
        roles, after = _after_np_roles(d, np, tb)
        first = _content_words(d, after, tb, set())
        typ = "direct" if first is None else "mixed"
        start = q.content_start if first is None else toks[first][0]
        return Record(typ, start, q.content_end, [q], (m.first, m.last), "according to", np, roles, "according_to")
    for k in range(ta, tb):
        m = d.cues.get(k)
        if m is None or k in d.used_cues:
            continue
        if toks[k][2].endswith("ing") and m.last - m.first == 1 and k > ta:
            np = _main_subject(d, d.sentence_bounds(k)[0] if d.sentence_bounds(k)[0] >= ta else ta, k)
            roles: list[tuple[int, int]] = []
            if np is not None:
                roles, _ = _after_np_roles(d, np, k)
        else:
            np, roles = _subject(d, k, ta)
            if np is not None and not roles:
                roles, _ = _after_np_roles(d, np, k)
        if np is None:
            continue
        first = _content_words(d, m.last, tb, {"that"})
        typ = "direct" if first is None else "mixed"
        start = q.content_start if first is None else toks[first][0]
        d.used_cues.add(k)
        return Record(typ, start, q.content_end, [q], (m.first, m.last), m.category, np, roles, "leading")
    return None


@lru_cache(maxsize=1)
def _that_required() -> frozenset[str]:
    return frozenset(load_data("attribution")["that_required"])


def _indirect(d: _Doc) -> list[Record]:
    """Reported speech without quote marks, one record per cue."""
    toks = d.toks
    out: list[Record] = []
    that_required = _that_required()
    for k in sorted(set(d.cues) | set(d.according)):
        if d.inside_quote(toks[k][0]) or k in d.used_cues:
            continue
        s_first, s_last = d.sentence_bounds(k)
        end_k = s_last
        while end_k > s_first and toks[end_k - 1][3] == "punct":
            end_k -= 1
        if k in d.according:
            m = d.according[k]
            rng = np_forward(d.text, toks, m.last, end_k)
            if rng is None:
                continue
            np = parse_np(d.text, toks, rng[0], rng[1])
            if np is None:
                continue
            roles, after = _after_np_roles(d, np, end_k)
            if after < end_k and toks[after][2] == ",":
                after += 1
            elif rng[1] < end_k and toks[rng[1]][2] == ",":
                after = rng[1] + 1
            else:
                continue
            if after >= end_k or d.words(toks[after][0], toks[end_k - 1][1]) < 3:
                continue
            a, b = toks[after][0], toks[end_k - 1][1]
            if d.quote_in(a, b):
                continue
            out.append(Record("indirect", a, b, [], (m.first, m.last), "according to", np, roles, "according_to"))
            continue
        m = d.cues[k]
        lemma = m.category
        e = m.last
        content = None
        # that-clause within 4 tokens ("said on Tuesday that", "told Trend that")
        for j in range(e, min(end_k, e + 5)):
            if toks[j][2] == "that":
                content = j + 1
                break
            if toks[j][3] == "punct" and toks[j][2] != ",":
                break
        if content is None and e in d.importance:
            content = e
        if content is None and e < end_k and toks[e][2] == ":":
            content = e + 1
        if content is None and lemma in _SAY_FREE and lemma not in that_required and e < end_k and toks[e][3] == "word" \
                and toks[e][2] not in ("on", "in", "at", "to", "by", "with", "for", "about", "during", "after", "before", "reporters", "journalists", "it", "so", "this", "."):
            content = e
        participle = toks[k][2].endswith("ing") and m.last - m.first == 1
        if content is not None and content < end_k:
            if participle:
                np = _main_subject(d, s_first, k)
                roles: list[tuple[int, int]] = []
            else:
                np, roles = _subject(d, k, s_first)
            if np is None:
                continue
            if not roles:
                roles, _ = _after_np_roles(d, np, k)
            a, b = toks[content][0], toks[end_k - 1][1]
            if not (d.quote_in(a, b) or d.words(a, b) < 3):
                out.append(Record("indirect", a, b, [], (m.first, m.last), lemma, np, roles, "reported"))
                continue
            if d.quote_in(a, b):
                continue
        # CONTENT, X (, role)*, told Trend.
        if participle or end_k - e > 6 or any(toks[j][2] == "that" for j in range(e, end_k)):
            continue
        np, roles = _subject(d, k, s_first)
        if np is None or np.kind not in ("name", "description", "pronoun", "group"):
            continue
        first_np_tok = np.first
        if roles:
            # the comma before the name
            pass
        if first_np_tok - 1 <= s_first or toks[first_np_tok - 1][2] != ",":
            continue
        a, b = toks[s_first][0], toks[first_np_tok - 2][1]
        if d.words(a, b) < 4 or d.quote_in(a, b):
            continue
        out.append(Record("indirect", a, b, [], (m.first, m.last), lemma, np, roles, "reported"))
    return out


def _is_title(d: _Doc, q: QuoteSpan) -> bool:
    toks = d.toks
    tb = d.tok_at(q.start)
    for k in range(max(0, tb - 2), tb):
        if toks[k][2] in _TITLE_CUES and k >= tb - 2 and toks[k][2] != "on":
            return True
    i, j = d.tok_at(q.content_start), d.tok_at(q.content_end)
    words = [t for t in toks[i:j] if t[3] == "word"]
    if not words or len(words) > 15:
        return False
    if any(t[2] in _TERMINAL for t in toks[i:j]):
        return False
    content = [t for t in words if not t[4]]
    caps = sum(1 for t in content if d.text[t[0]].isupper())
    return bool(content) and caps / len(content) >= 0.7 and d.text[words[0][0]].isupper()


def attribute(text: str, toks: Sequence[Any], sents: Sequence[Any], paras: Sequence[tuple[int, int]],
              quotes: Sequence[QuoteSpan], matches: Sequence[Match], registry: Any,
              quote_min_words: int = 6, cols: Any = None) -> tuple[list[Record], list[tuple[QuoteSpan, str]]]:
    """Speech records (direct, mixed, indirect) and quoted mentions (titles, terms).

    ``cols``: the tokens' :class:`~relkit_rhetoric.columns.Columns`, if the caller has them.

    ``registry`` is a :class:`Registry` or a function building one (called only when
    there is a speaker to resolve)."""
    d = _Doc(text, toks, sents, paras, quotes, matches, cols)
    mentions: list[tuple[QuoteSpan, str]] = []
    speech: list[tuple[QuoteSpan, Record | None]] = []
    # 1. explicit attributions of quotes
    prev_end_in_para: dict[int, int] = {}
    for q in quotes:
        pi = d.para_of(q.start)
        if q.open_mark and _is_title(d, q):
            mentions.append((q, "title"))
            prev_end_in_para[pi] = q.end
            continue
        t_open = d.tok_at(q.start)
        sent_start = sents[toks[t_open][5]].start if t_open < len(toks) else q.start
        lo = max(sent_start, prev_end_in_para.get(pi, paras[pi][0] if paras else 0))
        ends_open = text[q.content_end - 1] in ",!?…—–-:" if q.content_end > q.content_start else False
        rec = None
        if ends_open:
            rec = _trailing(d, q) or _leading(d, q, lo)
        else:
            rec = _leading(d, q, lo) or _trailing(d, q)
        if rec is None and d.words(q.content_start, q.content_end) < quote_min_words:
            mentions.append((q, "term"))
            prev_end_in_para[pi] = q.end
            continue
        speech.append((q, rec))
        prev_end_in_para[pi] = q.end
    # 2. reported speech
    records = _indirect(d)
    for q, rec in speech:
        if rec is not None:
            rec.para = d.para_of(q.start)
            records.append(rec)
    for r in records:
        r.para = d.para_of(r.start)
    # 3. continuation for unattributed quotes, in text order
    records.sort(key=lambda r: (r.start, r.end))
    for q, rec in speech:
        if rec is not None:
            continue
        pi = d.para_of(q.start)
        before = [r for r in records if r.start < q.start and r.para == pi]
        src = before[-1] if before else None
        if src is None and pi > 0 and d.para_of(q.start) == pi and q.start <= paras[pi][0] + 1:
            prev = [r for r in records if r.para == pi - 1 and r.start < q.start]
            src = prev[-1] if prev else None
        new = Record("direct", q.content_start, q.content_end, [q], None, None, None, [],
                     "continuation" if src else "none", src, pi)
        records.append(new)
        records.sort(key=lambda r: (r.start, r.end))
    # 4. resolve speakers in text order
    if records and callable(registry):
        registry = registry()
    last_named: list[tuple[int, str]] = []
    for r in records:
        _resolve(text, toks, r, registry, last_named)
        if r.resolved:
            last_named.append((r.start, r.resolved))
    return records, mentions


def _resolve(text: str, toks: Sequence[Any], r: Record, reg: Registry, last_named: list[tuple[int, str]]) -> None:
    if r.np is None:
        if r.source is not None:
            r.resolved = r.source.resolved
            r.members = list(r.source.members)
        return
    np = r.np
    pos = toks[np.first][0]
    if np.kind == "name" and np.name:
        r.resolved = reg.canonical(np.name)
    elif np.kind == "description":
        r.resolved = reg.last_with(pos, np.classes or frozenset(lex().classes([np.head or ""])), np.modifiers)
    elif np.kind == "pronoun" and np.head in ("he", "she", "him", "her"):
        earlier = [name for p, name in last_named if p < pos]
        r.resolved = earlier[-1] if earlier else reg.last_person(pos)
    elif np.kind == "group" and np.members:
        r.members = [reg.canonical(m) for m in np.members]
