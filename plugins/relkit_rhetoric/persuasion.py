"""Cues of persuasion techniques (SemEval-2020 Task 11 taxonomy, Da San Martino et al.).

Lexical triggers come from data/persuasion.json through the shared lexicon pass.  Two
techniques are structural: *Repetition* (every recurrence of a repeated key phrase after
its first occurrence, see :func:`figures.repeated_phrases`) and *Slogans* (short
exclamations of at most six words, all-capital phrases of two or more words, hashtags).
A cue marks a trigger to check, not a verdict that the technique is used.
"""

from __future__ import annotations

from typing import Any, Sequence

from .lexicons import Match, load_data

__all__ = ["TECHNIQUES", "persuasion_cues"]

TECHNIQUES = tuple(load_data("persuasion")) + ("Repetition", "Slogans")


def persuasion_cues(doc: Any, matches: Sequence[Match], repeated: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    toks = doc.tokens
    text = doc.text
    cues: list[dict[str, Any]] = []
    for m in matches:
        if m.family == "persuasion":
            cues.append(doc.span(toks[m.first][0], toks[m.last - 1][1], technique=m.category, trigger=m.term))
    for r in repeated:
        if r["count"] >= 3:
            for sp in r["spans"][1:]:
                cues.append(doc.span(sp["start"], sp["end"], technique="Repetition", trigger=r["phrase"]))
    for s in doc.sentences:
        words = [t for t in toks[s.first_token:s.last_token] if t[3] in ("word", "number")]
        last = toks[s.last_token - 1] if s.last_token > s.first_token else None
        if last is not None and "!" in last[2] and 1 <= len(words) <= 6:
            cues.append(doc.span(s.start, s.end, technique="Slogans", trigger="short exclamation"))
    # all-capital runs of 2+ words (not acronyms alone) and hashtags
    run: list[Any] = []
    for t in list(toks) + [None]:
        if t is not None and t[3] == "word" and len(text[t[0]:t[1]]) > 1 and text[t[0]:t[1]].isupper() and text[t[0]:t[1]].isalpha():
            if run and run[-1][5] == t[5]:
                run.append(t)
                continue
            if len(run) >= 3:
                cues.append(doc.span(run[0][0], run[-1][1], technique="Slogans", trigger="all capitals"))
            run = [t]
            continue
        if len(run) >= 3:
            cues.append(doc.span(run[0][0], run[-1][1], technique="Slogans", trigger="all capitals"))
        run = []
        if t is not None and t[3] == "symbol" and text[t[0]] == "#" and t[1] - t[0] > 2:
            cues.append(doc.span(t[0], t[1], technique="Slogans", trigger="hashtag"))
    cues.sort(key=lambda c: (c["start"], c["end"], c["technique"]))
    return cues
