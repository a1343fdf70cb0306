"""``Analysis.analyze_documents``: the runner hands per-document parts batches of documents."""

from __future__ import annotations

import pytest

import relkit
from relkit import Analysis, runner
from relkit.testing import registered


class Batched(Analysis):
    name = "batched_test"
    description = "word counts, computed a batch at a time"
    version = "1"
    batches: list[list[str]] = []

    def analyze_documents(self, docs, ctx):
        Batched.batches.append([d.id for d in docs])
        out = []
        for d in docs:
            if "boom" in d.text:
                raise ValueError("cannot count a boom")
            if "odd" in d.text:
                ctx.warn("an odd document", doc=d.id)
            out.append({"words": len(d.words)})
        return out

    def analyze_corpus(self, corpus, ctx, documents):
        return {"total": sum(d["words"] for d in documents)}


class OneByOne(Analysis):
    name = "one_by_one_test"
    description = "word counts, one document at a time"
    version = "1"

    def analyze_document(self, doc, ctx):
        return {"words": len(doc.words)}


@pytest.fixture
def batched():
    Batched.batches = []
    with registered(Batched), registered(OneByOne):  # unregistered when the test ends
        yield Batched


def _corpus(n, extra=None):
    texts = {f"d{i:03d}": f"Document {i} has words. " * (i % 4 + 1) for i in range(n)}
    texts.update(extra or {})
    return relkit.Corpus.from_texts(texts)


def test_batches_hold_every_document_once_in_order_and_equal_one_by_one(batched, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_DOCS", 16)
    corpus = _corpus(40)
    out = relkit.analyze(corpus, only=["batched_test", "one_by_one_test"], jobs=1, cache=None)
    assert [len(b) for b in Batched.batches] == [16, 16, 8]
    assert sum(Batched.batches, []) == [d.id for d in corpus]
    a, b = (out["reports"][n]["result"]["documents"] for n in ("batched_test", "one_by_one_test"))
    assert a == b and [d["id"] for d in a] == [d.id for d in corpus]


def test_batches_are_bounded_by_characters(batched, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_CHARS", 100)
    relkit.analyze(_corpus(10), only=["batched_test"], jobs=1, cache=None)
    # each text is 24-96 characters: never two in a batch over 100 characters, never an empty batch
    assert Batched.batches and all(b for b in Batched.batches)
    texts = {d.id: d.text for d in _corpus(10)}
    assert all(len(b) == 1 or sum(len(texts[i]) for i in b) <= 100 for b in Batched.batches)


def test_parallel_batches_give_the_same_report(batched):
    corpus = _corpus(80)
    one = relkit.analyze(corpus, only=["batched_test"], jobs=1, cache=None)["reports"]["batched_test"]
    two = relkit.analyze(_corpus(80), only=["batched_test"], jobs=2, cache=None)["reports"]["batched_test"]
    assert one["result"] == two["result"]


def test_a_warning_goes_with_the_document_it_names(batched):
    corpus = _corpus(6, {"odd1": "An odd one. Still words."})
    rep = relkit.analyze(corpus, only=["batched_test"], jobs=1, cache=None)["reports"]["batched_test"]
    assert rep["ok"]
    assert [w for w in rep["warnings"] if w.get("doc") == "odd1"] == [{"message": "an odd document", "doc": "odd1"}]


def test_a_failing_batch_is_rerun_one_by_one_and_names_the_document(batched):
    corpus = _corpus(6, {"bad": "This one goes boom."})
    rep = relkit.analyze(corpus, only=["batched_test", "one_by_one_test"], jobs=1, cache=None)["reports"]
    assert not rep["batched_test"]["ok"]
    assert rep["batched_test"]["error"]["type"] == "ValueError"
    assert "on document 'bad'" in rep["batched_test"]["error"]["message"]
    # batches of one after the failure; the other analysis is untouched
    assert Batched.batches[0] == [d.id for d in corpus] and all(len(b) == 1 for b in Batched.batches[1:])
    assert rep["one_by_one_test"]["ok"]


def test_an_analysis_with_only_a_batch_part_has_a_document_part(batched):
    assert Batched.has_document_part() and Batched.has_batch_part()
    assert not OneByOne.has_batch_part()
    doc = relkit.Document("x", "Two words.")
    assert Batched().analyze_document(doc, relkit.Context(relkit.Params({}), "batched_test")) == {"words": 2}


class Drifting(Analysis):
    """A batch part that disagrees with its one-document part: the kit must say so."""

    name = "drifting_test"
    description = "counts documents seen so far in the batch"
    version = "1"

    def analyze_document(self, doc, ctx):
        return {"n": 1}

    def analyze_documents(self, docs, ctx):
        return [{"n": i + 1} for i, _ in enumerate(docs)]


def test_the_conformance_kit_compares_batches_with_single_documents():
    from relkit.testing import ConformanceError, check_analysis

    check_analysis(Batched, cache=False)
    with pytest.raises(ConformanceError, match="analyze_documents gave document .* a different result"):
        check_analysis(Drifting, cache=False)
