"""readability's batch path (``batch.measure_documents``) against the word-by-word definition."""

from __future__ import annotations

from pathlib import Path

import pytest

from relkit import Document, load_corpus

from relkit_readability import batch
from relkit_readability.analysis import _HARD_WORDS_PER_SENTENCE
from relkit_readability.counts import count_document, hard_sentences
from relkit_readability.diversity import mattr, mtld
from test_readability_speed import EDGE_TEXTS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _docs():
    return list(load_corpus(str(CORPUS))) + [Document(f"e{i}", t) for i, t in enumerate(EDGE_TEXTS)]


def _definition(doc, *, exclude_headings, k, window, threshold):
    c = count_document(doc, exclude_headings=exclude_headings)
    return [*c.totals.values(), c.longest_sentence, mattr(c.forms, window), mtld(c.forms, threshold),
            *hard_sentences(c, k, _HARD_WORDS_PER_SENTENCE)]


def _batched(docs, size, **kw):
    out = []
    for i in range(0, len(docs), size):
        out += batch.measure_documents(docs[i : i + size], hard_words=_HARD_WORDS_PER_SENTENCE, **kw)
    return out


@pytest.mark.parametrize("exclude_headings", [True, False])
@pytest.mark.parametrize("k", [0, 3, 100])
@pytest.mark.parametrize("window", [2, 50, 10_000])
def test_batches_equal_the_definition_whatever_the_batch_size(exclude_headings, k, window):
    docs = _docs()
    want = [_definition(d, exclude_headings=exclude_headings, k=k, window=window, threshold=0.72) for d in docs]
    for size in (1, 4, len(docs)):
        got = _batched(docs, size, exclude_headings=exclude_headings, hard_sentences=k, mattr_window=window,
                       mtld_threshold=0.72)
        assert got == want, size
        # the same types too: ints stay ints (JSON and the cache keys depend on it)
        assert [list(map(type, g)) for g in got] == [list(map(type, w)) for w in want]


def test_a_batch_with_empty_and_punctuation_only_documents_between_others():
    docs = [Document("a", ""), Document("b", "A short one. Another one here."), Document("c", "!!! ..."),
            Document("d", "Tom's cat's toy. Mary's.")]
    kw = dict(exclude_headings=True, k=3, window=50, threshold=0.72)
    assert _batched(docs, 4, exclude_headings=True, hard_sentences=3, mattr_window=50, mtld_threshold=0.72) == [
        _definition(d, **kw) for d in docs]
    empty = batch.measure_documents([Document("a", "")], exclude_headings=True, hard_sentences=3, hard_words=8,
                                    mattr_window=50, mtld_threshold=0.72)[0]
    assert empty[:16] == [0] * 16 and empty[16:] == [0, None, None]


def test_a_full_form_table_starts_again_without_changing_a_number(monkeypatch):
    docs = _docs()
    want = _batched(docs, len(docs), exclude_headings=True, hard_sentences=3, mattr_window=50, mtld_threshold=0.72)
    monkeypatch.setattr(batch, "_table", batch._FormTable())
    monkeypatch.setattr(batch, "_TABLE_MAX", 60)  # smaller than one document's forms: restarts every batch
    before = batch._table
    assert _batched(docs, 2, exclude_headings=True, hard_sentences=3, mattr_window=50, mtld_threshold=0.72) == want
    assert batch._table is not before


def test_form_table_rows_are_the_definition_of_each_form():
    from relkit_readability.counts import _compute_info

    table = batch._FormTable()
    table.add(["extraordinarily", "1990s", "cat's", "well-known", "interested"])
    for form, i in table.ids.items():
        syl, letters, chars, is_number, dc_fam, sp_fam, infl3, hyph, unknown = _compute_info(form)
        row = table.array[i].tolist()
        assert row[batch._SYL] == syl and row[batch._LET] == letters and row[batch._CHR] == chars
        assert row[batch._POLY] == (syl >= 3) and row[batch._CPLX] == (syl >= 3 and not (hyph or infl3))
        assert row[batch._DC] == (not (is_number or dc_fam)) and row[batch._NUM] == is_number
