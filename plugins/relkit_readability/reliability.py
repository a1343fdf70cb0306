"""Reliability flags: when a formula's conditions are not met it is still computed, and
marked, with the reason in words (never an exception)."""

from __future__ import annotations

from typing import Any, Mapping

from .formulas import FORMULAS

__all__ = ["flags_for", "reliable_map", "FLAGGED_MEASURES", "SMOG_MIN_SENTENCES", "SPACHE_MAX_GRADE"]

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
    words, sentences = totals["words"], totals["sentences"]
    out: list[dict[str, Any]] = []
    if words == 0:
        return [_flag("all", "empty document: no words after cleaning, so no formula is defined")]
    if words < min_words:
        out.append(_flag("all", f"the formulas are calibrated on samples of {min_words}+ words; this text has {words}"))
    alpha = words - _numbers(totals)
    if alpha >= MIN_WORDS_FOR_LANGUAGE and totals["unknown_words"] / alpha > NON_ENGLISH_SHARE:
        share = round(100 * totals["unknown_words"] / alpha)
        out.append(_flag("all", (
            f"{share}% of the words are not in the English pronouncing dictionary: the text may not be "
            "English; syllables are rule-based guesses and the formulas are calibrated for English"
        )))
    if longest_sentence >= LONG_SENTENCE_WORDS:
        out.append(_flag("all", (
            f"a sentence of {longest_sentence} words suggests missing punctuation (a list, table or "
            "transcript); words per sentence, and every formula using it, are inflated"
        )))
    if sentences < SMOG_MIN_SENTENCES:
        out.append(_flag("smog", f"SMOG is defined for {SMOG_MIN_SENTENCES}+ sentences; this text has {sentences}"))
    sp = values.get("spache")
    if sp is not None and sp > SPACHE_MAX_GRADE:
        out.append(_flag("spache", (
            f"Spache is calibrated for primary-grade texts (grades 1–{SPACHE_MAX_GRADE:g}); this text scores "
            f"{sp:.1f}, beyond its range"
        )))
    if words < MTLD_MIN_WORDS or values.get("mtld") is None:
        out.append(_flag("mtld", f"MTLD is stable from about {MTLD_MIN_WORDS} words; this text has {words}"))
    if words < mattr_window:
        out.append(_flag("mattr", f"the text is shorter than the {mattr_window}-word window: MATTR is the plain type–token ratio"))
    return out


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
