"""The intermediate counts every formula rests on, from relkit's shared tokens.

A *word* is a shared word or number token (``doc.words``), except that a possessive or
contracted ``'s`` the tokenizer splits off ("Council’s" → "Council" + "’s") is joined back
to the word it hugs, as every readability formula counts "Council’s" as one word.
A *sentence* is a shared sentence that holds at least one word (a line of only
punctuation or symbols is not a sentence). Headings are left out (``exclude_headings``): a
sentence that stands alone on its line, holds at most ``HEADING_MAX_WORDS`` words and ends
without sentence punctuation (a title, a numbered section head such as "3 Around the
rainbow", a caption). Formulas describe running prose; a heading counted as a sentence
drags words per sentence down. When no sentence of a text ends in punctuation, nothing is
treated as a heading.

Per word form, the properties that do not depend on context (syllables, letters,
familiarity, Gunning's inflection exemption) are memoised; only capitalisation (proper
names) is decided per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .syllables import cmu_syllables, in_dictionary, syllables
from .wordlists import dale_chall_words, inflection_bases, is_familiar, spache_words

__all__ = ["Counts", "FormInfo", "form_info", "count_document", "hard_sentences", "COUNT_KEYS", "HEADING_MAX_WORDS"]

HEADING_MAX_WORDS = 12
_FINAL = frozenset(".!?…:;")
_CLOSING = frozenset("\"”’»)]}'")

COUNT_KEYS = (
    "sentences", "words", "syllables", "letters", "characters", "monosyllabic_words",
    "polysyllabic_words", "complex_words", "long_words", "difficult_words",
    "spache_difficult_words", "spache_difficult_unique", "unique_words", "numbers", "unknown_words",
    "headings_excluded",
)


class FormInfo(NamedTuple):
    """What a word form contributes, whatever its context."""

    syllables: int
    letters: int  # alphabetic characters
    characters: int  # letters and digits
    is_number: bool
    dc_familiar: bool  # on the Dale–Chall list, or a regular inflection of a listed word
    spache_familiar: bool
    inflected_three: bool  # 3+ syllables only through -ed/-es/-ing (Gunning's exemption)
    hyphenated: bool
    unknown: bool  # alphabetic word the CMU dictionary lacks (syllables by rule)


_INFO: dict[str, FormInfo] = {}
_INFO_MAX = 1_000_000


def form_info(form: str) -> FormInfo:
    """The memoised :class:`FormInfo` of a lower-case word form."""
    hit = _INFO.get(form)
    if hit is not None:
        return hit
    info = _compute_info(form)
    if len(_INFO) >= _INFO_MAX:
        _INFO.clear()
    _INFO[form] = info
    return info


def _compute_info(form: str) -> FormInfo:
    if form.isalpha():  # most forms: no digits, no marks
        letters = len(form)
        digits = 0
    else:
        letters = sum(map(str.isalpha, form))
        digits = sum(map(str.isdigit, form))
    is_number = letters == 0 or (form[:1].isdigit() and letters <= 2)  # "2023", "21st", "1990s"
    syl = syllables(form)
    hyphenated = "-" in form.strip("-")
    if is_number:
        return FormInfo(syl, letters, letters + digits, True, True, True, False, False, False)
    dc = dale_chall_words()
    sp = spache_words()
    if form in dc and form in sp:  # the commonest words: on both lists, nothing else to decide
        dc_fam = sp_fam = True
        bases = None
    else:
        bases = inflection_bases(form) if "-" not in form else None
        dc_fam = is_familiar(form, dc, bases)
        sp_fam = is_familiar(form, sp, bases)
    inflected_three = False
    if syl >= 3 and not hyphenated and form.endswith(("ed", "es", "ing")) and not form.endswith(("ier", "iest")):
        for base in inflection_bases(form) if bases is None else bases:
            if base in ("", form):
                continue
            b = cmu_syllables(base)
            if b is not None and b < 3:
                inflected_three = True
                break
    clean = form.replace("'", "").replace(".", "")
    unknown = clean.isalpha() and not in_dictionary(form) and not in_dictionary(clean)
    return FormInfo(syl, letters, letters + digits, False, dc_fam, sp_fam, inflected_three, hyphenated, unknown)


@dataclass
class SentenceCounts:
    index: int  # index of the shared sentence
    start: int
    end: int
    words: int = 0
    syllables: int = 0
    polysyllabic_words: int = 0
    difficult_words: int = 0
    long_words: int = 0
    hard_words: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, syllables)


@dataclass
class Counts:
    totals: dict[str, int]
    sentences: list[SentenceCounts]
    forms: list[str]  # word forms in order (for lexical diversity)
    longest_sentence: int = 0


def _units(doc: Any) -> list[list[tuple[int, int, str, bool, bool]]]:
    """The word units (start, end, form, capitalised, sentence_initial) of each shared sentence."""
    cols = doc.columns
    text = doc.text
    out: list[list[tuple[int, int, str, bool, bool]]] = []
    append_sentence = out.append
    for s in doc.sentences:
        units: list[tuple[int, int, str, bool, bool]] = []
        prev_end = -1
        a, b = s.first_token, s.last_token
        for start, end, norm, kind in zip(cols.start[a:b], cols.end[a:b], cols.norm[a:b], cols.kind[a:b]):
            if kind != "word" and kind != "number":
                prev_end = -1
                continue
            if start == prev_end and units and (norm == "'s" or norm == "s'" or norm == "'"):
                a0, _, form, cap, first = units[-1]
                units[-1] = (a0, end, form + norm, cap, first)
            else:
                units.append((start, end, norm, text[start].isupper(), not units))
            prev_end = end
        append_sentence(units)
    return out


def _is_heading(text: str, start: int, end: int, n_words: int) -> bool:
    if n_words > HEADING_MAX_WORDS:
        return False
    i = end
    while i > start and text[i - 1] in _CLOSING:
        i -= 1
    if text[i - 1] in _FINAL:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return False
    line_end = text.find("\n", end)
    return not text[end : len(text) if line_end == -1 else line_end].strip()


def _headings(doc: Any, units: list[list[tuple[int, int, str, bool, bool]]]) -> set[int]:
    text = doc.text
    heads = {
        i for i, (s, u) in enumerate(zip(doc.sentences, units))
        if u and len(u) <= HEADING_MAX_WORDS and _is_heading(text, s.start, s.end, len(u))
    }
    if len(heads) == sum(1 for u in units if u):  # no punctuated sentence at all: keep everything
        return set()
    return heads


def count_document(doc: Any, *, exclude_headings: bool = True) -> Counts:
    """Totals, per-sentence counts and word forms of one document."""
    sp_unique: set[str] = set()
    totals = dict.fromkeys(COUNT_KEYS, 0)
    sent_counts: list[SentenceCounts] = []
    forms: list[str] = []
    n_syl = n_letters = n_chars = n_mono = n_poly = n_complex = n_long = n_dc = n_sp = n_unknown = n_num = 0
    longest = 0
    all_units = _units(doc)
    heads = _headings(doc, all_units) if exclude_headings else set()
    forms_append = forms.append
    sp_add = sp_unique.add
    get = _INFO.get
    # Per-sentence sums live in locals (an attribute update per word is what made this slow).
    for i, (s, units) in enumerate(zip(doc.sentences, all_units)):
        if not units or i in heads:
            continue
        n_words = len(units)
        if n_words > longest:
            longest = n_words
        s_syl = s_poly = s_dc = s_long = 0
        hard: list[tuple[int, int, int]] = []
        for start, end, form, cap, initial in units:
            info = get(form) or form_info(form)
            forms_append(form)
            syl, letters, chars, is_number, dc_fam, sp_fam, infl3, hyph, unknown = info
            s_syl += syl
            n_letters += letters
            n_chars += chars
            if letters > 6:
                s_long += 1
            proper = cap and not initial
            if syl == 1:
                n_mono += 1
            elif syl >= 3:
                s_poly += 1
                hard.append((start, end, syl))
                # Gunning: not proper names, not hyphenated compounds, not -ed/-es/-ing forms.
                if not (proper or hyph or infl3):
                    n_complex += 1
            if is_number:
                n_num += 1
                continue
            if unknown:
                n_unknown += 1
            if not proper:
                if not dc_fam:
                    s_dc += 1
                if not sp_fam:
                    n_sp += 1
                    sp_add(form)
        n_syl += s_syl
        n_poly += s_poly
        n_dc += s_dc
        n_long += s_long
        sent_counts.append(SentenceCounts(i, s.start, s.end, n_words, s_syl, s_poly, s_dc, s_long, hard))
    totals.update(
        sentences=len(sent_counts), words=len(forms), syllables=n_syl, letters=n_letters,
        characters=n_chars, monosyllabic_words=n_mono, polysyllabic_words=n_poly,
        complex_words=n_complex, long_words=n_long, difficult_words=n_dc,
        spache_difficult_words=n_sp, spache_difficult_unique=len(sp_unique),
        unique_words=len(set(forms)), numbers=n_num, unknown_words=n_unknown, headings_excluded=len(heads),
    )
    return Counts(totals, sent_counts, forms, longest)


def hard_sentences(c: Counts, k: int, hard_words: int = 8) -> list[int]:
    """The definition of the evidence in a per-document result: the ``k`` hardest sentences
    (highest Flesch–Kincaid grade, then longest, then first) as a flat list of integers,
    per sentence: start, end, index, words, syllables, polysyllabic, difficult and long
    words, the number of hard words, then start, end and syllables of each hard word (the
    ``hard_words`` with most syllables, in text order; ``analysis._evidence_spans`` reads it)."""
    if k <= 0 or not c.sentences:
        return []
    ranked = sorted(
        c.sentences, key=lambda s: (-(0.39 * s.words + 11.8 * s.syllables / s.words - 15.59), -s.words, s.start)  # grade: analysis._sentence_grade
    )[:k]
    out: list[int] = []
    for s in ranked:
        hard = sorted(sorted(s.hard_words, key=lambda h: (-h[2], h[0]))[:hard_words])
        out += (s.start, s.end, s.index, s.words, s.syllables, s.polysyllabic_words, s.difficult_words,
                s.long_words, len(hard))
        for h in hard:
            out += h
    return out
