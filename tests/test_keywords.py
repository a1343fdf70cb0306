"""Tests for the keywords plugin: keyphrases, keyness, collocations (the KWIC command is in test_keywords_kwic.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from relkit import STOPWORDS, Document, load_corpus, normalize
from relkit.testing import check_analysis, make_corpus, run_analysis

from relkit_keywords.candidates import extract_candidates, is_content_word
from relkit_keywords.collocations import contingency_g2, document_ngrams, score_ngrams
from relkit_keywords.keyness import keyness_table, log_likelihood, log_ratio, p_value
from relkit_keywords.keyphrases import KeyphraseScorer

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def sample_report():
    return run_analysis("keywords", [CORPUS], strict=True)


@pytest.fixture(scope="module")
def sample_corpus():
    return load_corpus(str(CORPUS))


# -- keyness statistics, by hand ------------------------------------------------------------
def test_g2_and_log_ratio_by_hand():
    # a word seen 10 times in 1,000 target tokens and 20 times in 10,000 reference tokens
    # E1 = 1000*30/11000 = 2.727273, E2 = 10000*30/11000 = 27.272727
    # G2 = 2*(10*ln(11/3) + 20*ln(11/15)) = 2*(12.992830 - 6.203099) = 13.579463
    assert log_likelihood(10, 20, 1000, 10000) == pytest.approx(13.579463, abs=1e-5)
    # log ratio = log2((10/1000) / (20/10000)) = log2(5)
    assert log_ratio(10, 20, 1000, 10000) == pytest.approx(2.321928, abs=1e-6)
    assert p_value(13.579463) == pytest.approx(0.00022867, rel=1e-4)
    assert p_value(3.841459) == pytest.approx(0.05, abs=1e-6)
    # same relative frequency: no keyness at all
    assert log_likelihood(10, 100, 1000, 10000) == pytest.approx(0.0, abs=1e-12)
    assert log_ratio(10, 100, 1000, 10000) == 0.0
    # a zero count is replaced by 0.5 (Hardie): log2((8/1000)/(0.5/1000)) = 4
    assert log_ratio(8, 0, 1000, 1000) == pytest.approx(4.0)
    # G2 with b = 0: 2*8*ln(8/(1000*8/2000)) = 16 ln 2
    assert log_likelihood(8, 0, 1000, 1000) == pytest.approx(16 * math.log(2))


def test_keyness_table_positive_negative_and_filters():
    target = {"tanker": 12, "the": 30, "rare": 2}
    reference = {"tanker": 1, "the": 600, "rare": 1}
    pos, neg = keyness_table(target, reference, 1000, 10000, min_freq=5, max_p=0.05)
    assert [r.word for r in pos] == ["tanker"]
    assert [r.word for r in neg] == ["the"]
    assert pos[0].per_million == pytest.approx(12000.0)
    assert pos[0].per_million_ref == pytest.approx(100.0)
    assert pos[0].log_ratio == pytest.approx(math.log2(120))
    assert neg[0].log_ratio == pytest.approx(-1.0)  # 30/1000 vs 600/10000
    assert neg[0].g2 == pytest.approx(log_likelihood(30, 600, 1000, 10000))
    # "rare" (2 and 1) never reaches min_freq and is not tested
    pos, neg = keyness_table(target, reference, 1000, 10000, min_freq=1, max_p=1.0)
    assert {r.word for r in pos + neg} == {"tanker", "the", "rare"}


def test_contingency_g2_by_hand():
    # bigram seen 5 times; first word 10, second word 8, N = 1000
    o11, r1, c1, n = 5, 10, 8, 1000
    cells = [(5, 10 * 8 / 1000), (5, 10 * 992 / 1000), (3, 990 * 8 / 1000), (987, 990 * 992 / 1000)]
    expected = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert contingency_g2(o11, r1, c1, n) == pytest.approx(expected)
    assert expected == pytest.approx(38.540449, abs=1e-5)


# -- candidates ------------------------------------------------------------------------------
def test_candidates_never_cross_sentences_or_artefacts(sample_corpus):
    for doc in sample_corpus:
        cands = extract_candidates(doc, max_words=4)
        assert cands
        kept = doc.regions
        for words, c in cands.items():
            for o in c.occurrences:
                s = doc.sentences[o.sent]
                assert s.start <= o.start < o.end <= s.end, (doc.id, words)
                assert any(a <= o.start and o.end <= b for a, b in kept), (doc.id, words)
                assert [normalize(w) for w in doc.text[o.start : o.end].replace("’s", "").split()] or True
                assert words[0] not in STOPWORDS and words[-1] not in STOPWORDS


def test_candidates_split_at_punctuation_and_stopwords():
    doc = Document("d", "The oil spill spread. Coast Guard officers, divers and the oil spill team arrived.")
    cands = extract_candidates(doc)
    assert ("oil", "spill") in cands and cands[("oil", "spill")].tf == 2
    assert ("spill", "spread", "coast") not in cands  # sentence boundary
    assert ("officers", "divers") not in cands  # comma
    assert ("divers", "oil") not in cands  # stopwords "and the"
    assert ("coast", "guard", "officers") in cands
    assert not any(w in ("arrived",) for ws in cands for w in ws[-1:])  # past tense never ends a phrase
    assert not is_content_word("recently", "word", False)
    assert is_content_word("family", "word", False)


# -- keyphrases on the sample corpus ------------------------------------------------------------
def test_keyphrase_offsets_point_at_their_phrase(sample_report, sample_corpus):
    docs = sample_report["result"]["documents"]
    assert [d["id"] for d in docs] == [d.id for d in sample_corpus]
    for entry in docs:
        doc = sample_corpus[entry["id"]]
        assert 0 < len(entry["keyphrases"]) <= 10
        for kp in entry["keyphrases"]:
            assert kp["frequency"] == len(kp["occurrences"]) >= 1
            for occ in kp["occurrences"]:
                assert doc.text[occ["start"] : occ["end"]] == occ["text"]
                norms = [t.norm for t in doc.tokens if occ["start"] <= t.start and t.end <= occ["end"]]
                assert " ".join(norms) == kp["phrase"]


def test_sample_keyphrases_are_clean_and_diverse(sample_report):
    artefacts = ("px", "twitter", "follow", "read", "date", "news.az", "azernews")
    for entry in sample_report["result"]["documents"]:
        phrases = [kp["phrase"] for kp in entry["keyphrases"]]
        assert len(set(phrases)) == len(phrases)
        for ph in phrases:
            words = ph.split()
            assert words[0] not in STOPWORDS and words[-1] not in STOPWORDS, ph
            assert not any(w in artefacts for w in words), ph
            assert any(c.isalpha() for c in ph)
        # diversified: no phrase is made only of words of a better-ranked phrase
        seen: list[set[str]] = []
        for ph in phrases:
            ws = set(ph.split())
            assert not any(ws <= s for s in seen), (entry["id"], ph)
            seen.append(ws)
    first = sample_report["result"]["documents"][0]
    top = [kp["phrase"] for kp in first["keyphrases"]]
    assert top[0] == "russia-azerbaijan expert council"
    variants = [v["phrase"] for v in first["keyphrases"][0]["variants"]]
    assert "expert council" in variants


def test_duplicate_document_doubles_frequency(sample_report):
    # 001 holds its body twice: "South Caucasus" occurs 3 times per copy
    doc = next(d for d in sample_report["result"]["documents"] if d["id"].startswith("001_"))
    sc = next(kp for kp in doc["keyphrases"] if kp["phrase"] == "south caucasus")
    assert sc["frequency"] == 6


# -- keyness and collocations through the analysis -------------------------------------------------
def test_keyness_against_wordfreq(sample_report, sample_corpus):
    k = sample_report["result"]["keyness"]
    assert k["reference"]["kind"] == "wordfreq"
    pos = {r["word"]: r for r in k["positive"]}
    assert "azerbaijan" in pos
    az = pos["azerbaijan"]
    total = k["target_tokens"]
    assert az["per_million"] == pytest.approx(1e6 * az["count"] / total)
    assert az["g2"] == pytest.approx(log_likelihood(az["count"], az["count_reference"], total, k["reference"]["tokens"]), rel=1e-5)
    assert az["log_ratio"] > 5 and az["p"] < 1e-6
    ex = az["example"]
    assert sample_corpus[ex["doc"]].text[ex["start"] : ex["end"]] == ex["text"]
    for r in k["positive"] + k["negative"]:
        assert r["word"] not in STOPWORDS
    gs = [r["g2"] for r in k["positive"]]
    assert gs == sorted(gs, reverse=True)
    assert all(r["per_million"] < r["per_million_reference"] for r in k["negative"])


def test_collocations_sample(sample_report, sample_corpus):
    col = sample_report["result"]["collocations"]
    big = {r["ngram"]: r for r in col["bigrams"]}
    sc = big["south caucasus"]
    assert sc["count"] == 7 and sc["documents"] == 2
    for r in col["bigrams"] + col["trigrams"]:
        assert r["count"] >= 3
        for ex in r["examples"]:
            text = sample_corpus[ex["doc"]].text[ex["start"] : ex["end"]]
            assert text == ex["text"]
            assert normalize(text).replace("–", "-").split()[0] == r["ngram"].split()[0]
    lls = [r["log_likelihood"] for r in col["bigrams"]]
    assert lls == sorted(lls, reverse=True)


def test_collocations_stay_inside_sentences():
    corpus = make_corpus({
        "a": "Alpha beta went home. Gamma delta stayed. Alpha beta again. Beta gamma is new.",
        "b": "Alpha beta here. Beta gamma twice.",
    })
    counts, first = document_ngrams(corpus["a"])
    assert counts["alpha beta"] == 2
    assert counts["beta gamma"] == 1  # only inside "Beta gamma is new", never across ". Gamma"
    assert corpus["a"].text[first["alpha beta"][0] : first["alpha beta"][1]] == "Alpha beta"
    report = run_analysis("keywords", corpus, {"collocation_min_freq": 2, "min_freq": 1}, strict=True)
    big = {r["ngram"]: r for r in report["result"]["collocations"]["bigrams"]}
    assert big["alpha beta"]["count"] == 3 and big["alpha beta"]["documents"] == 2
    assert big["beta gamma"]["count"] == 2
    n = report["result"]["collocations"]["tokens"]
    ab = big["alpha beta"]
    assert ab["word_counts"] == [3, 5]
    assert ab["expected"] == pytest.approx(3 * 5 / n)
    assert ab["pmi"] == pytest.approx(math.log2(3 / (15 / n)))
    assert ab["t_score"] == pytest.approx((3 - 15 / n) / math.sqrt(3))


def test_trigram_scores():
    rows = score_ngrams({"minister of defence": 4, "minister of": 5}, {"minister": 6, "of": 50, "defence": 4}, 1000, min_freq=3)
    assert [r["ngram"] for r in rows] == ["minister of defence"]  # a bigram ending in a stopword is never reported
    r = rows[0]
    assert r["expected"] == pytest.approx(6 * 50 * 4 / 1000**2)
    assert r["log_likelihood"] == pytest.approx(contingency_g2(4, 5, 4, 1000))


def test_keyness_between_groups():
    texts = {
        "a1": "Tankers carried crude oil. The tanker fleet grew. Oil prices rose with tanker demand.",
        "a2": "A tanker ran aground. Tanker owners paid for the oil cleanup.",
        "b1": "The election campaign began. Voters met the candidates at the election rally.",
        "b2": "Election officials counted votes. The campaign ended with the election.",
    }
    meta = {"a1": {"source": "Shipping"}, "a2": {"source": "Shipping"}, "b1": {"source": "Politics"}, "b2": {"source": "Politics"}}
    report = run_analysis("keywords", make_corpus(texts, metadata=meta), {"group_by": "source", "min_freq": 3, "max_p": 0.1}, strict=True)
    groups = report["result"]["keyness_by_group"]["groups"]
    assert list(groups) == ["Politics", "Shipping"]
    ship = groups["Shipping"]
    assert ship["documents"] == 2
    top = {r["word"]: r for r in ship["positive"]}
    assert "tanker" in top and top["tanker"]["count"] == 4 and top["tanker"]["count_reference"] == 0
    assert top["tanker"]["g2"] == pytest.approx(log_likelihood(4, 0, ship["tokens"], ship["reference_tokens"]))
    assert top["tanker"]["example"]["doc"] in ("a1", "a2")
    assert "election" in {r["word"] for r in ship["negative"]}
    assert "election" in {r["word"] for r in groups["Politics"]["positive"]}


def test_keyness_reference_corpus(tmp_path):
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "r1.txt").write_text("The weather was mild. Farmers planted wheat in the spring.\n")
    (ref / "r2.txt").write_text("Farmers sold wheat at the market. The weather turned cold.\n")
    corpus = make_corpus({"t": "Wheat prices rose. Tanker tanker tanker traffic grew and the tanker fleet sailed."})
    report = run_analysis("keywords", corpus, {"reference": str(ref), "min_freq": 2, "max_p": 0.5}, strict=True)
    k = report["result"]["keyness"]
    assert k["reference"]["kind"] == "corpus" and k["reference"]["documents"] == 2
    assert k["reference"]["tokens"] == 20
    pos = {r["word"]: r for r in k["positive"]}
    assert pos["tanker"]["count"] == 4 and pos["tanker"]["count_reference"] == 0
    assert pos["tanker"]["g2"] == pytest.approx(log_likelihood(4, 0, k["target_tokens"], 20))
    assert "farmers" in {r["word"] for r in k["negative"]}


def test_conformance():
    check_analysis("keywords")


def test_every_example_offset_points_at_its_ngram_or_word(sample_report, sample_corpus):
    result = sample_report["result"]
    col = result["collocations"]
    assert col["bigrams"] and col["trigrams"]
    for r in col["bigrams"] + col["trigrams"]:
        assert r["examples"]
        for ex in r["examples"]:
            doc = sample_corpus[ex["doc"]]
            norms = [t.norm for t in doc.tokens if ex["start"] <= t.start and t.end <= ex["end"]]
            assert " ".join(norms) == r["ngram"], (r["ngram"], ex)
            # inside one sentence
            assert any(s.start <= ex["start"] and ex["end"] <= s.end for s in doc.sentences)
    for r in result["keyness"]["positive"]:
        ex = r["example"]
        doc = sample_corpus[ex["doc"]]
        assert [t.norm for t in doc.tokens if t.start == ex["start"] and t.end == ex["end"]] == [r["word"]]


def test_keyphrase_occurrences_stay_in_one_sentence(sample_report, sample_corpus):
    for entry in sample_report["result"]["documents"]:
        doc = sample_corpus[entry["id"]]
        for kp in entry["keyphrases"]:
            sents = [i for occ in kp["occurrences"] for i, s in enumerate(doc.sentences)
                     if s.start <= occ["start"] and occ["end"] <= s.end]
            assert len(sents) == len(kp["occurrences"]), kp["phrase"]
            assert sents[0] == kp["first_sentence"]


def test_fragment_inside_a_longer_candidate_is_not_scored():
    doc = Document("d", "Russian Foreign Minister spoke. Russian Foreign Minister Sergey Lavrov arrived in Baku. "
                        "Oil spill cleanup began. The oil spill cleanup crews worked. Oil spill teams came.")
    cands = extract_candidates(doc)
    scores = KeyphraseScorer().score(cands)
    # "russian foreign" (2) only ever occurs inside "russian foreign minister" (2): dropped
    assert cands[("russian", "foreign")].tf == 2 and ("russian", "foreign") not in scores
    assert ("russian", "foreign", "minister") in scores
    # "oil spill" (3, never a whole run) also occurs outside "oil spill cleanup" (2): kept
    assert cands[("oil", "spill")].tf == 3 and not cands[("oil", "spill")].maximal
    assert cands[("oil", "spill", "cleanup")].tf == 2 and ("oil", "spill") in scores
    assert ("russian", "foreign") in KeyphraseScorer(drop_subsumed=False).score(cands)


# -- the compact per-document state --------------------------------------------------------
def test_runs_give_the_same_counts_as_the_tokens(sample_corpus):
    from collections import Counter

    from relkit_keywords import wordruns

    docs = list(sample_corpus) + list(make_corpus({
        "n": "In the 1990s, 3rd-party sellers' profits rose. The 1990S were 2,000th best; Bank's 3 bln deal. "
             "Minister of defence met the minister of defence. U.S. oil's price: $3.2 bln.",
    }))
    for doc in docs:
        runs = wordruns.encode(doc)
        counts, _ = document_ngrams(doc)
        assert Counter(wordruns.ngram_keys(runs)) == Counter(counts)
        assert Counter(wordruns.words(runs)) == Counter(t.norm for t in doc.tokens if t.kind in ("word", "number"))
    runs = wordruns.encode(docs[-1])
    assert "in the " + wordruns.NUMBER + "1990s\n" in runs  # a number, never a collocation's content word
    assert wordruns.has_word(runs, "1990s")  # "1990S" is a word
    assert not wordruns.has_word(runs, "3")  # only a number
    assert Counter(wordruns.ngram_keys(runs))["minister of defence"] == 2


def test_private_state_is_one_string_per_document(sample_report):
    # The corpus part re-derives example offsets; the per-document state holds no dicts.
    from relkit import Context, Params
    from relkit_keywords.analysis import KeywordsAnalysis

    ctx = Context(Params({p.name: p.default for p in KeywordsAnalysis.parameters}), analysis="keywords")
    out = KeywordsAnalysis().analyze_document(Document("x", "Oil spill off Alaska. The oil spill grew."), ctx)
    assert {k for k in out if k.startswith("_")} == {"_runs"}
    assert out["_runs"] == "oil spill off alaska\nthe oil spill grew"
    col = sample_report["result"]["collocations"]
    for r in col["bigrams"] + col["trigrams"]:
        assert r["examples"] and all(e["text"].lower().replace("’", "'").replace("–", "-").split()[0] == r["ngram"].split()[0]
                                     for e in r["examples"])


def test_holders_match_the_ngram_lists(sample_corpus):
    from relkit_keywords import wordruns

    docs = list(sample_corpus) + list(make_corpus({
        "n": "Prices rose 3 percent. The boom 1990s ended; prices rose 3 percent again. Boom 1990S.",
        "m": "Xprices rose sharply. Prices rose.",
    }))
    runs = [wordruns.encode(d) for d in docs]
    listed = [set(wordruns.ngram_keys(r)) for r in runs]
    keys = sorted(set().union(*listed))
    assert {"prices rose", "rose 3", "boom 1990s"} <= set(keys)
    found = set(wordruns.holders(runs, keys))
    assert found == {(k, i) for i, ks in enumerate(listed) for k in ks}


def test_count_ngrams_is_exact_at_and_above_the_minimum(sample_corpus):
    # The two-pass count (hashed counters, then exact counts of the n-grams that can reach
    # the minimum) gives the one-pass counts for every n-gram at or above it, whatever
    # the table size: a one-counter-per-bucket table of 1,024 collides heavily here.
    from collections import Counter

    from relkit_keywords import wordruns

    docs = list(sample_corpus) + list(make_corpus({
        "n": "Prices rose 3 percent. The boom 1990s ended; prices rose 3 percent again. Boom 1990S. Boom 1990s.",
        "m": "Xprices rose sharply. Prices rose. Bank's oil's price rose. Oil price rose.",
        "e": "",
    }))
    runs = [wordruns.encode(d) for d in docs]
    full = Counter()
    for r in runs:
        full.update(wordruns.ngram_keys(r))
    assert wordruns.count_ngrams(runs) == dict(full)
    for min_freq in (2, 3, 5):
        for hint in (1, 10**6):
            got = wordruns.count_ngrams(runs, min_freq, hint)
            assert {k: c for k, c in got.items() if c >= min_freq} == {k: c for k, c in full.items() if c >= min_freq}
            assert all(full[k] == c for k, c in got.items())  # rarer ones, when let through, are exact too
    assert wordruns.count_ngrams(runs, 2, 10**6)["prices rose"] == full["prices rose"] == 3
    assert "boom 1990s" in wordruns.count_ngrams(runs, 3, 10**6)  # word and number "1990s" count as one n-gram


def test_hash_matches_are_checked():
    # _is finds words by hash, then checks them: a word sharing the hash is not taken.
    import numpy as np

    from relkit_keywords.wordruns import _is

    plain = ["'s", "oil", "'s", "x"]
    h = np.array([7, 7, 7, 3], dtype=np.int64)  # "oil" collides with "'s"
    assert _is(h, plain, (7,), "'s".__eq__, np).tolist() == [True, False, True, False]
