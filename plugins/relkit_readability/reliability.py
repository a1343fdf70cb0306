"""Reliability flags: when a formula's conditions are not met it is still computed, and
marked, with the reason in words (never an exception)."""

from __future__ import annotations

from typing import Any, Mapping

from .formulas import FORMULAS

__all__ = ["flags_for", "flag_reasons", "reliable_map", "FLAGGED_MEASURES", "SMOG_MIN_SENTENCES", "SPACHE_MAX_GRADE"]

SMOG_MIN_SENTENCES = 30  # McLaughlin (1969): a sample of 30 sentences
SPACHE_MAX_GRADE = 4.0  # Spache (1953, 1974): for primary-grade texts, grades 1–4
NON_ENGLISH_SHARE = 0.5  # share of words unknown to the CMU dictionary above which we warn
MIN_WORDS_FOR_LANGUAGE = 10
LONG_SENTENCE_WORDS = 150  # a "sentence" this long is almost always missing punctuation (news lists of dignitaries reach ~90)
MTLD_MIN_WORDS = 100  # McCarthy & Jarvis (2010): MTLD is stable from about 100 tokens

FLAGGED_MEASURES = (*FORMULAS, "dale_chall_grade", "consensus_grade", "mtld", "mattr")


def _flag(formula: str, reason: str) -> dict[str, Any]:
    return {"formula": formula, "reliable": False, "reason": reason}


def flags_for(
    totals: Mapping[str, int], values: Mapping[str, float | None], *, longest_sentence: int,
    min_words: int, mattr_window: int,
) -> list[dict[str, Any]]:
    """The flags of one document, text-level ones first (``"formula": "all"``)."""
    return [_flag(formula, reason) for formula, reason in flag_reasons(
        totals["words"], totals["sentences"], _numbers(totals), totals["unknown_words"], longest_sentence,
        values.get("spache"), values.get("mtld"), min_words=min_words, mattr_window=mattr_window,
    )]


def flag_reasons(
    words: int, sentences: int, numbers: int, unknown_words: int, longest_sentence: int, spache: float | None,
    mtld: float | None, *, min_words: int, mattr_window: int,
) -> tuple[tuple[str, str], ...]:
    """``flags_for``'s flags as ``(formula, reason)`` pairs, from the values they rest on (the
    corpus part builds each distinct list of flag dicts once, keyed by these pairs)."""
    if words == 0:
        return (("all", "empty document: no words after cleaning, so no formula is defined"),)
    out: list[tuple[str, str]] = []
    if words < min_words:
        out.append(("all", f"the formulas are calibrated on samples of {min_words}+ words; this text has {words}"))
    alpha = words - numbers
    if alpha >= MIN_WORDS_FOR_LANGUAGE and unknown_words / alpha > NON_ENGLISH_SHARE:
        share = round(100 * unknown_words / alpha)
        out.append(("all", (
            f"{share}% of the words are not in the English pronouncing dictionary: the text may not be "
            "English; syllables are rule-based guesses and the formulas are calibrated for English"
        )))
    if longest_sentence >= LONG_SENTENCE_WORDS:
        out.append(("all", (
            f"a sentence of {longest_sentence} words suggests missing punctuation (a list, table or "
            "transcript); words per sentence, and every formula using it, are inflated"
        )))
    if sentences < SMOG_MIN_SENTENCES:
        out.append(("smog", f"SMOG is defined for {SMOG_MIN_SENTENCES}+ sentences; this text has {sentences}"))
    if spache is not None and spache > SPACHE_MAX_GRADE:
        out.append(("spache", (
            f"Spache is calibrated for primary-grade texts (grades 1–{SPACHE_MAX_GRADE:g}); this text scores "
            f"{spache:.1f}, beyond its range"
        )))
    if words < MTLD_MIN_WORDS or mtld is None:
        out.append(("mtld", f"MTLD is stable from about {MTLD_MIN_WORDS} words; this text has {words}"))
    if words < mattr_window:
        out.append(("mattr", f"the text is shorter than the {mattr_window}-word window: MATTR is the plain type–token ratio"))
    return tuple(out)


def _numbers(totals: Mapping[str, int]) -> int:
    return totals.get("numbers", 0)


def reliable_map(flags: list[dict[str, Any]]) -> dict[str, bool]:
    """Per measure: False when a flag names it or the whole text."""
    text_level = any(f["formula"] == "all" for f in flags)
    named = {f["formula"] for f in flags}
    out = {m: not text_level and m not in named for m in FLAGGED_MEASURES}
    if "dale_chall" in named:
        out["dale_chall_grade"] = False
    return out
