"""The topics analysis: sample corpus, determinism, k selection, degenerate corpora,
NPMI against hand-computed values and gensim, group-by, term extraction."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from relkit import Corpus, Document
from relkit.report import dumps
from relkit.testing import check_analysis, make_corpus, run_analysis
from relkit_topics.describe import label, unique_labels
from relkit_topics.metrics import diversity, match_topics, npmi, npmi_topics
from relkit_topics.selection import k_grid, k_upper_bound
from relkit_topics.terms import BigramModel, content_term, document_sentences, find_bigrams, runs_of
from relkit_topics.vectorize import prepare

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def sample_report():
    return run_analysis("topics", make_corpus(CORPUS), strict=True)


# -- sample corpus ------------------------------------------------------------------------
def test_sample_corpus_report_shape(sample_report):
    r = sample_report
    assert r["ok"] and r["warnings"] == []
    res = r["result"]
    model = res["model"]
    assert model["method"] == "nmf"
    assert model["k_selection"]["mode"] == "auto"
    assert model["k_selection"]["candidates"] == [2, 3]  # 5 documents: at most ceil(5/2) topics
    assert model["k"] in (2, 3) and len(res["topics"]) == model["k"]
    assert [p["k"] for p in model["k_selection"]["sweep"]] == [2, 3]
    assert sum(p["chosen"] for p in model["k_selection"]["sweep"]) == 1
    for p in model["k_selection"]["sweep"]:  # score = NPMI x diversity x stability
        assert math.isclose(p["score"], p["coherence"] * p["diversity"] * p["stability"], abs_tol=2e-6)
    best = max(model["k_selection"]["sweep"], key=lambda p: p["score"])
    assert best["chosen"] and best["k"] == model["k"]
    assert model["vocabulary"]["documents"] == 5 and model["vocabulary"]["documents_with_terms"] == 5
    assert 0 < model["diversity"] <= 1 and -1 <= model["coherence"] <= 1
    assert 0 <= model["stability"]["mean"] <= 1 and len(model["stability"]["runs"]) == 3
    assert math.isclose(sum(t["prevalence"] for t in res["topics"]), 1.0, abs_tol=1e-5)
    assert sum(t["dominant_documents"] for t in res["topics"]) == 5
    for t in res["topics"]:
        assert t["label"] and len(t["terms"]) == 10 and len(t["frex_terms"]) == 10
        weights = [x["weight"] for x in t["terms"]]
        assert weights == sorted(weights, reverse=True)
        assert all(0 < x["exclusivity"] <= 1 for x in t["terms"])
        assert -1 <= t["coherence"] <= 1 and 0 < t["exclusivity"] <= 1
        assert 1 <= len(t["representative_documents"]) <= 3
        for rep in t["representative_documents"]:
            assert rep["evidence"]["doc"] == rep["doc"]
    # prevalence order: topic 0 is the most prevalent
    prev = [t["prevalence"] for t in res["topics"]]
    assert prev == sorted(prev, reverse=True)
    assert len({t["label"] for t in res["topics"]}) == len(res["topics"])
    docs = res["documents"]
    assert [d["id"] for d in docs] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    for d in docs:
        assert d["dominant_topic"] == d["topics"][0]["topic"]
        assert math.isclose(sum(e["weight"] for e in d["topics"]), 1.0, abs_tol=0.03)
        assert "_sentences" not in d


def test_sample_corpus_evidence_and_bigram_terms(sample_report):
    corpus = make_corpus(CORPUS)
    res = sample_report["result"]
    for t in res["topics"]:
        for rep in t["representative_documents"]:
            ev = rep["evidence"]
            assert corpus[ev["doc"]].text[ev["start"]:ev["end"]] == ev["text"]
    terms = {x["term"] for t in res["topics"] for x in t["terms"]}
    assert any(" " in term for term in terms)  # collocations kept, e.g. "foreign minister"
    assert not any(term in ("said", "the", "2023") for term in terms)


def test_conformance_and_determinism():
    # Parameters, schema, evidence, two runs byte-identical, cold/warm cache, edge documents.
    check_analysis("topics", make_corpus(CORPUS))


def test_two_runs_same_bytes_lda_and_fixed_k():
    corpus = make_corpus(CORPUS)
    one = run_analysis("topics", corpus, {"method": "lda", "k": 2}, strict=True)
    two = run_analysis("topics", corpus, {"method": "lda", "k": 2}, strict=True)
    assert dumps(one) == dumps(two)
    assert one["result"]["model"]["k"] == 2 and one["result"]["model"]["k_selection"]["mode"] == "fixed"
    assert "sweep" not in one["result"]["model"]["k_selection"]


def test_random_state_changes_only_seeded_parts():
    corpus = make_corpus(CORPUS)
    a = run_analysis("topics", corpus, {"k": 2, "random_state": 0}, strict=True)["result"]
    b = run_analysis("topics", corpus, {"k": 2, "random_state": 7}, strict=True)["result"]
    # nndsvd initialisation is deterministic: the topics do not depend on the seed.
    terms = lambda r: [[x["term"] for x in t["terms"]] for t in r["topics"]]  # noqa: E731
    assert terms(a) == terms(b)


# -- k on tiny and empty-ish corpora ------------------------------------------------------------
TINY = {
    "f1": "The football club won the league match. The striker scored twice in the match.",
    "f2": "The club signed a new striker before the league match against rivals.",
    "f3": "Football fans cheered as the club won the match and the league title.",
    "e1": "The central bank raised interest rates as inflation rose again this quarter.",
    "e2": "Inflation and interest rates worry the bank and markets this quarter.",
    "e3": "Markets fell after the central bank signalled higher interest rates to fight inflation.",
}


def test_k_auto_tiny_corpus_separates_two_themes():
    res = run_analysis("topics", TINY, {"stability_runs": 0}, strict=True)["result"]
    assert res["model"]["k_selection"]["candidates"] == [2, 3]
    assert res["model"]["k"] == 2
    dom = {d["id"]: d["dominant_topic"] for d in res["documents"]}
    assert dom["f1"] == dom["f2"] == dom["f3"] != dom["e1"] == dom["e2"] == dom["e3"]
    assert res["model"]["stability"] is None
    assert all(p["stability"] is None for p in res["model"]["k_selection"]["sweep"])
    assert "stability" not in res["model"]["k_selection"]["criterion"]


@pytest.mark.parametrize("texts", [
    {"a": "", "b": "   ", "c": "\n"},
    {"only": "One lonely document about football clubs and league matches."},
    {"a": "Football.", "b": "Inflation."},
])
def test_empty_ish_corpus_warns_and_reports_no_topics(texts):
    r = run_analysis("topics", texts, strict=True)
    assert r["ok"]
    assert any("too little text to model topics" in w["message"] for w in r["warnings"])
    res = r["result"]
    assert res["topics"] == [] and res["model"]["k"] == 0
    assert res["model"]["coherence"] is None and res["model"]["diversity"] is None
    assert [d["id"] for d in res["documents"]] == list(texts)
    assert all(d["dominant_topic"] is None and d["topics"] == [] for d in res["documents"])


def test_empty_documents_among_others_have_no_topic():
    texts = dict(TINY, blank="")
    res = run_analysis("topics", texts, {"k": 2, "stability_runs": 0}, strict=True)["result"]
    blank = next(d for d in res["documents"] if d["id"] == "blank")
    assert blank == {"id": "blank", "terms": 0, "dominant_topic": None, "dominant_weight": None, "topics": []}
    assert res["model"]["vocabulary"]["documents"] == 7 and res["model"]["vocabulary"]["documents_with_terms"] == 6


def _themed_corpus(n: int, seed: int = 0) -> dict[str, str]:
    import random

    rng = random.Random(seed)
    themes = [
        "football club striker league match goal coach stadium fans season".split(),
        "central bank inflation interest rates markets economy growth prices".split(),
        "film actor award cinema director festival movie oscar premiere".split(),
        "election vote parliament minister party campaign poll senate coalition".split(),
    ]
    return {
        f"d{i:03d}": " ".join(" ".join(rng.sample(themes[i % 4], 5)).capitalize() + "." for _ in range(4))
        for i in range(n)
    }


def test_k_auto_model_is_the_fixed_k_model():
    """The sweep fits with fewer iterations and shares refits with the chosen k; the
    reported model must still be exactly what k=<chosen> gives."""
    texts = _themed_corpus(48)
    auto = run_analysis("topics", texts, {"k_max": 8}, strict=True)["result"]
    k = auto["model"]["k"]
    fixed = run_analysis("topics", texts, {"k": k}, strict=True)["result"]
    assert auto["topics"] == fixed["topics"] and auto["documents"] == fixed["documents"]
    for key in ("coherence", "diversity", "stability", "iterations", "converged"):
        assert auto["model"][key] == fixed["model"][key]


def test_sweep_skips_refits_only_for_candidates_that_cannot_win():
    texts = _themed_corpus(48)
    sel = run_analysis("topics", texts, {"k_max": 12}, strict=True)["result"]["model"]["k_selection"]
    chosen = next(p for p in sel["sweep"] if p["chosen"])
    skipped = [p for p in sel["sweep"] if p["score"] is None]
    assert skipped, "expected the sweep to skip some refits on this corpus"
    for p in sel["sweep"]:
        assert math.isclose(p["quality"], p["coherence"] * p["diversity"], abs_tol=2e-6)
        if p["score"] is None:  # its score could be at most its quality
            assert p["stability"] is None
            assert p["quality"] < chosen["score"] or (p["quality"] == chosen["score"] and p["k"] > chosen["k"])
        else:
            assert p["score"] <= chosen["score"]


def test_k_auto_with_skipped_refits_is_deterministic():
    texts = _themed_corpus(48)
    params = {"k_max": 12, "stability_runs": 2}
    assert dumps(run_analysis("topics", texts, params, strict=True)) == dumps(run_analysis("topics", texts, params, strict=True))


def test_fixed_k_too_large_is_clamped_with_warning():
    r = run_analysis("topics", TINY, {"k": 50, "stability_runs": 0}, strict=True)
    assert any("more than this corpus supports" in w["message"] for w in r["warnings"])
    assert r["result"]["model"]["k"] == 6


def test_k_bounds_and_grid():
    assert k_upper_bound(5, 173, 30) == 3
    assert k_upper_bound(2225, 15000, 30) == 30
    assert k_upper_bound(100, 15000, 30) == 20  # 2 * sqrt(100)
    assert k_upper_bound(50, 6, 30) == 3  # half the vocabulary
    assert k_grid(2, 3) == [2, 3]
    assert k_grid(2, 30) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30]
    assert k_grid(4, 13) == [4, 5, 6, 7, 8, 9, 10, 12, 13]
    assert k_grid(3, 2) == []


# -- NPMI ------------------------------------------------------------------------------------
# Toy corpus, 4 documents: a in {0,1,2}, b in {0,1}, c in {3}.
TOY = [["a", "b"], ["a", "b", "a"], ["a"], ["c"]]


def _toy_matrix():
    vocab = ["a", "b", "c"]
    rows, cols = [], []
    for d, doc in enumerate(TOY):
        for w in set(doc):
            rows.append(d)
            cols.append(vocab.index(w))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(4, 3))


def test_npmi_hand_computed():
    # p(a)=3/4, p(b)=2/4, p(ab)=2/4: PMI = ln(0.5 / 0.375) = 0.287682, NPMI = 0.287682 / -ln 0.5 = 0.415037
    assert math.isclose(npmi(2, 3, 2, 4), math.log(0.5 / 0.375) / -math.log(0.5), rel_tol=1e-9)
    assert math.isclose(npmi(2, 3, 2, 4), 0.415037, abs_tol=1e-6)
    # Never together: gensim's epsilon gives ln(1e-12 / (3/16)) / -ln(1e-12) = -0.939235
    assert math.isclose(npmi(0, 3, 1, 4), math.log(1e-12 / (3 / 16)) / -math.log(1e-12), rel_tol=1e-9)
    b = _toy_matrix()
    ab, abc = npmi_topics(b, [[0, 1], [0, 1, 2]])
    assert math.isclose(ab, 0.415037, abs_tol=1e-6)
    # pairs ab, ac, bc (each counted both ways, as gensim's s_one_one does)
    expected = (npmi(2, 3, 2, 4) + npmi(0, 3, 1, 4) + npmi(0, 2, 1, 4)) / 3
    assert math.isclose(abc, expected, rel_tol=1e-12)
    assert npmi_topics(b, [[0]]) == [None]


def test_npmi_matches_gensim_c_npmi_with_document_windows():
    gensim = pytest.importorskip("gensim")
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    texts = TOY + [["b", "c", "d"], ["d", "a"], []]
    vocab = ["a", "b", "c", "d"]
    rows, cols = [], []
    for d, doc in enumerate(texts):
        for w in set(doc):
            rows.append(d)
            cols.append(vocab.index(w))
    b = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), 4))
    topics = [["a", "b", "c"], ["d", "a", "b"], ["c", "d"]]
    cm = CoherenceModel(topics=topics, texts=texts, dictionary=Dictionary(texts), coherence="c_npmi",
                        topn=3, window_size=max(len(t) for t in texts), processes=1)
    theirs = cm.get_coherence_per_topic()
    ours = npmi_topics(b, [[vocab.index(w) for w in t] for t in topics])
    assert np.allclose(ours, theirs, atol=1e-9)



def test_top_indices_is_the_full_sort_with_ties_by_column():
    from relkit_topics.metrics import top_indices

    rng = np.random.default_rng(0)
    for _ in range(200):
        m = rng.integers(0, 4, size=(int(rng.integers(1, 6)), int(rng.integers(1, 40)))).astype(float)
        for n in (1, 3, 10, 50):
            full = [[int(i) for i in np.lexsort((np.arange(len(r)), -r))[:n] if r[i] > 0] for r in m]
            assert top_indices(m, n) == full
    assert top_indices(np.array([[0.0, 2.0, 1.0, 2.0]]), 2) == [[1, 3]]

def test_diversity_and_matching():
    assert diversity([[0, 1, 2], [2, 3, 4]]) == 5 / 6
    assert match_topics([[0, 1], [2, 3]], [[2, 3], [0, 5]]) == [1 / 3, 1.0]


# -- terms and vocabulary ------------------------------------------------------------------------
def test_content_terms_from_shared_tokens():
    doc = Document("d", "The Prime Minister said 2023 sales rose 5% in the U.S. Inc. don't stop.", clean_text=False)
    sents = document_sentences(doc)
    assert sents[0][:2] == [0, len(doc.text)]
    assert sents[0][2] == "prime minister | sales rose | u.s | stop"  # "inc" is a stopword
    assert content_term("don't", "word", False) is None
    assert content_term("a", "word", False) is None
    assert content_term("covid-19", "word", False) == "covid-19"
    assert runs_of("a b | c") == [["a", "b"], ["c"]]


def test_bigrams_by_collocation_strength_never_across_breaks():
    docs = [[[0, 10, "prime minister | visited | prime minister"]], [[0, 10, "prime minister | spoke"]],
            [[0, 10, "minister spoke | prime"]]]
    model = find_bigrams(docs, min_count=3, min_docs=2, threshold=0.0)
    assert ("prime", "minister") in model.scores and ("minister", "visited") not in model.scores
    assert model.merge(["the", "prime", "minister", "spoke"]) == ["the", "prime minister", "spoke"]
    # overlapping pairs: the stronger wins
    m = BigramModel({("a", "b"): 0.5, ("b", "c"): 0.9})
    assert m.merge(["a", "b", "c"]) == ["a", "b c"]
    v = prepare(docs, min_df=2, bigram_min_count=3, bigram_threshold=0.0)
    assert v.terms == ["prime minister", "spoke"]
    assert v.counts.toarray().tolist() == [[2, 0], [1, 1], [0, 1]]



def test_vectorised_counting_and_merging_match_the_plain_definition():
    """prepare() counts and merges in id space over the whole corpus; it must equal
    counting run by run and BigramModel.merge on each run."""
    import random
    from collections import Counter

    rng = random.Random(3)
    words = "a b c d e f".split()
    docs = []
    for _ in range(40):
        sents = []
        for s in range(rng.randint(0, 3)):
            parts = [rng.choice(words + ["|"]) for _ in range(rng.randint(1, 12))]
            while parts and parts[0] == "|":
                parts.pop(0)
            if parts:
                sents.append([s * 10, s * 10 + 5, " ".join(parts)])
        docs.append(sents)
    uni, bi, bi_docs = Counter(), Counter(), Counter()
    for sents in docs:
        seen = set()
        for sent in sents:
            for run in runs_of(sent[2]):
                uni.update(run)
                bi.update(zip(run, run[1:]))
                seen.update(zip(run, run[1:]))
        bi_docs.update(seen)
    total = sum(uni.values())
    expected = {}
    for (a, b), c in bi.items():
        if c >= 2 and bi_docs[(a, b)] >= 2 and a != b and c < total:
            p = c / total
            expected[(a, b)] = math.log(p / ((uni[a] / total) * (uni[b] / total))) / -math.log(p)
    model = find_bigrams(docs, min_count=2, min_docs=2, threshold=-1.0)
    assert model.scores == expected and len(expected) > 10
    v = prepare(docs, min_df=1, max_df=None, bigram_min_count=2, bigram_threshold=-1.0)
    plain = [model.terms(sents) for sents in docs]
    assert v.doc_terms == plain
    assert v.terms == sorted({t for terms in plain for t in terms})
    assert v.counts.toarray().tolist() == [[terms.count(t) for t in v.terms] for terms in plain]

def test_labels():
    assert label(["growth", "economy", "interest rates", "bank"]) == "interest rates / growth / economy"
    assert label(["film", "awards", "best"]) == "film / awards / best"
    assert unique_labels([["a", "b", "c", "d"], ["a", "b", "c", "e"]]) == ["a / b / c / d", "a / b / c / e"]


# -- group_by ------------------------------------------------------------------------------
def test_group_by_date_year_and_source():
    corpus = make_corpus(CORPUS)
    res = run_analysis("topics", corpus, {"k": 2, "group_by": "date"}, strict=True)["result"]
    g = res["prevalence_by_group"]
    assert g["field"] == "date" and g["unit"] == "year"
    assert [x["group"] for x in g["groups"]] == ["(none)", "2019", "2020", "2023"]
    assert [x["documents"] for x in g["groups"]] == [1, 1, 1, 2]
    for grp in g["groups"]:
        assert math.isclose(sum(t["prevalence"] for t in grp["topics"]), 1.0, abs_tol=1e-5)
        assert sum(t["dominant_documents"] for t in grp["topics"]) == grp["documents_with_terms"]
    by_doc = {d["id"]: d for d in res["documents"]}
    g2023 = next(x for x in g["groups"] if x["group"] == "2023")
    dominant = [by_doc["000_fbbc5cfd56b40f15"]["dominant_topic"], by_doc["002_90caf51eb26dd119"]["dominant_topic"]]
    assert [t["dominant_documents"] for t in g2023["topics"]] == [dominant.count(0), dominant.count(1)]
    res2 = run_analysis("topics", corpus, {"k": 2, "group_by": "source"}, strict=True)["result"]
    assert [x["group"] for x in res2["prevalence_by_group"]["groups"]] == ["(none)", "AZERTAC", "News.Az", "TDI", "Trend"]


def test_group_by_month_on_metadata():
    meta = [{"date": "2024-01-03"}, {"date": "2024-01-20"}, {"date": "2024-02-01"}] * 2
    corpus = Corpus([Document(i, t, metadata=m) for (i, t), m in zip(TINY.items(), meta)])
    res = run_analysis("topics", corpus, {"k": 2, "group_by": "date:month", "stability_runs": 0}, strict=True)["result"]
    groups = res["prevalence_by_group"]["groups"]
    assert [(x["group"], x["documents"]) for x in groups] == [("2024-01", 4), ("2024-02", 2)]


def test_bad_group_by_fails_cleanly():
    r = run_analysis("topics", TINY, {"group_by": "date:week"})
    assert r["ok"] is False and "group_by" in r["error"]["message"]


def test_k_auto_sweeps_on_a_sample_of_large_corpora():
    import random

    rng = random.Random(0)
    themes = [
        "football club striker league match goal coach stadium fans season".split(),
        "central bank inflation interest rates markets economy growth prices".split(),
        "film actor award cinema director festival movie oscar premiere".split(),
    ]
    texts = {}
    for i in range(60):
        words = themes[i % 3]
        texts[f"d{i:02d}"] = " ".join(
            " ".join(rng.sample(words, 5)).capitalize() + "." for _ in range(4)
        )
    res = run_analysis("topics", texts, {"sweep_sample": 50, "k_max": 6}, strict=True)["result"]
    sel = res["model"]["k_selection"]
    assert sel["sweep_documents"] == 50 and res["model"]["vocabulary"]["documents_with_terms"] == 60
    assert res["model"]["k"] == 3 and [p["k"] for p in sel["sweep"] if p["chosen"]] == [3]
    dom = [d["dominant_topic"] for d in res["documents"]]
    assert all(dom[i] == dom[i % 3] for i in range(60)) and len(set(dom[:3])) == 3
    full = run_analysis("topics", texts, {"sweep_sample": None, "k_max": 6}, strict=True)["result"]
    assert full["model"]["k_selection"]["sweep_documents"] == 60 and full["model"]["k"] == 3
