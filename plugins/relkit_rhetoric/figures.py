"""Rhetorical figures found from the shared sentences and tokens.

* anaphora — neighbouring sentences, or neighbouring clauses of one sentence (split at
  , ; : and dashes), that begin with the same words (two or more, or one word that is
  not a stopword): ``we have a common past, we have a common future``;
* epistrophe — neighbouring units that end with the same two or more words, one of them
  not a stopword;
* tricolon — a list of exactly three short parallel items, ``X, Y and Z``
  (``peace, stability and security``); lists of four or more are not tricolons;
* rhetorical questions — sentences ending in ``?``, flagged when inside a quote and when
  the next sentence answers (``Yes``/``No``/``The answer``…);
* repeated key phrases — word sequences of 2–4 tokens, not starting or ending with a
  stopword, that recur ``min_repeats`` times or more in the document (maximal ones only).
"""

from __future__ import annotations

import bisect
from collections import Counter
from itertools import compress, repeat
from operator import attrgetter, eq, le
from typing import Any, Callable, Sequence

from relkit.text import STOPWORDS

from .columns import Columns

__all__ = ["find_figures", "repeated_phrases"]

_CLAUSE_BREAK = frozenset({",", ";", ":", "—", "–", "-"})
_AND_OR = frozenset({"and", "or"})
_FIRST_TOKEN = attrgetter("first_token")
_ANSWERS = {"yes", "no", "of", "the", "answer", "certainly", "absolutely", "definitely", "not"}


def _breaks(doc: Any, cols: Columns) -> tuple[list[int], list[int]]:
    """Indices of the punctuation tokens that end a clause, and of the commas."""
    toks = doc.tokens
    norms = cols.norms
    hits = cols.where(_CLAUSE_BREAK)
    return [k for k in hits if toks[k][3] == "punct"], [k for k in hits if norms[k] == ","]


def _units(doc: Any, cols: Columns, breaks: list[int]) -> tuple[list[list[int]], list[list[list[int]]]]:
    """Word-token indices of each sentence, and of each clause of each sentence."""
    w = cols.words
    norms = cols.norms
    bl = bisect.bisect_left
    sents: list[list[int]] = []
    clauses: list[list[list[int]]] = []
    wa = 0
    for s in doc.sentences:
        a, b = s.first_token, s.last_token
        wa = bl(w, a, wa)  # sentences are in token order: search on from the previous one
        wb = bl(w, b, wa)
        words = w[wa:wb]
        wa = wb
        sents.append(words)
        if len(words) < 6 or not breaks:
            clauses.append([])
            continue
        lo = bl(breaks, a)
        hi = bl(breaks, b, lo)
        if hi == lo:
            clauses.append([])
            continue
        cl: list[list[int]] = []
        prev = a
        for br in breaks[lo:hi] + [b]:
            part = words[bl(words, prev):bl(words, br)]
            if part:
                cl.append(part)
            prev = br + 1
        # a run starts only at two neighbouring clauses of three or more words with the
        # same first or last word: the other sentences' clauses need no further look
        for x, y in zip(cl, cl[1:]):
            if len(x) >= 3 and len(y) >= 3 and (norms[x[0]] == norms[y[0]] or norms[x[-1]] == norms[y[-1]]):
                clauses.append(cl)
                break
        else:
            clauses.append([])
    return sents, clauses


def _shared(a: list[int], b: list[int], toks: Sequence[Any], from_end: bool) -> int:
    n = 0
    la, lb = len(a), len(b)
    while n < la and n < lb:
        x = a[la - 1 - n] if from_end else a[n]
        y = b[lb - 1 - n] if from_end else b[n]
        if toks[x][2] != toks[y][2]:
            break
        n += 1
    if n >= min(la, lb):
        n = min(la, lb) - 1  # whole-unit repeats are repetition, not anaphora
    return max(n, 0)


def _figure_ok(words: Sequence[str], from_end: bool) -> bool:
    if not words:
        return False
    content = [w for w in words if w not in STOPWORDS and any(c.isalpha() for c in w)]
    if from_end:
        return len(words) >= 2 and bool(content)
    return len(words) >= 2 or bool(content)


def _runs(doc: Any, units: list[list[int]], level: str, kind: str, out: list[dict[str, Any]], inside_quote: Callable[[int], bool]) -> None:
    toks = doc.tokens
    from_end = kind == "epistrophe"
    i = 0
    edge = -1 if from_end else 0
    while i + 1 < len(units):
        a, b = units[i], units[i + 1]
        if len(a) < 3 or len(b) < 3 or toks[a[edge]][2] != toks[b[edge]][2]:
            i += 1
            continue
        n = _shared(a, b, toks, from_end)
        words = [toks[k][2] for k in (a[-n:] if from_end else a[:n])] if n else []
        if not n or not _figure_ok(words, from_end):
            i += 1
            continue
        run = [a, b]
        j = i + 2
        while j < len(units) and len(units[j]) >= 3:
            n2 = min(n, _shared(run[0], units[j], toks, from_end))
            w2 = words[-n2:] if from_end and n2 else words[:n2]
            if not n2 or not _figure_ok(w2, from_end):
                break
            n, words = n2, w2
            run.append(units[j])
            j += 1
        spans = []
        for u in run:
            ks = u[-n:] if from_end else u[:n]
            spans.append(doc.span(toks[ks[0]][0], toks[ks[-1]][1]))
        first, last = run[0][0], run[-1][-1]
        out.append({
            "type": kind,
            "level": level,
            "phrase": " ".join(words),
            "units": len(run),
            "in_quote": inside_quote(toks[first][0]),
            "span": doc.span(toks[first][0], toks[last][1]),
            "repeats": spans,
        })
        i = j - 1 if j - 1 > i else i + 1


def _tricolons(doc: Any, inside_quote: Callable[[int], bool], cols: Columns, commas: list[int]) -> list[dict[str, Any]]:
    toks = doc.tokens
    out = []
    n = len(toks)
    sents = doc.sentences
    # Y is one to six words between a comma and the conjunction (and an optional comma
    # before it): a conjunction with no comma 2..8 tokens before it starts no tricolon
    if not commas:
        return out
    br = bisect.bisect_right
    for c0 in cols.where(_AND_OR) if (" and " in doc.text or " or " in doc.text) else []:
        j = br(commas, c0 - 2)
        if not j or commas[j - 1] < c0 - 8:
            continue
        s = sents[toks[c0][5]]
        for c in (c0,):
            if not (s.first_token + 3 <= c < s.last_token - 1):
                continue
            k = c - 1
            if toks[k][2] == ",":
                k -= 1
            y_end = k + 1
            while k >= s.first_token and toks[k][3] in ("word", "number") and toks[k][2] not in ("and", "or"):
                k -= 1
            y_start = k + 1
            ylen = y_end - y_start
            if not (1 <= ylen <= 6) or k < s.first_token or toks[k][2] != ",":
                continue
            x_end = k
            x_start = x_end - ylen
            if x_start < s.first_token or any(toks[t][3] not in ("word", "number") or toks[t][2] in ("and", "or") for t in range(x_start, x_end)):
                # X may be shorter than Y: take the words back to punctuation
                x_start = x_end
                while x_start > s.first_token and toks[x_start - 1][3] in ("word", "number") and x_end - x_start < ylen + 1:
                    x_start -= 1
                if x_start == x_end:
                    continue
            # a comma just before X (or within a short reach) means a list of four or more
            before = x_start - 1
            if before >= s.first_token and toks[before][2] == ",":
                continue
            z_start = c + 1
            z_end = z_start
            while z_end < s.last_token and z_end < n and toks[z_end][3] in ("word", "number") and z_end - z_start < ylen:
                z_end += 1
            if z_end == z_start:
                continue
            items = [(x_start, x_end), (y_start, y_end), (z_start, z_end)]
            out.append({
                "type": "tricolon",
                "items": [doc.span(toks[a][0], toks[b - 1][1]) for a, b in items],
                "in_quote": inside_quote(toks[x_start][0]),
                "span": doc.span(toks[x_start][0], toks[z_end - 1][1]),
            })
    return out


def _questions(doc: Any, inside_quote: Callable[[int], bool]) -> list[dict[str, Any]]:
    if "?" not in doc.text:
        return []  # no token can hold a question mark
    toks = doc.tokens
    out = []
    sents = doc.sentences
    for i, s in enumerate(sents):
        if s.last_token <= s.first_token:
            continue
        last = s.last_token - 1
        while last > s.first_token and toks[last][2] in ('"', "”", "’", "»", ")"):
            last -= 1
        if "?" not in toks[last][2]:
            continue
        answered = False
        if i + 1 < len(sents) and sents[i + 1].first_token < len(toks):
            nxt = toks[sents[i + 1].first_token]
            answered = nxt[2] in _ANSWERS and doc.text[nxt[0]:nxt[1]] in ("Yes", "No", "Of", "The", "Certainly", "Absolutely", "Definitely", "Not") and (
                nxt[2] != "the" or (sents[i + 1].first_token + 1 < len(toks) and toks[sents[i + 1].first_token + 1][2] == "answer"))
        out.append({"type": "rhetorical_question", "in_quote": inside_quote(s.start), "answered": answered,
                    "span": doc.span(s.start, s.end)})
    return out


def repeated_phrases(doc: Any, min_repeats: int, max_n: int = 4, cols: Columns | None = None) -> list[dict[str, Any]]:
    """Maximal 2..max_n word sequences (inside sentences) seen ``min_repeats``+ times."""
    toks = doc.tokens
    stop = STOPWORDS
    cols = cols or Columns(toks)
    # a phrase's first word is a content word seen at least min_repeats times: only
    # those words' positions are visited
    norms, isw, words = cols.norms, cols.isword, cols.words
    counts = Counter(compress(norms, isw))  # the forms of the word tokens
    frequent = set(compress(counts, map(le, repeat(min_repeats), counts.values())))
    first = {w for w in frequent.difference(stop) if _has_alpha(w)}
    if not first:
        return []
    n_tok = len(norms)
    bounds = set(map(_FIRST_TOKEN, doc.sentences))  # no n-gram crosses a sentence boundary
    pos: dict[tuple[str, ...], list[int]] = {}
    for i in compress(words, map(first.__contains__, compress(norms, isw))):
        j = i + 1
        if j < n_tok and isw[j] and j not in bounds:
            pos.setdefault((norms[i], norms[j]), []).append(i)
    pos = {g: p for g, p in pos.items() if len(p) >= min_repeats}
    if not pos:
        return []
    found = {g: p for g, p in pos.items() if g[-1] not in stop and _has_alpha(g[-1])}
    level = pos
    for n in range(3, max_n + 1):
        nxt: dict[tuple[str, ...], list[int]] = {}
        for g, places in level.items():
            for i in places:
                j = i + n - 1
                if j < n_tok and isw[j] and j not in bounds:
                    nxt.setdefault(g + (norms[j],), []).append(i)
        level = {g: p for g, p in nxt.items() if len(p) >= min_repeats}
        if not level:
            break
        for g, p in level.items():
            if g[-1] not in stop and _has_alpha(g[-1]):
                found[g] = p
    keep = [g for g, p in found.items()
            if not any(len(h) > len(g) and len(q) >= len(p) and _contains(h, g) for h, q in found.items())]
    out = []
    text = doc.text
    for g in sorted(keep, key=lambda g: (-len(found[g]), -len(g), g)):
        k = len(g) - 1
        # the spans of doc.span, built inline (token offsets are always inside the text)
        spans = [{"start": a, "end": b, "text": text[a:b]} for i in found[g] for a, b in ((toks[i][0], toks[i + k][1]),)]
        out.append({"type": "repeated_phrase", "phrase": " ".join(g), "count": len(spans), "spans": spans})
    return out


def _has_alpha(w: str) -> bool:
    return any(map(str.isalpha, w))


def _contains(h: tuple[str, ...], g: tuple[str, ...]) -> bool:
    n = len(g)
    return any(h[i:i + n] == g for i in range(len(h) - n + 1))


def find_figures(doc: Any, inside_quote: Callable[[int], bool], min_repeats: int,
                 cols: Columns | None = None) -> dict[str, list[dict[str, Any]]]:
    cols = cols or Columns(doc.tokens)
    breaks, commas = _breaks(doc, cols)
    sent_units, clause_units = _units(doc, cols, breaks)
    anaphora: list[dict[str, Any]] = []
    epistrophe: list[dict[str, Any]] = []
    norms = cols.norms
    # as for clauses: a run starts only at two neighbouring sentences of three or more
    # words sharing the first (anaphora) or the last word (epistrophe)
    long = [u for u in sent_units if len(u) >= 3]
    if len(long) >= 2:
        firsts = [norms[u[0]] for u in long]
        lasts = [norms[u[-1]] for u in long]
        if any(map(eq, firsts, firsts[1:])):
            _runs(doc, sent_units, "sentence", "anaphora", anaphora, inside_quote)
        if any(map(eq, lasts, lasts[1:])):
            _runs(doc, sent_units, "sentence", "epistrophe", epistrophe, inside_quote)
    for cl in clause_units:
        if len(cl) >= 2:
            _runs(doc, cl, "clause", "anaphora", anaphora, inside_quote)
            _runs(doc, cl, "clause", "epistrophe", epistrophe, inside_quote)
    anaphora.sort(key=lambda f: (f["span"]["start"], f["level"]))
    epistrophe.sort(key=lambda f: (f["span"]["start"], f["level"]))
    return {
        "anaphora": anaphora,
        "epistrophe": epistrophe,
        "tricolon": _tricolons(doc, inside_quote, cols, commas),
        "rhetorical_questions": _questions(doc, inside_quote),
        "repeated_phrases": repeated_phrases(doc, min_repeats, cols=cols),
    }
