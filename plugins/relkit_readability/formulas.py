"""The readability formulas, each applied to relkit's counts as its authors published it.

Every function takes the intermediate counts (see ``counts.Counts``) and returns a float,
or None when the formula is undefined (no words or no sentences). Coefficients are the
published ones; the source is named on each function.
"""

from __future__ import annotations

import math
from itertools import compress, repeat
from operator import add, mul, sub, truediv
from typing import Any, Callable, Mapping, Sequence

__all__ = [
    "FORMULAS",
    "GRADE_FORMULAS",
    "CONSENSUS_FORMULAS",
    "compute_formulas",
    "formula_values",
    "formula_columns",
    "FORMULA_KEYS",
    "dale_chall_grade",
    "consensus",
]


def _asl(c: Mapping[str, int]) -> float:
    return c["words"] / c["sentences"]


def _ok(c: Mapping[str, int]) -> bool:
    return c["words"] > 0 and c["sentences"] > 0


def flesch_reading_ease(c: Mapping[str, int]) -> float | None:
    """Flesch (1948): 206.835 − 1.015 × words/sentence − 84.6 × syllables/word."""
    if not _ok(c):
        return None
    return 206.835 - 1.015 * _asl(c) - 84.6 * c["syllables"] / c["words"]


def flesch_kincaid_grade(c: Mapping[str, int]) -> float | None:
    """Kincaid, Fishburne, Rogers & Chissom (1975): 0.39 × words/sentence + 11.8 × syllables/word − 15.59."""
    if not _ok(c):
        return None
    return 0.39 * _asl(c) + 11.8 * c["syllables"] / c["words"] - 15.59


def gunning_fog(c: Mapping[str, int]) -> float | None:
    """Gunning (1952): 0.4 × (words/sentence + 100 × complex words/words).

    Complex words have three or more syllables, not counting proper names, hyphenated
    compounds, or words made three syllables by -ed, -es or -ing (Gunning's rules).
    """
    if not _ok(c):
        return None
    return 0.4 * (_asl(c) + 100.0 * c["complex_words"] / c["words"])


def smog(c: Mapping[str, int]) -> float | None:
    """McLaughlin (1969): 1.0430 × √(polysyllables × 30/sentences) + 3.1291.

    Defined for samples of 30 sentences or more; the count is scaled to 30 sentences.
    """
    if not _ok(c):
        return None
    return 1.0430 * math.sqrt(c["polysyllabic_words"] * 30.0 / c["sentences"]) + 3.1291


def coleman_liau(c: Mapping[str, int]) -> float | None:
    """Coleman & Liau (1975): 0.0588 × L − 0.296 × S − 15.8.

    L is letters per 100 words, S sentences per 100 words.
    """
    if not _ok(c):
        return None
    L = 100.0 * c["letters"] / c["words"]
    S = 100.0 * c["sentences"] / c["words"]
    return 0.0588 * L - 0.296 * S - 15.8


def automated_readability_index(c: Mapping[str, int]) -> float | None:
    """Smith & Senter (1967): 4.71 × characters/word + 0.5 × words/sentence − 21.43.

    Characters are the letters and digits of words (no punctuation, no spaces).
    """
    if not _ok(c):
        return None
    return 4.71 * c["characters"] / c["words"] + 0.5 * _asl(c) - 21.43


def dale_chall(c: Mapping[str, int]) -> float | None:
    """Dale & Chall (1948): 0.1579 × PDW + 0.0496 × words/sentence (+ 3.6365 if PDW > 5).

    PDW is the percentage of words not on the Dale–Chall list of 3,000 familiar words
    (inflections, proper names and numbers count as familiar). The result is a raw score
    (4.9 or less = grade 4 and below … 10 or more = college graduate), not a grade.
    """
    if not _ok(c):
        return None
    pdw = 100.0 * c["difficult_words"] / c["words"]
    score = 0.1579 * pdw + 0.0496 * _asl(c)
    if pdw > 5.0:
        score += 3.6365
    return score


# Dale & Chall's table of raw scores to grade bands (1948; same bands in Chall & Dale 1995):
# ≤4.9 → 4 and below, 5.0–5.9 → 5–6, 6.0–6.9 → 7–8, 7.0–7.9 → 9–10, 8.0–8.9 → 11–12,
# 9.0–9.9 → 13–15 (college), ≥10 → 16+ (college graduate). For a continuous grade we
# interpolate linearly between the band starts: 5.0 → 5, 6.0 → 7, 7.0 → 9, 8.0 → 11, 9.0 → 13,
# 10.0 → 16, slope 1 below 5 and 3 above 10.
_DC_KNOTS = ((5.0, 5.0), (6.0, 7.0), (7.0, 9.0), (8.0, 11.0), (9.0, 13.0), (10.0, 16.0))


def dale_chall_grade(score: float | None) -> float | None:
    """A grade level from a Dale–Chall raw score, interpolated within Dale & Chall's bands."""
    if score is None:
        return None
    if score <= _DC_KNOTS[0][0]:
        return score
    for (x0, y0), (x1, y1) in zip(_DC_KNOTS, _DC_KNOTS[1:]):
        if score <= x1:
            return y0 + (y1 - y0) * (score - x0) / (x1 - x0)
    return 16.0 + 3.0 * (score - 10.0)


def linsear_write(c: Mapping[str, int]) -> float | None:
    """Linsear Write (O'Hayre 1966, US Air Force): r = (easy + 3 × hard)/sentences per
    100-word sample; grade = r/2 if r > 20, else (r − 2)/2.

    Easy words have at most two syllables, hard ones three or more. The original counts
    one 100-word sample; over a whole text the same quantity is (words + 2 × hard)/sentences
    scaled to 100 words, i.e. r = 100 × (words + 2 × hard)/words ÷ (100 × sentences/words)
    = (words + 2 × hard)/sentences, which is what is computed (every sentence counts, not
    just those in the first 100 words).
    """
    if not _ok(c):
        return None
    r = (c["words"] + 2.0 * c["polysyllabic_words"]) / c["sentences"]
    return r / 2.0 if r > 20 else (r - 2.0) / 2.0


def spache(c: Mapping[str, int]) -> float | None:
    """Revised Spache (Spache 1974): 0.121 × words/sentence + 0.082 × PUW + 0.659.

    PUW is the percentage of unique words not on the revised Spache list (each unfamiliar
    word counted once, as Spache's instructions say). Meant for primary-grade texts (1–4).
    """
    if not _ok(c):
        return None
    puw = 100.0 * c["spache_difficult_unique"] / c["words"]
    return 0.121 * _asl(c) + 0.082 * puw + 0.659


FORMULAS: dict[str, Callable[[Mapping[str, int]], float | None]] = {
    "flesch_reading_ease": flesch_reading_ease,
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "gunning_fog": gunning_fog,
    "smog": smog,
    "coleman_liau": coleman_liau,
    "automated_readability_index": automated_readability_index,
    "dale_chall": dale_chall,
    "linsear_write": linsear_write,
    "spache": spache,
}

# Formulas whose output is a US school grade (Dale–Chall through its band table).
GRADE_FORMULAS = (
    "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "automated_readability_index",
    "dale_chall_grade", "linsear_write",
)
# The consensus takes every grade formula except Spache (calibrated for grades 1–4 only)
# and Flesch Reading Ease (the same two ratios as Flesch–Kincaid, on another scale).
CONSENSUS_FORMULAS = GRADE_FORMULAS


def consensus(values: Mapping[str, float | None]) -> float | None:
    """The mean of the seven grade formulas that have a value (see CONSENSUS_FORMULAS).

    Each formula is a noisy estimate of the same quantity (a US school grade) from
    different surface cues; their mean averages the noise out. A median was tried first
    and ordered fewer OneStopEnglish pairs (97.9% against 98.4%): with seven estimates that
    sit at systematically different levels, the median jumps from one formula to another
    between texts. Nothing is fitted: equal weights, published formulas.
    (textstat's ``text_standard`` votes on rounded grades, which ties and jumps: 77.8%.)
    """
    vals = [v for k in CONSENSUS_FORMULAS if (v := values.get(k)) is not None]
    if not vals:
        return None
    return sum(vals) / len(vals)


FORMULA_KEYS = (*FORMULAS, "dale_chall_grade", "consensus_grade")  # compute_formulas' keys, in order
_UNDEFINED = (None,) * len(FORMULA_KEYS)


def compute_formulas(c: Mapping[str, int]) -> dict[str, float | None]:
    """Every formula, the Dale–Chall grade and the consensus grade, from counts."""
    return dict(zip(FORMULA_KEYS, formula_values(
        c["words"], c["sentences"], c["syllables"], c["polysyllabic_words"], c["complex_words"], c["letters"],
        c["characters"], c["difficult_words"], c["spache_difficult_unique"],
    )))


def formula_values(
    words: int, sentences: int, syllables: int, poly: int, complex_words: int, letters: int, characters: int,
    difficult: int, spache_unique: int,
) -> tuple[float | None, ...]:
    """``compute_formulas``' values as a tuple in ``FORMULA_KEYS`` order, from the counts it reads.

    The same expressions as the functions above, evaluated in the same order (so the same
    floats; a test checks), written out once: this runs for every document of a corpus.
    """
    if not (words > 0 and sentences > 0):
        return _UNDEFINED
    asl = words / sentences
    pdw = 100.0 * difficult / words
    dc = 0.1579 * pdw + 0.0496 * asl
    if pdw > 5.0:
        dc += 3.6365
    r = (words + 2.0 * poly) / sentences
    fk = 0.39 * asl + 11.8 * syllables / words - 15.59
    fog = 0.4 * (asl + 100.0 * complex_words / words)
    smog_ = 1.0430 * math.sqrt(poly * 30.0 / sentences) + 3.1291
    cl = 0.0588 * (100.0 * letters / words) - 0.296 * (100.0 * sentences / words) - 15.8
    ari = 4.71 * characters / words + 0.5 * asl - 21.43
    lw = r / 2.0 if r > 20 else (r - 2.0) / 2.0
    dcg = dale_chall_grade(dc)
    # consensus(): every grade formula is defined here, summed in CONSENSUS_FORMULAS order.
    grades = [fk, fog, smog_, cl, ari, dcg, lw]
    return (
        206.835 - 1.015 * asl - 84.6 * syllables / words, fk, fog, smog_, cl, ari, dc, lw,
        0.121 * asl + 0.082 * (100.0 * spache_unique / words) + 0.659, dcg, sum(grades) / len(grades),
    )



def formula_columns(
    words: Sequence[int], sentences: Sequence[int], syllables: Sequence[int], poly: Sequence[int],
    complex_words: Sequence[int], letters: Sequence[int], characters: Sequence[int], difficult: Sequence[int],
    spache_unique: Sequence[int],
) -> list[list[float | None]]:
    """``formula_values`` over many documents, one column per formula (``FORMULA_KEYS`` order).

    The same expressions in the same order through ``map`` over the columns (so the same
    floats; a test checks), documents without words or sentences None. Each column's floats
    are made one after another, close in memory, where the corpus summary sorts them.
    """
    ok = list(map(_both, words, sentences))
    if all(ok):
        return _defined_columns(words, sentences, syllables, poly, complex_words, letters, characters, difficult,
                                spache_unique)
    cols = _defined_columns(*(list(compress(c, ok)) for c in (
        words, sentences, syllables, poly, complex_words, letters, characters, difficult, spache_unique)))
    return [_spread(col, ok) for col in cols]


def _both(words: int, sentences: int) -> bool:
    return words > 0 and sentences > 0


def _spread(values: list[Any], where: list[bool]) -> list[Any]:
    """``values`` at the places where ``where`` is true, None elsewhere."""
    it = iter(values)
    return [next(it) if w else None for w in where]


def _defined_columns(W, S, SY, P, C, L, CH, D, SU) -> list[list[float]]:  # every document with words and sentences
    asl = list(map(truediv, W, S))
    pdw = list(map(truediv, map(mul, repeat(100.0), D), W))
    dc = [x + 3.6365 if p > 5.0 else x
          for x, p in zip(map(add, map(mul, repeat(0.1579), pdw), map(mul, repeat(0.0496), asl)), pdw)]
    lw = [r / 2.0 if r > 20 else (r - 2.0) / 2.0 for r in map(truediv, map(add, W, map(mul, repeat(2.0), P)), S)]
    fk = list(map(sub, map(add, map(mul, repeat(0.39), asl), map(truediv, map(mul, repeat(11.8), SY), W)), repeat(15.59)))
    fog = list(map(mul, repeat(0.4), map(add, asl, map(truediv, map(mul, repeat(100.0), C), W))))
    smog_ = list(map(add, map(mul, repeat(1.0430), map(math.sqrt, map(truediv, map(mul, P, repeat(30.0)), S))),
                     repeat(3.1291)))
    cl = list(map(sub, map(sub, map(mul, repeat(0.0588), map(truediv, map(mul, repeat(100.0), L), W)),
                           map(mul, repeat(0.296), map(truediv, map(mul, repeat(100.0), S), W))), repeat(15.8)))
    ari = list(map(sub, map(add, map(truediv, map(mul, repeat(4.71), CH), W), map(mul, repeat(0.5), asl)), repeat(21.43)))
    fre = list(map(sub, map(sub, repeat(206.835), map(mul, repeat(1.015), asl)), map(truediv, map(mul, repeat(84.6), SY), W)))
    spache_ = list(map(add, map(add, map(mul, repeat(0.121), asl), map(mul, repeat(0.082), map(truediv, map(mul, repeat(100.0), SU), W))),
                       repeat(0.659)))
    dcg = list(map(dale_chall_grade, dc))
    # consensus(): the mean of the grade formulas, summed in CONSENSUS_FORMULAS order.
    grades = zip(fk, fog, smog_, cl, ari, dcg, lw)
    consensus_ = list(map(truediv, map(sum, grades), repeat(len(CONSENSUS_FORMULAS))))
    return [fre, fk, fog, smog_, cl, ari, dc, lw, spache_, dcg, consensus_]
