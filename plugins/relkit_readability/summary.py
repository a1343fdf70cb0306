"""Corpus summaries: distributions of every measure, pooled formulas, flag counts; by group."""

from __future__ import annotations

from itertools import repeat
from operator import is_, itemgetter, methodcaller
from typing import Any, Iterable, Mapping, Sequence

from relkit.grouping import group_documents
from relkit.stats import distribution

from .counts import COUNT_KEYS
from .formulas import compute_formulas
from .reliability import FLAGGED_MEASURES

__all__ = ["flat_measures", "summarize", "summarize_groups", "MEASURE_SECTIONS"]

MEASURE_SECTIONS = ("formulas", "counts", "ratios", "lexical_diversity", "reading_time")


def flat_measures(entry: Mapping[str, Any]) -> dict[str, float | None]:
    """Every numeric measure of one document result, by its (unique) name."""
    out: dict[str, float | None] = {}
    for section in MEASURE_SECTIONS:
        for k, v in (entry.get(section) or {}).items():
            if v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
                name = f"reading_time_{k}" if section == "reading_time" else k
                out[name] = v
    return out


def _pooled(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    counts = [e["counts"] for e in entries]
    totals = {k: sum(map(methodcaller("get", k, 0), counts)) for k in COUNT_KEYS}
    # Spache's unique unfamiliar words are summed over documents (unique within each).
    return {"counts": totals, "formulas": compute_formulas(totals)}


def _columns(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[float | None]]:
    """Per measure, its value in each entry (in entry order), measures named as ``flat_measures``."""
    layouts: dict[tuple, None] = {}
    for e in entries:  # normally one layout: every entry is built by the same code
        layouts.setdefault(tuple((sec, tuple(e.get(sec) or ())) for sec in MEASURE_SECTIONS), None)
    if len(layouts) == 1:
        first = entries[0]
        sections = {sec: [e.get(sec) for e in entries] for sec in MEASURE_SECTIONS if first.get(sec)}
        out: dict[str, list[float | None]] = {}
        for name in flat_measures(first):
            section, key = _SECTION_OF.get(name) or _locate(first, name)
            col = list(map(itemgetter(key), sections[section]))
            if set(map(type, col)) <= _NUMERIC_TYPES:
                out[name] = col
            else:
                break
        else:
            return out
    # Mixed shapes: measure by measure, as flat_measures sees each entry.
    per_measure: dict[str, list[float | None]] = {}
    n = len(entries)
    for i, e in enumerate(entries):
        for name, v in flat_measures(e).items():
            per_measure.setdefault(name, [_ABSENT] * n)[i] = v
    return per_measure


_NUMERIC_TYPES = frozenset({int, float, type(None)})  # what flat_measures keeps (not bool)
_ABSENT = object()  # a measure an entry does not have (left out of its distribution)
_SECTION_OF: dict[str, tuple[str, str]] = {}


def _locate(entry: Mapping[str, Any], name: str) -> tuple[str, str]:
    for section in MEASURE_SECTIONS:
        for k in entry.get(section) or ():
            if (f"reading_time_{k}" if section == "reading_time" else k) == name:
                _SECTION_OF[name] = (section, k)
                return section, k
    raise KeyError(name)


def summarize(entries: Sequence[Mapping[str, Any]], *, reliable_only: bool) -> dict[str, Any]:
    """Distributions (with document ids at min/max), pooled formulas, flagged-document counts."""
    ids = [e["id"] for e in entries]
    reliable = [e.get("reliable", {}) for e in entries]
    distributions = {}
    for name, col in _columns(entries).items():
        if reliable_only:
            col = [None if r.get(name) is False else v for v, r in zip(col, reliable)]
        if _ABSENT in col:
            values = {i: v for i, v in zip(ids, col) if v is not _ABSENT}
        else:
            values = dict(zip(ids, col))
        distributions[name] = distribution(values)
    flagged = {m: sum(map(is_, map(methodcaller("get", m), reliable), repeat(False))) for m in FLAGGED_MEASURES}
    return {
        "documents": len(entries),
        "empty_documents": sum(1 for e in entries if e["counts"]["words"] == 0),
        "distributions": distributions,
        "pooled": _pooled(entries),
        "unreliable_documents": flagged,
    }


class _Doc:
    __slots__ = ("metadata", "entry")

    def __init__(self, metadata: Mapping[str, Any], entry: Mapping[str, Any]) -> None:
        self.metadata = metadata
        self.entry = entry


def summarize_groups(
    docs: Iterable[Any], entries: Sequence[Mapping[str, Any]], group_by: str, *, reliable_only: bool
) -> dict[str, Any]:
    """The same summary for each group of documents (``relkit.grouping`` semantics)."""
    wrapped = [_Doc(d.metadata, e) for d, e in zip(docs, entries)]
    groups = group_documents(wrapped, group_by)
    return {key: summarize([w.entry for w in members], reliable_only=reliable_only) for key, members in groups.items()}
