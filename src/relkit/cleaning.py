"""Metadata extraction and scraped-artefact removal, with a log of every step.

Cleaning never rewrites the text: it decides which spans of the original to set
aside.  The analyses see the kept regions, so every offset they report still points
into the original text, and every removed character is accounted for in the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["CleaningStep", "CleanResult", "clean"]


@dataclass(frozen=True)
class CleaningStep:
    """One thing cleaning did: removed ``text[start:end]`` and/or read a metadata field."""

    step: str
    start: int
    end: int
    text: str
    removed: bool
    field: str | None = None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"step": self.step, "start": self.start, "end": self.end, "text": self.text, "removed": self.removed}
        if self.field is not None:
            d["field"] = self.field
            d["value"] = self.value
        return d


@dataclass
class CleanResult:
    regions: list[tuple[int, int]]
    steps: list[CleaningStep]
    metadata: dict[str, Any] = field(default_factory=dict)


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}
for _m, _i in list(_MONTHS.items()):
    _MONTHS[_m[:3]] = _i
_MONTHS["sept"] = 9

_DATE_LINE = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
_FONT_WIDGET = re.compile(r"\+[ \t]*↺[ \t]*[−\-–][ \t]*\d+[ \t]*px[ \t]*")
_BYLINE = re.compile(r"[ \t]*By[ \t]+([A-Z][\w.&'-]*(?:[ \t]+[A-Z][\w.&'-]*){0,3})[ \t]*(?=\n|\Z)")
_DATELINE = re.compile(
    r"[ \t]*(?P<place>[A-Z][A-Za-z.'\- ]{1,30}?),[ \t]+"
    r"(?P<date>\d{1,2}[ \t]+[A-Z][a-z]+\.?[ \t]+\d{4}|[A-Z][a-z]+\.?[ \t]+\d{1,2},?[ \t]+\d{4}|[A-Z][a-z]+\.?[ \t]+\d{1,2})"
    r"[ \t]*(?:\((?P<source>[^()\n]{1,40})\))?[ \t]*(?:[:—–]|-{1,2})[ \t]*"
)
_PROMO_LINE = re.compile(
    r"^[ \t]*(?:Follow us on\b|Also Read:|Read also:|Read more:|Related:|Related articles?:|Subscribe to\b|"
    r"Sign up for\b|Click here\b|Share this\b|Share on\b|Advertisement$)[^\n]*",
    re.IGNORECASE | re.MULTILINE,
)
_SEPARATOR_LINE = re.compile(r"^[ \t]*[-–—=_*~•#]{3,}[ \t]*$", re.MULTILINE)
_DOMAIN = re.compile(r"^[A-Z][\w-]*(?:\.[A-Za-z]{2,})+$")
_SOURCE_CUES = [  # (pattern, a substring every match contains, a literal every match contains when it does not start with it)
    (re.compile(r"\b(?P<src>[A-Z][\w-]*\.[A-Z][a-z]{1,5}|[A-Z]{3,}(?:[ -][A-Z]{2,})?)[ \t]+reports?\b"), " report", "report"),
    (re.compile(r"\bAccording to (?P<src>[A-Z]{3,}|[A-Z][\w-]*\.[A-Z][a-z]{1,5})\b"), "According to ", None),
    (re.compile(r"\btold (?P<src>[A-Z]{3,}|[A-Z][\w-]*\.[A-Z][a-z]{1,5}|Trend|Reuters|Interfax)\b"), "told ", None),
]
_PROMO_HINTS = ("follow us", "read", "related", "subscribe", "sign up", "click here", "share ", "advertisement")
# Spans tested without copying the text: leading white space of a span, any non-space in it.
_LEADING_SPACE = re.compile(r"\s*")
_NONSPACE = re.compile(r"\S")
_LEADING_BLANK = re.compile(r"[\n\r \t]*")


def _parse_date(s: str) -> str | None:
    s = s.replace(",", " ").replace(".", " ")
    parts = s.split()
    try:
        if len(parts) == 3 and parts[0].isdigit():
            day, month, year = int(parts[0]), _MONTHS[parts[1].lower()], int(parts[2])
        elif len(parts) == 3:
            month, day, year = _MONTHS[parts[0].lower()], int(parts[1]), int(parts[2])
        else:
            return None
        return datetime(year, month, day).date().isoformat()
    except (KeyError, ValueError):
        return None


def _last_line(text: str) -> tuple[int, int] | None:
    end = len(text)
    while end and text[end - 1].isspace():  # rstrip() without copying the text
        end -= 1
    if end == 0:
        return None
    start = text.rfind("\n", 0, end) + 1
    return start, end


def _search_lines(rx: re.Pattern[str], text: str, inner: str) -> re.Match[str] | None:
    """``rx.search(text)`` for a pattern whose matches never span a newline and contain ``inner``.

    Only the lines holding ``inner`` are searched, in order: a pattern that opens with a
    character class is otherwise tried at every position of a long text.  ``\b`` at a
    line's edges sees the newline beyond it either way, so the match is the same.
    """
    i = text.find(inner)
    while i != -1:
        lo = text.rfind("\n", 0, i) + 1
        hi = text.find("\n", i)
        hi = len(text) if hi == -1 else hi
        mm = rx.search(text, lo, hi)
        if mm:
            return mm
        i = text.find(inner, hi)
    return None


def clean(text: str) -> CleanResult:
    """Find artefacts and metadata in ``text``; return the regions to keep and the log."""
    steps: list[CleaningStep] = []
    meta: dict[str, Any] = {}

    def remove(step: str, start: int, end: int, fld: str | None = None, value: Any = None) -> None:
        steps.append(CleaningStep(step, start, end, text[start:end], True, fld, value))
        if fld is not None and value is not None:
            meta.setdefault(fld, value)

    def note(step: str, start: int, end: int, fld: str, value: Any) -> None:
        steps.append(CleaningStep(step, start, end, text[start:end], False, fld, value))
        meta.setdefault(fld, value)

    pos = 0
    m = _DATE_LINE.match(text)
    if m:
        remove("date_line", m.start(), m.end(), "date", m.group(1))
        pos = m.end()
    w = _FONT_WIDGET.match(text, pos)
    if w:
        remove("font_size_widget", w.start(), w.end())
        pos = w.end()
    b = _BYLINE.match(text, pos)
    if b:
        remove("byline", b.start(), b.end(), "source", b.group(1))
        pos = b.end()
    # The dateline opens the first paragraph: skip the newlines that follow a date line.
    first_para = _LEADING_BLANK.match(text, pos).end()  # type: ignore[union-attr]
    d = _DATELINE.match(text, first_para)
    if d:
        date = _parse_date(d.group("date"))
        if d.group("source") or date or d.group("place").isupper():  # "WASHINGTON, March 3 -" wire style
            remove("dateline", d.start(), d.end(), "place", d.group("place").strip())
            if date:
                meta.setdefault("date", date)
            if d.group("source"):
                meta.setdefault("source", d.group("source").strip())

    # Cheap substring tests first: most texts have none of these, and scanning a whole
    # text with each pattern is what made cleaning slow on large corpora.
    low = text.lower()
    checks = (
        (_FONT_WIDGET, "font_size_widget", "↺" in text),
        (_PROMO_LINE, "promo_line", any(k in low for k in _PROMO_HINTS)),
        (_SEPARATOR_LINE, "separator_line", any(c * 3 in text for c in "-–—=_*~•#")),
    )
    for rx, name, worth_it in checks:
        if not worth_it:
            continue
        for mm in rx.finditer(text, pos):
            if mm.end() > mm.start():
                remove(name, mm.start(), mm.end())

    # A short final line that names an outlet ("News.Az") is a byline, not content.
    ll = _last_line(text)
    if ll:
        s, e = ll
        line = text[s:e].strip()
        covered = any(st.start <= s and e <= st.end for st in steps if st.removed)
        if not covered and line and len(line) <= 40 and len(line.split()) <= 3 and line[-1] not in ".!?\"”’:" and (
            _DOMAIN.match(line) or line == meta.get("source")
        ):
            lead = len(text[s:e]) - len(text[s:e].lstrip())
            remove("trailing_byline", s + lead, e, "source", line)

    for rx, hint, inner in _SOURCE_CUES:
        if "source" in meta:
            break
        if hint not in text:
            continue
        mm = _search_lines(rx, text, inner) if inner else rx.search(text)
        if mm:
            note("source_cue", mm.start("src"), mm.end("src"), "source", mm.group("src"))

    removed = sorted((st.start, st.end) for st in steps if st.removed)
    regions: list[tuple[int, int]] = []
    cursor = 0
    for s, e in removed:
        if s > cursor:
            regions.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < len(text):
        regions.append((cursor, len(text)))
    # Regions of only whitespace carry nothing and would make empty sentences.
    regions = [(s, e) for s, e in regions if _NONSPACE.search(text, s, e)]

    if regions and "title" not in meta:
        s, e = regions[0]
        lead = _LEADING_SPACE.match(text, s, e).end() - s  # type: ignore[union-attr]
        nl = text.find("\n", s + lead, e)
        if nl != -1 and _NONSPACE.search(text, nl, e):
            first = text[s + lead : nl].strip()
            if 0 < len(first) <= 150 and first[-1] not in ".!?:,;\"”’" and len(first.split()) >= 2:
                note("title", s + lead, s + lead + len(first), "title", first)

    steps.sort(key=lambda st: (st.start, st.end, st.step))
    return CleanResult(regions, steps, meta)
