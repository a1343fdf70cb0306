"""The ``readability`` analysis: every standard formula on relkit's counts, with evidence."""

from __future__ import annotations

from typing import Any, Mapping

from relkit import Analysis, Context, Corpus, Document, Parameter
from relkit.grouping import GROUP_BY_HELP, parse_group_by

from .counts import Counts, count_document
from .diversity import mattr, mtld, ttr
from .formulas import compute_formulas
from .reliability import flags_for, reliable_map
from .summary import summarize, summarize_groups

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
        # Per-document results hold measures and evidence offsets, not the finished entry
        # (since the speed work of issue 4): results cached in the older shape must not be read.
        return "measures+evidence"

    # -- per document -----------------------------------------------------------------
    def analyze_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        """The measures of one document: formulas, counts, ratios, lexical diversity.

        What follows from these alone (reading time, flags, the reliable map) and the text
        of the hardest sentences are added by ``analyze_corpus`` (``complete``), which has
        the corpus: the runner serialises, compresses and reads back every per-document
        result (and caches it), and those parts made up most of its bytes. The hardest
        sentences travel as offsets and counts (``_evidence``, a flat list of integers).
        """
        p = ctx.params
        c = count_document(doc, exclude_headings=p.exclude_headings)
        t = c.totals
        forms = c.forms
        return {
            "formulas": compute_formulas(t),
            "counts": t,
            "ratios": {
                "words_per_sentence": _ratio(t["words"], t["sentences"]),
                "syllables_per_word": _ratio(t["syllables"], t["words"]),
                "letters_per_word": _ratio(t["letters"], t["words"]),
                "characters_per_word": _ratio(t["characters"], t["words"]),
                "percent_polysyllabic_words": _ratio(100.0 * t["polysyllabic_words"], t["words"]),
                "percent_complex_words": _ratio(100.0 * t["complex_words"], t["words"]),
                "percent_long_words": _ratio(100.0 * t["long_words"], t["words"]),
                "percent_difficult_words": _ratio(100.0 * t["difficult_words"], t["words"]),
                "longest_sentence_words": c.longest_sentence,
            },
            "lexical_diversity": {
                "ttr": ttr(forms),
                "mattr": mattr(forms, p.mattr_window),
                "mtld": mtld(forms, p.mtld_threshold),
            },
            "_evidence": _hard_sentences(c, p.hard_sentences),
        }

    def report_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        """One document's full entry, as in the report's ``documents`` (without its id)."""
        return complete(doc, self.analyze_document(doc, ctx), ctx.params)

    # -- per corpus -------------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        entries = [{"id": e["id"], **complete(doc, e, p)} for doc, e in _with_documents(corpus, documents or [])]
        out: dict[str, Any] = {"documents": entries, "summary": summarize(entries, reliable_only=p.reliable_only)}
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


def complete(doc: Document, measures: Mapping[str, Any], p: Any) -> dict[str, Any]:
    """A document's report entry from its measures (``analyze_document``'s result)."""
    if "_evidence" not in measures:  # already complete
        return {k: v for k, v in measures.items() if k != "id"}
    t = measures["counts"]
    values = measures["formulas"]
    diversity = measures["lexical_diversity"]
    flags = flags_for(
        t, {**values, **diversity}, longest_sentence=measures["ratios"]["longest_sentence_words"],
        min_words=p.min_words, mattr_window=p.mattr_window,
    )
    seconds = 60.0 * t["words"] / p.reading_wpm
    return {
        "formulas": values,
        "counts": t,
        "ratios": measures["ratios"],
        "lexical_diversity": diversity,
        "reading_time": {"seconds": seconds, "minutes": seconds / 60.0, "words_per_minute": p.reading_wpm},
        "reliable": reliable_map(flags),
        "flags": flags,
        "hard_sentences": _evidence_spans(doc, measures["_evidence"]),
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


def _evidence_spans(doc: Document, flat: list[int]) -> list[dict[str, Any]]:
    text = doc.text
    out = []
    i = 0
    while i < len(flat):
        start, end, index, words, syllables, poly, difficult, long_words, n = flat[i : i + 9]
        i += 9
        # The hard words lie inside the sentence, whose span doc.span checks: built directly.
        hard = [
            {"start": a, "end": b, "text": text[a:b], "syllables": syl}
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
