"""A decoded per-document result made small again, without changing what it says.

``analyze_document`` shares the empty categories and lists (``constant.py``) and its
strings are slices of one text; a result that went through JSON (the cache, a worker's
packed bytes) comes back with its own dict for every empty category, its own empty list
for every empty finding, and its own copy of every lexicon word.  The corpus step holds
every document's result at once, so on a large corpus that is most of its memory.
``compact`` puts the shared values back and shares the short repeated strings; the
result serialises to exactly the same JSON.
"""

from __future__ import annotations

import sys
from typing import Any

from .constant import EMPTY_COUNT, EMPTY_FRAME, EMPTY_LIST

__all__ = ["compact"]

# words, terms, kinds and techniques repeat across documents; longer texts rarely do
_SHORT = 24
_intern = sys.intern


def _same(a: Any, b: Any) -> bool:
    """Equal *and* written the same: key order and scalar types too (``0`` is not ``0.0``)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b and (type(a) is not float or str(a) == str(b))


def _strings(d: dict[str, Any], *keys: str) -> None:
    for k in keys:
        t = d.get(k)
        if type(t) is str and len(t) <= _SHORT:
            d[k] = _intern(t)


def _spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not spans:
        return EMPTY_LIST
    for s in spans:
        t = s.get("text")
        if type(t) is str and len(t) <= _SHORT:
            s["text"] = _intern(t)
        t = s.get("term")
        if type(t) is str:
            s["term"] = _intern(t)
    return spans


def _categories(cats: Any, empty: dict[str, Any]) -> None:
    if not isinstance(cats, dict):
        return
    for name, v in cats.items():
        if isinstance(v, dict) and v.get("count") == 0 and _same(v, empty):
            cats[name] = empty  # replacing a key's value does not resize the dict
        elif isinstance(v, dict) and isinstance(v.get("spans"), list):
            v["spans"] = _spans(v["spans"])


def _empty_lists(d: dict[str, Any], *keys: str) -> None:
    for k in keys:
        v = d.get(k)
        if type(v) is list and not v:
            d[k] = EMPTY_LIST


def _quote(q: dict[str, Any]) -> None:
    _strings(q, "type", "kind")
    _empty_lists(q, "quoted", "flags", "nested")
    for part in q.get("quoted") or ():
        if isinstance(part, dict):
            _empty_lists(part, "flags")
            for n in part.get("nested") or ():
                if isinstance(n, dict):
                    _empty_lists(n, "flags")
    sp = q.get("speaker")
    if isinstance(sp, dict):
        _strings(sp, "kind", "how", "resolved")
        _empty_lists(sp, "roles")
    cue = q.get("cue")
    if isinstance(cue, dict):
        _strings(cue, "text", "lemma")


def compact(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` (one document's, as decoded from JSON) with shared empty values and
    shared short strings, changed in place and returned.  Anything not shaped as
    ``analyze_document`` makes it is left as it is."""
    _empty_lists(result, "quotes", "quoted_mentions", "speakers")
    for q in result.get("quotes") or ():
        if isinstance(q, dict):
            _quote(q)
    for q in result.get("quoted_mentions") or ():
        if isinstance(q, dict):
            _quote(q)
    _categories(result.get("stance"), EMPTY_COUNT)
    _categories(result.get("modals"), EMPTY_COUNT)
    frames = result.get("frames")
    if isinstance(frames, dict):
        _categories(frames.get("frames"), EMPTY_FRAME)
    tone = result.get("tone")
    if isinstance(tone, dict):
        _empty_lists(tone, "most_positive", "most_negative")
    persuasion = result.get("persuasion")
    if isinstance(persuasion, dict) and isinstance(persuasion.get("cues"), list):
        cues = persuasion["cues"] = _spans(persuasion["cues"])
        for c in cues:
            if isinstance(c, dict):
                _strings(c, "technique", "trigger")
    figures = result.get("figures")
    if isinstance(figures, dict):
        for k, v in figures.items():
            if type(v) is list and not v:
                figures[k] = EMPTY_LIST
            elif type(v) is list:
                for f in v:
                    if isinstance(f, dict):
                        _strings(f, "type", "phrase")
                        if isinstance(f.get("spans"), list):
                            f["spans"] = _spans(f["spans"])
    return result
