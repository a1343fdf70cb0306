"""Corpus summaries: distributions of every measure, pooled formulas, flag counts; by group."""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter, is_, itemgetter, methodcaller
from typing import Any, Iterable, Mapping, Sequence

from relkit.grouping import group_documents
from relkit.stats import distribution, distribution_of

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


def _pooled(entries: Sequence[Mapping[str, Any]], columns: Mapping[str, list[Any]]) -> dict[str, Any]:
    if all(type(k) is str and k in columns for k in COUNT_KEYS) and all(
        set(map(type, columns[k])) <= {int} for k in COUNT_KEYS
    ):  # every entry has every count (the normal case)
        totals = {k: sum(columns[k]) for k in COUNT_KEYS}
    else:
        counts = [e["counts"] for e in entries]
        totals = {k: sum(map(methodcaller("get", k, 0), counts)) for k in COUNT_KEYS}
    # Spache's unique unfamiliar words are summed over documents (unique within each).
    return {"counts": totals, "formulas": compute_formulas(totals)}


def _columns(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Per measure, its value in each entry (in entry order), measures named as ``flat_measures``."""
    if not entries:
        return {}
    try:
        return _uniform_columns(entries)
    except (_Mixed, KeyError, TypeError):
        pass
    # Entries of different shapes: measure by measure, as flat_measures sees each entry.
    per_measure: dict[str, list[Any]] = {}
    n = len(entries)
    for i, e in enumerate(entries):
        for name, v in flat_measures(e).items():
            per_measure.setdefault(name, [_ABSENT] * n)[i] = v
    return per_measure


class _Mixed(Exception):
    pass


def _uniform_columns(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The columns when every entry has the first one's keys, all numeric (the normal case:
    every entry is built by the same code); raises otherwise. Column by column through
    map, not a Python step per entry and measure."""
    first = entries[0]
    sections: dict[str, list[Any]] = {}
    n_keys = 0
    for sec in MEASURE_SECTIONS:
        col = list(map(methodcaller("get", sec), entries))
        ref = first.get(sec)
        if not ref:
            if any(col):
                raise _Mixed
            continue
        if set(map(len, col)) != {len(ref)}:  # same size, and (below) every key of the first: same keys
            raise _Mixed
        sections[sec] = col
        n_keys += len(ref)
    names = flat_measures(first)
    if len(names) != n_keys:  # a non-numeric value in the first entry: let flat_measures decide
        raise _Mixed
    out: dict[str, list[Any]] = {}
    for name in names:
        section, key = _SECTION_OF.get(name) or _locate(first, name)
        col = list(map(itemgetter(key), sections[section]))
        if not set(map(type, col)) <= _NUMERIC_TYPES:
            raise _Mixed
        out[name] = col
    return out


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


def summarize(
    entries: Sequence[Mapping[str, Any]], *, reliable_only: bool, columns: Mapping[str, list[Any]] | None = None,
    reliable_columns: Mapping[str, list[bool]] | None = None,
) -> dict[str, Any]:
    """Distributions (with document ids at min/max), pooled formulas, flagged-document counts.

    ``columns`` / ``reliable_columns``: the entries' measures (as ``flat_measures`` names
    them) and reliable maps column by column (every entry's map with the same keys), when
    the caller has them already; read from the entries otherwise. On a large corpus the
    entries are spread over memory, and reading them back was most of the summary's time.
    """
    ids = list(map(itemgetter("id"), entries))
    # Only columns read from entries of different shapes can lack a value (_ABSENT); the
    # scan for it costs a comparison per value.
    absent = columns is None
    if columns is None:
        columns = _columns(entries)
    if reliable_columns is None:
        reliable = [e.get("reliable", {}) for e in entries]
    distinct_ids = len(set(ids)) == len(ids)
    distributions = {}
    for name, col in columns.items():
        if reliable_only:
            if reliable_columns is None:
                col = [None if r.get(name) is False else v for v, r in zip(col, reliable)]
            elif name in reliable_columns:  # a measure no map names is never flagged
                col = [None if r is False else v for v, r in zip(col, reliable_columns[name])]
        if absent and _ABSENT in col:
            distributions[name] = distribution({i: v for i, v in zip(ids, col) if v is not _ABSENT})
        elif distinct_ids:
            distributions[name] = distribution_of(ids, col)
        else:  # a repeated id keeps its last value, as in a dict by id
            distributions[name] = distribution(dict(zip(ids, col)))
    if reliable_columns is None:
        flagged = {m: sum(map(is_, map(methodcaller("get", m), reliable), repeat(False))) for m in FLAGGED_MEASURES}
    else:
        flagged = {m: reliable_columns[m].count(False) if m in reliable_columns else 0 for m in FLAGGED_MEASURES}
    words = columns.get("words") if not absent else None
    if words is None:
        words = [e["counts"]["words"] for e in entries]
    return {
        "documents": len(entries),
        "empty_documents": words.count(0),
        "distributions": distributions,
        "pooled": _pooled(entries, columns),
        "unreliable_documents": flagged,
    }


class _Doc:
    __slots__ = ("metadata", "entry", "row")

    def __init__(self, metadata: Mapping[str, Any], entry: Mapping[str, Any], row: int) -> None:
        self.metadata = metadata
        self.entry = entry
        self.row = row


def summarize_groups(
    docs: Iterable[Any], entries: Sequence[Mapping[str, Any]], group_by: str, *, reliable_only: bool,
    columns: Mapping[str, list[Any]] | None = None, reliable_columns: Mapping[str, list[bool]] | None = None,
    rows: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The same summary for each group of documents (``relkit.grouping`` semantics).

    ``columns`` / ``reliable_columns`` (as ``summarize`` takes them) with ``rows``, the row
    of each entry in them: each group's summary reads its rows of the columns, not its
    entries."""
    wrapped = [_Doc(d.metadata, e, i) for d, e, i in zip(docs, entries, range(len(entries)) if rows is None else rows)]
    groups = group_documents(wrapped, group_by)
    out = {}
    for key, members in groups.items():
        group_entries = [w.entry for w in members]
        if columns is None or rows is None:
            out[key] = summarize(group_entries, reliable_only=reliable_only)
            continue
        take = list(map(attrgetter("row"), members))

        def part(col: list[Any]) -> list[Any]:
            return list(map(col.__getitem__, take))

        out[key] = summarize(
            group_entries, reliable_only=reliable_only, columns={k: part(c) for k, c in columns.items()},
            reliable_columns=None if reliable_columns is None else {k: part(c) for k, c in reliable_columns.items()},
        )
    return out
