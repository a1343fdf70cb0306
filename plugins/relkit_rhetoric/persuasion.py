"""Cues of persuasion techniques (SemEval-2020 Task 11 taxonomy, Da San Martino et al.).

Lexical triggers come from data/persuasion.json through the shared lexicon pass.  Two
techniques are structural: *Repetition* (every recurrence of a repeated key phrase after
its first occurrence, see :func:`figures.repeated_phrases`) and *Slogans* (short
exclamations of at most six words, all-capital phrases of two or more words, hashtags).
A cue marks a trigger to check, not a verdict that the technique is used.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import attrgetter
from typing import Any, Sequence

from .lexicons import Match, load_data

__all__ = ["TECHNIQUES", "persuasion_cues"]

_CAPS = re.compile(r"\b[A-Z][A-Z'’]+(?:[ \t]+[A-Z][A-Z'’]+){2,}\b")  # three or more all-capital words
# _CAPS without the word boundaries: any _CAPS match in a sentence also matches this in the text
_CAPS_ANYWHERE = re.compile(r"[A-Z][A-Z'’]+[ \t]+[A-Z][A-Z'’]+[ \t]+[A-Z][A-Z'’]+")
_HASHTAG = re.compile(r"(?<![\w#])#[^\W\d_]\w+")

_END = attrgetter("end")

TECHNIQUES = tuple(load_data("persuasion")) + ("Repetition", "Slogans")


def persuasion_cues(doc: Any, matches: Sequence[Match], repeated: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    toks = doc.tokens
    text = doc.text
    cues: list[dict[str, Any]] = []
    for m in matches:
        if m.family == "persuasion":
            a, b = toks[m.first][0], toks[m.last - 1][1]
            cues.append({"start": a, "end": b, "text": text[a:b], "technique": m.category, "trigger": m.term})
    for r in repeated:
        if r["count"] >= 3:
            phrase = r["phrase"]
            # doc.span's dict, built inline from the phrase's own (checked) spans
            cues += [{"start": sp["start"], "end": sp["end"], "text": sp["text"], "technique": "Repetition", "trigger": phrase}
                     for sp in r["spans"][1:]]
    # each structural cue needs a character the whole text may lack: check the text once
    bang = "!" in text
    # a sentence holding a _CAPS match holds an _CAPS_ANYWHERE match, and that overlaps
    # one found scanning the whole text left to right: only those sentences are searched
    caps_at = [(m.start(), m.end()) for m in _CAPS_ANYWHERE.finditer(text)]
    caps = bool(caps_at)
    caps_ends = [b for _, b in caps_at]
    hashtag = "#" in text
    sents = doc.sentences
    if caps and not (bang or hashtag):
        # the usual case (most news texts have a run of capitals, few an ! or #): visit
        # only the sentences overlapping a run, in order, as the loop below would
        ends = list(map(_END, sents))
        visit: set[int] = set()
        for a, b in caps_at:
            k = bisect_right(ends, a)
            while k < len(sents) and sents[k].start < b:
                visit.add(k)
                k += 1
        for k in sorted(visit):
            s = sents[k]
            for m in _CAPS.finditer(text, s.start, s.end):
                cues.append(doc.span(m.start(), m.end(), technique="Slogans", trigger="all capitals"))
        sents = ()
    for s in sents if (bang or caps or hashtag) else ():
        if bang and "!" in text[max(s.start, s.end - 3):s.end]:
            words = [t for t in toks[s.first_token:s.last_token] if t[3] in ("word", "number")]
            if 1 <= len(words) <= 6:
                cues.append(doc.span(s.start, s.end, technique="Slogans", trigger="short exclamation"))
        if caps and (j := bisect_right(caps_ends, s.start)) < len(caps_at) and caps_at[j][0] < s.end:
            for m in _CAPS.finditer(text, s.start, s.end):
                cues.append(doc.span(m.start(), m.end(), technique="Slogans", trigger="all capitals"))
        if hashtag and "#" in text[s.start:s.end]:
            for m in _HASHTAG.finditer(text, s.start, s.end):
                cues.append(doc.span(m.start(), m.end(), technique="Slogans", trigger="hashtag"))
    cues.sort(key=lambda c: (c["start"], c["end"], c["technique"]))
    return cues
