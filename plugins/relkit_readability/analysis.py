"""The ``readability`` analysis: every standard formula on relkit's counts, with evidence."""

from __future__ import annotations

from typing import Any

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

    # -- per document -----------------------------------------------------------------
    def analyze_document(self, doc: Document, ctx: Context) -> dict[str, Any]:
        p = ctx.params
        c = count_document(doc, exclude_headings=p.exclude_headings)
        t = c.totals
        values = compute_formulas(t)
        forms = c.forms
        diversity = {
            "ttr": ttr(forms),
            "mattr": mattr(forms, p.mattr_window),
            "mtld": mtld(forms, p.mtld_threshold),
        }
        flags = flags_for(
            t, {**values, **diversity}, longest_sentence=c.longest_sentence,
            min_words=p.min_words, mattr_window=p.mattr_window,
        )
        seconds = 60.0 * t["words"] / p.reading_wpm
        return {
            "formulas": values,
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
            "lexical_diversity": diversity,
            "reading_time": {"seconds": seconds, "minutes": seconds / 60.0, "words_per_minute": p.reading_wpm},
            "reliable": reliable_map(flags),
            "flags": flags,
            "hard_sentences": _hard_sentences(doc, c, p.hard_sentences),
        }

    # -- per corpus -------------------------------------------------------------------------
    def analyze_corpus(self, corpus: Corpus, ctx: Context, documents: list[dict[str, Any]] | None) -> dict[str, Any]:
        p = ctx.params
        entries = documents or []
        out: dict[str, Any] = {"summary": summarize(entries, reliable_only=p.reliable_only)}
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


def _sentence_grade(words: int, syllables: int) -> float:
    # Flesch–Kincaid grade of one sentence (its words per sentence is its length).
    return 0.39 * words + 11.8 * syllables / words - 15.59


def _hard_sentences(doc: Document, c: Counts, k: int) -> list[dict[str, Any]]:
    if k <= 0 or not c.sentences:
        return []
    ranked = sorted(
        c.sentences, key=lambda s: (-_sentence_grade(s.words, s.syllables), -s.words, s.start)
    )[:k]
    out = []
    for s in ranked:
        hard = sorted(s.hard_words, key=lambda h: (-h[2], h[0]))[:_HARD_WORDS_PER_SENTENCE]
        out.append(doc.span(
            s.start, s.end,
            sentence=s.index,
            grade=_sentence_grade(s.words, s.syllables),
            words=s.words,
            syllables=s.syllables,
            polysyllabic_words=s.polysyllabic_words,
            difficult_words=s.difficult_words,
            long_words=s.long_words,
            hard_words=[doc.span(a, b, syllables=n) for a, b, n in sorted(hard)],
        ))
    return out
