"""The ``readability`` analysis: every standard formula on relkit's counts, with evidence."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Callable, Iterator, Mapping, Sequence

from relkit import Analysis, Context, Corpus, Document, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from .batch import measure_documents
from .counts import COUNT_KEYS, Counts
from .formulas import FORMULA_KEYS, formula_values
from .reliability import flag_reasons, reliable_map
from .summary import flat_measures, summarize, summarize_groups

__all__ = ["ReadabilityAnalysis"]

_HARD_WORDS_PER_SENTENCE = 8


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


class ReadabilityAnalysis(Analysis):
    name = "readability"
    description = (
        "Flesch, Flesch–Kincaid, Gunning Fog, SMOG, Coleman–Liau, ARI, Dale–Chall, Linsear Write, "
        "Spache and a consensus grade on relkit's sentences and words, with intermediate counts, "
        "lexical diversity, reading time, the hardest sentences as evidence and reliability flags"
    )
    version = "1.0"
    # Peak bytes of the corpus step per packed per-document byte (runner scheduling hint):
    # 267 MB over 5.76 MB packed at 20,000 news texts, 66 over 1.44 at 5,000 (mem_rhetoric.py).
    # High because the per-document results are small lists of numbers and the entries,
    # hardest sentences included, are built in the corpus step.
    corpus_memory = 46.0
    parameters = (
        Parameter("group_by", "str", None, GROUP_BY_HELP, nullable=True),
        Parameter("hard_sentences", "int", 3, "how many of the hardest sentences (highest Flesch–Kincaid grade) to report per document", minimum=0, maximum=100),
        Parameter("min_words", "int", 100, "texts with fewer words get every formula flagged unreliable (the formulas were calibrated on 100-word samples)", minimum=1),
        Parameter("reading_wpm", "float", 238.0, "silent reading speed for the reading time, words per minute (238: Brysbaert 2019, English non-fiction)", minimum=1.0, maximum=2000.0),
        Parameter("mattr_window", "int", 50, "window of the moving-average type–token ratio, in words", minimum=2, maximum=10000),
        Parameter("mtld_threshold", "float", 0.72, "type–token ratio at which an MTLD factor closes (0.72: McCarthy & Jarvis 2010)", minimum=0.05, maximum=0.99),
        Parameter("exclude_headings", "bool", True, "leave out of the counts short lines without sentence punctuation (titles, section heads, captions)"),
        Parameter("reliable_only", "bool", False, "leave values flagged unreliable out of the corpus distributions"),
    )

    @classmethod
    def cache_token(cls, params: Any) -> str:
        # Per-document results are one flat list of numbers (since the second speed pass of
        # issue 4): results cached in an older shape must not be read.
        return "measures-list"

    # -- per document -----------------------------------------------------------------
    def analyze_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        """The measures of one document as one flat list, ``{"measures": [...]}``: the counts
        (``COUNT_KEYS`` order), the longest sentence's words, MATTR, MTLD, then the hardest
        sentences as offsets and counts (``_hard_sentences``).

        Everything else in the document's entry follows from these and the document —
        formulas, ratios, reading time, flags, the reliable map, the sentences' text — and is
        added by ``analyze_corpus`` (``complete``): the runner serialises, compresses and
        reads back every per-document result (and caches it), so it is kept to numbers.
        """
        return self.analyze_documents([doc], ctx)[0]

    def analyze_documents(self, docs: Sequence[Document], ctx: Context) -> list[dict[str, Any]]:
        """``analyze_document`` for a batch: numpy over all of the batch's words (``batch``)."""
        p = ctx.params
        return [{"measures": m} for m in measure_documents(
            docs, exclude_headings=p.exclude_headings, hard_sentences=p.hard_sentences,
            hard_words=_HARD_WORDS_PER_SENTENCE, mattr_window=p.mattr_window, mtld_threshold=p.mtld_threshold,
        )]

    def report_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        """One document's full entry, as in the report's ``documents`` (without its id)."""
        return complete(doc, self.analyze_document(doc, ctx), ctx.params)

    # -- per corpus -------------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        # Some 25 containers per document, kept and never cyclic: the cyclic collector's
        # passes meanwhile would find nothing, and its full passes rescan the whole heap
        # (the pronouncing dictionary, the corpus) a few times over: as much work as the
        # entries themselves at 20,000 texts. The runner makes collections rare for a run;
        # this holds them off in the corpus step whoever calls it.
        with _collector_paused():
            return self._analyze_corpus(corpus, ctx, documents)

    def _analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        pairs = _with_documents(corpus, documents or [])
        shared: dict[Any, Any] = {}
        columns = reliable_columns = None
        if all("measures" in e for _, e in pairs):
            # The normal case: the entries and, while each entry's values are at hand, the
            # summary's columns (read back from 20,000 entries spread over memory, they cost
            # as much as building them).
            kept: list[tuple[Any, ...]] = []
            build = _entry_builder(p, shared, kept.append)
            entries = [build(e["id"], doc, e["measures"]) for doc, e in pairs]
            if entries:
                columns, reliable_columns = _summary_columns(entries[0], [e["measures"] for _, e in pairs], kept)
        else:  # some entries given complete: the summary reads the entries
            entries = [{"id": e["id"], **complete(doc, e, p, shared)} for doc, e in pairs]
        summary = summarize(entries, reliable_only=p.reliable_only, columns=columns, reliable_columns=reliable_columns)
        out: dict[str, Any] = {"documents": entries, "summary": summary}
        if p.group_by:
            parse_group_by(p.group_by)  # a malformed unit raises a clear ValueError
            by_id = {e["id"]: e for e in entries}
            docs = [d for d in corpus if d.id in by_id]
            out["group_by"] = p.group_by
            out["groups"] = summarize_groups(docs, [by_id[d.id] for d in docs], p.group_by, reliable_only=p.reliable_only)
        words = columns["words"] if columns is not None else [e["counts"]["words"] for e in entries]
        short = [i for i, w in zip(map(itemgetter("id"), entries), words) if 0 < w < p.min_words]
        if short:
            ctx.warn(
                f"{len(short)} document(s) have fewer than {p.min_words} words; their readability formulas are "
                f"flagged unreliable (first: {', '.join(short[:3])})"
            )
        return out


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_documents(corpus: Corpus, documents: list[dict[str, Any]]) -> list[tuple[Document, dict[str, Any]]]:
    """Each per-document result with its document (results come in corpus order, some skipped)."""
    out = []
    docs = iter(corpus)
    for e in documents:
        for d in docs:
            if d.id == e["id"]:
                out.append((d, e))
                break
        else:
            raise ValueError(f"readability: document {e['id']!r} is not in the corpus")
    return out


_N_COUNTS = len(COUNT_KEYS)
_HEAD = _N_COUNTS + 3  # the counts, the longest sentence's words, MATTR, MTLD; then the hard sentences
# What the formulas, ratios and flags read from a measures list, by position (``COUNT_KEYS``
# decides the counts' order, so nothing here depends on it).
_READ = itemgetter(*(COUNT_KEYS.index(k) for k in (
    "words", "sentences", "syllables", "polysyllabic_words", "complex_words", "letters", "characters",
    "difficult_words", "spache_difficult_unique", "long_words", "unique_words", "numbers", "unknown_words",
)), _N_COUNTS, _N_COUNTS + 1, _N_COUNTS + 2)
_SPACHE = FORMULA_KEYS.index("spache")
RATIO_KEYS = (
    "words_per_sentence", "syllables_per_word", "letters_per_word", "characters_per_word",
    "percent_polysyllabic_words", "percent_complex_words", "percent_long_words", "percent_difficult_words",
    "longest_sentence_words",
)
_DIVERSITY_KEYS = ("ttr", "mattr", "mtld")
_READING_KEYS = ("seconds", "minutes", "words_per_minute")
# The summary's measures in ``flat_measures`` order: the order ``_entry_builder`` keeps them in.
_FLAG_LISTS = object()  # the key, in ``shared``, of the flag lists built so far
_COLUMN_NAMES = (*FORMULA_KEYS, *COUNT_KEYS, *RATIO_KEYS, *_DIVERSITY_KEYS, *(f"reading_time_{k}" for k in _READING_KEYS))


def measures_of(result: Mapping[str, Any]) -> dict[str, Any]:
    """The measures of a per-document result (``analyze_document``'s flat list) by name:
    formulas, counts, ratios, lexical diversity, as in the report entry."""
    return _entry_builder(None, {}, None, measures_only=True)(None, None, result["measures"])


def complete(doc: Document, result: Mapping[str, Any], p: Any, shared: dict[Any, Any] | None = None) -> dict[str, Any]:
    """A document's report entry from its per-document result (``analyze_document``'s).

    ``shared``: a dict kept over the entries of one corpus, through which equal flag lists,
    reliable maps, reading times and hard-word texts are one object each (the corpus part
    holds every entry at once; the JSON is the same). Entries are read, never changed.
    """
    if "measures" not in result:  # already complete
        return {k: v for k, v in result.items() if k != "id"}
    entry = _entry_builder(p, {} if shared is None else shared, None)(None, doc, result["measures"])
    del entry["id"]
    return entry


def _entry_builder(
    p: Any, shared: dict[Any, Any], keep: Callable[[tuple[Any, ...]], None] | None, *, measures_only: bool = False
) -> Callable[[Any, Document | None, list[Any]], dict[str, Any]]:
    """``build(id, doc, measures)``: a document's report entry (``id`` first) from its measures
    list, every section a dict literal or one ``dict(zip(...))`` (this runs for every document
    of a corpus). Through ``shared``, equal flag lists, reliable maps, reading times and
    hard-word texts are one object each. ``keep`` receives each entry's formulas, ratios,
    type–token ratio, reading time and reliable map (``_summary_columns``)."""
    if not measures_only:
        min_words, mattr_window, wpm = p.min_words, p.mattr_window, p.reading_wpm
    get = shared.get
    flag_lists = shared.setdefault(_FLAG_LISTS, {})  # flag pairs -> (flag list, reliable map)

    def build(entry_id: Any, doc: Document | None, v: list[Any]) -> dict[str, Any]:
        (words, sentences, syllables, poly, complex_words, letters, characters, difficult, spache_unique,
         long_words, unique, numbers, unknown, longest, mattr_value, mtld_value) = _READ(v)
        formulas = formula_values(words, sentences, syllables, poly, complex_words, letters, characters, difficult,
                                  spache_unique)
        # As _ratio(a, b): a / b, None when b is 0.
        if words:
            ratios = (
                words / sentences if sentences else None, syllables / words, letters / words, characters / words,
                100.0 * poly / words, 100.0 * complex_words / words, 100.0 * long_words / words,
                100.0 * difficult / words, longest,
            )
            ttr = unique / words
        else:
            ratios = (words / sentences if sentences else None, None, None, None, None, None, None, None, longest)
            ttr = None
        formulas_dict = dict(zip(FORMULA_KEYS, formulas))
        counts = dict(zip(COUNT_KEYS, v))
        ratios_dict = dict(zip(RATIO_KEYS, ratios))
        diversity = {"ttr": ttr, "mattr": mattr_value, "mtld": mtld_value}
        if measures_only:
            return {"formulas": formulas_dict, "counts": counts, "ratios": ratios_dict, "lexical_diversity": diversity}
        pairs = flag_reasons(words, sentences, numbers, unknown, longest, formulas[_SPACHE], mtld_value,
                             min_words=min_words, mattr_window=mattr_window)
        known = flag_lists.get(pairs)
        if known is None:  # each flag dict, each list of them and each reliable map, once
            flags = [shared.setdefault(("flag", *k), {"formula": k[0], "reliable": False, "reason": k[1]}) for k in pairs]
            key = ("reliable", *(formula for formula, _ in pairs))  # the map depends on the names only
            reliable = get(key)
            if reliable is None:
                reliable = shared[key] = reliable_map(flags)
            known = flag_lists[pairs] = (flags, reliable)
        flags, reliable = known
        reading = get(words)
        if reading is None:
            seconds = 60.0 * words / wpm
            reading = shared[words] = {"seconds": seconds, "minutes": seconds / 60.0, "words_per_minute": wpm}
        if keep is not None:
            keep((formulas, ratios, ttr, reading, reliable))
        return {
            "id": entry_id,
            "formulas": formulas_dict,
            "counts": counts,
            "ratios": ratios_dict,
            "lexical_diversity": diversity,
            "reading_time": reading,
            "reliable": reliable,
            "flags": flags,
            "hard_sentences": _evidence_spans(doc, v[_HEAD:], shared) if len(v) > _HEAD else [],
        }

    return build


def _summary_columns(
    first: Mapping[str, Any], measures: list[list[Any]], kept: list[tuple[Any, ...]]
) -> tuple[dict[str, list[Any]] | None, dict[str, list[Any]] | None]:
    """The summary's columns (``summarize``'s ``columns`` and ``reliable_columns``) from the
    measures lists and what ``_entry_builder`` kept, transposed section by section."""
    if list(flat_measures(first)) != list(_COLUMN_NAMES):  # a value of another type: the summary reads the entries
        return None, None
    formulas, ratios, ttr, reading, reliable = zip(*kept)
    head = zip(*map(itemgetter(slice(0, _HEAD)), measures))
    cols = [*zip(*formulas), *head]
    del cols[len(FORMULA_KEYS) + _N_COUNTS :]  # longest, MATTR and MTLD: among the ratios and diversity below
    cols += zip(*ratios)
    cols += (ttr, *(map(itemgetter(k), measures) for k in (_N_COUNTS + 1, _N_COUNTS + 2)))
    cols += (map(itemgetter(k), reading) for k in _READING_KEYS)
    columns = dict(zip(_COLUMN_NAMES, map(list, cols)))
    return columns, {m: list(map(itemgetter(m), reliable)) for m in first["reliable"]}


def _sentence_grade(words: int, syllables: int) -> float:
    # Flesch–Kincaid grade of one sentence (its words per sentence is its length).
    return 0.39 * words + 11.8 * syllables / words - 15.59


def _hard_sentences(c: Counts, k: int) -> list[int]:
    """The ``k`` hardest sentences as a flat list of integers, per sentence: start, end,
    index, words, syllables, polysyllabic, difficult and long words, the number of hard
    words, then start, end and syllables of each hard word (see ``_evidence_spans``)."""
    if k <= 0 or not c.sentences:
        return []
    ranked = sorted(
        c.sentences, key=lambda s: (-_sentence_grade(s.words, s.syllables), -s.words, s.start)
    )[:k]
    out: list[int] = []
    for s in ranked:
        hard = sorted(sorted(s.hard_words, key=lambda h: (-h[2], h[0]))[:_HARD_WORDS_PER_SENTENCE])
        out += (s.start, s.end, s.index, s.words, s.syllables, s.polysyllabic_words, s.difficult_words,
                s.long_words, len(hard))
        for h in hard:
            out += h
    return out


def _evidence_spans(doc: Document, flat: list[int], shared: dict[Any, Any]) -> list[dict[str, Any]]:
    """The hardest sentences as evidence spans, as ``doc.span`` makes them (``text`` is
    ``doc.text[start:end]``; the span is checked to lie in the document), built directly."""
    text = doc.text
    size = len(text)
    one = shared.setdefault
    out = []
    i, n_flat = 0, len(flat)
    while i < n_flat:
        start, end, index, words, syllables, poly, difficult, long_words, n = flat[i : i + 9]
        if not 0 <= start <= end <= size:
            raise ValueError(f"span {start}:{end} outside document {doc.id!r} of length {size}")
        j, i = i + 9, i + 9 + 3 * n
        out.append({
            "start": start,
            "end": end,
            "text": text[start:end],
            "sentence": index,
            "grade": _sentence_grade(words, syllables),
            "words": words,
            "syllables": syllables,
            "polysyllabic_words": poly,
            "difficult_words": difficult,
            "long_words": long_words,
            # The hard words lie inside the sentence, checked above.
            "hard_words": [
                {"start": a, "end": b, "text": one(w := text[a:b], w), "syllables": syl}
                for a, b, syl in zip(hard, hard, hard)
            ] if (hard := iter(flat[j:i])) else [],
        })
    return out
