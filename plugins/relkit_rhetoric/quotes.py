"""Finding quoted passages: pairing quote marks, across sentences and paragraphs.

Marks handled: “ ” „ « » ‹ › " (double level) and ‘ ’ ' (single level, used for
nested quotes; apostrophes in ``Russia’s`` or ``it's`` are recognised and skipped).

Rules (documented in docs/rhetoric.md):

* A straight ``"`` closes the innermost open double quote, whatever mark opened it
  (texts mix “ with "), unless it is shaped like an opening mark (space before, text
  after) inside a quote opened with “/« and another ``"`` follows before the closing
  mark: then it opens a nested quote.  With nothing open it opens one.  Stray spaces
  (``economies. "`` and ``Azerbaijan, "Rudenko said``) are therefore harmless.
* A quote still open at the end of a paragraph continues into the next paragraph when
  that paragraph starts with an opening mark (the journalistic convention of reopening
  each paragraph of a long quote) or when its first quote mark is a closing one (the
  quote closes there).  Otherwise it is closed at the paragraph end and flagged
  ``closing_mark_missing``.
* A closing mark with nothing open makes a quote from the start of its paragraph,
  flagged ``opening_mark_missing``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

__all__ = ["QuoteSpan", "find_quotes", "paragraphs"]

_D_OPEN = "“„«‹"
_D_CLOSE = "”»›"
_S_OPEN = "‘"
_S_CLOSE = "’"
_MARKS_RE = re.compile(r"[“”„«»‹›\"‘’']")
_OPEN_CONTEXT = set(" \t\n\r([{—–-:/")
_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n")
_HARDWRAP = 100


@dataclass
class QuoteSpan:
    """One quoted passage: outer span (with marks), content span (inside, trimmed)."""

    start: int  # opening mark (or paragraph start when it is missing)
    end: int  # just after the closing mark (or the paragraph end when it is missing)
    content_start: int
    content_end: int
    open_mark: str
    close_mark: str
    level: int = 1
    flags: list[str] = field(default_factory=list)
    nested: list["QuoteSpan"] = field(default_factory=list)
    paragraphs: int = 1


def paragraphs(text: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph spans inside the kept regions: split at blank lines; at single line
    breaks too unless the region looks hard-wrapped (every line at most 100 characters)."""
    out: list[tuple[int, int]] = []
    for r_start, r_end in regions:
        chunk = text[r_start:r_end]
        lines = chunk.split("\n")
        hard = len(lines) > 2 and max(len(ln) for ln in lines) <= _HARDWRAP
        splitter = _PARA_RE if hard else re.compile(r"\n")
        pos = 0
        for m in splitter.finditer(chunk):
            _add(out, text, r_start + pos, r_start + m.start())
            pos = m.end()
        _add(out, text, r_start + pos, r_end)
    return out


def _add(out: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def _is_apostrophe(text: str, i: int, start: int, end: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if prev.isalnum() and nxt.isalnum():
        return True  # it’s, Russia’s, O'Neill
    if text[i] in "’'" and prev in "sS" and (nxt.isspace() or nxt in ",.;:") and i - 1 > start and text[i - 2].isalpha():
        return True  # countries’ (plural possessive)
    if text[i] in "’'" and nxt.isdigit() and (prev.isspace() or prev == "("):
        return True  # ’90s
    return False


def _open_shaped(text: str, i: int, start: int, end: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    return (prev in _OPEN_CONTEXT or i == start) and not nxt.isspace() and i + 1 < end


def _close_shaped(text: str, i: int, start: int, end: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    return not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?)]—–-" or i + 1 >= end)


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    for m in _MARKS_RE.finditer(text, start, end):
        i = m.start()
        ch = text[i]
        if ch in "’'" and _is_apostrophe(text, i, start, end):
            continue
        if ch == "‘" and i > start and text[i - 1].isalnum() and i + 1 < end and text[i + 1].isalnum():
            continue  # a mistyped apostrophe
        out.append((i, ch))
    return out


def _first_mark_role(text: str, para: tuple[int, int]) -> str | None:
    """'open' if the paragraph starts with an opening mark, 'close' if its first quote
    mark closes, else None."""
    s, e = para
    ms = _marks(text, s, e)
    if not ms:
        return None
    i, ch = ms[0]
    if i == s and (ch in _D_OPEN or ch == '"'):
        return "open"
    if ch in _D_CLOSE or (ch == '"' and _close_shaped(text, i, s, e) and not _open_shaped(text, i, s, e)):
        return "close"
    return None


class _Open:
    __slots__ = ("pos", "mark", "level", "flags", "nested", "para_index", "content_start")

    def __init__(self, pos: int, mark: str, level: int, para_index: int, content_start: int) -> None:
        self.pos = pos
        self.mark = mark
        self.level = level
        self.flags: list[str] = []
        self.nested: list[QuoteSpan] = []
        self.para_index = para_index
        self.content_start = content_start


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_quotes(text: str, paras: Sequence[tuple[int, int]]) -> list[QuoteSpan]:
    """Top-level quoted passages (nested quotes inside ``nested``), in text order."""
    quotes: list[QuoteSpan] = []
    stack: list[_Open] = []

    def close(op: _Open, end_pos: int, close_mark: str, after: int, p_index: int, extra: Sequence[str] = ()) -> None:
        cs, ce = _trim(text, op.content_start, end_pos)
        q = QuoteSpan(op.pos, after, cs, ce, op.mark, close_mark, op.level, op.flags + list(extra), op.nested,
                      p_index - op.para_index + 1)
        if ce <= cs or not any(c.isalnum() for c in text[cs:ce]):
            return
        if stack:
            stack[-1].nested.append(q)
        else:
            quotes.append(q)

    for p_index, (ps, pe) in enumerate(paras):
        ms = _marks(text, ps, pe)
        k = 0
        if stack and ms and ms[0][0] == ps and (ms[0][1] in _D_OPEN or ms[0][1] == '"'):
            k = 1  # the reopening mark of a continued quote
            stack[0].flags.append("reopened_paragraph")
        while k < len(ms):
            i, ch = ms[k]
            k += 1
            top = stack[-1] if stack else None
            if ch in _D_OPEN:
                stack.append(_Open(i, ch, len(stack) + 1, p_index, i + 1))
            elif ch in _D_CLOSE or ch == '"':
                if ch == '"' and top is not None and top.mark in _D_OPEN:
                    # nested straight quote inside “…”: only when shaped like an opener
                    # and another straight mark follows before the curly close
                    if _open_shaped(text, i, ps, pe) and not _close_shaped(text, i, ps, pe):
                        later = [c for _, c in ms[k:] if c == '"' or c in _D_CLOSE]
                        if later and later[0] == '"':
                            stack.append(_Open(i, ch, len(stack) + 1, p_index, i + 1))
                            continue
                if ch == '"' and (top is None or all(o.mark in "‘'" for o in stack)):
                    if top is None and _close_shaped(text, i, ps, pe) and not _open_shaped(text, i, ps, pe):
                        continue  # a stray closing-shaped mark with nothing open
                    stack.append(_Open(i, ch, len(stack) + 1, p_index, i + 1))
                    continue
                if top is None:
                    # closing mark with nothing open: quote from the paragraph start
                    op = _Open(ps, "", 1, p_index, ps)
                    close(op, i, ch, i + 1, p_index, ("opening_mark_missing",))
                    continue
                # close single quotes left open inside, then the double quote
                while stack and stack[-1].mark in "‘'":
                    inner = stack.pop()
                    close(inner, i, "", i, p_index, ("closing_mark_missing",))
                if stack:
                    op = stack.pop()
                    close(op, i, ch, i + 1, p_index)
            elif ch in _S_OPEN:
                stack.append(_Open(i, ch, len(stack) + 1, p_index, i + 1))
            elif ch in _S_CLOSE:
                if top is not None and top.mark in "‘'":
                    stack.pop()
                    close(top, i, ch, i + 1, p_index)
            elif ch == "'":
                if top is not None and top.mark in "‘'" and _close_shaped(text, i, ps, pe):
                    stack.pop()
                    close(top, i, ch, i + 1, p_index)
                elif _open_shaped(text, i, ps, pe):
                    later = [j for j, c in ms[k:] if c == "'" and _close_shaped(text, j, ps, pe)]
                    if later:
                        stack.append(_Open(i, ch, len(stack) + 1, p_index, i + 1))
        if stack:
            nxt = paras[p_index + 1] if p_index + 1 < len(paras) else None
            role = _first_mark_role(text, nxt) if nxt is not None else None
            # single quotes never run over a paragraph break
            while stack and stack[-1].mark in "‘'":
                inner = stack.pop()
                close(inner, pe, "", pe, p_index, ("closing_mark_missing",))
            if stack and role is None:
                while stack:
                    op = stack.pop()
                    close(op, pe, "", pe, p_index, ("closing_mark_missing",))
            elif stack and role == "close":
                stack[0].flags.append("continues_without_reopening_mark")
    while stack:  # cannot happen (closed at the last paragraph), kept for safety
        op = stack.pop()
        close(op, len(text), "", len(text), len(paras) - 1, ("closing_mark_missing",))
    quotes.sort(key=lambda q: q.start)
    return quotes
