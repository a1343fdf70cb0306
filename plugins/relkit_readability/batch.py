"""Readability's per-document measures for many documents at once, column by column.

``counts.count_document`` is the definition: it walks one document's words one by one.
This computes the same numbers, and MATTR, MTLD and the hardest-sentence evidence, for a
batch of documents with numpy over all of the batch's words together: each word form's
context-free counts are one row of a table (``_FormTable``), a word is a row index, and a
sentence's counts are a difference of running sums. Python visits only what needs a
decision: the few ``'s`` joins, short sentences that may be headings, capitalised words
that may be names, and the hardest sentences' hard words. A numpy call costs a few
microseconds whatever its size, too much for one news text of ~120 words, so the runner
hands ``analyze_documents`` batches (tests compare every number with ``count_document``).
"""

from __future__ import annotations

import threading
from itertools import accumulate, chain, compress
from typing import Any, Sequence

import numpy as np

from .counts import COUNT_KEYS, HEADING_MAX_WORDS, _compute_info, _is_heading

__all__ = ["measure_documents"]

_WORD_KINDS = frozenset(("word", "number"))
_JOINERS = ("'s", "s'", "'")  # joined back to the word they hug (see counts)

# Columns of the form table.
(_SYL, _LET, _CHR, _MONO, _POLY, _CPLX, _LONG, _DC, _SP, _UNK, _NUM) = range(11)
_N_FIELDS = 11
_NAME_FIELDS = [_CPLX, _DC, _SP]  # the counts a proper name is left out of
_TABLE_MAX = 1_000_000


def _row(form: str) -> tuple[int, ...]:
    syl, letters, chars, is_number, dc_fam, sp_fam, infl3, hyph, unknown = _compute_info(form)
    poly = syl >= 3
    return (
        syl, letters, chars, syl == 1, poly,
        poly and not (hyph or infl3),  # Gunning: not compounds, not -ed/-es/-ing forms
        letters > 6, not (is_number or dc_fam), not (is_number or sp_fam), unknown and not is_number, is_number,
    )


class _FormTable:
    """Word form → id, and per id a row of its counts (rows are only ever appended, so an
    array read after an id was handed out holds that id's row)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.array = np.zeros((4096, _N_FIELDS), np.int64)
        self.add(_JOINERS)
        self.joiner_ids = np.array([self.ids[j] for j in _JOINERS])

    def add(self, forms: Any) -> None:
        new = list(set(forms).difference(self.ids))  # ids are private: their order is free
        if not new:
            return
        n = len(self.ids)
        rows = np.array([_row(f) for f in new], np.int64).reshape(len(new), _N_FIELDS)
        if n + len(new) > len(self.array):
            grown = np.zeros((max(2 * len(self.array), n + len(new)), _N_FIELDS), np.int64)
            grown[:n] = self.array[:n]
            grown[n : n + len(new)] = rows
            self.array = grown
        else:
            self.array[n : n + len(new)] = rows
        self.ids.update(zip(new, range(n, n + len(new))))  # after the rows: an id's row exists


# Built on first use, not at import: its first rows read the pronouncing dictionary
# (0.13 s of the plugin's import time before, `python -X importtime -c "import relkit.cli"`),
# which a command that runs no readability (`relkit plugins`, `--help`, other analyses)
# should not pay for.
_table: _FormTable | None = None
_table_lock = threading.Lock()  # Dask runs batches in threads


def _ids(forms: list[str]) -> tuple[_FormTable, np.ndarray]:
    """The table and the ids of ``forms`` in it (new forms added)."""
    global _table
    table = _table
    if table is not None:
        try:
            return table, np.fromiter(map(table.ids.__getitem__, forms), np.intp, len(forms))
        except KeyError:
            pass
    with _table_lock:
        if _table is None or len(_table.ids) + len(forms) > _TABLE_MAX:  # bounded memory: start again
            _table = _FormTable()
        table = _table
        table.add(forms)
    return table, np.fromiter(map(table.ids.__getitem__, forms), np.intp, len(forms))


def _segment_sums(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sums of ``values[starts[k]:ends[k]]`` (rows), empty ranges included."""
    run = np.zeros((len(values) + 1,) + values.shape[1:], np.int64)
    np.cumsum(values, axis=0, out=run[1:])
    return run[ends] - run[starts]


def measure_documents(
    docs: Sequence[Any], *, exclude_headings: bool, hard_sentences: int, hard_words: int,
    mattr_window: int, mtld_threshold: float,
) -> list[list[Any]]:
    """Each document's measures as ``ReadabilityAnalysis.analyze_document`` returns them:
    the counts (``COUNT_KEYS`` order), the longest sentence's words, MATTR, MTLD, then the
    hardest sentences (``counts.hard_sentences``'s flat list)."""
    n_docs = len(docs)
    if not n_docs:
        return []
    cols = [d.columns for d in docs]
    sents = [d.sentences for d in docs]
    texts = [d.text for d in docs]
    n_tok = [len(c.start) for c in cols]
    tok_off = np.fromiter(accumulate(n_tok, initial=0), np.intp, n_docs + 1)
    n_sent = [len(s) for s in sents]
    sent_off = np.fromiter(accumulate(n_sent, initial=0), np.intp, n_docs + 1)
    flat_sents = list(chain.from_iterable(sents))
    starts = list(chain.from_iterable(c.start for c in cols))  # doc-local character offsets
    ends = list(chain.from_iterable(c.end for c in cols))

    # Word units: word and number tokens, a touching "'s" joined to the word before it.
    norm = list(chain.from_iterable(c.norm for c in cols))
    wm = list(map(_WORD_KINDS.__contains__, chain.from_iterable(c.kind for c in cols)))
    is_word = np.array(wm, bool)
    wtok = np.flatnonzero(is_word)  # token index of each unit
    forms = list(compress(norm, wm))
    table, uid = _ids(forms)
    # Sentences as token ranges (global token indexes).
    sent_tok = np.fromiter(chain.from_iterable(flat_sents), np.intp, 4 * len(flat_sents)).reshape(-1, 4)
    sent_tok[:, 2:] += np.repeat(tok_off[:-1], n_sent)[:, None]
    uend_at: dict[int, int] = {}  # a joined unit's end
    cand = np.flatnonzero(np.isin(uid, table.joiner_ids))
    if len(cand):
        tk = wtok[cand]
        ok = is_word[tk - 1] & ~np.isin(tk, sent_tok[:, 2])  # after a word, not first in its sentence
        joins = []
        for u, t in zip(cand[ok].tolist(), tk[ok].tolist()):
            if ends[t - 1] == starts[t]:  # touching
                joins.append(u)
        if joins:
            keep = np.ones(len(forms), bool)
            target: dict[int, int] = {}  # joined unit → the unit it went into
            grown: dict[int, str] = {}
            for u in joins:  # in text order, so a chain ("cat's's") grows one unit
                t = target.get(u - 1, u - 1)
                target[u] = t
                grown[t] = grown.get(t, forms[t]) + forms[u]
                keep[u] = False
                uend_at[t] = ends[wtok[u]]
            at = list(grown)
            same_table, new_ids = _ids(list(grown.values()))
            if same_table is table:
                uid[at] = new_ids
            else:  # the table was started again: every id anew
                for t, form in grown.items():
                    forms[t] = form
                table, uid = _ids(forms)
            wtok, uid = wtok[keep], uid[keep]
            # a unit's index after the joins (for the ends kept above)
            new_index = np.cumsum(keep) - 1
            uend_at = {int(new_index[t]): e for t, e in uend_at.items()}
    n_units = len(uid)
    is_unit = np.zeros(len(norm), bool)
    is_unit[wtok] = True
    w_run = np.zeros(len(norm) + 1, np.intp)  # units before each token
    np.cumsum(is_unit, out=w_run[1:])
    sent_a = w_run[sent_tok[:, 2]]  # first unit of each sentence
    sent_len = w_run[sent_tok[:, 3]] - sent_a
    udoc = np.repeat(np.arange(n_docs), np.diff(w_run[tok_off]))

    # Sentences with a word, and which of them are headings.
    spans = np.flatnonzero(sent_len)
    span_doc = np.searchsorted(sent_off, spans, side="right") - 1
    heads = np.zeros(len(sent_len), bool)
    if exclude_headings:
        short = spans[sent_len[spans] <= HEADING_MAX_WORDS]
        for g, d in zip(short.tolist(), (np.searchsorted(sent_off, short, side="right") - 1).tolist()):
            s = flat_sents[g]
            heads[g] = _is_heading(texts[d], s.start, s.end, int(sent_len[g]))
        span_heads = np.bincount(span_doc, heads[spans], minlength=n_docs)
        span_count = np.bincount(span_doc, minlength=n_docs)
        all_heads = (span_heads == span_count) & (span_count > 0)  # no punctuated sentence: keep everything
        if all_heads.any():
            heads[spans[all_heads[span_doc]]] = False
    kept_mask = ~heads[spans]
    kept = spans[kept_mask]
    kept_doc = span_doc[kept_mask]
    counted = np.repeat(~heads, sent_len)  # units of kept sentences (every unit is in a sentence)

    # Per-unit counts; a proper name (capitalised, not sentence-initial) leaves the
    # complex, Dale–Chall and Spache counts.
    rows = table.array[uid]
    initial = np.zeros(n_units, bool)
    initial[sent_a[spans]] = True
    maybe = np.flatnonzero(counted & ~initial & rows[:, _NAME_FIELDS].any(axis=1))
    if len(maybe):
        caps = map(str.isupper, map(str.__getitem__, map(texts.__getitem__, udoc[maybe].tolist()),
                                    map(starts.__getitem__, wtok[maybe].tolist())))
        names = maybe[np.fromiter(caps, bool, len(maybe))]
        rows[np.ix_(names, _NAME_FIELDS)] = 0

    # Sums per kept sentence and per document, over the counted units.
    c_idx = np.flatnonzero(counted)
    c_rows = rows[c_idx]
    c_uid = uid[c_idx]
    c_doc = udoc[c_idx]
    new_pos = np.cumsum(counted) - counted  # a unit's index among the counted units
    k_a = new_pos[sent_a[kept]] if n_units else np.zeros(0, np.intp)
    k_len = sent_len[kept]
    k_sums = _segment_sums(c_rows, k_a, k_a + k_len)
    doc_words = np.bincount(c_doc, minlength=n_docs)
    d_b = np.cumsum(doc_words)
    d_a = d_b - doc_words
    d_sums = _segment_sums(c_rows, d_a, d_b)
    doc_sent = np.bincount(kept_doc, minlength=n_docs)
    doc_heads = np.bincount(span_doc, minlength=n_docs) - doc_sent
    longest = np.zeros(n_docs, np.intp)
    np.maximum.at(longest, kept_doc, k_len)

    # Distinct forms per document, and for MATTR each word's previous occurrence: the sum
    # over windows of their distinct words is a sum over words, each counted in the
    # windows that hold it but not its previous occurrence.
    pos = np.arange(len(c_uid)) - d_a[c_doc]  # index within the document
    order = np.argsort(c_doc * (int(c_uid.max(initial=0)) + 1) + c_uid, kind="stable")  # by document, form, position
    o_doc, o_uid = c_doc[order], c_uid[order]
    same = np.zeros(len(order), bool)
    same[1:] = (o_doc[1:] == o_doc[:-1]) & (o_uid[1:] == o_uid[:-1])
    unique = np.bincount(o_doc[~same], minlength=n_docs)
    sp_order = order[c_rows[order, _SP] > 0]
    sp_same = np.zeros(len(sp_order), bool)
    sp_same[1:] = (c_doc[sp_order[1:]] == c_doc[sp_order[:-1]]) & (c_uid[sp_order[1:]] == c_uid[sp_order[:-1]])
    sp_unique = np.bincount(c_doc[sp_order[~sp_same]], minlength=n_docs)
    w = mattr_window
    prev = np.full(len(order), -1, np.intp)
    prev[order[same]] = pos[order[np.flatnonzero(same) - 1]]
    nxt = np.full(len(order), -1, np.intp)
    nxt[order[np.flatnonzero(same) - 1]] = pos[order[same]]
    lo = np.maximum(np.maximum(prev + 1, pos - w + 1), 0)
    windows = np.maximum(np.minimum(pos, doc_words[c_doc] - w) - lo + 1, 0)
    window_sums = np.bincount(c_doc, windows, minlength=n_docs).tolist()  # float64: exact below 2**53

    # The hardest sentences of each document: grade, then length, then position
    # (counts.hard_sentences); their hard words, 3+ syllables.
    chosen: list[list[int]] = [[] for _ in range(n_docs)]
    if hard_sentences > 0 and len(kept):
        grades = 0.39 * k_len + 11.8 * k_sums[:, _SYL] / k_len - 15.59
        k_start = sent_tok[kept, 0]
        rank = np.lexsort((k_start, -k_len, -grades, kept_doc))
        r_doc = kept_doc[rank]
        nth = np.arange(len(rank)) - np.searchsorted(r_doc, r_doc)
        top = rank[nth < hard_sentences]
        c_syl = c_rows[:, _SYL]
        poly_at = np.flatnonzero(c_syl >= 3)
        # Every chosen sentence's polysyllabic words at once: the runs of poly_at inside
        # each sentence, laid end to end (owner: the chosen sentence of each).
        lo = np.searchsorted(poly_at, k_a[top])
        m = np.searchsorted(poly_at, k_a[top] + k_len[top]) - lo
        owner = np.repeat(np.arange(len(top)), m)
        units = poly_at[lo[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(m) - m, m)]
        h_syl = c_syl[units]
        tks = wtok[c_idx[units]].tolist()
        h_start = list(map(starts.__getitem__, tks))
        h_end = list(map(ends.__getitem__, tks))
        if uend_at:  # a joined unit ends where its last token does
            h_units = c_idx[units]
            for k in np.flatnonzero(np.isin(h_units, list(uend_at))).tolist():
                h_end[k] = uend_at[int(h_units[k])]
        if (m > hard_words).any():  # keep the most syllables, then the first in the text
            order = np.lexsort((np.array(h_start, np.intp), -h_syl, owner))
            nth_word = np.arange(len(order)) - np.searchsorted(owner[order], owner[order])
            keep = np.zeros(len(order), bool)
            keep[order[nth_word < hard_words]] = True
            h_start, h_end = list(compress(h_start, keep)), list(compress(h_end, keep))
            h_syl, owner = h_syl[keep], owner[keep]
            m = np.bincount(owner, minlength=len(top))
        flat = list(chain.from_iterable(zip(h_start, h_end, h_syl.tolist())))
        cut = 0
        sent_off_l = sent_off.tolist()
        for d, g, sl, syl, poly, dc, long_words, n_hard in zip(
            kept_doc[top].tolist(), kept[top].tolist(), k_len[top].tolist(),
            *k_sums[top][:, [_SYL, _POLY, _DC, _LONG]].T.tolist(), m.tolist(),
        ):
            s = flat_sents[g]
            ev = chosen[d]
            ev += (s.start, s.end, g - sent_off_l[d], sl, syl, poly, dc, long_words, n_hard)
            ev += flat[cut : cut + 3 * n_hard]
            cut += 3 * n_hard

    counts = np.zeros((n_docs, len(COUNT_KEYS)), np.int64)
    for key, col in (("sentences", doc_sent), ("words", doc_words), ("spache_difficult_unique", sp_unique),
                     ("unique_words", unique), ("headings_excluded", doc_heads)):
        counts[:, _COUNT_INDEX[key]] = col
    for key, field in _SUMMED:
        counts[:, _COUNT_INDEX[key]] = d_sums[:, field]
    # MTLD walks only the repeated words, forwards (previous occurrences) and backwards
    # (next occurrences, positions counted from the end).
    fwd = np.flatnonzero(prev >= 0)
    f_pos, f_prev = pos[fwd].tolist(), prev[fwd].tolist()
    f_cut = np.searchsorted(fwd, d_b).tolist()
    bwd = np.flatnonzero(nxt >= 0)
    end = doc_words[c_doc[bwd]] - 1
    b_pos, b_prev = (end - pos[bwd]).tolist(), (end - nxt[bwd]).tolist()
    b_cut = np.searchsorted(bwd, d_b).tolist()
    out = []
    for d, (row, n, a, b, lng) in enumerate(zip(counts.tolist(), doc_words.tolist(), d_a.tolist(), d_b.tolist(),
                                                 longest.tolist())):
        if n == 0:
            mattr_value = None
        elif n <= w:
            mattr_value = row[_UNIQUE] / n
        else:
            mattr_value = int(window_sums[d]) / ((n - w + 1) * w)
        mtld_value = None
        if n:
            f0 = f_cut[d - 1] if d else 0
            b0 = b_cut[d - 1] if d else 0
            forward = _mtld_factors(f_pos[f0 : f_cut[d]], f_prev[f0 : f_cut[d]], n, mtld_threshold)
            backward = _mtld_factors(b_pos[b0 : b_cut[d]][::-1], b_prev[b0 : b_cut[d]][::-1], n, mtld_threshold)
            if forward > 0 and backward > 0:
                mtld_value = (n / forward + n / backward) / 2.0
        out.append([*row, lng, mattr_value, mtld_value, *chosen[d]])
    return out


_COUNT_INDEX = {k: i for i, k in enumerate(COUNT_KEYS)}
_UNIQUE = _COUNT_INDEX["unique_words"]
_SUMMED = (
    ("syllables", _SYL), ("letters", _LET), ("characters", _CHR), ("monosyllabic_words", _MONO),
    ("polysyllabic_words", _POLY), ("complex_words", _CPLX), ("long_words", _LONG), ("difficult_words", _DC),
    ("spache_difficult_words", _SP), ("numbers", _NUM), ("unknown_words", _UNK),
)


def _mtld_factors(repeats: list[int], previous: list[int], n: int, threshold: float) -> float:
    """``diversity._mtld_pass`` over a text of ``n`` words given only its repeated words:
    their positions and each one's previous occurrence. A factor's type count is its length
    less the words in it whose previous occurrence is also in it, and only such a word
    can close a factor."""
    factors = 0.0
    start = 0  # of the current factor
    repeated = 0  # words of the current factor seen before in it
    for i, seen in zip(repeats, previous):
        if seen >= start:
            repeated += 1
            count = i - start + 1
            if count - repeated <= threshold * count:  # TTR ≤ threshold, without a division
                factors += 1.0
                start = i + 1
                repeated = 0
    count = n - start
    if count:
        factors += (1.0 - (count - repeated) / count) / (1.0 - threshold)
    return factors
