"""Invariants of readability's speed work: the per-document result holds measures and
evidence offsets only, and the report built from it (fresh, or read back from the result
cache) is the same; corpus distributions break ties as documented."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from relkit import Context, Corpus, Document, Params, analyze, load_corpus
from relkit.stats import distribution

from relkit_readability import ReadabilityAnalysis
from relkit_readability.counts import count_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _ctx(a: ReadabilityAnalysis, **params) -> Context:
    values = {p.name: p.default for p in a.parameters}
    values.update(params)
    return Context(Params(values), "readability")


def test_per_document_result_is_measures_and_offsets():
    a = ReadabilityAnalysis()
    doc = load_corpus(str(CORPUS)).documents[0]
    res = a.analyze_document(doc, _ctx(a))
    assert set(res) == {"formulas", "counts", "ratios", "lexical_diversity", "_evidence"}
    assert all(isinstance(x, int) for x in res["_evidence"])  # no sentence text in the cached result
    full = a.report_document(doc, _ctx(a))
    assert list(full) == ["formulas", "counts", "ratios", "lexical_diversity", "reading_time", "reliable", "flags", "hard_sentences"]
    assert len(full["hard_sentences"]) == 3
    first = full["hard_sentences"][0]
    assert first["text"] == doc.text[first["start"] : first["end"]]
    assert first["hard_words"] and all(doc.text[w["start"] : w["end"]] == w["text"] for w in first["hard_words"])


def test_report_equals_report_document_and_cache_round_trip(tmp_path):
    corpus = load_corpus(str(CORPUS))
    a = ReadabilityAnalysis()
    fresh = analyze(corpus, only=["readability"], cache=None)["reports"]["readability"]["result"]
    for entry, doc in zip(fresh["documents"], corpus):
        assert json.dumps(entry) == json.dumps({"id": doc.id, **a.report_document(doc, _ctx(a))})
    # Per-document results read back from the cache (the corpus part refitted on a corpus
    # with one more document) give the same entries as a run without the cache.
    analyze(corpus, only=["readability"], cache=str(tmp_path))
    bigger = Corpus(corpus.documents + [Document("extra", "One more short text. It has two sentences.")])
    warm = analyze(bigger, only=["readability"], cache=str(tmp_path))["reports"]["readability"]["result"]
    cold = analyze(bigger, only=["readability"], cache=None)["reports"]["readability"]["result"]
    assert json.dumps(warm, sort_keys=True) == json.dumps(cold, sort_keys=True)
    assert json.dumps(warm["documents"][:-1]) == json.dumps(fresh["documents"])


def test_possessives_joined_and_heading_left_out():
    doc = Document("t", "Top News\n\nTom's dog's bone is Jones' car's. O'Neil's 'twas fine.\n")
    c = count_document(doc)
    assert c.forms == ["tom's", "dog's", "bone", "is", "jones", "car's", "o'neil's", "twas", "fine"]
    assert c.totals["headings_excluded"] == 1 and c.totals["sentences"] == 2
    assert [s.words for s in c.sentences] == [6, 3]


def test_distribution_ties_and_skipped_values():
    d = distribution({"b": 1.0, "a": 1.0, "ab": 3.0, "a2": 3.0, "n": None, "x": math.nan, "i": math.inf})
    assert d["count"] == 4 and d["min"] == 1.0 and d["max"] == 3.0
    assert d["min_doc"] == "a"  # smallest id among the minima
    assert d["max_doc"] == "a2"  # greatest negated code points: "a2" beats "ab"
    assert distribution({"a": 5.0, "ab": 5.0})["max_doc"] == "ab"  # a longer id beats its prefix
    assert d["mean"] == 2.0 and d["median"] == 2.0 and d["q1"] == 1.0 and d["q3"] == 3.0
    assert d["sd"] == pytest.approx(math.sqrt(4 / 3))
    assert distribution({"a": None}) is None and distribution({}) is None
    one = distribution({"z": 2})
    assert one["sd"] == 0.0 and one["min_doc"] == one["max_doc"] == "z"


def test_max_tie_break_matches_the_negated_code_point_key():
    import random

    from relkit.stats import _max_negated

    rng = random.Random(7)
    for _ in range(3000):
        ids = list({"".join(rng.choice("ab\x00\U0010ffff") for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 8))})
        assert _max_negated(ids) == max(ids, key=lambda k: [-ord(c) for c in k])
