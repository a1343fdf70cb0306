"""The ``readability`` analysis: every standard formula on relkit's counts, with evidence."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Mapping

from relkit import Analysis, Context, Corpus, Document, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from .counts import COUNT_KEYS, Counts, count_document
from .diversity import mattr, mtld
from .fast import measure_document
from .formulas import compute_formulas
from .reliability import flags_for, reliable_map
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
        p = ctx.params
        m = measure_document(doc, exclude_headings=p.exclude_headings, hard_sentences=p.hard_sentences,
                             hard_words=_HARD_WORDS_PER_SENTENCE)
        if m is None:  # too large for the packed counts: the word-by-word definition
            c = count_document(doc, exclude_headings=p.exclude_headings)
            counts, longest, forms, evidence = c.totals, c.longest_sentence, c.forms, _hard_sentences(c, p.hard_sentences)
        else:
            counts, longest, forms, evidence = m
        return {"measures": [*counts.values(), longest, mattr(forms, p.mattr_window), mtld(forms, p.mtld_threshold), *evidence]}

    def report_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        """One document's full entry, as in the report's ``documents`` (without its id)."""
        return complete(doc, self.analyze_document(doc, ctx), ctx.params)

    # -- per corpus -------------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        entries = []
        shared: dict[Any, Any] = {}
        rows: list[list[Any]] | None = []  # each entry's measures and reliable map, taken while at hand
        for doc, e in _with_documents(corpus, documents or []):
            entry = {"id": e["id"], **complete(doc, e, p, shared)}
            entries.append(entry)
            if rows is not None:
                if "measures" in e:
                    rows.append([*entry["formulas"].values(), *entry["counts"].values(), *entry["ratios"].values(),
                                 *entry["lexical_diversity"].values(), *entry["reading_time"].values(),
                                 *entry["reliable"].values()])
                else:  # an entry given complete: the summary reads the entries
                    rows = None
        columns = reliable_columns = None
        if rows and entries:
            names = list(flat_measures(entries[0]))
            cols = list(map(list, zip(*rows)))
            columns = dict(zip(names, cols))
            reliable_columns = dict(zip(entries[0]["reliable"], cols[len(names) :]))
        summary = summarize(entries, reliable_only=p.reliable_only, columns=columns, reliable_columns=reliable_columns)
        out: dict[str, Any] = {"documents": entries, "summary": summary}
        if p.group_by:
            parse_group_by(p.group_by)  # a malformed unit raises a clear ValueError
            by_id = {e["id"]: e for e in entries}
            docs = [d for d in corpus if d.id in by_id]
            out["group_by"] = p.group_by
            out["groups"] = summarize_groups(docs, [by_id[d.id] for d in docs], p.group_by, reliable_only=p.reliable_only)
        short = [e["id"] for e in entries if 0 < e["counts"]["words"] < p.min_words]
        if short:
            ctx.warn(
                f"{len(short)} document(s) have fewer than {p.min_words} words; their readability formulas are "
                f"flagged unreliable (first: {', '.join(short[:3])})"
            )
        return out


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


def measures_of(result: Mapping[str, Any]) -> dict[str, Any]:
    """The measures of a per-document result (``analyze_document``'s flat list) by name:
    formulas, counts, ratios, lexical diversity, as in the report entry."""
    v = result["measures"]
    t = dict(zip(COUNT_KEYS, v[:_N_COUNTS]))
    longest, mattr_value, mtld_value = v[_N_COUNTS : _N_COUNTS + 3]
    words = t["words"]
    return {
        "formulas": compute_formulas(t),
        "counts": t,
        "ratios": {
            "words_per_sentence": _ratio(words, t["sentences"]),
            "syllables_per_word": _ratio(t["syllables"], words),
            "letters_per_word": _ratio(t["letters"], words),
            "characters_per_word": _ratio(t["characters"], words),
            "percent_polysyllabic_words": _ratio(100.0 * t["polysyllabic_words"], words),
            "percent_complex_words": _ratio(100.0 * t["complex_words"], words),
            "percent_long_words": _ratio(100.0 * t["long_words"], words),
            "percent_difficult_words": _ratio(100.0 * t["difficult_words"], words),
            "longest_sentence_words": longest,
        },
        "lexical_diversity": {"ttr": _ratio(t["unique_words"], words), "mattr": mattr_value, "mtld": mtld_value},
    }


def complete(doc: Document, result: Mapping[str, Any], p: Any, shared: dict[Any, Any] | None = None) -> dict[str, Any]:
    """A document's report entry from its per-document result (``analyze_document``'s).

    ``shared``: a dict kept over the entries of one corpus, through which equal flag lists,
    reliable maps, reading times and hard-word texts are one object each (the corpus part
    holds every entry at once; the JSON is the same). Entries are read, never changed.
    """
    if "measures" not in result:  # already complete
        return {k: v for k, v in result.items() if k != "id"}
    m = measures_of(result)
    t = m["counts"]
    values = m["formulas"]
    diversity = m["lexical_diversity"]
    flags_list = flags_for(
        t, {**values, **diversity}, longest_sentence=m["ratios"]["longest_sentence_words"],
        min_words=p.min_words, mattr_window=p.mattr_window,
    )
    words = t["words"]
    if shared is None:
        shared = {}
    pairs = tuple(map(itemgetter("formula", "reason"), flags_list))
    flags = shared.get(pairs)
    if flags is None:  # each flag dict, and each list of them, once
        flags = shared[pairs] = [shared.setdefault(("flag", *k), f) for k, f in zip(pairs, flags_list)]
    key = ("reliable", *(formula for formula, _ in pairs))  # the map depends on the names only
    reliable = shared.get(key)
    if reliable is None:
        reliable = shared[key] = reliable_map(flags)
    reading = shared.get(words)
    if reading is None:
        seconds = 60.0 * words / p.reading_wpm
        reading = shared[words] = {"seconds": seconds, "minutes": seconds / 60.0, "words_per_minute": p.reading_wpm}
    return {
        "formulas": values,
        "counts": t,
        "ratios": m["ratios"],
        "lexical_diversity": diversity,
        "reading_time": reading,
        "reliable": reliable,
        "flags": flags,
        "hard_sentences": _evidence_spans(doc, result["measures"][_N_COUNTS + 3 :], shared),
    }


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
    text = doc.text
    one = shared.setdefault
    out = []
    i = 0
    while i < len(flat):
        start, end, index, words, syllables, poly, difficult, long_words, n = flat[i : i + 9]
        i += 9
        # The hard words lie inside the sentence, whose span doc.span checks: built directly.
        hard = [
            {"start": a, "end": b, "text": one(w := text[a:b], w), "syllables": syl}
            for a, b, syl in zip(flat[i : i + 3 * n : 3], flat[i + 1 : i + 3 * n : 3], flat[i + 2 : i + 3 * n : 3])
        ]
        i += 3 * n
        out.append(doc.span(
            start, end,
            sentence=index,
            grade=_sentence_grade(words, syllables),
            words=words,
            syllables=syllables,
            polysyllabic_words=poly,
            difficult_words=difficult,
            long_words=long_words,
            hard_words=hard,
        ))
    return out
