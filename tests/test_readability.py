"""Readability plugin: hand-counted sample articles, formulas against their published
definitions, syllables offline, edge inputs, report shape, corpus summaries."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from relkit import Context, Document, Params, load_corpus
from relkit.testing import check_analysis, run_analysis

from relkit_readability import ReadabilityAnalysis
from relkit_readability import formulas as F
from relkit_readability.counts import count_document
from relkit_readability.diversity import mattr, mtld
from relkit_readability.syllables import number_syllables, rule_syllables, syllables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
A000 = "000_fbbc5cfd56b40f15"
A003 = "003_8d831bff95d77092"


def analyse(text: str, **params) -> dict:
    a = ReadabilityAnalysis()
    values = {p.name: p.default for p in a.parameters}
    values.update(params)
    return a.report_document(Document("t", text), Context(Params(values), "readability"))


@pytest.fixture(scope="module")
def sample():
    corpus = load_corpus(str(CORPUS))
    return {d.id: d for d in corpus}


# -- hand counts ----------------------------------------------------------------------------
# Counted by hand on the cleaned articles (date line, font widget, byline, separator and
# "Follow us" line removed): one sentence per line of the list; hyphenated compounds,
# "News.Az", "Ph.D.", "Nov.", "22-23", "21st" and possessives ("Council’s") are one word each.
HAND_000 = [40, 22, 37, 44, 30, 28, 17, 22, 20, 15]
HAND_003 = [42, 28, 30, 44, 28, 44, 13, 32, 31, 31, 23, 25, 30, 23, 18, 21, 22, 47]


@pytest.mark.parametrize("doc_id,hand", [(A000, HAND_000), (A003, HAND_003)])
def test_hand_counted_sentences_and_words(sample, doc_id, hand):
    c = count_document(sample[doc_id])
    assert c.totals["sentences"] == len(hand)
    assert [s.words for s in c.sentences] == hand
    assert c.totals["words"] == sum(hand)  # 275 and 532


def test_sample_sentences_start_where_expected(sample):
    doc = sample[A003]
    c = count_document(doc)
    firsts = [doc.text[s.start : s.end].split()[0] for s in c.sentences]
    assert firsts[:3] == ["The", "The", "“Therefore,"]
    # "Ph.D." and "Nov. 22-23" do not end sentences; "News.Az" does not split one either.
    assert any("Ph.D. in Political Science" in doc.text[s.start : s.end] for s in c.sentences)
    assert doc.text[c.sentences[16].start : c.sentences[16].end].endswith("Nov. 22-23 in Moscow.")
    d0 = sample[A000]
    first = count_document(d0).sentences[0]
    assert d0.text[first.start : first.end].endswith("News.Az reports.")


# -- formulas against their published definitions ------------------------------------------
SMALL = "The cat sat on the mat. Education is beneficial for everybody."
# Hand counts: 2 sentences, 11 words; syllables the cat sat on the mat = 6, ed-u-ca-tion 4,
# is 1, ben-e-fi-cial 4, for 1, ev-ery-bod-y 4 → 20; 3 words of 3+ syllables, none a name,
# compound or -ed/-es/-ing form; letters 17 + 33 = 50; long (>6 letters) 3; not on the
# Dale–Chall list: education, beneficial; not on the Spache list: mat, education,
# beneficial, everybody.
W, S, SYL, POLY, LET, DIFF, SPU = 11, 2, 20, 3, 50, 2, 4


def test_small_text_counts():
    t = count_document(Document("t", SMALL)).totals
    assert (t["sentences"], t["words"], t["syllables"], t["polysyllabic_words"], t["complex_words"]) == (S, W, SYL, POLY, POLY)
    assert (t["letters"], t["characters"], t["long_words"], t["difficult_words"], t["spache_difficult_unique"]) == (LET, LET, 3, DIFF, SPU)


def test_formulas_match_published_definitions():
    f = analyse(SMALL)["formulas"]
    asl, asw = W / S, SYL / W
    assert f["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * asl - 84.6 * asw)
    assert f["flesch_kincaid_grade"] == pytest.approx(0.39 * asl + 11.8 * asw - 15.59)
    assert f["gunning_fog"] == pytest.approx(0.4 * (asl + 100 * POLY / W))
    assert f["smog"] == pytest.approx(1.0430 * math.sqrt(POLY * 30 / S) + 3.1291)
    assert f["coleman_liau"] == pytest.approx(0.0588 * 100 * LET / W - 0.296 * 100 * S / W - 15.8)
    assert f["automated_readability_index"] == pytest.approx(4.71 * LET / W + 0.5 * asl - 21.43)
    pdw = 100 * DIFF / W  # 18.2% > 5%: the 3.6365 adjustment applies
    assert f["dale_chall"] == pytest.approx(0.1579 * pdw + 0.0496 * asl + 3.6365)
    r = (W - POLY + 3 * POLY) / S  # easy words count 1, hard 3, per sentence = 8.5 ≤ 20
    assert f["linsear_write"] == pytest.approx((r - 2) / 2)
    assert f["spache"] == pytest.approx(0.121 * asl + 0.082 * 100 * SPU / W + 0.659)
    grades = [f[k] for k in F.CONSENSUS_FORMULAS]
    assert f["consensus_grade"] == pytest.approx(sum(grades) / len(grades))


def test_published_worked_values():
    # ASL 10, ASW 1: 3.9 + 11.8 - 15.59 = 0.11
    assert F.flesch_kincaid_grade({"words": 100, "sentences": 10, "syllables": 100}) == pytest.approx(0.11)
    c = {"words": 100, "sentences": 5, "syllables": 150}
    assert F.flesch_reading_ease(c) == pytest.approx(206.835 - 20.3 - 126.9)
    assert F.linsear_write({"words": 100, "sentences": 4, "polysyllabic_words": 10}) == pytest.approx(30 / 2)  # r = 120/4 = 30 > 20
    # Dale–Chall band table: 5.0 → grade 5, 7.5 → 10, 9.0 → 13, 10 → 16
    assert [F.dale_chall_grade(x) for x in (4.0, 5.0, 7.5, 9.0, 10.0)] == [4.0, 5.0, 10.0, 13.0, 16.0]
    # below 5% unfamiliar words no adjustment
    assert F.dale_chall({"words": 100, "sentences": 5, "difficult_words": 4}) == pytest.approx(0.1579 * 4 + 0.0496 * 20)


# -- syllables -------------------------------------------------------------------------------
def test_syllables_dictionary_rules_and_numbers():
    assert [syllables(w) for w in ("education", "every", "business", "azerbaijan", "the")] == [4, 3, 2, 4, 1]
    assert syllables("co-organized") == 1 + 3  # parts summed: co + or-gan-ized
    assert syllables("fm") == 2  # spelled out
    assert rule_syllables("jabbarov") == 3 and rule_syllables("niyazova") == 4
    # numbers as read aloud (Flesch): nineteen eighteen, twenty twenty-three, three point two,
    # twenty-first, five per cent, two hundred thousand, twenty-two to twenty-three
    assert [number_syllables(x) for x in ("1918", "2023", "3.2", "21st", "5%", "200,000", "22-23")] == [4, 5, 3, 3, 3, 5, 7]


def test_thousands_separated_numbers_are_one_token():
    # Core tokenizer fix made for readability: "$200,000" is one number, not "200" "," "000".
    from relkit.text import segment

    f = segment("It cost $200,000 and 1,000th place, but 5,5 and 2019,2020 are lists.")
    norms = [t.norm for t in f.tokens if t.kind in ("word", "number")]
    assert "200,000" in norms and "1,000th" in norms
    assert norms.count("5") == 2 and "2019" in norms and "2020" in norms


def test_nothing_reaches_the_network(monkeypatch):
    """A fresh process (no warm caches) with nltk.download and sockets disabled."""
    code = r"""
import socket, sys, types
def refuse(*a, **k): raise OSError("network disabled in test")
socket.socket.connect = refuse; socket.socket.connect_ex = refuse; socket.create_connection = refuse
fake = types.ModuleType("nltk"); fake.download = refuse; sys.modules["nltk"] = fake  # textstat 0.7's trap
from relkit import Document, Context, Params
from relkit_readability import ReadabilityAnalysis
a = ReadabilityAnalysis()
r = a.report_document(Document("x", "Syllabification happens offline. Zyxquorbian words use rules."),
                       Context(Params({p.name: p.default for p in a.parameters}), "readability"))
assert r["counts"]["syllables"] > 0, r
print("ok", "textstat" in sys.modules, sys.modules["nltk"] is fake)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok", "False", "True"]  # textstat (and NLTK) never imported


# -- edge inputs ------------------------------------------------------------------------------
def test_empty_document_is_flagged_not_crashing():
    r = analyse("")
    assert r["counts"]["words"] == 0 and r["counts"]["sentences"] == 0
    assert all(v is None for v in r["formulas"].values())
    assert r["flags"][0]["formula"] == "all" and "empty" in r["flags"][0]["reason"]
    assert not any(r["reliable"].values())
    assert r["hard_sentences"] == [] and r["lexical_diversity"]["mtld"] is None
    assert r["reading_time"]["seconds"] == 0


def test_short_text_is_computed_and_flagged():
    r = analyse(SMALL)
    assert r["formulas"]["flesch_kincaid_grade"] is not None
    reasons = {(f["formula"], f["reason"]) for f in r["flags"]}
    assert ("all", "the formulas are calibrated on samples of 100+ words; this text has 11") in reasons
    assert ("smog", "SMOG is defined for 30+ sentences; this text has 2") in reasons
    assert r["reliable"]["smog"] is False and r["reliable"]["flesch_kincaid_grade"] is False


def test_non_english_text_is_flagged():
    az = ("Azərbaycan Respublikasının Prezidenti İlham Əliyev bu gün Bakıda keçirilən beynəlxalq "
          "konfransda çıxış edib. Dövlət başçısı regionda sülhün və təhlükəsizliyin möhkəmləndirilməsinin "
          "vacibliyini vurğulayıb. Konfransda müxtəlif ölkələrdən nümayəndələr iştirak ediblər.")
    r = analyse(az)
    assert r["counts"]["words"] == 13 + 9 + 6 and r["counts"]["sentences"] == 3
    assert any("may not be English" in f["reason"] for f in r["flags"])
    ru = analyse("Москва и Баку подписали соглашение о сотрудничестве. Переговоры прошли в Кремле.")
    assert ru["counts"]["words"] == 11 and any("may not be English" in f["reason"] for f in ru["flags"])


def test_headings_are_left_out_and_can_be_kept():
    text = "Ten ideas\n\n1 Passing clouds\n\nClouds pass over us every day. They do.\n\n2 On cloud nine\n\nNine is a number."
    r = analyse(text)
    assert r["counts"]["sentences"] == 3 and r["counts"]["headings_excluded"] == 3
    assert analyse(text, exclude_headings=False)["counts"]["sentences"] == 6
    # a text with no punctuation at all keeps its lines
    assert analyse("Just a line\nAnother line")["counts"]["sentences"] == 2


def test_run_on_text_without_punctuation_is_flagged():
    r = analyse(" ".join(["word"] * 160))
    assert r["counts"]["sentences"] == 1
    assert any("missing punctuation" in f["reason"] for f in r["flags"])


def test_lexical_diversity():
    assert mattr(["a", "b", "a", "b"], window=2) == pytest.approx(1.0)
    assert mattr(["a", "a", "a"], window=2) == pytest.approx(0.5)
    # ten distinct words then repeats: forward pass closes factors at TTR ≤ 0.72
    forms = ["w%d" % (i % 7) for i in range(140)]
    assert mtld(forms) == pytest.approx(mtld(forms[::-1]))
    assert mtld(["x"] * 5) is not None and mtld([]) is None


# -- the analysis through relkit ----------------------------------------------------------------
def test_conformance():
    check_analysis("readability")


def test_report_on_sample_corpus():
    report = run_analysis("readability", CORPUS, {"group_by": "source", "hard_sentences": 2})
    assert report["ok"], report["error"]
    res = report["result"]
    docs = {d["id"]: d for d in res["documents"]}
    assert docs[A000]["counts"]["words"] == 275 and docs[A003]["counts"]["sentences"] == 18
    corpus = {d.id: d for d in load_corpus(str(CORPUS))}
    for d in res["documents"]:
        assert len(d["hard_sentences"]) == 2
        grades = [h["grade"] for h in d["hard_sentences"]]
        assert grades == sorted(grades, reverse=True)
        for h in d["hard_sentences"]:
            assert corpus[d["id"]].text[h["start"] : h["end"]] == h["text"]
            for w in h["hard_words"]:
                assert corpus[d["id"]].text[w["start"] : w["end"]] == w["text"] and w["syllables"] >= 3
        assert {"formula": "smog", "reliable": False, "reason": f"SMOG is defined for 30+ sentences; this text has {d['counts']['sentences']}"} in d["flags"] or d["counts"]["sentences"] >= 30
    dist = res["summary"]["distributions"]["words"]
    assert dist["count"] == 5 and dist["max_doc"] == "004_05352d0e9c5baae8"
    assert res["summary"]["pooled"]["counts"]["words"] == sum(d["counts"]["words"] for d in res["documents"])
    assert set(res["groups"]) == {"(none)", "AZERTAC", "News.Az", "TDI", "Trend"}
    assert res["groups"]["News.Az"]["documents"] == 1
    assert res["groups"]["News.Az"]["distributions"]["consensus_grade"]["min_doc"] == A000


def test_group_by_date_year_and_determinism():
    a = run_analysis("readability", CORPUS, {"group_by": "date"})
    b = run_analysis("readability", CORPUS, {"group_by": "date"})
    assert json.dumps(a["result"], sort_keys=True) == json.dumps(b["result"], sort_keys=True)
    assert set(a["result"]["groups"]) == {"2019", "2020", "2023", "(none)"}


def test_reliable_only_drops_flagged_values():
    report = run_analysis("readability", CORPUS, {"reliable_only": True})
    dists = report["result"]["summary"]["distributions"]
    assert dists["smog"]["count"] == 1 and dists["smog"]["min_doc"] == "004_05352d0e9c5baae8"  # 38 sentences
    assert dists["flesch_kincaid_grade"]["count"] == 5
    assert dists["spache"] is None  # …and every news text is beyond Spache's range
