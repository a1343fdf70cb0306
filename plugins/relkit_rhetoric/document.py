"""The per-document part of the rhetoric analysis: everything about one text."""

from __future__ import annotations

import bisect
import os
from typing import Any, Sequence

from .attribution import Record, attribute
from .columns import Columns
from .constant import EMPTY_LIST
from .figures import find_figures
from .frames import summarise_frames
from .lexicons import compiled_matcher, user_lexicon_digest
from .persuasion import persuasion_cues
from .quotes import QuoteSpan, find_quotes, paragraphs
from .speakers import Registry, build_registry
from .stance import AMBIGUOUS, METADISCOURSE, MODALS, keep_match, summarise
from .tone import document_tone, vader

__all__ = ["Settings", "analyze"]

_DIGESTS: dict[tuple, str] = {}


class Settings:
    """The parameters the per-document part needs, resolved once."""

    def __init__(self, params: Any) -> None:
        self.lexicons = tuple(params.lexicon or ())
        self.builtin_frames = bool(params.builtin_frames)
        self.max_spans = params.max_spans
        self.min_repeats = params.min_repeats
        self.evidence = params.evidence_sentences
        self.quote_min_words = params.quote_min_words
        key = tuple((p, _mtime(p)) for p in self.lexicons)
        digest = _DIGESTS.get(key)
        if digest is None:
            digest = _DIGESTS[key] = user_lexicon_digest(self.lexicons)
        self.matcher, self.frame_sources = compiled_matcher(self.lexicons, self.builtin_frames, digest)
        self.frame_categories = tuple(self.frame_sources)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _quote_span(doc: Any, q: QuoteSpan) -> dict[str, Any]:
    extra: dict[str, Any] = {"marks": q.open_mark + q.close_mark, "paragraphs": q.paragraphs, "flags": list(q.flags) or EMPTY_LIST}
    if q.nested:
        extra["nested"] = [_quote_span(doc, n) for n in q.nested]
    return doc.span(q.content_start, q.content_end, **extra)


def analyze(doc: Any, s: Settings) -> dict[str, Any]:
    text = doc.text
    toks = doc.tokens
    sents = doc.sentences
    cols = Columns(toks)
    words = len(cols.words)
    raw = s.matcher.match(toks, cols.norms, cols.kinds)
    norms = cols.norms
    matches = [m for m in raw if (m.family not in ("metadiscourse", "modal") or m.last - m.first > 1
                                  or norms[m.first] not in AMBIGUOUS or keep_match(text, toks, m))]

    # quotes and speakers
    paras = paragraphs(text, doc.regions)
    quotes = find_quotes(text, paras)
    q_starts = [q.start for q in quotes]

    def inside_quote(pos: int) -> bool:
        i = bisect.bisect_right(q_starts, pos) - 1
        return i >= 0 and quotes[i].start <= pos < quotes[i].end

    has_cues = quotes or any(m.family in ("cue", "according") for m in matches)
    built: list[Registry] = []

    def registry_once() -> Registry:
        if not built:
            built.append(build_registry(text, toks, sents, inside_quote, cols))
        return built[0]

    if has_cues:
        records, mentions = attribute(text, toks, sents, paras, quotes, matches, registry_once, s.quote_min_words, cols)
    else:
        records, mentions = [], []
    registry = built[0] if built else Registry()

    # tone, one VADER score per sentence
    v = vader()
    scores = [v.compound(text[x.start:x.end]) for x in sents]
    tone = document_tone(doc, scores, s.evidence)

    by_family: dict[str, list] = {}  # matches of each family, in text order
    for m in matches:
        by_family.setdefault(m.family, []).append(m)
    stance = summarise(doc, by_family.get("metadiscourse", ()), words, "metadiscourse", METADISCOURSE, s.max_spans)
    modals = summarise(doc, by_family.get("modal", ()), words, "modal", MODALS, s.max_spans)
    frames = summarise_frames(doc, by_family.get("frame", ()), words, s.frame_categories, s.max_spans)
    figures = find_figures(doc, inside_quote, s.min_repeats, cols)
    persuasion = persuasion_cues(doc, by_family.get("persuasion", ()), figures["repeated_phrases"])
    by_tech: dict[str, int] = {}
    for c in persuasion:
        by_tech[c["technique"]] = by_tech.get(c["technique"], 0) + 1

    match_starts = [toks[m.first][0] for m in matches] if records else []
    sent_starts = [x.start for x in sents] if records else []
    quote_entries = [_record_entry(doc, r, registry, matches, scores, s, match_starts, sent_starts, cols) for r in records]
    return {
        "words": words,
        "sentences": len(sents),
        "quotes": quote_entries or EMPTY_LIST,
        "quoted_mentions": [dict(_quote_span(doc, q), kind=kind) for q, kind in mentions] or EMPTY_LIST,
        "speakers": _speakers(doc, records, quote_entries, registry) or EMPTY_LIST,
        "stance": stance,
        "modals": modals,
        "tone": tone,
        "frames": frames,
        "persuasion": {"counts": dict(sorted(by_tech.items())), "cues": (persuasion if s.max_spans is None else persuasion[: s.max_spans * 4]) or EMPTY_LIST},
        "figures": {k: (v if s.max_spans is None else v[: s.max_spans]) or EMPTY_LIST for k, v in figures.items()},
        "figure_counts": {k: len(v) for k, v in figures.items()},
    }


def _record_entry(doc: Any, r: Record, reg: Registry, matches: Sequence[Any], scores: Sequence[float], s: Settings,
                  match_starts: Sequence[int], sent_starts: Sequence[int], cols: Columns) -> dict[str, Any]:
    toks = doc.tokens
    sp: dict[str, Any] | None = None
    roles = [doc.span(a, b) for a, b in r.roles]
    if r.np is not None:
        np = r.np
        a, b = toks[np.first][0], toks[np.last - 1][1]
        if np.title_span and all(x["start"] != np.title_span[0] for x in roles):
            roles.insert(0, doc.span(*np.title_span))
        sp = {"as_written": doc.span(a, b), "kind": np.kind, "resolved": r.resolved, "how": r.attribution}
    elif r.source is not None:
        sp = {"as_written": None, "kind": "continuation", "resolved": r.resolved, "how": "continuation"}
    if sp is not None:
        if r.members:
            sp["members"] = list(r.members)
        if r.resolved and r.resolved in reg.people:
            for a, b in reg.people[r.resolved].roles:
                if all(x["start"] != a for x in roles):
                    roles.append(doc.span(a, b))
        sp["roles"] = roles or EMPTY_LIST
    parts = [(q.content_start, q.content_end) for q in r.quoted] or [(r.start, r.end)]
    nwords = 0
    starts = cols.starts
    for a, b in parts:
        # the first tokens starting at or after a and b
        nwords += cols.count_words(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))
    # profile inputs: lexicon hits inside the speech content, tone of overlapping sentences
    hedges = boosters = 0
    frame_counts: dict[str, int] = {}
    first = bisect.bisect_left(match_starts, r.start)
    for m in matches[first:]:
        pos = toks[m.first][0]
        if pos >= r.end:
            break
        if m.family == "metadiscourse":
            if m.category == "hedges":
                hedges += 1
            elif m.category == "boosters":
                boosters += 1
        elif m.family == "frame":
            frame_counts[m.category] = frame_counts.get(m.category, 0) + 1
    sents = doc.sentences
    lo = max(0, bisect.bisect_right(sent_starts, r.start) - 1)
    hi = bisect.bisect_left(sent_starts, r.end)
    overlapping = [scores[i] for i in range(lo, hi) if sents[i].end > r.start]
    entry: dict[str, Any] = {
        "type": r.type,
        "content": doc.span(r.start, r.end),
        "quoted": [_quote_span(doc, q) for q in r.quoted] or EMPTY_LIST,
        "cue": doc.span(toks[r.cue[0]][0], toks[r.cue[1] - 1][1], lemma=r.cue_lemma) if r.cue else None,
        "speaker": sp,
        "words": nwords,
        "flags": sorted({f for q in r.quoted for f in q.flags}) or EMPTY_LIST,
        "profile": {
            "tone": (sum(overlapping) / len(overlapping)) if overlapping else None,
            "tone_sentences": len(overlapping),
            "hedges": hedges,
            "boosters": boosters,
            "frames": dict(sorted(frame_counts.items())),
        },
    }
    return entry


def _speakers(doc: Any, records: Sequence[Record], entries: Sequence[dict[str, Any]], reg: Registry) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r, e in zip(records, entries):
        names = list(r.members) if r.members else ([r.resolved] if r.resolved else [])
        if not names and r.np is not None and r.np.kind == "name" and r.np.name:
            names = [r.np.name]
        for name in names:
            row = out.get(name)
            if row is None:
                row = out[name] = {"speaker": name, "direct": 0, "mixed": 0, "indirect": 0, "words_quoted": 0,
                                   "roles": [], "as_written": []}
            row[r.type] += 1
            if r.type != "indirect":
                row["words_quoted"] += e["words"]
            sp = e["speaker"] or {}
            for role in sp.get("roles", []):
                if role["text"] not in row["roles"]:
                    row["roles"].append(role["text"])
            aw = sp.get("as_written")
            if aw and aw["text"] not in row["as_written"]:
                row["as_written"].append(aw["text"])
    return list(out.values())
