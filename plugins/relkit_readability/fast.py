"""The per-document counts of ``counts.count_document`` without a Python step per word.

``count_document`` is the definition: it walks the words one by one. This module computes
the same totals, hardest-sentence evidence and word forms from ``doc.columns`` with C-level
helpers (``compress``, ``accumulate``, ``map`` over dict lookups) and one Python step per
*sentence*, which is what makes readability's per-document part cheap on news texts of
~140 tokens in ~6 sentences (tests compare the two on the sample corpus and edge cases).

Every context-free property of a word form is folded into one integer, ``_PACK[form]``,
one 32-bit field per count (syllables, letters, monosyllabic, ...). Adding those integers
adds every field at once (no field can carry into the next: ``_fits`` bounds the sums), so
``sum(pack[a:b])`` is a sentence's counts. The only context is the proper name (capitalised,
not sentence-initial), which leaves a word out of the complex, Dale–Chall and Spache
counts: those three bits of a name's integer are subtracted, and only the words with one
of them set are looked at for capitals.
"""

from __future__ import annotations

from itertools import accumulate, chain, compress, repeat
from operator import and_, le, neg
from typing import Any, NamedTuple

from .counts import COUNT_KEYS, HEADING_MAX_WORDS, _compute_info, _is_heading

__all__ = ["Measures", "measure_document"]

_WORD_KINDS = frozenset(("word", "number"))
_JOINERS = frozenset(("'s", "s'", "'"))  # joined back to the word they hug (see counts)

_BITS = 32
_MASK = (1 << _BITS) - 1
# Field order of a packed integer (field i at bits 32*i).
(_SYL, _LET, _CHR, _MONO, _POLY, _CPLX, _LONG, _DC, _SP, _UNK, _NUM) = (_BITS * i for i in range(11))
_FIELDS = 11
_NAME_BITS = 1 << _CPLX | 1 << _DC | 1 << _SP  # the counts a proper name is left out of

_PACK: dict[str, int] = {}
_MAX_MAX = 1_000_000
_max_value = 1  # the largest per-form field value packed so far (syllables, characters)


def _add_forms(forms: set[str]) -> None:
    """Pack every form of ``forms`` (one document's) that is not packed yet."""
    global _max_value
    missing = forms.difference(_PACK)
    if len(_PACK) + len(missing) > _MAX_MAX:  # bounded memory: start again (with all of this document's)
        _PACK.clear()
        missing = forms
    top = _max_value
    for form in missing:
        syl, letters, chars, is_number, dc_fam, sp_fam, infl3, hyph, unknown = _compute_info(form)
        poly = syl >= 3
        cplx = poly and not (hyph or infl3)  # Gunning: not compounds, not -ed/-es/-ing forms
        dc = not (is_number or dc_fam)
        sp = not (is_number or sp_fam)
        _PACK[form] = (
            syl | letters << _LET | chars << _CHR | (syl == 1) << _MONO | poly << _POLY | cplx << _CPLX
            | (letters > 6) << _LONG | dc << _DC | sp << _SP | (unknown and not is_number) << _UNK
            | is_number << _NUM
        )
        top = max(top, syl, chars)
    _max_value = top


def _fits(n_words: int) -> bool:
    # A field's sum over a document stays below 2**32: no carry into the next field.
    return n_words * _max_value < _MASK


class Measures(NamedTuple):
    totals: dict[str, int]
    longest_sentence: int
    forms: list[str]  # the counted word forms in order (lexical diversity)
    evidence: list[int]  # ``analysis._hard_sentences``'s flat list


def _grade(words: int, syllables: int) -> float:
    return 0.39 * words + 11.8 * syllables / words - 15.59


def _by_syllables(h: tuple[int, int, int]) -> tuple[int, int]:
    return -h[2], h[0]


def measure_document(doc: Any, *, exclude_headings: bool, hard_sentences: int, hard_words: int) -> Measures | None:
    """``count_document``'s totals, longest sentence and forms, and ``_hard_sentences``'s
    evidence; None when a document is too large for 32-bit fields, or the form table was
    emptied by another thread while in use (then use those)."""
    cols = doc.columns
    norm, kind = cols.norm, cols.kind
    sents = doc.sentences
    wmask = list(map(_WORD_KINDS.__contains__, kind))
    joins: list[int] = []
    candidates = list(compress(range(len(norm)), map(_JOINERS.__contains__, norm)))
    if candidates:
        start, end, sent = cols.start, cols.end, cols.sent
        for i in candidates:
            # joined to the word token just before it, touching it, in the same sentence
            if wmask[i] and i > sents[sent[i]].first_token and kind[i - 1] in _WORD_KINDS and end[i - 1] == start[i]:
                joins.append(i)
        for i in joins:
            wmask[i] = False
    forms = list(compress(norm, wmask))
    ustart = list(compress(cols.start, wmask))
    uend = list(compress(cols.end, wmask))
    cum = list(accumulate(wmask, initial=0))
    for i in joins:
        u = cum[i] - 1  # the unit of the token before
        forms[u] += norm[i]
        uend[u] = cols.end[i]
    n_units = len(forms)
    if not _fits(n_units):
        return None

    text = doc.text
    spans = []  # (sentence index, start, end, first unit, end unit) of sentences with a word
    for si, s in enumerate(sents):
        a, b = cum[s.first_token], cum[s.last_token]
        if b > a:
            spans.append((si, s.start, s.end, a, b))
    heads: set[int] = set()
    if exclude_headings:
        heads = {sp[0] for sp in spans if sp[4] - sp[3] <= HEADING_MAX_WORDS and _is_heading(text, sp[1], sp[2], sp[4] - sp[3])}
        if len(heads) == len(spans):  # no punctuated sentence at all: keep everything
            heads = set()
    kept = [sp for sp in spans if sp[0] not in heads] if heads else spans

    if sum(b - a for _, _, _, a, b in kept) == n_units:
        counted = forms
        left_out: set[int] = set()
    else:
        counted = list(chain.from_iterable(forms[a:b] for _, _, _, a, b in kept))
        left_out = set(chain.from_iterable(range(a, b) for si, _, _, a, b in spans if si in heads))
    unique = set(counted)
    pack = list(map(_PACK.get, forms))
    if None in pack:  # forms seen for the first time
        _add_forms(set(forms))
        if not _fits(n_units):
            return None
        pack = list(map(_PACK.get, forms))
        if None in pack:  # another thread emptied the table meanwhile (Dask worker threads)
            return None
    sums = [sum(pack[a:b]) for _, _, _, a, b in kept]
    # A proper name (capitalised, not sentence-initial) leaves the complex, Dale–Chall and
    # Spache counts: only units with one of those bits set can be affected.
    name_bits = list(map(and_, pack, repeat(_NAME_BITS)))
    affected = list(compress(range(n_units), name_bits))
    if left_out:
        affected = [u for u in affected if u not in left_out]
    initial = {sp[3] for sp in spans}
    capitalised = map(str.isupper, map(text.__getitem__, map(ustart.__getitem__, affected)))
    names = [u for u in compress(affected, capitalised) if u not in initial]
    total = sum(sums) - sum(map(name_bits.__getitem__, names))
    f = [total >> (_BITS * k) & _MASK for k in range(_FIELDS)]
    if names:
        affected = list(set(affected).difference(names))
    # Spache counts each unfamiliar word once (not where it is a name)
    sp_forms = set(map(forms.__getitem__, compress(affected, map(and_, map(name_bits.__getitem__, affected), repeat(1 << _SP)))))
    totals = dict.fromkeys(COUNT_KEYS, 0)
    totals.update(
        sentences=len(kept), words=len(counted), syllables=f[0], letters=f[1], characters=f[2],
        monosyllabic_words=f[3], polysyllabic_words=f[4], complex_words=f[5], long_words=f[6],
        difficult_words=f[7], spache_difficult_words=f[8], spache_difficult_unique=len(sp_forms),
        unique_words=len(unique), numbers=f[10], unknown_words=f[9], headings_excluded=len(heads),
    )
    lengths = [b - a for _, _, _, a, b in kept]
    longest = max(lengths, default=0)
    evidence: list[int] = []
    if hard_sentences > 0 and kept:
        grades = map(_grade, lengths, map(and_, sums, repeat(_MASK)))
        keys = list(zip(map(neg, grades), map(neg, lengths), [sp[1] for sp in kept]))
        for j in sorted(range(len(kept)), key=keys.__getitem__)[:hard_sentences]:
            si, s_start, s_end, a, b = kept[j]
            ps = sums[j]
            dc = ps - sum(name_bits[u] for u in names if a <= u < b)
            syls = list(map(and_, pack[a:b], repeat(_MASK)))
            poly = list(map(le, repeat(3), syls))
            at = list(compress(range(a, b), poly))
            hard = list(zip(map(ustart.__getitem__, at), map(uend.__getitem__, at), compress(syls, poly)))
            if len(hard) > hard_words:  # the most syllables first, then in text order
                hard = sorted(sorted(hard, key=_by_syllables)[:hard_words])
            evidence += (s_start, s_end, si, b - a, ps & _MASK, ps >> _POLY & _MASK, dc >> _DC & _MASK,
                         ps >> _LONG & _MASK, len(hard))
            evidence += chain.from_iterable(hard)
    return Measures(totals, longest, counted, evidence)
