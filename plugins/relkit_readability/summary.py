"""Corpus summaries: distributions of every measure, pooled formulas, flag counts; by group."""

from __future__ import annotations

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
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for e in entries:
        for k in COUNT_KEYS:
            totals[k] += e["counts"].get(k, 0)
    # Spache's unique unfamiliar words are summed over documents (unique within each).
    return {"counts": totals, "formulas": compute_formulas(totals)}


def summarize(entries: Sequence[Mapping[str, Any]], *, reliable_only: bool) -> dict[str, Any]:
    """Distributions (with document ids at min/max), pooled formulas, flagged-document counts."""
    per_measure: dict[str, dict[str, float | None]] = {}
    for e in entries:
        reliable = e.get("reliable", {})
        for name, v in flat_measures(e).items():
            if reliable_only and reliable.get(name) is False:
                v = None
            per_measure.setdefault(name, {})[e["id"]] = v
    flagged = {m: sum(1 for e in entries if e.get("reliable", {}).get(m) is False) for m in FLAGGED_MEASURES}
    return {
        "documents": len(entries),
        "empty_documents": sum(1 for e in entries if e["counts"]["words"] == 0),
        "distributions": {name: distribution(vals) for name, vals in per_measure.items()},
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
