"""The ``readability`` analysis: every standard formula on relkit's counts, with evidence."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from itertools import compress, repeat
from operator import itemgetter, mul, truediv
from typing import Any, Iterator, Mapping, Sequence

from relkit import Analysis, Context, Corpus, Document, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from .batch import measure_documents
from .counts import COUNT_KEYS
from .formulas import FORMULA_KEYS, _spread, formula_columns
from .reliability import flag_reasons, reliable_map
from .summary import flat_measures, summarize, summarize_groups

__all__ = ["ReadabilityAnalysis"]

_HARD_WORDS_PER_SENTENCE = 8


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
        sentences as offsets and counts (``counts.hard_sentences``).

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
        # Half a million new containers at 20,000 texts (a tracked seven per document),
        # kept and never cyclic: collections meanwhile find nothing, and the full ones
        # rescan the whole heap (the pronouncing dictionary, the corpus): 0.6-0.9 CPU s
        # with Python's default thresholds, which the runner raises for a run but other
        # callers keep. Held off, the entries cost one young-generation pass (~0.15 s)
        # when the collector comes back.
        with _collector_paused():
            return self._analyze_corpus(corpus, ctx, documents)

    def _analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        pairs = _with_documents(corpus, documents or [])
        shared: dict[Any, Any] = {}
        columns = reliable_columns = None
        if all("measures" in e for _, e in pairs):  # the normal case
            entries, columns, reliable_columns = _corpus_entries(pairs, p, shared)
        else:  # some entries given complete: the summary reads the entries
            entries = [{"id": e["id"], **complete(doc, e, p, shared)} for doc, e in pairs]
        summary = summarize(entries, reliable_only=p.reliable_only, columns=columns, reliable_columns=reliable_columns)
        out: dict[str, Any] = {"documents": entries, "summary": summary}
        if p.group_by:
            parse_group_by(p.group_by)  # a malformed unit raises a clear ValueError
            row_of = {e["id"]: i for i, e in enumerate(entries)}  # a repeated id: its last entry
            docs = [d for d in corpus if d.id in row_of]
            rows = [row_of[d.id] for d in docs]
            out["group_by"] = p.group_by
            out["groups"] = summarize_groups(docs, [entries[i] for i in rows], p.group_by, reliable_only=p.reliable_only,
                                             columns=columns, reliable_columns=reliable_columns, rows=rows)
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
_SPACHE = FORMULA_KEYS.index("spache")
RATIO_KEYS = (
    "words_per_sentence", "syllables_per_word", "letters_per_word", "characters_per_word",
    "percent_polysyllabic_words", "percent_complex_words", "percent_long_words", "percent_difficult_words",
    "longest_sentence_words",
)
_DIVERSITY_KEYS = ("ttr", "mattr", "mtld")
_READING_KEYS = ("seconds", "minutes", "words_per_minute")
_FLAG_LISTS = object()  # the key, in ``shared``, of the flag lists built so far
# The summary's measures in ``flat_measures`` order (the entries' sections in order).
_COLUMN_NAMES = (*FORMULA_KEYS, *COUNT_KEYS, *RATIO_KEYS, *_DIVERSITY_KEYS, *(f"reading_time_{k}" for k in _READING_KEYS))


def complete(doc: Document, result: Mapping[str, Any], p: Any, shared: dict[Any, Any] | None = None) -> dict[str, Any]:
    """A document's report entry from its per-document result (``analyze_document``'s).

    ``shared``: a dict kept over the entries of one corpus, through which equal flag lists,
    reliable maps, reading times and hard-word texts are one object each (the corpus part
    holds every entry at once; the JSON is the same). Entries are read, never changed.
    """
    if "measures" not in result:  # already complete
        return {k: v for k, v in result.items() if k != "id"}
    (entry,), _, _ = _corpus_entries([(doc, {"id": None, "measures": result["measures"]})], p,
                                     {} if shared is None else shared)
    del entry["id"]
    return entry


def _corpus_entries(
    pairs: list[tuple[Document, dict[str, Any]]], p: Any, shared: dict[Any, Any]
) -> tuple[list[dict[str, Any]], dict[str, list[Any]] | None, dict[str, list[Any]] | None]:
    """The entries of every document (as ``complete`` makes them, ``id`` first) and the
    summary's ``columns`` and ``reliable_columns``.

    Formulas and ratios are computed column by column (``formula_columns``): the same
    floats as ``compute_formulas`` and ``a / b if b else None``, made one measure after another, so that each column's
    values lie together in memory when the summary sorts and sums them (made document by
    document, between each document's dicts, they are scattered, and the summary took
    half as long again). Then one pass builds each document's dicts.
    """
    measures = [e["measures"] for _, e in pairs]
    head = [list(c) for c in zip(*map(itemgetter(slice(0, _HEAD)), measures))]  # counts, longest, MATTR, MTLD
    if not head:
        return [], None, None
    col = dict(zip((*COUNT_KEYS, "longest", "mattr", "mtld"), head))
    W, S = col["words"], col["sentences"]
    formulas = formula_columns(W, S, col["syllables"], col["polysyllabic_words"], col["complex_words"],
                               col["letters"], col["characters"], col["difficult_words"], col["spache_difficult_unique"])
    # a / b, None when b is 0 (as every ratio of the entry).
    wps = [w / s if s else None for w, s in zip(W, S)]
    some = list(map(bool, W))
    all_words = all(some)
    Wp = W if all_words else list(compress(W, some))

    def per_word(name: str, percent: bool = False) -> list[float | None]:
        c = col[name] if all_words else list(compress(col[name], some))
        out = list(map(truediv, map(mul, repeat(100.0), c), Wp) if percent else map(truediv, c, Wp))
        return out if all_words else _spread(out, some)

    ratios = [
        wps, per_word("syllables"), per_word("letters"), per_word("characters"),
        per_word("polysyllabic_words", True), per_word("complex_words", True), per_word("long_words", True),
        per_word("difficult_words", True), col["longest"],
    ]
    ttr = per_word("unique_words")
    min_words, mattr_window, wpm = p.min_words, p.mattr_window, p.reading_wpm
    get = shared.get
    flag_lists = shared.setdefault(_FLAG_LISTS, {})  # flag pairs -> (flag list, reliable map)
    entries = []
    readings = []
    reliables = []
    for (doc, e), v, f, r, t, words, sentences, numbers, unknown, longest, mtld_value, spache in zip(
        pairs, measures, zip(*formulas), zip(*ratios), ttr, W, S, col["numbers"], col["unknown_words"],
        col["longest"], col["mtld"], formulas[_SPACHE],
    ):
        reasons = flag_reasons(words, sentences, numbers, unknown, longest, spache, mtld_value,
                               min_words=min_words, mattr_window=mattr_window)
        known = flag_lists.get(reasons)
        if known is None:
            known = _flag_list(reasons, shared)
        flags, reliable = known
        reading = get(words)
        if reading is None:
            seconds = 60.0 * words / wpm
            reading = shared[words] = {"seconds": seconds, "minutes": seconds / 60.0, "words_per_minute": wpm}
        readings.append(reading)
        reliables.append(reliable)
        entries.append({
            "id": e["id"],
            "formulas": dict(zip(FORMULA_KEYS, f)),
            "counts": dict(zip(COUNT_KEYS, v)),
            "ratios": dict(zip(RATIO_KEYS, r)),
            "lexical_diversity": {"ttr": t, "mattr": v[_N_COUNTS + 1], "mtld": mtld_value},
            "reading_time": reading,
            "reliable": reliable,
            "flags": flags,
            "hard_sentences": _evidence_spans(doc, v, shared, _HEAD) if len(v) > _HEAD else [],
        })
    if list(flat_measures(entries[0])) != list(_COLUMN_NAMES):  # a value of another type: the summary reads the entries
        return entries, None, None
    cols = [*formulas, *head[:_N_COUNTS], *ratios, ttr, col["mattr"], col["mtld"],
            *(list(map(itemgetter(k), readings)) for k in _READING_KEYS)]
    reliable_columns = {m: list(map(itemgetter(m), reliables)) for m in entries[0]["reliable"]}
    return entries, dict(zip(_COLUMN_NAMES, cols)), reliable_columns


def _flag_list(reasons: tuple[tuple[str, str], ...], shared: dict[Any, Any]) -> tuple[list[dict[str, Any]], dict[str, bool]]:
    """The flag list and reliable map of these reasons, each flag dict, list and map made once."""
    flags = [shared.setdefault(("flag", *k), {"formula": k[0], "reliable": False, "reason": k[1]}) for k in reasons]
    key = ("reliable", *(formula for formula, _ in reasons))  # the map depends on the names only
    reliable = shared.get(key)
    if reliable is None:
        reliable = shared[key] = reliable_map(flags)
    known = shared[_FLAG_LISTS][reasons] = (flags, reliable)
    return known


def _sentence_grade(words: int, syllables: int) -> float:
    # Flesch–Kincaid grade of one sentence (its words per sentence is its length).
    return 0.39 * words + 11.8 * syllables / words - 15.59


def _evidence_spans(doc: Document, flat: list[int], shared: dict[Any, Any], i: int = 0) -> list[dict[str, Any]]:
    """The hardest sentences (``flat`` from index ``i`` on) as evidence spans, as ``doc.span``
    makes them (``text`` is ``doc.text[start:end]``; the span is checked to lie in the
    document), built directly."""
    text = doc.text
    size = len(text)
    one = shared.setdefault
    out = []
    n_flat = len(flat)
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
