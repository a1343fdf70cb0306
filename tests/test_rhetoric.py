"""The rhetoric plugin: gold quotes of the sample corpus, quote-mark edge cases, speakers,
stance, tone, frames with user lexicons, persuasion cues, figures, groups, conformance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relkit.testing import check_analysis, check_evidence, iter_spans, make_corpus, run_analysis

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = json.loads((ROOT / "tests" / "data" / "rhetoric_gold.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def sample():
    corpus = make_corpus([CORPUS])
    report = run_analysis("rhetoric", corpus)
    assert report["ok"], report["error"]
    return corpus, report


def _run(texts, **params):
    corpus = make_corpus(texts)
    report = run_analysis("rhetoric", corpus, params or None)
    assert report["ok"], report["error"]
    assert check_evidence(report, corpus) == []
    return report["result"]


def _doc(result, i=0):
    return result["documents"][i]


# -- the gold set --------------------------------------------------------------------
def test_gold_offsets_point_at_their_text():
    for key, stem in GOLD["documents"].items():
        assert (CORPUS / f"{stem}.txt").is_file()
    for g in GOLD["quotes"] + GOLD["indirect"]:
        text = (CORPUS / f"{g['doc']}.txt").read_text("utf-8")
        assert text[g["start"]:g["end"]] == g["text"]
        if "speaker_start" in g:
            assert text[g["speaker_start"]:g["speaker_end"]] == g["speaker"]
    assert len([g for g in GOLD["quotes"] if g["kind"] == "speech"]) == 18
    assert len(GOLD["indirect"]) == 9


def test_every_gold_quote_found_with_its_speaker(sample):
    corpus, report = sample
    docs = {d["id"]: d for d in report["result"]["documents"]}
    for g in GOLD["quotes"]:
        d = docs[g["doc"]]
        if g["kind"] != "speech":
            assert any((m["start"], m["end"], m["kind"]) == (g["start"], g["end"], "title") for m in d["quoted_mentions"]), g["text"]
            continue
        hits = [q for q in d["quotes"] if any((x["start"], x["end"]) == (g["start"], g["end"]) for x in q["quoted"])]
        assert len(hits) == 1, g["text"][:40]
        q = hits[0]
        assert q["type"] == g["type"], g["text"][:40]
        assert q["speaker"]["resolved"] == g["resolved"], g["text"][:40]
        if g["speaker"] is None:
            assert q["speaker"]["as_written"] is None and q["speaker"]["how"] == "continuation"
        else:
            aw = q["speaker"]["as_written"]
            assert (aw["start"], aw["end"], aw["text"]) == (g["speaker_start"], g["speaker_end"], g["speaker"])
            assert q["cue"]["text"] == g["cue"]
    for g in GOLD["indirect"]:
        d = docs[g["doc"]]
        hits = [q for q in d["quotes"] if q["type"] == "indirect" and (q["content"]["start"], q["content"]["end"]) == (g["start"], g["end"])]
        assert len(hits) == 1, g["text"][:40]
        assert hits[0]["speaker"]["resolved"] == g["resolved"]
        assert hits[0]["speaker"]["as_written"]["text"] == g["speaker"]
        assert hits[0]["cue"]["text"] == g["cue"]


def test_gold_scores(sample):
    from relkit_rhetoric.evaluate import score

    s = score(sample[1]["result"]["documents"], GOLD)
    assert s["gold_quotes"] == s["predicted_quotes"] == 18
    for key in ("quotes_exact", "quotes_overlap", "quotes_with_speaker", "indirect"):
        assert s[key]["precision"] == 1.0 and s[key]["recall"] == 1.0, key
    assert s["mentions_found"] == 2


def test_roles_and_speaker_table(sample):
    result = sample[1]["result"]
    table = {r["speaker"]: r for r in result["speakers"]}
    rud = table["Andrei Rudenko"]
    assert (rud["direct"], rud["mixed"], rud["indirect"]) == (4, 4, 2)
    assert "Deputy Foreign Minister" in rud["roles"] and "deputy head of the Russian foreign ministry" in rud["roles"]
    niy = table["Galina Niyazova"]
    assert (niy["direct"], niy["indirect"], niy["document_count"]) == (8, 4, 1)
    assert niy["roles"][:3] == ["Russian expert", "Ph.D. in Political Science", "senior lecturer at Saint Petersburg State University"]
    assert niy["profile"]["dominant_frame"] == "cooperation"
    assert set(niy["as_written"]) >= {"Niyazova", "the political analyst", "The Russian political analyst", "Galina Niyazova"}
    assert "Minister" in table["Jeyhun Bayramov"]["roles"]
    # the coordinated subject of 001 counts for both people
    assert table["Elshad Iskandarov"]["indirect"] == 2 and table["Mikhail Kalugin"]["indirect"] == 2


def test_whole_report_evidence_and_conformance(sample):
    corpus, report = sample
    assert check_evidence(report, corpus) == []
    assert sum(1 for _ in iter_spans(report)) > 500
    check_analysis("rhetoric", require_evidence=True)


def test_multiparagraph_quote_in_004_is_flagged(sample):
    d = next(d for d in sample[1]["result"]["documents"] if d["id"].startswith("004"))
    q = next(q for q in d["quotes"] if q["quoted"] and q["quoted"][0]["text"].startswith("More than 11,000"))
    assert q["quoted"][0]["paragraphs"] == 2
    assert "continues_without_reopening_mark" in q["quoted"][0]["flags"]
    assert q["quoted"][0]["marks"] == '"”'


# -- quote marks ----------------------------------------------------------------------
def test_unbalanced_quote_closes_at_paragraph_end_and_warns():
    text = ('The minister said: "We will never accept this and we will defend our borders.\n\n'
            "Officials later declined to comment on the statement.\n")
    corpus = make_corpus([text])
    report = run_analysis("rhetoric", corpus)
    d = report["result"]["documents"][0]
    assert len(d["quotes"]) == 1
    q = d["quotes"][0]
    assert q["quoted"][0]["text"] == "We will never accept this and we will defend our borders."
    assert q["quoted"][0]["flags"] == ["closing_mark_missing"]
    assert q["flags"] == ["closing_mark_missing"]
    assert q["speaker"]["as_written"]["text"] == "The minister" and q["cue"]["text"] == "said"
    assert any("no closing mark" in w["message"] and w["doc"] == "doc0" for w in report["warnings"])


def test_nested_quotes():
    text = ("“He told us that ‘never again’ must be our motto, and we agreed with every word of it,” the mayor said. "
            "“The phrase \"strategic patience\" is not a plan at all for the city,” she added.")
    d = _doc(_run([text]))
    direct = [q for q in d["quotes"] if q["type"] == "direct"]
    assert len(direct) == 2
    first, second = direct
    assert first["quoted"][0]["nested"][0]["text"] == "never again"
    assert first["quoted"][0]["nested"][0]["marks"] == "‘’"
    assert first["speaker"]["as_written"]["text"] == "the mayor"
    assert second["quoted"][0]["nested"][0]["text"] == "strategic patience"
    assert second["quoted"][0]["text"].endswith("for the city,")
    assert second["speaker"]["as_written"]["text"] == "she" and second["cue"]["text"] == "added"
    assert "Russia’s" not in json.dumps(d["quoted_mentions"])


def test_apostrophes_are_not_quotes_and_guillemets_are():
    text = ("Russia’s and the countries’ positions were discussed. "
            "«Cooperation between our countries is developing steadily in every area,» Ivan Petrov said.")
    d = _doc(_run([text]))
    assert len(d["quotes"]) == 1
    q = d["quotes"][0]
    assert q["quoted"][0]["marks"] == "«»"
    assert q["speaker"]["resolved"] == "Ivan Petrov" and q["speaker"]["how"] == "trailing"


def test_reopened_paragraph_quote_is_one_quote():
    text = ("“The first part of the statement runs over here and continues for several words.\n\n"
            "“The second paragraph of the same statement ends here,” the ambassador said.\n")
    d = _doc(_run([text]))
    q = [q for q in d["quotes"] if q["type"] == "direct"]
    assert len(q) == 1
    assert q[0]["quoted"][0]["paragraphs"] == 2 and "reopened_paragraph" in q[0]["quoted"][0]["flags"]
    assert q[0]["speaker"]["as_written"]["text"] == "the ambassador"


def test_orphan_closing_mark():
    text = "Nothing opened this passage of more than six words at all here,” the spokesman said."
    d = _doc(_run([text]))
    assert d["quotes"][0]["quoted"][0]["flags"] == ["opening_mark_missing"]
    assert d["quotes"][0]["quoted"][0]["text"].startswith("Nothing opened")


def test_text_without_quotes():
    d = _doc(_run(["The weather was mild and the markets were calm on Monday. Trading volumes were low."]))
    assert d["quotes"] == [] and d["quoted_mentions"] == [] and d["speakers"] == []
    assert d["words"] == 15


def test_short_unattributed_quote_is_a_mention_and_titles_are_recognised():
    text = 'The so-called "peace plan" was debated at a forum titled "Energy Security in the Caspian" on Monday.'
    d = _doc(_run([text]))
    assert d["quotes"] == []
    assert [(m["text"], m["kind"]) for m in d["quoted_mentions"]] == [("peace plan", "term"), ("Energy Security in the Caspian", "title")]


def test_pronoun_and_description_coreference():
    text = ("Foreign Minister Anna Berg met analysts in Oslo.\n\n"
            "Professor Lars Holm, a political scientist at Oslo University, said that the talks were useful.\n\n"
            "“We see real progress in the dialogue between the two countries,” the analyst added.\n\n"
            "According to her, “the next round will take place in spring and will focus on trade.”")
    d = _doc(_run([text]))
    by_text = {q["quoted"][0]["text"][:10]: q for q in d["quotes"] if q["quoted"]}
    assert by_text["We see rea"]["speaker"]["resolved"] == "Lars Holm"
    # "her": the most recent named speaker (documented rule), here Lars Holm
    assert by_text["the next r"]["speaker"]["kind"] == "pronoun"
    assert by_text["the next r"]["speaker"]["resolved"] == "Lars Holm"
    ind = [q for q in d["quotes"] if q["type"] == "indirect"]
    assert ind[0]["speaker"]["resolved"] == "Lars Holm"
    assert "a political scientist at Oslo University" in [r["text"] for r in ind[0]["speaker"]["roles"]]


# -- stance, tone ----------------------------------------------------------------------
def test_metadiscourse_and_modals():
    text = ("We may possibly see growth, and it is clearly a good sign. "
            "The parade was held on May 9. Officials must act and they will. I think you can help.")
    d = _doc(_run([text]))
    st, md = d["stance"], d["modals"]
    assert [s["text"] for s in st["hedges"]["spans"]] == ["may", "possibly"]
    assert [s["text"] for s in st["boosters"]["spans"]] == ["clearly", "think"]
    assert [s["text"] for s in st["engagement_markers"]["spans"]] == ["We", "you"]
    assert [s["text"] for s in st["self_mentions"]["spans"]] == ["I"]
    assert [s["text"] for s in md["possibility"]["spans"]] == ["may", "can"]
    assert [s["text"] for s in md["obligation"]["spans"]] == ["must"]
    assert [s["text"] for s in md["prediction"]["spans"]] == ["will"]
    assert st["hedges"]["per_1000_words"] == pytest.approx(1000 * 2 / d["words"])


def test_tone_is_a_mean_and_fast_path_equals_vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from relkit_rhetoric.tone import vader

    text = "This is a wonderful success. The meeting was held in Baku. The attack was a terrible tragedy."
    d = _doc(_run([text]))
    sia = SentimentIntensityAnalyzer()
    corpus = make_corpus([text])
    doc = corpus[0]
    expected = [sia.polarity_scores(text[s.start:s.end])["compound"] for s in doc.sentences]
    assert expected[1] == 0.0
    assert d["tone"]["mean"] == pytest.approx(sum(expected) / 3, abs=1e-6)
    assert d["tone"]["positive_share"] == pytest.approx(1 / 3) and d["tone"]["negative_share"] == pytest.approx(1 / 3)
    assert d["tone"]["most_positive"][0]["text"] == "This is a wonderful success."
    assert d["tone"]["most_negative"][0]["text"] == "The attack was a terrible tragedy."
    v = vader()
    for sent in ["No problem at all.", "Nothing here :)", "NOT good", "It was kind of ok", "🙂 fine", "plain words only",
                 "This is not a bad idea but it is NOT GREAT!!!", "kiss of death for VERY good people", "never so good",
                 "without doubt great", "no or nor bad", "at least it isn't horrible", "The least good thing",
                 "sort of good, kind of bad?? ???", "but but but good bad", "Yeah right, great", "just enough good"]:
        assert v.compound(sent) == sia.polarity_scores(sent)["compound"]


def test_fast_vader_equals_vader_on_random_sentences():
    """Sentiment words next to boosters, negations, never/so/this, idioms, capitals and
    punctuation, in random order: every score equals plain VADER's."""
    import random

    from vaderSentiment import vaderSentiment as vs

    from relkit_rhetoric.tone import Vader

    sia = vs.SentimentIntensityAnalyzer()
    v = Vader()
    rng = random.Random(7)
    sentiment = rng.sample(sorted(sia.lexicon), 200)
    modifiers = sorted(vs.BOOSTER_DICT) + sorted(vs.NEGATE) + ["never", "so", "this", "without", "doubt", "least", "at",
                                                                "very", "no", "or", "nor", "but", "kind", "of"]
    idioms = [w for k in (*vs.SPECIAL_CASES, *vs.BOOSTER_DICT) if " " in k for w in k.split()]
    plain = ["the", "minister", "said", "talks", "of", "in", "I", "US", "NATO"]
    scored = 0
    for _ in range(4000):
        words = []
        for _ in range(rng.randint(1, 14)):
            w = rng.choice(rng.choice((sentiment, modifiers, idioms, plain, plain)))
            r = rng.random()
            w = w.upper() if r < 0.1 else w.capitalize() if r < 0.2 else w
            words.append(w + rng.choice(("", "", "", ",", ".", "!", "?", "...", "'", '"')))
        sent = " ".join(words)
        expected = sia.polarity_scores(sent)["compound"]
        scored += expected != 0
        assert v.compound(sent) == expected, sent
    assert scored > 2000


# -- frames and user lexicons ------------------------------------------------------------
def test_frames_builtin():
    text = "Our peoples reject destructive interference by non-regional states and value the strategic partnership."
    d = _doc(_run([text]))
    f = d["frames"]["frames"]
    assert [s["text"] for s in f["in_group"]["spans"]] == ["Our peoples"]
    assert [s["text"] for s in f["out_group"]["spans"]] == ["destructive interference", "non-regional states"]
    assert [s["text"] for s in f["cooperation"]["spans"]] == ["strategic partnership"]


def test_user_lexicon_json_and_dic(tmp_path):
    j = tmp_path / "energy.json"
    j.write_text(json.dumps({"energy_transition": ["renewable*", "green hydrogen"], "cooperation": ["handshake"]}))
    dic = tmp_path / "moral.dic"
    dic.write_text("%\n1\tcare\n2\tharm\n%\nprotect*\t1\nkill*\t2\nsafe haven\t1 2\n")
    text = "Renewables and green hydrogen were discussed after a handshake; leaders vowed to protect a safe haven from killings."
    res = _run([text], lexicon=f"{j},{dic}")
    f = _doc(res)["frames"]["frames"]
    assert [s["text"] for s in f["energy_transition"]["spans"]] == ["Renewables", "green hydrogen"]
    assert [s["text"] for s in f["cooperation"]["spans"]] == ["handshake"]  # extends the built-in frame
    assert [s["text"] for s in f["care"]["spans"]] == ["protect", "safe haven"]
    assert [s["text"] for s in f["harm"]["spans"]] == ["safe haven", "killings"]
    assert res["lexicons"]["frames"]["care"] == str(dic)
    only = _doc(_run([text], lexicon=str(j), builtin_frames=False))["frames"]["frames"]
    assert set(only) == {"energy_transition", "cooperation"}


def test_bad_user_lexicon_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    report = run_analysis("rhetoric", make_corpus(["Some text here."]), {"lexicon": str(bad)})
    assert not report["ok"] and "category" in report["error"]["message"]


# -- persuasion and figures ----------------------------------------------------------------
def test_persuasion_cues():
    text = ("The so-called experts spread heinous lies about our homeland. "
            "This unprecedented threat could lead to catastrophe! Never again! "
            "Energy security matters. Energy security matters to all. Energy security matters most.")
    d = _doc(_run([text]))
    got = {(c["technique"], c["text"]) for c in d["persuasion"]["cues"]}
    assert ("Doubt", "so-called") in got
    assert ("Loaded_Language", "heinous") in got
    assert ("Flag-Waving", "our homeland") in got
    assert ("Exaggeration,Minimisation", "unprecedented") in got
    assert ("Appeal_to_fear-prejudice", "threat") in got and ("Appeal_to_fear-prejudice", "catastrophe") in got
    assert ("Slogans", "Never again!") in got
    assert sum(1 for c in d["persuasion"]["cues"] if c["technique"] == "Repetition") == 2
    assert d["persuasion"]["counts"]["Repetition"] == 2


def test_figures():
    text = ("We have a common past, we have a common future, we have common goals. "
            "The region needs peace, stability and security. "
            "Why would anyone doubt this? "
            "We stand with the people. They govern against the people.")
    fig = _doc(_run([text]))["figures"]
    ana = [f for f in fig["anaphora"] if f["level"] == "clause"]
    assert ana[0]["phrase"] == "we have" and ana[0]["units"] == 3
    assert [s["text"] for s in ana[0]["repeats"]] == ["We have", "we have", "we have"]
    tri = [f for f in fig["tricolon"] if f["span"]["text"] == "peace, stability and security"]
    assert len(tri) == 1 and [i["text"] for i in tri[0]["items"]] == ["peace", "stability", "security"]
    assert [q["span"]["text"] for q in fig["rhetorical_questions"]] == ["Why would anyone doubt this?"]
    assert [f["phrase"] for f in fig["epistrophe"]] == ["the people"]


def test_four_item_list_is_not_a_tricolon():
    fig = _doc(_run(["They discussed political, economic, humanitarian and other areas."]))["figures"]
    assert fig["tricolon"] == []


# -- groups -------------------------------------------------------------------------------
def test_group_by_source():
    texts = {"a": "“We will cooperate closely with our partners in every field,” Ivan Petrov said.",
             "b": "The talks failed. Officials warned of a terrible crisis.",
             "c": "“Trade is growing fast between both countries this year,” Ivan Petrov told reporters."}
    corpus = make_corpus(texts, metadata={"a": {"source": "X"}, "b": {"source": "Y"}, "c": {"source": "X"}})
    report = run_analysis("rhetoric", corpus, {"group_by": "source"})
    assert report["ok"]
    groups = {g["group"]: g for g in report["result"]["groups"]["groups"]}
    assert groups["X"]["documents"] == 2 and groups["Y"]["documents"] == 1
    assert groups["X"]["quotes"]["direct"] == 2
    assert groups["X"]["speakers"] == [{"speaker": "Ivan Petrov", "quotes": 2, "words_quoted": 19}]
    assert groups["Y"]["tone"]["negative_share"] > 0
    row = report["result"]["speakers"][0]
    assert row["speaker"] == "Ivan Petrov" and row["documents"] == ["a", "c"] and row["document_count"] == 2


def test_shared_empty_values_are_read_only_and_pickle_by_name():
    import copy
    import pickle

    from relkit_rhetoric.constant import EMPTY_COUNT, EMPTY_FRAME, EMPTY_LIST

    from relkit import Context, Document
    from relkit.params import resolve_parameters
    from relkit_rhetoric import RhetoricAnalysis

    params = resolve_parameters({"rhetoric": RhetoricAnalysis.parameters})["rhetoric"]
    d = RhetoricAnalysis().analyze_document(Document("a", "Nothing to see here at all."), Context(params, "rhetoric"))
    # empty categories and lists are the shared values, and look like plain JSON
    assert d["stance"]["hedges"] is EMPTY_COUNT and d["frames"]["frames"]["cooperation"] is EMPTY_FRAME
    assert d["quotes"] is EMPTY_LIST and d["quotes"] == [] and isinstance(d["quotes"], list)
    assert json.dumps(d["stance"]["hedges"]) == '{"count": 0, "per_1000_words": 0.0, "spans": []}'
    with pytest.raises(TypeError):
        d["quotes"].append(1)
    with pytest.raises(TypeError):
        d["stance"]["hedges"]["count"] = 3
    with pytest.raises(TypeError):
        EMPTY_FRAME["terms"]["x"] = 1
    back = pickle.loads(pickle.dumps(d))
    assert back["stance"]["hedges"] is EMPTY_COUNT and back["quotes"] is EMPTY_LIST and back == d
    mine = copy.deepcopy(d)
    mine["stance"]["hedges"]["count"] = 1  # a deep copy is the caller's own
    assert EMPTY_COUNT["count"] == 0


def test_capitalised_tokens_from_columns_equal_the_plain_scan():
    from relkit_rhetoric.columns import Columns
    from relkit_rhetoric.speakers import _capitalised

    texts = [
        "Deputy Foreign Minister Andrei Rudenko said 2nd-round talks at https://Example.org and @UN went well, "
        "Ⅷ Congress, Ⓐ sign, ’90s, 'Quoted' and ÉCOLE Élysée İstanbul ǅ.",
        "Plain ASCII: NATO, the UN, 3M, A-1 and X.",
    ]
    for doc in make_corpus(texts):
        toks = doc.tokens
        assert _capitalised(doc.text, toks, Columns(toks)) == _capitalised(doc.text, toks, None)
        assert sum(_capitalised(doc.text, toks, Columns(toks))) >= 5
